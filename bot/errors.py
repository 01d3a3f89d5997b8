"""One error handler for every app command, and a send that works before or after a response.

* :class:`~bot.core.errors.UserError` (a bad query, an unknown document, nothing matched) and
  discord.py's check failures become a polite ephemeral explanation.
* Anything else is a bug: it is logged with the command, its options, the guild and the user id,
  and the user gets a short apology. No traceback ever reaches Discord.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import discord
from discord import app_commands

from bot import cooldowns, render
from bot.core.errors import UserError

#: ``Interaction.extras`` key :meth:`bot.client.CorpusBot.run_core` sets when it defers publicly.
PUBLIC_DEFER = "corpusbot_public_defer"

log = logging.getLogger(__name__)


async def send(interaction: discord.Interaction[Any], reply: render.Reply) -> None:
    """Send ``reply`` as the interaction's first response, or as a follow-up if it was answered.

    Raises whatever discord.py raises for a failed request (the caller decides whether to log).
    """
    if interaction.response.is_done():
        # wait=True: the message id comes back, so a view (buttons) is bound to this message.
        await interaction.followup.send(wait=True, **reply.send_kwargs())
    else:
        await interaction.response.send_message(**reply.send_kwargs())


def describe_interaction(interaction: discord.Interaction[Any]) -> str:
    """A one-line description for logs: command, options, guild, channel and user ids.

    What the user typed (option values) is included only while this module logs at DEBUG; at
    INFO and above only the option names appear."""
    command = interaction.command.qualified_name if interaction.command else "?"
    data: Mapping[str, Any] = interaction.data or {}
    options: Any = data.get("options", [])
    if not log.isEnabledFor(logging.DEBUG):
        options = _option_names(options)
    return (
        f"/{command} options={options!r} guild={interaction.guild_id} "
        f"channel={interaction.channel_id} user={interaction.user.id if interaction.user else None}"
    )


def _option_names(options: Any) -> list[str]:
    """``["query", "document"]`` (``"group sub(query)"`` for sub-commands): names, no values."""
    names: list[str] = []
    for option in options if isinstance(options, list) else []:
        if not isinstance(option, Mapping):
            continue
        inner = option.get("options")
        name = str(option.get("name", "?"))
        names.append(f"{name}({', '.join(_option_names(inner))})" if inner is not None else name)
    return names


#: Permission flags whose name in Discord's interface differs from the API name.
PERMISSION_LABELS = {"manage_guild": "Manage Server", "view_channel": "View Channel"}


def permission_label(flag: str) -> str:
    """The name Discord's interface shows for a permission flag (``manage_guild`` → Manage Server)."""
    return PERMISSION_LABELS.get(flag, flag.replace("_", " ").title())


def reply_for(error: BaseException) -> render.Reply | None:
    """The user-facing reply for an error, or ``None`` when the error is a bug to log."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError):
        return render.user_error(str(error))
    if isinstance(error, app_commands.MissingPermissions):
        missing = ", ".join(permission_label(p) for p in error.missing_permissions)
        return render.user_error(f"You need the {missing} permission to use this command.")
    if isinstance(error, app_commands.NoPrivateMessage):
        return render.user_error("This command only works in a server.")
    if isinstance(error, app_commands.CommandOnCooldown):
        return render.cooldown(error.retry_after)
    if isinstance(error, app_commands.TransformerError | app_commands.CheckFailure):
        return render.user_error(str(error) or "That input was not understood.")
    return None


async def on_app_command_error(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError
) -> None:
    """The tree's error handler: explain user errors, log bugs and apologise."""
    original = getattr(error, "original", error)
    if cooldowns.bad_input(interaction, original):
        cooldowns.refund(interaction)  # a member correcting a typo is not told to slow down
    reply = reply_for(error)
    if reply is None:
        original = getattr(error, "original", error)
        log.error(
            "command failed: %s",
            describe_interaction(interaction),
            exc_info=(type(original), original, original.__traceback__),
        )
        reply = render.apology()
    try:
        if reply.ephemeral and interaction.extras.pop(PUBLIC_DEFER, False):
            # The first follow-up after a public "thinking" defer would fill that message for
            # everyone to see: remove it, so the explanation is seen by the user alone.
            await interaction.delete_original_response()
        await send(interaction, reply)
    except discord.HTTPException:
        log.warning("could not deliver the error reply for %s", describe_interaction(interaction))

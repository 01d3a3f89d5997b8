"""Commands Discord holds that this version of the bot no longer has.

When Discord's copy of the commands is older than the bot's (another copy of the bot synced, the
storage was reset, a sync failed half-way), users can send a command, an option or an autocomplete
request the bot does not know: discord.py would drop an unknown option silently (``/quote text:``
then posts a random quote) or fail with an error the user cannot act on. :class:`CorpusTree` checks
every interaction first: a stale one is answered with an ephemeral "this command changed" (a stale
autocomplete with no choices), and the bot re-syncs its commands (once at a time).

:func:`command_shape` is the comparable form of a command definition, used by
``CorpusBot.sync_if_needed`` to compare what Discord holds with what the bot would sync.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord import app_commands

from bot import render

log = logging.getLogger(__name__)

_COMMAND, _SUB, _GROUP = 1, 1, 2  # application command type; option types of sub-commands


_ALL_CONTEXTS = (0, 1, 2)  # a server, the bot's DM, a group DM: where a command without them works
_GUILD_INSTALL = (0,)  # the installation a command without integration types has


def command_shape(payload: Mapping[str, Any]) -> tuple[Any, ...]:
    """What users see of a command definition (names, types, descriptions, options with their
    types, required flags and choices, permissions, age restriction, the contexts it is offered in
    and the installations it comes with), normalised so that a local payload and Discord's copy
    compare equal (unset contexts and integration types as Discord's defaults)."""
    perms = payload.get("default_member_permissions")
    return (
        payload.get("type", 1),
        payload.get("name"),
        payload.get("description", ""),
        None if perms is None else str(perms),
        bool(payload.get("nsfw", False)),
        tuple(sorted(payload.get("contexts") or _ALL_CONTEXTS)),
        tuple(sorted(payload.get("integration_types") or _GUILD_INSTALL)),
        tuple(_option_shape(o) for o in payload.get("options") or ()),
    )


def _option_shape(option: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        option.get("type"),
        option.get("name"),
        option.get("description", ""),
        bool(option.get("required", False)),
        bool(option.get("autocomplete", False)),
        tuple((c.get("name"), c.get("value")) for c in option.get("choices") or ()),
        option.get("min_value"),
        option.get("max_value"),
        option.get("min_length"),
        option.get("max_length"),
        tuple(sorted(option.get("channel_types") or ())),
        tuple(_option_shape(o) for o in option.get("options") or ()),
    )


def stale_reason(
    tree: app_commands.CommandTree[Any], interaction: discord.Interaction[Any]
) -> str | None:
    """Why ``interaction`` names a command, sub-command or option the bot does not have (or an
    option of another type, or lacks a required one), or ``None``."""
    if interaction.type not in (
        discord.InteractionType.application_command,
        discord.InteractionType.autocomplete,
    ):
        return None
    data: Mapping[str, Any] = interaction.data or {}
    name = str(data.get("name", ""))
    kind = discord.AppCommandType(int(data.get("type", _COMMAND)))
    guild = discord.Object(interaction.guild_id) if interaction.guild_id else None
    command: Any = tree.get_command(name, guild=guild, type=kind) or tree.get_command(
        name, type=kind
    )
    if command is None:
        return f"unknown command /{name}"
    if kind is not discord.AppCommandType.chat_input:
        return None
    options: Sequence[Mapping[str, Any]] = data.get("options") or []
    while options and options[0].get("type") in (_SUB, _GROUP):
        if not isinstance(command, app_commands.Group):
            return f"/{name} has no sub-commands now"
        sub = command.get_command(str(options[0].get("name")))
        if sub is None:
            return f"unknown sub-command {options[0].get('name')} of /{name}"
        command, options = sub, options[0].get("options") or []
    if isinstance(command, app_commands.Group):
        return f"/{name} needs a sub-command now"
    return _option_problem(command, options, interaction.type)


def _option_problem(
    command: app_commands.Command[Any, ..., Any],
    options: Sequence[Mapping[str, Any]],
    kind: discord.InteractionType,
) -> str | None:
    """Why the options of an interaction do not fit ``command``: an option it does not have, one
    of another type, or (for a command, not an autocomplete) a required one missing."""
    params = {p.display_name: p for p in command.parameters}
    for option in options:
        param = params.get(str(option.get("name")))
        if param is None:
            return f"unknown option {option.get('name')} of /{command.qualified_name}"
        if option.get("type") is not None and int(option["type"]) != param.type.value:
            return f"option {param.display_name} of /{command.qualified_name} changed type"
    if kind is discord.InteractionType.application_command:
        given = {str(o.get("name")) for o in options}
        missing = [
            p.display_name for p in command.parameters if p.required and p.display_name not in given
        ]
        if missing:
            return f"/{command.qualified_name} now requires {', '.join(missing)}"
    return None


class CorpusTree(app_commands.CommandTree[Any]):
    """The bot's command tree: answers interactions for commands it no longer has (see above)."""

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        reason = stale_reason(self, interaction)
        if reason is None:
            return True
        log.info("an interaction for a changed command (%s); re-syncing the commands", reason)
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
            else:
                reply = render.command_changed()
                await interaction.response.send_message(**reply.send_kwargs())
        except discord.HTTPException as error:
            log.warning("could not answer the stale interaction: %s", error)
        request = getattr(self.client, "request_resync", None)
        if request is not None:
            request()
        return False

"""The :class:`Reply` every command sends, embeds brought within Discord's limits, the plain
text the console and CLI print, autocomplete choices, and the short error and owner
notices shared by every command.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.core.models import Document
from bot.render._limits import (
    CHOICE_LIMIT,
    CHOICE_NAME_LIMIT,
    COLOUR,
    EMBED_AUTHOR_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_COUNT_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FOOTER_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    MESSAGE_LIMIT,
    NO_MENTIONS,
    _unescape,
    choice_name,
    escape,
    shorten,
)


@dataclass(slots=True)
class Reply:
    """One reply: content and/or embeds, ephemeral or not, plus an optional view (buttons).

    ``send_kwargs()`` gives keyword arguments for ``InteractionResponse.send_message``,
    ``Webhook.send`` and ``Messageable.send`` alike, always with ``allowed_mentions`` set to none.
    """

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    ephemeral: bool = False
    view: discord.ui.View | None = None
    files: list[discord.File] = field(default_factory=list)

    def send_kwargs(self, *, channel: bool = False) -> dict[str, Any]:
        """Keyword arguments for sending this reply (``channel=True`` for ``Messageable.send``)."""
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.embeds:
            kwargs["embeds"] = self.embeds
        if self.view is not None:
            kwargs["view"] = self.view
        if self.files:
            kwargs["files"] = self.files
        if not channel:
            kwargs["ephemeral"] = self.ephemeral
        return kwargs


def user_error(message: str) -> Reply:
    """A polite ephemeral explanation of what was wrong with the user's input."""
    return Reply(content=shorten(message, MESSAGE_LIMIT), ephemeral=True)


COMMAND_CHANGED = (
    "This command changed: it will be updated shortly. Close the command and type it again in "
    "a minute (if it does not show the new options, restart Discord with Ctrl+R)."
)


def cooldown(retry_after: float) -> Reply:
    """The ephemeral answer to a costly command sent too often (``retry_after`` seconds)."""
    return user_error(
        f"You are going a little fast for this command: try again in {max(1, round(retry_after))} s."
    )


def command_changed() -> Reply:
    """The ephemeral answer to a command or option the bot no longer has."""
    return user_error(COMMAND_CHANGED)


OWNER_ONLY = "Only the bot's owner can sync its commands."
SYNCED = "Commands synced."
SYNC_FAILED = "Discord refused to register the commands; see the bot's log."


def sync_failed(status: int, code: int, text: str, dev_guild: int | None) -> str:
    """The log line for a command sync Discord refused: what happened and what to do.

    ``status``/``code``/``text`` are the HTTP status, Discord's JSON error code and message.
    """
    where = f"in the server {dev_guild} (discord.dev_guild_id)" if dev_guild else "globally"
    if code == 50001 and dev_guild:
        advice = (
            "the bot is not in that server, or was invited without the applications.commands "
            "scope: invite it there, or unset discord.dev_guild_id"
        )
    elif code == 30034:
        advice = (
            "Discord's daily limit on creating commands (200 a day) is used up: the commands "
            "registered before stay; the next start tries again"
        )
    elif status == 429:
        advice = "Discord is rate limiting command updates: the next start tries again"
    else:
        advice = "the commands registered before stay; the next start tries again"
    return f"could not register the slash commands {where}: {status} (code {code}) {text}; {advice}"


def sync_rate_limited(retry_after: float, dev_guild: int | None) -> str:
    """The log line for a command sync Discord asks to retry only after ``retry_after`` seconds
    (its daily limit on creating commands, code 30034, answers with hours)."""
    where = f"in the server {dev_guild} (discord.dev_guild_id)" if dev_guild else "globally"
    hours = retry_after / 3600
    wait = f"{hours:.1f} h" if hours >= 1 else f"{retry_after:.0f} s"
    return (
        f"could not register the slash commands {where}: Discord asks to wait {wait} (its daily "
        "limit on creating commands, 200 a day, is probably used up); the commands registered "
        "before stay; the next start tries again"
    )


APOLOGY = "Sorry, something went wrong while answering that. It has been logged; please try again in a moment."


def notice(message: str) -> Reply:
    """A short ephemeral confirmation (e.g. after an owner command)."""
    return Reply(content=shorten(message, MESSAGE_LIMIT), ephemeral=True)


def apology() -> Reply:
    """The short apology a user sees when a command failed for a reason that is not theirs."""
    return Reply(content=APOLOGY, ephemeral=True)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Bring an embed within every Discord limit, shortening lowest-priority parts first.

    Priority (kept longest): title, description, then fields in order; the footer and the
    trailing fields go first when the 6000-character total is exceeded.
    """
    if embed.title:
        embed.title = shorten(embed.title, EMBED_TITLE_LIMIT)
    if embed.description:
        embed.description = shorten(embed.description, EMBED_DESCRIPTION_LIMIT)
    if embed.footer and embed.footer.text:
        embed.set_footer(text=shorten(embed.footer.text, EMBED_FOOTER_LIMIT))
    if embed.author and embed.author.name:
        embed.set_author(name=shorten(embed.author.name, EMBED_AUTHOR_LIMIT), url=embed.author.url)
    fields = list(embed.fields)[:EMBED_FIELD_COUNT_LIMIT]
    embed.clear_fields()
    for f in fields:
        embed.add_field(
            name=shorten(f.name or "-", EMBED_FIELD_NAME_LIMIT),
            value=shorten(f.value or "-", EMBED_FIELD_VALUE_LIMIT),
            inline=bool(f.inline),
        )
    while len(embed) > EMBED_TOTAL_LIMIT:
        excess = len(embed) - EMBED_TOTAL_LIMIT
        if embed.fields:
            last = embed.fields[-1]
            value = last.value or ""
            if len(value) - excess >= 200:
                embed.set_field_at(
                    len(embed.fields) - 1,
                    name=last.name,
                    value=shorten(value, len(value) - excess),
                    inline=bool(last.inline),
                )
            else:
                embed.remove_field(len(embed.fields) - 1)
        elif embed.description:
            embed.description = shorten(embed.description, max(len(embed.description) - excess, 1))
        else:  # pragma: no cover - title/footer alone cannot exceed 6000 after the cuts above
            break
    return embed


def _embed(title: str | None = None, description: str | None = None) -> discord.Embed:
    return discord.Embed(title=title, description=description, colour=COLOUR)


def document_label(document: Document) -> str:
    """How a document is named to users: its title, and the author when known."""
    if document.author:
        return f"{document.title} ({document.author})"
    return document.title


def reply_text(reply: Reply) -> str:
    """A reply as plain terminal text: what the embed shows, Markdown escapes and italics
    removed, bold kept as **."""
    parts: list[str] = []
    if reply.content:
        parts.append(("(only you can see this) " if reply.ephemeral else "") + reply.content)
    for embed in reply.embeds:
        if embed.title:
            parts.append(f"== {embed.title} ==")
        if embed.author and embed.author.name:
            parts.append(f"by {embed.author.name}")
        if embed.description:
            parts.append(_unescape(embed.description, italics=False))
        for f in embed.fields:
            value = _unescape(f.value or "", italics=False)
            parts.append("\n".join([f.name or "", *(f"  {line}" for line in value.splitlines())]))
        if embed.footer and embed.footer.text:
            parts.append(f"[{embed.footer.text}]")
    return "\n".join(parts)


#: Characters that show nothing on their own: format characters (zero-width space, joiners, RTL
#: and LTR marks, U+FEFF), controls, and the blank letters Hangul fillers and the Braille blank.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(text: str) -> bool:
    return any(
        not ch.isspace() and ch not in _BLANK_LETTERS and unicodedata.category(ch)[0] not in "CZ"
        for ch in text
    )


def choices(pairs: Iterable[tuple[str, str]]) -> list[discord.app_commands.Choice[str]]:
    """Autocomplete choices from ``(name, value)`` pairs: at most 25, unique values.

    A value is sent back by Discord as the option's value, so it is never altered: one that is
    empty or longer than 100 characters is left out (document ids come as short keys, see
    ``Library.document_value``). A name that shows nothing (only zero-width, RTL or BOM
    characters) is replaced by the value; names are cut to 100 characters.
    """
    out: list[discord.app_commands.Choice[str]] = []
    seen: set[str] = set()
    for name, value in pairs:
        if not 1 <= len(value) <= CHOICE_NAME_LIMIT or value in seen:
            continue
        seen.add(value)
        shown = name if _visible(name) else value
        out.append(discord.app_commands.Choice(name=choice_name(shown), value=value))
        if len(out) == CHOICE_LIMIT:
            break
    return out


BUTTONS_EXPIRED = "These buttons have expired: run the command again."


def document_changed(title: str, *, removed: bool) -> Reply:
    """The ephemeral answer to a button under a reply made before a reload, when the document
    it points at has changed or left the corpus since."""
    what = "was removed from the corpus" if removed else "has changed"
    return user_error(
        f"“{escape(title)}” {what} since this reply (the corpus was reloaded): run the command "
        "again."
    )


NOT_YOURS = (
    "These buttons belong to the person who ran the command. Run it yourself to get your own."
)

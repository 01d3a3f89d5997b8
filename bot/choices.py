"""Each server's choice of documents, cached in memory for every command to read at no cost.

The choices live in storage (:mod:`bot.storage._choices`); :class:`DocumentChoices` loads them
once (when the ``/documents`` cog loads) and writes through on every change, so a command asks
:func:`allowed_for` without a database round trip. What a choice means is decided in the core
(:func:`bot.core.sources.visible_documents`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord import app_commands

from bot import render
from bot.core.library import Library
from bot.core.sources import visible_documents

if TYPE_CHECKING:
    from bot.client import CorpusBot

#: The name of the cog that owns the choices (``cogs.documents``).
COG_NAME = "Documents"


class DocumentChoices:
    """The guilds' choices, ``{guild id: {name: enabled}}``, kept in step with storage."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        self._cache: dict[int, dict[str, bool]] = {}

    async def load(self) -> None:
        """Read every guild's choices from storage."""
        self._cache = await self.storage.all_document_choices()

    def of(self, guild_id: int) -> dict[str, bool]:
        """The guild's choices (empty: every document)."""
        return dict(self._cache.get(guild_id, {}))

    async def set(self, guild_id: int, name: str, enabled: bool | None) -> None:
        """Turn ``name`` on or off (``None``: back to the default) for the guild."""
        await self.storage.set_document_choice(guild_id, name, enabled)
        choices = self._cache.setdefault(guild_id, {})
        if enabled is None:
            choices.pop(name, None)
        else:
            choices[name] = enabled

    async def clear(self, guild_id: int) -> int:
        """Forget the guild's choices; returns how many there were."""
        count: int = await self.storage.clear_document_choices(guild_id)
        self._cache.pop(guild_id, None)
        return count

    def allowed(self, library: Library, guild_id: int | None, roots: Any) -> frozenset[str] | None:
        """The ids the guild sees in ``library`` (``None``: all; no guild: all)."""
        if guild_id is None:
            return None
        return visible_documents(library.corpus, self._cache.get(guild_id, {}), list(roots))


def choices_of(bot: CorpusBot) -> DocumentChoices | None:
    """The bot's :class:`DocumentChoices`, or ``None`` when the ``/documents`` cog is not loaded."""
    cog: Any = bot.get_cog(COG_NAME)
    return None if cog is None else cog.choices


def allowed_for(
    bot: CorpusBot, guild_id: int | None, library: Library | None = None
) -> frozenset[str] | None:
    """The document ids a command in ``guild_id`` may use (``None``: every document)."""
    choices = choices_of(bot)
    if choices is None:
        return None
    return choices.allowed(library or bot.library, guild_id, bot.settings.corpus.paths)


def document_autocomplete(
    bot: CorpusBot, guild_id: int | None, current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete for a command's ``document`` option: the documents the guild sees (its
    choice, :func:`allowed_for`) that match what was typed, as Discord choices."""
    library = bot.library
    allowed = allowed_for(bot, guild_id, library)
    return render.choices(library.document_choices(current, allowed=allowed))

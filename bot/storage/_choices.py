"""Each server's choice of documents: which documents and collections (folders) it has turned off.

A choice is ``(name, enabled)`` for a guild, where ``name`` is a document id or
``collection:<folder>``; no row means the default (on). See
:func:`bot.core.sources.visible_documents` for how choices combine.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from bot.storage._stamps import stamp_text, utc_now


@runtime_checkable
class DocumentChoiceStorage(Protocol):
    """What :class:`~bot.storage.Storage` keeps of each server's document choice."""

    async def document_choices(self, guild_id: int) -> dict[str, bool]:
        """The guild's choices: ``{name: enabled}`` (documents and ``collection:`` names)."""

    async def set_document_choice(self, guild_id: int, name: str, enabled: bool | None) -> None:
        """Turn ``name`` on or off for the guild; ``None`` forgets the choice (the default)."""

    async def clear_document_choices(self, guild_id: int) -> int:
        """Forget every choice of the guild; returns how many there were."""

    async def all_document_choices(self) -> dict[int, dict[str, bool]]:
        """Every guild's choices (loaded once at start-up)."""


class DocumentChoiceSQL:
    """:class:`DocumentChoiceStorage` over SQL, mixed into :class:`~bot.storage._sql.SQLStorage`."""

    @abstractmethod
    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...

    @abstractmethod
    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    async def document_choices(self, guild_id: int) -> dict[str, bool]:
        rows = await self._rows(
            "SELECT name, enabled FROM guild_documents WHERE guild_id = ? ORDER BY name",
            (guild_id,),
        )
        return {str(row[0]): bool(row[1]) for row in rows}

    async def set_document_choice(self, guild_id: int, name: str, enabled: bool | None) -> None:
        if enabled is None:
            await self._write(
                "DELETE FROM guild_documents WHERE guild_id = ? AND name = ?", (guild_id, name)
            )
            return
        await self._write(
            "INSERT INTO guild_documents (guild_id, name, enabled, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, name) DO UPDATE SET "
            "enabled = excluded.enabled, updated_at = excluded.updated_at",
            (guild_id, name, int(enabled), stamp_text(utc_now())),
        )

    async def clear_document_choices(self, guild_id: int) -> int:
        return await self._write("DELETE FROM guild_documents WHERE guild_id = ?", (guild_id,))

    async def all_document_choices(self) -> dict[int, dict[str, bool]]:
        rows = await self._rows("SELECT guild_id, name, enabled FROM guild_documents")
        found: dict[int, dict[str, bool]] = {}
        for guild_id, name, enabled in rows:
            found.setdefault(int(guild_id), {})[str(name)] = bool(enabled)
        return found


class DocumentChoiceMemory:
    """:class:`DocumentChoiceStorage` in memory, mixed into :class:`~bot.storage.MemoryStorage`."""

    def _choices(self) -> dict[int, dict[str, bool]]:
        state: Any = self.__dict__.setdefault("_document_choices", {})
        return state  # type: ignore[no-any-return]

    async def document_choices(self, guild_id: int) -> dict[str, bool]:
        return dict(sorted(self._choices().get(guild_id, {}).items()))

    async def set_document_choice(self, guild_id: int, name: str, enabled: bool | None) -> None:
        choices = self._choices().setdefault(guild_id, {})
        if enabled is None:
            choices.pop(name, None)
        else:
            choices[name] = enabled

    async def clear_document_choices(self, guild_id: int) -> int:
        return len(self._choices().pop(guild_id, {}))

    async def all_document_choices(self) -> dict[int, dict[str, bool]]:
        return {guild: dict(choices) for guild, choices in self._choices().items() if choices}

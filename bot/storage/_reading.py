"""Reading-club state: each server's club and the instalments posted, for every backend.

The same exactly-once policy as daily posts (see :mod:`bot.storage`): an instalment for
``(guild, local_date)`` is claimed with its nonce in one ``INSERT`` before it is sent (the
primary key decides races between tasks and processes), then marked ``sent`` with the message
id, or ``failed``/``unknown``. A club's ``next_day`` advances when an instalment is sent; a
crash between the two writes is repaired by readers taking the later of ``next_day`` and the
last sent day + 1 (:func:`effective_next_day`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any, Protocol, runtime_checkable

from bot.core.reading import ReadingClub
from bot.storage._stamps import parse_stamp, stamp_text, utc_now

#: Statuses of an instalment post (a subset of the daily post's).
PENDING, SENT, FAILED, UNKNOWN = "pending", "sent", "failed", "unknown"


@dataclass(frozen=True, slots=True)
class ReadingPost:
    """One claimed instalment post."""

    guild_id: int
    local_date: date
    day: int
    channel_id: int
    status: str
    nonce: str
    claimed_at: datetime
    message_id: int | None = None
    error: str | None = None


@runtime_checkable
class ReadingStorage(Protocol):
    """The reading-club part of :class:`~bot.storage.Storage`."""

    async def get_reading_club(self, guild_id: int) -> ReadingClub | None:
        """The server's club, or ``None``."""

    async def set_reading_club(self, club: ReadingClub) -> None:
        """Insert or replace the server's club (a new document starts over: its posts stay)."""

    async def update_reading_club(
        self, guild_id: int, *, next_day: int | None = None, paused: bool | None = None
    ) -> bool:
        """Change a club's next instalment or pause flag. ``False`` if the server has none."""

    async def delete_reading_club(self, guild_id: int) -> bool:
        """End the server's club. ``False`` if it had none."""

    async def all_reading_clubs(self) -> list[ReadingClub]:
        """Every club, ordered by guild id."""

    async def last_reading_post(self, guild_id: int) -> ReadingPost | None:
        """The server's instalment post with the latest local date, or ``None``."""

    async def last_sent_reading_day(self, guild_id: int) -> int:
        """The highest instalment day the server's club has sent (0 before any)."""

    async def claim_reading_post(
        self, guild_id: int, local_date: date, day: int, channel_id: int, nonce: str, now: datetime
    ) -> bool:
        """Atomically claim the date for instalment ``day``: ``True`` if this caller may send."""

    async def finish_reading_post(
        self,
        guild_id: int,
        local_date: date,
        status: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """Record the outcome of a claimed post; a ``sent`` one advances the club's next day."""


def _club(row: Any) -> ReadingClub:
    return ReadingClub(
        guild_id=row[0],
        channel_id=row[1],
        document_id=row[2],
        time=time.fromisoformat(row[3]),
        timezone=row[4],
        size=row[5],
        thread=bool(row[6]),
        next_day=row[7],
        paused=bool(row[8]),
    )


def _post(row: Any) -> ReadingPost:
    return ReadingPost(
        guild_id=row[0],
        local_date=date.fromisoformat(row[1]),
        day=row[2],
        channel_id=row[3],
        status=row[4],
        nonce=row[5],
        claimed_at=parse_stamp(row[6]),
        message_id=row[7],
        error=row[8],
    )


_CLUB = "guild_id, channel_id, document_id, local_time, timezone, size, thread, next_day, paused"
_POST = "guild_id, local_date, day, channel_id, status, nonce, claimed_at, message_id, error"


class ReadingSQL:
    """:class:`ReadingStorage` over SQL, mixed into :class:`~bot.storage._sql.SQLStorage`."""

    @abstractmethod
    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...

    @abstractmethod
    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    async def get_reading_club(self, guild_id: int) -> ReadingClub | None:
        rows = await self._rows(
            f"SELECT {_CLUB} FROM reading_clubs WHERE guild_id = ?", (guild_id,)
        )
        return _club(rows[0]) if rows else None

    async def set_reading_club(self, club: ReadingClub) -> None:
        await self._write(
            f"INSERT INTO reading_clubs ({_CLUB}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
            "document_id = excluded.document_id, local_time = excluded.local_time, "
            "timezone = excluded.timezone, size = excluded.size, thread = excluded.thread, "
            "next_day = excluded.next_day, paused = excluded.paused, "
            "updated_at = excluded.updated_at",
            (
                club.guild_id,
                club.channel_id,
                club.document_id,
                club.time.isoformat(),
                club.timezone,
                club.size,
                int(club.thread),
                club.next_day,
                int(club.paused),
                stamp_text(utc_now()),
            ),
        )
        # a new club starts its count of sent days afresh
        await self._write(
            "DELETE FROM reading_posts WHERE guild_id = ? AND status <> ?", (club.guild_id, PENDING)
        )

    async def update_reading_club(
        self, guild_id: int, *, next_day: int | None = None, paused: bool | None = None
    ) -> bool:
        club = await self.get_reading_club(guild_id)
        if club is None:
            return False
        await self._write(
            "UPDATE reading_clubs SET next_day = ?, paused = ? WHERE guild_id = ?",
            (
                club.next_day if next_day is None else next_day,
                int(club.paused if paused is None else paused),
                guild_id,
            ),
        )
        return True

    async def delete_reading_club(self, guild_id: int) -> bool:
        return await self._write("DELETE FROM reading_clubs WHERE guild_id = ?", (guild_id,)) > 0

    async def all_reading_clubs(self) -> list[ReadingClub]:
        return [
            _club(r)
            for r in await self._rows(f"SELECT {_CLUB} FROM reading_clubs ORDER BY guild_id")
        ]

    async def last_reading_post(self, guild_id: int) -> ReadingPost | None:
        rows = await self._rows(
            f"SELECT {_POST} FROM reading_posts WHERE guild_id = ? ORDER BY local_date DESC LIMIT 1",
            (guild_id,),
        )
        return _post(rows[0]) if rows else None

    async def last_sent_reading_day(self, guild_id: int) -> int:
        rows = await self._rows(
            "SELECT MAX(day) FROM reading_posts WHERE guild_id = ? AND status = ?", (guild_id, SENT)
        )
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    async def claim_reading_post(
        self, guild_id: int, local_date: date, day: int, channel_id: int, nonce: str, now: datetime
    ) -> bool:
        changed = await self._write(
            f"INSERT INTO reading_posts ({_POST}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL) "
            "ON CONFLICT (guild_id, local_date) DO NOTHING",
            (guild_id, local_date.isoformat(), day, channel_id, PENDING, nonce, stamp_text(now)),
        )
        return changed > 0

    async def finish_reading_post(
        self,
        guild_id: int,
        local_date: date,
        status: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        await self._write(
            "UPDATE reading_posts SET status = ?, message_id = ?, error = ? "
            "WHERE guild_id = ? AND local_date = ?",
            (status, message_id, error, guild_id, local_date.isoformat()),
        )
        if status == SENT:
            await self._write(
                "UPDATE reading_clubs SET next_day = (SELECT day FROM reading_posts "
                "WHERE guild_id = ? AND local_date = ?) + 1 WHERE guild_id = ?",
                (guild_id, local_date.isoformat(), guild_id),
            )


class ReadingMemory:
    """:class:`ReadingStorage` in memory, mixed into :class:`~bot.storage.MemoryStorage`."""

    def _reading(self) -> tuple[dict[int, ReadingClub], dict[int, dict[date, ReadingPost]]]:
        state: Any = self.__dict__.setdefault("_reading_state", ({}, {}))
        return state  # type: ignore[no-any-return]

    async def get_reading_club(self, guild_id: int) -> ReadingClub | None:
        return self._reading()[0].get(guild_id)

    async def set_reading_club(self, club: ReadingClub) -> None:
        clubs, posts = self._reading()
        clubs[club.guild_id] = club
        kept = {d: p for d, p in posts.get(club.guild_id, {}).items() if p.status == PENDING}
        posts[club.guild_id] = kept

    async def update_reading_club(
        self, guild_id: int, *, next_day: int | None = None, paused: bool | None = None
    ) -> bool:
        clubs = self._reading()[0]
        club = clubs.get(guild_id)
        if club is None:
            return False
        clubs[guild_id] = replace(
            club,
            next_day=club.next_day if next_day is None else next_day,
            paused=club.paused if paused is None else paused,
        )
        return True

    async def delete_reading_club(self, guild_id: int) -> bool:
        return self._reading()[0].pop(guild_id, None) is not None

    async def all_reading_clubs(self) -> list[ReadingClub]:
        clubs = self._reading()[0]
        return [clubs[g] for g in sorted(clubs)]

    async def last_reading_post(self, guild_id: int) -> ReadingPost | None:
        posts = self._reading()[1].get(guild_id, {})
        return posts[max(posts)] if posts else None

    async def last_sent_reading_day(self, guild_id: int) -> int:
        posts = self._reading()[1].get(guild_id, {}).values()
        return max((p.day for p in posts if p.status == SENT), default=0)

    async def claim_reading_post(
        self, guild_id: int, local_date: date, day: int, channel_id: int, nonce: str, now: datetime
    ) -> bool:
        posts = self._reading()[1].setdefault(guild_id, {})
        if local_date in posts:
            return False
        posts[local_date] = ReadingPost(guild_id, local_date, day, channel_id, PENDING, nonce, now)
        return True

    async def finish_reading_post(
        self,
        guild_id: int,
        local_date: date,
        status: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        clubs, posts = self._reading()
        post = posts.get(guild_id, {}).get(local_date)
        if post is None:
            return
        posts[guild_id][local_date] = replace(
            post, status=status, message_id=message_id, error=error
        )
        club = clubs.get(guild_id)
        if status == SENT and club is not None:
            clubs[guild_id] = replace(club, next_day=post.day + 1)


async def effective_next_day(storage: ReadingStorage, club: ReadingClub) -> int:
    """The instalment the club's next post brings: its ``next_day``, or one past the last sent
    day when a crash left ``next_day`` behind."""
    return max(club.next_day, await storage.last_sent_reading_day(club.guild_id) + 1)

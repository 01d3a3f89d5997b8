"""The queries every SQL backend shares: one text per operation, ``?`` placeholders.

A backend subclasses :class:`SQLStorage` and supplies three primitives (:meth:`~SQLStorage._rows`,
:meth:`~SQLStorage._write`, :meth:`~SQLStorage.close`); each statement is atomic on its own
(autocommit), so no multi-statement transaction is ever held open on a shared connection. The
claim of a post is one ``INSERT ... ON CONFLICT`` statement: the primary key ``(guild_id,
local_date)`` decides races between tasks, processes and machines (see :mod:`bot.storage`).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from bot.core.daily import DailySchedule
from bot.storage._choices import DocumentChoiceSQL
from bot.storage._reading import ReadingSQL
from bot.storage._records import (
    USED_STATUSES,
    DailyStatus,
    GuildStatus,
    PostRecord,
    PostStatus,
    ScheduleReads,
    ScheduleRecord,
    failure_status,
)
from bot.storage._stamps import parse_stamp, stamp_text, utc_now

_POST_COLUMNS = (
    "guild_id, local_date, quote_key, cycle, channel_id, status, nonce, claimed_at, attempts, "
    "message_id, posted_at, error"
)
_SCHEDULE_COLUMNS = (
    "guild_id, channel_id, local_time, timezone, mention_role_id, documents, enabled, source, "
    "updated_at"
)


def _post(row: Any) -> PostRecord:
    return PostRecord(
        guild_id=row[0],
        local_date=date.fromisoformat(row[1]),
        quote_key=row[2],
        cycle=row[3],
        channel_id=row[4],
        status=PostStatus(row[5]),
        nonce=row[6],
        claimed_at=parse_stamp(row[7]),
        attempts=row[8],
        message_id=row[9],
        posted_at=parse_stamp(row[10]),
        error=row[11],
    )


def _schedule_record(row: Any) -> ScheduleRecord:
    schedule = DailySchedule(
        guild_id=row[0],
        channel_id=row[1],
        time=time.fromisoformat(row[2]),
        timezone=row[3],
        mention_role_id=row[4],
        documents=tuple(json.loads(row[5])),
    )
    return ScheduleRecord(
        schedule=schedule, enabled=bool(row[6]), source=row[7], updated_at=parse_stamp(row[8])
    )


class SQLStorage(ReadingSQL, DocumentChoiceSQL, ScheduleReads, ABC):
    """:class:`~bot.storage.Storage` over SQL; subclasses provide the connection."""

    NOW_SQL = "((julianday('now') - 2440587.5) * 86400.0)"
    """The database clock in Unix seconds (a subclass for another dialect replaces it)."""
    GREATEST_SQL = "MAX"
    """The two-argument maximum function (``MAX`` in SQLite, ``GREATEST`` in PostgreSQL)."""

    @abstractmethod
    async def close(self) -> None:
        """Release the connection. The object is unusable afterwards."""

    @abstractmethod
    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a query (``?`` placeholders) and return every row (indexable by position)."""

    @abstractmethod
    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement (``?`` placeholders), atomically; return the rows changed."""

    @abstractmethod
    async def schema_version(self) -> int:
        """The number of migrations applied (``len(MIGRATIONS)`` once open)."""

    async def _row(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self._rows(sql, params)
        return rows[0] if rows else None

    async def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self._row(sql, params)
        return None if row is None else row[0]

    # -- metadata ---------------------------------------------------------------------------
    async def get_meta(self, key: str) -> str | None:
        value = await self._scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    async def set_meta(self, key: str, value: str) -> None:
        await self._write(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- schedules --------------------------------------------------------------------------
    async def get_schedule_record(self, guild_id: int) -> ScheduleRecord | None:
        row = await self._row(
            f"SELECT {_SCHEDULE_COLUMNS} FROM schedules WHERE guild_id = ?", (guild_id,)
        )
        return None if row is None else _schedule_record(row)

    async def set_schedule(
        self, schedule: DailySchedule, *, source: str = "command", at: datetime | None = None
    ) -> None:
        stamp = stamp_text(at or utc_now())
        # Two single statements (each atomic): a crash between them leaves the old schedule
        # with no status, which is harmless; no multi-statement transaction on the shared
        # connection that other tasks' statements could fall into.
        await self._write("DELETE FROM guild_status WHERE guild_id = ?", (schedule.guild_id,))
        await self._write(
            f"INSERT INTO schedules ({_SCHEDULE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
            "local_time = excluded.local_time, timezone = excluded.timezone, "
            "mention_role_id = excluded.mention_role_id, documents = excluded.documents, "
            "enabled = 1, source = excluded.source, updated_at = excluded.updated_at",
            (
                schedule.guild_id,
                schedule.channel_id,
                schedule.time.isoformat(),
                schedule.timezone,
                schedule.mention_role_id,
                json.dumps(list(schedule.documents)),
                source,
                stamp,
            ),
        )

    async def disable_schedule(self, guild_id: int, *, at: datetime | None = None) -> bool:
        changed = await self._write(
            "UPDATE schedules SET enabled = 0, updated_at = ? WHERE guild_id = ?",
            (stamp_text(at or utc_now()), guild_id),
        )
        return changed > 0

    async def all_schedule_records(self) -> list[ScheduleRecord]:
        rows = await self._rows(f"SELECT {_SCHEDULE_COLUMNS} FROM schedules ORDER BY guild_id")
        return [_schedule_record(row) for row in rows]

    # -- posts ------------------------------------------------------------------------------
    async def last_post(self, guild_id: int) -> PostRecord | None:
        row = await self._row(
            f"SELECT {_POST_COLUMNS} FROM posts WHERE guild_id = ? "
            "ORDER BY local_date DESC LIMIT 1",
            (guild_id,),
        )
        return None if row is None else _post(row)

    async def get_post(self, guild_id: int, local_date: date) -> PostRecord | None:
        row = await self._row(
            f"SELECT {_POST_COLUMNS} FROM posts WHERE guild_id = ? AND local_date = ?",
            (guild_id, local_date.isoformat()),
        )
        return None if row is None else _post(row)

    async def claim_post(
        self,
        guild_id: int,
        local_date: date,
        quote_key: str,
        channel_id: int,
        now: datetime,
        *,
        cycle: int = 0,
        nonce: str | None = None,
    ) -> bool:
        # One statement: the primary key decides the race; only a 'retry' row is taken over.
        changed = await self._write(
            f"INSERT INTO posts ({_POST_COLUMNS}) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, 1, "
            "NULL, NULL, NULL) "
            "ON CONFLICT (guild_id, local_date) DO UPDATE SET status = 'pending', "
            "quote_key = excluded.quote_key, cycle = excluded.cycle, "
            "channel_id = excluded.channel_id, claimed_at = excluded.claimed_at, "
            "nonce = COALESCE(posts.nonce, excluded.nonce), attempts = posts.attempts + 1, "
            "error = NULL WHERE posts.status = 'retry'",
            (
                guild_id,
                local_date.isoformat(),
                quote_key,
                cycle,
                channel_id,
                nonce,
                stamp_text(now),
            ),
        )
        return changed > 0

    async def complete_post(
        self, guild_id: int, local_date: date, message_id: int, posted_at: datetime
    ) -> None:
        await self._write(
            "UPDATE posts SET status = 'sent', message_id = ?, posted_at = ?, error = NULL "
            "WHERE guild_id = ? AND local_date = ?",
            (message_id, stamp_text(posted_at), guild_id, local_date.isoformat()),
        )

    async def fail_post(
        self, guild_id: int, local_date: date, status: PostStatus | str, error: str
    ) -> None:
        await self._write(
            "UPDATE posts SET status = ?, error = ? WHERE guild_id = ? AND local_date = ?",
            (failure_status(status).value, error, guild_id, local_date.isoformat()),
        )

    async def release_post(self, guild_id: int, local_date: date, reason: str) -> bool:
        key = (guild_id, local_date.isoformat())
        deleted = await self._write(
            "DELETE FROM posts WHERE guild_id = ? AND local_date = ? AND status = 'pending' "
            "AND attempts <= 1",
            key,
        )
        if deleted:
            return True
        changed = await self._write(
            "UPDATE posts SET status = 'retry', attempts = attempts - 1, error = ? "
            "WHERE guild_id = ? AND local_date = ? AND status = 'pending'",
            (reason, *key),
        )
        return changed > 0

    async def record_post(
        self,
        guild_id: int,
        local_date: date,
        quote_key: str,
        channel_id: int,
        message_id: int,
        posted_at: datetime,
        *,
        cycle: int | None = None,
    ) -> bool:
        if cycle is None:
            cycle = await self.current_cycle(guild_id)
        stamp = stamp_text(posted_at)
        changed = await self._write(
            f"INSERT INTO posts ({_POST_COLUMNS}) VALUES (?, ?, ?, ?, ?, 'sent', NULL, ?, 1, ?, "
            "?, NULL) ON CONFLICT (guild_id, local_date) DO NOTHING",
            (
                guild_id,
                local_date.isoformat(),
                quote_key,
                cycle,
                channel_id,
                stamp,
                message_id,
                stamp,
            ),
        )
        return changed > 0

    async def current_cycle(self, guild_id: int) -> int:
        marks = ",".join("?" * len(USED_STATUSES))
        value = await self._scalar(
            f"SELECT MAX(cycle) FROM posts WHERE guild_id = ? AND status IN ({marks})",
            (guild_id, *[s.value for s in USED_STATUSES]),
        )
        return int(value) if value is not None else 0

    async def used_quote_keys(self, guild_id: int, cycle: int) -> set[str]:
        marks = ",".join("?" * len(USED_STATUSES))
        rows = await self._rows(
            f"SELECT quote_key FROM posts WHERE guild_id = ? AND cycle = ? AND status IN ({marks})",
            (guild_id, cycle, *[s.value for s in USED_STATUSES]),
        )
        return {str(row[0]) for row in rows}

    # -- guild status -----------------------------------------------------------------------
    async def set_status(
        self,
        guild_id: int,
        status: DailyStatus | str,
        detail: str,
        at: datetime,
        *,
        channel_id: int | None = None,
        local_date: date | None = None,
    ) -> None:
        await self._write(
            "INSERT INTO guild_status (guild_id, status, detail, at, channel_id, local_date) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET status = excluded.status, "
            "detail = excluded.detail, at = excluded.at, channel_id = excluded.channel_id, "
            "local_date = excluded.local_date",
            (
                guild_id,
                DailyStatus(status).value,
                detail,
                stamp_text(at),
                channel_id,
                local_date.isoformat() if local_date else None,
            ),
        )

    async def get_status(self, guild_id: int) -> GuildStatus | None:
        row = await self._row(
            "SELECT guild_id, status, detail, at, channel_id, local_date FROM guild_status "
            "WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return None
        return GuildStatus(
            guild_id=row[0],
            status=DailyStatus(row[1]),
            detail=row[2],
            at=parse_stamp(row[3]),
            channel_id=row[4],
            local_date=date.fromisoformat(row[5]) if row[5] else None,
        )

    # -- gateway ----------------------------------------------------------------------------
    async def reserve_identify(self, bucket: int, interval: float) -> float:
        now = self.NOW_SQL
        row = await self._row(
            "INSERT INTO identify_slots (bucket, next_at) VALUES (?, "
            f"{now} + ?) ON CONFLICT (bucket) DO UPDATE SET next_at = "
            f"{self.GREATEST_SQL}(identify_slots.next_at, {now}) + ? "
            f"RETURNING next_at - ? - {now}",
            (bucket, float(interval), float(interval), float(interval)),
        )
        return max(float(row[0]), 0.0) if row is not None else 0.0

    # -- /quote -----------------------------------------------------------------------------
    async def last_quote_key(self, channel_id: int) -> str | None:
        value = await self._scalar(
            "SELECT quote_key FROM channel_last_quote WHERE channel_id = ?", (channel_id,)
        )
        return None if value is None else str(value)

    async def set_last_quote_key(self, channel_id: int, key: str) -> None:
        await self._write(
            "INSERT INTO channel_last_quote (channel_id, quote_key) VALUES (?, ?) "
            "ON CONFLICT (channel_id) DO UPDATE SET quote_key = excluded.quote_key",
            (channel_id, key),
        )

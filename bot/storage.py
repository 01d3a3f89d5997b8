"""Per-guild state: daily schedules, the posts made, guild status, small key/value metadata.

Everything goes through the :class:`Storage` protocol, so a PostgreSQL implementation can be
added without touching cogs or the scheduler. :class:`SQLiteStorage` is the default: one file,
WAL journal, ``synchronous=FULL`` (a claim is on disk before the message is sent), and a schema
versioned with ``PRAGMA user_version`` and the ordered :data:`MIGRATIONS`.

Exactly-once policy for daily posts
-----------------------------------
A post for ``(guild, local_date)`` is *claimed* before it is sent: :meth:`Storage.claim_post`
inserts a ``pending`` row in one statement, and the primary key ``(guild_id, local_date)`` makes
the claim atomic across tasks and processes (the loser gets ``False`` and does not send). The
claim stores the Discord message nonce. After the send the row becomes ``sent`` (with the
message id) or a failure status. Statuses (:class:`PostStatus`):

``pending``  claimed; the send is in flight, or the process died before recording its result.
``sent``     delivered; ``message_id`` and ``posted_at`` are set.
``retry``    transient failures (429/5xx) exhausted this attempt; the date may be claimed again.
``failed``   permanent failure for that date (403, 404, an unexpected error); not retried.
``unknown``  a send whose result is unknown (a crash, a timeout) and that is too old to resend
             safely: it may or may not have been delivered, and it is never sent again.

A claim whose send certainly created no message and that must not cost the date its post (a
``/daily now`` in a channel where the bot may not post) is *released*
(:meth:`Storage.release_post`): the row is deleted, or returned to ``retry`` if it had been
claimed before, so the scheduled post can still claim the date.

A crash between the send and the record leaves a ``pending`` row; a send that timed out or lost
its connection leaves one too. The scheduler resends it with the *same* nonce, in the channel
stored with the claim (Discord deduplicates a nonce only within one channel), while Discord still
deduplicates it (``enforce_nonce``: a repeat within a few minutes returns the existing message
instead of creating one); after that window the row is marked ``unknown`` and never resent: at
most once, never twice.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import aiosqlite

from bot.core.daily import DailySchedule

__all__ = [
    "MIGRATIONS",
    "USED_STATUSES",
    "GuildStatus",
    "MemoryStorage",
    "PostRecord",
    "PostStatus",
    "SQLiteStorage",
    "ScheduleRecord",
    "Storage",
]


class PostStatus(StrEnum):
    """State of one ``(guild, local_date)`` post (see the module docstring)."""

    PENDING = "pending"
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"


USED_STATUSES: tuple[PostStatus, ...] = (PostStatus.SENT, PostStatus.PENDING, PostStatus.UNKNOWN)
"""Posts whose quote counts as used in its cycle (it was, or may have been, seen)."""


@dataclass(frozen=True, slots=True)
class PostRecord:
    """One row of the post history.

    Attributes:
        guild_id, channel_id: where the post went (or was meant to go).
        local_date: the guild-local date the post is for.
        quote_key: the quote's stable key (``quote_key(q)`` of :mod:`bot.core.quotes`).
        cycle: number of the quote cycle (0-based) the quote belongs to.
        status: a :class:`PostStatus`.
        nonce: the Discord message nonce used for the send (``None`` for imported rows).
        claimed_at: aware UTC instant of the (latest) claim.
        attempts: how many times the date was claimed (retries after ``retry`` add one).
        message_id: the Discord message id once sent.
        posted_at: aware UTC instant of the successful send.
        error: why the post failed, for logs and ``/daily show``.
    """

    guild_id: int
    local_date: date
    quote_key: str
    cycle: int
    channel_id: int
    status: PostStatus
    nonce: str | None
    claimed_at: datetime
    attempts: int = 1
    message_id: int | None = None
    posted_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    """A stored schedule with its bookkeeping.

    Attributes:
        schedule: the schedule itself.
        enabled: ``False`` after ``/daily off`` or when its channel was deleted.
        source: ``"command"`` (set with ``/daily set``) or ``"config"`` (from ``config.yaml``).
        updated_at: aware UTC instant of the last change.
    """

    schedule: DailySchedule
    enabled: bool
    source: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class GuildStatus:
    """What ``/daily show`` reports about the guild's daily post.

    Attributes:
        status: a code (``bot.scheduler.STATUS_*``): ``"ok"``, ``"paused"`` (a permission is
            missing), ``"channel_missing"``, ``"failing"``, ``"no_quotes"``.
        detail: the fact behind the code, not a sentence: the missing permission's name
            (``"Send Messages"``), Discord's error, or the core's message (``""`` for ``ok``).
            :func:`bot.render.status_text` turns a status into words for ``/daily show``.
        at: aware UTC instant the status was set.
        channel_id: the channel of the post the status is about, or ``None`` (and then, in rows
            written before schema version 2, ``detail`` is a whole sentence).
        local_date: the guild's local date of that post, or ``None``.
    """

    guild_id: int
    status: str
    detail: str
    at: datetime
    channel_id: int | None = None
    local_date: date | None = None


@runtime_checkable
class Storage(Protocol):
    """The storage interface used by cogs, the client and :class:`~bot.scheduler.DailyScheduler`.

    All instants are aware datetimes (stored as UTC); all ids are Discord snowflakes (``int``).
    """

    async def close(self) -> None:
        """Release the connection. The object is unusable afterwards."""

    # -- metadata ---------------------------------------------------------------------------
    async def get_meta(self, key: str) -> str | None:
        """A small piece of process metadata (e.g. the command-tree fingerprint), or ``None``."""

    async def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (replacing any previous value)."""

    # -- schedules --------------------------------------------------------------------------
    async def get_schedule(self, guild_id: int) -> DailySchedule | None:
        """The guild's *enabled* schedule, or ``None``."""

    async def get_schedule_record(self, guild_id: int) -> ScheduleRecord | None:
        """The guild's schedule whether enabled or not, with its bookkeeping, or ``None``."""

    async def set_schedule(
        self, schedule: DailySchedule, *, source: str = "command", at: datetime | None = None
    ) -> None:
        """Insert or replace the guild's schedule, enabled; clears the guild's status."""

    async def disable_schedule(self, guild_id: int, *, at: datetime | None = None) -> bool:
        """Disable the guild's schedule (kept for ``/daily show``). ``False`` if it had none."""

    async def all_schedules(self) -> list[DailySchedule]:
        """Every enabled schedule, ordered by guild id."""

    async def all_schedule_records(self) -> list[ScheduleRecord]:
        """Every stored schedule, enabled or not, ordered by guild id."""

    # -- posts ------------------------------------------------------------------------------
    async def last_post(self, guild_id: int) -> PostRecord | None:
        """The guild's post row with the latest local date (any status), or ``None``."""

    async def get_post(self, guild_id: int, local_date: date) -> PostRecord | None:
        """The row for ``(guild_id, local_date)``, or ``None``."""

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
        """Atomically claim the date: ``True`` if this caller may send, ``False`` if claimed.

        A row in status ``retry`` may be claimed again (its nonce is kept, ``attempts`` grows);
        any other existing row makes the claim fail.
        """

    async def complete_post(
        self, guild_id: int, local_date: date, message_id: int, posted_at: datetime
    ) -> None:
        """Mark the claimed date ``sent`` with the message id."""

    async def fail_post(
        self, guild_id: int, local_date: date, status: PostStatus | str, error: str
    ) -> None:
        """Mark the claimed date ``retry``, ``failed`` or ``unknown`` with a reason."""

    async def release_post(self, guild_id: int, local_date: date, reason: str) -> bool:
        """Undo a claim whose send certainly created no message, so the date can be claimed again.

        Only a ``pending`` row is touched: after its first claim it is deleted; after a re-claim
        (``attempts > 1``) it goes back to ``retry`` with one attempt fewer and ``reason`` as its
        error. Returns ``True`` if a row was released, ``False`` if there was no pending row.
        """

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
        """Record an already made post as ``sent`` in one step. ``False`` if the date is taken."""

    async def current_cycle(self, guild_id: int) -> int:
        """The guild's current quote cycle number (0 before any post)."""

    async def used_quote_keys(self, guild_id: int, cycle: int) -> set[str]:
        """Quote keys used (see :data:`USED_STATUSES`) by the guild in ``cycle``."""

    # -- guild status -----------------------------------------------------------------------
    async def set_status(
        self,
        guild_id: int,
        status: str,
        detail: str,
        at: datetime,
        *,
        channel_id: int | None = None,
        local_date: date | None = None,
    ) -> None:
        """Set the guild's daily-post status (one per guild; see :class:`GuildStatus`)."""

    async def get_status(self, guild_id: int) -> GuildStatus | None:
        """The guild's daily-post status, or ``None`` if nothing was recorded."""

    # -- /quote -----------------------------------------------------------------------------
    async def last_quote_key(self, channel_id: int) -> str | None:
        """The key of the last quote ``/quote`` showed in the channel, or ``None``."""

    async def set_last_quote_key(self, channel_id: int, key: str) -> None:
        """Remember the last quote shown in the channel (never the same line twice in a row)."""


MIGRATIONS: Sequence[tuple[str, ...]] = (
    # 1: initial schema
    (
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE schedules (
            guild_id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL,
            local_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            mention_role_id INTEGER,
            documents TEXT NOT NULL DEFAULT '[]',
            enabled INTEGER NOT NULL DEFAULT 1,
            source TEXT NOT NULL DEFAULT 'command',
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE posts (
            guild_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            quote_key TEXT NOT NULL,
            cycle INTEGER NOT NULL DEFAULT 0,
            channel_id INTEGER NOT NULL,
            status TEXT NOT NULL,
            nonce TEXT,
            claimed_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            message_id INTEGER,
            posted_at TEXT,
            error TEXT,
            PRIMARY KEY (guild_id, local_date)
        )""",
        "CREATE INDEX posts_by_cycle ON posts (guild_id, cycle)",
        """CREATE TABLE guild_status (
            guild_id INTEGER PRIMARY KEY,
            status TEXT NOT NULL,
            detail TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE channel_last_quote (
            channel_id INTEGER PRIMARY KEY,
            quote_key TEXT NOT NULL
        )""",
    ),
    # 2: a guild's status names its post's channel and date (render.py words it)
    (
        "ALTER TABLE guild_status ADD COLUMN channel_id INTEGER",
        "ALTER TABLE guild_status ADD COLUMN local_date TEXT",
    ),
)
"""Schema migrations, applied in order; migration ``i`` (1-based) sets ``user_version = i``.
Append new migrations; never edit one that has shipped."""


def _ts(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("instants must be aware datetimes")
    return instant.astimezone(UTC).isoformat()


def _parse_ts(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


_POST_COLUMNS = (
    "guild_id, local_date, quote_key, cycle, channel_id, status, nonce, claimed_at, attempts, "
    "message_id, posted_at, error"
)
_SCHEDULE_COLUMNS = (
    "guild_id, channel_id, local_time, timezone, mention_role_id, documents, enabled, source, "
    "updated_at"
)


def _post(row: Any) -> PostRecord:
    claimed = _parse_ts(row[7])
    assert claimed is not None
    return PostRecord(
        guild_id=row[0],
        local_date=date.fromisoformat(row[1]),
        quote_key=row[2],
        cycle=row[3],
        channel_id=row[4],
        status=PostStatus(row[5]),
        nonce=row[6],
        claimed_at=claimed,
        attempts=row[8],
        message_id=row[9],
        posted_at=_parse_ts(row[10]),
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
    updated = _parse_ts(row[8])
    assert updated is not None
    return ScheduleRecord(
        schedule=schedule, enabled=bool(row[6]), source=row[7], updated_at=updated
    )


class SQLiteStorage:
    """:class:`Storage` on one SQLite file through aiosqlite.

    Open with ``await SQLiteStorage.open(path)``; several instances (or processes) may open the
    same file: WAL lets readers run beside the single writer, and ``busy_timeout`` makes a
    writer wait for the lock instead of failing.
    """

    BUSY_TIMEOUT_MS = 10_000

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        """Use :meth:`open`; this wraps an already configured connection."""
        self._db = db
        self.path = path

    @classmethod
    async def open(cls, path: str | Path) -> SQLiteStorage:
        """Open (creating if needed) the database at ``path`` and apply pending migrations.

        Raises:
            sqlite3.Error: the file is not a database or cannot be written.
        """
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = aiosqlite.connect(str(path), isolation_level=None)
        try:
            db = await connection
        except BaseException:
            # A failed connect queues the worker thread's stop without awaiting it; the thread
            # then reports to this loop. Wait for it while the loop is open, or it prints
            # "RuntimeError: Event loop is closed" after ``asyncio.run`` has returned.
            worker = getattr(connection, "_thread", None)
            if isinstance(worker, threading.Thread) and worker.is_alive():
                await asyncio.to_thread(worker.join, 5.0)
            raise
        try:
            await db.execute(f"PRAGMA busy_timeout = {cls.BUSY_TIMEOUT_MS}")
            await cls._use_wal(db)
            await db.execute("PRAGMA synchronous = FULL")
            storage = cls(db, path)
            await storage._migrate()
        except BaseException:
            await db.close()
            raise
        return storage

    @classmethod
    async def _use_wal(cls, db: aiosqlite.Connection) -> None:
        """Switch the file to WAL. SQLite answers "database is locked" at once (without the busy
        handler) when another connection switches a fresh file at the same moment: retry."""
        delay = 0.01
        deadline = asyncio.get_running_loop().time() + cls.BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                await db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or asyncio.get_running_loop().time() > deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.2)

    async def _migrate(self) -> None:
        for version, statements in enumerate(MIGRATIONS, start=1):
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                row = await self._row("PRAGMA user_version")
                current = int(row[0]) if row else 0
                if current < version:
                    for statement in statements:
                        await self._db.execute(statement)
                    await self._db.execute(f"PRAGMA user_version = {version}")
                await self._db.execute("COMMIT")
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise

    async def schema_version(self) -> int:
        """The database's ``PRAGMA user_version`` (``len(MIGRATIONS)`` once open)."""
        return int(await self._scalar("PRAGMA user_version") or 0)

    async def journal_mode(self) -> str:
        """The journal mode in effect (``"wal"``)."""
        return str(await self._scalar("PRAGMA journal_mode"))

    async def close(self) -> None:
        await self._db.close()

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a query and fetch every row in one trip to the connection's thread."""
        return list(await self._db.execute_fetchall(sql, params))

    async def _row(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self._rows(sql, params)
        return rows[0] if rows else None

    async def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self._row(sql, params)
        return None if row is None else row[0]

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement (atomic on its own in autocommit mode); return the rows changed."""
        cursor = await self._db.execute(sql, params)
        changed = cursor.rowcount
        await cursor.close()
        return changed

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
    async def get_schedule(self, guild_id: int) -> DailySchedule | None:
        record = await self.get_schedule_record(guild_id)
        return record.schedule if record is not None and record.enabled else None

    async def get_schedule_record(self, guild_id: int) -> ScheduleRecord | None:
        row = await self._row(
            f"SELECT {_SCHEDULE_COLUMNS} FROM schedules WHERE guild_id = ?", (guild_id,)
        )
        return None if row is None else _schedule_record(row)

    async def set_schedule(
        self, schedule: DailySchedule, *, source: str = "command", at: datetime | None = None
    ) -> None:
        stamp = _ts(at or _now())
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
            (_ts(at or _now()), guild_id),
        )
        return changed > 0

    async def all_schedules(self) -> list[DailySchedule]:
        return [r.schedule for r in await self.all_schedule_records() if r.enabled]

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
            (guild_id, local_date.isoformat(), quote_key, cycle, channel_id, nonce, _ts(now)),
        )
        return changed > 0

    async def complete_post(
        self, guild_id: int, local_date: date, message_id: int, posted_at: datetime
    ) -> None:
        await self._write(
            "UPDATE posts SET status = 'sent', message_id = ?, posted_at = ?, error = NULL "
            "WHERE guild_id = ? AND local_date = ?",
            (message_id, _ts(posted_at), guild_id, local_date.isoformat()),
        )

    async def fail_post(
        self, guild_id: int, local_date: date, status: PostStatus | str, error: str
    ) -> None:
        status = PostStatus(status)
        if status in (PostStatus.SENT, PostStatus.PENDING):
            raise ValueError(f"fail_post cannot set status {status.value!r}")
        await self._write(
            "UPDATE posts SET status = ?, error = ? WHERE guild_id = ? AND local_date = ?",
            (status.value, error, guild_id, local_date.isoformat()),
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
        stamp = _ts(posted_at)
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
            (guild_id, *USED_STATUSES),
        )
        return int(value) if value is not None else 0

    async def used_quote_keys(self, guild_id: int, cycle: int) -> set[str]:
        marks = ",".join("?" * len(USED_STATUSES))
        rows = await self._rows(
            f"SELECT quote_key FROM posts WHERE guild_id = ? AND cycle = ? AND status IN ({marks})",
            (guild_id, cycle, *USED_STATUSES),
        )
        return {str(row[0]) for row in rows}

    # -- guild status -----------------------------------------------------------------------
    async def set_status(
        self,
        guild_id: int,
        status: str,
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
                status,
                detail,
                _ts(at),
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
        at = _parse_ts(row[3])
        assert at is not None
        return GuildStatus(
            guild_id=row[0],
            status=row[1],
            detail=row[2],
            at=at,
            channel_id=row[4],
            local_date=date.fromisoformat(row[5]) if row[5] else None,
        )

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


class MemoryStorage:
    """:class:`Storage` in process memory: same semantics as :class:`SQLiteStorage`, no file.

    For tests, simulations and dry runs; state is lost when the object is dropped. Several
    schedulers sharing one instance behave like processes sharing one database.
    """

    def __init__(self) -> None:
        self._meta: dict[str, str] = {}
        self._schedules: dict[int, ScheduleRecord] = {}
        self._posts: dict[int, dict[date, PostRecord]] = {}
        self._latest: dict[int, date] = {}
        self._status: dict[int, GuildStatus] = {}
        self._last_quote: dict[int, str] = {}

    async def close(self) -> None:
        return None

    async def get_meta(self, key: str) -> str | None:
        return self._meta.get(key)

    async def set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value

    async def get_schedule(self, guild_id: int) -> DailySchedule | None:
        record = self._schedules.get(guild_id)
        return record.schedule if record is not None and record.enabled else None

    async def get_schedule_record(self, guild_id: int) -> ScheduleRecord | None:
        return self._schedules.get(guild_id)

    async def set_schedule(
        self, schedule: DailySchedule, *, source: str = "command", at: datetime | None = None
    ) -> None:
        stamp = _parse_ts(_ts(at or _now()))
        assert stamp is not None
        self._status.pop(schedule.guild_id, None)
        self._schedules[schedule.guild_id] = ScheduleRecord(schedule, True, source, stamp)

    async def disable_schedule(self, guild_id: int, *, at: datetime | None = None) -> bool:
        record = self._schedules.get(guild_id)
        if record is None:
            return False
        stamp = _parse_ts(_ts(at or _now()))
        assert stamp is not None
        self._schedules[guild_id] = replace(record, enabled=False, updated_at=stamp)
        return True

    async def all_schedules(self) -> list[DailySchedule]:
        return [r.schedule for r in await self.all_schedule_records() if r.enabled]

    async def all_schedule_records(self) -> list[ScheduleRecord]:
        return [self._schedules[g] for g in sorted(self._schedules)]

    async def last_post(self, guild_id: int) -> PostRecord | None:
        latest = self._latest.get(guild_id)
        return None if latest is None else self._posts[guild_id][latest]

    def _note_date(self, guild_id: int, local_date: date) -> None:
        latest = self._latest.get(guild_id)
        if latest is None or local_date > latest:
            self._latest[guild_id] = local_date

    async def get_post(self, guild_id: int, local_date: date) -> PostRecord | None:
        return self._posts.get(guild_id, {}).get(local_date)

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
        stamp = _parse_ts(_ts(now))
        assert stamp is not None
        existing = self._posts.get(guild_id, {}).get(local_date)
        if existing is None:
            self._note_date(guild_id, local_date)
            self._posts.setdefault(guild_id, {})[local_date] = PostRecord(
                guild_id, local_date, quote_key, cycle, channel_id, PostStatus.PENDING, nonce, stamp
            )
            return True
        if existing.status != PostStatus.RETRY:
            return False
        self._posts.setdefault(guild_id, {})[local_date] = replace(
            existing,
            status=PostStatus.PENDING,
            quote_key=quote_key,
            cycle=cycle,
            channel_id=channel_id,
            claimed_at=stamp,
            nonce=existing.nonce if existing.nonce is not None else nonce,
            attempts=existing.attempts + 1,
            error=None,
        )
        return True

    async def complete_post(
        self, guild_id: int, local_date: date, message_id: int, posted_at: datetime
    ) -> None:
        existing = self._posts.get(guild_id, {}).get(local_date)
        if existing is not None:
            self._posts.setdefault(guild_id, {})[local_date] = replace(
                existing,
                status=PostStatus.SENT,
                message_id=message_id,
                posted_at=_parse_ts(_ts(posted_at)),
                error=None,
            )

    async def fail_post(
        self, guild_id: int, local_date: date, status: PostStatus | str, error: str
    ) -> None:
        status = PostStatus(status)
        if status in (PostStatus.SENT, PostStatus.PENDING):
            raise ValueError(f"fail_post cannot set status {status.value!r}")
        existing = self._posts.get(guild_id, {}).get(local_date)
        if existing is not None:
            self._posts.setdefault(guild_id, {})[local_date] = replace(
                existing, status=status, error=error
            )

    async def release_post(self, guild_id: int, local_date: date, reason: str) -> bool:
        posts = self._posts.get(guild_id, {})
        existing = posts.get(local_date)
        if existing is None or existing.status != PostStatus.PENDING:
            return False
        if existing.attempts > 1:
            posts[local_date] = replace(
                existing, status=PostStatus.RETRY, attempts=existing.attempts - 1, error=reason
            )
            return True
        del posts[local_date]
        if posts:
            self._latest[guild_id] = max(posts)
        else:
            self._latest.pop(guild_id, None)
        return True

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
        if local_date in self._posts.get(guild_id, {}):
            return False
        if cycle is None:
            cycle = await self.current_cycle(guild_id)
        stamp = _parse_ts(_ts(posted_at))
        assert stamp is not None
        self._note_date(guild_id, local_date)
        self._posts.setdefault(guild_id, {})[local_date] = PostRecord(
            guild_id,
            local_date,
            quote_key,
            cycle,
            channel_id,
            PostStatus.SENT,
            None,
            stamp,
            message_id=message_id,
            posted_at=stamp,
        )
        return True

    async def current_cycle(self, guild_id: int) -> int:
        cycles = [
            p.cycle for p in self._posts.get(guild_id, {}).values() if p.status in USED_STATUSES
        ]
        return max(cycles, default=0)

    async def used_quote_keys(self, guild_id: int, cycle: int) -> set[str]:
        return {
            p.quote_key
            for p in self._posts.get(guild_id, {}).values()
            if p.cycle == cycle and p.status in USED_STATUSES
        }

    async def set_status(
        self,
        guild_id: int,
        status: str,
        detail: str,
        at: datetime,
        *,
        channel_id: int | None = None,
        local_date: date | None = None,
    ) -> None:
        stamp = _parse_ts(_ts(at))
        assert stamp is not None
        self._status[guild_id] = GuildStatus(
            guild_id, status, detail, stamp, channel_id=channel_id, local_date=local_date
        )

    async def get_status(self, guild_id: int) -> GuildStatus | None:
        return self._status.get(guild_id)

    async def last_quote_key(self, channel_id: int) -> str | None:
        return self._last_quote.get(channel_id)

    async def set_last_quote_key(self, channel_id: int, key: str) -> None:
        self._last_quote[channel_id] = key

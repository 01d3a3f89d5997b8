"""The storage interface: records, enums and the :class:`Storage` protocol every backend meets.

See :mod:`bot.storage` for the exactly-once policy the post statuses implement.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

from bot.core.daily import DailySchedule
from bot.storage._choices import DocumentChoiceStorage
from bot.storage._reading import ReadingStorage


class PostStatus(StrEnum):
    """State of one ``(guild, local_date)`` post (see :mod:`bot.storage`)."""

    PENDING = "pending"
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"


class DailyStatus(StrEnum):
    """A guild's daily-post status (one per guild; :func:`bot.render.status_text` words it)."""

    OK = "ok"
    """The last daily post went out."""
    PAUSED = "paused"
    """A permission is missing (403); the next day is attempted again."""
    CHANNEL_MISSING = "channel_missing"
    """The channel is gone (404); the schedule is disabled until ``/daily set``."""
    FAILING = "failing"
    """Discord kept failing (429/5xx) until the day's attempts or grace window ran out."""
    NO_QUOTES = "no_quotes"
    """The chosen documents have no quotable line."""
    WRONG_GUILD = "wrong_guild"
    """The schedule's channel belongs to another guild (a copy/paste slip in the config):
    nothing was sent; the detail is that other guild's id. The next day is attempted again."""


USED_STATUSES: tuple[PostStatus, ...] = (PostStatus.SENT, PostStatus.PENDING, PostStatus.UNKNOWN)
"""Posts whose quote counts as used in its cycle (it was, or may have been, seen)."""


def failure_status(status: PostStatus | str) -> PostStatus:
    """The status ``fail_post`` may set (``retry``, ``failed`` or ``unknown``).

    Raises:
        ValueError: ``sent`` or ``pending`` (those come from a send or a claim), or no status.
    """
    status = PostStatus(status)
    if status in (PostStatus.SENT, PostStatus.PENDING):
        raise ValueError(f"fail_post cannot set status {status.value!r}")
    return status


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
        status: a :class:`DailyStatus`.
        detail: the fact behind the code, not a sentence: the missing permission's name
            (``"Send Messages"``), Discord's error, or the core's message (``""`` for ``ok``).
            :func:`bot.render.status_text` turns a status into words for ``/daily show``.
        at: aware UTC instant the status was set.
        channel_id: the channel of the post the status is about, or ``None`` (and then, in rows
            written before schema version 2, ``detail`` is a whole sentence).
        local_date: the guild's local date of that post, or ``None``.
    """

    guild_id: int
    status: DailyStatus
    detail: str
    at: datetime
    channel_id: int | None = None
    local_date: date | None = None


class ScheduleReads(ABC):
    """The schedule reads every backend derives the same way from its schedule records."""

    @abstractmethod
    async def get_schedule_record(self, guild_id: int) -> ScheduleRecord | None:
        """The guild's schedule whether enabled or not, with its bookkeeping, or ``None``."""

    @abstractmethod
    async def all_schedule_records(self) -> list[ScheduleRecord]:
        """Every stored schedule, enabled or not, ordered by guild id."""

    async def get_schedule(self, guild_id: int) -> DailySchedule | None:
        """The guild's *enabled* schedule, or ``None``."""
        record = await self.get_schedule_record(guild_id)
        return record.schedule if record is not None and record.enabled else None

    async def all_schedules(self) -> list[DailySchedule]:
        """Every enabled schedule, ordered by guild id."""
        return [r.schedule for r in await self.all_schedule_records() if r.enabled]


@runtime_checkable
class Storage(ReadingStorage, DocumentChoiceStorage, Protocol):
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
        status: DailyStatus | str,
        detail: str,
        at: datetime,
        *,
        channel_id: int | None = None,
        local_date: date | None = None,
    ) -> None:
        """Set the guild's daily-post status (one per guild; see :class:`GuildStatus`)."""

    async def get_status(self, guild_id: int) -> GuildStatus | None:
        """The guild's daily-post status, or ``None`` if nothing was recorded."""

    # -- gateway ----------------------------------------------------------------------------
    async def reserve_identify(self, bucket: int, interval: float) -> float:
        """Reserve the next IDENTIFY slot of rate-limit ``bucket`` (``shard_id %
        max_concurrency``) for every process sharing this storage: returns the seconds to wait
        before identifying; the slot after it starts ``interval`` seconds later. Slots are
        handed out in one atomic statement on the database's clock."""

    # -- /quote -----------------------------------------------------------------------------
    async def last_quote_key(self, channel_id: int) -> str | None:
        """The key of the last quote ``/quote`` showed in the channel, or ``None``."""

    async def set_last_quote_key(self, channel_id: int, key: str) -> None:
        """Remember the last quote shown in the channel (never the same line twice in a row)."""

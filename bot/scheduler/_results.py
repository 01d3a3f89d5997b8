"""What a daily post ends as: :class:`PostResult`, :class:`SendResult` (what the send callback
reports), :class:`PostOutcome`, the ``STATUS_*`` names and the callback types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from bot.core.daily import (
    DailySchedule,
)
from bot.storage import DailyStatus

STATUS_OK = DailyStatus.OK
STATUS_PAUSED = DailyStatus.PAUSED
STATUS_CHANNEL_MISSING = DailyStatus.CHANNEL_MISSING
STATUS_FAILING = DailyStatus.FAILING
STATUS_NO_QUOTES = DailyStatus.NO_QUOTES
STATUS_WRONG_GUILD = DailyStatus.WRONG_GUILD
# (the names above are kept for existing imports; :class:`~bot.storage.DailyStatus` says what
# each means)


class PostResult(StrEnum):
    """What one pass did for one guild (:class:`PostOutcome`; ``render.now_text`` words it)."""

    SENT = "sent"
    RESENT = "resent"  # a pending claim resent with its nonce
    ALREADY_CLAIMED = "already_claimed"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    WRONG_GUILD = "wrong_guild"  # the channel belongs to another guild: not sent
    RETRY_LATER = "retry_later"
    GAVE_UP = "gave_up"
    FAILED = "failed"
    FAILED_HERE = "failed_here"  # definite failure outside the schedule's channel: released
    UNCONFIRMED = "unconfirmed"  # outcome unknown; resent with its nonce within the window
    ABANDONED = "abandoned"  # outcome unknown and the nonce window is over: not resent
    NO_QUOTES = "no_quotes"
    ERROR = "error"  # an exception, logged
    ALREADY_POSTED = "already_posted"  # post_now: the day's row is sent
    BEING_POSTED = "being_posted"  # post_now: claimed and in flight
    ALREADY_FAILED = "already_failed"  # post_now: the day failed for good
    ALREADY_UNKNOWN = "already_unknown"  # post_now: the day's result is unknown; not resent
    UNREACHED = "unreached"  # Discord could not be reached: claim released, retried later


class SendKind(StrEnum):
    """What became of one send attempt (the cog maps discord.py exceptions to these)."""

    OK = "ok"
    RETRYABLE = "retryable"  # 429, 5xx: Discord answered, the message was not created
    UNKNOWN = "unknown"  # timeout, lost connection: the message may or may not exist
    UNREACHED = "unreached"  # connection refused, DNS failure: the request never left
    FORBIDDEN = "forbidden"  # 403: a permission is missing
    NOT_FOUND = "not_found"  # 404: unknown channel
    WRONG_GUILD = "wrong_guild"  # the channel is known to belong to another guild: not sent
    ERROR = "error"  # anything else that is certainly not delivered (e.g. 400)


@dataclass(frozen=True, slots=True)
class SendResult:
    """Result of the ``send`` callback.

    Attributes:
        kind: a :class:`SendKind`.
        message_id: the Discord message id (``OK`` only).
        detail: the missing permission's name for ``FORBIDDEN`` (``"Send Messages"``), the
            channel's actual guild id for ``WRONG_GUILD``, else a short reason for logs.
        retry_after: seconds Discord asked to wait (429), if known.
    """

    kind: SendKind
    message_id: int | None = None
    detail: str = ""
    retry_after: float | None = None

    @classmethod
    def ok(cls, message_id: int) -> SendResult:
        """Delivered as message ``message_id`` (also when Discord deduplicated the nonce)."""
        return cls(SendKind.OK, message_id=message_id)

    @classmethod
    def retryable(cls, detail: str = "", retry_after: float | None = None) -> SendResult:
        """Transient failure Discord answered (429, 5xx): not created, worth retrying."""
        return cls(SendKind.RETRYABLE, detail=detail, retry_after=retry_after)

    @classmethod
    def unknown(cls, detail: str = "") -> SendResult:
        """Outcome unknown (timeout, connection lost): the message may have been created, so it
        is resent only with the same nonce while Discord still deduplicates it."""
        return cls(SendKind.UNKNOWN, detail=detail)

    @classmethod
    def unreached(cls, detail: str = "") -> SendResult:
        """The request provably never reached Discord (connection refused, DNS failure): no
        message exists, so the post is retried until the grace window ends."""
        return cls(SendKind.UNREACHED, detail=detail)

    @classmethod
    def forbidden(cls, permission: str) -> SendResult:
        """403: ``permission`` is the missing permission as Discord shows it (``"Embed Links"``)."""
        return cls(SendKind.FORBIDDEN, detail=permission)

    @classmethod
    def not_found(cls, detail: str = "unknown channel") -> SendResult:
        """404: the channel was deleted or the bot cannot see it."""
        return cls(SendKind.NOT_FOUND, detail=detail)

    @classmethod
    def wrong_guild(cls, other_guild_id: int) -> SendResult:
        """Not sent: the channel belongs to guild ``other_guild_id``, not the schedule's."""
        return cls(SendKind.WRONG_GUILD, detail=str(other_guild_id))

    @classmethod
    def error(cls, detail: str) -> SendResult:
        """Any other definite failure (the message was not created)."""
        return cls(SendKind.ERROR, detail=detail)


@dataclass(frozen=True, slots=True)
class PostOutcome:
    """What one pass did for one guild (for logs and tests).

    Attributes:
        guild_id, channel_id: the schedule's guild and channel.
        local_date: the date concerned (``None`` if the pass failed before choosing one).
        result: a :class:`PostResult`.
        quote_key, message_id: when known.
        detail: reason or permission name.
        attempts: send attempts made in this pass.
    """

    guild_id: int
    channel_id: int
    local_date: date | None
    result: PostResult
    quote_key: str | None = None
    message_id: int | None = None
    detail: str = ""
    attempts: int = 0


SendCallback = Callable[[DailySchedule, str, str], Awaitable[SendResult]]
"""``send(schedule, quote_key, nonce)``: post the quote; must pass ``nonce`` to Discord."""
QuoteOrder = Callable[[DailySchedule], Sequence[str]]
"""``quote_order(schedule)``: the guild's deterministic permutation of quote keys."""


def _utc_now() -> datetime:
    return datetime.now(UTC)

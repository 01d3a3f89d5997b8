"""What a send's result does: the post's row, the guild's status, cool-downs and log lines.

One method per kind of :class:`~bot.scheduler.SendResult` (see the exactly-once policy in
:mod:`bot.storage`); :meth:`_Settle._settle` picks it. A base class of the per-guild pass.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.daily import DailySchedule
from bot.scheduler._results import (
    STATUS_CHANNEL_MISSING,
    STATUS_FAILING,
    STATUS_OK,
    STATUS_PAUSED,
    STATUS_WRONG_GUILD,
    PostOutcome,
    PostResult,
    SendKind,
    SendResult,
)
from bot.storage import PostRecord, PostStatus, Storage

log = logging.getLogger("bot.scheduler")  # one logger name for the whole package

#: Definite failures that, in a channel other than the schedule's, release the claim.
_OVERRIDE_FAILURES = (SendKind.FORBIDDEN, SendKind.NOT_FOUND, SendKind.WRONG_GUILD, SendKind.ERROR)


@dataclass(frozen=True, slots=True)
class _Sent:
    """One delivery's facts: the claimed row, where it went, what came back and when."""

    schedule: DailySchedule
    record: PostRecord
    result: SendResult
    attempts: int
    uncertain: bool
    resend: bool
    at: datetime

    @property
    def guild(self) -> int:
        return self.record.guild_id

    @property
    def day(self) -> date:
        return self.record.local_date

    @property
    def channel(self) -> int:
        return self.record.channel_id

    @property
    def override(self) -> bool:
        """The post went to a channel other than the schedule's (see ``_deliver``)."""
        return self.channel != self.schedule.channel_id

    def outcome(
        self, result: PostResult, detail: str = "", message_id: int | None = None
    ) -> PostOutcome:
        return PostOutcome(
            self.guild,
            self.channel,
            self.day,
            result,
            self.record.quote_key,
            message_id,
            detail,
            self.attempts,
        )


class _Settle:
    """Records the outcome of a delivery; a base class of the per-guild pass, whose class sets
    every attribute declared here."""

    if TYPE_CHECKING:
        storage: Storage
        max_claims: int
        nonce_window: timedelta
        _cooldown: dict[int, datetime]

        def _cool_down(self, guild_id: int, now: datetime, claims: int) -> None: ...
        def _network_up(self) -> None: ...
        def _network_down(self, at: datetime, detail: str) -> None: ...

    async def _settle(self, sent: _Sent) -> PostOutcome:
        """Record ``sent``'s outcome by its result's kind and say what was done."""
        kind = sent.result.kind
        if sent.override and kind in _OVERRIDE_FAILURES:
            return await self._failed_elsewhere(sent)
        handlers: dict[SendKind, Callable[[_Sent], Awaitable[PostOutcome]]] = {
            SendKind.OK: self._sent,
            SendKind.UNREACHED: self._unreached,
            SendKind.UNKNOWN: self._unknown,
            SendKind.FORBIDDEN: self._forbidden,
            SendKind.WRONG_GUILD: self._wrong_guild,
            SendKind.NOT_FOUND: self._not_found,
            SendKind.RETRYABLE: self._retryable,
        }
        return await handlers.get(kind, self._failed)(sent)

    async def _status(self, sent: _Sent, status: str, detail: str) -> None:
        await self.storage.set_status(
            sent.guild, status, detail, sent.at, channel_id=sent.channel, local_date=sent.day
        )

    async def _sent(self, sent: _Sent) -> PostOutcome:
        gid, day, channel = sent.guild, sent.day, sent.channel
        message_id = sent.result.message_id or 0
        await self.storage.complete_post(gid, day, message_id, sent.at)
        await self._status(sent, STATUS_OK, "")
        self._cooldown.pop(gid, None)
        self._network_up()
        log.info("daily post of %s sent in guild %s channel %s", day, gid, channel)
        result = PostResult.RESENT if sent.resend else PostResult.SENT
        return sent.outcome(result, message_id=message_id)

    async def _unreached(self, sent: _Sent) -> PostOutcome:
        # no message exists: give the date back, so a later pass claims it again (same
        # deterministic nonce) until the grace window ends; the claim count is unchanged
        detail = sent.result.detail
        await self.storage.release_post(sent.guild, sent.day, f"Discord unreachable ({detail})")
        self._network_down(sent.at, detail)
        return sent.outcome(PostResult.UNREACHED, detail)

    async def _unknown(self, sent: _Sent) -> PostOutcome:
        gid, day, channel, detail = sent.guild, sent.day, sent.channel, sent.result.detail
        if sent.at - sent.record.claimed_at <= self.nonce_window:
            # the row stays pending: the next pass resends it with its nonce (pending path)
            self._cool_down(gid, sent.at, 1)
            log.warning(
                "daily post of %s for guild %s channel %s: outcome unknown (%s); "
                "resending with the same nonce while Discord deduplicates it",
                day,
                gid,
                channel,
                detail,
            )
            return sent.outcome(PostResult.UNCONFIRMED, detail)
        await self.storage.fail_post(
            gid,
            day,
            PostStatus.UNKNOWN,
            f"outcome unknown ({detail}) and Discord no longer deduplicates its "
            "nonce; not resent (at most once)",
        )
        log.warning(
            "daily post of %s for guild %s channel %s: outcome unknown (%s) after the "
            "nonce window; not resending",
            day,
            gid,
            channel,
            detail,
        )
        return sent.outcome(PostResult.ABANDONED, detail)

    async def _failed_elsewhere(self, sent: _Sent) -> PostOutcome:
        """A definite failure in a channel other than the schedule's: the claim is released
        (or, after an unknown attempt, marked unknown); status and schedule are left alone."""
        gid, day, result = sent.guild, sent.day, sent.result
        reason = (
            f"missing {result.detail or 'Send Messages'}"
            if result.kind == SendKind.FORBIDDEN
            else f"channel belongs to guild {result.detail}"
            if result.kind == SendKind.WRONG_GUILD
            else result.detail or result.kind.value
        )
        if sent.uncertain:
            # an earlier attempt of this claim may have been delivered: never send again
            await self.storage.fail_post(
                gid,
                day,
                PostStatus.UNKNOWN,
                f"{reason}; an earlier attempt's outcome is unknown, not resent (at most once)",
            )
        else:
            await self.storage.release_post(gid, day, reason)
        log.warning(
            "daily post of %s for guild %s could not be made in channel %s, not the "
            "schedule's channel %s (%s); %s",
            day,
            gid,
            sent.channel,
            sent.schedule.channel_id,
            reason,
            "not resent" if sent.uncertain else "claim released",
        )
        name = {
            SendKind.FORBIDDEN: PostResult.FORBIDDEN,
            SendKind.NOT_FOUND: PostResult.NOT_FOUND,
            SendKind.WRONG_GUILD: PostResult.WRONG_GUILD,
        }
        return sent.outcome(name.get(result.kind, PostResult.FAILED_HERE), result.detail)

    async def _forbidden(self, sent: _Sent) -> PostOutcome:
        permission = sent.result.detail or "Send Messages"
        await self.storage.fail_post(
            sent.guild, sent.day, PostStatus.FAILED, f"missing {permission}"
        )
        await self._status(sent, STATUS_PAUSED, permission)
        log.warning(
            "daily post paused in guild %s channel %s: missing permission %s",
            sent.guild,
            sent.channel,
            permission,
        )
        return sent.outcome(PostResult.FORBIDDEN, permission)

    async def _wrong_guild(self, sent: _Sent) -> PostOutcome:
        gid, other = sent.guild, sent.result.detail
        await self.storage.fail_post(
            gid, sent.day, PostStatus.FAILED, f"channel belongs to guild {other}"
        )
        await self._status(sent, STATUS_WRONG_GUILD, other)
        log.error(
            "daily post of %s for guild %s not sent: channel %s belongs to guild %s, not to "
            "guild %s; fix the schedule's channel_id (daily[] in the config, or /daily set)",
            sent.day,
            gid,
            sent.channel,
            other,
            gid,
        )
        return sent.outcome(PostResult.WRONG_GUILD, other)

    async def _not_found(self, sent: _Sent) -> PostOutcome:
        gid, detail = sent.guild, sent.result.detail
        await self.storage.fail_post(gid, sent.day, PostStatus.FAILED, detail or "not found")
        await self.storage.disable_schedule(gid, at=sent.at)
        await self._status(sent, STATUS_CHANNEL_MISSING, detail or "not found")
        log.warning(
            "daily post stopped in guild %s: channel %s not found (%s); schedule disabled",
            gid,
            sent.channel,
            detail,
        )
        return sent.outcome(PostResult.NOT_FOUND, detail)

    async def _retryable(self, sent: _Sent) -> PostOutcome:
        gid, day, channel, detail = sent.guild, sent.day, sent.channel, sent.result.detail
        claims = sent.record.attempts
        if claims >= self.max_claims:
            await self.storage.fail_post(gid, day, PostStatus.FAILED, detail)
            await self._status(sent, STATUS_FAILING, detail)
            log.error(
                "daily post of %s for guild %s channel %s given up after %d passes: %s",
                day,
                gid,
                channel,
                claims,
                detail,
            )
            return sent.outcome(PostResult.GAVE_UP, detail)
        await self.storage.fail_post(gid, day, PostStatus.RETRY, detail)
        self._cool_down(gid, sent.at, claims)
        log.warning(
            "daily post of %s for guild %s channel %s: %s; will retry", day, gid, channel, detail
        )
        return sent.outcome(PostResult.RETRY_LATER, detail)

    async def _failed(self, sent: _Sent) -> PostOutcome:
        detail = sent.result.detail
        await self.storage.fail_post(sent.guild, sent.day, PostStatus.FAILED, detail)
        log.error(
            "daily post of %s for guild %s channel %s failed: %s",
            sent.day,
            sent.guild,
            sent.channel,
            detail,
        )
        return sent.outcome(PostResult.FAILED, detail)

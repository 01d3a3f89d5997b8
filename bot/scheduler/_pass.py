"""One guild's part of a scheduler pass: claim the day's post, deliver it with retries and
backoff, and hold every guild back while the network is down (what each send's result does is
in :mod:`bot.scheduler._settle`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.daily import (
    DailySchedule,
    due_post,
    pick_for_date,
    post_nonce,
)
from bot.core.errors import UserError
from bot.scheduler._results import (
    STATUS_NO_QUOTES,
    PostOutcome,
    PostResult,
    SendCallback,
    SendKind,
    SendResult,
)
from bot.scheduler._settle import _Sent, _Settle
from bot.storage import PostRecord, PostStatus, Storage

log = logging.getLogger("bot.scheduler")  # one logger name for the whole package


class _GuildPass(_Settle):
    """The per-guild part of a pass (claim, deliver, retry, network back-off), a base class of
    :class:`~bot.scheduler.DailyScheduler`, which sets every attribute declared here."""

    if TYPE_CHECKING:
        storage: Storage
        grace: timedelta
        max_attempts: int
        base_delay: float
        max_delay: float
        max_claims: int
        retry_cooldown: float
        nonce_window: timedelta
        unreached_base: float
        unreached_max: float
        _send: SendCallback
        _clock: Callable[[], datetime]
        _sleep: Callable[[float], Awaitable[None]]
        _rng: random.Random
        _cooldown: dict[int, datetime]
        _owns: Callable[[int], bool] | None
        _unreached_streak: int
        _network_retry_at: datetime | None
        _in_flight: dict[tuple[int, date], int]

        def _quote_order(self, schedule: DailySchedule) -> Sequence[str]: ...

    async def _my_schedules(self) -> list[DailySchedule]:
        """The enabled schedules of the guilds this process posts for."""
        schedules = await self.storage.all_schedules()
        if self._owns is None:
            return schedules
        return [s for s in schedules if self._owns(s.guild_id)]

    def _done_date(self, last: PostRecord | None) -> date | None:
        """The latest local date that must not be posted again."""
        if last is None:
            return None
        if last.status == PostStatus.RETRY:
            return last.local_date - timedelta(days=1)
        return last.local_date

    def _network_down(self, at: datetime, detail: str) -> None:
        """A send never reached Discord: hold every guild back, doubling per failure."""
        self._unreached_streak += 1
        seconds = min(self.unreached_base * 2 ** (self._unreached_streak - 1), self.unreached_max)
        self._network_retry_at = at + timedelta(seconds=seconds)
        log.warning(
            "Discord unreachable (%s); daily posts wait %.0f s and are retried within the "
            "grace window (failure %d in a row)",
            detail,
            seconds,
            self._unreached_streak,
        )

    def _network_up(self) -> None:
        if self._unreached_streak:
            log.info("Discord reachable again after %d failed sends", self._unreached_streak)
        self._unreached_streak = 0
        self._network_retry_at = None

    def _cool_down(self, guild_id: int, now: datetime, claims: int) -> None:
        seconds = min(self.retry_cooldown * 2 ** max(claims - 1, 0), 1800.0)
        self._cooldown[guild_id] = now + timedelta(seconds=seconds)

    async def _run_guild(self, schedule: DailySchedule, now: datetime) -> list[PostOutcome]:
        gid = schedule.guild_id
        until = self._cooldown.get(gid)
        if until is not None and now < until:
            return []
        if self._network_retry_at is not None and now < self._network_retry_at:
            return []  # Discord was unreachable a moment ago: wait before the next probe
        outcomes: list[PostOutcome] = []
        last = await self.storage.last_post(gid)
        if last is not None and last.status == PostStatus.PENDING:
            if (gid, last.local_date) in self._in_flight:
                return []  # this process is sending it right now (e.g. /daily now)
            if last.nonce is not None and now - last.claimed_at <= self.nonce_window:
                self._in_flight[(gid, last.local_date)] = last.channel_id
                try:
                    return [await self._deliver(schedule, last, now, resend=True)]
                finally:
                    self._in_flight.pop((gid, last.local_date), None)
            await self.storage.fail_post(
                gid,
                last.local_date,
                PostStatus.UNKNOWN,
                "the result of the send is unknown (a restart or a timeout) and Discord no "
                "longer deduplicates its nonce; not resent (at most once)",
            )
            log.warning(
                "daily post of %s for guild %s channel %s: result unknown after the nonce "
                "window; not resending",
                last.local_date,
                gid,
                last.channel_id,
            )
            outcomes.append(
                PostOutcome(
                    gid, last.channel_id, last.local_date, PostResult.ABANDONED, last.quote_key
                )
            )
            last = await self.storage.last_post(gid)
        day = due_post(schedule, now, self._done_date(last), grace=self.grace)
        if day is None:
            return outcomes
        # The guild's quote order hashes and sorts every quotable line (a third of a second at
        # 440 novels, memoised per guild and corpus by the daily cog): asked once here in a
        # thread, before the claim, so the claim and send below find it ready (an error is
        # left for the claim to meet and report, as without this).
        with contextlib.suppress(Exception):
            await asyncio.to_thread(self._quote_order, schedule)
        outcomes.append(await self._post(schedule, day, now))
        return outcomes

    async def _post(
        self, schedule: DailySchedule, day: date, now: datetime, *, channel_id: int | None = None
    ) -> PostOutcome:
        """Pick, claim and deliver ``day``'s post (in ``channel_id`` if given). The date is
        marked in flight *before* the claim, so a concurrent pass never resends it."""
        gid = schedule.guild_id
        channel = schedule.channel_id if channel_id is None else channel_id
        if (gid, day) in self._in_flight:
            return PostOutcome(gid, channel, day, PostResult.ALREADY_CLAIMED)
        self._in_flight[(gid, day)] = channel
        try:
            return await self._claim_and_deliver(schedule, day, now, channel)
        finally:
            self._in_flight.pop((gid, day), None)

    async def _claim_and_deliver(
        self, schedule: DailySchedule, day: date, now: datetime, channel: int
    ) -> PostOutcome:
        gid = schedule.guild_id
        cycle = await self.storage.current_cycle(gid)
        used = await self.storage.used_quote_keys(gid, cycle)
        try:
            key, new_cycle = pick_for_date(self._quote_order(schedule), used)
        except UserError as exc:
            await self.storage.set_status(
                gid, STATUS_NO_QUOTES, str(exc), now, channel_id=channel, local_date=day
            )
            log.warning(
                "daily post of %s for guild %s channel %s (documents: %s): %s",
                day,
                gid,
                channel,
                ", ".join(schedule.documents) or "all",
                exc,
            )
            self._cool_down(gid, now, 5)
            return PostOutcome(gid, channel, day, PostResult.NO_QUOTES, detail=str(exc))
        if new_cycle:
            cycle += 1
        claimed = await self.storage.claim_post(
            gid, day, key, channel, now, cycle=cycle, nonce=post_nonce(gid, day)
        )
        if not claimed:
            return PostOutcome(gid, channel, day, PostResult.ALREADY_CLAIMED, key)
        record = await self.storage.get_post(gid, day)
        if record is None:  # pragma: no cover - the claim just wrote it
            raise RuntimeError(f"claimed post {gid}/{day} vanished")
        return await self._deliver(schedule, record, now, resend=False)

    async def _deliver(
        self, schedule: DailySchedule, record: PostRecord, now: datetime, *, resend: bool
    ) -> PostOutcome:
        """Send the claimed ``record`` and record the outcome.

        ``schedule`` is the guild's current schedule; the post goes to ``record.channel_id``,
        the channel stored with the claim (Discord deduplicates a nonce only within one
        channel). A ``record`` in another channel is an *override* (``/daily now`` elsewhere,
        or a schedule moved since the claim): a definite failure there releases the claim and
        leaves the guild's status and schedule alone. The caller marks the date in flight.
        """
        override = record.channel_id != schedule.channel_id
        target = replace(schedule, channel_id=record.channel_id) if override else schedule
        result, attempts, uncertain = await self._send_with_retry(target, record, uncertain=resend)
        sent = _Sent(schedule, record, result, attempts, uncertain, resend, self._clock())
        return await self._settle(sent)

    async def _send_with_retry(
        self, schedule: DailySchedule, record: PostRecord, *, uncertain: bool
    ) -> tuple[SendResult, int, bool]:
        """Send ``record`` to ``schedule``'s channel, retrying within the pass.

        Definite 429/5xx are retried up to ``max_attempts`` with backoff. Once any attempt's
        outcome is unknown (or ``uncertain`` is given: a resend of a pending claim), a message
        may exist: a later 429/5xx counts as unknown too, and a further attempt is made only if
        it starts within ``nonce_window`` of the claim. Returns ``(result, attempts,
        uncertain)``.
        """
        nonce = record.nonce or post_nonce(record.guild_id, record.local_date)
        attempt = 0
        while True:
            attempt += 1
            result = await self._send(schedule, record.quote_key, nonce)
            if result.kind == SendKind.UNKNOWN:
                uncertain = True
            elif uncertain and result.kind in (SendKind.RETRYABLE, SendKind.UNREACHED):
                result = SendResult.unknown(f"{result.detail} after an attempt with no answer")
            elif result.kind == SendKind.UNREACHED:
                return result, attempt, uncertain  # the network is down: the pass backs off
            if (
                result.kind not in (SendKind.RETRYABLE, SendKind.UNKNOWN)
                or attempt >= self.max_attempts
            ):
                return result, attempt, uncertain
            cap = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
            delay = cap / 2 + self._rng.uniform(0, cap / 2)
            if result.retry_after is not None:
                delay = max(delay, min(result.retry_after, self.max_delay))
            if result.kind == SendKind.UNKNOWN and (
                self._clock() + timedelta(seconds=delay) - record.claimed_at > self.nonce_window
            ):
                return result, attempt, uncertain  # too late for Discord to deduplicate
            log.info(
                "daily post for guild %s channel %s: %s; attempt %d, retrying in %.1f s",
                schedule.guild_id,
                schedule.channel_id,
                result.detail or "retryable failure",
                attempt,
                delay,
            )
            await self._sleep(delay)

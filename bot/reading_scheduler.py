"""The reading-club scheduler: one loop per process that posts each club's instalment once a day.

Built like :class:`~bot.scheduler.DailyScheduler` and with the same guarantee (see
:mod:`bot.storage`): when a club's local time comes (:func:`~bot.core.daily.due_post`, within
the grace window, never for a past day), the date is claimed in storage with the message nonce
(:func:`~bot.core.reading.reading_nonce`) before anything is sent, and Discord deduplicates a
repeated nonce (``enforce_nonce``). A claim left ``pending`` (a crash, a timeout) is resent with
its stored nonce to its stored channel while Discord still deduplicates it (``nonce_window``),
else marked ``unknown`` and never resent: an instalment appears at most once.

A definite failure (403, 404, 429/5xx after the pass's attempts) marks the date ``failed``; the
instalment was not posted, so the next day brings the same one: a day's failure delays the
reading, it never skips a chapter. Discord is reached only through the ``send`` callback the
reading cog provides, so this module never imports discord and runs in tests with a fake clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from bot.core.daily import DEFAULT_GRACE, due_post, next_wakeup
from bot.core.reading import ReadingClub, reading_nonce
from bot.scheduler import SendKind, SendResult
from bot.scheduler._loop import PassLoop
from bot.storage import ReadingStorage, effective_next_day
from bot.storage._reading import FAILED, PENDING, SENT, UNKNOWN

log = logging.getLogger(__name__)

#: ``send(club, day, nonce)``: post instalment ``day`` of the club; must pass ``nonce``.
ReadingSend = Callable[[ReadingClub, int, str], Awaitable[SendResult]]
#: ``total_days(club)``: how many instalments the club's document has (``None``: gone).
TotalDays = Callable[[ReadingClub], int | None]


@dataclass(frozen=True, slots=True)
class ReadingOutcome:
    """What a pass did for one club: ``result`` is ``sent``, ``resent``, ``unconfirmed``,
    ``failed``, ``unknown``, ``finished`` or ``no_document``."""

    guild_id: int
    local_date: date
    day: int
    result: str
    message_id: int | None = None
    detail: str = ""


class ReadingScheduler(PassLoop):
    """Posts the clubs' instalments (see the module docstring); :meth:`start` runs the loop
    (:class:`~bot.scheduler._loop.PassLoop`): pass, sleep until the next club's time (at most
    ``max_sleep``), repeat."""

    TASK_NAME = "reading-club"
    LOG = log

    def __init__(
        self,
        storage: ReadingStorage,
        *,
        send: ReadingSend,
        total_days: TotalDays,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        grace: timedelta = DEFAULT_GRACE,
        nonce_window: timedelta = timedelta(minutes=2),
        attempts: int = 3,
        base_delay: float = 1.0,
        max_sleep: float = 60.0,
    ) -> None:
        self.storage = storage
        self.send = send
        self.total_days = total_days
        self.clock = clock
        self.grace = grace
        self.nonce_window = nonce_window
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_sleep = max_sleep
        self._in_flight: set[tuple[int, date]] = set()
        self._sleep = asyncio.sleep

    async def seconds_to_next_pass(self) -> float:
        """Seconds until the next club's time, within [0.5, ``max_sleep``]."""
        now = self.clock()
        states = []
        for club in await self.storage.all_reading_clubs():
            if not club.paused:
                last = await self.storage.last_reading_post(club.guild_id)
                states.append((club.schedule, last.local_date if last else None))
        wake = next_wakeup(states, now, grace=self.grace)
        if wake is None:
            return self.max_sleep
        return min(max((wake - now).total_seconds(), 0.5), self.max_sleep)

    async def run_once(self, now: datetime | None = None) -> list[ReadingOutcome]:
        """One pass over every club; an error in one club is logged and never stops the others."""
        now = now or self.clock()
        outcomes = []
        for club in await self.storage.all_reading_clubs():
            try:
                outcome = await self._run_club(club, now)
            except Exception:
                log.exception("reading club of guild %s failed", club.guild_id)
                continue
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    async def _run_club(self, club: ReadingClub, now: datetime) -> ReadingOutcome | None:
        if club.paused:
            return None
        last = await self.storage.last_reading_post(club.guild_id)
        if last is not None and last.status == PENDING:
            if (club.guild_id, last.local_date) in self._in_flight:
                return None
            if now - last.claimed_at <= self.nonce_window:
                channel = replace(club, channel_id=last.channel_id)
                return await self._deliver(channel, last.local_date, last.day, last.nonce, True)
            await self.storage.finish_reading_post(
                club.guild_id, last.local_date, UNKNOWN, error="outcome unknown; not resent"
            )
            log.warning(
                "reading club of guild %s: day %s may not have arrived", club.guild_id, last.day
            )
        due = due_post(club.schedule, now, last.local_date if last else None, grace=self.grace)
        if due is None:
            return None
        total = self.total_days(club)
        day = await effective_next_day(self.storage, club)
        if total is None or day > total:
            # nothing to post today: the date is recorded, so no pass tries it again
            result = "no_document" if total is None else "finished"
            nonce = reading_nonce(club.guild_id, due)
            if await self.storage.claim_reading_post(
                club.guild_id, due, day, club.channel_id, nonce, now
            ):
                await self.storage.finish_reading_post(club.guild_id, due, FAILED, error=result)
                log.info("reading club of guild %s: %s", club.guild_id, result.replace("_", " "))
            return ReadingOutcome(club.guild_id, due, day, result, detail=club.document_id)
        key = (club.guild_id, due)
        self._in_flight.add(key)
        try:
            nonce = reading_nonce(club.guild_id, due)
            if not await self.storage.claim_reading_post(*key, day, club.channel_id, nonce, now):
                return None  # another process claimed it
            return await self._deliver(club, due, day, nonce, False)
        finally:
            self._in_flight.discard(key)

    async def _deliver(
        self, club: ReadingClub, local_date: date, day: int, nonce: str, resend: bool
    ) -> ReadingOutcome:
        """Send (retrying 429/5xx in this pass) and record the outcome."""
        result = SendResult.error("not sent")
        for attempt in range(self.attempts):
            result = await self.send(club, day, nonce)
            if result.kind is not SendKind.RETRYABLE or attempt == self.attempts - 1:
                break
            await asyncio.sleep(result.retry_after or self.base_delay * 2**attempt)
        guild = club.guild_id
        if result.kind is SendKind.OK:
            await self.storage.finish_reading_post(
                guild, local_date, SENT, message_id=result.message_id
            )
            kind = "resent" if resend else "sent"
            return ReadingOutcome(guild, local_date, day, kind, result.message_id)
        if result.kind in (SendKind.UNKNOWN, SendKind.UNREACHED) or (
            resend and result.kind is SendKind.RETRYABLE
        ):
            # the message may exist: left pending, resent with its nonce by the next pass
            return ReadingOutcome(guild, local_date, day, "unconfirmed", detail=result.detail)
        await self.storage.finish_reading_post(guild, local_date, FAILED, error=result.detail)
        log.warning("reading club of guild %s: day %s not posted: %s", guild, day, result.detail)
        return ReadingOutcome(guild, local_date, day, "failed", detail=result.detail)

"""The :class:`DailyScheduler` itself: lifecycle, config merge, passes, ``post_now`` and the
sleep until the next pass."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from bot import metrics
from bot.core.daily import (
    DEFAULT_GRACE,
    MAX_GRACE,
    DailySchedule,
    next_wakeup,
    pick_for_date,
)
from bot.scheduler._loop import PassLoop
from bot.scheduler._pass import _GuildPass
from bot.scheduler._results import (
    PostOutcome,
    PostResult,
    QuoteOrder,
    SendCallback,
    _utc_now,
)
from bot.storage import PostStatus, Storage

log = logging.getLogger("bot.scheduler")  # one logger name for the whole package


class DailyScheduler(_GuildPass, PassLoop):
    """Posts every enabled schedule's quote once per local day.

    Args:
        storage: a :class:`~bot.storage.Storage` (shared by every process posting for the guilds).
        send: ``async send(schedule, quote_key, nonce) -> SendResult``; renders and posts the
            quote, mapping Discord errors to :class:`SendResult` kinds. It may raise: the result
            then counts as unknown and the claim stays ``pending`` (see the module docstring).
        quote_order: ``quote_order(schedule) -> Sequence[str]``, the guild's permutation of quote
            keys (``QuoteBook.cycle_order(schedule.documents, salt=str(guild_id))`` keys).
            The scheduler only asks it for documents that are in the corpus: a schedule's
            document ids that are not (removed since ``/daily set`` or a config edit) are
            ignored, with a WARNING naming them logged once per guild; if none is left the
            whole corpus is used (``documents=()``).
        known_documents: ``known_documents() -> Collection[str]``, the corpus's document ids.
            If omitted, a document counts as present when ``quote_order`` for it alone is not
            empty (every document with a sentence has a cycle order).
        clock: returns the current aware UTC time.
        sleep: ``await sleep(seconds)``; injectable for simulations.
        grace: grace window, see :mod:`bot.core.daily` (default 6 h).
        config_schedules: schedules from ``config.yaml``, upserted into storage with
            ``source="config"`` when :meth:`run` starts (:meth:`merge_config`).
        max_sleep: longest sleep between passes, seconds.
        max_attempts: send attempts per pass for retryable failures.
        base_delay, max_delay: backoff between attempts, seconds (doubling from ``base_delay``,
            capped at ``max_delay``, with jitter).
        max_claims: passes (claims) per date before a retryable failure becomes final.
        retry_cooldown: seconds before a guild whose pass failed is tried again (doubling per
            claim, capped at 30 minutes).
        nonce_window: how long after a claim a pending post may be resent with its nonce.
        rng: randomness for jitter (seed it in tests).
        unreached_base, unreached_max: after a send that never reached Discord (the network
            is down), no guild is tried for ``unreached_base`` seconds, doubling per further
            failure up to ``unreached_max``; the first success ends it.
        owns: ``owns(guild_id)``, whether this process posts for the guild (its shards serve
            it); ``None``: every guild.
        concurrency: guilds handled at once in a pass (1: one after another, in order).

    Raises:
        ValueError: ``grace`` outside (0, 24 h] or non-positive limits.
    """

    TASK_NAME = "daily-scheduler"
    LOG = log
    MIN_SLEEP = 0.25
    """Shortest sleep between passes, seconds (a post is at most this late after its slot)."""

    def __init__(
        self,
        storage: Storage,
        *,
        send: SendCallback,
        quote_order: QuoteOrder,
        clock: Callable[[], datetime] = _utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        grace: timedelta = DEFAULT_GRACE,
        config_schedules: Iterable[DailySchedule] = (),
        max_sleep: float = 60.0,
        max_attempts: int = 4,
        base_delay: float = 2.0,
        max_delay: float = 30.0,
        max_claims: int = 5,
        retry_cooldown: float = 60.0,
        nonce_window: timedelta = timedelta(minutes=2),
        rng: random.Random | None = None,
        known_documents: Callable[[], Collection[str]] | None = None,
        unreached_base: float = 5.0,
        unreached_max: float = 60.0,
        owns: Callable[[int], bool] | None = None,
        concurrency: int = 1,
    ) -> None:
        if not timedelta(0) < grace <= MAX_GRACE:
            raise ValueError(f"grace must be in (0, {MAX_GRACE}], got {grace}")
        if max_sleep <= 0 or max_attempts < 1 or max_claims < 1 or base_delay < 0:
            raise ValueError("max_sleep, max_attempts and max_claims must be positive")
        self.storage = storage
        self._send = send
        self._quote_order_cb = quote_order
        self._known_documents = known_documents
        self._warned_missing: dict[int, tuple[str, ...]] = {}
        self._clock = clock
        self._sleep = sleep
        self.grace = grace
        self._config = tuple(config_schedules)
        self.max_sleep = max_sleep
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_claims = max_claims
        self.retry_cooldown = retry_cooldown
        self.nonce_window = nonce_window
        self._rng = rng or random.Random()
        self._cooldown: dict[int, datetime] = {}
        self.unreached_base = unreached_base
        self._owns = owns
        self.concurrency = max(concurrency, 1)
        self.unreached_max = unreached_max
        self._unreached_streak = 0
        self._network_retry_at: datetime | None = None
        self._in_flight: dict[tuple[int, date], int] = {}  # (guild, date) -> channel

    # -- lifecycle (start, stop, run: bot.scheduler._loop.PassLoop) ------------------------
    async def before_passes(self) -> None:
        """Before the first pass: merge the config's schedules (a failure is logged)."""
        try:
            await self.merge_config()
        except Exception:
            log.exception("could not merge the config's daily schedules into storage")

    async def merge_config(self) -> None:
        """Upsert the config's schedules into storage (``source="config"``).

        A stored schedule equal to the config's is left alone (so ``/daily off`` or a
        channel-deleted stop survives restarts until the config changes); a config schedule
        removed from the file is disabled. The config wins over ``/daily set`` for the guilds
        it lists.
        """
        wanted = {s.guild_id: s for s in self._config}
        now = self._clock()
        for record in await self.storage.all_schedule_records():
            gid = record.schedule.guild_id
            if record.source == "config" and record.enabled and gid not in wanted:
                await self.storage.disable_schedule(gid, at=now)
                log.info("daily schedule of guild %s disabled: no longer in the config", gid)
        for gid, schedule in wanted.items():
            current = await self.storage.get_schedule_record(gid)
            if current is None or current.source != "config" or current.schedule != schedule:
                await self.storage.set_schedule(schedule, source="config", at=now)
                log.info(
                    "daily schedule of guild %s from config: %s %s in channel %s",
                    gid,
                    schedule.time.isoformat("minutes"),
                    schedule.timezone,
                    schedule.channel_id,
                )

    # -- one pass ---------------------------------------------------------------------------
    async def run_once(self, now: datetime | None = None) -> list[PostOutcome]:
        """One pass over every enabled schedule; returns what was done (nothing due: ``[]``).

        An exception in one guild is logged with guild and channel, puts that guild in
        cool-down, and the pass goes on with the others. Up to ``concurrency`` guilds are
        handled at once (each guild's steps stay in order); outcomes keep the guilds' order.
        """
        now = self._clock() if now is None else now
        gate = asyncio.Semaphore(self.concurrency)

        async def one(schedule: DailySchedule) -> list[PostOutcome]:
            async with gate:
                try:
                    return await self._run_guild(schedule, now)
                except Exception as exc:
                    log.exception(
                        "daily post failed for guild %s channel %s",
                        schedule.guild_id,
                        schedule.channel_id,
                    )
                    self._cool_down(schedule.guild_id, now, 1)
                    return [
                        PostOutcome(
                            schedule.guild_id,
                            schedule.channel_id,
                            None,
                            PostResult.ERROR,
                            detail=repr(exc),
                        )
                    ]

        schedules = await self._my_schedules()
        if self.concurrency == 1:
            results = [await one(schedule) for schedule in schedules]
        else:
            results = list(await asyncio.gather(*(one(schedule) for schedule in schedules)))
        outcomes = [outcome for result in results for outcome in result]
        metrics.count_outcomes([o.result for o in outcomes])
        return outcomes

    async def post_now(
        self, schedule: DailySchedule, *, channel_id: int | None = None, now: datetime | None = None
    ) -> PostOutcome:
        """Make today's post at once (``/daily now``), in ``channel_id`` if given.

        It *is* today's post: claimed like a scheduled one, so the slot later today is skipped
        and a second ``/daily now`` answers ``"already_posted"``. If the date is taken, the
        answer follows the day's row: ``"already_posted"`` only when it is ``sent``,
        ``"being_posted"`` while it is claimed and in flight (``pending``),
        ``"already_failed"`` (``failed``) or ``"already_unknown"`` (``unknown``). A definite
        failure in a channel other than the schedule's (403, 404, 400) releases the claim and
        leaves the guild's status and schedule alone, so the scheduled post still happens.
        Otherwise the outcome is as in a pass (``"sent"``, ``"forbidden"``, ``"unconfirmed"``,
        ...).
        """
        now = self._clock() if now is None else now
        gid = schedule.guild_id
        channel = schedule.channel_id if channel_id is None else channel_id
        today = now.astimezone(schedule.zone).date()
        taken = await self._taken_answer(gid, today)
        if taken is not None:
            return taken
        outcome = await self._post(schedule, today, now, channel_id=channel)
        if outcome.result == PostResult.ALREADY_CLAIMED:
            return await self._taken_answer(gid, today) or outcome
        return outcome

    async def _taken_answer(self, guild_id: int, today: date) -> PostOutcome | None:
        """What ``/daily now`` answers when ``today`` cannot be claimed, or ``None`` if it can."""
        in_flight = self._in_flight.get((guild_id, today))
        if in_flight is not None:
            return PostOutcome(guild_id, in_flight, today, PostResult.BEING_POSTED)
        row = await self.storage.get_post(guild_id, today)
        if row is None:
            last = await self.storage.last_post(guild_id)
            if last is not None and last.local_date > today:
                row = last  # the zone changed: a later local date is already taken
        if row is None or row.status == PostStatus.RETRY:
            return None
        result = {
            PostStatus.SENT: PostResult.ALREADY_POSTED,
            PostStatus.PENDING: PostResult.BEING_POSTED,
            PostStatus.FAILED: PostResult.ALREADY_FAILED,
            PostStatus.UNKNOWN: PostResult.ALREADY_UNKNOWN,
        }[row.status]
        return PostOutcome(
            guild_id,
            row.channel_id,
            row.local_date,
            result,
            row.quote_key,
            row.message_id,
            row.error or "",
        )

    async def next_quote_key(self, schedule: DailySchedule) -> str:
        """The quote key the guild's next post would use (``/daily preview``).

        Raises:
            NotFound: the schedule's documents have no quotable line.
        """
        cycle = await self.storage.current_cycle(schedule.guild_id)
        used = await self.storage.used_quote_keys(schedule.guild_id, cycle)
        return pick_for_date(self._quote_order(schedule), used)[0]

    def _present(self, schedule: DailySchedule, doc_id: str) -> bool:
        if self._known_documents is not None:
            return doc_id in self._known_documents()
        return bool(self._quote_order_cb(replace(schedule, documents=(doc_id,))))

    def effective_schedule(self, schedule: DailySchedule) -> DailySchedule:
        """``schedule`` with the document ids that are not in the corpus dropped.

        If none of its documents is left, the returned schedule has ``documents=()`` (the
        whole corpus). The first time a guild's set of missing ids is seen, a WARNING naming
        them is logged (once per guild and set of ids, per process).
        """
        if not schedule.documents:
            return schedule
        kept = tuple(d for d in schedule.documents if self._present(schedule, d))
        missing = tuple(d for d in schedule.documents if d not in kept)
        gid = schedule.guild_id
        if not missing:
            self._warned_missing.pop(gid, None)
            return schedule
        if self._warned_missing.get(gid) != missing:
            self._warned_missing[gid] = missing
            log.warning(
                "daily schedule of guild %s names documents that are not in the corpus: %s; "
                "using %s (run /daily set to choose the documents again)",
                gid,
                ", ".join(missing),
                ", ".join(kept) if kept else "the whole corpus",
            )
        return replace(schedule, documents=kept)

    def _quote_order(self, schedule: DailySchedule) -> Sequence[str]:
        return self._quote_order_cb(self.effective_schedule(schedule))

    async def seconds_to_next_pass(self) -> float:
        """Seconds to sleep before the next pass: until the earliest slot or cool-down end,
        within [:attr:`MIN_SLEEP`, ``max_sleep``]; 1 s if something is (still) due now."""
        now = self._clock()
        if self._network_retry_at is not None and self._network_retry_at > now:
            delay = (self._network_retry_at - now).total_seconds()
            return min(max(delay, self.MIN_SLEEP), self.max_sleep)
        states: list[tuple[DailySchedule, date | None]] = []
        wakes: list[datetime] = []
        for schedule in await self._my_schedules():
            until = self._cooldown.get(schedule.guild_id)
            if until is not None and until > now:
                wakes.append(until)
                continue
            self._cooldown.pop(schedule.guild_id, None)
            states.append(
                (schedule, self._done_date(await self.storage.last_post(schedule.guild_id)))
            )
        core = next_wakeup(states, now, grace=self.grace)
        if core is not None:
            wakes.append(core)
        if not wakes:
            return self.max_sleep
        delay = (min(wakes) - now).total_seconds()
        if delay <= 0:
            return 1.0
        # at least MIN_SLEEP: a timer that fires a little early (wall clock vs monotonic) must
        # still make progress instead of spinning on ever shorter sleeps
        return min(max(delay, self.MIN_SLEEP), self.max_sleep)

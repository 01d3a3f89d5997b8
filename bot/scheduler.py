"""The daily-post scheduler: one loop per process that posts each guild's quote once a day.

The arithmetic (which local date is due, when to wake up) is in :mod:`bot.core.daily`; the state
(schedules, claims, statuses) in :mod:`bot.storage`; Discord is reached only through the ``send``
callback the daily cog provides, so this module never imports discord and runs in tests with a
fake clock, a fake ``sleep`` and a fake ``send``.

One pass (:meth:`DailyScheduler.run_once`), per enabled schedule, one guild after another:

1. Skip the guild while it is cooling down after a failed pass (in memory, per process).
2. If its latest post row is ``pending`` and not in flight in this process (the process died
   between send and record, a send's outcome was unknown, or another process is sending right
   now): resend with the *stored nonce* to the *channel stored with the claim* (Discord
   deduplicates a nonce only within one channel, so a ``/daily now`` elsewhere or a ``/daily
   set`` since the claim must not redirect it) while Discord still deduplicates it
   (``nonce_window``, default 2 minutes, measured from the claim; discord.py sends
   ``enforce_nonce`` with every nonce), else mark it ``unknown`` and never resend (at most once).
3. :func:`~bot.core.daily.due_post` decides whether a local date is due (grace window).
4. Mark ``(guild, date)`` in flight, pick the quote (:func:`~bot.core.daily.pick_for_date` over
   the guild's permutation and the keys already used in the current cycle), claim
   ``(guild, date)`` atomically in storage, send. The in-flight mark is set before the claim
   and cleared after the outcome is recorded, so a concurrent pass (or ``/daily now``) in this
   process never sends the same date twice.
5. Record the outcome:

   * ``sent``.
   * Definite 429/5xx (Discord answered; no message was created) are retried within the pass
     with capped exponential backoff and jitter ("equal jitter", M. Brooker, *Exponential
     Backoff And Jitter*, AWS Architecture Blog, 2015), honouring ``retry_after``; when a pass's
     attempts run out the date is left in ``retry`` and claimed again after a cool-down, at most
     ``max_claims`` times and only within the grace window.
   * A send that provably never reached Discord (connection refused, DNS failure: *unreached*)
     releases the claim (no message exists) and holds every guild back for a few seconds,
     doubling per failure up to a minute; the date is claimed again after that, for as long as
     the grace window lasts, so a network outage of minutes or hours delays the post instead
     of losing it.
   * An *unknown* outcome (timeout, lost connection: the message may exist) is retried with the
     same nonce only while ``now - claimed_at <= nonce_window``; the row stays ``pending``
     meanwhile, and once the window is over it becomes ``unknown`` and is never resent. After an
     unknown attempt, or on the resend of a ``pending`` claim, a 429/5xx counts as unknown too
     (it proves nothing about the earlier attempt). So, as long as Discord deduplicates a nonce
     for at least ``nonce_window`` and a 429/5xx means no message was created, a post appears
     at most once: it may be lost, never doubled.
   * 403 pauses the guild (status names the missing permission; the next day is attempted
     again); a channel the ``send`` callback knows to belong to another guild is not sent to
     (status ``wrong_guild`` with that guild's id, an error logged; the next day is attempted
     again); 404 (channel deleted) records the status and disables the schedule until it is set
     again; any other definite error fails the date.
   * In a channel other than the schedule's (``/daily now`` elsewhere, or a schedule moved
     since the claim), a definite 403/404/400 releases the claim instead
     (:meth:`~bot.storage.Storage.release_post`; ``unknown`` if an earlier attempt's outcome is
     unknown) and changes neither the guild's status nor its schedule: the scheduled post in
     the schedule's channel still happens.

   Any exception is logged with guild and channel and never stops the other guilds or the
   loop; the claim stays ``pending`` (outcome unknown, see step 2).

The loop (:meth:`DailyScheduler.run`) sleeps until :func:`~bot.core.daily.next_wakeup`, capped
at ``max_sleep`` (60 s) so schedule changes made by ``/daily set`` are seen within a minute.
:meth:`DailyScheduler.start` is idempotent: call it from ``setup_hook`` or a cog's ``cog_load``
(never needs ``on_ready``; a second call returns the running task).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from bot import metrics
from bot.core.daily import (
    DEFAULT_GRACE,
    MAX_GRACE,
    DailySchedule,
    due_post,
    next_wakeup,
    pick_for_date,
    post_nonce,
)
from bot.core.errors import UserError
from bot.storage import DailyStatus, PostRecord, PostStatus, Storage

__all__ = [
    "STATUS_CHANNEL_MISSING",
    "STATUS_FAILING",
    "STATUS_NO_QUOTES",
    "STATUS_OK",
    "STATUS_PAUSED",
    "STATUS_WRONG_GUILD",
    "DailyScheduler",
    "PostOutcome",
    "PostResult",
    "SendKind",
    "SendResult",
]

log = logging.getLogger(__name__)

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


class DailyScheduler:
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
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> asyncio.Task[None]:
        """Start the loop as a task, once: while it runs, further calls return the same task."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.run(), name="daily-scheduler")
        return self._task

    @property
    def running(self) -> bool:
        """Whether the loop task is alive."""
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        """Cancel the loop and wait for it to end (a pass in progress is abandoned; its claim
        stays ``pending`` and is settled by the next start)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run(self) -> None:
        """The loop: merge config schedules, then pass, sleep, pass... until cancelled.

        Only :class:`BaseException`\\ s that are not :class:`Exception` (cancellation) end it.
        """
        try:
            await self.merge_config()
        except Exception:
            log.exception("could not merge the config's daily schedules into storage")
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("daily scheduler pass failed")
            try:
                delay = await self.seconds_to_next_pass()
            except Exception:
                log.exception("daily scheduler could not compute its next wake-up")
                delay = self.max_sleep
            await self._sleep(delay)

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
        gid, day, channel = record.guild_id, record.local_date, record.channel_id
        override = channel != schedule.channel_id
        target = replace(schedule, channel_id=channel) if override else schedule
        result, attempts, uncertain = await self._send_with_retry(target, record, uncertain=resend)
        at = self._clock()

        def outcome(
            result_name: PostResult, detail: str = "", message_id: int | None = None
        ) -> PostOutcome:
            return PostOutcome(
                gid, channel, day, result_name, record.quote_key, message_id, detail, attempts
            )

        if result.kind == SendKind.OK:
            message_id = result.message_id or 0
            await self.storage.complete_post(gid, day, message_id, at)
            await self.storage.set_status(
                gid, STATUS_OK, "", at, channel_id=channel, local_date=day
            )
            self._cooldown.pop(gid, None)
            self._network_up()
            log.info("daily post of %s sent in guild %s channel %s", day, gid, channel)
            return outcome(PostResult.RESENT if resend else PostResult.SENT, message_id=message_id)
        if result.kind == SendKind.UNREACHED:
            # no message exists: give the date back, so a later pass claims it again (same
            # deterministic nonce) until the grace window ends; the claim count is unchanged
            await self.storage.release_post(gid, day, f"Discord unreachable ({result.detail})")
            self._network_down(at, result.detail)
            return outcome(PostResult.UNREACHED, result.detail)
        if result.kind == SendKind.UNKNOWN:
            if at - record.claimed_at <= self.nonce_window:
                # the row stays pending: the next pass resends it with its nonce (pending path)
                self._cool_down(gid, at, 1)
                log.warning(
                    "daily post of %s for guild %s channel %s: outcome unknown (%s); "
                    "resending with the same nonce while Discord deduplicates it",
                    day,
                    gid,
                    channel,
                    result.detail,
                )
                return outcome(PostResult.UNCONFIRMED, result.detail)
            await self.storage.fail_post(
                gid,
                day,
                PostStatus.UNKNOWN,
                f"outcome unknown ({result.detail}) and Discord no longer deduplicates its "
                "nonce; not resent (at most once)",
            )
            log.warning(
                "daily post of %s for guild %s channel %s: outcome unknown (%s) after the "
                "nonce window; not resending",
                day,
                gid,
                channel,
                result.detail,
            )
            return outcome(PostResult.ABANDONED, result.detail)
        if override and result.kind in (
            SendKind.FORBIDDEN,
            SendKind.NOT_FOUND,
            SendKind.WRONG_GUILD,
            SendKind.ERROR,
        ):
            reason = (
                f"missing {result.detail or 'Send Messages'}"
                if result.kind == SendKind.FORBIDDEN
                else f"channel belongs to guild {result.detail}"
                if result.kind == SendKind.WRONG_GUILD
                else result.detail or result.kind.value
            )
            if uncertain:
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
                channel,
                schedule.channel_id,
                reason,
                "not resent" if uncertain else "claim released",
            )
            name = {
                SendKind.FORBIDDEN: PostResult.FORBIDDEN,
                SendKind.NOT_FOUND: PostResult.NOT_FOUND,
                SendKind.WRONG_GUILD: PostResult.WRONG_GUILD,
            }
            return outcome(name.get(result.kind, PostResult.FAILED_HERE), result.detail)
        if result.kind == SendKind.FORBIDDEN:
            permission = result.detail or "Send Messages"
            await self.storage.fail_post(gid, day, PostStatus.FAILED, f"missing {permission}")
            await self.storage.set_status(
                gid, STATUS_PAUSED, permission, at, channel_id=channel, local_date=day
            )
            log.warning(
                "daily post paused in guild %s channel %s: missing permission %s",
                gid,
                channel,
                permission,
            )
            return outcome(PostResult.FORBIDDEN, permission)
        if result.kind == SendKind.WRONG_GUILD:
            await self.storage.fail_post(
                gid, day, PostStatus.FAILED, f"channel belongs to guild {result.detail}"
            )
            await self.storage.set_status(
                gid, STATUS_WRONG_GUILD, result.detail, at, channel_id=channel, local_date=day
            )
            log.error(
                "daily post of %s for guild %s not sent: channel %s belongs to guild %s, not to "
                "guild %s; fix the schedule's channel_id (daily[] in the config, or /daily set)",
                day,
                gid,
                channel,
                result.detail,
                gid,
            )
            return outcome(PostResult.WRONG_GUILD, result.detail)
        if result.kind == SendKind.NOT_FOUND:
            await self.storage.fail_post(gid, day, PostStatus.FAILED, result.detail or "not found")
            await self.storage.disable_schedule(gid, at=at)
            await self.storage.set_status(
                gid,
                STATUS_CHANNEL_MISSING,
                result.detail or "not found",
                at,
                channel_id=channel,
                local_date=day,
            )
            log.warning(
                "daily post stopped in guild %s: channel %s not found (%s); schedule disabled",
                gid,
                channel,
                result.detail,
            )
            return outcome(PostResult.NOT_FOUND, result.detail)
        if result.kind == SendKind.RETRYABLE:
            if record.attempts >= self.max_claims:
                await self.storage.fail_post(gid, day, PostStatus.FAILED, result.detail)
                await self.storage.set_status(
                    gid, STATUS_FAILING, result.detail, at, channel_id=channel, local_date=day
                )
                log.error(
                    "daily post of %s for guild %s channel %s given up after %d passes: %s",
                    day,
                    gid,
                    channel,
                    record.attempts,
                    result.detail,
                )
                return outcome(PostResult.GAVE_UP, result.detail)
            await self.storage.fail_post(gid, day, PostStatus.RETRY, result.detail)
            self._cool_down(gid, at, record.attempts)
            log.warning(
                "daily post of %s for guild %s channel %s: %s; will retry",
                day,
                gid,
                channel,
                result.detail,
            )
            return outcome(PostResult.RETRY_LATER, result.detail)
        await self.storage.fail_post(gid, day, PostStatus.FAILED, result.detail)
        log.error(
            "daily post of %s for guild %s channel %s failed: %s", day, gid, channel, result.detail
        )
        return outcome(PostResult.FAILED, result.detail)

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

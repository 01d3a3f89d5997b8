"""400 simulated days of daily posts in six zones, with restarts, crashes, retries and early,
late and duplicate wake-ups, driving the real DailyScheduler loop with a fake clock.

Checked against an independent reference for the send instant (enumerate the zone's offsets
around the date instead of PEP 495 round trips): exactly one post per existing local date, none
lost, each at its local time (or the first valid instant after a gap), no quote repeated
within a cycle.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.daily import DailySchedule, local_send_instant
from bot.scheduler import DailyScheduler, SendResult
from bot.storage import MemoryStorage, PostStatus, SQLiteStorage, Storage

DAYS = 400
QUOTES_PER_GUILD = 7
NONCE_WINDOW = timedelta(minutes=2)

# (zone, local times): ordinary times plus times that fall in DST gaps/overlaps or at midnight
# transitions in the simulated periods.
PLAN: list[tuple[str, tuple[str, ...]]] = [
    ("Asia/Tokyo", ("08:47",)),
    ("Europe/Berlin", ("02:30", "09:00")),
    ("America/Sao_Paulo", ("00:30", "23:30")),
    ("Australia/Lord_Howe", ("02:15", "01:45")),
    ("Pacific/Apia", ("10:00", "23:30")),
    ("UTC", ("00:00",)),
]


class Stop(BaseException):
    """End of the simulated period."""


class Restart(BaseException):
    """The process dies; a new one starts after some downtime."""


def reference_instant(zone: ZoneInfo, day: date, at: time) -> datetime | None:
    """Independent reference: try every UTC offset the zone uses around ``day``; the earliest
    that reproduces the wall time wins; in a gap, scan minute by minute for the jump."""
    wall = datetime.combine(day, at)
    offsets = set()
    for hours in range(-48, 49, 6):
        probe = (wall + timedelta(hours=hours)).replace(tzinfo=zone)
        offsets.add(probe.utcoffset())
    candidates = sorted((wall - off).replace(tzinfo=UTC) for off in offsets if off is not None)
    valid = [c for c in candidates if c.astimezone(zone).replace(tzinfo=None) == wall]
    if valid:
        instant = valid[0]
    else:
        t = candidates[0]
        while t.astimezone(zone).replace(tzinfo=None) < wall:
            t += timedelta(minutes=1)
        instant = t
    return instant if instant.astimezone(zone).date() == day else None


@dataclass
class Message:
    id: int
    guild_id: int
    quote_key: str
    nonce: str
    at: datetime


@dataclass
class World:
    """The fake clock, the fake Discord, and the chaos schedule (seeded)."""

    now: datetime
    end: datetime
    rng: random.Random
    messages: list[Message] = field(default_factory=list)
    by_nonce: dict[str, Message] = field(default_factory=dict)
    stats: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "restarts",
                "crash_after_send",
                "crash_before_send",
                "retryable",
                "duplicate_runs",
                "early_wakeups",
                "late_wakeups",
                "passes",
            ),
            0,
        )
    )
    other: DailyScheduler | None = None

    def clock(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.stats["passes"] += 1
        roll = self.rng.random()
        if roll < 0.2:
            jitter = -self.rng.uniform(0.0005, 0.01)
            self.stats["early_wakeups"] += 1
        elif roll < 0.4:
            jitter = self.rng.uniform(0.0005, 2.0)
            self.stats["late_wakeups"] += 1
        else:
            jitter = 0.0
        self.now += timedelta(seconds=max(seconds + jitter, 0.0))
        if self.now >= self.end:
            raise Stop
        if self.rng.random() < 0.003:
            raise Restart
        if self.other is not None and self.rng.random() < 0.05:
            # a duplicate wake-up from a second scheduler on the same storage
            self.stats["duplicate_runs"] += 1
            await self.other.run_once(self.now + timedelta(milliseconds=self.rng.uniform(0, 5)))

    async def send(self, schedule: DailySchedule, quote_key: str, nonce: str) -> SendResult:
        roll = self.rng.random()
        if roll < 0.01:
            self.stats["crash_before_send"] += 1
            raise Restart
        if roll < 0.04:
            self.stats["retryable"] += 1
            return SendResult.retryable("503 Service Unavailable")
        seen = self.by_nonce.get(nonce)  # enforce_nonce: a repeat within minutes returns it
        if seen is not None and self.now - seen.at <= timedelta(minutes=5):
            return SendResult.ok(seen.id)
        self.now += timedelta(milliseconds=5)  # the post takes 5 ms
        message = Message(len(self.messages) + 1, schedule.guild_id, quote_key, nonce, self.now)
        self.messages.append(message)
        self.by_nonce[nonce] = message
        if roll < 0.05:
            self.stats["crash_after_send"] += 1
            raise Restart
        return SendResult.ok(message.id)


def quote_order(schedule: DailySchedule) -> Sequence[str]:
    keys = [f"q{i}" for i in range(QUOTES_PER_GUILD)]
    random.Random(schedule.guild_id).shuffle(keys)
    return keys


def schedules_for(plan: list[tuple[str, tuple[str, ...]]]) -> list[DailySchedule]:
    out = []
    for zone, times in plan:
        for hhmm in times:
            guild = 1000 + len(out)
            out.append(DailySchedule(guild, guild * 10, time.fromisoformat(hhmm), zone))
    return out


async def simulate(
    storage: Storage, schedules: list[DailySchedule], start: datetime, seed: int
) -> World:
    rng = random.Random(seed)
    world = World(now=start, end=start + timedelta(days=DAYS), rng=rng)

    def new_scheduler(config: list[DailySchedule]) -> DailyScheduler:
        return DailyScheduler(
            storage,
            send=world.send,
            quote_order=quote_order,
            clock=world.clock,
            sleep=world.sleep,
            config_schedules=config,
            max_sleep=24 * 3600.0,  # fast path: jump straight to the next wake-up
            base_delay=1.0,
            max_delay=8.0,
            retry_cooldown=30.0,
            nonce_window=NONCE_WINDOW,
            rng=random.Random(rng.random()),
        )

    world.other = new_scheduler([])
    while True:
        try:
            await new_scheduler(schedules).run()
        except Stop:
            return world
        except Restart:
            world.stats["restarts"] += 1
            # downtime shorter than the nonce window, so a post interrupted by a crash is
            # resent with its nonce and no day is lost (longer downtime: see tests/bot/scheduler)
            world.now += timedelta(seconds=rng.uniform(1, 100))


async def check(
    storage: Storage, world: World, schedules: list[DailySchedule], start: datetime
) -> None:
    by_id = {m.id: m for m in world.messages}
    assert len(by_id) == len(world.messages)
    for s in schedules:
        zone = ZoneInfo(s.timezone)
        first = start.astimezone(zone).date() + timedelta(days=1)
        last = world.end.astimezone(zone).date() - timedelta(days=1)
        expected: dict[date, datetime] = {}
        day = first
        while day <= last:
            ref = reference_instant(zone, day, s.time)
            assert local_send_instant(s, day) == ref, (s.timezone, s.time, day)
            if ref is not None and ref < world.end - timedelta(hours=7):
                expected[day] = ref
            day += timedelta(days=1)

        posts = [m for m in world.messages if m.guild_id == s.guild_id]
        rows = {}
        for day in expected:
            row = await storage.get_post(s.guild_id, day)
            assert row is not None, f"lost: {s.timezone} {s.time} {day}"
            assert row.status == PostStatus.SENT, (s.timezone, day, row)
            rows[day] = row
        # exactly one message per local date, and no message for any other date
        sent_ids = [r.message_id for r in rows.values()]
        assert len(set(sent_ids)) == len(sent_ids)
        in_window = [m for m in posts if first <= m.at.astimezone(zone).date() <= last]
        assert sorted(m.id for m in in_window if m.at < world.end - timedelta(hours=7)) == sorted(
            sent_ids
        ), f"duplicate or stray posts for {s.timezone} {s.time}"
        # each at the right local time: never early, almost always within a few seconds
        lateness = []
        for day, row in rows.items():
            message = by_id[row.message_id or -1]
            assert message.at.astimezone(zone).date() == day
            delay = message.at - expected[day]
            assert timedelta(0) <= delay < timedelta(minutes=10), (s.timezone, day, delay)
            lateness.append(delay)
        prompt = sum(d < timedelta(seconds=3) for d in lateness)
        assert prompt >= 0.9 * len(lateness)
        # no quote repeated within a cycle: the keys follow the guild's permutation exactly
        keys = [rows[d].quote_key for d in sorted(rows)]
        posted_before = len(
            [m for m in posts if m.at.astimezone(zone).date() < first]
        )  # a post on the first simulated evening shifts the cycle
        order = list(quote_order(s))
        cycle = (order * (len(keys) // len(order) + 3))[posted_before : posted_before + len(keys)]
        assert keys == cycle


STARTS = [
    pytest.param(datetime(2011, 6, 1, 3, 17, tzinfo=UTC), id="2011-12"),  # Apia skip, Brazil DST
    pytest.param(datetime(2025, 9, 1, 11, 0, tzinfo=UTC), id="2025-26"),
]


@pytest.mark.parametrize("start", STARTS)
async def test_400_days_six_zones_exactly_one_post_per_local_day(start: datetime) -> None:
    storage = MemoryStorage()
    schedules = schedules_for(PLAN)
    world = await simulate(storage, schedules, start, seed=int(start.timestamp()))
    await check(storage, world, schedules, start)
    for name in (
        "restarts",
        "crash_after_send",
        "crash_before_send",
        "retryable",
        "duplicate_runs",
        "early_wakeups",
        "late_wakeups",
    ):
        assert world.stats[name] >= 3, (name, world.stats)


async def test_400_days_on_sqlite_across_restarts(tmp_path: Path) -> None:
    start = datetime(2011, 6, 1, 3, 17, tzinfo=UTC)
    schedules = schedules_for([("Europe/Berlin", ("02:30",)), ("Pacific/Apia", ("10:00",))])
    storage = await SQLiteStorage.open(tmp_path / "state.sqlite3")
    try:
        world = await simulate(storage, schedules, start, seed=11)
        await check(storage, world, schedules, start)
        assert world.stats["restarts"] >= 3
    finally:
        await storage.close()

"""The scheduler tests' world: a fake clock, a fake Discord that can fail or crash on
cue, the schedules and quotes they post."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.core.daily import DailySchedule
from bot.scheduler import (
    DailyScheduler,
    SendResult,
)
from bot.storage import Storage

SLOT = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # 09:00 in Europe/Berlin
DAY = date(2026, 6, 1)
A, B = 1001, 2002
QUOTES = ["q0", "q1", "q2"]


def schedule(guild: int, channel: int | None = None) -> DailySchedule:
    return DailySchedule(guild, channel or guild * 10, time(9, 0), "Europe/Berlin")


class Crash(BaseException):
    """The process dies (not an Exception: nothing in the scheduler may swallow it)."""


@dataclass
class Clock:
    now: datetime
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)


@dataclass
class Message:
    id: int
    guild_id: int
    channel_id: int
    quote_key: str
    nonce: str
    at: datetime


DELIVERED_BUT_TIMED_OUT = "delivered-but-timed-out"
"""Script item: the message is created, but the bot sees a timeout (outcome unknown)."""


class FakeDiscord:
    """The ``send`` callback: scripted failures per guild, then real messages; like Discord with
    ``enforce_nonce``, a repeated nonce *in the same channel* within ``dedupe`` returns the
    existing message."""

    def __init__(self, clock: Clock, dedupe: timedelta = timedelta(minutes=5)) -> None:
        self.clock = clock
        self.dedupe = dedupe
        self.messages: list[Message] = []
        self.calls: list[tuple[int, str, str]] = []
        self.channels: list[int] = []
        self.times: list[datetime] = []
        self.script: dict[int, list[SendResult | BaseException | str]] = {}
        self.crash_after_delivery: set[int] = set()

    def _deliver(self, s: DailySchedule, quote_key: str, nonce: str) -> Message:
        for m in self.messages:
            if (
                m.nonce == nonce
                and m.channel_id == s.channel_id
                and self.clock.now - m.at <= self.dedupe
            ):
                return m
        message = Message(
            len(self.messages) + 1, s.guild_id, s.channel_id, quote_key, nonce, self.clock.now
        )
        self.messages.append(message)
        return message

    async def send(self, s: DailySchedule, quote_key: str, nonce: str) -> SendResult:
        self.calls.append((s.guild_id, quote_key, nonce))
        self.channels.append(s.channel_id)
        self.times.append(self.clock.now)
        queue = self.script.get(s.guild_id)
        if queue:
            item = queue.pop(0)
            if isinstance(item, BaseException):
                raise item
            if item == DELIVERED_BUT_TIMED_OUT:
                self._deliver(s, quote_key, nonce)
                return SendResult.unknown("TimeoutError()")
            assert isinstance(item, SendResult)
            return item
        message = self._deliver(s, quote_key, nonce)
        if s.guild_id in self.crash_after_delivery:
            self.crash_after_delivery.discard(s.guild_id)
            raise Crash
        return SendResult.ok(message.id)

    def posts(self, guild: int) -> list[Message]:
        return [m for m in self.messages if m.guild_id == guild]


def order(_: DailySchedule) -> Sequence[str]:
    return QUOTES


def make(storage: Storage, clock: Clock, discord: FakeDiscord, **kw: Any) -> DailyScheduler:
    return DailyScheduler(
        storage,
        send=discord.send,
        quote_order=kw.pop("quote_order", order),
        clock=clock,
        sleep=clock.sleep,
        rng=random.Random(7),
        **kw,
    )

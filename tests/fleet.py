"""A fleet of ``corpusbot run`` processes against the Discord double and one database, for the
multi-process simulation test and ``python -m benchmarks.scale``.

:class:`Fleet` starts N processes, each running shards ``[i]`` of N, on a shared simulated fast
clock (:mod:`bot.simclock`); process ``i`` may reach REST through a :class:`~tests.double.outage.Relay`
the caller takes down and up. :func:`make_guilds` fills the double with guilds (each with one
channel) spread over the shards; :meth:`Fleet.schedule_all` gives every guild a daily post at
the same simulated minute.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path

from bot.core.daily import DailySchedule
from bot.simclock import ENV as CLOCK_ENV
from bot.simclock import SimulatedClock
from bot.storage import open_storage
from tests.double import DiscordDouble
from tests.double.outage import Relay

ROOT = Path(__file__).resolve().parents[1]


def make_guilds(double: DiscordDouble, count: int) -> dict[str, str]:
    """Add ``count`` guilds with one channel each; returns guild id -> channel id."""
    base = int(time.time() * 1000) - 1_420_070_400_000
    channels = {}
    for k in range(count):
        gid = str(((base + k) << 22) | 1)
        double.add_guild(f"guild {k}", guild_id=gid)
        channels[gid] = double.add_channel(gid, "general")
    return channels


@dataclass
class Fleet:
    """``size`` bot processes, shard ``i`` of ``size`` each, sharing ``storage_url``."""

    double: DiscordDouble
    storage_url: str
    folder: Path
    size: int = 3
    scale: float = 60.0
    relays: dict[int, Relay] = field(default_factory=dict)
    processes: dict[int, asyncio.subprocess.Process] = field(default_factory=dict)
    clock: SimulatedClock = field(
        default_factory=lambda: SimulatedClock(
            time.time(), datetime(2026, 5, 12, 8, 0, tzinfo=UTC), 60.0
        )
    )

    def __post_init__(self) -> None:
        self.clock = SimulatedClock(self.clock.real_epoch, self.clock.start, self.scale)

    def _config(self, index: int) -> Path:
        api = self.relays[index].url if index in self.relays else self.double.api_base
        path = self.folder / f"bot{index}.yaml"
        path.write_text(
            "discord:\n"
            f"  api_base: {api}\n"
            f"  gateway_url: {self.double.gateway_url}\n"
            f"  shard_count: {self.size}\n"
            f"  shard_ids: [{index}]\n"
            "  identify_interval: 0.5\n"
            "storage:\n"
            f"  url: {self.storage_url}\n"
            "logging:\n"
            "  level: WARNING\n",
            encoding="utf-8",
        )
        return path

    async def start(self, index: int) -> None:
        """Start process ``index`` (again, after a kill): same config, same clock."""
        env = {
            **os.environ,
            "DISCORD_TOKEN": self.double.token,
            CLOCK_ENV: self.clock.to_text(),
        }
        log = (self.folder / f"bot{index}.log").open("ab")
        self.processes[index] = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--config",
            str(self._config(index)),
            cwd=self.folder,
            env=env,
            stdout=log,
            stderr=log,
        )
        log.close()

    async def start_all(self, wait_s: float = 60.0) -> None:
        """Start every process and wait until each shard has identified."""
        for index in range(self.size):
            await self.start(index)
        await self.wait_identified(range(self.size), wait_s)

    async def wait_identified(self, shards: Sequence[int], wait_s: float, after: int = 0) -> None:
        """Wait until each of ``shards`` has an accepted IDENTIFY (among those after the
        first ``after``) and its guilds were sent."""
        end = time.monotonic() + wait_s
        while True:
            seen = {
                r.shard[0]
                for r in self.double.sharding.identifies[after:]
                if r.accepted and r.shard is not None
            }
            if set(shards) <= seen:
                await asyncio.sleep(0.5)  # READY and GUILD_CREATEs processed
                return
            for index, process in self.processes.items():
                if process.returncode is not None:
                    raise RuntimeError(f"bot {index} exited: {self.log(index)[-3000:]}")
            if time.monotonic() > end:
                raise TimeoutError(f"shards {sorted(set(shards) - seen)} did not identify")
            await asyncio.sleep(0.05)

    def log(self, index: int) -> str:
        """What process ``index`` printed so far."""
        path = self.folder / f"bot{index}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    async def kill(self, index: int) -> None:
        """SIGKILL process ``index`` (no clean-up of any kind) and reap it."""
        process = self.processes[index]
        process.send_signal(signal.SIGKILL)
        await process.wait()

    async def kill_all(self) -> None:
        """SIGKILL every process still running (the fast end of a simulation)."""
        for index, process in self.processes.items():
            if process.returncode is None:
                await self.kill(index)

    async def stop_all(self) -> None:
        """SIGINT every process (a clean stop), SIGKILL what does not stop in 10 s."""
        for process in self.processes.values():
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes.values():
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()

    async def schedule_all(self, channels: dict[str, str], lead: timedelta) -> datetime:
        """Give every guild a daily post at the same UTC minute, at least ``lead`` (simulated)
        from now; returns that slot."""
        slot = (self.clock() + lead + timedelta(minutes=1)).replace(second=0, microsecond=0)
        storage = await open_storage(self.storage_url)
        try:
            at = self.clock()
            for gid, channel in channels.items():
                schedule = DailySchedule(
                    int(gid), int(channel), wall_time(slot.hour, slot.minute), "UTC"
                )
                await storage.set_schedule(schedule, at=at)
        finally:
            await storage.close()
        return slot


def posts_per_guild(double: DiscordDouble, channels: dict[str, str]) -> dict[str, int]:
    """How many daily posts (channel messages, not interaction answers) each guild has."""
    counts = dict.fromkeys(channels, 0)
    by_channel = {c: g for g, c in channels.items()}
    for message in double.messages.values():
        guild = by_channel.get(message["channel_id"])
        if guild is not None and "webhook_id" not in message and "interaction" not in message:
            counts[guild] += 1
    return counts

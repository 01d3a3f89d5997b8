"""Proof by simulation: three ``corpusbot run`` processes (shards 0, 1, 2 of 3) against the
Discord double and one PostgreSQL, 1,000 guilds whose daily post is at the same minute. Every
guild gets exactly one post, although one process is SIGKILLed mid-run and restarted and
another loses its network (connection refused) for several simulated minutes. Time runs 60x
faster in the bots (bot.simclock); Discord's nonce deduplication stays in real time."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.sharding import shard_of
from bot.storage import PostStatus, open_storage
from tests.double import DiscordDouble
from tests.double.outage import Relay
from tests.fleet import Fleet, make_guilds, posts_per_guild
from tests.postgres_server import fresh_schema

pytestmark = pytest.mark.e2e

GUILDS = 1000
KILLED, CUT_OFF = 1, 2  # process 1 is SIGKILLed mid-run; process 2 loses its network


async def test_three_processes_post_once_per_guild_despite_a_kill_and_an_outage(
    postgres_server: str, tmp_path: Path
) -> None:
    double = DiscordDouble(default_guild=False)
    double.sharding.shard_count = 3
    double.sharding.identify_interval = 0.3
    channels = make_guilds(double, GUILDS)
    await double.start()
    relay = Relay(double.port)
    await relay.up()
    try:
        async with fresh_schema(postgres_server) as url:
            fleet = Fleet(double, url, tmp_path, size=3, scale=60.0, relays={CUT_OFF: relay})
            try:
                await fleet.start_all()
                await relay.down()  # process 2: connection refused from before the slot
                slot = await fleet.schedule_all(channels, lead=timedelta(minutes=1))
                killed_guilds = [g for g in channels if shard_of(int(g), 3) == KILLED]

                async def posted(guilds: list[str]) -> int:
                    counts = posts_per_guild(double, channels)
                    return sum(1 for g in guilds if counts[g])

                deadline = time.monotonic() + 60
                while await posted(killed_guilds) < 40:  # mid-run for process 1
                    assert time.monotonic() < deadline, fleet.log(KILLED)[-3000:]
                    await asyncio.sleep(0.01)
                await fleet.kill(KILLED)
                identified = len(double.sharding.identifies)
                await fleet.start(KILLED)
                await fleet.wait_identified([KILLED], 60, after=identified)
                outage_left = slot + timedelta(minutes=4) - fleet.clock()  # a 4-minute outage
                await asyncio.sleep(max(outage_left.total_seconds() / fleet.scale, 0.0))
                assert await posted([g for g in channels if shard_of(int(g), 3) == CUT_OFF]) == 0
                await relay.up()
                while await posted(list(channels)) < GUILDS:
                    assert time.monotonic() < deadline + 30, "posts missing"
                    await asyncio.sleep(0.1)
                await asyncio.sleep(1.0)  # a second more (a simulated minute): no duplicate
                counts = posts_per_guild(double, channels)
                assert sorted(set(counts.values())) == [1], {
                    g: n for g, n in counts.items() if n != 1
                }
                storage = await open_storage(url)
                try:
                    day = slot.date()
                    rows = [await storage.get_post(int(g), day) for g in channels]
                    assert all(r is not None and r.status == PostStatus.SENT for r in rows)
                finally:
                    await storage.close()
                for index in range(3):
                    assert "Traceback" not in fleet.log(index), fleet.log(index)[-3000:]
                # the cut-off process said so, naming itself and its shard
                cut_off = [
                    line for line in fleet.log(CUT_OFF).splitlines() if "unreachable" in line
                ]
                assert cut_off
                assert all(f"shards {CUT_OFF} of 3] bot.scheduler" in line for line in cut_off)
            finally:
                await fleet.kill_all()
        double.assert_no_violations()
    finally:
        await relay.down()
        await double.stop()

"""Two processes' worth of shards against the Discord double: each bot runs one shard of two,
READY lists only its shard's guilds, IDENTIFYs take turns through the shared database (the
double refuses one that comes too soon), and each bot posts daily quotes only for its guilds."""

from __future__ import annotations

import contextlib
import itertools
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.client import CorpusBot
from bot.core.daily import DailySchedule
from bot.core.library import Library
from bot.settings import Settings, load_settings
from bot.sharding import describe, owns, shard_of
from tests.double import DiscordDouble, connect_bot
from tests.e2e.daily_helpers import FakeClock

pytestmark = pytest.mark.e2e

SLOT = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
INTERVAL = 0.3  # seconds the double demands between IDENTIFYs of one bucket
BOT_INTERVAL = 0.5  # what the bots are told (a margin: the double measures arrival times)


def _settings(tmp_path: Path, shard: int, storage: Path) -> Settings:
    config = tmp_path / f"shard{shard}.yaml"
    config.write_text(
        "discord:\n"
        "  shard_count: 2\n"
        f"  shard_ids: [{shard}]\n"
        f"  identify_interval: {BOT_INTERVAL}\n"
        "storage:\n"
        f"  path: {storage}\n",
        encoding="utf-8",
    )
    return load_settings(config, env={})


def test_shard_arithmetic_follows_discords_formula() -> None:
    guild = 175928847299117063  # Discord's documentation example: shard 1 of 2... by formula
    assert shard_of(guild, 2) == (guild >> 22) % 2
    assert owns(guild, 2, [shard_of(guild, 2)])
    assert not owns(guild, 2, [1 - shard_of(guild, 2)])
    assert owns(guild, None, None)
    assert describe(12, [0, 1, 2, 3]) == "shards 0-3 of 12"
    assert describe(12, [0, 5]) == "shards 0,5 of 12"


async def test_two_bots_split_the_guilds_identify_in_turn_and_post_only_their_own(
    tmp_path: Path, seed_library: Library
) -> None:
    double = DiscordDouble(default_guild=False)
    double.sharding.shard_count = 2
    double.sharding.identify_interval = INTERVAL
    guilds = [str(((1_600_000_000_000 + k) << 22) | 7) for k in range(8)]
    channels = {}
    for gid in guilds:
        double.add_guild(f"guild {gid[-4:]}", guild_id=gid)
        channels[gid] = double.add_channel(gid, "general")
    await double.start()
    storage = tmp_path / "shared.sqlite3"
    clock = FakeClock(SLOT - timedelta(minutes=5))
    bots = [
        CorpusBot(
            _settings(tmp_path, shard, storage), seed_library, guild_ready_timeout=0.1, clock=clock
        )
        for shard in (0, 1)
    ]
    try:
        async with contextlib.AsyncExitStack() as stack:
            for bot in bots:
                await stack.enter_async_context(connect_bot(bot, double))
            for gid in guilds:
                schedule = DailySchedule(int(gid), int(channels[gid]), time(9, 0), "UTC")
                await bots[0].storage.set_schedule(schedule, at=clock.now)
            for shard, bot in enumerate(bots):
                assert {g.id for g in bot.guilds} == {
                    int(g) for g in guilds if shard_of(int(g), 2) == shard
                }
            clock.now = SLOT + timedelta(seconds=1)
            posted: dict[int, list[int]] = {}
            for shard, bot in enumerate(bots):
                cog: Any = bot.get_cog("Daily")
                outcomes = await cog.scheduler.run_once()
                posted[shard] = [o.guild_id for o in outcomes if o.result == "sent"]
                assert all(shard_of(g, 2) == shard for g in posted[shard])
            assert sorted(posted[0] + posted[1]) == sorted(int(g) for g in guilds)
            for gid in guilds:
                sends = double.requests(f"/channels/{channels[gid]}/messages", "POST")
                assert len(sends) == 1
        accepted = [r for r in double.sharding.identifies if r.accepted]
        assert sorted(r.shard for r in accepted if r.shard) == [(0, 2), (1, 2)]
        gaps = [b.at - a.at for a, b in itertools.pairwise(accepted)]
        assert all(gap >= INTERVAL * 0.9 for gap in gaps)  # one bucket (max_concurrency 1)
        double.assert_no_violations()
    finally:
        await double.stop()

"""A network outage at post time: sends that never reached Discord (connection refused) are
retried within the grace window, so an outage of minutes delays the daily post instead of
losing it, and the post still appears once."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import discord
import pytest

from tests.double import DiscordDouble, connect_bot
from tests.e2e.daily_helpers import SLOT, FakeClock, daily_cog, daily_posts, run_daily, set_options

pytestmark = pytest.mark.e2e


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed on exit: connecting is refused


@pytest.mark.parametrize("outage_minutes", [3, 10, 60])
async def test_an_outage_of_minutes_delays_the_post_and_it_appears_once(
    outage_minutes: int,
    make_bot: Any,
    discord_double: DiscordDouble,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    double = discord_double
    clock = FakeClock(SLOT - timedelta(hours=1))
    async with connect_bot(make_bot(clock=clock), double) as bot:
        await run_daily(double, "set", set_options(double.channel_id))
        scheduler = daily_cog(bot).scheduler
        assert scheduler is not None
        working = discord.http.Route.BASE
        monkeypatch.setattr(
            discord.http.Route, "BASE", f"http://127.0.0.1:{_closed_port()}/api/v10"
        )
        results = []
        clock.now = SLOT
        while clock.now < SLOT + timedelta(minutes=outage_minutes):
            results += [o.result for o in await scheduler.run_once()]
            clock.now += timedelta(seconds=20)
        assert results
        assert set(results) == {"unreached"}
        assert daily_posts(double, double.channel_id) == []
        monkeypatch.setattr(discord.http.Route, "BASE", working)  # the network is back
        end = clock.now
        while not (sent := [o for o in await scheduler.run_once() if o.result == "sent"]):
            clock.now += timedelta(seconds=5)
            assert clock.now - end <= timedelta(seconds=65), "not posted after the outage"
        assert len(sent) == 1
        for _ in range(5):  # later passes post nothing more
            clock.now += timedelta(minutes=10)
            assert await scheduler.run_once() == []
        assert len(daily_posts(double, double.channel_id)) == 1
        shown = await run_daily(double, "show")
        assert "Last post: 2026-05-12 (sent)" in shown["content"]

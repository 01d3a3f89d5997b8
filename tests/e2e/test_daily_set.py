"""``/daily set`` end to end: who may set it, where it can post, time-zone autocomplete and
its answers (the real client, the Discord double)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.core.daily import DailySchedule, timezone_choices
from tests.double import DiscordDouble, connect_bot, payloads
from tests.double.server import VIEW_CHANNEL
from tests.e2e.daily_helpers import (
    EPHEMERAL,
    SLOT,
    TOKYO,
    FakeClock,
    daily_cog,
    run_daily,
    set_options,
)

pytestmark = pytest.mark.e2e


async def test_set_by_admin_shows_next_three_times_and_refuses_non_admin(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    clock = FakeClock(SLOT - timedelta(hours=1))
    bot = make_bot(clock=clock)
    async with connect_bot(bot, discord_double):
        denied = await run_daily(
            discord_double, "set", set_options(discord_double.channel_id), permissions=0
        )
        assert int(denied.get("flags", 0)) & EPHEMERAL
        assert "Manage" in denied["content"]
        assert await bot.storage.get_schedule(int(discord_double.guild_id)) is None

        shown = await run_daily(discord_double, "set", set_options(discord_double.channel_id))
        assert int(shown.get("flags", 0)) & EPHEMERAL
        first = int(SLOT.timestamp())
        for day in range(3):
            assert f"<t:{first + day * 86400}:F>" in shown["content"]
        schedule = await bot.storage.get_schedule(int(discord_double.guild_id))
        assert schedule is not None
        assert (schedule.timezone, schedule.time.isoformat("minutes")) == ("Asia/Tokyo", "08:47")

        bad = await run_daily(
            discord_double, "set", set_options(discord_double.channel_id, time="25:61")
        )
        assert "HH:MM" in bad["content"]


async def test_set_refuses_a_channel_where_the_bot_cannot_send(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    mute = discord_double.add_channel(
        discord_double.guild_id, "read-only", permissions_for_bot=VIEW_CHANNEL
    )
    bot = make_bot(clock=FakeClock(SLOT))
    async with connect_bot(bot, discord_double):
        shown = await run_daily(discord_double, "set", set_options(mute))
        assert "Send Messages" in shown["content"]
        assert await bot.storage.get_schedule(int(discord_double.guild_id)) is None


def test_timezone_autocomplete_finds_berlin() -> None:
    assert timezone_choices("berl")[0] == "Europe/Berlin"
    assert timezone_choices("lord howe")[0] == "Australia/Lord_Howe"
    assert len(timezone_choices("a")) == 25
    assert len(timezone_choices("")) <= 25


async def test_timezone_option_autocompletes_through_discord(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    bot = make_bot()
    async with connect_bot(bot, discord_double):
        handle = await discord_double.send_interaction(
            payloads.autocomplete(
                "daily",
                {"channel": discord_double.channel_id, "time": "08:00", "timezone": "berl"},
                focused="timezone",
                subcommand="set",
            )
        )
        choices = (await handle.response())["data"]["choices"]
    assert choices[0]["value"] == "Europe/Berlin"


async def test_set_names_every_missing_permission_in_the_plural(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    hidden = discord_double.add_channel(discord_double.guild_id, "hidden", permissions_for_bot=0)
    bot = make_bot(clock=FakeClock(SLOT))
    async with connect_bot(bot, discord_double):
        shown = await run_daily(discord_double, "set", set_options(hidden))
    assert (
        "missing the View Channel, Send Messages and Embed Links permissions" in (shown["content"])
    )


async def test_a_channel_of_another_guild_is_refused_before_the_gateway_cache_knows_it(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    """The guard asks Discord (the channel's REST answer), not discord.py's cache: here the
    cache has not received the other guild (as in the first seconds after start-up)."""
    double = discord_double
    g2 = double.add_guild("Second")
    c2 = double.add_channel(g2, "general")
    clock = FakeClock(SLOT - timedelta(hours=1))
    async with connect_bot(make_bot(clock=clock), double) as bot:
        other = bot.get_guild(int(g2))
        assert other is not None
        bot._connection._remove_guild(other)  # the cache does not know the guild (yet)
        assert bot.get_channel(int(c2)) is None
        g1 = int(double.guild_id)
        await bot.storage.set_schedule(
            DailySchedule(g1, int(c2), SLOT.astimezone(TOKYO).time(), "Asia/Tokyo"),
            source="config",
            at=clock.now,
        )
        clock.now = SLOT + timedelta(seconds=1)
        [outcome] = await daily_cog(bot).scheduler.run_once()  # type: ignore[union-attr]
        assert outcome.result == "wrong_guild"
        assert double.requests(f"/channels/{c2}/messages", "POST") == []


async def test_utc_offsets_autocomplete_and_confirm_with_their_real_offset(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    bot = make_bot(clock=FakeClock(SLOT))
    async with connect_bot(bot, discord_double):
        handle = await discord_double.send_interaction(
            payloads.autocomplete(
                "daily",
                {"channel": discord_double.channel_id, "time": "08:00", "timezone": "GMT+2"},
                focused="timezone",
                subcommand="set",
            )
        )
        choices = (await handle.response())["data"]["choices"]
        assert choices[0] == {"name": "UTC+2", "value": "Etc/GMT-2"}
        assert {"name": "UTC-2 (Etc/GMT+2)", "value": "Etc/GMT+2"} in choices

        # the POSIX name set explicitly is kept, and the answers say what it really is
        shown = await run_daily(
            discord_double, "set", set_options(discord_double.channel_id, zone="Etc/GMT+2")
        )
        assert "Etc/GMT+2 is UTC-2" in shown["content"]
        show = await run_daily(discord_double, "show")
        assert "Etc/GMT+2 is UTC-2" in show["content"]
        assert "(UTC-2, Etc/GMT+2)" in show["content"]  # the schedule line says the offset
        # typed without choosing: "UTC+2" means the zone two hours ahead of UTC
        await run_daily(discord_double, "set", set_options(discord_double.channel_id, zone="UTC+2"))
        schedule = await bot.storage.get_schedule(int(discord_double.guild_id))
        assert schedule is not None
        assert schedule.timezone == "Etc/GMT-2"
        # an abbreviation is refused with the zones it may mean, nothing is stored
        refused = await run_daily(
            discord_double, "set", set_options(discord_double.channel_id, zone="PST")
        )
        assert "America/Los_Angeles" in refused["content"]
        schedule = await bot.storage.get_schedule(int(discord_double.guild_id))
        assert schedule is not None
        assert schedule.timezone == "Etc/GMT-2"

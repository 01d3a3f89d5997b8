"""``/daily`` and the daily post end to end: the real client, the Discord double, a fake clock."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest

from bot.core.daily import DailySchedule
from bot.scheduler import STATUS_CHANNEL_MISSING, STATUS_PAUSED, STATUS_WRONG_GUILD
from tests.double import DiscordDouble, connect_bot, payloads
from tests.double.server import SEND_MESSAGES, VIEW_CHANNEL
from tests.e2e.daily_helpers import (
    EPHEMERAL,
    ROLE,
    SLOT,
    TOKYO,
    FakeClock,
    daily_cog,
    daily_posts,
    run_daily,
    set_options,
)

pytestmark = pytest.mark.e2e


async def test_post_arrives_at_the_slot_without_pings_and_once_across_restart(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    clock = FakeClock(SLOT - timedelta(hours=1))
    guild = discord_double.guild_id
    async with connect_bot(make_bot(clock=clock), discord_double) as bot:
        await run_daily(discord_double, "set", set_options(discord_double.channel_id))
        scheduler = daily_cog(bot).scheduler
        assert scheduler is not None
        clock.now = SLOT - timedelta(milliseconds=5)
        await scheduler.run_once()
        assert daily_posts(discord_double, discord_double.channel_id) == []
        clock.now = SLOT + timedelta(milliseconds=5)
        await scheduler.run_once()
        [post] = daily_posts(discord_double, discord_double.channel_id)
        assert post.allowed_mentions == {"parse": []}
        assert post.body["embeds"][0]["description"].startswith("“")
        assert post.body.get("enforce_nonce") is True
        assert post.body.get("nonce")
        shown = await run_daily(discord_double, "show")
        assert "Last post: 2026-05-12 (sent)" in shown["content"]

    clock.now += timedelta(seconds=3)  # a new process, the same database
    async with connect_bot(make_bot(clock=clock), discord_double) as bot:
        scheduler = daily_cog(bot).scheduler
        assert scheduler is not None
        assert await scheduler.run_once() == []
        assert len(daily_posts(discord_double, discord_double.channel_id)) == 1
        assert await bot.storage.get_schedule(int(guild)) is not None


async def test_a_lost_response_is_resent_with_its_nonce_and_posts_once(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    """The post reached Discord but its answer was lost: the scheduler resends with the same
    nonce, Discord (the double, as Discord does with ``enforce_nonce``) returns the message it
    already made, and the channel has one post."""
    double = discord_double
    clock = FakeClock(SLOT - timedelta(hours=1))
    async with connect_bot(make_bot(clock=clock), double) as bot:
        await run_daily(double, "set", set_options(double.channel_id))
        scheduler = daily_cog(bot).scheduler
        assert scheduler is not None
        double.drop_response_next("POST", rf"/channels/{double.channel_id}/messages")
        clock.now = SLOT + timedelta(seconds=1)
        [outcome] = await scheduler.run_once()
        assert (outcome.result, outcome.attempts) == ("sent", 2)
        posts = [m for m in double.channel_messages(double.channel_id) if "webhook_id" not in m]
        [message] = posts  # one post, not two
        assert outcome.message_id == int(message["id"])
        sends = double.requests(f"/channels/{double.channel_id}/messages", "POST")
        assert len(sends) == 2
        assert sends[0].json["nonce"] == sends[1].json["nonce"]
        assert all(r.json["enforce_nonce"] is True for r in sends)
        clock.now = SLOT + timedelta(minutes=5)
        assert await scheduler.run_once() == []
        shown = await run_daily(double, "show")
        assert "Last post: 2026-05-12 (sent)" in shown["content"]


async def test_role_mention_only_when_configured(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    role = discord_double.add_role(discord_double.guild_id, "quote-fans")
    clock = FakeClock(SLOT - timedelta(hours=1))
    async with connect_bot(make_bot(clock=clock), discord_double) as bot:
        options = [
            *set_options(discord_double.channel_id),
            payloads.option("mention_role", role, ROLE),
        ]
        await run_daily(discord_double, "set", options)
        clock.now = SLOT
        await daily_cog(bot).scheduler.run_once()  # type: ignore[union-attr]
        [post] = daily_posts(discord_double, discord_double.channel_id)
        assert post.body["content"] == f"<@&{role}>"
        assert post.allowed_mentions is not None
        assert post.allowed_mentions.get("parse") == []
        assert [str(r) for r in post.allowed_mentions.get("roles", [])] == [role]


@pytest.mark.discord_violations_expected
async def test_403_404_429_503_outcomes(make_bot: Any, discord_double: DiscordDouble) -> None:
    double = discord_double
    muted = double.add_channel(double.guild_id, "muted", permissions_for_bot=VIEW_CHANNEL)
    g2 = double.add_guild("Second")
    c2 = double.add_channel(g2, "general")
    g3 = double.add_guild("Third")
    c3 = double.add_channel(g3, "general")
    clock = FakeClock(SLOT - timedelta(hours=1))
    async with connect_bot(make_bot(clock=clock), double) as bot:
        g1 = double.guild_id
        await run_daily(double, "set", set_options(double.channel_id))
        await run_daily(double, "set", set_options(c2), guild_id=g2, channel_id=c2)
        await run_daily(double, "set", set_options(c3), guild_id=g3, channel_id=c3)
        # after the set: the bot loses Send Messages in guild 1's channel, guild 3's is deleted
        s1 = await bot.storage.get_schedule(int(g1))
        assert s1 is not None
        await bot.storage.set_schedule(DailySchedule(s1.guild_id, int(muted), s1.time, s1.timezone))
        s3 = await bot.storage.get_schedule(int(g3))
        assert s3 is not None
        await bot.storage.set_schedule(DailySchedule(s3.guild_id, 999, s3.time, s3.timezone))
        # guild 2's channel answers 429 then 503 before accepting
        double.fail_next("POST", rf"/channels/{c2}/messages", 429, retry_after=0.01)
        double.fail_next("POST", rf"/channels/{c2}/messages", 503)

        clock.now = SLOT + timedelta(seconds=1)
        outcomes = {o.guild_id: o for o in await daily_cog(bot).scheduler.run_once()}  # type: ignore[union-attr]
        assert outcomes[int(g1)].result == "forbidden"
        assert outcomes[int(g2)].result == "sent"
        assert outcomes[int(g2)].attempts == 2  # discord.py waited out the 429; we retried the 503
        assert outcomes[int(g3)].result == "not_found"
        assert len(daily_posts(double, c2)) == 1

        status = await bot.storage.get_status(int(g1))
        assert status is not None
        assert status.status == STATUS_PAUSED
        assert "Send Messages" in status.detail
        shown = await run_daily(double, "show")
        assert "paused" in shown["content"]
        assert "Send Messages" in shown["content"]
        missing = await bot.storage.get_status(int(g3))
        assert missing is not None
        assert missing.status == STATUS_CHANNEL_MISSING
        assert await bot.storage.get_schedule(int(g3)) is None

        # the next day: guild 1 is attempted again, guild 3 is not
        requests_before = len(double.requests(f"/channels/{999}", "POST"))
        clock.now = SLOT + timedelta(days=1, seconds=1)
        outcomes = {o.guild_id: o for o in await daily_cog(bot).scheduler.run_once()}  # type: ignore[union-attr]
        assert outcomes[int(g1)].result == "forbidden"
        assert int(g3) not in outcomes
        assert len(double.requests(f"/channels/{999}", "POST")) == requests_before


async def test_now_posts_todays_quote_here_once_and_preview_is_private(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    double = discord_double
    here = double.add_channel(double.guild_id, "testing")
    clock = FakeClock(SLOT - timedelta(minutes=30))  # 08:17 in Tokyo, before the slot
    async with connect_bot(make_bot(clock=clock), double) as bot:
        nothing = await run_daily(double, "now", channel_id=here)
        assert "/daily set" in nothing["content"]
        await run_daily(double, "set", set_options(double.channel_id))

        preview = await run_daily(double, "preview", channel_id=here)
        assert int(preview.get("flags", 0)) & EPHEMERAL
        assert f"<t:{int(SLOT.timestamp())}:F>" in preview["content"]
        previewed = preview["embeds"][0]["description"]

        done = await run_daily(double, "now", channel_id=here)
        assert int(done.get("flags", 0)) & EPHEMERAL
        assert "Posted" in done["content"]
        [post] = daily_posts(double, here)
        assert post.body["embeds"][0]["description"] == previewed
        again = await run_daily(double, "now", channel_id=here)
        assert "already posted" in again["content"]

        clock.now = SLOT + timedelta(seconds=1)
        assert await daily_cog(bot).scheduler.run_once() == []  # type: ignore[union-attr]
        assert daily_posts(double, double.channel_id) == []
        assert len(daily_posts(double, here)) == 1


async def test_reconnects_keep_one_scheduler(make_bot: Any, discord_double: DiscordDouble) -> None:
    bot = make_bot(clock=FakeClock(SLOT))

    async def no_wait(shard_id: int | None, *, initial: bool = False) -> None:
        return None

    bot.before_identify_hook = no_wait  # discord.py sleeps 5 s before a re-IDENTIFY
    readies = 0
    ready = asyncio.Event()

    async def count_ready() -> None:
        nonlocal readies
        readies += 1
        ready.set()

    bot.add_listener(count_ready, "on_ready")
    async with connect_bot(bot, discord_double):
        scheduler = daily_cog(bot).scheduler
        assert scheduler is not None
        task = scheduler.start()
        for _ in range(3):  # on_ready fires again after each failed resume
            ready.clear()
            await discord_double.invalidate_session()
            await asyncio.wait_for(ready.wait(), timeout=5)
        assert readies == 4
        assert scheduler.start() is task
        assert scheduler.running
        loops = [t for t in asyncio.all_tasks() if t.get_name() == "daily-scheduler"]
        assert loops == [task]


async def test_now_without_embed_links_is_refused_and_the_day_is_not_used(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    double = discord_double
    plain = double.add_channel(
        double.guild_id, "plain", permissions_for_bot=VIEW_CHANNEL | SEND_MESSAGES
    )
    clock = FakeClock(SLOT - timedelta(minutes=30))
    async with connect_bot(make_bot(clock=clock), double) as bot:
        await run_daily(double, "set", set_options(double.channel_id))
        refused = await run_daily(double, "now", channel_id=plain)
        assert int(refused.get("flags", 0)) & EPHEMERAL
        assert "missing the Embed Links permission" in refused["content"]
        assert "Posted" not in refused["content"]
        assert daily_posts(double, plain) == []
        # the day is still free: the scheduled post goes out at the slot
        clock.now = SLOT + timedelta(seconds=1)
        [outcome] = await daily_cog(bot).scheduler.run_once()  # type: ignore[union-attr]
        assert outcome.result == "sent"
        assert len(daily_posts(double, double.channel_id)) == 1


async def test_a_channel_of_another_guild_is_not_posted_to(
    make_bot: Any, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """A config slip: guild 1's schedule names guild 2's channel. Nothing is sent there, the
    status says why, and the error log names both guilds and the channel."""
    double = discord_double
    g2 = double.add_guild("Second")
    c2 = double.add_channel(g2, "general")
    clock = FakeClock(SLOT - timedelta(hours=1))
    async with connect_bot(make_bot(clock=clock), double) as bot:
        g1 = int(double.guild_id)
        await bot.storage.set_schedule(
            DailySchedule(g1, int(c2), SLOT.astimezone(TOKYO).time(), "Asia/Tokyo"),
            source="config",
            at=clock.now,
        )
        clock.now = SLOT + timedelta(seconds=1)
        with caplog.at_level(logging.ERROR):
            [outcome] = await daily_cog(bot).scheduler.run_once()  # type: ignore[union-attr]
        assert outcome.result == "wrong_guild"
        assert double.requests(f"/channels/{c2}/messages", "POST") == []
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert any(str(g1) in m and c2 in m and g2 in m for m in errors), errors
        status = await bot.storage.get_status(g1)
        assert status is not None
        assert (status.status, status.detail) == (STATUS_WRONG_GUILD, g2)
        shown = await run_daily(double, "show")
        assert "belongs to another server" in shown["content"]
        assert c2 in shown["content"]


@pytest.mark.discord_violations_expected
async def test_a_channel_outside_the_cache_is_still_attempted(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    """Only a channel *known* to be in another guild is refused; an unknown one is sent to and
    Discord answers (here 404)."""
    double = discord_double
    clock = FakeClock(SLOT - timedelta(hours=1))
    async with connect_bot(make_bot(clock=clock), double) as bot:
        g1 = int(double.guild_id)
        await bot.storage.set_schedule(
            DailySchedule(g1, 999, SLOT.astimezone(TOKYO).time(), "Asia/Tokyo")
        )
        clock.now = SLOT + timedelta(seconds=1)
        [outcome] = await daily_cog(bot).scheduler.run_once()  # type: ignore[union-attr]
        assert outcome.result == "not_found"
        assert len(double.requests("/channels/999/messages", "POST")) == 1


async def test_now_and_preview_after_off_say_it_is_off(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    double = discord_double
    clock = FakeClock(SLOT - timedelta(minutes=30))
    async with connect_bot(make_bot(clock=clock), double):
        await run_daily(double, "set", set_options(double.channel_id))
        await run_daily(double, "off")
        shown = await run_daily(double, "show")
        assert "**off**" in shown["content"]
        for sub in ("preview", "now"):
            answer = await run_daily(double, sub)
            assert int(answer.get("flags", 0)) & EPHEMERAL
            assert answer["content"] == (
                "The daily quote is off. Turn it on again with `/daily set`."
            )
        assert daily_posts(double, double.channel_id) == []

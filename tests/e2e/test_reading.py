"""The reading club end to end: instalments at the simulated local time, once across a restart,
the members' pager, and the admin commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.core.library import Library
from bot.core.loader import load_corpus
from tests.double import DiscordDouble, connect_bot, payloads
from tests.double.server import MANAGE_GUILD

pytestmark = pytest.mark.e2e
EPHEMERAL = 1 << 6
# 08:00 in Europe/Berlin (summer time, UTC+2) on 2026-05-12 is 06:00 UTC
SLOT = datetime(2026, 5, 12, 6, 0, tzinfo=UTC)
SENTENCE = "The tide came in over the flats and the gulls rose crying from the mud. "


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """A four-chapter book; chapter 2 is long enough for several pages."""
    folder = tmp_path_factory.mktemp("book")
    lines = ["The Harbour Book", ""]
    for chapter in range(1, 5):
        lines += [f"CHAPTER {chapter}", ""]
        count = 12 if chapter == 2 else 2
        for n in range(1, count + 1):
            lines += [f"Chapter {chapter}, paragraph {n}. " + SENTENCE * 8, ""]
    (folder / "harbour.txt").write_text("\n".join(lines), encoding="utf-8")
    return Library.build(load_corpus([folder]))


async def _reading(
    double: DiscordDouble, sub: str, options: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    payload = payloads.slash_command(
        "reading", options or [], subcommand=sub, permissions=MANAGE_GUILD
    )
    return await (await double.send_interaction(payload)).final()


def _posts(double: DiscordDouble) -> list[dict[str, Any]]:
    messages = double.channel_messages(double.channel_id)
    return [m for m in messages if "webhook_id" not in m]


def _sends(double: DiscordDouble) -> list[Any]:
    path = f"/channels/{double.channel_id}/messages"
    return [r for r in double.requests(path, "POST") if r.path == path]


def _button(message: dict[str, Any], label: str) -> dict[str, Any]:
    [button] = [
        c for row in message["components"] for c in row["components"] if c["label"] == label
    ]
    return button


def _cog(bot: Any) -> Any:
    cog = bot.get_cog("Reading")
    assert cog is not None
    return cog


async def test_instalments_post_at_local_time_once_across_a_restart(
    make_bot: Any, discord_double: DiscordDouble, book: Library
) -> None:
    double = discord_double
    clock = FakeClock(SLOT - timedelta(hours=2))
    async with connect_bot(make_bot(clock=clock, library=book), double) as bot:
        started = await _reading(
            double,
            "start",
            [
                payloads.option("document", "harbour"),
                payloads.option("channel", double.channel_id, payloads.CHANNEL),
                payloads.option("time", "08:00"),
                payloads.option("timezone", "Europe/Berlin"),
                payloads.option("thread", True),
            ],
        )
        assert int(started["flags"]) & EPHEMERAL
        assert "a chapter a day (4 instalments)" in started["content"]
        assert f"<t:{int(SLOT.timestamp())}:F>" in started["content"]
        scheduler = _cog(bot).scheduler
        clock.now = SLOT - timedelta(seconds=1)
        assert await scheduler.run_once() == []
        clock.now = SLOT + timedelta(seconds=1)
        [outcome] = await scheduler.run_once()
        assert (outcome.result, outcome.day) == ("sent", 1)
        [post] = _posts(double)
        assert post["embeds"][0]["title"] == "Day 1 of 4 · Chapter 1"
        assert "Chapter 1, paragraph 1." in post["embeds"][0]["description"]
        [send] = _sends(double)
        assert send.json["nonce"]
        assert send.json["enforce_nonce"] is True
        assert send.json["allowed_mentions"] == {"parse": []}
        [thread] = double.threads
        assert thread["name"] == "Day 1 of 4 · Chapter 1"

    clock.now = SLOT + timedelta(seconds=30)  # a new process, the same database
    async with connect_bot(make_bot(clock=clock, library=book), double) as bot:
        scheduler = _cog(bot).scheduler
        assert await scheduler.run_once() == []
        assert len(_posts(double)) == 1
        clock.now = SLOT + timedelta(days=1, seconds=1)
        [outcome] = await scheduler.run_once()
        assert (outcome.result, outcome.day) == ("sent", 2)
        day2 = _posts(double)[-1]
        assert day2["embeds"][0]["title"] == "Day 2 of 4 · Chapter 2"
        assert day2["embeds"][0]["footer"]["text"].startswith("Page 1 of ")
        status = await _reading(double, "status")
        assert "Read so far: 2 of 4" in status["content"]
        assert "Next: day 3" in status["content"]

        # the members' pager: Next on the post shows page 2 privately; Previous goes back a day
        pager = await (
            await double.send_interaction(
                payloads.component(_button(day2, "Next ▶")["custom_id"], day2)
            )
        ).final()
        assert int(pager["flags"]) & EPHEMERAL
        assert pager["embeds"][0]["footer"]["text"].startswith("Page 2 of ")
        back = await (
            await double.send_interaction(
                payloads.component(_button(day2, "◀ Previous")["custom_id"], day2)
            )
        ).final()
        assert back["embeds"][0]["title"] == "Day 1 of 4 · Chapter 1"
        # a pager button that points past the last posted day (a club started over since)
        stale = {
            **day2,
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "style": 2, "label": "Next ▶", "custom_id": "reading:3:1:n"}
                    ],
                }
            ],
        }
        ahead = payloads.component("reading:3:1:n", stale)
        not_yet = await (await double.send_interaction(ahead)).final()
        assert "not been posted yet" in not_yet["content"]
        double.assert_no_violations()


async def test_pause_skip_and_a_lost_answer_resent_with_its_nonce(
    make_bot: Any, discord_double: DiscordDouble, book: Library
) -> None:
    double = discord_double
    clock = FakeClock(SLOT - timedelta(hours=2))
    async with connect_bot(make_bot(clock=clock, library=book), double) as bot:
        await _reading(
            double,
            "start",
            [
                payloads.option("document", "harbour"),
                payloads.option("channel", double.channel_id, payloads.CHANNEL),
                payloads.option("time", "08:00"),
                payloads.option("timezone", "Europe/Berlin"),
                payloads.option("paragraphs", 5),
            ],
        )
        scheduler = _cog(bot).scheduler
        assert "paused" in (await _reading(double, "pause"))["content"]
        clock.now = SLOT + timedelta(seconds=1)
        assert await scheduler.run_once() == []  # paused: nothing
        await _reading(double, "resume")
        skipped = await _reading(double, "skip")
        assert "day 2" in skipped["content"]
        double.drop_response_next("POST", rf"/channels/{double.channel_id}/messages")
        [lost] = await scheduler.run_once()
        assert lost.result == "unconfirmed"
        clock.now += timedelta(seconds=20)
        [again] = await scheduler.run_once()
        assert (again.result, again.day) == ("resent", 2)
        [post] = _posts(double)  # one message, not two
        assert post["embeds"][0]["title"] == "Day 2 of 4 · Chapter 2, ¶4–8"
        sends = _sends(double)
        assert len({r.json["nonce"] for r in sends}) == 1
        for _ in range(2):  # days 3 and 4 skipped; then there is nothing left
            await _reading(double, "skip")
        finished = await _reading(double, "skip")
        assert "no instalment left" in finished["content"]
        stopped = await _reading(double, "stop")
        assert "stopped" in stopped["content"]
        nothing = await _reading(double, "status")
        assert "no reading club" in nothing["content"]


async def test_reading_is_for_managers_and_servers_only(
    make_bot: Any, discord_double: DiscordDouble, book: Library
) -> None:
    async with connect_bot(make_bot(library=book), discord_double):
        payload = payloads.slash_command("reading", [], subcommand="status", permissions=0)
        denied = await (await discord_double.send_interaction(payload)).final()
        assert "Manage Server" in denied["content"]
        registered = {c["name"]: c for c in discord_double.commands[None].values()}
        assert registered["reading"]["contexts"] == [0]
        assert registered["reading"]["integration_types"] == [0]


async def test_start_refuses_a_channel_where_the_bot_cannot_open_threads(
    make_bot: Any, discord_double: DiscordDouble, book: Library
) -> None:
    from tests.double.server import CREATE_PUBLIC_THREADS, DEFAULT_PERMISSIONS

    quiet = discord_double.add_channel(
        discord_double.guild_id,
        "no-threads",
        permissions_for_bot=DEFAULT_PERMISSIONS & ~CREATE_PUBLIC_THREADS,
    )
    async with connect_bot(make_bot(library=book), discord_double) as bot:
        options = [
            payloads.option("document", "harbour"),
            payloads.option("channel", quiet, payloads.CHANNEL),
            payloads.option("time", "08:00"),
            payloads.option("timezone", "Europe/Berlin"),
            payloads.option("thread", True),
        ]
        refused = await _reading(discord_double, "start", options)
        assert "Create Public Threads" in refused["content"]
        assert await bot.storage.get_reading_club(int(discord_double.guild_id)) is None


@pytest.mark.parametrize("size", [-3, 0, 10_000])
async def test_start_refuses_an_out_of_range_size_and_saves_nothing(
    make_bot: Any, discord_double: DiscordDouble, book: Library, size: int
) -> None:
    """Discord's clients enforce the option's bounds; a non-standard client does not."""
    async with connect_bot(make_bot(library=book), discord_double) as bot:
        options = [
            payloads.option("document", "harbour"),
            payloads.option("channel", discord_double.channel_id, payloads.CHANNEL),
            payloads.option("time", "08:00"),
            payloads.option("timezone", "Europe/Berlin"),
            payloads.option("paragraphs", size, 4),
        ]
        refused = await _reading(discord_double, "start", options)
        assert int(refused["flags"]) & EPHEMERAL
        assert f"from 1 to 200, not {size}" in refused["content"]
        assert "went wrong" not in refused["content"]
        assert await bot.storage.get_reading_club(int(discord_double.guild_id)) is None


async def test_start_with_one_paragraph_a_day_says_paragraph(
    make_bot: Any, discord_double: DiscordDouble, book: Library
) -> None:
    async with connect_bot(make_bot(library=book), discord_double):
        options = [
            payloads.option("document", "harbour"),
            payloads.option("channel", discord_double.channel_id, payloads.CHANNEL),
            payloads.option("time", "08:00"),
            payloads.option("timezone", "Europe/Berlin"),
            payloads.option("paragraphs", 1, 4),
        ]
        started = await _reading(discord_double, "start", options)
        assert "1 paragraph a day" in started["content"]

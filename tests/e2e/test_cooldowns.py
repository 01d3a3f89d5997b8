"""Cooldowns on the costly commands (discord.py's own), per member and per channel.

One member's burst of ``/search`` is refused past the per-member limit with an ephemeral "try
again in N s" that costs no core time, while another member is still answered; a channel has a
larger limit of its own; a cheap command (``/quote`` without ``contains``) is not limited.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot import cooldowns
from bot.client import CorpusBot
from bot.core.library import Library
from tests.double import DiscordDouble, payloads
from tests.double.server import FLAG_EPHEMERAL

pytestmark = pytest.mark.e2e

LIMITS = cooldowns.Limits(per_user=3, per_channel=5, seconds=60.0)


def _refused(shown: dict[str, Any]) -> bool:
    content = str(shown.get("content") or "")
    if "try again in" not in content:
        return False
    assert int(shown.get("flags", 0)) & FLAG_EPHEMERAL
    return True


async def _search(double: DiscordDouble, **where: str) -> dict[str, Any]:
    handle = await double.send_interaction(
        payloads.slash_command("search", {"query": "jaw jaw is better than war"}, **where)
    )
    return await handle.final()


@pytest.fixture
def counted_searches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = Library.search

    def search(self: Library, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Library, "search", search)
    return calls


async def test_one_members_burst_is_refused_and_others_are_still_answered(
    running_bot: CorpusBot, discord_double: DiscordDouble, counted_searches: list[int]
) -> None:
    running_bot.cooldowns = LIMITS
    double = discord_double
    burst = [await _search(double) for _ in range(5)]
    assert [_refused(shown) for shown in burst] == [False, False, False, True, True]
    assert len(counted_searches) == 3  # the refused ones cost no core time
    other = double.add_member(double.guild_id, "someone-else")
    assert not _refused(await _search(double, user_id=other))


async def test_a_channel_has_its_own_larger_limit(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    running_bot.cooldowns = LIMITS
    double = discord_double
    members = [double.add_member(double.guild_id, f"member-{i}") for i in range(3)]
    answers = [await _search(double, user_id=m) for m in members for _ in range(2)]
    assert [_refused(shown) for shown in answers] == [False] * 5 + [True]
    elsewhere = double.add_channel(double.guild_id, "elsewhere")
    assert not _refused(await _search(double, channel_id=elsewhere, user_id=members[0]))


async def test_a_cheap_command_is_not_limited(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    running_bot.cooldowns = LIMITS
    for _ in range(6):
        handle = await discord_double.send_interaction(payloads.slash_command("quote"))
        assert not _refused(await handle.final())


async def _slash(double: DiscordDouble, name: str, options: dict[str, str]) -> dict[str, Any]:
    handle = await double.send_interaction(payloads.slash_command(name, options))
    return await handle.final()


async def test_a_command_refused_for_bad_input_gives_its_turn_back(
    running_bot: CorpusBot, discord_double: DiscordDouble, counted_searches: list[int]
) -> None:
    """A member who mistypes the document is told so and may correct it at once: only commands
    refused for their input give their turn back, not those that found nothing."""
    running_bot.cooldowns = LIMITS
    double = discord_double
    query = "jaw jaw is better than war"
    typos = [await _slash(double, "search", {"query": query, "document": "zzqx"}) for _ in range(6)]
    assert not any(_refused(shown) for shown in typos)
    assert all("no document called" in str(shown) for shown in typos)
    answered = [await _search(double) for _ in range(4)]
    assert [_refused(shown) for shown in answered] == [False, False, False, True]


async def test_a_command_that_finds_nothing_still_counts(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    running_bot.cooldowns = LIMITS
    double = discord_double
    misses = [await _slash(double, "quote", {"contains": "zzqxwv"}) for _ in range(4)]
    assert [_refused(shown) for shown in misses] == [False, False, False, True]

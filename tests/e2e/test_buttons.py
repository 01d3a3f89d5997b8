""" "More context" and "Cite" buttons under quotes and search hits, through the real client."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from bot.client import CorpusBot
from bot.render import NOT_YOURS
from tests.double import DiscordDouble, payloads
from tests.e2e.conftest import SlowSearch

EPHEMERAL = 1 << 6
pytestmark = pytest.mark.e2e


async def _command(double: DiscordDouble, name: str, options: dict[str, Any]) -> dict[str, Any]:
    handle = await double.send_interaction(payloads.slash_command(name, options))
    return await handle.final()


async def _click(
    double: DiscordDouble, message: dict[str, Any], custom_id: str, user_id: str | None = None
) -> dict[str, Any]:
    handle = await double.send_interaction(
        payloads.component(custom_id, message, user_id=user_id or double.user_id)
    )
    return await handle.final()


def _custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row["components"]]


def _button(message: dict[str, Any], prefix: str) -> str:
    """The custom_id of the button whose id starts with ``prefix`` (ids end with a per-view tag)."""
    return next(cid for cid in _custom_ids(message) if cid.startswith(prefix + ":"))


async def test_more_context_widens_step_by_step(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    message = await _command(
        discord_double, "search", {"query": "jaw jaw is better than war war", "limit": 1}
    )
    assert [cid.rsplit(":", 1)[0] for cid in _custom_ids(message)] == ["ctx:0", "cite:0"]
    seen = []
    for _ in range(4):
        shown = await _click(discord_double, message, _button(message, "ctx:0"))
        assert int(shown.get("flags", 0)) & EPHEMERAL
        seen.append(shown["embeds"][0])
    texts = [e["description"].replace("\\", "") for e in seen]
    assert "jaw jaw" in texts[0]
    assert all(len(a) < len(b) for a, b in itertools.pairwise(texts))  # each step is wider
    assert seen[0]["title"].endswith("paragraph 1")
    assert seen[2]["title"].endswith("paragraphs 1–2")
    assert "widest" in seen[3]["footer"]["text"]


async def test_cite_gives_a_ready_to_paste_citation(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    message = await _command(discord_double, "quote", {"contains": "sleep easy"})
    shown = await _click(discord_double, message, _button(message, "cite:0"))
    assert int(shown.get("flags", 0)) & EPHEMERAL
    assert shown["content"].startswith("```")
    assert "Benedict Rogers, “Trump Must Hold" in shown["content"]
    assert "HuffPost UK" in shown["content"]
    assert "paragraph 6" in shown["content"]


async def test_buttons_answer_only_the_user_who_ran_the_command(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    message = await _command(discord_double, "search", {"query": "sleep easy at night"})
    other = discord_double.add_member(discord_double.guild_id, "someone-else")
    shown = await _click(discord_double, message, _button(message, "ctx:0"), user_id=other)
    assert int(shown.get("flags", 0)) & EPHEMERAL
    assert shown["content"] == NOT_YOURS


async def test_many_hits_stay_within_component_limits(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    message = await _command(discord_double, "search", {"query": "human rights", "limit": 10})
    rows = message.get("components", [])
    assert 1 <= len(rows) <= 5
    assert all(len(row["components"]) <= 5 for row in rows)


async def test_buttons_of_two_deferred_replies_stay_apart(
    running_bot: CorpusBot, discord_double: DiscordDouble, slow_search: SlowSearch
) -> None:
    """Deferred replies are follow-ups; each one's buttons still belong to its own result and user."""
    slow_search(0.3, 0.05)
    other = discord_double.add_member(discord_double.guild_id, "second-user")
    first = await discord_double.send_interaction(
        payloads.slash_command("search", {"query": "jaw jaw is better than war war", "limit": 1})
    )
    second = await discord_double.send_interaction(
        payloads.slash_command(
            "search", {"query": "sleep easy at night", "limit": 1}, user_id=other
        )
    )
    first_message = await first.final()
    second_message = await second.final()
    assert (await first.response())["type"] == 5
    assert (await second.response())["type"] == 5

    mine = await _click(discord_double, first_message, _button(first_message, "ctx:0"))
    assert "jaw jaw" in mine["embeds"][0]["description"]
    theirs = await _click(
        discord_double, second_message, _button(second_message, "ctx:0"), user_id=other
    )
    assert "sleep easy" in theirs["embeds"][0]["description"]
    stranger = await _click(discord_double, second_message, _button(second_message, "ctx:0"))
    assert stranger["content"] == NOT_YOURS

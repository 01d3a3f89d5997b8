""" "More context" and "Cite" buttons under quotes and search hits, through the real client."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from bot.client import CorpusBot
from bot.render import NOT_YOURS
from tests.double import DiscordDouble, payloads

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


async def test_more_context_widens_step_by_step(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    message = await _command(
        discord_double, "search", {"query": "jaw jaw is better than war war", "limit": 1}
    )
    assert _custom_ids(message) == ["ctx:0", "cite:0"]
    seen = []
    for _ in range(4):
        shown = await _click(discord_double, message, "ctx:0")
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
    shown = await _click(discord_double, message, "cite:0")
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
    shown = await _click(discord_double, message, "ctx:0", user_id=other)
    assert int(shown.get("flags", 0)) & EPHEMERAL
    assert shown["content"] == NOT_YOURS


async def test_many_hits_stay_within_component_limits(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    message = await _command(discord_double, "search", {"query": "human rights", "limit": 10})
    rows = message.get("components", [])
    assert 1 <= len(rows) <= 5
    assert all(len(row["components"]) <= 5 for row in rows)

""" "More context" and "Cite" buttons under quotes and search hits, through the real client."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from bot.client import CorpusBot
from bot.core.library import Library
from bot.core.loader import load_corpus
from bot.render import NOT_YOURS
from tests.double import DiscordDouble, connect_bot, payloads
from tests.e2e.conftest import BotFactory, SlowSearch

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


def _novel(tmp_path: Path) -> Library:
    """A document whose wide context steps pass Discord's 4,096-character description limit."""
    paragraphs = [
        " ".join(
            f"Chapter line {p} part {s} goes on about meadow {p} and river {s}." for s in range(40)
        )
        for p in range(9)
    ]
    middle = paragraphs[4].split(". ")
    middle[20] = "She was so easily pleased and so little discerning"
    paragraphs[4] = ". ".join(middle)
    paragraphs.insert(2, "Short one. The lamp was lit by the old keeper. Short three.")
    (tmp_path / "novel.txt").write_text("The Long Novel\n\n" + "\n\n".join(paragraphs) + "\n")
    return Library.build(load_corpus([tmp_path]))


async def test_more_context_keeps_the_match_and_never_shrinks(
    make_bot: BotFactory, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    bot = make_bot(library=_novel(tmp_path))
    async with connect_bot(bot, discord_double):
        message = await _command(
            discord_double,
            "search",
            {"query": "so easily pleased so little discerning", "limit": 1},
        )
        seen = []
        for _ in range(6):
            if _button_disabled(discord_double, message, "ctx:0"):
                break
            shown = await _click(discord_double, message, _button(message, "ctx:0"))
            seen.append(shown["embeds"][0])
    texts = [e["description"].replace("\\", "") for e in seen]
    assert len(texts) >= 3
    assert any(len(t) > 3500 for t in texts)  # the wide steps were cut to fit
    for text in texts:
        assert "so easily pleased and so little discerning" in text
        assert len(text) <= 4096
    sizes = [len(t.strip("…")) for t in texts]
    assert all(a < b for a, b in itertools.pairwise(sizes)), sizes  # each press shows more
    footers = [e["footer"]["text"] for e in seen]
    assert footers[0].startswith("Context step 1 ·")
    assert all("press More context again" in f for f in footers[:-1])
    assert "widest" in footers[-1]


async def test_more_context_skips_steps_that_add_nothing(
    make_bot: BotFactory, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    bot = make_bot(library=_novel(tmp_path))
    async with connect_bot(bot, discord_double):
        message = await _command(
            discord_double, "search", {"query": "lamp was lit by the old keeper", "limit": 1}
        )
        texts = []
        for _ in range(2):
            shown = await _click(discord_double, message, _button(message, "ctx:0"))
            texts.append(shown["embeds"][0]["description"])
        assert _button_disabled(discord_double, message, "ctx:0")
    # sentence ±1 is the whole (three-sentence) paragraph: the next press shows its neighbours
    assert texts[0] == "Short one. The lamp was lit by the old keeper. Short three."
    assert texts[0] in texts[1]
    assert len(texts[1]) > len(texts[0])


def _button_disabled(double: DiscordDouble, message: dict[str, Any], prefix: str) -> bool:
    """Whether the latest edit of ``message`` (the original reply) shows the button disabled."""
    edits = double.requests("/webhooks", "PATCH")
    if not edits:
        return False
    rows = (edits[-1].json or {}).get("components") or []
    buttons = [c for row in rows for c in row["components"]]
    return any(b["custom_id"].startswith(prefix + ":") and b.get("disabled") for b in buttons)


async def test_every_hit_past_the_fifth_gets_its_buttons(
    make_bot: BotFactory, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    bot = make_bot(library=_novel(tmp_path))
    async with connect_bot(bot, discord_double):
        message = await _command(
            discord_double, "search", {"query": "goes on about meadow", "limit": 10}
        )
        hits = len(message["embeds"][0]["fields"])
        assert hits > 5
        ids = [cid.rsplit(":", 1)[0] for cid in _custom_ids(message)]
        assert sorted(ids) == sorted(
            [f"ctx:{i}" for i in range(hits)] + [f"cite:{i}" for i in range(hits)]
        )
        rows = message["components"]
        assert len(rows) <= 5
        assert all(len(row["components"]) <= 5 for row in rows)
        shown = await _click(discord_double, message, _button(message, f"cite:{hits - 1}"))
        assert shown["content"].startswith("```")
        wider = await _click(discord_double, message, _button(message, f"ctx:{hits - 1}"))
        assert wider["embeds"][0]["description"]


async def test_expired_buttons_get_an_answer(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    message = await _command(discord_double, "search", {"query": "sleep easy at night"})
    live = _button(message, "ctx:0")
    # a view that no longer listens (after a restart, or its timeout): same scheme, unknown tag
    stale = live.rsplit(":", 1)[0] + ":" + ("0" * 8 if not live.endswith("0" * 8) else "1" * 8)
    shown = await _click(discord_double, message, stale)
    assert int(shown.get("flags", 0)) & EPHEMERAL
    assert shown["content"] == "These buttons have expired: run the command again."
    fresh = await _click(discord_double, message, live)  # the live view still answers, once
    assert "sleep easy" in fresh["embeds"][0]["description"]
    discord_double.assert_no_violations()

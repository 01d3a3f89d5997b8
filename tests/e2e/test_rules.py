"""The bot stays within each Discord rule the double enforces, under a worst-case corpus (issue 4).

One test per rule the bot could break: 2,000-character content, embed description / field /
footer / author / total limits, autocomplete (≤ 25 choices, names and values 1-100 characters,
stable order for empty input), components (≤ 5 rows of ≤ 5 buttons, ``custom_id`` ≤ 100)
and the 3-second first response. The double answers a violation with Discord's 400/404 and
records it; the ``discord_double`` fixture fails the test on any violation, and each test also
checks the payload itself. (That the double rejects violating payloads is tested in
``tests/double/test_double_rules.py``.)

The worst-case corpus (built in ``tmp_path``): one document with a 20,000-character paragraph, a
2,600-character sentence, a 300-character author and Markdown characters that escaping doubles;
40 more documents with 150-character titles, each holding the long sentence, so that
``/search limit:10`` returns ten huge passages from ten long-titled documents.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.client import CorpusBot
from bot.core.library import Library
from bot.core.loader import load_corpus
from tests.double import DiscordDouble, connect_bot, payloads
from tests.double.server import (
    MAX_ACTION_ROWS,
    MAX_AUTHOR_NAME,
    MAX_CHOICE_LENGTH,
    MAX_CHOICES,
    MAX_CONTENT,
    MAX_CUSTOM_ID,
    MAX_EMBED_DESCRIPTION,
    MAX_EMBED_FIELDS,
    MAX_EMBED_TITLE,
    MAX_EMBED_TOTAL,
    MAX_EMBEDS,
    MAX_FIELD_NAME,
    MAX_FIELD_VALUE,
    MAX_FOOTER,
    MAX_ROW_COMPONENTS,
)
from tests.e2e.conftest import BotFactory

pytestmark = pytest.mark.e2e

N_TITLED = 40
TITLE_LEN = 150
WORDS = [
    "the_river",
    "*ran*",
    "past|the",
    "**old**",
    "mill~while",
    "`a`",
    "heron",
    "stood",
    "<in>",
    "the",
    "reeds",
    "and",
    "the",
    "miller",
    "counted",
    "sacks",
    "of",
    "grain_for",
    "the",
    "winter",
    ">",
    "spring",
]


def _sentence(n_chars: int, seed: int) -> str:
    """One sentence of about ``n_chars`` characters (no full stop inside), Markdown-heavy."""
    words: list[str] = []
    i = seed
    while sum(len(w) + 1 for w in words) < n_chars:
        words.append(WORDS[i % len(WORDS)] + ("," if i % 7 == 0 else ""))
        i += 3
    return " ".join(words).capitalize().rstrip(",") + "."


LONG_SENTENCE = _sentence(2600, 1)
assert 2550 <= len(LONG_SENTENCE) <= 2700


def _huge_paragraph() -> str:
    out: list[str] = []
    seed = 0
    while sum(len(s) + 1 for s in out) < 20_000:
        seed += 1
        body = _sentence(150 + (seed * 37) % 250, seed)
        out.append(f"Sentence {seed} says that {body[0].lower()}{body[1:]}")
    return " ".join(out)


def _title(i: int) -> str:
    head = f"Volume {i:02d} of the very long chronicle "
    return (head + "of rivers and mills " * 20)[:TITLE_LEN].strip()


def _write_corpus(root: Path) -> None:
    root.mkdir()
    author = ("Sir Reginald " + "Fitzwilliam-" * 30)[:300]
    huge = _huge_paragraph()
    assert len(huge) >= 20_000
    (root / "000-huge.md").write_text(
        f"---\nid: huge\ntitle: {'The Huge Document ' * 10}\nauthor: {author}\n---\n\n"
        f"{huge}\n\n{LONG_SENTENCE}\n\n“{LONG_SENTENCE[:-1]},” said the miller.\n",
        encoding="utf-8",
    )
    for i in range(N_TITLED):
        (root / f"doc-{i:02d}.md").write_text(
            f"---\nid: doc-{i:02d}\ntitle: {_title(i)}\n---\n\n"
            f"A short opening line number {i} about mills.\n\n{LONG_SENTENCE}\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def worst_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("worst") / "corpus"
    _write_corpus(root)
    library = Library.build(load_corpus([root]))
    assert len(library.corpus) == N_TITLED + 1
    return library


@pytest.fixture
async def worst_bot(
    make_bot: BotFactory, discord_double: DiscordDouble, worst_library: Library
) -> AsyncIterator[CorpusBot]:
    bot = make_bot(library=worst_library)
    async with connect_bot(bot, discord_double):
        yield bot


def _within_message_limits(msg: dict[str, Any]) -> None:
    assert len(msg.get("content") or "") <= MAX_CONTENT
    embeds = msg.get("embeds") or []
    assert len(embeds) <= MAX_EMBEDS
    total = 0
    for e in embeds:
        title, desc = e.get("title") or "", e.get("description") or ""
        footer = (e.get("footer") or {}).get("text") or ""
        author = (e.get("author") or {}).get("name") or ""
        fields = e.get("fields") or []
        assert len(title) <= MAX_EMBED_TITLE
        assert len(desc) <= MAX_EMBED_DESCRIPTION
        assert len(footer) <= MAX_FOOTER
        assert len(author) <= MAX_AUTHOR_NAME
        assert len(fields) <= MAX_EMBED_FIELDS
        for f in fields:
            assert 1 <= len(f["name"]) <= MAX_FIELD_NAME
            assert 1 <= len(f["value"]) <= MAX_FIELD_VALUE
        total += len(title) + len(desc) + len(footer) + len(author)
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    assert total <= MAX_EMBED_TOTAL


async def _run(double: DiscordDouble, name: str, options: dict[str, Any]) -> dict[str, Any]:
    handle = await double.send_interaction(payloads.slash_command(name, options))
    shown = await handle.final()
    _within_message_limits(shown)
    return shown


# -- message content ≤ 2000 ---------------------------------------------------------------------


async def test_error_replies_echoing_long_input_fit_in_2000_characters(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    """Discord allows 6,000-character string options; replies that quote them must still fit."""
    long_name = "no such document " * 300  # 5,100 characters
    shown = await _run(discord_double, "summary", {"document": long_name})
    assert shown["content"]
    assert len(shown["content"]) <= MAX_CONTENT
    assert "no document called" in shown["content"]
    shown = await _run(discord_double, "search", {"query": "x" * 2000})
    assert shown["content"]
    assert len(shown["content"]) <= MAX_CONTENT


# -- embed limits -------------------------------------------------------------------------------


async def test_search_limit_10_with_huge_passages_fits_embed_field_and_total_limits(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    query = LONG_SENTENCE[400:700]  # 300 characters of the sentence every document holds
    shown = await _run(discord_double, "search", {"query": query, "limit": 10})
    embed = shown["embeds"][0]
    fields = embed["fields"]
    # Ten 2,600-character hits from 150-character titles cannot all fit: the bot shortens and
    # drops trailing fields rather than break the 6,000 total.
    assert len(fields) >= 3
    assert sum(len(f["value"]) for f in fields) > 3000  # the worst case was really reached
    assert "**" in fields[0]["value"]  # the match is still highlighted


async def test_summary_long_of_a_huge_document_fits_the_embed(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    sizes = []
    for options in ({"length": "long"}, {"length": "key_points"}, {"sentences": 25}):
        shown = await _run(discord_double, "summary", {"document": "huge", **options})
        embed = shown["embeds"][0]
        sizes.append(len(embed["description"]))
        assert embed["author"]["name"].startswith("Sir Reginald")
    long, _, most = sizes
    assert long > 1000
    assert most > MAX_EMBED_DESCRIPTION - 400  # 25 sentences of ~280 characters: cut to fit


async def test_quote_of_a_2600_character_sentence_fits_the_embed(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    for _ in range(5):
        await _run(discord_double, "quote", {"document": "huge"})
    await _run(discord_double, "quote", {"contains": "heron"})


# -- autocomplete -------------------------------------------------------------------------------


async def _choices(
    double: DiscordDouble, command: str, options: dict[str, Any], focused: str
) -> list[dict[str, Any]]:
    handle = await double.send_interaction(payloads.autocomplete(command, options, focused=focused))
    body = await handle.response()
    assert body["type"] == 8
    choices: list[dict[str, Any]] = body["data"]["choices"]
    assert len(choices) <= MAX_CHOICES
    for c in choices:
        assert 1 <= len(c["name"]) <= MAX_CHOICE_LENGTH
        assert 1 <= len(c["value"]) <= MAX_CHOICE_LENGTH
    return choices


async def test_document_autocomplete_with_empty_input_offers_25_in_a_stable_order(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    """41 documents, 40 with 150-character titles; empty input."""
    seen = []
    for command, options in (
        ("quote", {"document": ""}),
        ("summary", {"document": ""}),
        ("search", {"query": "", "document": ""}),
        ("quote", {"document": ""}),
    ):
        choices = await _choices(discord_double, command, options, "document")
        assert len(choices) == MAX_CHOICES
        seen.append([c["value"] for c in choices])
    assert all(s == seen[0] for s in seen)
    assert seen[0][0] == "huge"
    assert seen[0][1:] == [f"doc-{i:02d}" for i in range(MAX_CHOICES - 1)]


async def test_document_autocomplete_with_a_matching_prefix_stays_within_limits(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    choices = await _choices(discord_double, "summary", {"document": "Volume"}, "document")
    assert len(choices) == MAX_CHOICES
    assert all(c["name"].startswith("Volume") for c in choices)


async def test_query_autocomplete_on_huge_passages_stays_within_limits(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    typed = LONG_SENTENCE[:80]
    choices = await _choices(discord_double, "search", {"query": typed}, "query")
    assert choices  # the 2,600-character sentence is offered, shortened


# -- components ---------------------------------------------------------------------------------


async def test_search_limit_10_buttons_fit_five_rows_of_five(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _run(discord_double, "search", {"query": "heron stood", "limit": 10})
    rows = shown.get("components") or []
    assert rows, "expected More context / Cite buttons"
    assert len(rows) <= MAX_ACTION_ROWS
    ids = []
    for row in rows:
        assert len(row["components"]) <= MAX_ROW_COMPONENTS
        ids += [b["custom_id"] for b in row["components"] if "custom_id" in b]
    assert ids
    assert all(1 <= len(i) <= MAX_CUSTOM_ID for i in ids)
    assert len(set(ids)) == len(ids)


# -- the 3-second first response ----------------------------------------------------------------


async def test_a_burst_of_worst_case_commands_is_answered_within_3_seconds(
    worst_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    """Twenty heavy commands at once: each gets its first response before Discord's deadline."""
    commands: list[dict[str, Any]] = []
    for i in range(5):
        commands.append(payloads.slash_command("summary", {"document": "huge", "length": "long"}))
        commands.append(
            payloads.slash_command(
                "search", {"query": LONG_SENTENCE[i * 300 : i * 300 + 300], "limit": 10}
            )
        )
        commands.append(payloads.slash_command("quote", {"contains": "miller"}))
        commands.append(
            payloads.autocomplete(
                "search", {"query": LONG_SENTENCE[i * 50 : i * 50 + 60]}, focused="query"
            )
        )
    handles = await asyncio.gather(*(discord_double.send_interaction(c) for c in commands))
    await asyncio.gather(*(h.final(timeout=10) for h in handles))
    for h in handles:
        first = discord_double.requests(f"/interactions/{h.id}/", "POST")[0]
        assert first.at - h.delivered_at < discord_double.interaction_deadline
    assert not [v for v in discord_double.violations if v.code == 10062]

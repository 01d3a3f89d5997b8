"""Slash commands delivered as Discord delivers them, answered by the real discord.py client."""

from __future__ import annotations

import asyncio
import itertools
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.client import CorpusBot
from bot.core.library import Library
from bot.settings import Settings, load_settings
from tests.double import DiscordDouble, connect_bot, payloads
from tests.e2e.conftest import SlowSearch

EPHEMERAL = 1 << 6
pytestmark = pytest.mark.e2e


def _no_pings(double: DiscordDouble) -> None:
    mentions = double.allowed_mentions
    assert mentions, "nothing was sent"
    assert all(m is not None and m.get("parse") == [] for m in mentions), mentions


async def _run(
    double: DiscordDouble, name: str, options: dict[str, Any] | None = None
) -> dict[str, Any]:
    handle = await double.send_interaction(payloads.slash_command(name, options or {}))
    return await handle.final()


async def test_login_asks_for_no_privileged_intent_and_syncs_once(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    intents = discord_double.identify_payloads[0]["intents"]
    assert intents == 1  # GUILDS only
    assert len(discord_double.syncs) == 1
    names = {c["name"] for c in discord_double.commands[None].values()}
    assert {"quote", "search", "summary", "about"} <= names


async def test_quote_is_verbatim_with_source(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _run(discord_double, "quote")
    embed = shown["embeds"][0]
    assert embed["description"].startswith("“")
    # the author's own line ("— Benedict Rogers, …") or speech he quotes ("— Ronald Reagan,
    # quoted in … by Benedict Rogers"): either way the source is named
    assert "Benedict Rogers" in embed["description"].rsplit("\n\n— ", 1)[1]
    assert embed["footer"]["text"].startswith("Paragraph ")
    assert not int(shown.get("flags", 0)) & EPHEMERAL
    _no_pings(discord_double)


async def test_quote_never_repeats_the_last_line_in_a_channel(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    seen = [(await _run(discord_double, "quote"))["embeds"][0]["description"] for _ in range(6)]
    assert all(a != b for a, b in itertools.pairwise(seen))


async def test_search_with_a_typo_highlights_the_churchill_passage(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _run(discord_double, "search", {"query": "jaw jaw is beter than war war"})
    first = shown["embeds"][0]["fields"][0]
    assert "paragraph 1" in first["name"]
    assert "**jaw jaw” is better than “war war**" in first["value"].replace("\\", "")
    _no_pings(discord_double)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zzqqxx", "No passage matched"),
        ("the", "too short"),
        ("!!!", "nothing to search for"),
        ("x" * 400, "300"),  # the cap is stated
    ],
)
async def test_odd_queries_get_a_polite_ephemeral_answer(
    running_bot: CorpusBot, discord_double: DiscordDouble, query: str, expected: str
) -> None:
    shown = await _run(discord_double, "search", {"query": query})
    assert int(shown.get("flags", 0)) & EPHEMERAL
    assert expected in shown["content"]
    assert "Traceback" not in shown["content"]


async def test_half_an_emoji_in_a_query_is_not_a_bug(
    running_bot: CorpusBot, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """A client can send a lone UTF-16 surrogate ("\\ud83d", half an emoji) as a JSON escape."""
    shown = await _run(discord_double, "search", {"query": "jaw jaw is beter than war war \ud83d"})
    assert "paragraph 1" in shown["embeds"][0]["fields"][0]["name"]
    assert shown["embeds"][0]["title"] == "Search: jaw jaw is beter than war war \ufffd"
    missed = await _run(discord_double, "search", {"query": "zzqqxx \ud83d"})
    assert int(missed.get("flags", 0)) & EPHEMERAL
    assert "No passage matched “zzqqxx \ufffd”" in missed["content"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_search_for_everyone_pings_nobody(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    await _run(discord_double, "search", {"query": "@everyone"})
    _no_pings(discord_double)


async def test_summary_sentences_are_verbatim_in_document_order(
    running_bot: CorpusBot, discord_double: DiscordDouble, seed_library: Library
) -> None:
    shown = await _run(discord_double, "summary", {"length": "medium"})
    embed = shown["embeds"][0]
    doc = seed_library.corpus.documents[0]
    assert embed["title"] == doc.title
    lines = [line for line in embed["description"].split("\n\n") if "(¶" in line]
    assert 3 <= len(lines) <= 5
    paragraphs = [int(line.rsplit("(¶", 1)[1].rstrip(")")) for line in lines]
    assert paragraphs == sorted(paragraphs)
    body = "\n".join(p.text for p in doc.paragraphs)
    for line in lines:
        text = line.rsplit(" (¶", 1)[0].replace("\\", "")
        assert text in body


async def test_unknown_document_is_explained(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _run(discord_double, "summary", {"document": "zzzz nothing like it"})
    assert int(shown.get("flags", 0)) & EPHEMERAL
    assert "no document called" in shown["content"]


async def test_document_autocomplete_offers_the_seed(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    handle = await discord_double.send_interaction(
        payloads.autocomplete("quote", {"document": "trump"}, focused="document")
    )
    body = await handle.response()
    assert body["type"] == 8
    choices = body["data"]["choices"]
    assert choices
    assert choices[0]["value"] == "kim-human-rights"
    assert all(1 <= len(c["name"]) <= 100 for c in choices)


async def test_search_query_autocomplete_suggests_passages(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    handle = await discord_double.send_interaction(
        payloads.autocomplete("search", {"query": "sleep easy"}, focused="query")
    )
    choices = (await handle.response())["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert any("sleep easy" in c["name"].lower() for c in choices)


async def test_a_bug_is_logged_and_the_user_gets_an_apology(
    running_bot: CorpusBot,
    discord_double: DiscordDouble,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(self: Library, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Library, "quote", broken)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        shown = await _run(discord_double, "quote", {"contains": "peace"})
    assert int(shown.get("flags", 0)) & EPHEMERAL
    assert shown["content"].startswith("Sorry, something went wrong")
    assert "boom" not in shown["content"]
    record = next(r for r in caplog.records if r.name == "bot.errors")
    assert "/quote" in record.getMessage()
    assert "contains" in record.getMessage()  # the option's name; what was typed only at DEBUG
    assert "peace" not in record.getMessage()


async def test_slow_work_is_deferred_then_followed_up(
    running_bot: CorpusBot, discord_double: DiscordDouble, slow_search: SlowSearch
) -> None:
    """A core call slower than the defer threshold is acknowledged in time, answered later."""
    slow_search(0.6, 0.2)
    discord_double.interaction_deadline = 0.5  # the double enforces a deadline the bot must meet
    handle = await discord_double.send_interaction(
        payloads.slash_command("search", {"query": "jaw jaw"})
    )
    assert (await handle.response())["type"] == 5
    shown = await handle.final()
    assert "jaw jaw" in shown["embeds"][0]["fields"][0]["value"]


async def test_restart_with_same_definitions_does_not_sync_again(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    """The first start syncs; ten restarts with unchanged commands do not."""
    for _ in range(3):
        bot = make_bot(sync=False)
        async with connect_bot(bot, discord_double):
            await asyncio.sleep(0)
    assert len(discord_double.syncs) == 1


async def test_switching_to_a_dev_guild_and_back_never_lists_commands_twice(
    make_bot: Any, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    """Never both scopes: the scope synced before is cleared when the scope changes."""
    double = discord_double
    guild = int(double.guild_id)
    storage = str(tmp_path / "scopes.sqlite3")

    def settings(**env: str) -> Settings:
        return load_settings(None, env={"CORPUSBOT_STORAGE": storage, **env})

    async with connect_bot(make_bot(settings=settings()), double):
        pass
    assert len(double.commands.get(None, {})) > 0
    async with connect_bot(make_bot(settings=settings(CORPUSBOT_DEV_GUILD_ID=str(guild))), double):
        pass
    assert double.commands.get(None, {}) == {}
    assert len(double.commands.get(double.guild_id, {})) > 0
    async with connect_bot(make_bot(settings=settings()), double):
        pass
    assert len(double.commands.get(None, {})) > 0
    assert double.commands.get(double.guild_id, {}) == {}
    syncs = len(double.syncs)
    async with connect_bot(make_bot(settings=settings(), sync=False), double):
        pass
    assert len(double.syncs) == syncs  # still no change, no sync


async def test_a_dev_guild_on_a_fresh_storage_still_clears_global_commands(
    make_bot: Any, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    """Discord is asked which global commands exist: a new storage file knows no history."""
    double = discord_double

    def settings(name: str, **env: str) -> Settings:
        return load_settings(None, env={"CORPUSBOT_STORAGE": str(tmp_path / name), **env})

    async with connect_bot(make_bot(settings=settings("a.sqlite3")), double):
        pass
    assert len(double.commands.get(None, {})) > 0
    dev = {"CORPUSBOT_DEV_GUILD_ID": double.guild_id}
    async with connect_bot(make_bot(settings=settings("b.sqlite3", **dev)), double):
        pass
    assert double.commands.get(None, {}) == {}
    assert len(double.commands.get(double.guild_id, {})) > 0


@pytest.mark.discord_violations_expected
@pytest.mark.parametrize(
    ("dev_guild", "quota", "expected"),
    [
        ("999999999999999999", 200, "the bot is not in that server"),
        (None, 0, "daily limit on creating commands"),
    ],
)
async def test_a_refused_sync_is_explained_and_the_bot_keeps_running(
    make_bot: Any,
    discord_double: DiscordDouble,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    dev_guild: str | None,
    quota: int,
    expected: str,
) -> None:
    double = discord_double
    double.command_create_quota = quota
    env = {"CORPUSBOT_STORAGE": str(tmp_path / "bot.sqlite3")}
    if dev_guild:
        env["CORPUSBOT_DEV_GUILD_ID"] = dev_guild
    with caplog.at_level(logging.ERROR, logger="bot.client"):
        async with connect_bot(make_bot(settings=load_settings(None, env=env)), double) as bot:
            assert bot.is_ready()
    [record] = [r for r in caplog.records if r.name == "bot.client"]
    assert "could not register the slash commands" in record.getMessage()
    assert expected in record.getMessage()
    if dev_guild:
        assert "discord.dev_guild_id" in record.getMessage()
    assert record.exc_info is None
    puts = len(double.requests("/applications/", "PUT"))
    async with connect_bot(make_bot(settings=load_settings(None, env=env), sync=False), double):
        pass
    assert len(double.requests("/applications/", "PUT")) > puts  # the next start tries again


async def test_an_error_after_a_public_defer_is_still_private(
    running_bot: CorpusBot, discord_double: DiscordDouble, slow_search: SlowSearch
) -> None:
    """The "thinking…" message is removed, so "no passage matched" is seen by the user alone."""
    slow_search(0.4, 0.1)
    handle = await discord_double.send_interaction(
        payloads.slash_command("search", {"query": "zzqqxx"})
    )
    assert (await handle.response())["type"] == 5
    shown = await handle.final()
    assert "No passage matched" in shown["content"]
    assert int(shown.get("flags", 0)) & EPHEMERAL
    assert any(kind == "delete" for kind, _ in handle.events)

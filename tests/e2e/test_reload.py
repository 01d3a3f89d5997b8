"""Live reload through the real client: ``/reload`` by an owner swaps in the changed corpus,
a failed reload keeps the old one serving, and commands are answered while a reload runs."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from bot import reload as reload_module
from bot.client import CorpusBot
from bot.loading import load_library
from bot.render import RELOAD_OWNER_ONLY
from bot.settings import Settings, load_settings
from tests.double import DiscordDouble, connect_bot, payloads

EPHEMERAL = 1 << 6
pytestmark = pytest.mark.e2e


def _write(folder: Path, name: str, line: str) -> None:
    (folder / f"{name}.txt").write_text(
        f"{name.title()}\n\n{line}\n\nThe harbour was quiet that evening, and the boats slept.\n",
        encoding="utf-8",
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _write(folder, "anchor", "Courage is the anchor of every sailor who leaves the bay.")
    _write(folder, "beacon", "The beacon burned all night above the rocks of the cape.")
    return folder


def _settings(tmp_path: Path, corpus: Path, owner: str) -> Settings:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus:\n  paths: [{corpus}]\n  cache_dir: {tmp_path / 'store'}\n"
        f"discord:\n  owner_ids: [{owner}]\nstorage:\n  path: {tmp_path / 'bot.sqlite3'}\n",
        encoding="utf-8",
    )
    return load_settings(config, env={})


async def _run(double: DiscordDouble, payload: dict[str, Any]) -> dict[str, Any]:
    handle = await double.send_interaction(payload)
    return await handle.final(timeout=30)


def _bot(settings: Settings) -> CorpusBot:
    return CorpusBot(
        settings, load_library(settings, quiet=True).library, sync=True, guild_ready_timeout=0.1
    )


async def test_reload_swaps_in_added_changed_and_removed_documents(
    tmp_path: Path, corpus: Path, discord_double: DiscordDouble
) -> None:
    bot = _bot(_settings(tmp_path, corpus, discord_double.user_id))
    async with connect_bot(bot, discord_double):
        _write(corpus, "compass", "A compass needle trembles but always finds the north.")
        _write(corpus, "beacon", "The lighthouse keeper trimmed the wick before the storm.")
        (corpus / "anchor.txt").unlink()
        reply = await _run(discord_double, payloads.slash_command("reload"))
        assert int(reply.get("flags", 0)) & EPHEMERAL
        text = reply["content"]
        assert "Corpus reloaded" in text
        assert "2 documents" in text
        assert "Added: `compass`" in text
        assert "Removed: `anchor`" in text
        assert "Changed: `beacon`" in text
        found = await _run(
            discord_double, payloads.slash_command("search", {"query": "compass needle trembles"})
        )
        assert "compass needle" in str(found).lower()
        listed = await _run(discord_double, payloads.slash_command("sources"))
        assert "Anchor" not in listed["embeds"][0]["description"]


async def test_a_failed_reload_keeps_the_old_corpus_and_says_why(
    tmp_path: Path, corpus: Path, discord_double: DiscordDouble
) -> None:
    bot = _bot(_settings(tmp_path, corpus, discord_double.user_id))
    async with connect_bot(bot, discord_double):
        for name in ("anchor", "beacon"):
            (corpus / f"{name}.txt").unlink()
        reply = await _run(discord_double, payloads.slash_command("reload"))
        assert "Reload failed; still serving the previous corpus (2 documents)" in reply["content"]
        assert "Why: no document could be loaded: " in reply["content"]
        assert "contains no documents" in reply["content"]
        assert "start" not in reply["content"]  # it keeps running: no start-up advice
        found = await _run(
            discord_double, payloads.slash_command("search", {"query": "beacon burned all night"})
        )
        assert "beacon burned" in str(found).lower()


async def test_commands_are_answered_while_a_reload_runs(
    tmp_path: Path,
    corpus: Path,
    discord_double: DiscordDouble,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = _settings(tmp_path, corpus, discord_double.user_id)
    bot = _bot(settings)
    release = threading.Event()
    real_load = reload_module._load

    def slow_load(settings: Settings) -> Any:
        release.wait(10)  # the reload's thread waits here until the commands are answered
        return real_load(settings)

    monkeypatch.setattr(reload_module, "_load", slow_load)
    async with connect_bot(bot, discord_double):
        _write(corpus, "compass", "A compass needle trembles but always finds the north.")
        reloading = await discord_double.send_interaction(payloads.slash_command("reload"))
        await asyncio.sleep(0.2)
        for _ in range(3):
            found = await _run(
                discord_double, payloads.slash_command("search", {"query": "beacon burned"})
            )
            assert "beacon burned" in str(found).lower()  # answered from the old corpus
        assert bot.reloader.last is None  # the reload is still running
        release.set()
        reply = await reloading.final(timeout=30)
        assert "Added: `compass`" in reply["content"]


async def test_only_owners_can_reload(
    tmp_path: Path, corpus: Path, discord_double: DiscordDouble
) -> None:
    bot = _bot(_settings(tmp_path, corpus, discord_double.user_id))
    other = discord_double.add_member(discord_double.guild_id, "someone")
    async with connect_bot(bot, discord_double):
        reply = await _run(discord_double, payloads.slash_command("reload", user_id=other))
        assert RELOAD_OWNER_ONLY in str(reply)
        assert bot.reloader.last is None


async def _until(condition: Any, seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_sighup_reloads(tmp_path: Path, corpus: Path, discord_double: DiscordDouble) -> None:
    import os
    import signal

    bot = _bot(_settings(tmp_path, corpus, discord_double.user_id))
    async with connect_bot(bot, discord_double):
        if not bot.reloader.signal_installed:
            pytest.skip("no SIGHUP on this platform")
        _write(corpus, "compass", "A compass needle trembles but always finds the north.")
        os.kill(os.getpid(), signal.SIGHUP)
        await _until(lambda: bot.reloader.last is not None)
        assert bot.reloader.last is not None
        assert bot.reloader.last.added == ("compass",)
        assert bot.library.corpus.get("compass") is not None


async def test_watching_the_corpus_reloads_when_a_file_changes(
    tmp_path: Path,
    corpus: Path,
    discord_double: DiscordDouble,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reload_module, "WATCH_INTERVAL", 0.1)
    settings = _settings(tmp_path, corpus, discord_double.user_id)
    config = tmp_path / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("corpus:\n", "corpus:\n  watch: true\n"),
        encoding="utf-8",
    )
    settings = load_settings(config, env={})
    assert settings.corpus.watch
    bot = _bot(settings)
    async with connect_bot(bot, discord_double):
        await asyncio.sleep(0.3)
        _write(corpus, "beacon", "The lighthouse keeper trimmed the wick before the storm.")
        await _until(lambda: bot.reloader.last is not None)
        assert bot.reloader.last is not None
        assert bot.reloader.last.changed == ("beacon",)


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    """The message's first button of each kind (``ctx``, ``cite``): custom_ids end with a tag."""
    ids = [c["custom_id"] for row in message.get("components", []) for c in row["components"]]
    found: dict[str, str] = {}
    for cid in ids:
        found.setdefault(cid.split(":", 1)[0], cid)
    return found


async def _press(double: DiscordDouble, message: dict[str, Any], custom_id: str) -> dict[str, Any]:
    handle = await double.send_interaction(payloads.component(custom_id, message))
    return await handle.final(timeout=30)


async def test_buttons_made_before_a_reload_say_plainly_that_their_document_changed(
    tmp_path: Path, corpus: Path, discord_double: DiscordDouble
) -> None:
    bot = _bot(_settings(tmp_path, corpus, discord_double.user_id))
    async with connect_bot(bot, discord_double):
        anchor = await _run(
            discord_double,
            payloads.slash_command("search", {"query": "anchor of every sailor", "limit": 1}),
        )
        beacon = await _run(
            discord_double,
            payloads.slash_command("search", {"query": "beacon burned all night", "limit": 1}),
        )
        _write(corpus, "anchor", "Courage is the anchor of every sailor who sails at dawn.")
        (corpus / "beacon.txt").unlink()
        _write(corpus, "compass", "A compass needle trembles but always finds the north.")
        reloaded = await _run(discord_double, payloads.slash_command("reload"))
        assert "Changed: `anchor`" in reloaded["content"]
        for message, what in ((anchor, "has changed"), (beacon, "was removed")):
            for kind in ("ctx", "cite"):
                shown = await _press(discord_double, message, _buttons(message)[kind])
                assert int(shown.get("flags", 0)) & EPHEMERAL
                assert what in shown["content"], shown
                assert "run the command again" in shown["content"]
                assert "sails at dawn" not in str(shown)
                assert "leaves the bay" not in str(shown)


async def test_buttons_made_before_a_reload_answer_from_the_new_corpus_when_unchanged(
    tmp_path: Path, corpus: Path, discord_double: DiscordDouble
) -> None:
    bot = _bot(_settings(tmp_path, corpus, discord_double.user_id))
    async with connect_bot(bot, discord_double):
        old = bot.library
        message = await _run(
            discord_double, payloads.slash_command("search", {"query": "beacon burned all night"})
        )
        _write(corpus, "anchor", "Courage is the anchor of every sailor who sails at dawn.")
        await _run(discord_double, payloads.slash_command("reload"))
        assert bot.library is not old
        shown = await _press(discord_double, message, _buttons(message)["ctx"])
        assert "beacon burned" in str(shown).lower()
        cited = await _press(discord_double, message, _buttons(message)["cite"])
        assert "Beacon" in cited["content"]
        assert "changed" not in cited["content"]


async def test_a_reload_with_only_broken_files_names_them_and_keeps_serving(
    tmp_path: Path, corpus: Path, discord_double: DiscordDouble
) -> None:
    bot = _bot(_settings(tmp_path, corpus, discord_double.user_id))
    async with connect_bot(bot, discord_double):
        for name in ("anchor", "beacon"):
            (corpus / f"{name}.txt").write_bytes(b"")
        reply = await _run(discord_double, payloads.slash_command("reload"))
        text = reply["content"]
        assert "Reload failed; still serving the previous corpus (2 documents)" in text
        assert "Why: no document could be loaded: " in text
        assert "anchor.txt" in text
        assert "beacon.txt" in text
        assert "start the bot" not in text

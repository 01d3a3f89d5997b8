"""``corpusbot commands --json`` prints exactly what the bot syncs to Discord."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.client import CorpusBot
from bot.command_payload import command_payload
from bot.settings import Settings
from tests.double import DiscordDouble

pytestmark = pytest.mark.e2e


async def test_the_printed_payload_is_the_sync_request_body(
    running_bot: CorpusBot, discord_double: DiscordDouble, settings: Settings
) -> None:
    sent = discord_double.syncs[0].commands
    assert await command_payload(settings) == sent
    kinds = {(c["name"], c.get("type", 1)) for c in sent}
    assert ("Where is this from?", 3) in kinds


def test_cli_prints_json_and_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUSBOT_CONFIG", raising=False)
    monkeypatch.setenv("CORPUSBOT_STORAGE", str(tmp_path / "bot.sqlite3"))
    assert main(["commands", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    by_name = {c["name"]: c for c in payload}
    assert by_name["quote"]["integration_types"] == [0, 1]
    assert by_name["daily"]["integration_types"] == [0]
    assert by_name["Where is this from?"]["type"] == 3
    assert main(["commands"]) == 0
    table = capsys.readouterr().out
    assert "/daily" in table
    assert "server install" in table
    assert "message menu" in table
    assert not (tmp_path / "bot.sqlite3").exists()  # the real storage is not touched


def test_cli_writes_a_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUSBOT_CONFIG", raising=False)
    out = tmp_path / "card.png"
    assert main(["card", "--contains", "jaw jaw", "--style", "dark", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "jaw jaw" in capsys.readouterr().out
    assert main(["card", "--contains", "zzqqxx", "--out", str(tmp_path / "none.png")]) == 1
    assert "No quote contains" in capsys.readouterr().err
    assert not (tmp_path / "none.png").exists()

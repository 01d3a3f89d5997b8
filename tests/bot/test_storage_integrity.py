"""A damaged SQLite file is found by ``corpusbot check`` and refused by ``corpusbot run``.

Before, a file with a corrupted page passed ``check`` ("config and corpus OK") and ``run`` logged a
traceback per schedule. Now both run SQLite's integrity check and name the path and what to do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import SQLiteStorage

PAGE = 4096


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "CORPUSBOT_CONFIG", "CORPUSBOT_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _database(path: Path) -> Path:
    async def fill() -> None:
        storage = await SQLiteStorage.open(path)
        for i in range(300):
            await storage.set_meta(f"key {i}", "x" * 200)
        await storage.close()

    asyncio.run(fill())
    return path


def _corrupt_last_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    last = (len(data) // PAGE - 1) * PAGE
    data[last + 8 : last + 200] = b"\xab" * 192
    path.write_bytes(bytes(data))


def test_check_accepts_a_sound_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUSBOT_STORAGE", str(_database(tmp_path / "bot.sqlite3")))
    assert main(["check"]) == 0
    assert "config and corpus OK" in capsys.readouterr().out


def test_check_reports_a_corrupted_page_with_the_path_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path / "bot.sqlite3")
    _corrupt_last_page(path)
    monkeypatch.setenv("CORPUSBOT_STORAGE", str(path))
    assert main(["check"]) == 2
    out = capsys.readouterr()
    assert "config and corpus OK" not in out.out
    assert f"{path} is damaged" in out.err
    assert "integrity check" in out.err
    assert "restore a backup" in out.err
    assert ".recover" in out.err
    assert "Traceback" not in out.err


def test_run_refuses_a_corrupted_database_before_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path / "bot.sqlite3")
    _corrupt_last_page(path)
    monkeypatch.setenv("CORPUSBOT_STORAGE", str(path))
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    monkeypatch.setenv("CORPUSBOT_API_BASE", "http://127.0.0.1:9/api/v10")  # never reached
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert f"{path} is damaged" in err
    assert "cannot reach Discord" not in err
    assert "Traceback" not in err

"""``corpusbot console`` offers what the slash commands offer, and survives SIGHUP by reloading."""

from __future__ import annotations

import asyncio
import io
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import CONSOLE_OPTIONS, main
from bot.command_payload import command_payload
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "tests" / "data" / "books" / "pride_and_prejudice.txt"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty folder with no config; the root logger put back afterwards."""
    import logging

    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "CORPUSBOT_CONFIG", "CORPUSBOT_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _console(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert main(["--corpus", str(BOOK), "console"]) == 0
    return capsys.readouterr().out


def test_every_slash_command_is_answered_or_explained_with_the_same_options(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = asyncio.run(command_payload(load_settings(None)))
    slash = {c["name"]: c for c in payload if c.get("type", 1) == 1}
    assert {"quote", "search", "summary", "sources", "reading"} <= set(slash)
    for name, command in slash.items():
        if name in CONSOLE_OPTIONS:
            options = {o["name"] for o in command.get("options", [])}
            assert set(CONSOLE_OPTIONS[name]) == options, name
    unanswered = sorted(set(slash) - set(CONSOLE_OPTIONS))
    out = _console(monkeypatch, capsys, "".join(f"/{n}\n" for n in unanswered))
    assert "Unknown command" not in out
    assert out.count("only works in Discord") == len(unanswered)


def test_summary_section_and_quote_card_work_in_the_console(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    out = _console(
        monkeypatch,
        capsys,
        "/summary section:3 length:short\n/quote card:true\n/quote card:maybe\n",
    )
    assert "has no option" not in out
    assert "== Pride and Prejudice — Chapter 3 ==" in out
    cards = list(tmp_path.glob("corpusbot-card-*.png"))
    assert len(cards) == 1
    assert cards[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"it is in {cards[0]}" in out
    assert "card: takes true or false, not “maybe”" in out


def _read_until(stream: io.BufferedReader, needle: bytes, timeout: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {needle!r} in {seen!r}"
        ready, _, _ = select.select([stream], [], [], left)
        if ready:
            chunk = os.read(stream.fileno(), 65536)
            assert chunk, f"the console ended before {needle!r}: {seen!r}"
            seen += chunk
    return seen


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_sighup_reloads_the_console_instead_of_killing_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "first.txt").write_text("First\n\nA first document about whales.\n", "utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "--corpus", str(corpus), "console"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    try:
        _read_until(process.stdout, b"1 document loaded")  # type: ignore[arg-type]
        shutil.copy(BOOK, corpus / "pride.txt")
        process.send_signal(signal.SIGHUP)
        out = _read_until(process.stdout, b"Added:", 60)  # type: ignore[arg-type]
        assert process.poll() is None, "SIGHUP ended the console"
        out_rest, _ = process.communicate(b"/sources\n/quit\n", timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert b"(SIGHUP) Corpus reloaded" in out
    assert b"2 documents" in out
    assert b"Added: `pride" in out
    assert process.returncode == 0
    assert b"Pride and Prejudice" in out_rest


class _EmptiedBeforeReload(io.StringIO):
    """Console input that moves every corpus file away just before ``/reload`` is read."""

    def __init__(self, text: str, folder: Path) -> None:
        super().__init__(text)
        self.folder = folder

    def readline(self, size: int | None = -1) -> str:
        line = super().readline(-1 if size is None else size)
        if line.startswith("/reload"):
            for path in self.folder.iterdir():
                path.unlink()
        return line


def test_a_failed_reload_in_the_console_says_it_keeps_serving(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(BOOK, folder / BOOK.name)
    text = "/reload\n/quote\n"
    monkeypatch.setattr(sys, "stdin", _EmptiedBeforeReload(text, folder))
    assert main(["--corpus", str(folder), "console"]) == 0
    out = capsys.readouterr().out
    assert "Reload failed; still serving the previous corpus (1 document)" in out
    assert "Why: no document could be loaded: " in out
    assert "start the bot" not in out
    assert "Pride and Prejudice" in out  # still answering from the old corpus

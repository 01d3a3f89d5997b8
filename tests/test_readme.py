"""The README's console transcript is what the console prints (so the README stays true)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def test_console_transcript_in_readme_is_real(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("$ .venv/bin/corpusbot console\n") + len("$ .venv/bin/corpusbot console\n")
    transcript = text[start : text.index("```", start)].strip()
    commands = [line[2:] for line in transcript.splitlines() if line.startswith("> ")]
    assert commands, "the README transcript shows no command"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUSBOT_CONFIG", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(commands) + "\n"))
    assert main(["console"]) == 0
    assert capsys.readouterr().out.strip() == transcript

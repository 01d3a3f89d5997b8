"""``corpusbot card --out FILE``: a path that cannot be written is one clear line, exit 2."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main


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


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        ("missing/dir/x.png", "does not exist"),
        ("a_file.txt/x.png", "is not a folder"),
        (".", "it is a folder"),
    ],
)
def test_an_unwritable_out_path_is_named_in_one_line(
    out: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a_file.txt").write_text("not a folder", encoding="utf-8")
    assert main(["card", "--out", out]) == 2
    err = capsys.readouterr().err
    assert f"cannot write the card to {out}" in err
    assert reason in err
    assert "Traceback" not in err


def test_a_write_that_fails_late_is_reported_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, data: bytes) -> int:
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert main(["card", "--out", "x.png"]) == 2
    assert "cannot write the card to x.png: No such file or directory" in capsys.readouterr().err


def test_a_writable_path_gets_the_png(tmp_path: Path) -> None:
    assert main(["card", "--out", "x.png"]) == 0
    assert (tmp_path / "x.png").read_bytes().startswith(b"\x89PNG")

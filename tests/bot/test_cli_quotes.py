"""``corpusbot quotes DOCUMENT --top N [--json]``: the operator's preview of what /quote serves."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "seeds" / "trump-must-hold-kim-jong-un-to-account.txt").read_text(encoding="utf-8")


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


def test_quotes_json_lists_the_top_lines_in_rank_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quotes", "kim-human-rights", "--top", "5", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in records] == [1, 2, 3, 4, 5]
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)
    for record in records:
        assert record["text"] in SEED
        assert record["location"] == f"paragraph {record['paragraph']}"
        assert record["quoted"] is False  # the essay's own lines and attributed speech


def test_quotes_text_shows_rank_score_and_location(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quotes", "kim", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert out.lstrip().startswith("1. [")
    assert "(paragraph " in out
    assert "  4. [" not in out


def test_quotes_of_an_unknown_document_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quotes", "no-such-book", "--top", "3"]) == 1
    assert "no document called" in capsys.readouterr().err


def test_summary_of_one_section_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chapters = "\n\n".join(
        f"CHAPTER {n}\n\nAnna walked to the mill in chapter {n}, and Boris followed her there. "
        f"The carts went slowly along the lane in chapter {n}. Anna told Boris the news of the day."
        for n in range(1, 6)
    )
    (tmp_path / "book.txt").write_text("The Mill\n\n" + chapters + "\n", encoding="utf-8")
    argv = ["summary", "book", "--section", "3", "--corpus", str(tmp_path), "--json"]
    assert main(argv) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["section"] == 3
    assert record["sentences"]
    assert all("chapter 3" in s["text"] for s in record["sentences"] if "chapter" in s["text"])

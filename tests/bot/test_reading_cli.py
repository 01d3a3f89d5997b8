"""``corpusbot reading DOCUMENT``: the reading club's instalments, previewed from the shell."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main

BOOK = Path(__file__).resolve().parents[1] / "data" / "books" / "pride_and_prejudice.txt"


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


def _plan(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    assert main(["--corpus", str(BOOK), "reading", "pride", "--json", *extra]) == 0
    plan: dict[str, object] = json.loads(capsys.readouterr().out)
    return plan


def test_a_chapter_a_day_covers_the_book_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _plan(capsys)["instalments"]
    assert isinstance(rows, list)
    assert [r["heading"].split(" · ")[0] for r in rows] == [
        f"Day {n} of {len(rows)}" for n in range(1, len(rows) + 1)
    ]
    assert rows[0]["first"] == 1
    assert all(a["last"] + 1 == b["first"] for a, b in itertools.pairwise(rows))
    assert all(r["words"] > 0 and r["pages"] >= 1 for r in rows)
    assert main(["--corpus", str(BOOK), "reading", "pride"]) == 0
    text = capsys.readouterr().out
    assert f"Pride and Prejudice (Jane Austen): {len(rows)} instalments, a chapter a day" in text
    assert (
        f"{rows[0]['heading']} (¶1–{rows[0]['last']}): {rows[0]['paragraphs']} paragraphs" in text
    )


def test_paragraphs_a_day_cut_the_book_into_equal_instalments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    chapters = _plan(capsys)["instalments"]
    assert isinstance(chapters, list)
    total = chapters[-1]["last"]
    rows = _plan(capsys, "--paragraphs", "25")["instalments"]
    assert isinstance(rows, list)
    assert len(rows) == math.ceil(total / 25)
    assert all(r["paragraphs"] == 25 for r in rows[:-1])
    assert sum(r["paragraphs"] for r in rows) == total


def test_unknown_document_and_bad_size_are_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", str(BOOK), "reading", "nosuch"]) == 1
    assert "no document called “nosuch”" in capsys.readouterr().err
    assert main(["--corpus", str(BOOK), "reading", "nosuch", "--json"]) == 1
    assert "no document called “nosuch”" in json.loads(capsys.readouterr().out)["error"]
    with pytest.raises(SystemExit):
        main(["--corpus", str(BOOK), "reading", "pride", "--paragraphs", "0"])
    assert "give a whole number from 1 to 200" in capsys.readouterr().err

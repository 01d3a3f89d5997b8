"""``corpusbot check`` and ``corpusbot show`` on a folder of every format, and duplicates."""

from __future__ import annotations

import json
import logging
import os
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.loader import load_corpus
from tests.data import make_format_fixtures as fx

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "formats"


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


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    built = fx.build(tmp_path / "built")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("article.html", "voyage.epub", "report.pdf", "notes.docx", "scan.pdf"):
        shutil.copy(built[name], corpus / name)
    shutil.copy(SAMPLES / "password-protected.pdf", corpus / "secret.pdf")
    return corpus


def test_check_json_lists_every_file_with_format_counts_and_warnings(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--corpus", str(folder), "--json"]) == 1  # two files did not load
    report = json.loads(capsys.readouterr().out)
    rows = {Path(row["file"]).name: row for row in report["files"]}
    assert set(rows) == {
        "article.html",
        "voyage.epub",
        "report.pdf",
        "notes.docx",
        "scan.pdf",
        "secret.pdf",
    }
    assert (report["documents"], report["not_loaded"]) == (4, 2)
    epub = rows["voyage.epub"]
    assert (epub["format"], epub["title"], epub["author"]) == ("epub", "The Voyage", "Ada Marsh")
    assert (epub["sections"], epub["paragraphs"], epub["status"]) == (3, 5, "loaded")
    assert epub["words"] > 50
    assert rows["scan.pdf"]["status"] == "not loaded"
    assert any("no text layer" in w for w in rows["scan.pdf"]["warnings"])
    assert rows["secret.pdf"]["warnings"] == ["encrypted: give an unprotected copy"]
    assert main(["check", "--corpus", str(folder), "--json", "--strict"]) == 1


def test_check_prints_the_files_table(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "scan.pdf").unlink()
    (folder / "secret.pdf").unlink()
    shutil.copy(folder / "report.pdf", folder / "report-unsigned.pdf")  # no author
    assert main(["check", "--corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    for text in ("format", "sections", "words", "warnings", "epub", "docx", "Harbour Report"):
        assert text in out
    assert "duplicate of" in out  # the second copy of the report


def test_show_json_prints_sections_and_paragraphs_as_quoted(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "voyage", "--json", "--corpus", str(folder)]) == 0
    [book] = json.loads(capsys.readouterr().out)
    assert (book["id"], book["format"], book["title"]) == ("voyage", "epub", "The Voyage")
    assert book["path"] == str(folder / "voyage.epub")
    assert [s["title"] for s in book["sections"]] == [
        "Chapter One: The Harbour",
        "Chapter Two: The Wind",
        "第三章",
    ]
    assert book["sections"][0]["paragraphs"] == fx.CHAPTER_ONE
    assert main(["show", "--json", "--corpus", str(folder)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 4


def test_show_prints_an_outline_and_names_an_unknown_document(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "notes.docx", "--corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Notes on the Voyage (notes)" in out
    assert "The Wind [¶3–4]" in out
    assert main(["show", "nothing-like-it", "--corpus", str(folder)]) == 1
    assert "There is no document called “nothing-like-it”" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["show", "quotes", "summary", "sources", "quote"])
def test_an_unknown_document_is_exit_1_and_a_json_error_with_json(
    folder: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Every command names an unknown document the same way, as JSON under ``--json``."""
    capsys.readouterr()
    name = ["--document", "zzqx"] if command == "quote" else ["zzqx"]
    assert main([command, *name, "--corpus", str(folder)]) == 1
    plain = capsys.readouterr()
    assert "There is no document called “zzqx”" in plain.err
    assert main([command, *name, "--json", "--corpus", str(folder)]) == 1
    record = json.loads(capsys.readouterr().out)
    assert "There is no document called “zzqx”" in record["error"]


def test_show_lists_the_paragraphs_of_a_document_without_sections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain.txt").write_text(
        "A Plain Essay\n\nThe first paragraph says one thing.\n\nThe second says another.\n",
        encoding="utf-8",
    )
    assert main(["show", "plain", "--corpus", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 paragraphs, no sections" in out
    assert "¶1 The first paragraph says one thing." in out
    assert "¶2 The second says another." in out


LONG = " ".join(
    f"Sentence {n} of the long story tells how the {w} crossed the river at dawn."
    for n, w in enumerate(["fox", "hare", "wolf", "bear", "crow", "deer", "lynx", "owl"] * 8)
)


def test_exact_and_near_duplicates_load_once_naming_both_files(tmp_path: Path) -> None:
    wrapped = "\n".join(textwrap.wrap(LONG, 70))
    (tmp_path / "a-story.txt").write_text(f"A Story\n\n{LONG}\n", encoding="utf-8")
    (tmp_path / "b-copy.txt").write_text(f"A Story\n\n{LONG}\n", encoding="utf-8")
    # The same story as Markdown, with emphasis, curly quotes and hard wraps, one line changed.
    near = wrapped.replace("Sentence 3 of", "*Sentence* 3 of").replace("fox's", "fox’s")
    near = near.replace("Sentence 9 of the long story", "Sentence 9 of the short tale")
    (tmp_path / "c-near.md").write_text(f"# A Story\n\n{near}\n\nA closing line.\n")
    (tmp_path / "d-other.txt").write_text("Other\n\nSomething else entirely, told briefly.\n")
    when = (tmp_path / "a-story.txt").stat().st_mtime - 60  # the oldest copy is the one kept
    os.utime(tmp_path / "a-story.txt", (when, when))
    corpus = load_corpus([tmp_path])
    assert [Path(d.path).name for d in corpus] == ["a-story.txt", "d-other.txt"]
    reasons = {Path(p.path).name: p.reason for p in corpus.problems}
    assert not any(p.fatal for p in corpus.problems)
    assert reasons["b-copy.txt"].startswith(f"duplicate of {tmp_path / 'a-story.txt'} (the same")
    assert reasons["c-near.md"].startswith(f"duplicate of {tmp_path / 'a-story.txt'} (")
    assert "the same text" in reasons["c-near.md"]

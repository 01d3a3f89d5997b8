"""``corpusbot sources`` and the console's ``/sources``."""

from __future__ import annotations

import io
import json
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


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(1, 13):
        (corpus / f"v{n:02d}.txt").write_text(
            f"Voyage {n}\n\nBy Author {n}\n\nShip {n} left the harbour at dawn. The sea was "
            f"calm.\n\nThe crew of ship {n} sang.\n",
            encoding="utf-8",
        )
    return corpus


def test_sources_json_lists_every_document(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--json", "--corpus", str(folder)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["document_id"] for r in records] == [f"v{n:02d}" for n in range(1, 13)]
    assert records[0]["title"] == "Voyage 1"
    assert records[0]["words"] > 10


def test_sources_text_shows_every_page_and_one_document(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Page 1 of 2" in out
    assert "Page 2 of 2" in out
    assert "Voyage 12" in out
    assert main(["sources", "v03", "--json", "--corpus", str(folder)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"] == "Voyage 3"
    assert record["summary"]
    assert main(["sources", "no-such-thing", "--corpus", str(folder)]) == 1


def test_console_sources(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import build_parser, cmd_console, load_settings_from_args

    args = build_parser().parse_args(["console", "--corpus", str(folder)])
    settings = load_settings_from_args(args)
    stdin = io.StringIO("/sources\n/sources document:v02\n")
    assert cmd_console(args, settings, stdin=stdin) == 0
    out = capsys.readouterr().out
    assert "Voyage 11" in out
    assert "== Voyage 2 ==" in out


def test_one_documents_section_list_is_indented_under_its_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "book"
    corpus.mkdir()
    chapters = "\n\n".join(
        f"CHAPTER {n}\n\nThe ship sailed on day {n}, and the crew sang as the sea grew calm."
        for n in range(1, 5)
    )
    (corpus / "voyage.txt").write_text(f"The Voyage\n\n{chapters}\n", encoding="utf-8")
    assert main(["sources", "voyage", "--corpus", str(corpus)]) == 0
    lines = capsys.readouterr().out.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("Sections"))
    listed = [line for line in lines[heading + 1 :] if "Chapter" in line or "CHAPTER" in line]
    assert len(listed) == 4
    assert all(line.startswith("  ") for line in listed), listed

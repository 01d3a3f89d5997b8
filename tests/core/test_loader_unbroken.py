"""Plain text saved without blank lines between paragraphs (bot.core.loader).

Two shapes seen in real exports, both made here from the Pride and Prejudice excerpt in
``tests/data/books``: one paragraph per line, and hard-wrapped lines with the blank lines
removed. Read as one block, either was a single paragraph with no chapters.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.core.loader import load_document, parse_document

BOOK = Path(__file__).resolve().parents[1] / "data" / "books" / "pride_and_prejudice.txt"


def _reference() -> tuple[list[str], list[str]]:
    book = load_document(BOOK)
    return [p.text for p in book.paragraphs], [s.title or "" for s in book.sections]


def _lines_of(paragraphs: list[str]) -> list[str]:
    book = load_document(BOOK)
    lines = ["Pride and Prejudice", "By Jane Austen"]
    for section in book.sections:
        lines.append(section.title or "")
        lines += [paragraphs[n - 1] for n in range(section.first, section.last + 1)]
    return lines


def test_one_paragraph_per_line_reads_every_paragraph_and_chapter() -> None:
    paragraphs, titles = _reference()
    text = "\n".join(_lines_of(paragraphs)) + "\n"
    document = parse_document(text, document_id="per-line")
    assert document.title == "Pride and Prejudice"
    assert document.author == "Jane Austen"
    assert [p.text for p in document.paragraphs] == paragraphs
    assert [s.title for s in document.sections] == titles


def test_hard_wrapped_lines_without_blank_lines_find_most_paragraphs_and_every_chapter() -> None:
    paragraphs, titles = _reference()
    wrapped: list[str] = []
    for line in _lines_of(paragraphs):
        wrapped += textwrap.wrap(line, width=72, break_on_hyphens=False)
    document = parse_document("\n".join(wrapped) + "\n", document_id="no-blank-lines")
    assert [s.title for s in document.sections] == titles
    found = {p.text for p in document.paragraphs} & set(paragraphs)
    assert len(found) >= 0.8 * len(paragraphs), (len(found), len(paragraphs))
    assert len(document.paragraphs) <= 1.1 * len(paragraphs)


def test_a_long_hard_wrapped_paragraph_stays_one_paragraph() -> None:
    paragraphs, _ = _reference()
    long = " ".join(paragraphs[:80])  # one paragraph of well over a hundred wrapped lines
    lines = textwrap.wrap(long, width=72, break_on_hyphens=False)
    assert len(lines) > 100
    text = "Title\n\nBy Someone\n\n" + "\n".join(lines) + "\n"
    document = parse_document(text, document_id="long-paragraph")
    assert [p.text for p in document.paragraphs] == [long]

"""Chapters and sections of plain text, and titles written in capitals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.loader import load_corpus, parse_document
from bot.core.models import Document
from bot.core.text import title_case

PROSE = "The day began like any other, with rain against the windows of the house."


def sections(document: Document) -> list[tuple[str | None, int, int, int]]:
    return [(s.title, s.first, s.last, s.level) for s in document.sections]


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("CHAPTER I.", "Chapter I."),
        ("Chapter 12", "Chapter 12"),
        ("CHAPTER 1. Loomings.", "Chapter 1. Loomings."),
        ("LETTER IV", "Letter IV"),
        ("STAVE ONE", "Stave One"),
        ("Chapter the First", "Chapter the First"),
        ("CHAPTER TWENTY-ONE", "Chapter Twenty-One"),
        ("CHAPTER I.\nDown the Rabbit-Hole", "Chapter I. Down the Rabbit-Hole"),
    ],
)
def test_a_chapter_heading_starts_a_section(heading: str, title: str) -> None:
    text = f"A Book\n\n{heading}\n\n{PROSE}\n\nSecond paragraph.\n"
    document = parse_document(text, document_id="b")
    assert [p.text for p in document.paragraphs] == [PROSE, "Second paragraph."]
    assert sections(document) == [(title, 1, 2, 1)]


def test_books_hold_chapters_and_a_heading_line_takes_the_title_under_it() -> None:
    text = (
        "The War of the Worlds\n\nBOOK ONE\n\nTHE COMING OF THE MARTIANS\n\nCHAPTER ONE\n\n"
        f"THE EVE OF THE WAR\n\n{PROSE}\n\nCHAPTER TWO\n\nTHE FALLING STAR\n\nThen it fell.\n\n"
        "BOOK TWO\n\nCHAPTER ONE\n\nUNDER FOOT\n\nAnd so on.\n"
    )
    document = parse_document(text, document_id="w")
    assert [p.text for p in document.paragraphs] == [PROSE, "Then it fell.", "And so on."]
    assert sections(document) == [
        ("Book One, Chapter One: The Eve of the War", 1, 1, 2),
        ("Book One, Chapter Two: The Falling Star", 2, 2, 2),
        ("Book Two, Chapter One: Under Foot", 3, 3, 2),
    ]


def test_bare_roman_numerals_are_headings_only_when_there_are_several() -> None:
    stories = "Stories\n\n" + "".join(f"{n}.\n\n{PROSE}\n\n" for n in ("I", "II", "III"))
    assert [s.title for s in parse_document(stories, document_id="s").sections] == [
        "I.",
        "II.",
        "III.",
    ]
    once = parse_document(f"A Note\n\n{PROSE}\n\nI.\n\nThe end.\n", document_id="n")
    assert once.sections == ()
    assert "I." in [p.text for p in once.paragraphs]


@pytest.mark.parametrize(
    "line",
    [
        "chapter 3 of the report said nothing new",
        "Chapter 3 of the report said nothing new",
        "Part of the problem was the weather",
        "Book clubs met on Tuesdays in the hall",
    ],
)
def test_prose_that_names_a_chapter_is_not_a_heading(line: str) -> None:
    document = parse_document(f"Notes\n\n{PROSE}\n\n{line}\n\nMore.\n", document_id="p")
    assert document.sections == ()
    assert line in [p.text for p in document.paragraphs]


def test_a_table_of_contents_is_dropped_and_reported(tmp_path: Path) -> None:
    book = tmp_path / "book.txt"
    book.write_text(
        "A Book\n\nCONTENTS\n\nCHAPTER I. The Start\nCHAPTER II. The Middle\n"
        f"CHAPTER III. The End\n\nCHAPTER I. The Start\n\n{PROSE}\n\n"
        "CHAPTER II. The Middle\n\nMiddle.\n\nCHAPTER III. The End\n\nEnd.\n",
        encoding="utf-8",
    )
    corpus = load_corpus([book])
    [document] = corpus.documents
    assert [s.title for s in document.sections] == [
        "Opening",
        "Chapter I. The Start",
        "Chapter II. The Middle",
        "Chapter III. The End",
    ]
    assert [p.text for p in document.paragraphs] == ["CONTENTS", PROSE, "Middle.", "End."]
    [note] = corpus.problems
    assert not note.fatal
    assert "looks like a table of contents" in note.reason


def test_text_before_the_first_heading_is_an_opening_section() -> None:
    document = parse_document(
        f"A Book\n\n{PROSE}\n\nCHAPTER I\n\nFirst.\n\nCHAPTER II\n\nSecond.\n", document_id="b"
    )
    assert sections(document) == [
        ("Opening", 1, 1, 1),
        ("Chapter I", 2, 2, 1),
        ("Chapter II", 3, 3, 1),
    ]
    assert document.section_of(2) == document.sections[1]


def test_a_document_without_headings_has_no_sections() -> None:
    assert parse_document(f"Essay\n\n{PROSE}\n\nMore.\n", document_id="e").sections == ()


def test_titles_in_capitals_are_shown_in_title_case() -> None:
    document = parse_document(f"PRIDE AND PREJUDICE\n\n{PROSE}\n", document_id="p")
    assert document.title == "Pride and Prejudice"
    assert title_case("MOBY-DICK; OR, THE WHALE") == "Moby-Dick; or, the Whale"
    assert title_case("CHAPTER IV. O'BRIEN'S DAY") == "Chapter IV. O'Brien's Day"
    assert title_case("An Author's Own Casing") == "An Author's Own Casing"


def test_gutenberg_emphasis_loses_its_underscores_in_plain_text_only() -> None:
    text = "A Novel\n\n“_You_ may have the _long\nphrase_ now,” said she; see my_file_name.\n"
    document = parse_document(text, document_id="n")
    assert document.paragraphs[0].text == (
        "“You may have the long phrase now,” said she; see my_file_name."
    )
    assert "_" not in " ".join(s.text for s in document.sentences).replace("my_file_name", "")


def test_the_opening_section_is_named_from_a_heading_line_in_capitals() -> None:
    # A transcriber's note, then "ETYMOLOGY." over its text, before the first chapter.
    document = parse_document(
        "A Book\n\nIn chapters 24 and 89 we substituted a letter for a symbol.\n\nETYMOLOGY.\n\n"
        f"{PROSE}\n\nCHAPTER I\n\nFirst.\n",
        document_id="b",
    )
    assert [(s.title, s.first, s.last) for s in document.sections] == [
        ("Etymology", 1, 3),
        ("Chapter I", 4, 4),
    ]

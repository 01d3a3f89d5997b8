"""Summaries of long documents by section (bot.core.summarize_sections), through the core API."""

from __future__ import annotations

import pytest

from bot.core.errors import NotFound
from bot.core.library import Library
from bot.core.models import Corpus, Document, Section
from bot.core.segment import segment_paragraph
from bot.core.summarize_sections import (
    is_long,
    main_people,
    summarize_long,
    summarize_section,
)

PEOPLE = ["Anna", "Boris", "Clara", "Dmitri"]
PLACES = ["the mill", "the river", "the market", "the chapel", "the harbour", "the orchard"]


def _chapter(number: int) -> list[str]:
    """Paragraphs of one chapter: its own events, told with the book's recurring people."""
    a, b = PEOPLE[number % 4], PEOPLE[(number + 1) % 4]
    place = PLACES[number % len(PLACES)]
    return [
        f"In chapter {number}, {a} walked to {place} with {b} to settle the quarrel of the year.",
        f"The morning was grey over {place}, and the carts went slowly along the lane.",
        f"“You never listen to anyone,” said {b}, and the words hung in the air.",
        f"{a} promised {b} that the quarrel at {place} would end before the winter came.",
        "It rained; the road was muddy and the dogs barked at every passing stranger.",
    ]


def _book(chapters: int = 24) -> Document:
    paragraphs, sections = [], []
    for number in range(1, chapters + 1):
        first = len(paragraphs) + 1
        paragraphs += _chapter(number)
        sections.append(Section(number, f"Chapter {number}", first, len(paragraphs)))
    built = tuple(segment_paragraph("book", i, text) for i, text in enumerate(paragraphs, 1))
    return Document("book", "The Quarrel", built, author="A. Writer", sections=tuple(sections))


def test_main_people_are_the_most_mentioned_names() -> None:
    assert set(main_people(_book())[:4]) == set(PEOPLE)


def test_a_section_summary_comes_from_that_section_only() -> None:
    book = _book()
    summary = summarize_section(book, 3, length="short")
    assert summary.section == 3
    assert summary.sentences
    assert all(11 <= s.paragraph <= 15 for s in summary.sentences)
    # the line that says who did what is preferred to scenery
    assert "Dmitri" in summary.sentences[0].text or "Anna" in summary.sentences[0].text


def test_a_book_summary_reads_in_order_and_covers_the_book() -> None:
    book = _book()
    summary = summarize_long(book, length="medium")
    paragraphs = [s.paragraph for s in summary.sentences]
    assert paragraphs == sorted(paragraphs)
    assert len(paragraphs) == 5
    chapters = [book.section_of(p).number for p in paragraphs]  # type: ignore[union-attr]
    assert chapters[0] <= 5
    assert chapters[-1] >= 20
    for sentence in summary.sentences:
        assert any(name in sentence.text for name in PEOPLE)


def test_unknown_section_is_a_clear_error() -> None:
    with pytest.raises(NotFound, match="sections 1-24"):
        summarize_section(_book(), 99)


def test_library_routes_long_documents_and_sections() -> None:
    book = _book(chapters=210)
    assert is_long(book)
    library = Library(Corpus((book,)))
    whole, _ = library.summary("book")
    assert whole.method == "sections"
    one, _ = library.summary("book", section="Chapter 7")
    assert one.section == 7
    two, _ = library.summary("book", section="7")
    assert two == one
    assert library.section_choices("book", "chapter 1")[0] == ("1 · Chapter 1", "#1")
    with pytest.raises(NotFound, match="no section"):
        library.summary("book", section="Epilogue")

"""Reading-club instalments: a chapter a day, or a number of paragraphs."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.daily import post_nonce
from bot.core.models import Document, Paragraph, Section
from bot.core.reading import (
    CHAPTER,
    DEFAULT_PARAGRAPHS,
    instalment_text,
    instalments,
    reading_nonce,
)


def book(paragraphs: int, sections: tuple[Section, ...] = ()) -> Document:
    return Document(
        id="b",
        title="B",
        paragraphs=tuple(
            Paragraph("b", n, f"Paragraph {n}.", ()) for n in range(1, paragraphs + 1)
        ),
        sections=sections,
    )


def test_a_chapter_a_day_follows_the_sections() -> None:
    doc = book(7, (Section(1, "Chapter 1", 1, 3), Section(2, "Chapter 2", 4, 7)))
    plan = instalments(doc, CHAPTER)
    assert [(i.day, i.total, i.first, i.last) for i in plan] == [(1, 2, 1, 3), (2, 2, 4, 7)]
    assert plan[1].section is not None
    assert plan[1].section.title == "Chapter 2"
    assert instalment_text(doc, plan[1]) == [f"Paragraph {n}." for n in range(4, 8)]


def test_without_sections_a_chapter_a_day_is_a_few_pages() -> None:
    plan = instalments(book(30))
    assert [(i.first, i.last) for i in plan] == [
        (1, DEFAULT_PARAGRAPHS),
        (DEFAULT_PARAGRAPHS + 1, 2 * DEFAULT_PARAGRAPHS),
        (2 * DEFAULT_PARAGRAPHS + 1, 30),
    ]
    assert all(i.section is None for i in plan)


def test_a_number_of_paragraphs_covers_every_paragraph_once() -> None:
    doc = book(23, (Section(1, "One", 1, 10), Section(2, "Two", 11, 23)))
    plan = instalments(doc, 5)
    covered = [n for i in plan for n in range(i.first, i.last + 1)]
    assert covered == list(range(1, 24))
    assert plan[-1].total == 5
    assert plan[2].section is not None
    assert plan[2].section.title == "Two"  # paragraphs 11-15 start in section 2


def test_bad_sizes_and_empty_documents_are_refused() -> None:
    with pytest.raises(ValueError, match="size"):
        instalments(book(3), -1)
    with pytest.raises(ValueError, match="no paragraphs"):
        instalments(book(0))


def test_the_reading_nonce_is_stable_and_not_the_daily_quotes() -> None:
    day = date(2026, 5, 12)
    assert reading_nonce(1, day) == reading_nonce(1, day)
    assert reading_nonce(1, day) != post_nonce(1, day)
    assert len(reading_nonce(1, day)) <= 25

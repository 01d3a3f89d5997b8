"""Which section a user's words name (``Library.section_number``, ``section_choices``)."""

from __future__ import annotations

import pytest

from bot.core.errors import NotFound
from bot.core.library import Library
from bot.core.models import Corpus, Document, Section
from bot.core.section_lookup import AmbiguousSection, title_words
from bot.core.segment import segment_paragraph


def _document(titles: list[str | None]) -> Document:
    """A document with one two-paragraph section per title (``None``: untitled front matter)."""
    paragraphs: list[str] = []
    sections = []
    for number, title in enumerate(titles, 1):
        first = len(paragraphs) + 1
        paragraphs += [f"Text of section {number}.", f"More of section {number}."]
        sections.append(Section(number, title, first, len(paragraphs)))
    built = tuple(segment_paragraph("doc", i, t) for i, t in enumerate(paragraphs, 1))
    return Document("doc", "The Book", built, sections=tuple(sections))


WHALE = _document(
    [None, "Chapter 1. Loomings.", "Chapter 2. The Carpet-Bag."]
    + [f"Chapter {n}. Title {n}." for n in range(3, 136)]
)
VOLUMES = _document(
    [f"Volume {v}, Chapter {c}" for v in ("I", "II", "III") for c in ("I", "II", "III", "IV")]
)
LEAGUES = _document(
    ["Chapter I: A Shifting Reef", "Chapter IV: Ned Land", "Chapter IX: Ned Land's Tempers"]
)


def _number(document: Document, typed: str) -> int:
    return Library(Corpus((document,))).section_number(document, typed)


@pytest.mark.parametrize("typed", ["Chapter 1", "chapter one", "CHAPTER I", "loomings", "Loom"])
def test_an_exact_word_match_wins_over_longer_numbers(typed: str) -> None:
    assert WHALE.section(_number(WHALE, typed)).title == "Chapter 1. Loomings."


def test_a_bare_number_is_the_chapter_number_not_the_position() -> None:
    assert WHALE.section(_number(WHALE, "56")).title == "Chapter 56. Title 56."
    assert WHALE.section(_number(WHALE, "LVI")).title == "Chapter 56. Title 56."
    # autocomplete sends the position, marked
    assert WHALE.section(_number(WHALE, "#57")).title == "Chapter 56. Title 56."


def test_a_unique_title_ending_or_title_word_is_enough() -> None:
    assert LEAGUES.section(_number(LEAGUES, "Ned Land")).title == "Chapter IV: Ned Land"
    assert LEAGUES.section(_number(LEAGUES, "tempers")).title == "Chapter IX: Ned Land's Tempers"
    assert LEAGUES.section(_number(LEAGUES, "Chapter 9")).title == "Chapter IX: Ned Land's Tempers"


def test_a_true_ambiguity_lists_the_candidates() -> None:
    with pytest.raises(AmbiguousSection) as caught:
        _number(VOLUMES, "Chapter I")
    assert caught.value.candidates == [
        "Volume I, Chapter I",
        "Volume II, Chapter I",
        "Volume III, Chapter I",
    ]
    assert "Volume II, Chapter I" in str(caught.value)
    assert VOLUMES.section(_number(VOLUMES, "volume two chapter one")).title == (
        "Volume II, Chapter I"
    )


def test_no_match_says_how_to_pick_without_a_list_it_never_showed() -> None:
    with pytest.raises(NotFound) as caught:
        _number(WHALE, "Epilogue")
    message = str(caught.value)
    assert "no section called “Epilogue”" in message
    assert "list" not in message
    assert not isinstance(caught.value, AmbiguousSection)


def test_autocomplete_offers_word_matches_with_position_values() -> None:
    library = Library(Corpus((WHALE,)))
    assert library.section_choices("doc", "Chapter 1") == [("2 · Chapter 1. Loomings.", "#2")]
    assert len(library.section_choices("doc", "")) == 25


def test_title_words_read_numbers_after_division_words() -> None:
    assert title_words("CHAPTER IV. Ned Land") == ("chapter", "4", "ned", "land")
    assert title_words("Book Two, Chapter the First") == ("book", "2", "chapter", "1")
    assert title_words("Chapter Forty-Two") == ("chapter", "42")


@pytest.mark.parametrize("typed", ["chap 3", "Ch. 3", "chapt. III"])
def test_short_forms_of_chapter_name_the_chapter(typed: str) -> None:
    assert _number(WHALE, typed) == 4  # the untitled opening is section 1, "Chapter 3" is 4


def test_short_forms_of_volume_and_chapter_name_the_section() -> None:
    assert _number(VOLUMES, "vol II ch III") == 7


def test_the_section_autocomplete_reads_short_forms_too() -> None:
    library = Library(Corpus((WHALE,)))
    assert library.section_choices("doc", "chap 3")[0] == ("4 · Chapter 3. Title 3.", "#4")

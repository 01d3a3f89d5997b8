"""Plain-text novels with parts and wrapped chapter titles, cut from real Gutenberg files
(``tests/data/books/structure``, rebuilt by ``tests/data/regenerate.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import render
from bot.core.errors import NotFound
from bot.core.library import Library
from bot.core.loader import load_corpus
from bot.core.models import Corpus, Document
from bot.core.section_lookup import AmbiguousSection

STRUCTURE = Path(__file__).resolve().parents[1] / "data" / "books" / "structure"


def _load(name: str) -> Document:
    return load_corpus([STRUCTURE / name]).documents[0]


def _titles(document: Document) -> list[str | None]:
    return [s.title for s in document.sections]


def test_chapters_of_each_volume_are_named_with_their_volume() -> None:
    emma = _load("emma_volumes.txt")
    assert _titles(emma) == [
        "Volume I, Chapter I",
        "Volume I, Chapter II",
        "Volume II, Chapter I",
        "Volume II, Chapter II",
        "Volume III, Chapter I",
    ]
    assert [s.level for s in emma.sections] == [2] * 5
    volume_two = emma.section(3)
    assert render.location(emma, volume_two.first) == "Volume II, Chapter I, ¶1"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "the_war_of_the_worlds_books.txt",
            [
                "Book One, Chapter One: The Eve of the War",
                "Book One, Chapter Two: The Falling Star",
                "Book Two, Chapter One: Under Foot",
                "Book Two, Chapter Two: What We Saw from the Ruined House",
            ],
        ),
        (
            "twenty_thousand_leagues_parts.txt",
            [
                "Part One, Chapter I: A Shifting Reef",
                'Part One, Chapter XXII: "Aegri Somnia"',
                "Part Two, Chapter I: The Indian Ocean",
                "Part Two, Chapter XX: FROM LATITUDE 47 deg. 24' TO LONGITUDE 17 deg. 28'",
            ],
        ),
    ],
)
def test_books_and_parts_qualify_chapters_and_odd_titles_are_titles(
    name: str, expected: list[str]
) -> None:
    titles = [t for t in _titles(_load(name)) if t != "Opening"]
    assert titles == expected


def test_a_chapter_title_wrapped_onto_a_second_line_is_one_heading() -> None:
    moby = _load("moby_dick_wrapped_titles.txt")
    titles = [t for t in _titles(moby) if t != "Opening"]
    assert titles == [
        "Chapter 55. Of the Monstrous Pictures of Whales.",
        "Chapter 56. Of the Less Erroneous Pictures of Whales, and the True Pictures of "
        "Whaling Scenes.",
        "Chapter 57. Of Whales in Paint; in Teeth; in Wood; in Sheet-Iron; in Stone; in "
        "Mountains; in Stars.",
    ]
    assert not any(p.text.startswith("CHAPTER") for p in moby.paragraphs)


def test_section_lookup_on_parts_names_the_candidates() -> None:
    emma = _load("emma_volumes.txt")
    library = Library(Corpus((emma,)))
    with pytest.raises(AmbiguousSection) as caught:
        library.section_number(emma, "Chapter I")
    assert caught.value.candidates == [
        "Volume I, Chapter I",
        "Volume II, Chapter I",
        "Volume III, Chapter I",
    ]
    assert library.section_number(emma, "Volume 2, chapter one") == 3
    moby = _load("moby_dick_wrapped_titles.txt")
    found = moby.section(Library(Corpus((moby,))).section_number(moby, "56"))
    assert (found.title or "").startswith("Chapter 56.")
    with pytest.raises(NotFound):
        library.section_number(emma, "Volume IV, Chapter I")

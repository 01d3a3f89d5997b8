"""Finding the passage a chat message quotes (the core of "Where is this from?")."""

from __future__ import annotations

from bot.core.library import Library
from bot.core.provenance import (
    MAX_WINDOWS,
    MAX_WORD_WINDOWS,
    WINDOW_CHARS,
    quoted_part,
    search_windows,
    word_windows,
)
from tests.core.test_search import make_corpus


def test_block_quote_lines_are_the_quoted_part() -> None:
    text = "> It is a truth universally acknowledged\n> that a single man\nso true lol"
    assert quoted_part(text) == "It is a truth universally acknowledged that a single man"


def test_the_longest_quoted_span_of_a_few_words_is_the_quoted_part() -> None:
    text = 'He said "hi" and then “jaw jaw is better than war war” — <@123> https://x.y/z'
    assert quoted_part(text) == "jaw jaw is better than war war"


def test_without_quotes_the_whole_text_without_markup_is_searched() -> None:
    assert quoted_part("<@!42> call me <:wave:99> Ishmael") == "call me Ishmael"


def test_long_text_becomes_a_few_windows_of_whole_sentences() -> None:
    text = " ".join(f"Sentence number {i} is here and it says something." for i in range(200))
    windows = search_windows(text)
    assert len(windows) == MAX_WINDOWS
    assert all(len(w) <= WINDOW_CHARS for w in windows)
    assert all(w.endswith(".") for w in windows)
    assert windows[0].startswith("Sentence number 0 ")
    assert "199" in windows[-1]


def test_a_quotation_is_located_and_chatter_is_not() -> None:
    corpus = make_corpus(
        {
            "d": [
                "The sea was calm that night, and the stars burned over the quiet harbour.",
                "Nobody in the village had ever seen a whale come so close to the shore.",
            ]
        }
    )
    library = Library(corpus)
    found = library.where_from("lol “nobody in the vilage had ever seen a whale come so close”")
    assert found is not None
    assert found.accepted
    assert found.hit.passage.paragraph == 2
    chatter = library.where_from("what time is the game tonight, can you bring snacks")
    assert chatter is None or not chatter.accepted
    assert library.where_from("!!! ???") is None


def test_word_windows_overlap_and_cover_the_end() -> None:
    words = [f"w{i}" for i in range(40)]
    windows = word_windows(" ".join(words), words=12, stride=6)
    assert windows[0].split() == words[:12]
    assert windows[-1].split() == words[-12:]
    assert word_windows("too short to need any") == []
    many = word_windows(" ".join(f"w{i}" for i in range(1000)))
    assert len(many) == MAX_WORD_WINDOWS


def test_an_unpunctuated_quotation_inside_long_chatter_is_found() -> None:
    corpus = make_corpus(
        {
            "d": [
                "The sea was calm that night, and the stars burned over the quiet harbour.",
                "Nobody in the village had ever seen a whale come so close to the shore, and the "
                "children ran down to the water to watch it breathe.",
            ]
        }
    )
    library = Library(corpus)
    chatter = "we were talking about this at dinner and nobody remembered the book. " * 5
    quote = (
        "nobody in the village had ever seen a whale come so close to the shore and the children"
    )
    found = library.where_from(chatter + quote + " " + chatter)
    assert found is not None
    assert found.accepted
    assert found.hit.passage.paragraph == 2

"""Sentence splitting: abbreviations, quotes, ellipses, offsets, and the cap on long units."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
import sentencex
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import segment
from bot.core.segment import MAX_SENTENCE_CHARS, segment_paragraph, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr Kim met Mr Trump in Hanoi. They talked.",
            ["Mr Kim met Mr Trump in Hanoi.", "They talked."],
        ),
        (
            "Mr. Kim met Dr. Smith at the U.N. on Monday. They talked.",
            ["Mr. Kim met Dr. Smith at the U.N. on Monday.", "They talked."],
        ),
        (
            "The U.N. report was damning. It was ignored.",
            ["The U.N. report was damning.", "It was ignored."],
        ),
        (
            "It happened in Washington, D.C. on Monday. Nobody saw it.",
            ["It happened in Washington, D.C. on Monday.", "Nobody saw it."],
        ),
        (
            "See e.g. the report, i.e. the long one. Fine.",
            ["See e.g. the report, i.e. the long one.", "Fine."],
        ),
    ],
)
def test_abbreviations_do_not_end_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "As Churchill said, “jaw jaw” is better than “war war”. We agree.",
            ["As Churchill said, “jaw jaw” is better than “war war”.", "We agree."],
        ),
        ("He said “peace.” Then he left.", ["He said “peace.”", "Then he left."]),
        ("“Is it?” she asked. Yes.", ["“Is it?” she asked.", "Yes."]),
        ("‘Don’t,’ she said. ‘Please.’", ["‘Don’t,’ she said.", "‘Please.’"]),
        ('"Go now," he said. "Now."', ['"Go now," he said.', '"Now."']),
    ],
)
def test_quotes_stay_with_their_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She paused... and then spoke. It was late.",
            ["She paused... and then spoke.", "It was late."],
        ),
        (
            "She paused… and then spoke. It was late.",
            ["She paused… and then spoke.", "It was late."],
        ),
    ],
)
def test_ellipsis_inside_a_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_offsets_are_stripped_and_round_trip() -> None:
    text = "  First one.   Second “quoted” one!\n  Third 🙂 one?  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second “quoted” one!", "Third 🙂 one?"]
    assert [s for s, _ in spans] == [2, 15, 38]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []


_ALPHABET = st.sampled_from(
    [*"abcXYZ .,;:!?…“”‘’\"'–—-\n\t", "Mr", "U.N.", "Dr.", "🙂", "é", "e\u0301", "👨‍👩‍👧", " – "]
)
# Few sentence ends: long units that exercise the cap at every level.
_LONG_UNIT_ALPHABET = st.sampled_from(
    [*"abcdefghij", "word ", "word ", "word ", ", ", "; ", " – ", "e\u0301", "🙂", "x" * 50]
)


def _assert_spans_valid(text: str) -> None:
    """Ordered, stripped, non-empty, capped spans that cover every non-space character."""
    spans = split_sentences(text)
    previous_end = 0
    covered = [False] * len(text)
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert end - start <= MAX_SENTENCE_CHARS
        assert not text[start].isspace()
        assert not text[end - 1].isspace()
        for i in range(start, end):
            covered[i] = True
        previous_end = end
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=400))
def test_spans_are_valid_on_short_text(parts: list[str]) -> None:
    _assert_spans_valid("".join(parts))


@settings(max_examples=40, deadline=None)
@given(st.lists(_LONG_UNIT_ALPHABET, min_size=300, max_size=900))
def test_spans_are_valid_on_long_units(parts: list[str]) -> None:
    _assert_spans_valid("".join(parts))


def _check_capped(text: str) -> list[str]:
    pieces = sentences(text)
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    # Nothing lost, nothing reordered: the pieces are the text's words in order.
    assert " ".join(pieces).split() == text.split()
    return pieces


def test_long_quotation_is_resplit_at_clause_boundaries_first() -> None:
    clause = "the keeper climbed, counted, and rested, then climbed again, slowly"
    text = "“" + "; ".join([clause] * 40) + ".”"
    assert [len(unit) for unit in sentencex.segment("en", text)] == [
        len(text)
    ]  # one 2,761-char unit
    pieces = _check_capped(text)
    assert len(pieces) >= len(text) // MAX_SENTENCE_CHARS
    assert all(p.endswith(";") for p in pieces[:-1])


def test_long_unit_without_clauses_is_resplit_at_commas() -> None:
    text = ", ".join(["grey sea and a harbour wall pointing out like a finger"] * 60) + "."
    pieces = _check_capped(text)
    assert all(p.endswith(",") for p in pieces[:-1])
    # Greedy packing: pieces are as long as the cap allows, not one comma phrase each.
    assert all(len(p) > MAX_SENTENCE_CHARS - 60 for p in pieces[:-1])


def test_long_unit_without_punctuation_is_resplit_at_words() -> None:
    words = ["harbour", "grey", "wall", "nothing", "pointing", "finger"] * 300
    text = " ".join(words) + "."
    pieces = _check_capped(text)
    assert len(pieces) > 1


def test_long_quotation_of_several_sentences_is_resplit_at_its_sentence_ends() -> None:
    speech = [
        f"Then, on day {n}, I called on Mr. Darcy and Dr. Jones at the U.N. office, and we talked."
        for n in range(120)
    ]
    text = "“" + " ".join(speech) + "” he said."
    # The premise: sentencex keeps the whole quotation as one unit of about 11,000 characters.
    assert max(len(unit) for unit in sentencex.segment("en", text)) > 10 * MAX_SENTENCE_CHARS
    pieces = _check_capped(text)
    assert all(p.endswith("talked.") for p in pieces[:-1])
    assert not any(p.endswith(("Mr.", "Dr.", "U.N.")) for p in pieces)


def test_a_word_longer_than_the_cap_is_cut_without_splitting_a_character() -> None:
    text = "e\u0301" * 700 + " end."
    pieces = _check_capped_chars(text)
    assert all(not unicodedata.combining(p[0]) for p in pieces)


def _check_capped_chars(text: str) -> list[str]:
    pieces = sentences(text)
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    return pieces


def test_segment_paragraph_builds_sentences_with_offsets() -> None:
    text = "Mr Kim met Dr. Smith. “Why?” asked the U.N. envoy. Nobody knew… yet."
    paragraph = segment_paragraph("doc-1", 3, text)
    assert paragraph.document_id == "doc-1"
    assert paragraph.number == 3
    assert paragraph.text == text
    assert [s.text for s in paragraph.sentences] == [
        "Mr Kim met Dr. Smith.",
        "“Why?” asked the U.N. envoy.",
        "Nobody knew… yet.",
    ]
    for index, sentence in enumerate(paragraph.sentences):
        assert sentence.index == index
        assert sentence.paragraph == 3
        assert sentence.document_id == "doc-1"
        assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Oh! she is absolutely charming! I never saw anyone so lovely.",
            ["Oh! she is absolutely charming!", "I never saw anyone so lovely."],
        ),
        (
            "She had talked her into love; but, alas! she was not so easily to be talked out of it.",
            [
                "She had talked her into love; but, alas! she was not so easily to be talked out"
                " of it."
            ],
        ),
        (
            "Emma was silent. --Mr. Elton's absence just at this time was the very thing.",
            ["Emma was silent.", "--Mr. Elton's absence just at this time was the very thing."],
        ),
        ("They ate 400,000 lbs. of beef in a year.", ["They ate 400,000 lbs. of beef in a year."]),
        (
            "The lantern burned all night long. Yes.",
            ["The lantern burned all night long.", "Yes."],
        ),
    ],
)
def test_books_exclamations_and_old_abbreviations_do_not_cut_a_sentence(
    text: str, expected: list[str]
) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == expected


def test_sentence_end_cuts_are_those_of_the_plain_pattern() -> None:
    """The end-mark-first pattern for cutting long sentences finds what the look-behinds-first
    one it replaced finds."""
    titles = segment._TITLES
    plain = re.compile(
        r"(?<![A-Z])"
        + "".join(rf"(?<!\b{t})" for t in titles)
        + r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])"
    )
    rng = random.Random(29)
    pieces = [*titles, "A", "U", "x", " ", "  ", "\n", ".", "!", "?", "…", "”", ")", "“", "(", "7"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        start = rng.randint(0, len(text))
        expected = [m.span() for m in plain.finditer(text, start)]
        assert [m.span() for m in segment._SENTENCE_END.finditer(text, start)] == expected, text


def test_abbreviation_ends_are_found_near_the_end() -> None:
    """``_repair`` searches only a span's last 8 characters for an abbreviation at its end."""
    rng = random.Random(31)
    pieces = ["Messrs", "Lieut", "Mr", "lbs", "&c", "vol", ".", " ", "x", "\n", "é"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        start, end = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
        whole = segment._ABBREVIATION_END.search(text, start, end)
        near = segment._ABBREVIATION_END.search(text, max(start, end - 8), end)
        assert (whole and whole.span()) == (near and near.span()), text

"""The fast paths of quotability give what the plain patterns give."""

from __future__ import annotations

import random
import re

import pytest

from bot.core.quotes import _patterns as P
from bot.core.quotes._dialogue import whole_words
from bot.core.quotes._lexicon import words
from bot.core.quotes._marks import word_before
from bot.core.quotes._scoring import (
    _CLAUSE_OPENER,
    _PAST_WORD,
    _ascii_runs,
    _demonstrative,
    _line,
    past_markers,
)
from bot.core.text import WORD


def _by_pattern(text: str) -> int:
    return sum(1 for m in P.PAST.finditer(text) if m.group(0).casefold() not in P.NOT_PAST)


@pytest.mark.parametrize(
    "text",
    [
        "He said he had walked and talked, indeed.",
        "WAS it naked? It Was. Ed talked; she's SAVED_ saved2 saved",
        "The \u017fpeed he \u017faved; \u212aICKED the ball; caf\u00e9 visited; na\u00efve wanted",
        "",
    ],
)
def test_past_markers_count_as_the_pattern(text: str) -> None:
    assert past_markers(text) == _by_pattern(text)


def test_past_markers_on_random_text_count_as_the_pattern() -> None:
    rng = random.Random(7)
    letters = [*"abdeEDswWAS \u017f\u212a\u0130\u0131\u00e9\u00df_1\u2019'-.", "ed", "was", "naked"]
    for _ in range(3000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(1, 14)))
        assert past_markers(text) == _by_pattern(text), text


def _caseless() -> list[P.Caseless]:
    return [value for value in vars(P).values() if isinstance(value, P.Caseless)]


def test_caseless_fast_path_matches_as_the_pattern() -> None:
    """ASCII sentences built from the patterns' own words, in mixed case, with punctuation:
    the lowered fast path (and its needles, and its word keys given the sentence's words) finds
    what the case-insensitive pattern finds."""
    rng = random.Random(11)
    single = words(
        "I hope you know sir madam my dear not but only better than neither nor without "
        "the above as mentioned this week ago is are never always he his they http www "
        "[1] (1999) et al. ibid pp. 4 @x doi: Photo: read more works for all rights "
        "is the author of yet though whereas cookies policy will won't , ; : - -- . ! ? X Yes It "
        "can't won’t ma'am my dearest my love dear above-mentioned see below the latter former "
        "put that way instead of rather than I am afraid to be sure you see assure you "
        "this chapter next year last time tonight co-author I must say I dare say stronger "
        "she him her them their hers goes do no nothing everyone none"
    )
    phrases = [  # whole, so that the multi-word alternatives occur
        "put that way",
        ", although",
        ", whereas",
        "— while",
        "I am sure",
        "I assure you",
        "above mentioned",
        "as noted",
        "as discussed",
        "as shown",
        "this essay",
        "this post",
        "this piece",
        "this book",
        "this report",
        "last month",
        "next week",
        "the following",
        "not only",
        "not a but",
        "neither a nor",
        "not it nor",
        "without a without",
        "less than",
        "greater than",
        "weaker than",
        "worse than",
        "more than",
    ]
    vocabulary = [*single, *phrases]
    patterns = _caseless()
    assert len(patterns) >= 9
    hits = 0
    for _ in range(4000):
        picked = [rng.choice(vocabulary) for _ in range(rng.randint(1, 12))]
        text = " ".join(w.upper() if rng.random() < 0.2 else w for w in picked)
        for caseless in patterns:
            expected = caseless.pattern.search(text) is not None
            lowered = text.lower()
            runs = frozenset(re.findall(r"\w+", lowered))
            assert caseless.search(text, lowered) == expected, (caseless.pattern, text)
            assert caseless.search(text, lowered, runs) == expected, (caseless.pattern, text)
            assert caseless.search(text) == expected
            hits += expected
    assert hits > 1000  # the sentences do hit the patterns


def test_third_person_words_are_the_pattern_words() -> None:
    rng = random.Random(13)
    vocabulary = words("he she him her they them his hers The HE Her-self it's , . -")
    for _ in range(2000):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 6)))
        runs = frozenset(re.findall(r"\w+", text.lower()))
        expected = P.THIRD_PERSON.search(text) is not None
        assert (not P.THIRD_PERSON_WORDS.isdisjoint(runs)) == expected, text


_ONE_BOILERPLATE = re.compile(
    "|".join((P.BOILERPLATE_START.pattern, P.BOILERPLATE.pattern.pattern)), re.IGNORECASE
)


def test_boilerplate_at_start_or_anywhere_is_the_one_pattern() -> None:
    rng = random.Random(5)
    vocabulary = words(
        "Photo: photograph : read more click here subscribe follow us share this what's hot "
        "sign up copyright works for at is the co-author founder of all rights reserved "
        "newsletter cookie cookies policy -- The man - ©"
    )
    hits = 0
    for _ in range(4000):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 8)))
        text = text.upper() if rng.random() < 0.2 else text
        expected = _ONE_BOILERPLATE.search(text) is not None
        lowered = text.lower() if text.isascii() else None
        found = bool(P.BOILERPLATE_START.match(text)) or P.BOILERPLATE.search(text, lowered)
        assert found == expected, text
        hits += expected
    assert hits > 500


def test_clause_openers_are_the_first_word_of_each_clause() -> None:
    """One scan gives what splitting the sentence at ``,;:–—`` and searching each clause gives."""
    rng = random.Random(17)
    pieces = [
        *words("not so It's well-known don't The a 12 _x é’s - ' ( ) ."),
        ",",
        ";",
        ":",
        "–",
        "—",
        " ",
    ]
    for _ in range(3000):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 10))
        )
        expected = [
            m.group(0) for clause in re.split("[,;:–—]", text) if (m := WORD.search(clause))
        ]
        assert _CLAUSE_OPENER.findall(text) == expected, text


def test_ascii_words_and_past_count_are_the_runs_and_the_count() -> None:
    """The ``\\w`` runs taken from the sentence's words, and the past-tense count over them,
    are those of the lowered text and of :func:`past_markers`."""
    assert not P.PAST_WORDS & P.NOT_PAST
    assert all(w.isalpha() for w in P.PAST_WORDS)
    rng = random.Random(19)
    pieces = [
        *words("He had walked naked Ed-talked don't it's __init__ x_y 2nd 1990s WAS"),
        "-",
        "'",
        " ",
        ".",
        "--",
    ]
    for _ in range(3000):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 12))
        )
        lowered = text.lower()
        runs = _ascii_runs(text, lowered, WORD.findall(text))
        assert runs == re.findall(r"\w+", lowered), text
        assert sum(map(_PAST_WORD.__getitem__, runs)) == past_markers(text), text


def test_word_before_is_the_last_word_run() -> None:
    rng = random.Random(23)
    pieces = ["Mr", "a", "_b", "é", "٣", "ß", " ", ".", "—", "x1", "\n"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        found = re.search(r"(\w+)$", text[start:end])
        assert word_before(text, end, start) == (found.group(1) if found else ""), text


def test_demonstrative_prefilter_keeps_every_match() -> None:
    rng = random.Random(41)
    pieces = ["this", "This", "that", "these", "those", "xthis", "is", "man", "of", "-", " ", "  "]
    checked = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(3, 12)))
        line = _line(text)
        if line is None:
            continue
        expected = P.DEMONSTRATIVE_DETERMINER.search(line.text[1:]) is not None
        assert _demonstrative(line) == expected, text
        checked += expected
    assert checked > 500


def test_whole_words_pattern_matches_as_the_plain_one() -> None:
    names = ["Elizabeth", "Eliza", "Jane", "Mr", "é", "O'Neil", "-x", "Bingley"]
    plain = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
    fast = whole_words(names)
    rng = random.Random(47)
    pieces = [*names, "Eliz", "a", " ", ".", "\n", "z", "’", "_"]
    hits = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        expected = [(m.group(1), m.span()) for m in plain.finditer(text)]
        assert [(m.group(1), m.span()) for m in fast.finditer(text)] == expected, text
        hits += len(expected)
    assert hits > 5000

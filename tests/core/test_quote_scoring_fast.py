"""The fast paths of quotability give what the plain patterns give."""

from __future__ import annotations

import random
import re

import pytest

from bot.core.quotes import _patterns as P
from bot.core.quotes._lexicon import words
from bot.core.quotes._scoring import past_markers


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
    the lowered fast path (and its needles) finds what the case-insensitive pattern finds."""
    rng = random.Random(11)
    vocabulary = words(
        "I hope you know sir madam my dear not but only better than neither nor without "
        "the above as mentioned this week ago is are never always he his they http www "
        "[1] (1999) et al. ibid pp. 4 @x doi: Photo: read more works for all rights "
        "is the author of yet though whereas cookies policy will won't , ; : - -- . ! ? X Yes It"
    )
    patterns = _caseless()
    assert len(patterns) >= 9
    hits = 0
    for _ in range(4000):
        picked = [rng.choice(vocabulary) for _ in range(rng.randint(1, 12))]
        text = " ".join(w.upper() if rng.random() < 0.2 else w for w in picked)
        for caseless in patterns:
            expected = caseless.pattern.search(text) is not None
            assert caseless.search(text, text.lower()) == expected, (caseless.pattern, text)
            assert caseless.search(text) == expected
            hits += expected
    assert hits > 1000  # the sentences do hit the patterns


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

"""The fast paths of quotability give what the plain patterns give."""

from __future__ import annotations

import random

import pytest

from bot.core.quotes import _patterns as P
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

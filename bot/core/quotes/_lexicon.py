"""The words the quote rules share: the word pattern and the stop words.

Kept in one place so the scoring, the speech grammar and the query engine agree; to be replaced by
the corpus-wide text lexicon when it exists.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")
"""A word: a run of letters/digits, apostrophes and hyphens inside kept ("don’t", "well-known")."""


def words(text: str) -> list[str]:
    """Whitespace-separated words of a literal word list."""
    return text.split()


STOP = frozenset(
    words(
        "a an the and or but nor so yet for of to in on at by with from as is are was were be "
        "been being it its this that these those he she they we you i me my our your his her "
        "their them not no do does did have has had will would can could shall should may might "
        "must than then there here which who whom whose what when where why how if because while "
        "though although also just only very more most such into onto over under about after "
        "before"
    )
)
"""Function words that never count as repeated content words."""

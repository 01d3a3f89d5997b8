"""People's names in prose: the name grammar, the fullest form of a name, and name matching.

A title plus surname ("Mrs. Bennet") stays apart from a first name plus surname ("Elizabeth
Bennet"); a speaker query's honorific must be the name's own ("Mr. Bennet" never matches "Mrs.
Bennet").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz

from bot.core.text import HONORIFICS, NAME_PARTICLES, NOT_NAME_WORDS, TITLES, honorific

_TITLES = "|".join(title.replace(" ", r"\s+") for title in TITLES)
_TITLE_RE = re.compile(rf"^(?:{_TITLES})\.?$")
_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_TOKEN = (
    rf"(?:[{_UP}](?:[’'][{_UP}])?[{_LO}]*(?:[{_UP}][{_LO}]+)?(?:[-’'][{_UP}]?[{_LO}]+)*"
    rf"|[{_UP}]\.)"
)
_PARTICLE = "(?:" + "|".join(sorted(NAME_PARTICLES, key=len, reverse=True)) + ")"
_NAME = rf"(?:(?:(?:{_TITLES})\.?\s+)*{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN}){{0,3}})"
_MENTION = re.compile(rf"(?<![\w’'])(?:(?:{_TITLES})\.?\s+)+{_TOKEN}(?:\s+{_TOKEN}){{0,2}}")
_NAME_STOP = NOT_NAME_WORDS


_RUN = re.compile(rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN})+")


def _name_runs(text: str) -> list[str]:
    """Candidate full names for :func:`_canonical`: runs of two or more capitalised words *in
    mid-sentence* (after a lower-case word or a comma, so a sentence-initial "Till Elizabeth" is
    not a name), cut after a possessive ("President Ronald Reagan’s Berlin Wall" gives "President
    Ronald Reagan’s" and "Berlin Wall"), with function words stripped. One entry per occurrence."""
    runs: list[str] = []
    for m in _RUN.finditer(text):
        # the last character before the run, spaces skipped (no copy of the text before it)
        i = m.start()
        while i > 0 and text[i - 1].isspace():
            i -= 1
        if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == ","):
            continue
        current: list[str] = []
        for token in m.group(0).split():
            current.append(token)
            if token.endswith(_POSSESSIVE):  # tokens of split(): no newline for "$"
                runs.append(" ".join(current))
                current = []
        if len(current) >= 2:
            runs.append(" ".join(current))
    return [name for run in runs if (name := _clean_name(run)) is not None]


_POSSESSIVE = ("’s", "'s")


def _clean_name(raw: str) -> str | None:
    """Strip sentence-initial function words and possessives; ``None`` if no name is left."""
    tokens = raw.split()
    while tokens and tokens[0] in _NAME_STOP:
        tokens.pop(0)
    if tokens and tokens[-1].endswith(_POSSESSIVE):
        tokens[-1] = tokens[-1][:-2]
    if not tokens or all(_TITLE_RE.match(t) for t in tokens):
        return None
    if any(t in _NAME_STOP for t in tokens):
        return None
    return " ".join(tokens)


@functools.lru_cache(maxsize=65536)
def _core(name: str) -> tuple[str, ...]:
    """A name's words without titles: 'President Ronald Reagan' -> ('Ronald', 'Reagan').

    Memoised: :func:`_canonical` compares each speaker with every name a document mentions.
    """
    tokens = re.sub(rf"^(?:(?:{_TITLES})\.?\s+)+", "", name + " ").split()
    return tuple(re.sub(r"[’']s$", "", t) for t in (tokens or name.split()))


_LEADING_TITLES = re.compile(rf"^(?:(?:{_TITLES})\.?\s+)+")


def _titles_of(name: str) -> str:
    """The titles a name starts with, folded ("Mrs. Bennet" -> "mrs", "Sir John X" -> "sir"),
    honorific spellings merged ("Madame" = "Madam"); "" when it has none."""
    m = _LEADING_TITLES.match(name)
    if m is None:
        return ""
    return " ".join(honorific(word) or word.rstrip(".").casefold() for word in m.group(0).split())


def _canonical(name: str, known: Iterable[str] | Counter[str], *, min_count: int = 1) -> str:
    """The fullest known form of a name, never another person's.

    'President Reagan' becomes 'President Ronald Reagan' -> 'Ronald Reagan' when ``known``
    (mid-sentence name mentions, see :func:`_name_runs`) holds that fuller form at least
    ``min_count`` times and no other fuller '… Reagan'; titles are dropped when a first name is
    known ('Justice Michael Kirby' -> 'Michael Kirby'). A title plus a surname ('Mrs. Bennet',
    'Captain Harville', 'Lady Middleton') is never the same person as a first name plus that
    surname: it only takes a fuller form carrying the same title, and stays as written otherwise.
    A bare surname ('Harville') stays as written when the text also names someone with a title
    and that surname. Ambiguity (two different fuller forms) keeps the name as written. ``known``
    may be a :class:`~collections.Counter` of mentions (cheaper for a whole book).
    """
    core = _core(name)
    titles = _titles_of(name)
    counts: dict[tuple[str, ...], int] = {}
    tally = known if isinstance(known, Counter) else Counter(known)
    for other, mentions in tally.items():
        other_core = _core(other)
        if other_core[-1] != core[-1]:
            continue
        if len(core) == 1 and not titles and _titles_of(other):
            return name  # 'Harville' may be Captain Harville or Fanny Harville
        if len(other_core) > len(core) and all(t in other_core for t in core):
            if len(core) == 1 and titles and _titles_of(other) != titles:
                continue
            counts[other_core] = counts.get(other_core, 0) + mentions
    fuller = [c for c, n in counts.items() if n >= min_count]
    # drop forms contained in a longer candidate ("Luther King" inside "Martin Luther King")
    fuller = [c for c in fuller if not any(len(d) > len(c) and d[-len(c) :] == c for d in fuller)]
    if len(fuller) == 1:
        return " ".join(fuller[0])
    if len(fuller) > 1 or len(core) < 2:
        return name
    return " ".join(core)


def _honorific(folded: str) -> tuple[str | None, list[str]]:
    """Split a folded name into its personal honorific ("mr", "mrs", "lady", …; "doctor" = "dr")
    and the remaining words."""
    words = folded.split()
    if words and words[0] in HONORIFICS:
        return HONORIFICS[words[0]], words[1:]
    return None, words


def _name_tier(query: str, name: str) -> tuple[int, float] | None:
    """How well a folded speaker query matches a folded name, as ``(tier, -similarity)`` (lower
    is better) or ``None`` for no match.

    Tier 0: exact (honorific spellings aside: "doctor" = "dr"); 1: every query word is in the
    name ("reagan" ⊆ "ronald reagan"; "darcy" ⊆ "mr darcy"); 2: fuzzy, rapidfuzz ``ratio`` ≥ 85
    or, from 4 characters, ``partial_ratio`` ≥ 90, with similarity = ``ratio`` so that
    "elizabeth bennet" prefers "elizabeth" to "bennet". A personal honorific in the query must be
    the name's honorific ("mr bennet" never matches "mrs bennet", "lady catherine" never
    "catherine").
    """
    if query == name:
        return (0, 0.0)
    query_title, query_words = _honorific(query)
    name_title, name_words = _honorific(name)
    if query_title is not None and query_title != name_title:
        return None
    if query_words == name_words:
        return (0, 0.0) if query_title == name_title else (1, 0.0)
    if query_words and set(query_words) <= set(name_words):
        return (1, 0.0)
    q, n = " ".join(query_words), " ".join(name_words)
    if not q or not n:
        return None
    similarity = fuzz.ratio(q, n)
    if similarity >= 85 or (len(q) >= 4 and fuzz.partial_ratio(q, n) >= 90):
        return (2, -similarity)
    return None

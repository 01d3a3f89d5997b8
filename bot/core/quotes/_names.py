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

from bot.core.quotes._lexicon import words

_TITLES = (
    "Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lady|Lord|President|Vice\\s+President|Prime\\s+Minister|"
    "Chancellor|Justice|Judge|Senator|Sen|Governor|Gov|General|Gen|Colonel|Col|Captain|Capt|"
    "Major|Lieutenant|Lt|Admiral|Professor|Prof|King|Queen|Prince|Princess|Emperor|Empress|Pope|"
    "Saint|St|Reverend|Rev|Father|Sister|Brother|Bishop|Archbishop|Rabbi|Imam|Sheikh|Duke|"
    "Duchess|Earl|Count|Countess|Baron|Baroness|Ambassador|Secretary|Minister|Chairman|Mayor|"
    "Aunt|Uncle|Cardinal|Dean"
)
_TITLE_RE = re.compile(rf"^(?:{_TITLES})\.?$")
_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_TOKEN = (
    rf"(?:[{_UP}](?:[’'][{_UP}])?[{_LO}]*(?:[{_UP}][{_LO}]+)?(?:[-’'][{_UP}]?[{_LO}]+)*"
    rf"|[{_UP}]\.)"
)
_PARTICLE = r"(?:de|da|di|du|del|della|van|von|der|den|le|la|bin|ibn|al|el)"
_NAME = rf"(?:(?:(?:{_TITLES})\.?\s+)*{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN}){{0,3}})"
_MENTION = re.compile(rf"(?<![\w’'])(?:(?:{_TITLES})\.?\s+)+{_TOKEN}(?:\s+{_TOKEN}){{0,2}}")
_NAME_STOP = frozenset(
    words(
        "The A An As But And So If When Then This That These Those It Its Yet Or Nor For In On "
        "At By With From To Of Not No Yes Oh Ah Well Now Here There What Who Why How Where After "
        "Before While Whilst Though Although Because Since Once Still Even Just Only Also Indeed "
        "However I We You They He She My Our Your Their His Her Said Says Asked Till Until Unless "
        "Neither Either Had Has Have Is Was Were Are Am Be Did Do Does Could Would Should Will "
        "Shall May Might Must Can Let Pray Poor Dear Good Upon Into Without Within Among During "
        "Perhaps Surely Certainly Nay Whether Every Each Some Any Both All Such Nothing Everything "
        "Nobody Everyone Many Much More Most Few Less Very Too Thus Hence Therefore Meanwhile "
        "Besides Instead Indeed Ay Aye Alas"
    )
)


_RUN = re.compile(rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN})+")


def _name_runs(text: str) -> list[str]:
    """Candidate full names for :func:`_canonical`: runs of two or more capitalised words *in
    mid-sentence* (after a lower-case word or a comma, so a sentence-initial "Till Elizabeth" is
    not a name), cut after a possessive ("President Ronald Reagan’s Berlin Wall" gives "President
    Ronald Reagan’s" and "Berlin Wall"), with function words stripped. One entry per occurrence."""
    runs: list[str] = []
    for m in _RUN.finditer(text):
        before = text[: m.start()].rstrip()
        if not before or not (before[-1].isalnum() or before[-1] == ","):
            continue
        current: list[str] = []
        for token in m.group(0).split():
            current.append(token)
            if re.search(r"[’']s$", token):
                runs.append(" ".join(current))
                current = []
        if len(current) >= 2:
            runs.append(" ".join(current))
    return [name for run in runs if (name := _clean_name(run)) is not None]


def _clean_name(raw: str) -> str | None:
    """Strip sentence-initial function words and possessives; ``None`` if no name is left."""
    tokens = raw.split()
    while tokens and tokens[0] in _NAME_STOP:
        tokens.pop(0)
    if tokens:
        tokens[-1] = re.sub(r"[’']s$", "", tokens[-1])
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


_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Master|Madam|Madame)\.?\s", re.IGNORECASE)


def _canonical(name: str, known: Iterable[str] | Counter[str], *, min_count: int = 1) -> str:
    """The fullest known form of a name.

    'President Reagan' becomes 'Ronald Reagan' when ``known`` (mid-sentence name mentions, see
    :func:`_name_runs`) holds 'President Ronald Reagan' at least ``min_count`` times and no other
    fuller '… Reagan'; titles are dropped when a first name is known ('Justice Michael Kirby' ->
    'Michael Kirby'). A surname with an honorific ('Mrs. Bennet', 'Mr Darcy') only takes a fuller
    form carrying the same honorific (so 'Mrs. Bennet' never becomes 'Elizabeth Bennet'), and
    stays as written otherwise. Ambiguity (two different fuller forms) keeps the name as written.
    ``known`` may be a :class:`~collections.Counter` of mentions (cheaper for a whole book).
    """
    core = _core(name)
    honorific = _HONORIFIC.match(name)
    counts: dict[tuple[str, ...], int] = {}
    tally = known if isinstance(known, Counter) else Counter(known)
    for other, mentions in tally.items():
        other_core = _core(other)
        if (
            len(other_core) > len(core)
            and other_core[-1] == core[-1]
            and all(t in other_core for t in core)
        ):
            if honorific and not other.casefold().startswith(honorific.group(0).casefold()):
                continue
            counts[other_core] = counts.get(other_core, 0) + mentions
    fuller = [c for c, n in counts.items() if n >= min_count]
    # drop forms contained in a longer candidate ("Luther King" inside "Martin Luther King")
    fuller = [c for c in fuller if not any(len(d) > len(c) and d[-len(c) :] == c for d in fuller)]
    if len(fuller) == 1:
        return " ".join(fuller[0])
    if len(fuller) > 1 or len(core) < 2 or honorific:
        return name
    return " ".join(core)


_PERSONAL_HONORIFICS = {
    "mr": "mr",
    "mrs": "mrs",
    "ms": "ms",
    "miss": "miss",
    "mx": "mx",
    "master": "master",
    "madam": "madam",
    "madame": "madam",
    "mme": "madam",
    "mlle": "mlle",
    "mademoiselle": "mlle",
    "lady": "lady",
    "lord": "lord",
    "sir": "sir",
    "dame": "dame",
    "dr": "dr",
    "doctor": "dr",
}


def _honorific(folded: str) -> tuple[str | None, list[str]]:
    """Split a folded name into its personal honorific ("mr", "mrs", "lady", …; "doctor" = "dr")
    and the remaining words."""
    words = folded.split()
    if words and words[0] in _PERSONAL_HONORIFICS:
        return _PERSONAL_HONORIFICS[words[0]], words[1:]
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

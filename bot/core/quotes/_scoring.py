"""Quotability: how well a sentence stands alone as a quote, as a table of named, weighted features.

``score = max(FLOOR, length_factor × clamp(0.5 + Σ weights of the features that fire, 0, 1))``,
rounded to 4 places. :data:`FEATURES` is the whole rule set, in the order it is applied; each
feature fires at most once. :func:`explain` lists what fired for one sentence.

Sources: Bendersky & Smith (2012), "A Dictionary of Wisdom and Wit: Learning to Extract Quotable
Phrases" (NAACL-HLT Workshop on Computational Linguistics for Literature): quotable phrases are
short, self-contained, use generic rather than specific language, and favour parallel and
contrastive constructions; Danescu-Niculescu-Mizil, Cheng, Kleinberg & Lee (2012), "You had me at
hello: How phrasing affects memorability" (ACL): memorable lines are more *general* (fewer
third-person pronouns and past-tense verbs, more present tense) and lexically distinctive within
common syntax. Transparent hand-set weights, not a trained model (the corpus has no labelled
quotes).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.quotes import _patterns as P
from bot.core.quotes._lexicon import STOP, WORD
from bot.core.text import NO_SPACE_SCRIPT

FLOOR = 0.01
"""Any real sentence keeps this score, so it ranks last but a ``contains`` filter still finds it."""

BASE = 0.5
"""The score before any feature fires."""

MIN_WORDS = 3
"""A line of fewer words scores 0 ("Yes, sir.", "Chamberlain or Reagan?")."""


@dataclass(slots=True)
class Line:
    """A sentence as the features see it: its stripped text, its words (:data:`WORD`) and the
    counts several features share, computed once (by :func:`_line`)."""

    text: str
    words: tuple[str, ...]
    opening: bool
    lowered: str | None
    """``text.lower()`` when the text is ASCII, for :class:`~._patterns.Caseless` patterns."""
    runs: frozenset[str] | None
    """The ``\\w`` runs of ``lowered`` that are :data:`~._patterns.KEY_WORDS` (with it), for
    the patterns' word keys."""
    past: int
    """Past-tense markers (was/were/had/…ed and common irregular pasts)."""
    capitalised: int
    """Words that start with a capital."""
    proper: int
    """Capitalised words after the first, other than "I" (proper nouns)."""
    digit_words: int
    """Words with a digit."""
    n: int
    """How many words."""

    @property
    def terminal(self) -> bool:
        return self.text[-1] in P.TERMINAL

    @property
    def open_ended(self) -> bool:
        """Ends with a colon, comma or semicolon (before any closing quotation mark)."""
        return self.text.rstrip("”\"’'» ")[-1:] in (":", ",", ";")

    @property
    def question(self) -> bool:
        return self.text.rstrip("”\"’' )").endswith("?")


def _capitals(firsts: str) -> int:
    """How many characters of ``firsts`` are upper case (``str.translate`` for ASCII)."""
    if firsts.isascii():
        return len(firsts) - len(firsts.translate(_ASCII_UPPER))
    return sum(1 for c in firsts if c.isupper())


def _digit_words(words: Sequence[str], text: str, ascii_text: bool) -> int:
    # the words are pieces of the text: no digit in it (the usual case), none in them
    if ascii_text and _ASCII_DIGIT.search(text) is None:
        return 0
    return sum(1 for w in words if any(c.isdigit() for c in w))


_ASCII_UPPER = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_RUN = re.compile(r"\w+")
_ASCII_DIGIT = re.compile("[0-9]")
"""The digits of ASCII text (where ``str.isdigit`` holds for these only)."""


def past_markers(text: str) -> int:
    """How many words of ``text`` are :data:`~._patterns.PAST` markers not in ``NOT_PAST``.

    The same count as ``P.PAST.finditer`` (its matches are whole ``\\w`` runs, as its
    alternatives are letters between ``\\b``), 4x cheaper: an ASCII run is tested with set
    look-ups, any other run with the pattern itself."""
    count = 0
    for run in _RUN.findall(text):
        if run.isascii():
            word = run.lower()
            if not run.isalpha() or word in P.NOT_PAST:
                continue
            if word in P.PAST_WORDS or (len(word) >= 5 and word.endswith("ed")):
                count += 1
        elif P.PAST.fullmatch(run) and run.casefold() not in P.NOT_PAST:
            count += 1
    return count


class _PastWords(dict[str, int]):
    """1 for a lower-case ASCII ``\\w`` run that is a past-tense marker, else 0 (as
    :func:`past_markers` decides), remembered per distinct run: a text reuses its words."""

    def __missing__(self, word: str) -> int:
        past = word in P.PAST_WORDS or (
            len(word) >= 5 and word.endswith("ed") and word.isalpha() and word not in P.NOT_PAST
        )
        if len(self) >= _MEMO_WORDS:
            self.clear()
        self[word] = int(past)
        return int(past)


_MEMO_WORDS = 200_000
_PAST_WORD = _PastWords()


def _ascii_runs(text: str, lowered: str, words: Sequence[str]) -> list[str]:
    """The ``\\w`` runs of ``lowered`` (``text`` ASCII, ``words`` its :data:`WORD` tokens):
    without "_" in the text they are the tokens cut at their apostrophes and hyphens, lowered
    (WORD joins alphanumeric runs with those only, and every alphanumeric run is in a token)."""
    if "_" in text:
        return _RUN.findall(lowered)
    joined = " ".join(words).lower()
    if "'" in joined or "-" in joined:
        joined = joined.replace("'", " ").replace("-", " ")
    return joined.split()


@dataclass(frozen=True, slots=True)
class Feature:
    """One scoring rule: ``weight`` is added when ``fires(line)`` holds."""

    name: str
    weight: float
    fires: Callable[[Line], bool]


def _unresolved_pronoun(line: Line) -> bool:
    """he/she/him/her/they/them with no capitalised name before it (the first word aside)."""
    if line.runs is not None and P.THIRD_PERSON_WORDS.isdisjoint(line.runs):
        return False
    pronoun = P.THIRD_PERSON.search(line.text)
    if pronoun is None:
        return False
    if pronoun.start() == 0:
        return True
    before = WORD.findall(line.text[: pronoun.start()])[1:]
    return not any(w[0].isupper() for w in before)


def _many_proper(line: Line) -> bool:
    return line.proper >= 3 or (line.n >= 6 and line.proper / (line.n - 1) > 0.3)


def _repeats(line: Line) -> bool:
    """A content word (or its 5-letter stem) used twice: 'talks … talking', 'Freedom … freedom'."""
    stems = [w[:5] for w in map(str.casefold, line.words) if len(w) >= 4 and w not in STOP]
    return len(stems) != len(set(stems))


_CLAUSE_OPENER = re.compile(r"(?:^|[,;:–—])[^,;:–—]*?(" + WORD.pattern + ")")
"""The first word of each clause (clauses split at ``,;:–—``), as ``WORD.search`` of each."""


def _anaphora(line: Line) -> bool:
    """Two or more clauses opening with the same word ('not X, not Y', 'without …, without …')."""
    openers = map(str.casefold, _CLAUSE_OPENER.findall(line.text))
    counted = [w for w in openers if w not in {"the", "a", "an", "and", "of"}]
    return len(counted) != len(set(counted))


def _demonstrative(line: Line) -> bool:
    """A demonstrative determiner after the first character ("… that man …"): in lower case,
    so (in ASCII text) one of its words, unless the text from the second character opens
    with "th" (where the slice's own start is a word boundary)."""
    if (
        line.runs is not None
        and P.DEMONSTRATIVES.isdisjoint(line.runs)
        and not line.text.startswith("th", 1)
    ):
        return False
    return P.DEMONSTRATIVE_DETERMINER.search(line.text[1:]) is not None


def _search(pattern: P.Caseless) -> Callable[[Line], bool]:
    return lambda line: pattern.search(line.text, line.lowered, line.runs)


def _search_start(pattern: re.Pattern[str]) -> Callable[[Line], bool]:
    return lambda line: pattern.match(line.text) is not None


FEATURES: tuple[Feature, ...] = (
    # context dependence (Danescu-Niculescu-Mizil et al. 2012: memorable lines are general)
    Feature(
        "dangling opener (This, It, He, But, So, However, …; not an expletive 'It is … that')",
        -0.35,
        lambda s: (
            bool(P.DANGLING_OPENERS.match(s.text))
            and not (s.n >= 8 and P.EXPLETIVE_IT.match(s.text))
        ),
    ),
    Feature(
        "reply or interjection opener (Yes, Oh!, Well, Very well, Why, …)",
        -0.25,
        _search_start(P.REPLY_OPENER),
    ),
    Feature(
        "conversational aside or address (, I hope, / , you know / madam, …)",
        -0.15,
        _search(P.ASIDE),
    ),
    Feature("dangling or time-bound reference", -0.20, _search(P.DANGLING_REFERENCES)),
    Feature(
        "demonstrative determiner mid-sentence",
        -0.10,
        _demonstrative,
    ),
    Feature("unresolved third-person pronoun", -0.15, _unresolved_pronoun),
    Feature("question", -0.15, lambda s: s.question),
    Feature(
        "question addressed to someone",
        -0.20,
        lambda s: s.question and bool(P.VOCATIVE.search(s.text) or P.SECOND_PERSON.search(s.text)),
    ),
    Feature("citation or URL", -0.30, _search(P.CITATION)),
    Feature("a digit", -0.05, lambda s: s.digit_words > 0),
    Feature("over 15% of words with digits", -0.20, lambda s: s.digit_words / s.n > 0.15),
    Feature(
        "title-like (no closing punctuation, mostly capitalised)",
        -0.40,
        lambda s: not s.terminal and s.capitalised / s.n > 0.5,
    ),
    Feature("starts in lower case", -0.20, lambda s: s.text[0].islower()),
    Feature("ends with a colon, comma or semicolon", -0.30, lambda s: s.open_ended),
    Feature("no closing punctuation", -0.10, lambda s: not s.open_ended and not s.terminal),
    Feature("parenthesis", -0.10, lambda s: "(" in s.text),
    Feature("one or two proper nouns", -0.05, lambda s: s.proper > 0 and not _many_proper(s)),
    Feature("three or more proper nouns (or over 30% of 6+ words)", -0.15, _many_proper),
    Feature("third-person word (he, his, their, …)", -0.05, _search(P.ANY_THIRD_PERSON)),
    Feature("one past-tense marker", -0.05, lambda s: s.past == 1),
    Feature("narrative past tense (2+ markers)", -0.15, lambda s: s.past >= 2),
    # rhetorical strength (Bendersky & Smith 2012: parallel and contrastive constructions)
    Feature("antithesis (not X but Y, better than, neither … nor)", 0.20, _search(P.ANTITHESIS)),
    Feature("contrast turn (…, but …; …; yet …)", 0.10, _search(P.CONTRAST)),
    Feature("anaphora (clauses opening with the same word)", 0.15, _anaphora),
    Feature("repeated content word or stem", 0.10, _repeats),
    Feature(
        "aphoristic present tense",
        0.10,
        lambda s: s.past == 0 and P.PRESENT.search(s.text, s.lowered, s.runs),
    ),
    Feature(
        "gnomic opening ('Peace means', 'Knowledge is', 'It is a truth … that')",
        0.10,
        lambda s: bool(
            P.GNOMIC_OPENING.match(s.text) or (s.n >= 8 and P.EXPLETIVE_IT.match(s.text))
        ),
    ),
    Feature("an absolute (never, always, only, nothing, …)", 0.05, _search(P.ABSOLUTES)),
    Feature("short sweet spot (8-20 words)", 0.05, lambda s: 8 <= s.n <= 20),
    # position: the opening line of a book or chapter stands alone by design and is what readers
    # remember and quote (the best-known lines of several novels of the benchmark are openings)
    Feature("opens the book or a chapter", 0.20, lambda s: s.opening),
)


def length_factor(words: int) -> float:
    """Length band (Bendersky & Smith 2012: quotable phrases are short): 0 under 3 words,
    3 → 0.8, 4 → 0.85, 5 → 0.9, 6 → 0.95, 7-40 → 1.0, then linearly to 0.5 at 60 and 0.1 at 100+.
    Short lines are not penalised much: fragments and replies are caught by the features."""
    if words < MIN_WORDS:
        return 0.0
    if words < 7:
        return (0.8, 0.85, 0.9, 0.95)[words - 3]
    if words <= 40:
        return 1.0
    if words <= 60:
        return 1.0 - 0.5 * (words - 40) / 20
    return max(0.1, 0.5 - 0.4 * (words - 60) / 40)


def _cjk_words(words: list[str]) -> list[str]:
    """``words`` with each run of a script written without spaces (Chinese, Japanese, Thai) cut
    into two-character pieces, about the length of a word there: :data:`WORD` sees a whole
    clause of kanji and kana as one word, which put nearly every such sentence under
    :data:`MIN_WORDS`. Text without such characters is returned unchanged."""
    if not any(NO_SPACE_SCRIPT.search(w) for w in words):
        return words
    pieces: list[str] = []
    for word in words:
        if NO_SPACE_SCRIPT.search(word):
            pieces += [word[i : i + 2] for i in range(0, len(word), 2)]
        else:
            pieces.append(word)
    return pieces


def _line(
    sentence_text: str, opening: bool = False, words: Sequence[str] | None = None
) -> Line | None:
    """The line to score, or ``None`` for a hard zero: under :data:`MIN_WORDS` words, or a byline
    or boilerplate. ``words``: the sentence's :data:`WORD` tokens, when known (stripping the
    text changes none)."""
    text = sentence_text.strip()
    found = WORD.findall(text) if words is None else list(words)
    ascii_text = text.isascii()
    # else no word of it has such a script (the usual case; never in ASCII)
    if not ascii_text and NO_SPACE_SCRIPT.search(text):
        found = _cjk_words(found)
    words = tuple(found)
    if len(words) < MIN_WORDS:
        return None
    lowered = text.lower() if ascii_text else None
    if (
        P.BOILERPLATE_START.match(text)
        or P.BOILERPLATE.search(text, lowered)
        or P.BYLINE.match(text)
    ):
        return None
    capitalised = _capitals("".join(map(_FIRST, words)))
    proper = capitalised - words[0][0].isupper() - words[1:].count("I")
    digits = _digit_words(words, text, ascii_text)
    if lowered is None:
        return Line(
            text,
            words,
            opening,
            None,
            None,
            past_markers(text),
            capitalised,
            proper,
            digits,
            len(words),
        )
    runs = _ascii_runs(text, lowered, found)
    past = sum(map(_PAST_WORD.__getitem__, runs))
    keys = P.KEY_WORDS.intersection(runs)
    return Line(text, words, opening, lowered, keys, past, capitalised, proper, digits, len(words))


_FIRST = operator.itemgetter(0)


def explain(sentence_text: str, *, opening: bool = False) -> Sequence[Feature]:
    """The features that fire for a sentence, in table order (``()`` for a hard zero)."""
    line = _line(sentence_text, opening)
    return () if line is None else tuple(f for f in FEATURES if f.fires(line))


def quotability(
    sentence_text: str, *, opening: bool = False, words: Sequence[str] | None = None
) -> float:
    """How well a sentence stands alone as a quote, in ``[0, 1]`` (higher is better).

    ``opening`` marks the first sentence of the book or of a chapter. Hard zero under
    :data:`MIN_WORDS` words or for a byline or boilerplate ("By Jane Doe", "X works for …", "©",
    "Subscribe"); else ``max(FLOOR, length_factor(words) × clamp(BASE + Σ fired weights))`` over
    :data:`FEATURES`. Example (the seed essay): "Their talks may lead nowhere, but not talking
    guarantees no progress." scores high (contrast, repetition, present tense); "So, Mr Trump, who
    is your role model?" scores 0 (connective, addressed question). ``words``: the sentence's
    :data:`WORD` tokens, when the caller has them.
    """
    line = _line(sentence_text, opening, words)
    if line is None:
        return 0.0
    score = BASE
    for feature in FEATURES:
        if feature.fires(line):
            score += feature.weight
    return round(max(FLOOR, length_factor(line.n) * min(1.0, max(0.0, score))), 4)

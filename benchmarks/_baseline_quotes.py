"""BASELINE for ``benchmarks/quotes.py``: ``bot/core/quotes.py`` as it was before the quotes work of
issue 13 (one module; speech quoted only with a speaker found in its own paragraph), kept verbatim
so the benchmark compares today's code with it in the same run. Not used by the product.

Quotable lines and quoted speech: what ``/quote`` and the daily post draw from.

Two kinds of :class:`~bot.core.models.Quote` come out of a document:

* **the author's own quotable sentences** (``speaker is None``; shown as the document author's),
  scored by :func:`quotability`, a documented hand-weighted score of how well a sentence stands
  alone as a quote;
* **quoted speech**: words inside quotation marks, found by :func:`extract_speech` with the
  speaker when the text says who ("as Winston Churchill said, “…”", "“…”, he argued", "X said:
  “…”", "according to X, “…”"; a tag naming several people, "said Catherine and Lydia", gives
  no speaker). Speech interrupted by its speaker's tag is one quote, the verbatim stretch from
  the first opening mark to the last closing mark ("“Their conduct has been such,” replied
  Elizabeth, “as neither you … of it.”"). Only speech of at least :data:`MIN_SPEECH_WORDS` words
  with a known speaker that does not start in lower case or end with a comma, semicolon or colon
  becomes a quote, so fragments are never posted. Shorter speech ("jaw jaw", "Rocket Man") is a
  scare quote or a cited phrase, kept as :class:`SpeechSpan`; when it has a speaker it is shown
  only to an explicit speaker filter naming someone who said nothing longer
  (``pick(speaker="Churchill")`` gives "“jaw jaw” is better than “war war”").

:class:`QuoteBook` is built once per corpus and answers ``/quote`` (:meth:`QuoteBook.pick`:
speaker names compared exactly first, honorifics kept apart, "Mr. Bennet" never "Mrs. Bennet";
a document with no quote falls back to its plain sentences), speaker autocomplete
(:meth:`QuoteBook.speakers`) and the daily post's order (:meth:`QuoteBook.cycle_order`). Every
``Quote.text`` is a verbatim substring of its paragraph.

Sources for the scoring features: Bendersky & Smith (2012), "A Dictionary of Wisdom and Wit:
Learning to Extract Quotable Phrases" (NAACL-HLT Workshop on Computational Linguistics for
Literature): quotable phrases are short, self-contained, use generic rather than specific
language, and favour parallel and contrastive constructions; Danescu-Niculescu-Mizil, Cheng,
Kleinberg & Lee (2012), "You had me at hello: How phrasing affects memorability" (ACL): memorable
lines are more *general* (fewer third-person pronouns and past-tense verbs, more present tense,
more indefinite articles) and lexically distinctive within common syntax. We use these findings as
transparent hand-set features, not a trained model (the corpus has no labelled quotes).
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.errors import NotFound
from bot.core.models import Corpus, Document, Paragraph, Quote, Sentence
from bot.core.normalize import normalize_text

__all__ = [
    "MIN_SPEECH_WORDS",
    "QUOTABLE_THRESHOLD",
    "QuoteBook",
    "SpeechSpan",
    "extract_speech",
    "quotability",
    "quote_key",
]

MIN_SPEECH_WORDS = 5
"""Quoted speech of fewer words is a scare quote or a cited phrase, never a quote on its own."""

QUOTABLE_THRESHOLD = 0.55
"""Quotes scoring at least this are *quotable*: eligible for an unfiltered ``/quote`` and the daily
post. Calibrated on the seed essay: its clear quotes score 0.75-1.0, its context-bound sentences
below 0.5."""

CONTAINS_THRESHOLD = 85.0
_CONTAINS_CHUNK = 1000  # quotes per rapidfuzz call in ``contains`` matching
"""Minimum rapidfuzz ``partial_ratio`` (0-100) between a ``contains`` filter and a quote."""

# ---------------------------------------------------------------------------------------------
# Quotability
# ---------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")

# Openers that point back to earlier text: demonstratives, personal pronouns, connectives.
_DANGLING_OPENERS = re.compile(
    r"^\W*(?:either\s+way|on\s+the\s+other\s+hand|as\s+a\s+result|in\s+that\s+case|"
    r"coming\s+back|put\s+that\s+way|so\s+put|in\s+other\s+words|that\s+said|even\s+so|"
    r"this|that|these|those|it|it[’']s|they|they[’']re|he|she|him|her|them|such|"
    r"however|so|but|and|also|or|nor|yet|still|then|thus|therefore|hence|moreover|furthermore|"
    r"besides|meanwhile|instead|otherwise|indeed|likewise|similarly|nevertheless|nonetheless|"
    r"consequently|accordingly|anyway|again|here|there[’']s\s+that|for\s+(?:if|this|that|these))\b",
    re.IGNORECASE,
)
_EXPLETIVE_IT = re.compile(
    r"^It(?:[’']s|\s+is|\s+was|\s+will\s+be|\s+would\s+be)\b[^.;?!]{0,60}?\b(?:that|to)\b"
)
_DANGLING_REFERENCES = re.compile(
    r"\b(?:the\s+above|above[- ]mentioned|aforementioned|as\s+(?:mentioned|noted|discussed|shown)|"
    r"the\s+following|see\s+below|below|the\s+former|the\s+latter|this\s+(?:article|essay|post|"
    r"piece|book|chapter|report)|(?:this|last|next)\s+(?:week|month|year|time)|yesterday|today|"
    r"tomorrow|tonight|ago|recently|currently|put\s+that\s+way)\b",
    re.IGNORECASE,
)
_DEMONSTRATIVE_DETERMINER = re.compile(
    r"\b(?:these|those|this|that)\s+(?!is\b|was\b|of\b)[a-z]{3,}"
)
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|they|them)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
_CITATION = re.compile(
    r"https?://|www\.|\[\d+\]|\(\s*\d{4}\s*\)|\bet\s+al\.|\bibid\b|\bpp?\.\s*\d|@\w|\bdoi:",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^\W*(?:by|photo|photograph|image|source|read\s+more|click|subscribe|follow|share|"
    r"advertisement|related|what[’']s\s+hot|sign\s+up|copyright)\b|\bworks\s+(?:for|at)\b|"
    r"\bis\s+the\s+(?:co-?)?(?:author|founder|editor)\s+of\b|©|\ball\s+rights\s+reserved\b|"
    r"\bnewsletter\b|\bcookies?\s+policy\b",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(
    r"(?:^|,)\s*(?:(?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam|President|Prime\s+Minister)\.?\s+)?"
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s*,\s*(?=[a-z])"
    r"|(?:^|,)\s*(?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam|President)\.?\s+[A-Z][a-z]+\s*[,?!]"
)
_ANTITHESIS = re.compile(
    r"\bnot\b[^.;?!]{1,80}?\bbut\b|\bnot\s+only\b|\b(?:better|worse|more|less|rather|"
    r"greater|stronger|weaker)\b[^.;?!]{0,60}?\bthan\b|\binstead\s+of\b|\brather\s+than\b|"
    r"\bneither\b[^.;?!]{1,80}\bnor\b|\bnot\b[^.?!]{1,120}\bnor\b|\bwithout\b[^.?!]+\bwithout\b",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"[,;–—]\s*(?:but|yet|while|whereas|though|although)\b", re.IGNORECASE)
_PRESENT = re.compile(
    r"\b(?:is|are|means|mean|can|cannot|can[’']t|must|does|do|makes|make|leads|lead|guarantees|"
    r"guarantee|lies|begins|ends|becomes|needs|requires|remains|matters|goes|go|stands|belongs|"
    r"will|won[’']t|never|always)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|[a-z]{3,}ed|gave|took|came|went|saw|said|told|thought|felt|knew|"
    r"made|found|began|left|stood|sat|got|heard|brought|kept|held|ran|spoke|wrote|became|"
    r"met|meant|sent|spent|lost|paid|led|read|rose|fell|grew|drew|threw|wore|bore|tore|"
    r"chose|broke|forgot|understood|sought|caught|taught|fought|bought|won|shook|woke)\b",
    re.IGNORECASE,
)
_ANY_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)
_NOT_PAST = frozenset(
    [
        "need",
        "indeed",
        "speed",
        "seed",
        "feed",
        "bed",
        "red",
        "shed",
        "greed",
        "creed",
        "breed",
        "deed",
        "weed",
        "proceed",
        "succeed",
        "exceed",
        "hundred",
        "kindred",
        "sacred",
        "naked",
        "wicked",
        "wretched",
        "beloved",
        "learned",
        "blessed",
        "aged",
        "rugged",
        "ragged",
        "unprecedented",
    ]
)
_GNOMIC_OPENING = re.compile(
    r"^[A-Z][a-z]+\s+(?:means|is|are|can|cannot|must|does|guarantees|leads|lies|begins|ends|"
    r"becomes|requires|remains|replaces|makes|needs)\b"
)
_ABSOLUTES = re.compile(
    r"\b(?:never|always|only|no|nothing|every|everyone|everything|nobody|none|all)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "for",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "me",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "them",
        "not",
        "no",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "than",
        "then",
        "there",
        "here",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "if",
        "because",
        "while",
        "though",
        "although",
        "also",
        "just",
        "only",
        "very",
        "more",
        "most",
        "such",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
    ]
)
_TERMINAL = ".!?…”\"’'»)"


_FLOOR = 0.01


def _words(text: str) -> list[str]:
    """Whitespace-separated words of a literal word list."""
    return text.split()


def _length_factor(words: int) -> float:
    """Length band: 0 under 4 words, ramps to 1 at 8, 1 for 8-40, falls to 0.5 at 60, 0.1 at 100."""
    if words < 4:
        return 0.0
    if words < 8:
        return (0.3, 0.5, 0.65, 0.8)[words - 4]
    if words <= 40:
        return 1.0
    if words <= 60:
        return 1.0 - 0.5 * (words - 40) / 20
    return max(0.1, 0.5 - 0.4 * (words - 60) / 40)


def _repeats(words: Sequence[str]) -> bool:
    """A content word (or its 5-letter stem) used twice: 'talks … talking', 'Freedom … freedom'."""
    seen: set[str] = set()
    for word in words:
        w = word.casefold()
        if len(w) < 4 or w in _STOP:
            continue
        stem = w[:5]
        if stem in seen:
            return True
        seen.add(stem)
    return False


def _anaphora(text: str) -> bool:
    """Two or more clauses opening with the same word ('not X, not Y', 'without …, without …')."""
    openers = [
        m.group(0).casefold()
        for clause in re.split(r"[,;:–—]", text)
        if (m := _WORD.search(clause)) is not None
    ]
    counted = [w for w in openers if w not in {"the", "a", "an", "and", "of"}]
    return len(counted) != len(set(counted))


def quotability(sentence_text: str) -> float:
    """How well a sentence stands alone as a quote, in ``[0, 1]`` (higher is better).

    ``score = max(0.01, length_factor × clamp(0.5 + boosts − penalties, 0, 1))``, rounded to 4
    places: any real sentence keeps a floor of 0.01, so it ranks last but can still be found by a
    ``contains`` filter. Each feature counts once. Word = a run of letters/digits (apostrophes and
    hyphens inside kept).

    Hard zero:
        * fewer than 4 words ("It’s debatable.", "Chamberlain or Reagan?");
        * a byline or boilerplate ("By …", "X works for …", "is the co-founder of …", "©",
          "Subscribe", "What's Hot", "Read more").

    Length factor (Bendersky & Smith 2012: quotable phrases are short): 4 → 0.3, 5 → 0.5,
    6 → 0.65, 7 → 0.8, 8-40 words → 1.0, then linearly to 0.5 at 60 words and 0.1 at 100+.

    Penalties (context dependence, Danescu-Niculescu-Mizil et al. 2012: memorable lines are
    general):
        * −0.30 a dangling opener: a pronoun, demonstrative or connective pointing back ("This",
          "That", "It", "It’s", "They", "He", "She", "Such", "However", "So", "But", "And",
          "Also", "Yet", "Then", "Thus", "Either way", "On the other hand", "For if/this/that" …),
          except an expletive "It is … that/to" of 8+ words ("It is a truth universally
          acknowledged, that …");
        * −0.20 a dangling or time-bound reference ("the above", "as mentioned", "the former",
          "this week", "last year", "five years ago", "today", "this article", "put that way");
        * −0.10 a demonstrative determiner mid-sentence ("these talks", "that piece of paper");
        * −0.15 a third-person pronoun (he/she/him/her/they/them) with no capitalised name before
          it in the sentence to resolve it;
        * −0.15 a question; −0.20 more when it is addressed to someone (a vocative such as
          "So, Mr Trump, …", or "you"/"your");
        * −0.30 a citation or URL ("(2012)", "[3]", "et al.", "http", "@name", "doi:");
          −0.05 any digit; −0.20 more when over 15% of the words contain digits;
        * −0.40 title-like: no closing punctuation and most words capitalised;
        * −0.20 starts in lower case (a fragment); −0.30 ends with ":", "," or ";" (before any
          closing quotation mark); −0.10 no closing punctuation at all; −0.10 a parenthesis;
        * −0.05 one or two capitalised words after the first (proper nouns); −0.15 for three or
          more, or over 30% of the words — specific rather than general language;
        * −0.05 any third-person pronoun or possessive (he/she/his/her/they/their/…);
        * −0.15 two or more past-tense markers (was/were/had/did/…ed and common irregular pasts:
          gave, took, said, thought …), −0.05 for one (narrative rather than general statement).

    Boosts (rhetorical strength):
        * +0.20 antithesis: "not X, but Y", "not only … but", "X is better than Y", "rather
          than", "instead of", "neither … nor", "not … nor", "without … without";
        * +0.10 a contrast turn after a comma/semicolon/dash ("…, but …", "…; yet …", "…, while …");
        * +0.15 anaphora: two clauses opening with the same word ("not containment, not a pause");
        * +0.10 a repeated content word or stem ("talks … talking", "Freedom … Freedom");
        * +0.10 aphoristic present tense (is/are/means/can/must/leads/…, and no past marker);
        * +0.10 a gnomic opening: a capitalised single-word subject then a generic verb ("Peace
          means", "Freedom leads", "Knowledge is");
        * +0.05 an absolute ("never", "always", "only", "no", "nothing", "every", "all");
        * +0.05 a short sweet spot of 8-20 words.

    Examples from the seed essay: "Their talks may lead nowhere, but not talking guarantees no
    progress." scores high (contrast, repetition, present tense); "So, Mr Trump, who is your role
    model?" scores 0 (connective, addressed question); "It is your choice." is near 0 (dangling
    "It", 4 words).
    """
    text = sentence_text.strip()
    words = _WORD.findall(text)
    n = len(words)
    if n < 4 or _BOILERPLATE.search(text):
        return 0.0
    factor = _length_factor(n)
    score = 0.5

    # --- penalties
    if _DANGLING_OPENERS.match(text) and not (n >= 8 and _EXPLETIVE_IT.match(text)):
        score -= 0.30
    if _DANGLING_REFERENCES.search(text):
        score -= 0.20
    if _DEMONSTRATIVE_DETERMINER.search(text[1:]):
        score -= 0.10
    pronoun = _THIRD_PERSON.search(text)
    if pronoun is not None and pronoun.start() > 0:
        before = _WORD.findall(text[: pronoun.start()])[1:]
        if not any(w[0].isupper() for w in before):
            score -= 0.15
    elif pronoun is not None:
        score -= 0.15
    if text.rstrip("”\"’' )").endswith("?"):
        score -= 0.15
        if _VOCATIVE.search(text) or _SECOND_PERSON.search(text):
            score -= 0.20
    if _CITATION.search(text):
        score -= 0.30
    digit_words = sum(1 for w in words if any(c.isdigit() for c in w))
    if digit_words:
        score -= 0.05
        if digit_words / n > 0.15:
            score -= 0.20
    terminal = text[-1] in _TERMINAL
    capitalised = sum(1 for w in words if w[0].isupper())
    if not terminal and capitalised / n > 0.5:
        score -= 0.40
    if text[0].islower():
        score -= 0.20
    if text.rstrip("”\"’'» ")[-1:] in (":", ",", ";"):
        score -= 0.30
    elif not terminal:
        score -= 0.10
    if "(" in text:
        score -= 0.10
    proper = sum(1 for w in words[1:] if w[0].isupper() and w != "I")
    if proper >= 3 or (n > 1 and proper / (n - 1) > 0.3):
        score -= 0.15
    elif proper:
        score -= 0.05
    if _ANY_THIRD_PERSON.search(text):
        score -= 0.05
    past = [m.group(0) for m in _PAST.finditer(text) if m.group(0).casefold() not in _NOT_PAST]
    if len(past) >= 2:
        score -= 0.15
    elif past:
        score -= 0.05

    # --- boosts
    if _ANTITHESIS.search(text):
        score += 0.20
    if _CONTRAST.search(text):
        score += 0.10
    if _anaphora(text):
        score += 0.15
    if _repeats(words):
        score += 0.10
    if not past and _PRESENT.search(text):
        score += 0.10
    if _GNOMIC_OPENING.match(text):
        score += 0.10
    if _ABSOLUTES.search(text):
        score += 0.05
    if 8 <= n <= 20:
        score += 0.05

    return round(max(_FLOOR, factor * min(1.0, max(0.0, score))), 4)


# ---------------------------------------------------------------------------------------------
# Quoted speech
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpeechSpan:
    """A quoted span of a paragraph.

    Attributes:
        start/end: offsets of the words inside the marks in ``Paragraph.text`` (end exclusive;
            ``paragraph.text[start:end] == text``).
        mark_start/mark_end: offsets including the quotation marks (``mark_end == len(text)`` of
            the paragraph when the quote is still open at the paragraph's end).
        text: the words inside the quotation marks, verbatim (surrounding spaces stripped).
        speaker: who said it when the text says so nearby (see :func:`extract_speech`), else
            ``None``.
        depth: 0 for a top-level quote, 1 for a quote nested in another, and so on.
        closed: ``False`` when the paragraph ends before the closing mark (novels open each
            paragraph of a long speech without closing the previous one).
        opened: ``False`` when the paragraph starts inside speech continued from the previous
            paragraph (its first double mark is a closing one); then ``start == mark_start == 0``
            (after leading spaces).
        continues: ``True`` when this top-level span resumes the previous top-level span's
            speech by the same speaker after a speech tag or a few linking words, in the same
            sentence (the second span of "“Their conduct has been such,” replied Elizabeth, “as
            neither you …”" or of "“jaw jaw” is better than “war war”"); see
            :func:`extract_speech`.
    """

    start: int
    end: int
    mark_start: int
    mark_end: int
    text: str
    speaker: str | None = None
    depth: int = 0
    closed: bool = True
    opened: bool = True
    continues: bool = False

    @property
    def word_count(self) -> int:
        """Number of words inside the marks."""
        return len(_WORD.findall(self.text))

    @property
    def quotable(self) -> bool:
        """Whether this span can be posted as a quote on its own: top level, closed, at least
        :data:`MIN_SPEECH_WORDS` words. Shorter spans ("Rocket Man") are scare quotes."""
        return self.depth == 0 and self.closed and self.word_count >= MIN_SPEECH_WORDS


_DOUBLE_OPEN = "“«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‹"
_SINGLE_CLOSE = "’›"
_MARKS = re.compile("[\"'“”«»‘’‹›]")
_OPEN_CONTEXT = "([{<—–-/“‘«‹\"',:;"
_CLOSE_CONTEXT = ".,;:!?)]}>—–-…”’»›\"'"
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "prof",
        "sr",
        "jr",
        "gen",
        "sen",
        "rev",
        "capt",
        "col",
        "lt",
        "gov",
        "hon",
        "mt",
        "no",
        "vs",
        "etc",
    ]
)


def _can_open(text: str, i: int) -> bool:
    left = text[i - 1] if i > 0 else None
    right = text[i + 1] if i + 1 < len(text) else None
    if right is None or right.isspace():
        return False
    return left is None or left.isspace() or left in _OPEN_CONTEXT


def _can_close(text: str, i: int) -> bool:
    left = text[i - 1] if i > 0 else None
    right = text[i + 1] if i + 1 < len(text) else None
    if left is None or left.isspace():
        return False
    return right is None or right.isspace() or right in _CLOSE_CONTEXT


def _single_role(text: str, i: int) -> str | None:
    """``"open"``, ``"close"``, ``"weak-close"`` or ``None`` (an apostrophe or elision).

    ``Kim’s``, ``don’t`` (letter on both sides) are apostrophes; ``’tis``/``’90s`` (a right mark
    opening a word) are elisions; ``students’ books`` is a *weak* close (plural possessive) used
    only when no better closing mark follows.
    """
    char = text[i]
    left = text[i - 1] if i > 0 else ""
    right = text[i + 1] if i + 1 < len(text) else ""
    if left.isalnum() and right.isalnum():
        return None
    if char in _SINGLE_OPEN:
        return "open" if _can_open(text, i) else None
    if char == "'" and _can_open(text, i) and not left.isalnum():
        return "open"
    if _can_close(text, i):
        if left in "sS" and right == " " and text[i + 2 : i + 3].islower():
            return "weak-close"
        return "close"
    return None


def _double_role(text: str, i: int, open_double: bool) -> str | None:
    char = text[i]
    if char in _DOUBLE_OPEN:
        return "open"
    if char in _DOUBLE_CLOSE:
        return "close"
    can_open, can_close = _can_open(text, i), _can_close(text, i)
    if can_open and can_close:
        return "close" if open_double else "open"
    if can_open:
        return "open"
    if can_close:
        return "close"
    return None


def _quoted_spans(text: str) -> list[tuple[int, int, int, bool]]:
    """``(open_index, close_index, depth, closed)`` for every quote, in order of opening.

    ``open_index`` is -1 for speech continued from the previous paragraph (the paragraph's first
    double mark is a closing one); ``close_index`` is ``len(text)`` for a quote left open."""
    marks = [m.start() for m in _MARKS.finditer(text)]
    roles: list[tuple[int, str, str]] = []  # (index, "d"/"s", role)
    for i in marks:
        if text[i] in '"“”«»':
            roles.append((i, "d", ""))
        else:
            role = _single_role(text, i)
            if role is not None:
                roles.append((i, "s", role))

    stack: list[tuple[str, int]] = []
    found: list[tuple[int, int, int, bool]] = []
    open_doubles = 0
    seen_double = False
    for pos, (i, kind, single_role) in enumerate(roles):
        if kind == "d":
            role = _double_role(text, i, open_doubles > 0)
            if role == "open":
                stack.append(("d", i))
                open_doubles += 1
            elif role == "close" and open_doubles:
                while stack:
                    k, opened = stack.pop()
                    if k == "d":
                        open_doubles -= 1
                        found.append((opened, i, len(stack), True))
                        break
            elif role == "close" and not seen_double:
                # the first double mark closes: speech continued from the previous paragraph
                found = [(o, c, d + 1, cl) for o, c, d, cl in found]
                found.append((-1, i, 0, True))
                stack.clear()
            seen_double = True
            continue
        if single_role == "open":
            stack.append(("s", i))
        elif stack and stack[-1][0] == "s":
            if single_role == "weak-close" and _better_close_follows(roles, pos):
                continue
            _, opened = stack.pop()
            found.append((opened, i, len(stack), True))
    doubles = [opened for k, opened in stack if k == "d"]
    if doubles:
        found.append((doubles[0], len(text), 0, False))
    found.sort()
    return found


def _better_close_follows(roles: Sequence[tuple[int, str, str]], pos: int) -> bool:
    """Whether a strong single close comes after ``pos`` before any single open or double mark."""
    for _, kind, role in roles[pos + 1 :]:
        if kind == "d" or role == "open":
            return False
        if role == "close":
            return True
    return False


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
_PRONOUN = r"(?:[Hh]e|[Ss]he)"
_AUX = r"(?:(?:has|had|have|once|famously|memorably|later|also|then|rightly|would|will)\s+)*"
_VERB = (
    r"(?:said|says|say|argued|argues|wrote|writes|declared|declares|told|tells|asked|asks|added|"
    r"adds|replied|replies|insisted|insists|claimed|claims|warned|warns|noted|notes|observed|"
    r"observes|remarked|remarks|concluded|concludes|stated|states|explained|explains|cried|"
    r"exclaimed|answered|answers|continued|whispered|shouted|called|recalled|recalls|urged|urges|"
    r"quipped|joked|admitted|admits|conceded|concedes|announced|proclaimed|put\s+it|puts\s+it|"
    r"reminded|suggested|suggests|wondered|muttered|murmured|retorted|responded|repeated|"
    r"cautioned|pleaded|begged|thought|sighed|laughed|agreed|began|went\s+on)"
)
_BEFORE_PATTERNS = (
    re.compile(rf"\b[Aa]s\s+(?P<who>{_NAME}|{_PRONOUN}),?\s+{_AUX}{_VERB}\s*[,:]?\s*$"),
    re.compile(
        rf"\b(?:[Aa]ccording\s+to|[Ii]n\s+the\s+words\s+of|[Tt]o\s+quote)\s+"
        rf"(?P<who>{_NAME})\s*[,:]?\s*$"
    ),
    re.compile(rf"\b{_VERB}\s+(?P<who>{_NAME})\s*[,:]\s*$"),
    re.compile(
        rf"(?:^|[^\w’'])(?P<who>{_NAME}|{_PRONOUN}),?\s+{_AUX}{_VERB}"
        rf"(?:\s*[,:]\s*|\s+that\s+|\s+)$"
    ),
)
_AFTER_PATTERNS = (
    re.compile(rf"^\s*[,:]?\s*{_AUX}{_VERB}\s+(?P<who>{_NAME})\b"),
    re.compile(rf"^\s*[,:]?\s*(?P<who>{_NAME}|{_PRONOUN}),?\s+{_AUX}{_VERB}\b"),
    re.compile(
        rf"^\s*[,:]?\s*(?:according\s+to|in\s+the\s+words\s+of)\s+(?P<who>{_NAME})",
        re.IGNORECASE,
    ),
)
_MENTION = re.compile(rf"(?<![\w’'])(?:(?:{_TITLES})\.?\s+)+{_TOKEN}(?:\s+{_TOKEN}){{0,2}}")
_NAME_STOP = frozenset(
    _words(
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


def _terminators(text: str) -> list[int]:
    """Offsets just after sentence-ending punctuation (not after 'Mr.', 'Dr.', initials)."""
    ends = []
    for m in re.finditer(r"[.!?…]+(?=\s|$)", text):
        word = re.search(r"(\w+)$", text[: m.start()])
        if (
            m.group(0) == "."
            and word
            and (word.group(1).casefold() in _ABBREVIATIONS or len(word.group(1)) == 1)
        ):
            continue
        ends.append(m.end())
    return ends


def _before_window(text: str) -> str:
    cuts = _terminators(text)
    return text[cuts[-1] :] if cuts else text


def _after_window(text: str) -> str:
    cuts = _terminators(text)
    return text[: cuts[0]] if cuts else text


@dataclass(slots=True)
class _Found:
    open_at: int
    close_at: int
    depth: int
    closed: bool
    speaker: str | None = None
    how: str = ""  # "before", "after", "inherited", "joint"
    continues: bool = False


def extract_speech(paragraph: Paragraph) -> list[SpeechSpan]:
    """Quoted spans of a paragraph with their speakers, in text order.

    Quotation marks: straight ``"…"`` and curly ``“…”`` double quotes, guillemets ``«…»``, and
    single quotes ``‘…’``/``'…'`` when they are clearly quotes: a mark with a letter on both sides
    (``Kim’s``, ``don’t``) is an apostrophe, a right mark opening a word (``’tis``, ``’90s``) an
    elision, and ``students’ books`` a plural possessive unless no other closing mark follows.
    Straight marks open after a space or opening punctuation and close before a space or
    punctuation; an ambiguous one closes an open quote or opens a new one. Quotes nest (a single
    quote inside a double one has ``depth`` 1) and may span several sentences of the paragraph; a
    double quote still open at the paragraph's end runs to it (``closed=False``).

    Speakers (top-level spans only; nested quotes are someone else's words and get ``None``),
    searched in the same sentence, first before the quote then after it:

    * before: "as Winston Churchill said, “…”", "as X put it, …", "X said: “…”", "X has said,
      “…”", "X argued that “…”", "according to X, “…”", "in the words of X, “…”", "…,” said
      Elizabeth, “…”";
    * after: "“…”, he argued", "“…,” said Elizabeth", "“…”, X said";
    * "he"/"she" resolve to the speaker of the paragraph's previous attributed quote when no
      other person is named in between, else to the only person named (with a title, e.g. "Mr
      Kim") earlier in the paragraph; otherwise ``None``;
    * a quote with no attribution of its own inherits the previous quote's speaker when the two
      are joined by at most six words with no sentence or clause break ("as Churchill said,
      “jaw jaw” is better than “war war”"), or when it resumes after the speaker's own
      interruption, a tag of at most twelve words ending with a comma, colon or semicolon
      ("“Go,” said Anne, turning to Bob, “now.”", "“…,” said Anne; “…”");
    * names are given in their fullest form found in the paragraph ("President Reagan" becomes
      "Ronald Reagan" when the paragraph also says "President Ronald Reagan");
    * a tag naming several people ("said Catherine and Lydia", "Jane and Elizabeth said") gives
      ``None``, and the next quote does not inherit from it.

    A span whose speech runs on from the previous top-level span of the same speaker (see
    :func:`_resumes`) has ``continues=True``; :class:`QuoteBook` joins such spans into one quote.

    A paraphrase without quotation marks ("X has said, the programme is …") is not speech.
    Returns an empty list when the paragraph has no quotation marks.
    """
    text = paragraph.text
    raw = _quoted_spans(text)
    if not raw:
        return []
    found = [_Found(o, c, d, closed) for o, c, d, closed in raw]
    top = [f for f in found if f.depth == 0]
    known = _name_runs(text)

    previous: _Found | None = None
    last_attributed: _Found | None = None
    for index, span in enumerate(top):
        left_limit = previous.close_at + 1 if previous is not None else 0
        before = _before_window(text[left_limit : max(0, span.open_at)])
        next_open = top[index + 1].open_at if index + 1 < len(top) else len(text)
        after = _after_window(text[span.close_at + 1 : next_open]) if span.closed else ""
        who = _match(_BEFORE_PATTERNS, before)
        how = "before"
        if who is None:
            who, how = _match(_AFTER_PATTERNS, after), "after"
        if who == _JOINT:  # "said Catherine and Lydia": several people, no single speaker
            span.how = "joint"
            previous = span
            continue
        if who is not None and re.fullmatch(_PRONOUN, who):
            gap_start = last_attributed.close_at if last_attributed is not None else 0
            gap = text[gap_start : max(0, span.open_at)]
            who = _resolve_pronoun(gap, last_attributed, known)
        elif who is not None:
            who = _clean_name(who)
        if who is None and previous is not None and previous.speaker is not None:
            between = text[previous.close_at + 1 : max(0, span.open_at)]
            words = len(_WORD.findall(between))
            joined = words <= 6 and not re.search(r"[.;!?,]", between)
            # "“Go,” said Anne, turning to Bob, “now.”": the speaker's own interruption
            interrupted = (
                previous.how == "after"
                and words <= 12
                and not _terminators(between)
                and between.rstrip().endswith((",", ":", ";"))
            )
            if joined or interrupted:
                who, how = previous.speaker, "inherited"
        if who is not None:
            span.speaker = _canonical(who, known)
            span.how = how
            last_attributed = span
            span.continues = previous is not None and _resumes(text, previous, span)
        previous = span

    spans = []
    for f in found:
        start, end = f.open_at + 1, f.close_at
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append(
            SpeechSpan(
                start=start,
                end=end,
                mark_start=max(0, f.open_at),
                mark_end=f.close_at + 1 if f.closed else len(text),
                text=text[start:end],
                speaker=f.speaker,
                depth=f.depth,
                closed=f.closed,
                opened=f.open_at >= 0,
                continues=f.continues,
            )
        )
    return spans


_JOINT = ""
"""What :func:`_match` returns for a tag naming several speakers ("said Catherine and Lydia")."""
_JOINT_AFTER = re.compile(rf"\s+(?:and|&)\s+(?:{_NAME}|(?:her|his|their)\s+[a-z]+)")
_JOINT_BEFORE = re.compile(
    rf"(?:{_TOKEN}|\b[Hh]e|\b[Ss]he|\bI|\b(?:her|his|their)\s+[a-z]+)\s*,?\s+(?:and|&)\s+$"
)


def _match(patterns: Sequence[re.Pattern[str]], window: str) -> str | None:
    """The speaker named by the first pattern that matches ``window``; :data:`_JOINT` when the
    tag names several people ("said Catherine and Lydia", "Jane and Elizabeth cried")."""
    for pattern in patterns:
        m = pattern.search(window)
        if m is None:
            continue
        who = m.group("who")
        if not (re.fullmatch(_PRONOUN, who) or _clean_name(who) is not None):
            continue
        if _JOINT_AFTER.match(window, m.end("who")) or _JOINT_BEFORE.search(
            window[: m.start("who")]
        ):
            return _JOINT
        return who
    return None


def _resumes(text: str, previous: _Found, span: _Found) -> bool:
    """Whether ``span`` continues ``previous``'s speech (same speaker): the two are closed/opened,
    joined by at most twelve words with no sentence break, and the speech visibly runs on — the
    speaker was inherited across a short link ("“jaw jaw” is better than “war war”"), the first
    part ends with a comma, colon, semicolon or dash, or the second starts in lower case
    ("“Their conduct has been such,” replied Elizabeth, “as neither …”")."""
    if previous.speaker != span.speaker or not previous.closed or span.open_at < 0:
        return False
    between = text[previous.close_at + 1 : span.open_at]
    if _terminators(between) or len(_WORD.findall(between)) > 12:
        return False
    first = text[max(0, previous.open_at + 1) : previous.close_at].rstrip()
    second = _WORD.search(text, span.open_at + 1, span.close_at)
    return (
        span.how == "inherited"
        or first.endswith((",", ";", ":", "—", "–", "-"))
        or (second is not None and second.group(0)[0].islower())
    )


def _resolve_pronoun(gap: str, last: _Found | None, known: Sequence[str]) -> str | None:
    """'he'/'she' -> the previous speaker if nobody else is named in ``gap``, else the only titled
    person named in ``gap``."""
    named = {_core(m.group(0))[-1] for m in _MENTION.finditer(gap)}
    if last is not None and last.speaker is not None:
        others = named - {_core(last.speaker)[-1]}
        return last.speaker if not others else None
    if len(named) == 1:
        mention = next(m.group(0) for m in _MENTION.finditer(gap))
        return _clean_name(mention)
    return None


# ---------------------------------------------------------------------------------------------
# The quote book
# ---------------------------------------------------------------------------------------------


def _quote_start(quote: Quote) -> int:
    """Offset of the quote's first character in its paragraph."""
    sentence = quote.sentence
    at = sentence.text.find(quote.text)
    if at >= 0:
        return sentence.start + at
    for i, char in enumerate(sentence.text):
        if char == quote.text[0] and quote.text.startswith(sentence.text[i:].rstrip()):
            return sentence.start + i
    return sentence.start


def quote_key(quote: Quote) -> str:
    """A stable id for a quote: ``"{document_id}:{paragraph}:{start}"``, where ``start`` is the
    character offset of the quote in its paragraph. Unchanged across restarts while the document
    is unchanged; used to avoid repeats (``exclude``) and to order the daily cycle."""
    return f"{quote.document_id}:{quote.paragraph}:{_quote_start(quote)}"


def _fold(text: str) -> str:
    return normalize_text(text, punctuation=False)


def _document_names(document: Document) -> list[str]:
    names: list[str] = []
    for paragraph in document.paragraphs:
        names += _name_runs(paragraph.text)
    return names


def _sentence_at(paragraph: Paragraph, offset: int) -> Sentence | None:
    for sentence in paragraph.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    for sentence in paragraph.sentences:
        if offset < sentence.start:
            return sentence
    return paragraph.sentences[-1] if paragraph.sentences else None


def _quoted_share(sentence: Sentence, spans: Sequence[SpeechSpan]) -> float:
    """Share of the sentence's characters inside top-level quotation marks."""
    inside = 0
    for span in spans:
        if span.depth:
            continue
        lo, hi = max(span.mark_start, sentence.start), min(span.mark_end, sentence.end)
        inside += max(0, hi - lo)
    return inside / max(1, sentence.end - sentence.start)


def _not_own(sentence: Sentence, spans: Sequence[SpeechSpan]) -> bool:
    """A sentence is someone else's words when it holds quoted speech of
    :data:`MIN_SPEECH_WORDS` or more words, or when 30% or more of it is inside quotation marks."""
    for span in spans:
        if span.quotable and sentence.start <= span.mark_start < sentence.end:
            return True
    return _quoted_share(sentence, spans) >= 0.3


def _speech_chains(spans: Sequence[SpeechSpan]) -> list[list[SpeechSpan]]:
    """Top-level spans with a speaker, grouped so that a span which :attr:`SpeechSpan.continues`
    the previous one joins its chain ("“Their conduct has been such,” replied Elizabeth, “as
    neither …”" is one chain of two spans)."""
    chains: list[list[SpeechSpan]] = []
    for span in spans:
        if span.depth or span.speaker is None:
            continue
        if span.continues and chains and chains[-1][-1].speaker == span.speaker:
            chains[-1].append(span)
        else:
            chains.append([span])
    return chains


def _chain_text(paragraph: Paragraph, chain: Sequence[SpeechSpan]) -> str:
    """The verbatim text of a chain: the words inside the marks for a single span, else the whole
    stretch from the first opening mark to the last closing mark, speech tags included."""
    if len(chain) == 1:
        return chain[0].text
    return paragraph.text[chain[0].mark_start : chain[-1].mark_end]


_CLOSING = "”’»›\"' "


def _well_formed(text: str) -> bool:
    """Whether speech can be posted on its own: its first letter is not lower case (not a
    fragment resumed mid-sentence) and it does not end with a comma, semicolon or colon (before
    any closing mark)."""
    first = re.search(r"[^\W_]", text)
    if first is None or first.group(0).islower():
        return False
    return text.rstrip(_CLOSING)[-1:] not in (",", ";", ":")


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


class QuoteBook:
    """Every quote of a corpus, ranked once; cheap to query.

    Holds the author's own sentences with a positive :func:`quotability` score (``speaker`` is
    ``None``; shown as the document's author), leaving out sentences that are someone else's words
    (quoted speech of :data:`MIN_SPEECH_WORDS`+ words, or 30% or more of the sentence inside
    quotation marks), plus quoted speech with a known speaker. A single span ending with a comma
    before its closing speech tag loses the comma (it stands for a full stop: "“You are dancing
    with the only handsome girl in the room,” said Mr. Darcy." gives "You are dancing … room",
    scored as if it ended with a full stop). Speech interrupted by a tag by the
    same speaker is one quote, the verbatim stretch from the first opening mark to the last closing
    mark ("“Their conduct has been such,” replied Elizabeth, “as neither …”"); a single span is
    the words inside its marks. Speech is a quote when it has at least :data:`MIN_SPEECH_WORDS`
    words, is closed, and is well formed: its first letter is not lower case and it does not end
    with a comma, semicolon or colon (so no fragment such as "as neither you …" is posted). Its
    score is the :func:`quotability` of the spoken words. A quote with no known speaker is never
    shown as the author's. Every ``Quote.text`` is a verbatim substring of its paragraph.

    Two reserves, never in :meth:`ranked`, :meth:`quotable` or :meth:`cycle_order`, serve
    :meth:`pick` when nothing else can:

    * *short speech*: attributed speech under :data:`MIN_SPEECH_WORDS` words ("as Winston
      Churchill said, “jaw jaw” is better than “war war”" gives "“jaw jaw” is better than “war
      war”"), for an explicit speaker filter that matches only such a speaker;
    * *plain sentences* of a document with no quote at all (a poem of short lines such as
      “Nevermore.”), every sentence with a word, scored ``max(0.01, quotability)``, shown as
      the author's: for a ``document`` filter naming it (or any request when no document has a
      quote), and for a speaker filter naming its author (who is then listed by
      :meth:`speakers`).

    Build with :meth:`build`.
    """

    __slots__ = (
        "_authors",
        "_by_document",
        "_by_key",
        "_folded",
        "_order",
        "_plain",
        "_quotes",
        "_short",
        "_speakers",
        "_titles",
    )

    def __init__(
        self,
        quotes: Sequence[Quote],
        documents: Sequence[Document],
        short: Sequence[Quote] = (),
        plain: Sequence[Quote] = (),
    ) -> None:
        """Use :meth:`build`. ``quotes`` may be in any order; ``documents`` gives corpus order;
        ``short`` and ``plain`` are the two reserves (see the class docstring)."""
        self._order = {d.id: i for i, d in enumerate(documents)}
        self._titles = {d.id: d.title for d in documents}
        self._authors = {d.id: d.author for d in documents}
        self._quotes = self._sorted(quotes)
        self._short = self._sorted(short)
        self._plain: dict[str, tuple[Quote, ...]] = {}
        for q in self._sorted(plain):
            self._plain[q.document_id] = (*self._plain.get(q.document_id, ()), q)
        self._by_key: dict[str, Quote] = {}
        for q in (*self._quotes, *self._short, *(q for p in self._plain.values() for q in p)):
            self._by_key.setdefault(quote_key(q), q)
        self._by_document: dict[str, tuple[Quote, ...]] = {}
        for q in self._quotes:
            self._by_document[q.document_id] = (*self._by_document.get(q.document_id, ()), q)
        names = {q.speaker for q in (*self._quotes, *self._short) if q.speaker}
        names |= {self._authors[d] or "" for d in self._plain}
        names |= {self._authors[q.document_id] or "" for q in self._quotes if q.speaker is None}
        unique: dict[str, str] = {}
        for name in sorted((n for n in names if n), key=lambda n: (-n.count("."), n)):
            unique.setdefault(_fold(name), name)  # "Mr. Jaggers" and "Mr Jaggers" are one
        self._speakers = tuple(sorted(unique.values(), key=lambda n: (n.casefold(), n)))
        # Quote texts folded once, here, for ``contains`` (folding every line on every call cost
        # 200-470 ms on ten novels; benchmarks/load.py).
        self._folded: dict[str, str] = {q.text: _fold(q.text) for q in self._by_key.values()}

    def _sorted(self, quotes: Iterable[Quote]) -> tuple[Quote, ...]:
        return tuple(
            sorted(
                quotes,
                key=lambda q: (
                    -q.score,
                    self._order.get(q.document_id, len(self._order)),
                    q.paragraph,
                    _quote_start(q),
                ),
            )
        )

    @classmethod
    def build(cls, corpus: Corpus) -> QuoteBook:
        """Score every sentence and extract quoted speech. Cost: linear in the corpus size."""
        quotes: list[Quote] = []
        short: list[Quote] = []
        plain: list[Quote] = []
        for document in corpus:
            names = Counter(_document_names(document))
            found = len(quotes)
            for paragraph in document.paragraphs:
                spans = extract_speech(paragraph)
                for sentence in paragraph.sentences:
                    if _not_own(sentence, spans):
                        continue
                    score = quotability(sentence.text)
                    if score > 0:
                        quotes.append(Quote(sentence.text, sentence, None, score))
                for chain in _speech_chains(spans):
                    if not chain[-1].closed:
                        continue
                    text = _chain_text(paragraph, chain)
                    spoken = " ".join(span.text for span in chain)
                    if len(chain) == 1 and text.endswith(","):
                        # "“You are dancing with the only handsome girl,” said Mr. Darcy.": the
                        # comma before the closing tag stands for a full stop
                        text = text[:-1].rstrip()
                        spoken = text + "."
                    at = chain[0].start if len(chain) == 1 else chain[0].mark_start
                    sentence_at = _sentence_at(paragraph, at)
                    if sentence_at is None or chain[0].speaker is None:
                        continue
                    speaker = _canonical(chain[0].speaker, names, min_count=2)
                    words = sum(span.word_count for span in chain)
                    if words < MIN_SPEECH_WORDS:
                        score = max(_FLOOR, quotability(text))
                        short.append(Quote(text, sentence_at, speaker, score))
                    elif _well_formed(text):
                        score = quotability(spoken)
                        quotes.append(Quote(text, sentence_at, speaker, score))
            if len(quotes) == found:
                plain += [
                    Quote(sentence.text, sentence, None, max(_FLOOR, quotability(sentence.text)))
                    for paragraph in document.paragraphs
                    for sentence in paragraph.sentences
                    if _WORD.search(sentence.text)
                ]
        return cls(quotes, corpus.documents, short, plain)

    def __len__(self) -> int:
        return len(self._quotes)

    def get(self, key: str) -> Quote | None:
        """The quote with this :func:`quote_key`, or ``None`` (e.g. its document changed)."""
        return self._by_key.get(key)

    def ranked(self, document: str | None = None) -> tuple[Quote, ...]:
        """All quotes (of one document, by id, when given), best first.

        Order: score descending, then corpus order, paragraph, offset — deterministic. An
        unknown document id gives ``()``.
        """
        if document is None:
            return self._quotes
        return self._by_document.get(document, ())

    def quotable(self, document: str | None = None) -> tuple[Quote, ...]:
        """The ranked quotes scoring at least :data:`QUOTABLE_THRESHOLD`."""
        return tuple(q for q in self.ranked(document) if q.score >= QUOTABLE_THRESHOLD)

    def speaker_of(self, quote: Quote) -> str | None:
        """Who a quote is shown as from: its speaker, or the document's author for own lines."""
        return quote.speaker or self._authors.get(quote.document_id)

    def speakers(self, prefix: str = "", limit: int = 25) -> list[str]:
        """Speaker names for autocomplete: quoted speakers and the authors of own lines.

        Args:
            prefix: what the user typed; matched case- and accent-insensitively against the whole
                name and against each word ("rea" finds "Ronald Reagan"); from 3 characters on, a
                near miss (rapidfuzz ``partial_ratio`` ≥ 80, e.g. "churchil") also matches.
            limit: at most this many names (Discord allows 25 choices), clamped to [0, 25].

        Returns:
            Names in a stable order (every name is one :meth:`pick` can serve with
            ``speaker=name``, including speakers of short speech only): whole-name prefix matches, then word-prefix matches, then
            near misses by similarity; ties alphabetical. An empty prefix lists names
            alphabetically.
        """
        limit = max(0, min(limit, 25))
        query = _fold(prefix)
        if not query:
            return list(self._speakers[:limit])
        ranked: list[tuple[int, float, str, str]] = []
        for name in self._speakers:
            folded = _fold(name)
            if folded.startswith(query):
                ranked.append((0, 0.0, folded, name))
            elif any(word.startswith(query) for word in folded.split()):
                ranked.append((1, 0.0, folded, name))
            elif len(query) >= 3:
                similarity = fuzz.partial_ratio(query, folded)
                if similarity >= 80:
                    ranked.append((2, -similarity, folded, name))
        ranked.sort()
        return [name for *_, name in ranked[:limit]]

    def _by_speaker(
        self, wanted: str, quotes: Sequence[Quote], reserve: Sequence[Quote]
    ) -> list[Quote]:
        """The quotes (else the reserve: short speech, plain sentences) of the speakers best
        matching ``wanted``.

        Every name shown on ``quotes`` and ``reserve`` (speaker, or author for own lines) is rated
        by :func:`_name_tier` against the query, both folded by
        :func:`bot.core.normalize.normalize_text` (case, accents, punctuation: "Mr." = "Mr");
        only the names rated best are kept (the best tier; within the fuzzy tier, the most similar
        names), so an exact match shuts out word-subset and fuzzy ones ("Mr. Bennet" never brings "Mrs. Bennet", "Lady Catherine" never
        "Catherine")."""
        query = _fold(wanted)
        if not query:
            return []
        tiers: dict[str, tuple[int, float] | None] = {}
        for q in (*quotes, *reserve):
            name = self.speaker_of(q)
            if name:
                folded = _fold(name)
                if folded not in tiers:
                    tiers[folded] = _name_tier(query, folded)
        rated = [t for t in tiers.values() if t is not None]
        if not rated:
            return []
        best = {name for name, tier in tiers.items() if tier == min(rated)}

        def chosen(q: Quote) -> bool:
            name = self.speaker_of(q)
            return bool(name) and _fold(name or "") in best

        return [q for q in quotes if chosen(q)] or [q for q in reserve if chosen(q)]

    def _fold_quote(self, quote: Quote) -> str:
        folded = self._folded.get(quote.text)
        if folded is None:
            folded = self._folded[quote.text] = _fold(quote.text)
        return folded

    def _matching(self, query: str, candidates: Sequence[Quote]) -> list[Quote]:
        """The candidates whose folded text contains ``query`` fuzzily (see :meth:`pick`)."""
        texts = [self._fold_quote(q) for q in candidates]
        longer = [i for i, t in enumerate(texts) if len(t) >= len(query)]
        shorter = [i for i, t in enumerate(texts) if len(t) < len(query)]
        hits: set[int] = set()
        # In chunks: one rapidfuzz call holds the GIL throughout, and the bot's event loop waits
        # for it (31,000 novel quotes in one call stalled the loop ~50 ms; benchmarks/load.py).
        for at in range(0, len(longer), _CONTAINS_CHUNK):
            chunk = longer[at : at + _CONTAINS_CHUNK]
            found = process.extract(
                query,
                [texts[i] for i in chunk],
                scorer=fuzz.partial_ratio,
                score_cutoff=CONTAINS_THRESHOLD,
                limit=None,
            )
            hits.update(chunk[j] for _, _, j in found)
        hits |= {i for i in shorter if fuzz.ratio(query, texts[i]) >= CONTAINS_THRESHOLD}
        return [q for i, q in enumerate(candidates) if i in hits]

    def pick(
        self,
        *,
        document: str | None = None,
        contains: str | None = None,
        speaker: str | None = None,
        rng: random.Random | None = None,
        exclude: Collection[str] = (),
        top_fraction: float = 0.3,
    ) -> Quote:
        """A random quote from the top of the ranking, with variety across documents.

        Args:
            document: a document id to draw from; ``None`` for the whole corpus.
            contains: a word or phrase the quote must contain, fuzzily: rapidfuzz
                ``partial_ratio`` ≥ :data:`CONTAINS_THRESHOLD` on text normalised by
                :func:`bot.core.normalize.normalize_text` (case, accents, curly quotes, dashes
                and punctuation folded), so "jaw-jaw" and "peace in our tme" match.
            speaker: only quotes from this person (see :meth:`speakers`; the author matches the
                author's own lines). Names are compared folded (case, accents, punctuation:
                "Mr." = "Mr"); exact matches win, then names holding every query word
                ("reagan" finds "Ronald Reagan"), then fuzzy ones (rapidfuzz ``ratio`` ≥ 85 or
                ``partial_ratio`` ≥ 90), each tier used only when the one before finds nobody.
                A personal honorific in the query (Mr, Mrs, Miss, Ms, Lady, Lord, Sir, Dame,
                Dr, …) must be the speaker's own: "Mr. Bennet" never gives "Mrs. Bennet". When
                the matched speaker has only short speech (under :data:`MIN_SPEECH_WORDS`
                words), that speech is returned ("Churchill" gives "“jaw jaw” is better than
                “war war”").
            rng: the random source (tests pass a seeded one); a fresh ``random.Random()`` if
                ``None``.
            exclude: quote keys (:func:`quote_key`) to avoid, e.g. the channel's last quote.
            top_fraction: the share of each document's (filtered) ranking to draw from, at
                least one quote per document.

        Selection: take the quotes of the document (or corpus); when there are none, its plain
        sentences, best :func:`quotability` first (see :class:`QuoteBook`); filter (a speaker
        filter matching nobody there also tries short speech and plain sentences); keep the
        quotes at or above :data:`QUOTABLE_THRESHOLD` when any qualifies (filtered requests fall back to the best matches below it); per document keep
        the top ``ceil(top_fraction × n)``; drop excluded keys; pick a document uniformly (so one
        long document does not dominate), then a quote in it with probability proportional to its
        score. If excluding empties the pool, the best remaining non-excluded match is used; only
        when every match is excluded is an excluded quote returned (a filter with a single
        answer).

        Raises:
            NotFound: with a message naming the filter: "No quote in <title> contains “x”.",
                "No quote contains “x”.", "No quotes from <speaker>." (with "in <title>" when a
                document is given), "No quotes in <title>.", "No quotes in the corpus.".
        """
        rng = rng if rng is not None else random.Random()
        title = self._titles.get(document, document) if document is not None else None
        where = f" in {title}" if title is not None else ""
        candidates = list(self.ranked(document))
        if document is not None:
            plain = list(self._plain.get(document, ()))
        else:
            plain = [q for d in self._order if d in self._plain for q in self._plain[d]]
        if not candidates:
            candidates, plain = plain, []
        wants_speaker = speaker is not None and bool(speaker.strip())
        reserve = [q for q in self._short if document is None or q.document_id == document]
        reserve += plain
        if not candidates and not (wants_speaker and reserve):
            raise NotFound(f"No quotes in {title}." if title else "No quotes in the corpus.")
        if speaker is not None and wants_speaker:
            candidates = self._by_speaker(speaker, candidates, reserve)
            if not candidates:
                raise NotFound(f"No quotes from {speaker.strip()}{where}.")
        if contains is not None and contains.strip():
            query = _fold(contains)
            matched = self._matching(query, candidates) if query else []
            if not matched and query and not wants_speaker:
                # lines /quote serves anyway: short speech, and the plain sentences of documents
                # with no quotable line (e.g. a language the quotability score does not read)
                matched = self._matching(query, reserve)
            if not matched:
                who = f" from {speaker.strip()}" if speaker and speaker.strip() else ""
                raise NotFound(
                    f"No quote{who}{where} contains “{contains.strip()}”. "
                    "(/search finds the passages that do.)"
                )
            candidates = matched
        good = [q for q in candidates if q.score >= QUOTABLE_THRESHOLD] or candidates

        by_document: dict[str, list[Quote]] = {}
        for q in good:
            by_document.setdefault(q.document_id, []).append(q)
        excluded = set(exclude)
        pool: dict[str, list[Quote]] = {}
        for doc_id, quotes in by_document.items():
            top = quotes[: max(1, math.ceil(top_fraction * len(quotes)))]
            kept = [q for q in top if quote_key(q) not in excluded]
            if kept:
                pool[doc_id] = kept
        if not pool:
            remaining = [q for q in candidates if quote_key(q) not in excluded]
            return remaining[0] if remaining else candidates[0]
        doc_ids = sorted(pool, key=lambda d: self._order.get(d, len(self._order)))
        chosen = pool[rng.choice(doc_ids)]
        weights = [max(q.score, 1e-6) for q in chosen]
        return rng.choices(chosen, weights=weights, k=1)[0]

    def cycle_order(self, documents: Sequence[str] | None, *, salt: str) -> tuple[Quote, ...]:
        """A deterministic permutation of the quotable quotes, for the daily post.

        Args:
            documents: document ids to draw from; ``None`` or empty for the whole corpus
                (unknown ids are ignored).
            salt: makes each guild's order different (e.g. ``str(guild_id)``).

        Returns:
            The quotes scoring at least :data:`QUOTABLE_THRESHOLD` (a document with no such
            quote contributes all its quotes, and one with no quotes at all, such as a short
            poem, its best plain sentences, as :meth:`pick` does), sorted by ``blake2b(salt + "\\0" + quote_key(q))`` — the same order
            in every process and after every restart (Python's ``hash`` is salted per process).
            Adding a document inserts its quotes without reordering the others. ``()`` when the
            documents have no quotes.
        """
        ids = list(documents) if documents else [d for d in self._order]
        chosen: list[Quote] = []
        for doc_id in dict.fromkeys(ids):
            quotes = self.quotable(doc_id) or self.ranked(doc_id) or self._plain.get(doc_id, ())
            chosen.extend(quotes)

        def digest(q: Quote) -> tuple[bytes, str]:
            key = quote_key(q)
            return hashlib.blake2b(f"{salt}\0{key}".encode(), digest_size=16).digest(), key

        return tuple(sorted(chosen, key=digest))

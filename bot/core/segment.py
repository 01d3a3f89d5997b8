"""Sentence segmentation: character offsets of each sentence, with a cap on sentence length.

The splitter is `sentencex <https://github.com/wikimedia/sentencex>`_ (Wikimedia, MIT), a
rule-based segmenter with per-language abbreviation lists, chosen by measurement
(``design/MEASUREMENTS.md``: 43/48 of pySBD's Golden Rules, 25/25 news/novel cases, 87 MB/s; pysbd
scores 47/48 but runs at 0.11 MB/s, NLTK punkt needs data downloaded at run time).

Re-measured for this module (sentencex 1.0.32, Python 3.11, 2 cores):

* 20 of 21 tricky English cases right: "Mr Kim"/"Mr. Kim", "Dr. Smith", "U.N." mid-sentence and at
  a sentence end, "Washington, D.C. on Monday", "5 p.m.", "e.g."/"i.e.", "St. Louis", "Jan. 5",
  curly double and single quotes closing a sentence (“peace.” Then …), "?" inside a quotation
  followed by "she asked", ellipses "..." and "…" inside a sentence, emoji and ZWJ sequences. The
  miss: "Wait… What? Really!" gives 2 units, not 3 (an ellipsis followed by a capital is
  ambiguous; pySBD also keeps it).
* On the seed essay all 35 body sentences split where a reader would (checked by eye); the quotation
  of three sentences from Reagan's speech stays one unit, as sentencex keeps quotations whole.
* ``get_sentence_boundaries`` returns Python ``str`` offsets (checked with astral-plane emoji), so
  offsets need no byte conversion. Speed: 57 MB/s called per paragraph, 110 MB/s on one string.

Long units: sentencex (like pySBD) keeps a multi-sentence quotation as one unit; in the Austen
novels such units reach 7,932 characters. A unit longer than :data:`MAX_SENTENCE_CHARS` is re-split,
first at the sentence ends inside it (". " before a capital, not after an initial or "Mr."), then at
clause boundaries (``;``, ``:``, spaced en/em dashes, ``--``), then at commas, then at word
boundaries, packing consecutive pieces greedily so each unit is as long as possible within the cap.
A single "word" longer than the cap (a URL, a run of symbols) is cut at the cap, never inside a
combining sequence.

Repairs for books (:func:`_repair`): sentencex ends a sentence after an exclamation that the
sentence runs on from in lower case ("Oh! she is absolutely charming!", "but, alas! she was not
so easily …") and after abbreviations of old prose ("--Mr. Elton's absence", "172 deg. long.",
"400,000 lbs. of beef"); such pieces are joined again when the joined sentence stays within the
cap. The ten novels of ``benchmarks/`` had 511 such cuts (46,129 sentences before, 45,618 after).
"""

from __future__ import annotations

import re
import unicodedata

import sentencex

from bot.core.models import Paragraph, Sentence

__all__ = ["MAX_SENTENCE_CHARS", "segment_paragraph", "split_sentences"]

MAX_SENTENCE_CHARS = 600
"""No sentence returned by :func:`split_sentences` is longer than this many characters."""

# Each level lists cut points: a regex whose match *end* is where the next piece may start (the
# punctuation stays with the piece before it; surrounding whitespace is stripped later).
# Sentence ends inside a unit sentencex kept whole (a quotation of several sentences): end
# punctuation, optional closing quotes, then a space and a capital or digit; not after an initial
# ("U.N.", "H. G.") or a common title ("Mr.").
_TITLES = ("Mr", "Mrs", "Ms", "Dr", "St", "Mt", "Prof", "Rev", "Sr", "Jr", "No", "vs", "etc")
# The first end mark is matched before the tests of what precedes it (each look-behind takes
# that mark in, ``(?<!\bMr.)``), so the scan only stops at end marks: 30x cheaper on long
# sentences than testing fourteen look-behinds at every character, same matches.
_SENTENCE_END = re.compile(
    r"[.!?…](?<![A-Z].)"
    + "".join(rf"(?<!\b{t}.)" for t in _TITLES)
    + r"[.!?…]*[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])"
)
# A piece that continues the sentence before it: it starts in lower case (after any opening
# quotation marks or dashes), or the sentence before ends with an abbreviation of old prose.
_CONTINUES = re.compile(r"[\"“‘'(\[—–-]*[a-z]")
_ABBREVIATION_END = re.compile(
    r"(?<![\w.])(?:Mr|Mrs|Messrs|Dr|St|Esq|Capt|Col|Gen|Lieut|Rev|deg|lbs?|"
    r"viz|vol|&c)\.$"
)
_CLAUSE = re.compile(r"[;:](?=\s)|\s[\u2013\u2014](?=\s)|--(?=\S)|\s--(?=\s)")
_COMMA = re.compile(r",(?=\s)")
_WORD = re.compile(r"(?<=\S)(?=\s)")
_LEVELS = (_SENTENCE_END, _CLAUSE, _COMMA, _WORD)

# Characters that must not start a piece when a word is cut: combining marks, joiners, variation
# selectors, emoji modifiers.
_JOINERS = {"\u200c", "\u200d"}


def split_sentences(text: str, *, language: str = "en") -> list[tuple[int, int]]:
    """Split ``text`` into sentences and return their ``(start, end)`` offsets.

    Args:
        text: one paragraph (newlines are allowed; sentencex treats a blank line as a break).
        language: an ISO 639 code for sentencex's abbreviation rules; unknown codes fall back to
            sentencex's generic rules (it never raises for the code).

    Returns:
        ``(start, end)`` pairs, in order, non-overlapping, with ``text[start:end]`` the sentence
        stripped of surrounding whitespace; never empty spans, never longer than
        :data:`MAX_SENTENCE_CHARS`. Empty or all-whitespace text gives ``[]``.
    """
    spans: list[tuple[int, int]] = []
    for unit in sentencex.get_sentence_boundaries(language, text):
        start, end = _strip(text, int(unit["start_index"]), int(unit["end_index"]))
        if start >= end:
            continue
        if end - start <= MAX_SENTENCE_CHARS:
            spans.append((start, end))
        else:
            spans.extend(_cap(text, start, end, 0))
    return _repair(text, spans)


def _repair(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a piece to the sentence before it when it starts in lower case or that sentence ends
    with an abbreviation ("Oh! she is", "--Mr. Elton"), unless the joined span would pass the
    cap. Spans stay stripped, ordered and non-overlapping."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            # an abbreviation ends the span ("$"): it lies in its last 8 characters
            joins = _CONTINUES.match(text, start) or _ABBREVIATION_END.search(
                text, max(prev_start, prev_end - 8), prev_end
            )
            if joins and end - prev_start <= MAX_SENTENCE_CHARS:
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out


def segment_paragraph(
    document_id: str,
    number: int,
    text: str,
    *,
    language: str = "en",
    emphasis: tuple[tuple[int, int], ...] = (),
) -> Paragraph:
    """Build a :class:`Paragraph` with its :class:`Sentence` list.

    Args:
        document_id: id of the owning document.
        number: 1-based body paragraph number.
        text: the paragraph text (kept as given; sentence offsets point into it).
        language: passed to :func:`split_sentences`.
        emphasis: italic spans of ``text`` (kept as given).

    Returns:
        A paragraph whose sentences satisfy ``text[s.start:s.end] == s.text``.
    """
    sentences = tuple(
        Sentence(
            document_id=document_id,
            paragraph=number,
            index=i,
            start=start,
            end=end,
            text=text[start:end],
        )
        for i, (start, end) in enumerate(split_sentences(text, language=language))
    )
    return Paragraph(
        document_id=document_id,
        number=number,
        text=text,
        sentences=sentences,
        emphasis=emphasis,
    )


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``[start, end)`` so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cap(text: str, start: int, end: int, level: int) -> list[tuple[int, int]]:
    """Re-split ``text[start:end]`` (already stripped) into stripped spans of at most the cap."""
    if end - start <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    if level >= len(_LEVELS):
        return _hard_cut(text, start, end)
    cuts = [m.end() for m in _LEVELS[level].finditer(text, start, end) if start < m.end() < end]
    out: list[tuple[int, int]] = []
    piece_start = start
    i = 0
    while end - piece_start > MAX_SENTENCE_CHARS:
        limit = piece_start + MAX_SENTENCE_CHARS
        # Skip cut points that would give an empty piece.
        while i < len(cuts) and cuts[i] <= piece_start:
            i += 1
        best = None
        while i < len(cuts) and cuts[i] <= limit:
            best = cuts[i]
            i += 1
        if best is None:
            # The next piece alone is too long: split it at the next level.
            piece_end = cuts[i] if i < len(cuts) else end
            s, e = _strip(text, piece_start, piece_end)
            if s < e:
                out.extend(_cap(text, s, e, level + 1))
            piece_start = piece_end
        else:
            s, e = _strip(text, piece_start, best)
            if s < e:
                out.append((s, e))
            piece_start = best
    s, e = _strip(text, piece_start, end)
    if s < e:
        out.append((s, e))
    return out


def _hard_cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a span with no usable boundary into pieces of at most the cap, keeping marks attached."""
    out: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = start + MAX_SENTENCE_CHARS
        while cut > start + 1 and (_attached(text[cut]) or text[cut - 1] in _JOINERS):
            cut -= 1
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _attached(char: str) -> bool:
    """Whether ``char`` belongs to the character before it (so no cut may fall just before it)."""
    if char in _JOINERS or unicodedata.combining(char):
        return True
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0100 <= code <= 0xE01EF

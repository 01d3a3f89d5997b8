"""Emphasis (italics) of a paragraph, kept beside its plain text as character spans.

A paragraph's text stays plain, so search, quotes and summaries work on the words as written;
its emphasis is a tuple of ``(start, end)`` offsets into that text (end exclusive, sorted, never
overlapping or touching, never starting or ending with whitespace).

Readers mark emphasis inline while they build text, with two Unicode noncharacters (:data:`OPEN`
U+FDD0 and :data:`CLOSE` U+FDD1, which Unicode reserves for a program's internal use, so no
document means anything by them); :func:`unmark` then turns marked text into plain text and
spans once lines are joined. Renderers place the spans on what they show: :func:`clip` for a
slice of the paragraph (a sentence, a passage), :func:`align` for text that was edited from it
(a quote without its speech tag).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

__all__ = ["CLOSE", "OPEN", "Span", "align", "clip", "mark", "strip_marks", "unmark"]

#: Marks the start / end of emphasised text while a reader builds it.
OPEN = "\ufdd0"
CLOSE = "\ufdd1"

#: ``(start, end)`` character offsets, end exclusive.
Span = tuple[int, int]

_MARKS = re.compile(f"([{OPEN}{CLOSE}])")


def strip_marks(text: str) -> str:
    """``text`` without emphasis marks."""
    return text.replace(OPEN, "").replace(CLOSE, "") if OPEN in text or CLOSE in text else text


def unmark(text: str) -> tuple[str, tuple[Span, ...]]:
    """Plain text and emphasis spans of marked ``text``.

    Nested marks count as one span; a close without an open is ignored, and an open never
    closed emphasises nothing. Spans are trimmed of whitespace and merged (:func:`_tidy`).
    """
    if OPEN not in text and CLOSE not in text:
        return text, ()
    plain: list[str] = []
    spans: list[Span] = []
    size = depth = start = 0
    for piece in _MARKS.split(text):
        if piece == OPEN:
            if depth == 0:
                start = size
            depth += 1
        elif piece == CLOSE:
            if depth == 1:
                spans.append((start, size))
            depth = max(0, depth - 1)
        else:
            plain.append(piece)
            size += len(piece)
    joined = "".join(plain)
    return joined, _tidy(joined, spans)


def mark(text: str, spans: Sequence[Span]) -> str:
    """``text`` with :data:`OPEN`/:data:`CLOSE` around each span (the inverse of :func:`unmark`)."""
    out: list[str] = []
    at = 0
    for start, end in spans:
        out += (text[at:start], OPEN, text[start:end], CLOSE)
        at = end
    out.append(text[at:])
    return "".join(out)


def clip(spans: Sequence[Span], start: int, end: int) -> tuple[Span, ...]:
    """The parts of ``spans`` inside ``[start, end)``, as offsets from ``start``."""
    return tuple(
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    )


def align(spans: Sequence[Span], source: str, shown: str) -> tuple[Span, ...]:
    """``spans`` of ``source`` placed on ``shown``, a text edited from it (words dropped,
    punctuation changed): each emphasised character that ``shown`` kept stays emphasised.

    Characters are matched with :class:`difflib.SequenceMatcher` (Ratcliff-Obershelp longest
    matching blocks), which keeps the order of both texts.
    """
    if not spans:
        return ()
    if source == shown:
        return _tidy(shown, spans)
    matcher = SequenceMatcher(None, source, shown, autojunk=False)
    placed: list[Span] = []
    for a, b, size in matcher.get_matching_blocks():
        for s, e in spans:
            low, high = max(s, a), min(e, a + size)
            if low < high:
                placed.append((b + low - a, b + high - a))
    return _tidy(shown, placed)


def _tidy(text: str, spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted spans without whitespace at their edges, empty ones dropped, and spans that
    touch or are apart by whitespace only merged into one."""
    out: list[Span] = []
    for start, end in sorted(spans):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        if out and (out[-1][1] >= start or not text[out[-1][1] : start].strip()):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)

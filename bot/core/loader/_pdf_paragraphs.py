"""Paragraphs of a PDF's text lines: where one ends, where it runs on, words rejoined.

The rules (used by :mod:`._pdf`, which reads the lines in order and drops page furniture):

- a vertical gap wider than :data:`PARAGRAPH_GAP` times the usual line spacing, a chapter
  heading ("CHAPTER 4") and a bullet ("• ") start a paragraph; pieces of one printed line never
  do;
- an indented line starts one after a line that ended a sentence or stopped short (not the
  next line of a list item, which hangs under its text);
- a line that ends a sentence and stops short of the margin although the next line's first
  word would have fitted on it, in points and in characters (a ragged-right line stops short
  because that word did not fit), ends one;
- over a column or page break, a heading or an indented line starts one, a sentence going on
  in lower case runs on, and otherwise the paragraph runs on when the line above was full
  (over a page break, only in a document that indents its paragraphs, since one that does not
  shows no other sign); a page whose text stops well above the usual bottom ends one;
- a line ending in a hyphen (or a soft hyphen) between two lower-case letters is joined to the
  next line without it ("exam-" + "ple" -> "example").
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass

from bot.core.loader._sections import _heading_kind

# A bullet glyph and a space (not a dash: "– and then" may start a wrapped line of prose).
_BULLET = re.compile(r"[•◦▪‣∙·]\s")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]$")
_HYPHENS = ("-", "\u00ad", "\u2010", "\x02")
PARAGRAPH_GAP = 1.4  # times the usual line pitch
SHORT_LINE = 0.15  # of the column's width: a last line ends at least this far from the margin
INDENTED_SHARE = 0.5  # of the lines after a sentence's end: above it, a document indents
FIT_SLACK = 3.0  # characters: proportional fonts make the estimate of a word's width rough


@dataclass(slots=True)
class _Line:
    x0: float
    y0: float  # bottom (PDF coordinates grow upwards)
    x1: float
    y1: float
    text: str


def _text(pages: list[list[_Line]]) -> str:
    """Paragraphs separated by blank lines, the lines of each on lines of their own."""
    paragraphs: list[list[str]] = []
    bottom = _text_bottom(pages)
    indents = _indents_paragraphs(pages)
    last: tuple[_Line, _Bounds, tuple[int, int]] | None = None  # the previous page's last line
    ended_early = False  # the previous page's text stopped well above the usual bottom
    for lines in pages:
        if not lines:
            continue
        pitch = _usual_pitch(lines)
        bounds = _column_bounds(lines)
        chars = _column_chars(lines, bounds)
        previous: _Line | None = None
        for line in lines:
            if previous is None:  # the first line of a page
                starts = (
                    last is None
                    or ended_early
                    or _breaks_over(*last, line, bounds, indents=indents, page=True)
                )
            else:
                starts = _breaks(previous, line, pitch, bounds, chars, indents=indents)
            if starts:
                paragraphs.append([line.text])
            else:
                _append(paragraphs[-1], line.text)
            previous = line
        last = (lines[-1], bounds, chars)
        ended_early = min(ln.y0 for ln in lines) > bottom + 2 * max(pitch, 1.0)
    return "\n\n".join("\n".join(p) for p in paragraphs)


def _indented(line: _Line, bounds: _Bounds, share: float = 0.6) -> bool:
    """The line starts right of its column's left edge (by more than ``share`` of its height)."""
    return line.x0 - _column(line, bounds)[0] > share * max(line.y1 - line.y0, 1.0)


def _indents_paragraphs(pages: list[list[_Line]]) -> bool:
    """Whether the document marks a paragraph by indenting its first line: after a line that
    ends a sentence, the next line (on the same page, below it) is indented at least
    :data:`INDENTED_SHARE` of the times, and 3 times at least."""
    indented = flush = 0
    for lines in pages:
        bounds = _column_bounds(lines) if lines else ((0.0, 0.0), (0.0, 0.0))
        for previous, line in itertools.pairwise(lines):
            if previous.y0 > line.y0 and _SENTENCE_END.search(previous.text):
                if _indented(line, bounds):
                    indented += 1
                else:
                    flush += 1
    return indented >= 3 and indented >= INDENTED_SHARE * (indented + flush)


def _text_bottom(pages: list[list[_Line]]) -> float:
    """Where the text of a full page ends (the median of the pages' lowest lines)."""
    lows = [min(ln.y0 for ln in lines) for lines in pages if lines]
    return statistics.median(lows) if lows else 0.0


_Bounds = tuple[tuple[float, float], tuple[float, float]]


def _column_bounds(lines: list[_Line]) -> _Bounds:
    """``((left, right) of the left column, (left, right) of the right one)``; one column: the
    same bounds twice."""
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    middle = (left + right) / 2
    first = [ln for ln in lines if ln.x1 <= middle + 2]
    second = [ln for ln in lines if ln.x0 >= middle - 2]
    if len(first) < 3 or len(second) < 3:
        return (left, right), (right + 1, right)  # nothing starts right of the page
    return (
        (left, max(ln.x1 for ln in first)),
        (min(ln.x0 for ln in second), right),
    )


def _column_chars(lines: list[_Line], bounds: _Bounds) -> tuple[int, int]:
    """The most characters a line of each column holds (left, right)."""
    most = [0, 0]
    for line in lines:
        index = _column_index(line, bounds)
        most[index] = max(most[index], len(line.text))
    return most[0], most[1]


def _usual_pitch(lines: list[_Line]) -> float:
    gaps = [a.y0 - b.y0 for a, b in itertools.pairwise(lines) if a.y0 - b.y0 > 0]
    return statistics.median(gaps) if gaps else 0.0


def _breaks(
    previous: _Line,
    line: _Line,
    pitch: float,
    bounds: _Bounds,
    chars: tuple[int, int] = (0, 0),
    *,
    indents: bool = False,
) -> bool:
    """Whether ``line`` starts a new paragraph after ``previous`` (same page); ``chars``: the
    most characters a line of each column holds (:func:`_column_chars`); ``indents``: the
    document indents its paragraphs' first lines (:func:`_indents_paragraphs`)."""
    gap = previous.y0 - line.y0
    if abs(gap) < 0.5 * max(line.y1 - line.y0, 1.0):
        return False  # another piece of the same printed line
    if gap < 0:  # the next column
        return _breaks_over(previous, bounds, chars, line, bounds, indents=indents)
    if pitch and gap > PARAGRAPH_GAP * pitch:
        return True  # a blank line's worth of space
    if _heading_kind(line.text) or _heading_kind(previous.text) or _BULLET.match(line.text):
        return True  # a chapter heading is a line of its own; a bullet starts a list item
    ends = bool(_SENTENCE_END.search(previous.text))
    stops = _stops_short(previous, line, bounds, chars)
    hanging = not stops and _BULLET.match(previous.text) is not None  # a list item's next line
    first = ends or stops or not _indented(previous, bounds, 0.3)
    if _indented(line, bounds) and first and not hanging:
        return True  # an indented first line (after a line that ended its paragraph)
    return ends and stops


def _breaks_over(
    previous: _Line,
    bounds: _Bounds,
    chars: tuple[int, int],
    line: _Line,
    new: _Bounds,
    *,
    indents: bool = False,
    page: bool = False,
) -> bool:
    """Whether ``line``, at the top of a column or page, starts a paragraph after ``previous``,
    the last line of the column or page before (``bounds``, ``chars``: its page's columns;
    ``new``: those of ``line``'s page). A heading or an indented line does; a sentence going
    on in lower case does not; otherwise, in a document that indents its paragraphs
    (``indents``), the paragraph runs on when the line above was full; in one that does not,
    it runs on over a column break when the line above was full, never over a page break."""
    if _heading_kind(line.text) or _heading_kind(previous.text) or _indented(line, new):
        return True
    if _continues(previous, line):
        return False
    if page and not indents:
        return True
    full = _overflows(previous, line, bounds, chars)
    return not (full or _full(previous, line.text, _column(previous, bounds)[1]))


def _stops_short(previous: _Line, line: _Line, bounds: _Bounds, chars: tuple[int, int]) -> bool:
    """``previous`` stops short of its column's right edge although the first word of ``line``
    would have fitted on it (in points and in characters)."""
    left, right = _column(previous, bounds)
    if previous.x1 >= right - SHORT_LINE * (right - left):
        return False
    return not (
        _overflows(previous, line, bounds, chars)
        or _full(previous, line.text, right, slack=FIT_SLACK)
    )


def _overflows(previous: _Line, line: _Line, bounds: _Bounds, chars: tuple[int, int]) -> bool:
    """The first word of ``line`` would not have fitted on ``previous`` counted in characters
    (the most its column holds): a ragged line, not a paragraph's end."""
    word = line.text.split(" ", 1)[0]
    return len(previous.text) + 1 + len(word) > chars[_column_index(previous, bounds)]


def _column_index(line: _Line, bounds: _Bounds) -> int:
    return 0 if line.x0 < bounds[1][0] else 1


def _column(line: _Line, bounds: _Bounds) -> tuple[float, float]:
    return bounds[_column_index(line, bounds)]


def _full(line: _Line, following: str, right: float, *, slack: float = 0.5) -> bool:
    """Whether the first word of ``following`` would not have fitted at the end of ``line``
    (widths estimated from the line's average character width, give or take ``slack``
    characters)."""
    width = (line.x1 - line.x0) / max(len(line.text), 1)
    word = following.split(" ", 1)[0]
    return line.x1 + width * (len(word) + 1) > right - width * slack


def _continues(previous: _Line | str, following: _Line | str) -> bool:
    """A paragraph running on over a break: no sentence end, the next starts in lower case."""
    text = previous if isinstance(previous, str) else previous.text
    after = following if isinstance(following, str) else following.text
    return not _SENTENCE_END.search(text) and after[:1].islower()


def _append(lines: list[str], text: str) -> None:
    """Add a line to a paragraph, rejoining a word hyphenated across the line break."""
    last = lines[-1]
    if (
        len(last) >= 2
        and last.endswith(_HYPHENS)
        and last[-2].isalpha()
        and last[-2].islower()
        and text[:1].islower()
    ):
        word, _, rest = text.partition(" ")
        lines[-1] = last[:-1] + word
        if rest:
            lines.append(rest)
        return
    lines.append(text)

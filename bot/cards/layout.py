"""Line breaking and fitting of a quote into a box: shrink, then wrap, then cut.

Break opportunities: after a space, and between two characters of a script written without
spaces (Chinese, Japanese; Korean is spaced), as in UAX #14's simplest reading. A word wider
than the box is broken between grapheme clusters. :func:`fit` tries font sizes from the largest
down; when even the smallest cannot hold the whole text, it keeps as many whole sentences as fit
and ends with an ellipsis (a first sentence too long on its own is cut at a word).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import regex

from bot.cards import fonts
from bot.core.segment import split_sentences

ELLIPSIS = "…"
_CLUSTER = regex.compile(r"\X")


def _unspaced(ch: str) -> bool:
    """A character of Han or kana, or CJK punctuation: a line may break next to it."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x3000 <= code <= 0x30FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3134F
    )


#: Characters that must not start a line (closing punctuation, CJK small kana are allowed).
_NO_START = set("、。，．・：；？！）」』】〕〉》”’)]}!?.,:;…")


def units(text: str) -> list[str]:
    """``text`` cut at its break opportunities; each unit keeps the spaces that follow it."""
    out: list[str] = []
    current = ""
    for cluster in _CLUSTER.findall(text):
        breaks = bool(current) and (
            (current[-1].isspace() and not cluster.isspace())
            or (
                (_unspaced(cluster[0]) or _unspaced(current[-1]))
                and not cluster.isspace()
                and cluster not in _NO_START
            )
        )
        if breaks:
            out.append(current)
            current = ""
        current += cluster
    if current:
        out.append(current)
    return out


Measure = Callable[[str], float]


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Greedy line filling of ``text`` (one paragraph) to ``width`` pixels by ``measure``."""
    lines: list[str] = []
    line, used = "", 0.0
    for unit in units(text):
        size = measure(unit.rstrip())
        if line and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0.0
        if size > width:  # a word wider than the box: break it between clusters
            for cluster in _CLUSTER.findall(unit):
                step = measure(cluster)
                if line and used + step > width:
                    lines.append(line.rstrip())
                    line, used = "", 0.0
                line += cluster
                used += step
            continue
        line += unit
        used += measure(unit)
    if line.strip():
        lines.append(line.rstrip())
    return lines


@dataclass(frozen=True, slots=True)
class Fitted:
    """The lines of the quote, the font size they fit at, and whether text was left out."""

    lines: tuple[str, ...]
    size: int
    cut: bool


def measurer(primary: str, size: int, *, basic: bool) -> Measure:
    """Width in pixels of a string drawn with the font chain of ``primary`` at ``size``."""

    @functools.lru_cache(maxsize=4096)
    def measure(text: str) -> float:
        total = 0.0
        for run in fonts.runs(text, primary):
            shaped, direction = fonts.shaped(run, basic=basic)
            face = fonts.font(run.font, size, basic=basic)
            total += (
                face.getlength(shaped, direction=direction) if direction else face.getlength(shaped)
            )
        return total

    return measure


def _lines_for(text: str, width: float, measure: Measure) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(wrap(" ".join(paragraph.split()), width, measure) or [""])
    return lines


def fit(
    text: str,
    primary: str,
    box: tuple[int, int],
    sizes: tuple[int, ...],
    *,
    line_height: float = 1.35,
    basic: bool = False,
) -> Fitted:
    """The largest of ``sizes`` (descending) at which ``text`` wrapped fits ``box`` (width,
    height in pixels); at the smallest, the longest run of whole leading sentences that fits,
    with an ellipsis."""
    width, height = box
    for size in sizes:
        measure = measurer(primary, size, basic=basic)
        lines = _lines_for(text, width, measure)
        if len(lines) * size * line_height <= height:
            return Fitted(tuple(lines), size, False)
    size = sizes[-1]
    measure = measurer(primary, size, basic=basic)

    def fits(candidate: str) -> bool:
        return len(_lines_for(candidate, width, measure)) * size * line_height <= height

    ends = [end for _, end in split_sentences(text)]
    lo, hi = 0, len(ends)  # how many leading sentences fit: bisection
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(text[: ends[mid - 1]].rstrip() + " " + ELLIPSIS):
            lo = mid
        else:
            hi = mid - 1
    kept = text[: ends[lo - 1]].rstrip() + " " + ELLIPSIS if lo else _cut_words(text, fits)
    return Fitted(tuple(_lines_for(kept, width, measure)), size, True)


def _cut_words(text: str, fits: Callable[[str], bool]) -> str:
    """The longest prefix of ``text`` ending at a unit boundary that fits, with an ellipsis."""
    pieces = units(text)
    lo, hi = 0, len(pieces)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits("".join(pieces[:mid]).rstrip() + ELLIPSIS):
            lo = mid
        else:
            hi = mid - 1
    return "".join(pieces[:lo]).rstrip() + ELLIPSIS

"""The fonts shipped for quote cards, which of them draws each character, and text direction.

Pillow draws a string with one font and has no fallback, so a line is cut into *runs*: stretches
of grapheme clusters that one font covers (coverage read from each font's cmap with fontTools).
Emoji clusters go to the monochrome emoji font; spaces and punctuation stay with the run they are
in when its font has them. Each run knows its direction (right-to-left for Arabic and Hebrew).

Arabic letters must be joined (shaped) and right-to-left runs put in visual order. Pillow does
both with its Raqm layout (HarfBuzz + FriBiDi) when :func:`PIL.features.check` finds it; without
it, ``arabic-reshaper`` (MIT) shapes and the run is reversed here (python-bidi, the usual
companion, is LGPL, so not used).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex
from fontTools.ttLib import TTFont
from PIL import ImageFont, features

FONTS = Path(__file__).resolve().parent / "fonts"
SERIF = "NotoSerif-Regular.ttf"
SANS = "NotoSans-Regular.ttf"
EMOJI = "NotoEmoji-Regular.ttf"
#: Tried in order after a style's own font, for characters it lacks.
FALLBACKS = (
    SANS,
    "NotoNaskhArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansCJKsc-Common.otf",
    "DroidSansFallback-Rare.ttf",  # the rarer ideographs, hangul and kana Noto's subset lacks
    EMOJI,
)

_CLUSTER = regex.compile(r"\X")
_RTL_CLASSES = {"R", "AL"}


@functools.cache
def raqm() -> bool:
    """Whether Pillow can shape and reorder text itself: its Raqm layout engine, and the FriBiDi
    library Pillow's wheels load at run time for it (``libfribidi0`` on Debian)."""
    return bool(features.check("raqm")) and bool(features.check("fribidi"))


@functools.cache
def coverage(name: str) -> frozenset[int]:
    """The code points font ``name`` has glyphs for."""
    with TTFont(FONTS / name, lazy=True) as font:
        return frozenset(font.getBestCmap())


@functools.lru_cache(maxsize=128)
def font(name: str, size: int, *, basic: bool = False) -> ImageFont.FreeTypeFont:
    """Font ``name`` at ``size`` pixels (``basic``: without Raqm, shaping left to us)."""
    engine = ImageFont.Layout.BASIC if basic or not raqm() else ImageFont.Layout.RAQM
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=engine)


def is_emoji(cluster: str) -> bool:
    """Whether a grapheme cluster is an emoji (pictograph, flag, keycap or joined sequence)."""
    first = ord(cluster[0])
    if "\u200d" in cluster or "\ufe0f" in cluster or "\u20e3" in cluster:
        return True
    return 0x1F000 <= first <= 0x1FAFF or (0x2600 <= first <= 0x27BF and first in coverage(EMOJI))


def is_rtl(text: str) -> bool:
    """Whether the first strongly directional character of ``text`` is right-to-left."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return False


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text drawn with one font in one direction."""

    text: str
    font: str
    rtl: bool


def _font_for(cluster: str, chain: tuple[str, ...]) -> str | None:
    if is_emoji(cluster):
        return EMOJI
    code = ord(cluster[0])
    for name in chain:
        if code in coverage(name):
            return name
    return None


def runs(text: str, primary: str) -> list[Run]:
    """``text`` cut into runs of one font each, in logical order (see the module docstring).

    A character no shipped font has is drawn with ``primary`` (it shows as the font's box).
    """
    chain = (primary, *FALLBACKS)
    pieces: list[tuple[str, str]] = []
    for cluster in _CLUSTER.findall(text):
        neutral = not any(ch.isalnum() for ch in cluster) and not is_emoji(cluster)
        if (
            neutral
            and pieces
            and pieces[-1][1] != EMOJI  # the emoji font's space is an em wide
            and ord(cluster[0]) in coverage(pieces[-1][1])
        ):
            name = pieces[-1][1]
        else:
            name = _font_for(cluster, chain) or primary
        if pieces and pieces[-1][1] == name:
            pieces[-1] = (pieces[-1][0] + cluster, name)
        else:
            pieces.append((cluster, name))
    return [Run(t, name, is_rtl(t)) for t, name in pieces]


_STRONG = {"L", "R", "AL", "EN", "AN"}


def visual_runs(line: str, primary: str) -> list[Run]:
    """The runs of one line in drawing order, left to right.

    In a right-to-left line the runs go right to left, and the spaces and punctuation at the
    edges of a left-to-right run are split off it, so they stay between the runs they separate
    (a simplified UAX #9: neutrals between runs take the line's direction).
    """
    parts = runs(line, primary)
    if not is_rtl(line):
        return parts
    out: list[Run] = []
    for run in parts:
        if run.rtl:
            out.append(run)
            continue
        text = run.text
        i, j = 0, len(text)
        while i < j and unicodedata.bidirectional(text[i]) not in _STRONG:
            i += 1
        while j > i and unicodedata.bidirectional(text[j - 1]) not in _STRONG:
            j -= 1
        out.extend(
            Run(piece, run.font, False) for piece in (text[:i], text[i:j], text[j:]) if piece
        )
    out.reverse()
    return out


def shaped(run: Run, *, basic: bool) -> tuple[str, str | None]:
    """The text to hand Pillow for ``run`` and the ``direction`` argument to pass.

    With Raqm: the run as it is, with its direction. Without: Arabic joined by
    ``arabic-reshaper`` and a right-to-left run reversed into visual order; no direction.
    """
    if not basic:
        return run.text, "rtl" if run.rtl else "ltr"
    if not run.rtl:
        return run.text, None
    import arabic_reshaper

    return arabic_reshaper.reshape(run.text)[::-1], None

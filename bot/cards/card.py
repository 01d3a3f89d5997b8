"""Drawing a quote card: the quote centred in a readable typeface, attribution and source below.

A card is 1200×675 pixels (16:9, shown full width by Discord), PNG. The quote is fitted by
:func:`bot.cards.layout.fit`; the attribution and source lines are shrunk or shortened to one
line each. Three styles, chosen per server by an admin: ``light``, ``dark`` and ``ink``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.cards import fonts
from bot.cards.layout import ELLIPSIS, Fitted, fit, measurer

WIDTH, HEIGHT = 1200, 675
MARGIN_X, MARGIN_TOP = 96, 72
FOOTER = 150  # pixels kept under the quote for the attribution and the source
QUOTE_SIZES = (60, 54, 48, 43, 38, 34, 30, 27, 24)
ATTRIBUTION_SIZES = (32, 28, 25, 22)
SOURCE_SIZE = 22
LINE_HEIGHT = 1.38


@dataclass(frozen=True, slots=True)
class Style:
    """Colours (RGB hex) and the quote's typeface."""

    name: str
    background: str
    text: str
    muted: str
    accent: str
    face: str


STYLES: dict[str, Style] = {
    "light": Style("light", "#FAF7F0", "#1F1D1A", "#6B6558", "#5865F2", fonts.SERIF),
    "dark": Style("dark", "#16171B", "#F2F0EA", "#A09C92", "#8B95FF", fonts.SERIF),
    "ink": Style("ink", "#1E3A5F", "#FFFFFF", "#C9D6E8", "#F2C14E", fonts.SANS),
}
DEFAULT_STYLE = "light"


def _draw_line(
    draw: ImageDraw.ImageDraw,
    line: str,
    y: float,
    primary: str,
    size: int,
    colour: str,
    *,
    basic: bool,
) -> None:
    """Draw one line centred at height ``y``: its runs in visual order, each with its font."""
    measure = measurer(primary, size, basic=basic)
    x = (WIDTH - measure(line)) / 2
    for run in fonts.visual_runs(line, primary):
        text, direction = fonts.shaped(run, basic=basic)
        face = fonts.font(run.font, size, basic=basic)
        if direction:
            draw.text((x, y), text, font=face, fill=colour, direction=direction)
        else:
            draw.text((x, y), text, font=face, fill=colour)
        x += measure(run.text)


def _one_line(text: str, primary: str, sizes: tuple[int, ...], *, basic: bool) -> tuple[str, int]:
    """``text`` at the largest of ``sizes`` where it fits the width on one line, else shortened
    at a word with an ellipsis at the smallest."""
    width = WIDTH - 2 * MARGIN_X
    for size in sizes:
        if measurer(primary, size, basic=basic)(text) <= width:
            return text, size
    size = sizes[-1]
    measure = measurer(primary, size, basic=basic)
    words = text.split(" ")
    while len(words) > 1 and measure(" ".join(words) + ELLIPSIS) > width:
        words.pop()
    return " ".join(words) + ELLIPSIS, size


def quote_marks(text: str) -> str:
    """``text`` in curly quotes, unless it is right-to-left or already quoted."""
    if fonts.is_rtl(text) or text.startswith(("“", '"', "‘", "'", "«", "「", "『")):
        return text
    return f"“{text}”"


def layout_quote(text: str, style: Style, *, basic: bool = False) -> Fitted:
    """How the quote's lines fit the card (exposed for tests and the benchmark)."""
    box = (WIDTH - 2 * MARGIN_X, HEIGHT - MARGIN_TOP - FOOTER - 24)
    return fit(
        quote_marks(text), style.face, box, QUOTE_SIZES, line_height=LINE_HEIGHT, basic=basic
    )


def render_card(
    text: str, attribution: str, source: str, style: str = DEFAULT_STYLE, *, basic: bool = False
) -> bytes:
    """A quote card as PNG bytes.

    Args:
        text: the quote (any length; cut at a sentence with an ellipsis when it cannot fit).
        attribution: who said it, e.g. ``"— Jane Austen, Emma"``.
        source: where it is, e.g. ``"Emma · Chapter 3 · paragraph 12"``.
        style: a key of :data:`STYLES` (``KeyError`` otherwise).
        basic: draw without Pillow's Raqm layout even when it is available (tests the fallback).
    """
    chosen = STYLES[style]
    image = Image.new("RGB", (WIDTH, HEIGHT), chosen.background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 10), fill=chosen.accent)
    fitted = layout_quote(text, chosen, basic=basic)
    step = fitted.size * LINE_HEIGHT
    block = step * len(fitted.lines)
    top = MARGIN_TOP + (HEIGHT - MARGIN_TOP - FOOTER - block) / 2
    for i, line in enumerate(fitted.lines):
        _draw_line(draw, line, top + i * step, chosen.face, fitted.size, chosen.text, basic=basic)
    rule_y = HEIGHT - FOOTER + 8
    draw.line((WIDTH / 2 - 40, rule_y, WIDTH / 2 + 40, rule_y), fill=chosen.accent, width=3)
    who, size = _one_line(attribution, fonts.SANS, ATTRIBUTION_SIZES, basic=basic)
    _draw_line(draw, who, rule_y + 22, fonts.SANS, size, chosen.text, basic=basic)
    where, size = _one_line(source, fonts.SANS, (SOURCE_SIZE, 19), basic=basic)
    _draw_line(draw, where, rule_y + 72, fonts.SANS, size, chosen.muted, basic=basic)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()

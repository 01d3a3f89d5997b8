"""Quote cards: a quote drawn as a PNG image, to share.

* :mod:`bot.cards.card` — :func:`render_card` and the :data:`STYLES` a server can choose;
* :mod:`bot.cards.layout` — line breaking and fitting (shrink, wrap, cut at a sentence);
* :mod:`bot.cards.fonts` — the shipped fonts (``fonts/``, OFL), per-character fallback,
  right-to-left text and shaping.

Rendering is CPU work of tens of milliseconds: the bot runs it in its worker thread.
"""

from bot.cards.card import DEFAULT_STYLE, STYLES, layout_quote, render_card

__all__ = ["DEFAULT_STYLE", "STYLES", "layout_quote", "render_card"]

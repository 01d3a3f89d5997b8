"""Where text may be cut: grapheme edges, for shortening text shown to people.

Shortening a string by code points can split an emoji family (joined by U+200D), a flag (a pair
of regional indicators), a skin-tone or keycap sequence, or a letter and its combining marks;
the half left over shows as a broken glyph. :func:`safe_cut` moves a cut back to the nearest
edge of an *extended grapheme cluster* (Unicode Standard Annex #29), found with the ``regex``
package's ``\\X``, which follows the current Unicode rules (a hand-written subset of them used to
live in ``bot.render``). Pure: used by the core's messages and by ``bot.render``.
"""

from __future__ import annotations

import regex

__all__ = ["safe_cut"]

_GRAPHEME = regex.compile(r"\X")


def safe_cut(text: str, limit: int) -> int:
    """Largest index ``<= limit`` (``0 <= result <= len(text)``) at which ``text`` can be cut
    without splitting an extended grapheme cluster (UAX #29). Cost: linear in ``limit``."""
    if limit >= len(text):
        return len(text)
    cut = 0
    for match in _GRAPHEME.finditer(text, 0, max(limit, 0) + 1):
        if match.end() > limit:
            break
        cut = match.end()
    return cut

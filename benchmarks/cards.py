"""Quote-card drawing time: ``python -m benchmarks.cards`` prints a table of medians.

Each sample (short, long, CJK, Arabic, emoji) is drawn ``--runs`` times with
:func:`bot.cards.render_card`, after one warm-up (fonts loaded, cmaps read). The obvious
alternative is Pillow alone: one font, :func:`textwrap.wrap` at a fixed width and
``multiline_text`` (no fitting, no font fallback, no right-to-left handling), to show what the
per-character fallback and the fitting cost. Target: well under a second per card.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import textwrap
import time
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

from bot.cards import fonts, render_card

SAMPLES = {
    "short": "Jaw jaw is better than war war.",
    "long (3,000 chars)": " ".join(
        f"Sentence {i} of a long quotation goes on for a while, as novels do." for i in range(44)
    ),
    "CJK": "天下皆知美之为美，斯恶已。皆知善之为善，斯不善已。故有无相生，难易相成，长短相形。" * 3,
    "Arabic": "العلم في الصغر كالنقش على الحجر، والعلم في الكبر كالنقش على الماء",
    "emoji": "Stay curious 🤔🚀 and kind 👍🏽, family 👨‍👩‍👧 first! 🇫🇷",
}


def plain_pillow(text: str) -> bytes:
    """The obvious alternative: one font at one size, fixed-width wrapping, no fallback."""
    image = Image.new("RGB", (1200, 675), "#FAF7F0")
    draw = ImageDraw.Draw(image)
    face = fonts.font(fonts.SERIF, 40)
    draw.multiline_text((96, 72), "\n".join(textwrap.wrap(text, 48)[:10]), font=face, fill="#111")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    print(f"Raqm layout: {'yes' if fonts.raqm() else 'no (arabic-reshaper fallback)'}")
    print(f"{'sample':<20} {'card ms':>8} {'plain Pillow ms':>16} {'ratio':>6}")
    for name, text in SAMPLES.items():
        ours = _median_ms(lambda t=text: render_card(t, "— Someone", "Source · ¶1"), args.runs)
        plain = _median_ms(lambda t=text: plain_pillow(t), args.runs)
        print(f"{name:<20} {ours:>8.1f} {plain:>16.1f} {ours / plain:>6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``corpusbot card``: a quote card written to a PNG file from the terminal."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot.cards import DEFAULT_STYLE, STYLES, render_card
from bot.core.errors import UserError
from bot.render_community import card_text
from bot.settings import Settings


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Register ``card`` with the CLI's sub-commands."""
    card = sub.add_parser("card", parents=[common], help="write a quote card (PNG image)")
    card.add_argument("--document", help="document id or title")
    card.add_argument("--contains", help="a word or phrase the quote should contain")
    card.add_argument("--speaker", help="only words said by this person")
    card.add_argument("--style", choices=sorted(STYLES), default=DEFAULT_STYLE, help="the look")
    card.add_argument("--out", metavar="FILE.png", required=True, help="where to write the PNG")


def cmd_card(args: argparse.Namespace, settings: Settings) -> int:
    """Pick a quote like ``corpusbot quote``, draw its card, write it; exit 1 when no quote fits."""
    from bot.cli import EXIT_NO_ANSWER, EXIT_OK, load_library

    library, _ = load_library(settings, warm=False)
    try:
        quote, document = library.quote(
            document=args.document, contains=args.contains, speaker=args.speaker
        )
    except UserError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_NO_ANSWER
    started = time.perf_counter()
    png = render_card(*card_text(quote, document), args.style)
    elapsed = time.perf_counter() - started
    out = Path(args.out)
    out.write_bytes(png)
    words, who, source = card_text(quote, document)
    print(f"{out}: {len(png):,} bytes, drawn in {elapsed * 1000:.0f} ms")
    print(f"“{words}” {who} ({source})")
    return EXIT_OK

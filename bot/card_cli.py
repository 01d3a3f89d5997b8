"""``corpusbot card``: a quote card written to a PNG file from the terminal."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bot.core.errors import UserError
from bot.settings import Settings


class _Styles:
    """The card styles as argparse choices, read from :mod:`bot.cards` only when a ``--style``
    is checked or listed (Pillow and the fonts load for the ``card`` command, not for every
    command the CLI parses)."""

    def __contains__(self, value: object) -> bool:
        from bot.cards import STYLES

        return value in STYLES

    def __iter__(self) -> Iterator[str]:
        from bot.cards import STYLES

        return iter(sorted(STYLES))


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Register ``card`` with the CLI's sub-commands."""
    card = sub.add_parser("card", parents=[common], help="write a quote card (PNG image)")
    card.add_argument("--document", help="document id or title")
    card.add_argument("--contains", help="a word or phrase the quote should contain")
    card.add_argument("--speaker", help="only words said by this person")
    card.add_argument("--style", choices=_Styles(), metavar="STYLE", help="the look: %(choices)s")
    card.add_argument("--out", metavar="FILE.png", required=True, help="where to write the PNG")


def out_problem(out: Path) -> str | None:
    """Why ``out`` cannot be written (checked before the corpus loads), or ``None``: its folder
    is missing or not a folder, it is a folder itself, or the folder is not writable."""
    folder = out.parent
    if out.is_dir():
        return "it is a folder; give a file name such as quote.png"
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} is not writable"
    return None


def cmd_card(args: argparse.Namespace, settings: Settings) -> int:
    """Pick a quote like ``corpusbot quote``, draw its card, write it; exit 1 when no quote fits."""
    from bot.cards import DEFAULT_STYLE, render_card  # Pillow and fonts: only for this command
    from bot.cli import EXIT_BAD_INPUT, EXIT_NO_ANSWER, EXIT_OK, load_library
    from bot.render_community import card_text  # imports discord: only for this command

    out = Path(args.out)
    problem = out_problem(out)
    if problem:
        sys.stderr.write(f"cannot write the card to {out}: {problem}\n")
        return EXIT_BAD_INPUT
    library, _ = load_library(settings, warm=False)
    try:
        quote, document = library.quote(
            document=args.document, contains=args.contains, speaker=args.speaker
        )
    except UserError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_NO_ANSWER
    started = time.perf_counter()
    png = render_card(*card_text(quote, document), args.style or DEFAULT_STYLE)
    elapsed = time.perf_counter() - started
    try:
        out.write_bytes(png)
    except OSError as error:
        sys.stderr.write(f"cannot write the card to {out}: {error.strerror or error}\n")
        return EXIT_BAD_INPUT
    words, who, source = card_text(quote, document)
    print(f"{out}: {len(png):,} bytes, drawn in {elapsed * 1000:.0f} ms")
    print(f"“{words}” {who} ({source})")
    return EXIT_OK

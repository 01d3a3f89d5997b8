"""``corpusbot reading DOCUMENT``: the reading club's plan for a document, before starting it.

Lists the instalments ``/reading start`` would post (a chapter a day, or ``--paragraphs N`` a
day) with their size: paragraphs, words and the Discord pages each takes.
"""

from __future__ import annotations

import argparse
import json

from bot.core.errors import UserError
from bot.core.reading import CHAPTER, DEFAULT_PARAGRAPHS, MAX_PARAGRAPHS, instalments
from bot.core.text import count_words
from bot.settings import Settings


def _paragraphs(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PARAGRAPHS:
        raise argparse.ArgumentTypeError(f"give a whole number from 1 to {MAX_PARAGRAPHS}")
    return number


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Register ``reading`` with the CLI's sub-commands."""
    reading = sub.add_parser(
        "reading", parents=[common], help="preview a document's reading-club instalments"
    )
    reading.add_argument("document", metavar="DOCUMENT", help="document id or title")
    reading.add_argument(
        "--paragraphs",
        type=_paragraphs,
        metavar="N",
        help="paragraphs a day (default: a chapter a day, as /reading start)",
    )
    reading.add_argument("--json", action="store_true", help="print JSON")


def cmd_reading(args: argparse.Namespace, settings: Settings) -> int:
    """Print each instalment's heading and size; exit 1 for an unknown document."""
    from bot import render  # imports discord: only for this command
    from bot.cli import EXIT_NO_ANSWER, EXIT_OK, load_library
    from bot.cli._setup import _no_answer
    from bot.render_community import instalment_heading, instalment_pages

    library, _ = load_library(settings, warm=False)
    try:
        document = library.document(args.document)
    except UserError as error:
        return _no_answer(args, error)  # JSON with --json
    if document is None:
        return EXIT_NO_ANSWER
    size = args.paragraphs or CHAPTER
    rows = []
    for instalment in instalments(document, size):
        paragraphs = [
            document.paragraph(n).text for n in range(instalment.first, instalment.last + 1)
        ]
        rows.append(
            {
                "day": instalment.day,
                "heading": instalment_heading(instalment),
                "first": instalment.first,
                "last": instalment.last,
                "paragraphs": len(paragraphs),
                "words": sum(count_words(p) for p in paragraphs),
                "pages": len(instalment_pages(document, instalment)),
            }
        )
    if args.json:
        print(json.dumps({"document": document.id, "instalments": rows}, ensure_ascii=False))
        return EXIT_OK
    pace = f"{size} paragraphs a day" if size else "a chapter a day"
    if not size and not document.sections:
        pace += f" (no chapters found: {DEFAULT_PARAGRAPHS} paragraphs a day)"
    count = f"{len(rows)} instalment{'s' if len(rows) != 1 else ''}"
    print(f"{render.document_label(document)}: {count}, {pace}")
    for row in rows:
        page_word = "page" if row["pages"] == 1 else "pages"
        where = f" (¶{row['first']}–{row['last']})" if not size else ""
        print(
            f"  {row['heading']}{where}: {row['paragraphs']} paragraphs, "
            f"{row['words']:,} words, {row['pages']} {page_word}"
        )
    return EXIT_OK

"""The argparse parser of every sub-command; the common options may come before or after
the sub-command.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot import card_cli, reading_cli


def _common_options(*, after_command: bool) -> argparse.ArgumentParser:
    """``--config``, ``--corpus`` and ``-v``, accepted before and after the sub-command.

    The main parser holds the defaults; each sub-parser gets the same options with
    ``default=argparse.SUPPRESS``, so an option given before the sub-command is not reset by
    the sub-parser, and one given after it wins; ``--corpus`` given in both places adds up
    (in order).
    """
    common = argparse.ArgumentParser(add_help=False)
    default: Any = argparse.SUPPRESS if after_command else None
    common.add_argument(
        "--config",
        metavar="FILE",
        default=default,
        help="config file (default: $CORPUSBOT_CONFIG or ./config.yaml if present)",
    )
    common.add_argument(
        "--corpus",
        metavar="DIR",
        action="append",
        # a sub-parser's values replace the main parser's in the namespace, so the two lists
        # are kept under two names and joined by _corpus_args
        dest="corpus_after" if after_command else "corpus",
        default=default,
        help="corpus folder or file (repeatable; replaces corpus.paths)",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS if after_command else False,
        help="debug logging",
    )
    return common


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("corpusbot")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command; the common options (``--config``,
    ``--corpus``, ``-v``) may come before or after the sub-command."""
    common = _common_options(after_command=True)
    parser = argparse.ArgumentParser(
        prog="corpusbot",
        description="A Discord bot that serves a corpus of documents.",
        parents=[_common_options(after_command=False)],
    )
    parser.add_argument("--version", action="version", version=f"corpusbot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_setup_commands(sub, common)
    _add_answer_commands(sub, common)
    _add_admin_commands(sub, common)
    card_cli.add_parser(sub, common)
    reading_cli.add_parser(sub, common)
    return parser


def _add_setup_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``run``, ``check``, ``show`` and ``console``: start the bot or look at what it loads."""
    run = sub.add_parser("run", parents=[common], help="connect to Discord (needs DISCORD_TOKEN)")
    run.add_argument(
        "--sync", action="store_true", help="register the slash commands with Discord now"
    )

    check = sub.add_parser(
        "check", parents=[common], help="validate config and corpus, print what loaded"
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 also when a file loaded with a caveat (decoding, duplicate, id); a file "
        "that did not load always exits 1",
    )
    check.add_argument("--json", action="store_true", help="print every file's details as JSON")
    show = sub.add_parser(
        "show", parents=[common], help="print documents as the bot reads them (sections, text)"
    )
    show.add_argument("documents", nargs="*", metavar="DOCUMENT", help="id, title or file name")
    show.add_argument("--json", action="store_true", help="print JSON")
    sub.add_parser(
        "console", parents=[common], help="try the commands in the terminal, no Discord needed"
    )


def _add_answer_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``quote``, ``quotes``, ``search``, ``summary`` and ``sources``: the bot's answers in the
    terminal."""
    quote = sub.add_parser("quote", parents=[common], help="print a quotable line")
    quote.add_argument("--document", help="document id or title")
    quote.add_argument("--contains", help="a word or phrase the quote should contain")
    quote.add_argument("--speaker", help="only words said by this person")
    quote.add_argument("--json", action="store_true", help="print JSON")

    quotes = sub.add_parser(
        "quotes", parents=[common], help="a document's most quotable lines, best first"
    )
    quotes.add_argument("document", help="document id or title")
    quotes.add_argument(
        "--top", type=int, default=20, help="how many lines (default 20)", metavar="N"
    )
    quotes.add_argument("--json", action="store_true", help="print JSON")

    search = sub.add_parser("search", parents=[common], help="find passages matching a phrase")
    search.add_argument(
        "query", nargs="*", help="the phrase, typos and all (quotes optional: words are joined)"
    )
    search.add_argument("--document", help="document id or title")
    search.add_argument("--limit", type=int, help="how many passages (1-10)")
    search.add_argument(
        "--batch", metavar="FILE", help="one query per line ('-' for stdin); load once, answer each"
    )
    search.add_argument("--json", action="store_true", help="print JSON")

    summary = sub.add_parser("summary", parents=[common], help="print an extractive summary")
    summary.add_argument("document", nargs="?", help="document id or title (default: the first)")
    summary.add_argument(
        "--document", dest="document_option", metavar="DOCUMENT", help="the same, as an option"
    )
    summary.add_argument(
        "--length",
        choices=["short", "medium", "long", "key_points"],
        help="short (1-2 sentences), medium (3-5), long (about 10%%, at most 25 sentences) or "
        "key_points",
    )
    summary.add_argument("--sentences", type=int, help="exactly this many sentences (1-25)")
    summary.add_argument("--section", help="only this chapter or section (number or title)")
    summary.add_argument("--json", action="store_true", help="print JSON")

    sources = sub.add_parser("sources", parents=[common], help="list the documents")
    sources.add_argument("document", nargs="?", help="one document's details (id or title)")
    sources.add_argument("--json", action="store_true", help="print JSON")


def _add_admin_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``migrate``, ``schedule`` and ``commands``: storage, daily posts and the command payload."""
    sub.add_parser(
        "migrate", parents=[common], help="apply the storage migrations to the configured database"
    )
    schedule = sub.add_parser(
        "schedule", parents=[common], help="next send times of the configured daily posts"
    )
    schedule.add_argument(
        "--now", metavar="ISO-INSTANT", help="as of this instant, e.g. 2026-03-29T00:30:00Z"
    )
    schedule.add_argument("--json", action="store_true", help="print JSON")

    commands = sub.add_parser(
        "commands", parents=[common], help="the application commands the bot syncs to Discord"
    )
    commands.add_argument("--json", action="store_true", help="print the exact sync payload")

"""Command line: ``corpusbot`` / ``python -m bot``.

Sub-commands:

* ``run``: connect to Discord (needs ``DISCORD_TOKEN``).
* ``check``: validate the config and the corpus; print a table of what loaded.
* ``console``: type ``/quote``, ``/search …``, ``/summary`` and see the bot's replies as text.
* ``quote``, ``search``, ``summary``: one-shot answers, ``--json`` for scripts.
* ``schedule``: the configured daily posts' next send times.

Exit codes: 0 success, 1 a user-level "no answer" (nothing matched), 2 bad config, corpus or
usage. Parsing uses the standard library's argparse; progress display uses rich.

The package holds ``main`` and the command table; the sub-commands live in ``_setup`` (settings,
corpus loading, logging), ``_run``, ``_check`` (``check``, ``show``), ``_schedule``, ``_answers``
(``quote``, ``quotes``, ``search``, ``summary``, ``sources``), ``_batch`` (``search --batch``),
``_console`` (the console's line parsing) and ``_parser`` (argparse).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from bot import card_cli, reading_cli
from bot.cli._answers import (
    _answer,
    cmd_oneshot,
    cmd_quotes,
)
from bot.cli._batch import (
    BATCH_MAX_BYTES,
    read_batch_queries,
)
from bot.cli._check import (
    cmd_check,
    cmd_show,
    corpus_table,
    problem_counts,
    store_rows,
)
from bot.cli._console import (
    CONSOLE_HELP,
    CONSOLE_OPTIONS,
    _line_editing,
    cmd_console,
    parse_console_line,
)
from bot.cli._parser import (
    build_parser,
)
from bot.cli._run import (
    NO_TOKEN_MESSAGE,
    cmd_run,
)
from bot.cli._schedule import (
    cmd_schedule,
)
from bot.cli._setup import (
    EXIT_BAD_INPUT,
    EXIT_NO_ANSWER,
    EXIT_OK,
    _setup_logging,
    check_with_corpus,
    load_library,
    load_settings_from_args,
    log,
)
from bot.command_payload import cmd_commands
from bot.core.errors import CorpusError
from bot.migrate import cmd_migrate
from bot.settings import ConfigError, Settings

__all__ = [
    "BATCH_MAX_BYTES",
    "COMMANDS",
    "CONSOLE_HELP",
    "CONSOLE_OPTIONS",
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NO_ANSWER",
    "EXIT_OK",
    "NO_TOKEN_MESSAGE",
    "QUIET_COMMANDS",
    "_answer",
    "_line_editing",
    "_setup_logging",
    "build_parser",
    "check_with_corpus",
    "cmd_check",
    "cmd_console",
    "cmd_oneshot",
    "cmd_quotes",
    "cmd_run",
    "cmd_schedule",
    "cmd_show",
    "corpus_table",
    "load_library",
    "load_settings_from_args",
    "log",
    "main",
    "parse_console_line",
    "problem_counts",
    "read_batch_queries",
    "store_rows",
]


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "run": cmd_run,
    "check": cmd_check,
    "show": cmd_show,
    "console": cmd_console,
    "quote": cmd_oneshot,
    "quotes": cmd_quotes,
    "search": cmd_oneshot,
    "summary": cmd_oneshot,
    "sources": cmd_oneshot,
    "schedule": cmd_schedule,
    "migrate": cmd_migrate,
    "commands": cmd_commands,
    "card": card_cli.cmd_card,
    "reading": reading_cli.cmd_reading,
}


#: Commands whose output is the answer itself (``check`` prints its own table): info logs
#: would only get in the way; ``-v`` shows them (and debug logs).
QUIET_COMMANDS = {
    "sources",
    "card",
    "reading",
    "quote",
    "quotes",
    "search",
    "summary",
    "console",
    "schedule",
    "check",
    "show",
    "migrate",
    "commands",
}


#: Exit status after Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``corpusbot`` and ``python -m bot``. Returns the exit code.

    Ctrl-C ends any command with exit status 130 and no traceback; output piped into a reader
    that stops early (``corpusbot quote | head -1``) ends quietly (the Python documentation's
    advice for SIGPIPE: the rest of the output goes to ``os.devnull``)."""
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if isinstance(getattr(args, "query", None), list):
        args.query = " ".join(args.query) or None
    try:
        settings = load_settings_from_args(args)
    except ConfigError as error:
        _setup_logging(None)
        return _config_failed(args, error)
    _setup_logging(settings, args.verbose, quiet=args.command in QUIET_COMMANDS)
    try:
        return COMMANDS[args.command](args, settings)
    except ConfigError as error:
        return _config_failed(args, error)
    except CorpusError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_BAD_INPUT


def _config_failed(args: argparse.Namespace, error: ConfigError) -> int:
    """Report a configuration that cannot be used (exit 2): the message on stderr and, for
    ``check --json``, a JSON object with the problems on stdout."""
    sys.stderr.write(f"{error}\n")
    if args.command == "check" and getattr(args, "json", False):
        record = {
            "ok": False,
            "config": str(error.path) if error.path is not None else None,
            "config_problems": error.records(),
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return EXIT_BAD_INPUT

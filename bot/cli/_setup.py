"""What every sub-command shares: exit codes, settings from the command line, loading the
corpus (reporting bad files), config checks that need the corpus, logging, JSON output.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.core.library import Library
from bot.core.models import LoadProblem
from bot.core.store import StoreReport
from bot.settings import ConfigError, Settings, check_daily_documents, check_storage, load_settings

log = logging.getLogger("corpusbot")

EXIT_OK, EXIT_NO_ANSWER, EXIT_BAD_INPUT = 0, 1, 2


def _config_path(args: argparse.Namespace) -> Path | None:
    if args.config:
        return Path(args.config)
    env = os.environ.get("CORPUSBOT_CONFIG")
    if env:
        return Path(env)
    default = Path("config.yaml")
    return default if default.is_file() else None


def _corpus_args(args: argparse.Namespace) -> list[str]:
    """Every ``--corpus`` in command-line order: those before the sub-command, then those after
    it (argparse keeps them apart, see :func:`_common_options`)."""
    return [*(getattr(args, "corpus", None) or []), *(getattr(args, "corpus_after", None) or [])]


def load_settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from ``--config`` (or ``CORPUSBOT_CONFIG``, or ``./config.yaml``) and ``--corpus``."""
    corpus = _corpus_args(args)
    return load_settings(_config_path(args), corpus_paths=corpus or None)


def load_library(
    settings: Settings, *, stream: TextIO = sys.stderr, warm: bool = True
) -> tuple[Library, dict[str, float]]:
    """Load the corpus through the corpus store and build the library; report bad files.

    Raises :class:`CorpusError`, or :class:`ConfigError` for a ``corpus.paths`` entry that does
    not exist. ``warm`` is kept for callers; everything is built (or read from the store) now.
    """
    return _load(settings, stream=stream)[:2]


def _load(
    settings: Settings,
    *,
    stream: TextIO = sys.stderr,
    problems: Callable[[LoadProblem], None] | None = None,
) -> tuple[Library, dict[str, float], StoreReport]:
    """Load the library, logging each load problem (and passing it to ``problems``)."""
    from bot.loading import load_library as load

    def report(problem: LoadProblem) -> None:
        level = logging.ERROR if problem.fatal else logging.WARNING
        log.log(level, "%s: %s%s", problem.path, problem.reason, _loaded_note(problem))
        if problems is not None:
            problems(problem)

    loaded = load(settings, stream=stream, problems=report)
    return loaded.library, loaded.timings, loaded.report


def check_with_corpus(settings: Settings, library: Library, *, storage: bool = False) -> None:
    """The config checks that need the loaded corpus (``daily[].documents`` ids) and, with
    ``storage``, the file system (``storage.path``). Raises one :class:`ConfigError` listing
    every problem (exit 2, like any config error)."""
    problems: list[str] = []
    checks: list[Callable[[], None]] = []
    if storage:
        checks.append(lambda: check_storage(settings))
    ids = {d.id for d in library.corpus}
    aliases = {d.title.casefold(): d.id for d in library.corpus}
    aliases.update({Path(d.path).stem.casefold(): d.id for d in library.corpus if d.path})
    checks.append(lambda: check_daily_documents(settings, ids, aliases=aliases))
    for check in checks:
        try:
            check()
        except ConfigError as error:
            problems.extend(error.problems)
    if problems:
        raise ConfigError(settings.config_path, problems)


def _setup_logging(
    settings: Settings | None, verbose: bool = False, *, quiet: bool = False
) -> None:
    """Log to stderr at the configured level; ``quiet`` (one-shot commands) shows warnings only."""
    level = "DEBUG" if verbose else (settings.logging.level if settings else "INFO")
    if quiet and not verbose:
        level = "WARNING"
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    from bot import logs

    logs.install()  # interaction tokens never reach a log line (they are credentials)
    # The bot has no voice features: discord.py's warnings about voice libraries are noise.
    logging.getLogger("discord.client").addFilter(lambda record: "voice" not in record.getMessage())


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _no_answer(args: Any, error: Exception) -> int:
    """Report a refused request (an unknown document, nothing matched): ``{"error": …}`` on
    stdout with ``--json``, else the message on stderr. Returns :data:`EXIT_NO_ANSWER`."""
    if getattr(args, "json", False):
        _print_json({"error": str(error)})
    else:
        sys.stderr.write(f"{error}\n")
    return EXIT_NO_ANSWER


def _loaded_note(problem: LoadProblem) -> str:
    """``" (loaded)"`` after a caveat about a file that did load; nothing after an error or a skip."""
    return "" if problem.fatal or problem.skipped else " (loaded)"

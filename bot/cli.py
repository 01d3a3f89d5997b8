"""Command line: ``corpusbot`` / ``python -m bot``.

Sub-commands:

* ``run``: connect to Discord (needs ``DISCORD_TOKEN``).
* ``check``: validate the config and the corpus; print a table of what loaded.
* ``console``: type ``/quote``, ``/search …``, ``/summary`` and see the bot's replies as text.
* ``quote``, ``search``, ``summary``: one-shot answers, ``--json`` for scripts.
* ``schedule``: the configured daily posts' next send times.

Exit codes: 0 success, 1 a user-level "no answer" (nothing matched), 2 bad config, corpus or
usage. Parsing uses the standard library's argparse; progress display uses rich.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import re
import shlex
import stat
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bot import card_cli, reading_cli, render, sharding, simclock
from bot.command_payload import cmd_commands
from bot.core.daily import EARLIEST_NOW, LATEST_NOW, zone_label
from bot.core.errors import CorpusError, UserError
from bot.core.library import Library
from bot.core.models import Corpus, Document, LoadProblem
from bot.core.store import StoreReport
from bot.migrate import cmd_migrate, describe_target
from bot.settings import (
    ConfigError,
    Settings,
    check_daily_documents,
    check_storage,
    load_settings,
)

log = logging.getLogger("corpusbot")

EXIT_OK, EXIT_NO_ANSWER, EXIT_BAD_INPUT = 0, 1, 2

NO_TOKEN_MESSAGE = """\
No Discord token: set the DISCORD_TOKEN environment variable and run again.

  1. Open https://discord.com/developers/applications and create an application.
  2. Under "Bot", press "Reset Token" and copy it (keep it secret).
  3. export DISCORD_TOKEN='<the token>'   then   corpusbot run
  4. Invite the bot with the OAuth2 URL generator: scopes "bot" and "applications.commands",
     bot permissions "Send Messages" and "Embed Links"; no privileged intents are needed.

To try the bot without Discord, run:  corpusbot console
"""


# ---------------------------------------------------------------------------------------------
# Shared set-up
# ---------------------------------------------------------------------------------------------


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
    settings: Settings, *, stream: TextIO = sys.stderr
) -> tuple[Library, dict[str, float], StoreReport]:
    from bot.loading import load_library as load

    def report(problem: LoadProblem) -> None:
        level = logging.ERROR if problem.fatal else logging.WARNING
        log.log(level, "%s: %s%s", problem.path, problem.reason, _loaded_note(problem))

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


# ---------------------------------------------------------------------------------------------
# Sub-commands
# ---------------------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Connect to Discord and serve until interrupted."""
    import asyncio
    import sqlite3

    import aiohttp
    import discord

    from bot.client import CorpusBot, point_at

    token = settings.token()
    if not token:
        sys.stderr.write(NO_TOKEN_MESSAGE)
        return EXIT_BAD_INPUT
    for warning in settings.warnings:
        log.warning("%s", warning)
    check_storage(settings)  # before the corpus load, which can take a while
    library, _ = load_library(settings)
    check_with_corpus(settings, library)
    point_at(settings.discord.api_base, settings.discord.gateway_url)

    simulated = os.environ.get(simclock.ENV)
    clock = simclock.parse(simulated) if simulated else None

    async def main() -> None:
        bot = CorpusBot(settings, library, sync=args.sync, clock=clock)
        bot.time_scale = clock.scale if clock is not None else 1.0
        sharding.label_logs(settings.discord.shard_count, settings.discord.shard_ids)
        async with bot:
            endpoints = None
            if settings.health.port is not None:
                from bot import health

                endpoints = await health.serve(bot, settings.health.host, settings.health.port)
            try:
                await bot.start(token)
            finally:
                if endpoints is not None:
                    await endpoints.cleanup()

    try:
        asyncio.run(main())
    except (aiohttp.ClientError, TimeoutError) as error:
        where = settings.discord.api_base or "discord.com"
        log.error(
            "cannot reach Discord at %s (%s). Check the network, a proxy, or discord.api_base.",
            where,
            error.__class__.__name__,
        )
        return EXIT_BAD_INPUT
    except (sqlite3.Error, OSError) as error:
        log.error(
            "cannot use the %s: %s. Check storage.url / storage.path (or CORPUSBOT_STORAGE_URL "
            "/ CORPUSBOT_STORAGE) and that the folder is writable or the server reachable.",
            describe_target(settings),
            error,
        )
        return EXIT_BAD_INPUT
    except discord.LoginFailure:
        log.error(
            "Discord refused the token (401). Reset it under Bot → Reset Token and set DISCORD_TOKEN again."
        )
        return EXIT_BAD_INPUT
    except discord.PrivilegedIntentsRequired:
        log.error(
            "Discord refused the privileged intents enabled in discord.intents. Turn them on in the "
            "Developer Portal (Bot → Privileged Gateway Intents) or set them to false; the bot needs none."
        )
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def corpus_table(
    corpus: Corpus, timings: dict[str, float], report: StoreReport | None = None
) -> list[tuple[str, str]]:
    """Rows of the ``check`` table: documents, paragraphs, sentences, words, problems, timings,
    and what came from the corpus store and what was rebuilt."""
    paragraphs = sum(len(d.paragraphs) for d in corpus)
    sentences = sum(sum(len(p.sentences) for p in d.paragraphs) for d in corpus)
    words = sum(d.word_count for d in corpus)
    rows = [
        ("documents", str(len(corpus))),
        ("paragraphs", str(paragraphs)),
        ("sentences", str(sentences)),
        ("words", str(words)),
        ("files with problems", _problem_count_text(corpus)),
        ("load time", f"{timings['load_s'] * 1000:.0f} ms"),
        ("search index time", f"{timings.get('index_s', 0) * 1000:.0f} ms"),
        ("quotes, summaries", f"{timings.get('derive_s', 0) * 1000:.0f} ms"),
    ]
    if report is not None:
        rows += store_rows(report)
    rows.append(("memory (RSS)", f"{_rss_mb():.0f} MB"))
    return rows


def store_rows(report: StoreReport) -> list[tuple[str, str]]:
    """The ``check`` rows about the corpus store: its folder, what came from it, what was rebuilt."""
    if report.folder is None:
        return [
            ("corpus store", "none (storage folder missing or in memory; set corpus.cache_dir)")
        ]
    stored = [
        f"{_plural(report.documents_from_store, 'document')}",
        f"{report.derived_from_store} with quotes and summaries",
    ]
    built = [
        f"{report.documents_parsed} parsed",
        f"{report.derived_built} derived",
    ]
    (stored if report.index_from_store else built).append("search index")
    rows = [
        ("corpus store", str(report.folder)),
        ("from the store", ", ".join(stored)),
        ("rebuilt", ", ".join(built)),
    ]
    if report.damaged:
        rows.append(("damaged store files", f"{len(report.damaged)} (rebuilt)"))
    if report.write_error:
        rows.append(("store not written", report.write_error))
    return rows


def problem_counts(corpus: Corpus) -> tuple[int, int, int]:
    """``(files with problems, document files not loaded, manifests not used)`` of a load.

    Files are counted once however many problems they have; files skipped by design (an
    unsupported type) are not problems. A broken ``corpus.yaml`` is a manifest not used, not a
    document that failed to load (the documents load without it).
    """
    from bot.core.loader import MANIFEST_NAME

    with_problems = {p.path for p in corpus.problems if not p.skipped}
    fatal = {p.path for p in corpus.problems if p.fatal and not p.skipped}
    manifests = {path for path in fatal if Path(path).name == MANIFEST_NAME}
    return len(with_problems), len(fatal - manifests), len(manifests)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _problem_count_text(corpus: Corpus) -> str:
    """``"3 (1 not loaded, 1 manifest not used)"``, ``"1"`` or ``"0"``."""
    files, not_loaded, manifests = problem_counts(corpus)
    parts = [f"{not_loaded} not loaded"] if not_loaded else []
    if manifests:
        parts.append(f"{_plural(manifests, 'manifest')} not used")
    return f"{files} ({', '.join(parts)})" if parts else str(files)


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate config and corpus, print what loaded."""
    from rich.console import Console
    from rich.table import Table

    for warning in settings.warnings:
        log.warning("%s", warning)
    library, timings, report = _load(settings)
    check_with_corpus(settings, library, storage=True)
    if args.json:
        return _check_json(args, library.corpus, timings)
    console = Console() if sys.stdout.isatty() else Console(width=160)
    table = Table(title="corpus", show_header=False)
    for key, value in corpus_table(library.corpus, timings, report):
        table.add_row(key, value)
    console.print(table)
    console.print(_files_table(library.corpus))
    if library.corpus.problems:
        problems = Table(title="files not loaded (or loaded with a caveat)")
        problems.add_column("path")
        problems.add_column("reason")
        for p in library.corpus.problems:
            problems.add_row(p.path, p.reason + _loaded_note(p))
        console.print(problems)
    schedule_rows = _schedule_rows(settings, datetime.now(UTC))
    if schedule_rows:
        sched = Table(title="daily schedules (from config)")
        for column in ("guild", "channel", "local time", "next send (UTC)", "next send (local)"):
            sched.add_column(column)
        for row in schedule_rows:
            sched.add_row(
                str(row["guild_id"]),
                str(row["channel_id"]),
                f"{row['time']} {zone_label(row['timezone'])}",
                row["next"][0]["utc_short"],
                row["next"][0]["local_short"],
            )
        console.print(sched)
    files, not_loaded, manifests = problem_counts(library.corpus)
    if files and not (not_loaded or manifests):
        noted = _plural(files, "file")
        console.print(
            f"[green]config and corpus OK[/green]; {noted} loaded with a caveat (see above)"
        )
        return EXIT_OK
    if not_loaded or manifests:
        parts = [_plural(len(library.corpus), "document") + " loaded"]
        if not_loaded:
            parts.append(f"{_plural(not_loaded, 'file')} not loaded")
        if manifests:
            parts.append(f"{_plural(manifests, 'corpus manifest')} not used")
        console.print(f"[yellow]config OK; {', '.join(parts)} (see above)[/yellow]")
        return EXIT_NO_ANSWER if args.strict else EXIT_OK
    console.print("[green]config and corpus OK[/green]")
    return EXIT_OK


def _files_table(corpus: Corpus) -> Any:
    """The ``check`` table of every file: format, title, author, sections, paragraphs, words and
    warnings (:func:`bot.inspection.file_rows`)."""
    from rich.table import Table

    from bot.inspection import file_rows

    table = Table(title="files")
    for column in ("file", "format", "id", "title", "author", "sections", "paragraphs", "words"):
        table.add_column(column)
    table.add_column("warnings")
    for row in file_rows(corpus):
        table.add_row(
            Path(row["file"]).name if row["status"] == "loaded" else row["file"],
            row["format"],
            row["id"] or f"({row['status']})",
            row["title"] or "-",
            row["author"] or "-",
            *(str(row[k]) for k in ("sections", "paragraphs", "words")),
            "; ".join(row["warnings"]),
        )
    return table


def _check_json(args: argparse.Namespace, corpus: Corpus, timings: dict[str, float]) -> int:
    """``check --json``: the files and the counts; exit code as without ``--json``."""
    from bot.inspection import file_rows

    files, not_loaded, manifests = problem_counts(corpus)
    _print_json(
        {
            "documents": len(corpus),
            "files_with_problems": files,
            "not_loaded": not_loaded,
            "manifests_not_used": manifests,
            "load_ms": round(timings["load_s"] * 1000),
            "files": file_rows(corpus),
        }
    )
    return EXIT_NO_ANSWER if args.strict and (not_loaded or manifests) else EXIT_OK


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """``show [DOCUMENT ...] [--json]``: each named document (all when none is named) as JSON
    or as a readable outline."""
    from bot.inspection import document_json, outline

    library, _ = load_library(settings)
    corpus = library.corpus
    chosen: list[Document] = []
    for name in args.documents or []:
        found = _find_document(corpus, name)
        if found is None:
            sys.stderr.write(
                f"No document '{name}'. Known ids: {', '.join(d.id for d in corpus)}\n"
            )
            return EXIT_BAD_INPUT
        chosen.append(found)
    chosen = chosen or list(corpus)
    if args.json:
        _print_json([document_json(d) for d in chosen])
    else:
        for document in chosen:
            sys.stdout.write("\n".join(outline(document)) + "\n\n")
    return EXIT_OK


def _find_document(corpus: Corpus, name: str) -> Document | None:
    """A document by id, title or file name (case-insensitive)."""
    key = name.casefold()
    for document in corpus:
        names = {document.id, document.title.casefold(), Path(document.path).name.casefold()}
        if key in names or key == Path(document.path).stem.casefold():
            return document
    return None


def _loaded_note(problem: LoadProblem) -> str:
    """``" (loaded)"`` after a caveat about a file that did load; nothing after an error or a skip."""
    return "" if problem.fatal or problem.skipped else " (loaded)"


def _schedule_rows(settings: Settings, now: datetime, count: int = 3) -> list[dict[str, Any]]:
    try:
        from bot.core.daily import next_send_times
    except ImportError:  # pragma: no cover - daily posts not built in this checkout
        return []
    rows = []
    for schedule in settings.daily:
        times = next_send_times(schedule.to_core(), now, count)
        rows.append(
            {
                "guild_id": schedule.guild_id,
                "channel_id": schedule.channel_id,
                "time": schedule.time.strftime("%H:%M"),
                "timezone": schedule.timezone,
                "next": [
                    {
                        "utc": t.astimezone(UTC).isoformat(),
                        "local": t.astimezone(schedule.zone).isoformat(),
                        "utc_short": t.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
                        "local_short": t.astimezone(schedule.zone).strftime("%Y-%m-%d %H:%M %Z"),
                    }
                    for t in times
                ],
            }
        )
    return rows


def _utc_text(instant: datetime) -> str:
    """``0002-01-01T00:00:00Z``: ISO 8601 in UTC with a ``Z`` (four-digit years)."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def cmd_schedule(args: argparse.Namespace, settings: Settings) -> int:
    """Print each configured schedule's next send times as of ``--now``."""
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            sys.stderr.write(
                f"--now: {args.now!r} is not an ISO instant; example: 2026-03-29T00:30:00+00:00\n"
            )
            return EXIT_BAD_INPUT
        if now.tzinfo is None:
            sys.stderr.write("--now needs a UTC offset, e.g. 2026-03-29T00:30:00Z or +01:00\n")
            return EXIT_BAD_INPUT
        if not EARLIEST_NOW <= now <= LATEST_NOW:
            sys.stderr.write(
                f"--now: {args.now!r} is outside the range the schedule can be computed for: "
                f"from {_utc_text(EARLIEST_NOW)} to {_utc_text(LATEST_NOW)}\n"
            )
            return EXIT_BAD_INPUT
    else:
        now = datetime.now(UTC)
    if settings.daily:
        library, _ = load_library(settings, warm=False)
        check_with_corpus(settings, library)
    rows = _schedule_rows(settings, now)
    if args.json:
        _print_json({"now": now.astimezone(UTC).isoformat(), "schedules": rows})
        return EXIT_OK
    if not rows:
        print("No daily schedules in the config (servers set theirs with /daily set).")
        return EXIT_OK
    for row in rows:
        print(
            f"guild {row['guild_id']} channel {row['channel_id']}: {row['time']} "
            f"{zone_label(row['timezone'])}"
        )
        for t in row["next"]:
            print(f"  {t['utc']}  (local {t['local']})")
    return EXIT_OK


def _whole_number(options: dict[str, Any], name: str, low: int, high: int) -> int | None:
    """Option ``name`` as an int in ``[low, high]``, or ``None`` when absent. Raises :class:`UserError`."""
    value = options.get(name)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UserError(
            f"{name} must be a whole number from {low} to {high}, not “{value}”."
        ) from None
    if not low <= number <= high:
        raise UserError(f"{name} must be from {low} to {high}, not {number}.")
    return number


def _answer(
    library: Library,
    settings: Settings,
    command: str,
    options: dict[str, Any],
    rng: random.Random | None = None,
) -> tuple[render.Reply, Any]:
    """One command's reply and its JSON record, shared by the one-shot commands and the console."""
    if command == "quote":
        quote, doc = library.quote(
            document=options.get("document"),
            contains=options.get("contains"),
            speaker=options.get("speaker"),
            rng=rng,
        )
        return render.quote_reply(quote, doc), render.quote_record(quote, doc)
    if command == "search":
        cfg = settings.search
        query = options.get("query") or ""
        hits = library.search(
            query,
            document=options.get("document"),
            limit=_whole_number(options, "limit", 1, 10) or cfg.limit,
            threshold=cfg.threshold,
            min_chars=cfg.min_query_chars,
            max_chars=cfg.max_query_chars,
        )
        corpus = library.corpus
        return render.search_reply(query, hits, corpus), [
            render.search_record(h, corpus) for h in hits
        ]
    if command == "summary":
        length = options.get("length") or settings.summary.length
        sentences = _whole_number(options, "sentences", 1, 25)
        summary, doc = library.summary(
            options.get("document"),
            length=length,
            sentences=sentences,
            section=options.get("section"),
        )
        reply = render.summary_reply(summary, doc, bullets=length == "key_points")
        return reply, render.summary_record(summary, doc)
    if command == "about":
        return render.about_reply(library.corpus), None
    if command == "sources":
        return _sources_answer(library, options.get("document"))
    if command == "daily":
        raise UserError(
            "/daily configures a Discord server, so it only works in Discord. To see the schedules "
            "in your config file, run: corpusbot schedule"
        )
    raise UserError(
        f"Unknown command /{command}. Try /quote, /search, /summary or /about (or /help)."
    )


def _sources_answer(library: Library, document: str | None) -> tuple[render.Reply, Any]:
    """``sources``: one document's details, or every page of the list (as one reply)."""
    if document:
        source, doc, summary = library.source(document)
        record = render.source_record(source, doc)
        record["summary"] = [s.text for s in summary.sentences] if summary else []
        return render.source_reply(source, doc, summary), record
    listed = library.sources()
    pages = range(render.sources_page_count(len(listed)))
    embeds = [e for page in pages for e in render.sources_page(listed, page).embeds]
    return render.Reply(embeds=embeds), [render.source_record(s) for s in listed]


def cmd_quotes(args: argparse.Namespace, settings: Settings) -> int:
    """``quotes DOCUMENT --top N``: a document's most quotable lines in rank order."""
    library, _ = load_library(settings, warm=False)
    try:
        quotes, doc = library.ranked_quotes(args.document, top=args.top)
    except UserError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_NO_ANSWER
    if args.json:
        _print_json(render.ranked_quotes_record(quotes, doc))
    else:
        print(render.ranked_quotes_text(quotes, doc))
    return EXIT_OK


def cmd_oneshot(args: argparse.Namespace, settings: Settings) -> int:
    """``quote``, ``search`` and ``summary`` from the shell."""
    library, _ = load_library(settings, warm=False)
    if args.command == "search" and args.batch:
        if args.query:
            sys.stderr.write("search: give either a QUERY or --batch FILE, not both\n")
            return EXIT_BAD_INPUT
        return _search_batch(args, settings, library)
    options = {k: v for k, v in vars(args).items() if v is not None}
    if options.get("document_option"):
        if options.get("document"):
            sys.stderr.write(
                f"{args.command}: give the document once, either as “{options['document']}” or "
                f"as --document {options['document_option']}, not both\n"
            )
            return EXIT_BAD_INPUT
        options["document"] = options.pop("document_option")
    if args.command == "search" and not args.query:
        sys.stderr.write("search: give a QUERY, or --batch FILE with one query per line\n")
        return EXIT_BAD_INPUT
    try:
        reply, record = _answer(library, settings, args.command, options)
    except UserError as error:
        if args.json:
            _print_json({"error": str(error)})
        else:
            sys.stderr.write(f"{error}\n")
        return EXIT_NO_ANSWER
    if args.json:
        _print_json(record)
    else:
        print(render.reply_text(reply))
    return EXIT_OK


#: The largest ``--batch`` queries file read (bytes): far more queries than a benchmark needs,
#: and a guard against ``/dev/zero`` or a huge file by mistake.
BATCH_MAX_BYTES = 10 * 1024 * 1024


def read_batch_queries(
    source: str, *, stdin: BinaryIO | None = None
) -> tuple[list[str], list[str]]:
    """The lines of a ``--batch`` queries file, and warnings for the operator.

    ``source`` is a path to a regular file or ``-`` for standard input (read as bytes from
    ``stdin``, default ``sys.stdin.buffer``). Decoding as the corpus loader does
    (:func:`bot.core.loader.decode_text`): UTF-8 (with or without BOM), UTF-16 with a BOM, and
    a Windows-1252 fallback reported as a warning.

    Raises:
        UserError: not a regular file (a folder, a named pipe, a device such as ``/dev/zero``),
            unreadable, larger than :data:`BATCH_MAX_BYTES`, binary, or empty; the message names
            the file and the reason.
    """
    from bot.core.loader import DocumentError, decode_text

    name = "standard input" if source == "-" else source
    mb, rest = divmod(BATCH_MAX_BYTES, 1024 * 1024)
    limit = f"{mb} MB" if mb and not rest else f"{BATCH_MAX_BYTES} bytes"
    try:
        if source == "-":
            data = (stdin or sys.stdin.buffer).read(BATCH_MAX_BYTES + 1)
        else:
            path = Path(source)
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
                raise UserError(
                    f"cannot read the queries file {name}: it is {kind}; give a text file with "
                    "one query per line, or - to read standard input"
                )
            if info.st_size > BATCH_MAX_BYTES:
                raise UserError(
                    f"cannot read the queries file {name}: it has {info.st_size} bytes, more than "
                    f"the {limit} allowed; split it into smaller files"
                )
            with path.open("rb") as handle:
                data = handle.read(BATCH_MAX_BYTES + 1)
    except OSError as error:
        raise UserError(f"cannot read the queries file {name}: {error.strerror or error}") from None
    if len(data) > BATCH_MAX_BYTES:
        raise UserError(
            f"cannot read the queries file {name}: more than the {limit} allowed; split it"
        )
    try:
        text, caveats = decode_text(data)
    except DocumentError as error:
        raise UserError(f"cannot read the queries file {name}: {error.reason}") from None
    return text.splitlines(), [f"queries file {name}: {c}" for c in caveats]


def _search_batch(args: argparse.Namespace, settings: Settings, library: Library) -> int:
    """Answer one query per line of ``--batch FILE`` (``-`` for stdin); JSON lines or text."""
    try:
        lines, warnings = read_batch_queries(args.batch)
    except UserError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_BAD_INPUT
    for warning in warnings:
        log.warning("%s", warning)
    results = []
    for line in lines:
        query = line.strip()
        if not query:
            continue
        t0 = time.perf_counter()
        try:
            _, record = _answer(library, settings, "search", {**vars(args), "query": query})
            entry: dict[str, Any] = {"query": query, "hits": record}
        except UserError as error:
            entry = {"query": query, "hits": [], "error": str(error)}
        entry["ms"] = round((time.perf_counter() - t0) * 1000, 2)
        results.append(entry)
        if not args.json:
            best = entry["hits"][0] if entry["hits"] else None
            where = (
                f"{best['title']} ¶{best['paragraph']} score {best['score']}"
                if best
                else entry.get("error", "")
            )
            print(f"{entry['ms']:8.2f} ms  {query!r}: {where}")
    if args.json:
        _print_json(results)
    return EXIT_OK


CONSOLE_HELP = """\
Type a slash command as you would in Discord; options as name:value (quote values with spaces).
  /quote [document:ID] [contains:WORDS] [speaker:NAME] [card:true (written to a PNG file)]
  /search QUERY [document:ID] [limit:N]
  /summary [document:ID] [length:short|medium|long|key_points] [sentences:N] [section:N]
  /sources [document:ID]
  /about      /reload (read the corpus again; SIGHUP does it too)      /help      /quit
"""

_PRIMARY = {"search": "query", "summary": "document", "quote": "contains", "sources": "document"}
"""The option that a command's free text (words without ``name:``) fills."""

CONSOLE_OPTIONS: dict[str, tuple[str, ...]] = {
    "quote": ("document", "contains", "speaker", "card"),
    "search": ("query", "document", "limit"),
    "summary": ("document", "length", "sentences", "section"),
    "sources": ("document",),
    "about": (),
    "reload": (),
}
"""The options each console command accepts, as in Discord."""

_OPTION_TOKEN = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_-]*):(?P<value>.*)$", re.DOTALL)


def _console_tokens(text: str) -> list[str]:
    """Shell-like words; an apostrophe alone ("don't") is a letter, an unclosed " an error."""
    try:
        return shlex.split(text)
    except ValueError:
        pass
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    lexer.quotes = '"'
    try:
        return list(lexer)
    except ValueError:
        raise UserError(
            f"A quotation mark is not closed in “/{text}”. Close it, e.g. "
            '/quote contains:"sleep easy".'
        ) from None


def parse_console_line(line: str) -> tuple[str, dict[str, str]]:
    """Split a console line like ``/search jaw jaw limit:2`` into ``("search", {...})``.

    Words of the form ``name:value`` are options (quote a value with spaces:
    ``contains:"sleep easy"``); other words are the command's free text (the query of
    ``/search``, the document of ``/summary``, the phrase of ``/quote``). Commands other than
    those of :data:`CONSOLE_OPTIONS` are returned as typed, for the caller to refuse.

    Raises:
        UserError: the line is not a slash command; a quotation mark is not closed; an option
            the command does not have (the message lists its options); an option given twice;
            free text and the option it fills given both (``/summary emma document:kim``).
    """
    line = line.strip()
    if not line.startswith("/"):
        raise UserError("Commands start with a slash, e.g. /quote or /search jaw jaw. Type /help.")
    tokens = _console_tokens(line[1:])
    if not tokens:
        raise UserError("Type a command after the slash, e.g. /quote. Type /help.")
    command, rest = tokens[0].lower(), tokens[1:]
    allowed = CONSOLE_OPTIONS.get(command)
    options: dict[str, str] = {}
    free: list[str] = []
    for token in rest:
        match = _OPTION_TOKEN.match(token)
        if match is None:
            free.append(token)
            continue
        name, value = match.group("name").lower(), match.group("value")
        if allowed is not None and name not in allowed and (not value or value.startswith("/")):
            free.append(token)  # "Note:" or "https://…" in a query is a word, not an option
            continue
        if allowed is not None and name not in allowed:
            listed = ", ".join(f"{o}:" for o in allowed) if allowed else "none"
            raise UserError(
                f"/{command} has no option “{match.group('name')}:”. Its options: {listed}."
            )
        if name in options:
            raise UserError(f"The option {name}: is given twice; give it once.")
        options[name] = value
    if free and command in _PRIMARY:
        primary = _PRIMARY[command]
        if primary in options:
            raise UserError(
                f"“{' '.join(free)}” and {primary}:{options[primary]} both give the {primary}; "
                "give it once."
            )
        options[primary] = " ".join(free)
    elif free and allowed is not None:
        raise UserError(f"/{command} takes no text, only options; “{' '.join(free)}” is extra.")
    return command, options


def _line_editing() -> None:
    """Line editing and history (arrow keys, Ctrl-R) for ``input()``: importing the standard
    ``readline`` module turns them on; absent on some platforms, where the prompt stays plain."""
    with contextlib.suppress(ImportError):  # Windows without pyreadline
        import readline  # noqa: F401


def cmd_console(
    args: argparse.Namespace, settings: Settings, *, stdin: TextIO | None = None
) -> int:
    """An interactive prompt that answers slash commands as the bot would (see bot.console)."""
    from bot.console import run_console

    return run_console(settings, stdin=stdin)


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------


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

    run = sub.add_parser("run", parents=[common], help="connect to Discord (needs DISCORD_TOKEN)")
    run.add_argument(
        "--sync", action="store_true", help="register the slash commands with Discord now"
    )

    check = sub.add_parser(
        "check", parents=[common], help="validate config and corpus, print what loaded"
    )
    check.add_argument(
        "--strict", action="store_true", help="exit 1 if any corpus file could not be loaded"
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
    card_cli.add_parser(sub, common)
    reading_cli.add_parser(sub, common)
    return parser


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

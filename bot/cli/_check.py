"""``corpusbot check`` (config and corpus validated, tables of what loaded) and
``corpusbot show`` (documents as the bot reads them).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli._schedule import _schedule_rows
from bot.cli._setup import (
    EXIT_NO_ANSWER,
    EXIT_OK,
    _load,
    _loaded_note,
    _no_answer,
    _print_json,
    check_with_corpus,
    load_library,
    log,
)
from bot.core.daily import zone_label
from bot.core.errors import CorpusError, UserError
from bot.core.models import Corpus, Document, LoadProblem
from bot.core.store import StoreReport
from bot.settings import Settings


def corpus_table(
    corpus: Corpus, timings: dict[str, float], report: StoreReport | None = None
) -> list[tuple[str, str]]:
    """Rows of the ``check`` table: documents, paragraphs, sentences, words, problems, timings,
    and what came from the corpus store and what was rebuilt."""
    paragraphs = sum(len(d.paragraphs) for d in corpus)
    sentences = sum(d.sentence_count for d in corpus)
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
    if report.index_from_store and report.index_documents:
        built.append(f"search index of {_plural(report.index_documents, 'changed document')}")
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
    met: list[LoadProblem] = []
    try:
        library, timings, report = _load(settings, problems=met.append)
    except CorpusError as error:
        if all(Path(p.path).is_dir() for p in met):  # no file at all: the paths are wrong
            raise
        return _nothing_loaded(args, error, Corpus((), tuple(met)))
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
    schedules = _schedules_table(settings)
    if schedules is not None:
        console.print(schedules)
    console.print(_verdict(library.corpus))
    return check_exit(library.corpus, strict=args.strict)


def _nothing_loaded(args: argparse.Namespace, error: CorpusError, corpus: Corpus) -> int:
    """``check`` when files were found but none loaded: the files (as JSON with ``--json``) or
    the reasons, and exit 1 like any file that did not load."""
    if args.json:
        return _check_json(args, corpus, {"load_s": 0.0})
    sys.stderr.write(f"{error}\n")
    return EXIT_NO_ANSWER


def _schedules_table(settings: Settings) -> Any:
    """The ``check`` table of the config's daily schedules and their next send, or ``None``."""
    from rich.table import Table

    schedule_rows = _schedule_rows(settings, datetime.now(UTC))
    if not schedule_rows:
        return None
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
    return sched


def _caveats(corpus: Corpus) -> int:
    """Files loaded with a warning: the problems that were not errors, and documents with a
    warning of their own in the files table ("no author found", see
    :func:`bot.inspection.file_rows`)."""
    noted = {p.path for p in corpus.problems if not p.fatal and not p.skipped}
    noted |= {document.path for document in corpus if not document.author}
    return len(noted)


def _verdict(corpus: Corpus) -> str:
    """``check``'s last line (rich markup): all loaded, loaded with caveats, or what did not."""
    _files, not_loaded, manifests = problem_counts(corpus)
    if not_loaded or manifests:
        parts = [_plural(len(corpus), "document") + " loaded"]
        if not_loaded:
            parts.append(f"{_plural(not_loaded, 'file')} not loaded")
        if manifests:
            parts.append(f"{_plural(manifests, 'corpus manifest')} not used")
        return f"[yellow]config OK; {', '.join(parts)} (see above)[/yellow]"
    caveats = _caveats(corpus)
    if caveats:
        noted = _plural(caveats, "file")
        return f"[green]config and corpus OK[/green]; {noted} loaded with a caveat (see above)"
    return "[green]config and corpus OK[/green]"


def check_exit(corpus: Corpus, *, strict: bool) -> int:
    """The exit status of ``check``: 1 when a file did not load or a corpus manifest could not
    be used (errors), and with ``strict`` also when a file loaded with a warning (including
    "no author found"); else 0."""
    _files, not_loaded, manifests = problem_counts(corpus)
    if not_loaded or manifests or (strict and _caveats(corpus)):
        return EXIT_NO_ANSWER
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
    return check_exit(corpus, strict=args.strict)


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """``show [DOCUMENT ...] [--json]``: each named document (all when none is named) as JSON
    or as a readable outline."""
    from bot.inspection import document_json, outline

    library, _ = load_library(settings)
    corpus = library.corpus
    chosen: list[Document] = []
    for name in args.documents or []:
        try:  # a file name, else as every other command names a document
            found = _find_document(corpus, name) or library.document(name)
        except UserError as error:
            return _no_answer(args, error)
        if found is not None:
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

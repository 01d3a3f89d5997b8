"""One-shot answers (``quote``, ``quotes``, ``search``, ``summary``, ``sources``) and the
reply/record pair the console shares with them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import TYPE_CHECKING, Any

from bot.cli._batch import read_batch_queries
from bot.cli._setup import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    _no_answer,
    _print_json,
    load_library,
    log,
)
from bot.core.errors import UserError
from bot.core.library import Library
from bot.settings import Settings

if TYPE_CHECKING:
    from bot import render


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
    from bot import render  # imports discord: only when an answer is rendered

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
    from bot import render  # imports discord: only when an answer is rendered

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
    from bot import render  # imports discord: only when an answer is rendered

    library, _ = load_library(settings, warm=False)
    try:
        quotes, doc = library.ranked_quotes(args.document, top=args.top)
    except UserError as error:
        return _no_answer(args, error)
    if args.json:
        _print_json(render.ranked_quotes_record(quotes, doc))
    else:
        print(render.ranked_quotes_text(quotes, doc))
    return EXIT_OK


def cmd_oneshot(args: argparse.Namespace, settings: Settings) -> int:
    """``quote``, ``search`` and ``summary`` from the shell."""
    from bot import render  # imports discord: only when an answer is rendered

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
        return _no_answer(args, error)
    if args.json:
        _print_json(record)
    else:
        print(render.reply_text(reply))
    return EXIT_OK


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

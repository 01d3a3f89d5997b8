"""What the loader made of each file, for operators: ``corpusbot check`` and ``corpusbot show``.

:func:`file_rows` gives one row per file (loaded or not) with its format, title, author,
sections, paragraphs, words and warnings; :func:`document_json` a document exactly as the bot
will quote it (sections with their paragraph texts); :func:`outline` a readable outline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.core.loader import MANIFEST_NAME, format_of
from bot.core.models import Corpus, Document

NO_AUTHOR = "no author found"


def file_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One row per file: loaded documents in load order, then files that did not load.

    Keys: ``file``, ``status`` ("loaded", "not loaded", "skipped", "duplicate", "manifest",
    "manifest not used", "note"), ``id``,
    ``format``, ``title``, ``author``, ``sections``, ``paragraphs``, ``words``, ``warnings``
    (list of strings; for a file that did not load, the reasons).
    """
    by_path: dict[str, list[str]] = {}
    for problem in corpus.problems:
        by_path.setdefault(problem.path, []).append(problem.reason)
    rows: list[dict[str, Any]] = []
    for document in corpus:
        warnings = list(by_path.pop(document.path, []))
        if not document.author:
            warnings.append(NO_AUTHOR)
        rows.append(
            {
                "file": document.path,
                "status": "loaded",
                "id": document.id,
                "format": format_of(Path(document.path)) if document.path else "text",
                "title": document.title,
                "author": document.author,
                "sections": len(document.sections),
                "paragraphs": len(document.paragraphs),
                "words": document.word_count,
                "warnings": warnings,
            }
        )
    fatal = {p.path for p in corpus.problems if p.fatal}
    skipped = {p.path for p in corpus.problems if p.skipped}
    for path, reasons in by_path.items():
        status = "not loaded" if path in fatal else "skipped" if path in skipped else "duplicate"
        if status == "duplicate" and not any(r.startswith("duplicate of") for r in reasons):
            status = "note"  # a note on a folder
        if Path(path).name == MANIFEST_NAME:
            status = "manifest not used" if path in fatal else "manifest"
        rows.append(
            {
                "file": path,
                "status": status,
                "id": None,
                "format": "yaml" if status.startswith("manifest") else format_of(Path(path)),
                "title": None,
                "author": None,
                "sections": 0,
                "paragraphs": 0,
                "words": 0,
                "warnings": reasons,
            }
        )
    return rows


def document_json(document: Document) -> dict[str, Any]:
    """A document as the bot will quote it: metadata and sections with their paragraphs.

    A document without sections has one untitled section holding every paragraph.
    """
    spans = [(s.title, s.level, s.first, s.last) for s in document.sections] or [
        (None, 1, 1, len(document.paragraphs))
    ]
    return {
        "id": document.id,
        "path": document.path,
        "format": format_of(Path(document.path)) if document.path else "text",
        "title": document.title,
        "author": document.author,
        "date": document.date,
        "outlet": document.outlet,
        "source_url": document.source_url,
        "standfirst": document.standfirst,
        "sections": [
            {
                "title": title,
                "level": level,
                "first_paragraph": first,
                "paragraphs": [document.paragraph(n).text for n in range(first, last + 1)],
            }
            for title, level, first, last in spans
        ],
    }


def outline(document: Document, *, width: int = 100) -> list[str]:
    """A readable outline: title, author, source, then each section with its paragraph range
    and the start of its first paragraph; a document without sections lists its paragraphs
    (``¶N`` and the start of each)."""
    lines = [f"{document.title} ({document.id})"]
    details = [
        f"by {document.author}" if document.author else "no author",
        document.date or "",
        format_of(Path(document.path)) if document.path else "",
        document.path,
    ]
    lines.append("  " + " · ".join(d for d in details if d))
    if document.source_url:
        lines.append(f"  {document.source_url}")
    if not document.sections:
        lines.append(f"  {len(document.paragraphs)} paragraphs, no sections")
        for paragraph in document.paragraphs:
            lines.append(_preview(f"  ¶{paragraph.number} ", paragraph.text, width))
    for section in document.sections:
        title = section.title or "(untitled)"
        span = (
            f"¶{section.first}–{section.last}"
            if section.last > section.first
            else (f"¶{section.first}")
        )
        indent = "  " * section.level
        start = document.paragraph(section.first).text
        lines.append(_preview(f"{indent}{title} [{span}] ", start, width))
    return lines


def _preview(head: str, text: str, width: int) -> str:
    """``head`` then as much of ``text`` as fits in ``width`` (at least 20 characters of it)."""
    room = max(20, width - len(head))
    return head + (text if len(text) <= room else text[: room - 1].rstrip() + "…")

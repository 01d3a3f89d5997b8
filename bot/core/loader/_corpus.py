"""The loader's entry points: a corpus from paths, one document from a file or a string."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.core.emphasis import strip_marks
from bot.core.errors import CorpusError
from bot.core.loader._blocks import _Source
from bot.core.loader._decode import _normalise, _read_bytes, decode_text
from bot.core.loader._duplicates import (
    Fingerprint,
    drop_duplicates,
    duplicate_problem,
    fingerprint,
)
from bot.core.loader._errors import DocumentError
from bot.core.loader._frontmatter import _split_front_matter
from bot.core.loader._gutenberg import _split_gutenberg, mark_emphasis
from bot.core.loader._ids import _SLUG, _assign_ids, slugify
from bot.core.loader._layout import _Layout, _layout, _Pending, _text_blocks
from bot.core.loader._manifest import _clean_metadata
from bot.core.loader._plan import FORMATS, _Item, _plan, _unsupported
from bot.core.models import Corpus, Document, LoadProblem, Section
from bot.core.segment import segment_paragraph
from bot.core.text import title_case

#: A file :func:`plan_files` chose, with its manifest entry and defaults.
PlannedFile = _Item


def load_corpus(
    paths: Sequence[Path],
    *,
    language: str = "en",
    progress: Callable[[int, int, Path], None] | None = None,
) -> Corpus:
    """Load every document under ``paths``.

    Args:
        paths: folders (searched recursively for files of a supported format, :data:`FORMATS`:
            ``.txt``, ``.md``, ``.markdown``, ``.html``, ``.htm``, ``.epub``, ``.pdf``, ``.docx``; sorted
            by relative path, skipping hidden files and folders and ``corpus.yaml``; files named
            ``README*``, ``LICENSE*``, ``LICENCE*``, ``CHANGELOG*`` or ``CONTRIBUTING*``, in any
            case, are skipped with a non-fatal problem "skipped: looks like a repository file,
            not a document"; other files are skipped with a non-fatal problem "skipped:
            unsupported file type (.rtf); ...", at most :data:`UNSUPPORTED_LISTED` per folder
            and one count for the rest) or single files (whatever their name; a suffix other
            than those is a fatal "unsupported file type", a file
            without a suffix is read as plain text). A ``corpus.yaml`` in a given folder is its
            manifest; for a single file, the ``corpus.yaml`` beside it supplies its entry (and
            a manifest that cannot be used at all is reported).
        language: sentence-splitting language (ISO 639 code) for :mod:`bot.core.segment`.
        progress: called as ``progress(done, total, path)`` after each file is read.

    Returns:
        ``Corpus(documents, problems)``: documents in load order; one problem per bad file (fatal,
        the file is skipped), per caveat (non-fatal, e.g. cp1252 decoding) and per manifest issue.
        Zero documents is not an error here: see :func:`require_documents`.

    Raises:
        CorpusError: a given path does not exist (the message names it, and for a relative
            path the working directory it was resolved from). Bad files never raise.
    """
    items, problems = plan_files(paths)
    reads = []
    for done, item in enumerate(items, start=1):
        reads.append(read_file(item, language=language))
        if progress is not None:
            progress(done, len(items), item.path)
    return assemble(items, reads, problems)


@dataclass(frozen=True, slots=True)
class FileRead:
    """What one planned file gave (:func:`read_file`), before ids are made unique.

    Attributes:
        document: its document, under the id it has when no other file claims it; ``None``
            when the file could not be loaded.
        explicit_id: the id its manifest entry or front matter asked for, or ``None``.
        notes: caveats for the operator (non-fatal problems), in order.
        error: why the file was not loaded (a fatal problem), or ``None``.
        fingerprint: what duplicate detection compares of the document (computed by
            :func:`read_file`; ``None``: computed when needed).
    """

    document: Document | None
    explicit_id: str | None = None
    notes: tuple[str, ...] = ()
    error: str | None = None
    fingerprint: Fingerprint | None = None


def plan_files(paths: Sequence[Path]) -> tuple[list[PlannedFile], list[LoadProblem]]:
    """The files :func:`load_corpus` reads under ``paths``, and the problems met planning.

    Raises:
        CorpusError: a given path does not exist.
    """
    missing = [Path(p) for p in paths if not Path(p).exists()]
    if missing:
        raise CorpusError(_not_found(missing))
    problems: list[LoadProblem] = []
    return _plan(paths, problems), problems


def read_file(item: PlannedFile, *, language: str = "en") -> FileRead:
    """Read, lay out and segment one planned file: the costly part of a load, one file at a
    time (so a store can keep it per file and workers can share the files)."""
    problems: list[LoadProblem] = []
    try:
        pending = _read(item, problems)
    except DocumentError as error:
        return FileRead(None, error=error.reason)
    explicit = pending.metadata.get("id") or None
    alone = slugify(explicit or item.path.stem)
    document = _build(alone, pending.layout, pending.metadata, str(item.path), item.path, language)
    notes = tuple(p.reason for p in problems)
    return FileRead(document, explicit, notes, fingerprint=fingerprint(document))


def assemble(
    items: Sequence[PlannedFile], reads: Sequence[FileRead], problems: list[LoadProblem]
) -> Corpus:
    """The corpus of the files read (same order as ``items``): problems reported, ids made
    unique (in load order), duplicates left out first (the older file kept, see
    :func:`~bot.core.loader._duplicates.preference`). ``problems`` are those of :func:`plan_files`."""
    kept: list[tuple[PlannedFile, FileRead]] = []
    for item, read in zip(items, reads, strict=True):
        if read.error is not None or read.document is None:
            problems.append(LoadProblem(str(item.path), read.error or "not loaded"))
            continue
        problems.extend(LoadProblem(str(item.path), note, fatal=False) for note in read.notes)
        kept.append((item, read))
    # Duplicates first, so a copy never takes the id of the document it duplicates.
    unique, dropped = drop_duplicates(
        [read.document for _, read in kept if read.document],
        [read.fingerprint for _, read in kept if read.document],
    )
    kept = [kept[n] for n in unique]
    ids = _assign_ids([(item, read.explicit_id) for item, read in kept], problems)
    documents = [
        with_id(read.document, document_id)
        for document_id, (_, read) in zip(ids, kept, strict=True)
        if read.document is not None
    ]
    final = {document.path: document.id for document in documents}
    problems.extend(duplicate_problem(d, final[d[1].path]) for d in dropped)
    return Corpus(documents=tuple(documents), problems=tuple(problems))


def with_id(document: Document, document_id: str) -> Document:
    """``document`` under another id (its paragraphs and sentences too); itself if unchanged."""
    if document.id == document_id:
        return document
    paragraphs = tuple(
        replace(
            p,
            document_id=document_id,
            sentences=tuple(replace(s, document_id=document_id) for s in p.sentences),
        )
        for p in document.paragraphs
    )
    return replace(document, id=document_id, paragraphs=paragraphs)


def _not_found(missing: Sequence[Path]) -> str:
    """The message for corpus paths that do not exist.

    A relative path was resolved here, from the working directory, and the message says so
    with the full path looked at; an absolute path (for instance one the settings resolved
    from the config file's folder) is named as it is, without claiming a base folder.
    """
    cwd = Path.cwd()
    names = ", ".join(
        str(p) if p.is_absolute() else f"{p} (resolved from the working directory {cwd}: {cwd / p})"
        for p in missing
    )
    return (
        f"Corpus path not found: {names}. Check the corpus paths in the configuration or on "
        "the command line (relative paths in a config file are resolved from that file's "
        "folder, on the command line from the working directory)."
    )


def require_documents(corpus: Corpus) -> Corpus:
    """Return ``corpus`` unchanged when it has at least one document.

    Raises:
        CorpusError: no document loaded; the message lists each problem (path and reason) and
            says what to do.
    """
    if corpus.documents:
        return corpus
    lines = ["No document could be loaded, so the bot cannot start."]
    if corpus.problems:
        lines.append("Problems found:")
        lines.extend(f"  - {p.path}: {p.reason}" for p in corpus.problems)
    else:
        lines.append(
            "The corpus paths contain no documents (.txt, .md, .html, .epub, .pdf, .docx)."
        )
    lines.append(
        "Add at least one document (for example a UTF-8 .txt file with a title line and body "
        "paragraphs separated by blank lines), or fix the files above, then start the bot again."
    )
    raise CorpusError("\n".join(lines))


def load_document(
    path: Path,
    *,
    document_id: str | None = None,
    metadata: Mapping[str, object] | None = None,
    language: str = "en",
) -> Document:
    """Load one file as a document (see the module docstring for the rules).

    Args:
        path: the file; ``.md``/``.markdown`` files are read as Markdown.
        document_id: the id; default: the metadata's or front matter's ``id``, else the slug of
            the file name stem.
        metadata: values that override front matter and heuristics (keys as in the manifest).
        language: sentence-splitting language.

    Raises:
        DocumentError: the file is unreadable, not a regular file, over :data:`MAX_FILE_BYTES`,
            of an unsupported type (a suffix not in :data:`FORMATS`), empty, encrypted, broken,
            not text, or has no body text.
    """
    problems: list[LoadProblem] = []
    item = _Item(Path(path), dict(metadata or {}))
    try:
        pending = _read(item, problems)
    except DocumentError as error:
        raise DocumentError(error.reason, path=str(path)) from None
    if document_id is None:
        explicit = pending.metadata.get("id")
        document_id = explicit if explicit and _SLUG.fullmatch(explicit) else slugify(path.stem)
    return _build(document_id, pending.layout, pending.metadata, str(path), path, language)


def parse_document(
    text: str,
    *,
    document_id: str,
    path: str = "",
    metadata: Mapping[str, object] | None = None,
    markdown: bool = False,
    language: str = "en",
) -> Document:
    """Build a document from a string, with the same rules as for files.

    Args:
        text: the whole file content (a BOM, CRLF or CR line endings are normalised here too).
        document_id: the document's id (used as given).
        path: shown in messages and stored in ``Document.path``.
        metadata: overrides for front matter and heuristics (keys as in the manifest).
        markdown: read the text as Markdown (front matter, headings, inline markup).
        language: sentence-splitting language.

    Raises:
        DocumentError: the text is empty or has no body (e.g. only a title).
    """
    try:
        source = _Source("markdown" if markdown else "text", {}, text=_normalise(text))
        meta, layout, _ = _prepare(source, metadata or {}, {})
    except DocumentError as error:
        raise DocumentError(error.reason, path=path) from None
    return _build(document_id, layout, meta, path, Path(path) if path else None, language)


def format_of(path: Path) -> str:
    """The format a file is read as: "text", "markdown", "html", "epub", "pdf" or "docx"."""
    return FORMATS.get(path.suffix.lower(), "text")


def _read(item: _Item, problems: list[LoadProblem]) -> _Pending:
    """Read and lay out one file; caveats go to ``problems``. Raises DocumentError."""
    suffix = item.path.suffix.lower()
    if suffix and suffix not in FORMATS:
        raise DocumentError(_unsupported(item.path), path=str(item.path))
    data = _read_bytes(item.path)
    source = _source(data, format_of(item.path))
    metadata, layout, notes = _prepare(source, item.manifest, item.defaults)
    for note in notes:
        problems.append(LoadProblem(str(item.path), note, fatal=False))
    return _Pending(item, metadata, layout, source.format)


def _source(data: bytes, kind: str) -> _Source:
    """What the reader of format ``kind`` makes of a file's bytes. Raises DocumentError."""
    # Each reader (and its library: lxml, trafilatura, pypdfium2) loads when its format is met.
    if kind == "html":
        from bot.core.loader._webpage import read_html

        return read_html(data)
    if kind == "epub":
        from bot.core.loader._epub import read_epub

        return read_epub(data)
    if kind == "pdf":
        from bot.core.loader._pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from bot.core.loader._docx import read_docx

        return read_docx(data)
    text, caveats = decode_text(data)
    return _Source(kind, {}, text=text, notes=caveats)


def _prepare(
    source: _Source, given: Mapping[str, object], defaults: Mapping[str, str]
) -> tuple[dict[str, str], _Layout, list[str]]:
    """Metadata and layout of what a reader found: (metadata, layout, notes for the operator)."""
    notes = list(source.notes)
    front: dict[str, str] = dict(source.metadata)
    gutenberg = False
    if source.text is not None:
        markdown = source.format == "markdown"
        text = strip_marks(source.text)  # only readers mark emphasis
        own, body, more = _split_front_matter(text, markdown=markdown)
        notes.extend(more)
        if markdown and own.get("title"):
            from bot.core.loader._markdown import plain_inline  # markdown-it: for Markdown only

            own["title"] = plain_inline(own["title"])
        if body.strip() == "" and text.strip() != "":
            raise DocumentError("has only front matter and no text after it")
        split = _split_gutenberg(body)
        if split is not None:
            header, body = split
            own = {**header, **own}
            gutenberg = True
        front = {**front, **own}
        if not markdown:  # Markdown reads its own emphasis
            body = mark_emphasis(body)
        blocks, found = _text_blocks(body, markdown=markdown)
        notes.extend(found)
    else:
        blocks = source.blocks or []
    metadata = {**front, **_clean_metadata(given, "metadata", strict=False)[0]}
    layout = _layout(
        blocks,
        markdown=source.format == "markdown",
        metadata=metadata,
        gutenberg=gutenberg,
        structured=source.text is None,
    )
    for key, value in defaults.items():
        # A document's own bio or byline (or title-page year) beats a folder default.
        if not (key == "author" and layout.author) and not (key == "date" and layout.date):
            metadata.setdefault(key, value)
    return metadata, layout, notes


def _build(
    document_id: str,
    layout: _Layout,
    metadata: Mapping[str, str],
    path: str,
    file: Path | None,
    language: str,
) -> Document:
    emphasis = layout.emphasis or [()] * len(layout.paragraphs)
    paragraphs = tuple(
        segment_paragraph(document_id, number, text, language=language, emphasis=spans)
        for number, (text, spans) in enumerate(
            zip(layout.paragraphs, emphasis, strict=True), start=1
        )
    )
    title = metadata.get("title") or layout.title or _title_from_name(file, document_id)
    starts = layout.sections
    sections = tuple(
        Section(
            number=index,
            title=heading.title,
            first=heading.first + 1,
            last=starts[index].first if index < len(starts) else len(paragraphs),
            level=heading.level,
        )
        for index, heading in enumerate(starts, start=1)
    )
    return Document(
        id=document_id,
        title=title_case(title),
        paragraphs=paragraphs,
        author=metadata.get("author") or layout.author,
        standfirst=metadata.get("standfirst") or layout.standfirst,
        author_bio=layout.author_bio,
        date=metadata.get("date") or layout.date,
        outlet=metadata.get("outlet"),
        source_url=metadata.get("source_url"),
        path=path,
        sections=sections,
    )


def _title_from_name(file: Path | None, document_id: str) -> str:
    stem = file.stem if file is not None else document_id
    words = re.sub(r"[-_\s]+", " ", stem).strip() or document_id
    return words[0].upper() + words[1:] if words.islower() else words

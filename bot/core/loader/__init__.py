"""Load prose documents from files: the reading stage of the core pipeline.

This is the only package of the product that reads corpus files; everything after it works on
:class:`~bot.core.models.Corpus` values. One module per job:

- :mod:`._corpus`: the public entry points (:func:`load_corpus`, :func:`load_document`,
  :func:`parse_document`, :func:`require_documents`) and metadata precedence; the same load one
  file at a time for the corpus store (:func:`plan_files`, :func:`read_file`, :func:`assemble`);
- :mod:`._plan`: which files are read (folders walked, unsupported and repository files
  reported, a file reached twice read once) and as which format;
- :mod:`._decode`: reading bytes safely (regular files only, the size limit) and decoding text;
- one reader per format: plain text and Markdown (:mod:`._blocks`, :mod:`._markdown`,
  :mod:`._html` for HTML blocks in Markdown), web pages (:mod:`._webpage`, trafilatura),
  EPUB (:mod:`._epub`), PDF (:mod:`._pdf`, pypdfium2, and :mod:`._pdf_paragraphs`), DOCX
  (:mod:`._docx`, python-docx);
  :mod:`._markup` reads the XHTML of EPUB chapters and web articles;
- :mod:`._manifest`, :mod:`._frontmatter`, :mod:`._yaml`: ``corpus.yaml`` and front matter;
- :mod:`._gutenberg`: Project Gutenberg conventions (header, licence, notes, ``_emphasis_``);
- :mod:`._layout`, :mod:`._metadata`, :mod:`._furniture`: title, byline, standfirst, bio and
  body paragraphs; page furniture dropped;
- :mod:`._sections`: chapter headings in plain text, sections from headings;
- :mod:`._duplicates`: exact and near-duplicate documents loaded once;
- :mod:`._ids`: document ids.

Metadata precedence
    ``corpus.yaml`` manifest entry > front matter (or Gutenberg header) > heuristics (title line,
    byline, title-page year, bio line) > manifest top-level defaults (which fill only what a
    document does not say itself).

Speed
    Measured on the books of ``tools/gather_books.sh`` (2 shared cores): Moby Dick (1.24 MB,
    8,100 sentences) loads in 40-75 ms, all ten books (6.9 MB, 46,000 sentences) in 0.3-0.45 s;
    sentence splitting (sentencex plus building the ``Sentence`` values) is about 3/4 of it.
"""

from __future__ import annotations

from bot.core.loader._corpus import (
    FileRead,
    PlannedFile,
    assemble,
    format_of,
    load_corpus,
    load_document,
    parse_document,
    plan_files,
    read_file,
    require_documents,
    with_id,
)
from bot.core.loader._decode import MAX_FILE_BYTES, decode_text
from bot.core.loader._duplicates import Fingerprint
from bot.core.loader._errors import DocumentError
from bot.core.loader._ids import slugify
from bot.core.loader._manifest import MANIFEST_NAME
from bot.core.loader._plan import FORMATS, TEXT_SUFFIXES

#: Every file suffix the loader reads (``.txt``, ``.md``, ``.html``, ``.epub``, ``.pdf``, ...).
SUPPORTED_SUFFIXES = frozenset(FORMATS)

__all__ = [
    "MANIFEST_NAME",
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "TEXT_SUFFIXES",
    "DocumentError",
    "FileRead",
    "Fingerprint",
    "PlannedFile",
    "assemble",
    "decode_text",
    "format_of",
    "load_corpus",
    "load_document",
    "parse_document",
    "plan_files",
    "read_file",
    "require_documents",
    "slugify",
    "with_id",
]

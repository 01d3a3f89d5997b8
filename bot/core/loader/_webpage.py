"""Saved web pages (``.html``, ``.htm``): the article's main text and the page's own metadata.

The main text is found by trafilatura (Apache-2.0), with ``favor_precision``: on the five news
pages of the article-extraction benchmark copied into ``tests/data/formats/html`` it scores a
shingle F1 of 0.987, against 0.946 for its default mode, 0.973 for readability-lxml, 0.950 for
jusText and 0.809 for plain tag stripping (``python -m benchmarks.extraction``; the
benchmark's published figures on all 181 pages: trafilatura 0.958, readability 0.922, tag
stripping 0.665). Navigation, share bars, comments, "related" boxes and cookie notices are
left out by it; what remains is read as blocks by :mod:`._markup` (headings become sections,
italics the paragraphs' emphasis: asking trafilatura to keep formatting left the F1 at 0.988).

Metadata (title, author, date, site name as ``outlet``, canonical URL as ``source_url``)
comes from the page's ``<title>``, Open Graph, JSON-LD and ``<meta>`` tags, through trafilatura.
A page where trafilatura finds no article (a tiny page, a fragment) is read whole with the
tags stripped (:func:`._html._html_blocks`), navigation and furniture dropped.
"""

from __future__ import annotations

import logging

from bot.core.loader._blocks import _Block, _Source
from bot.core.loader._errors import DocumentError
from bot.core.loader._html import _html_blocks
from bot.core.loader._markup import element_blocks

_METADATA = (
    ("title", "title"),
    ("author", "author"),
    ("date", "date"),
    ("sitename", "outlet"),
    ("url", "source_url"),
)


def read_html(data: bytes) -> _Source:
    """The main text and metadata of a saved web page.

    Raises:
        DocumentError: no text at all in the page.
    """
    import trafilatura  # imported here: a corpus without web pages does not pay for it

    # Its warnings name no file ("discarding data: None" when it finds no article); what they
    # mean reaches the operator as this file's own note, with its path.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)

    if not data.strip():
        raise DocumentError("the file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("not an HTML file (it contains NUL bytes, so it looks binary)")
    html = _decode(data)
    try:
        found = trafilatura.bare_extraction(
            html,
            favor_precision=True,
            with_metadata=True,
            include_tables=False,
            include_formatting=True,
        )
    except (ValueError, TypeError, AttributeError):
        found = None
    metadata: dict[str, str] = {}
    blocks: list[_Block] = []
    if found is not None:
        for attribute, key in _METADATA:
            value = getattr(found, attribute, None)
            if isinstance(value, str) and value.strip():
                metadata[key] = " ".join(value.replace("; ", ", ").split())
        body = getattr(found, "body", None)
        if body is not None:
            blocks = element_blocks(body)
    notes: list[str] = []
    if not any(not b.heading for b in blocks):
        blocks = _html_blocks(html)
        if blocks:
            notes.append("no article found in the page; read all its text with the tags removed")
    if not blocks:
        raise DocumentError("has no text (an HTML page with no readable text)")
    return _Source("html", metadata, blocks=blocks, notes=notes)


def _decode(data: bytes) -> str:
    """The page as text: a BOM, else the declared charset, else UTF-8, else Windows-1252."""
    from trafilatura.utils import decode_file

    text = decode_file(data)
    return text if isinstance(text, str) else data.decode("utf-8", "replace")

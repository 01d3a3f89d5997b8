"""An lxml element tree (XHTML of an EPUB chapter, trafilatura's article body) as text blocks.

Block elements (``p``, ``div``, ``li``, ``blockquote``, trafilatura's ``item`` and ``quote``, ...)
end a paragraph and ``br``/``lb`` a line; headings (``h1``-``h6``, trafilatura's ``head``) are
heading blocks with their level. Dropped: scripts, styles, tables, navigation, ruby annotations
(``rt``/``rp``: the reading aid printed above Japanese and Chinese characters, not the text),
page-break markers, footnote and endnote bodies (``aside`` or any element whose ``epub:type``
or ``role`` says footnote, endnote or note, or whose class names one), and footnote markers
(a link or superscript marked ``noteref``, or a superscript or link whose text is only a
number, a symbol or ``[12]``). Italics (``em``, ``i``, ``cite``, trafilatura's ``hi rend="#i"``)
are marked as emphasis (:mod:`bot.core.emphasis`). The lines of a paragraph are joined with a space, or with none
between two characters of a script written without spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from bot.core.emphasis import CLOSE, OPEN
from bot.core.loader._blocks import _Block, _join_lines, _text_lines

# fmt: off
_BLOCK_TAGS = frozenset((
    "p", "div", "li", "item", "blockquote", "quote", "pre", "dd", "dt", "section", "article",
    "address", "figcaption", "caption", "header", "footer", "main", "body", "list", "ul", "ol",
    "dl", "figure", "center",
))
_SKIPPED_TAGS = frozenset((
    "script", "style", "template", "svg", "math", "nav", "table", "rt", "rp", "title",
    "noscript", "button", "form", "select", "textarea", "iframe", "object", "audio", "video",
    "graphic",
))
# fmt: on
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_NOTE = re.compile(r"\b(?:foot|end|rear)?notes?\b|\bannotation\b|\bpagebreak\b", re.IGNORECASE)
_NOTE_MARKER = re.compile(r"\[?\s*(?:\d{1,4}|[*†‡§¶]+|[a-z]|[ivxlc]{1,6})\s*\]?", re.IGNORECASE)
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    return str(etree.QName(tag).localname).lower()


def _is_note(element: etree._Element, name: str) -> bool:
    """A footnote body or a page-break marker (never text of the body)."""
    kinds = " ".join(
        element.get(key) or "" for key in (_EPUB_TYPE, "role", "epub:type", "type")
    ).replace("doc-", "")
    if _NOTE.search(kinds):
        return "noteref" not in kinds or name in ("sup", "a", "span")
    if name == "aside":
        return True
    classes = (element.get("class") or "") + " " + (element.get("id") or "")
    return name in ("div", "aside", "section", "p") and bool(
        re.search(r"\b(?:footnotes?|endnotes?)\b", classes, re.IGNORECASE)
    )


def _is_marker(element: etree._Element, name: str) -> bool:
    """A footnote marker: a superscript or a link whose whole text is a number or symbol."""
    if name not in ("sup", "a", "span"):
        return False
    text = "".join(element.itertext()).strip()
    if not text or _NOTE_MARKER.fullmatch(text) is None:
        return False
    if name == "sup":
        return True
    href = element.get("href") or ""
    return name == "a" and "#" in href


def element_blocks(root: etree._Element) -> list[_Block]:
    """The paragraphs and headings under ``root``, in document order (rules above)."""
    blocks: list[_Block] = []
    parts: list[str] = []
    heading = 0

    def flush() -> None:
        nonlocal heading
        text = "".join(parts)
        parts.clear()
        lines = _text_lines(text.split("\n"))
        if lines:
            joined = _join_lines(lines)
            if heading:
                blocks.append(_Block(joined, 1, heading=True, level=heading))
            else:
                blocks.append(_Block(joined, len(lines)))
        heading = 0

    for event, element, name in _walk(root):
        if event == "text":
            parts.append(element.text or "")
        elif event in ("italic", "roman"):
            parts.append(OPEN if event == "italic" else CLOSE)
        elif event == "tail":
            parts.append(element.tail or "")
        elif event == "break":
            parts.append("\n")
        elif event == "start":
            flush()
            heading = _heading_level(element, name)
        else:  # "end" of a block or heading
            flush()
    flush()
    return blocks


def _is_italic(element: etree._Element, name: str) -> bool:
    """Inline italics: ``em``, ``i``, ``cite``, or trafilatura's ``<hi rend="#i">``."""
    return name in ("em", "i", "cite") or (name == "hi" and "#i" in (element.get("rend") or ""))


def _heading_level(element: etree._Element, name: str) -> int:
    if name in _HEADINGS:
        return _HEADINGS[name]
    if name == "head" and not _is_document_head(element, name):  # trafilatura: <head rend="h2">
        rend = element.get("rend") or "h2"
        return _HEADINGS.get(rend, 2)
    return 0


def _is_document_head(element: etree._Element, name: str) -> bool:
    """An HTML ``<head>`` (metadata), not trafilatura's ``<head>`` heading."""
    parent = element.getparent()
    return name == "head" and (parent is None or _name(parent) == "html")


def _dropped(element: etree._Element, name: str) -> bool:
    """Not text: a comment, a skipped element, the document head, a note or a note marker."""
    return (
        name == ""
        or name in _SKIPPED_TAGS
        or _is_document_head(element, name)
        or _is_note(element, name)
        or _is_marker(element, name)
    )


def _walk(root: etree._Element) -> Iterator[tuple[str, etree._Element, str]]:
    """Events in document order: ("start"/"end", block), ("text"/"tail", element), ("break")."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        name = _name(element)
        is_block = name in _BLOCK_TAGS or _heading_level(element, name) > 0
        if closing:
            if is_block:
                yield "end", element, name
            elif _is_italic(element, name):
                yield "roman", element, name
            if element is not root and element.tail:
                yield "tail", element, name
            continue
        if _dropped(element, name):
            if element is not root and element.tail:
                yield "tail", element, name
            continue
        if name in ("br", "lb"):
            yield "break", element, name
            if element.tail:
                yield "tail", element, name
            continue
        if is_block:
            yield "start", element, name
        elif _is_italic(element, name):
            yield "italic", element, name
        if element.text:
            yield "text", element, name
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))

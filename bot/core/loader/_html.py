"""HTML fragments (in Markdown files) reduced to text blocks by the standard library's parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.core.loader._blocks import _Block, _join_lines

_HTML_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)


_HTML_SKIPPED_TAGS = frozenset(
    ["script", "style", "template", "svg", "math", "head", "title", "nav", "button", "form"]
)


_HTML_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


# Class and id words of page furniture in CMS exports: <div class="ad">Buy now</div>.
_HTML_FURNITURE = frozenset(
    [
        "ad",
        "ads",
        "advert",
        "adverts",
        "advertisement",
        "sponsor",
        "sponsored",
        "promo",
        "promotion",
        "banner",
        "social",
        "share",
        "sharing",
        "newsletter",
        "subscribe",
        "cookie",
        "cookies",
        "related",
        "comments",
        "breadcrumb",
        "breadcrumbs",
    ]
)


class _HtmlText(HTMLParser):
    """The text of an HTML fragment as paragraphs, by the standard library's HTML parser.

    Block-level elements (``p``, ``div``, ``li``, headings, ...) end a paragraph; ``br`` ends a
    line; comments, the content of ``script``, ``style``, ``template``, ``svg``, ``nav``,
    ``form`` and ``button``, and elements whose class or id names page furniture
    (``class="ad"``, ``id="share-buttons"``, see :data:`_HTML_FURNITURE`) are dropped;
    character references are decoded. After :meth:`close`, ``blocks`` holds
    ``(text, source lines, heading)`` triples with whitespace collapsed.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int, bool]] = []
        self._lines: list[str] = [""]
        self._open: list[tuple[str, bool]] = []  # (tag, dropped) of the open elements
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._lines.append("")
            return
        if tag in _HTML_BLOCK_TAGS:
            self._flush()
            self._heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        if tag in _HTML_VOID_TAGS:
            return
        names = " ".join(value or "" for key, value in attrs if key in ("class", "id"))
        words = set(re.split(r"[\s_-]+", names.casefold()))
        self._open.append((tag, tag in _HTML_SKIPPED_TAGS or bool(words & _HTML_FURNITURE)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._lines.append("")
        elif tag in _HTML_BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_BLOCK_TAGS:
            self._flush()
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break

    def handle_data(self, data: str) -> None:
        if any(dropped for _, dropped in self._open):
            return
        first, *rest = data.split("\n")
        self._lines[-1] += first
        self._lines.extend(rest)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        lines = [" ".join(line.split()) for line in self._lines]
        lines = [line for line in lines if line]
        if lines:
            self.blocks.append((_join_lines(lines), len(lines), self._heading))
        self._lines = [""]
        self._heading = False


def _html_blocks(html: str) -> list[_Block]:
    """The paragraphs of an HTML block of a Markdown file, tags stripped (see :class:`_HtmlText`)."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return [_Block(text, lines, heading=heading) for text, lines, heading in parser.blocks]

"""Markdown files: CommonMark blocks by markdown-it-py.

Markdown (``.md``, ``.markdown``)
    Optional YAML front matter between ``---`` lines (a safe YAML loader; keys ``title`` (its
    inline Markdown read as text: ``"My *Notes*"`` is "My Notes"),
    ``author``, ``date``, ``outlet``, ``source_url`` or ``url``, ``standfirst`` or ``description``,
    ``id``; other keys are ignored). A value YAML cannot construct (``date: 2020-02-30``) or a key
    given twice is dropped alone and reported with its line; the other keys are used. An
    opening ``---`` never closed is reported, and the ``key: value`` lines right after it (up to
    a blank line) are read as the front matter.

    The rest is parsed as CommonMark by markdown-it-py (with GFM tables and strikethrough), a
    maintained, specification-conformant parser, rather than by our own regular expressions:
    emphasis, links, images, code spans, lists, nesting and HTML blocks interact in ways that
    hand-written patterns get wrong (``snake_case`` is not emphasis, ``*`` in code is text, a
    ``-`` list inside a block quote is still a list). Headings (ATX ``#`` and setext ``===``)
    are blocks of their own, a leading heading is the title. Each paragraph, list item and block
    quote paragraph is a block; inline markup is reduced to its text (emphasis markers removed,
    a link keeps its text, inline code its content, images and inline HTML dropped); HTML
    blocks keep their text, tags stripped by the standard library's :mod:`html.parser` (each
    ``<p>``, ``<div>``, ``<li>``, ... a block; comments, scripts, styles, navigation and
    elements whose class or id names furniture such as ``class="ad"`` dropped); fenced and
    indented code blocks, tables and thematic breaks are dropped. GFM footnotes and task lists,
    which CommonMark leaves literal, are undone by hand (no plugin dependency): references
    ``[^1]`` are removed, definition paragraphs ``[^1]: ...`` dropped, and a ``[ ]``/``[x]``
    checkbox at the start of a list item removed.

    Plain text is never read as Markdown: in a ``.txt`` file ``*``, ``_``, ``#`` and ``>`` are
    characters of the text. A plain-text file may carry front matter too, when a line of the
    ``---`` block starts with one of the keys above.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.core.emphasis import CLOSE, OPEN, strip_marks
from bot.core.loader._blocks import _Block, _join_lines, _text_lines
from bot.core.loader._html import _html_blocks


@functools.cache
def _markdown_parser() -> MarkdownIt:
    # CommonMark plus GFM tables (so a table is recognised, then dropped) and ~~strikethrough~~.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _markdown_blocks(text: str) -> list[_Block]:
    """Blocks of a Markdown text, parsed to CommonMark tokens by markdown-it-py.

    Each paragraph (also inside list items and block quotes) is a block and each heading a
    heading block; ``lines`` is the number of source lines. Inline markup is reduced to its
    text: emphasis (kept as the block's emphasis spans), strong and strikethrough markers go, a link keeps its text, inline code
    keeps its content, images and inline HTML are dropped. HTML blocks keep their text, tags
    stripped (:func:`_html_blocks`). Footnotes (a GFM extension CommonMark leaves literal) are
    undone: a reference ``[^1]`` is removed and a definition paragraph ``[^1]: ...`` dropped; a
    task-list checkbox (``[ ]``, ``[x]``) at the start of a list item is removed. Code blocks,
    tables and thematic breaks are not text and are dropped.
    """
    blocks: list[_Block] = []
    tokens = _markdown_parser().parse(text)
    table_depth = 0
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            table_depth += 1
        elif token.type == "table_close":
            table_depth -= 1
        elif token.type == "html_block" and table_depth == 0:
            blocks.extend(_html_blocks(token.content))
        elif token.type == "inline" and table_depth == 0 and index > 0:
            opener = tokens[index - 1].type
            if opener not in ("paragraph_open", "heading_open"):
                continue
            if _FOOTNOTE_DEFINITION.match(token.content):
                continue
            lines = _inline_lines(token.children or [])
            if lines and index > 1 and tokens[index - 2].type == "list_item_open":
                lines[0] = _TASK_BOX.sub("", lines[0])
            lines = [line for line in lines if line]
            if not lines:
                continue
            heading = opener == "heading_open"
            count = 1 if heading or token.map is None else max(1, token.map[1] - token.map[0])
            blocks.append(_Block(_join_lines(lines), count, heading=heading))
    return blocks


def plain_inline(text: str) -> str:
    """``text`` (one line of Markdown, e.g. a front-matter title) as plain text: ``"My *Notes*"``
    -> ``"My Notes"``; a link keeps its text, inline code its content, HTML is dropped."""
    tokens = _markdown_parser().parseInline(text)
    lines = _inline_lines(tokens[0].children or []) if tokens else []
    return strip_marks(" ".join(line for line in lines if line)) or text


_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")


_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]\s]+\]:")


_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")


def _inline_lines(children: Sequence[Token]) -> list[str]:
    """The text of an inline token's children, one string per source line, blank lines dropped.

    Footnote references (``[^1]``) are removed from the text (not from inline code); emphasis
    (``*word*``, ``_word_``) is marked (:mod:`bot.core.emphasis`).
    """
    lines: list[str] = []
    current: list[str] = []
    for child in children:
        if child.type == "text":
            current.append(_FOOTNOTE_REFERENCE.sub("", child.content))
        elif child.type == "code_inline":
            current.append(child.content)
        elif child.type in ("em_open", "em_close"):
            current.append(OPEN if child.type == "em_open" else CLOSE)
        elif child.type in ("softbreak", "hardbreak"):
            lines.append("".join(current))
            current = []
    lines.append("".join(current))
    return _text_lines(lines)

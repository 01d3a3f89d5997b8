"""Blocks of text (paragraphs as laid out in the file) and how lines and words are counted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.text import NO_SPACE_SCRIPT

_SENTENCE_END = re.compile(r"[.!?…。！？．｡][\"'”’»)\]」』）〕】]*$")


@dataclass(slots=True)
class _Block:
    """A paragraph as laid out in the source, or a heading.

    ``lines``: source lines joined into ``text``; ``level``: a heading's depth (1 = top);
    ``chapter``: a chapter heading found in plain text (never the document's title);
    ``source``: the stripped source lines of a plain-text block.
    """

    text: str
    lines: int
    heading: bool = False
    level: int = 0
    chapter: bool = False
    source: tuple[str, ...] = ()


def _join_lines(lines: Sequence[str]) -> str:
    """Join the stripped lines of one paragraph: one space between lines, none where a line
    ends and the next starts with a character of a script written without spaces (CJK, Thai)."""
    joined = lines[0]
    for line in lines[1:]:
        if NO_SPACE_SCRIPT.match(joined[-1]) and NO_SPACE_SCRIPT.match(line[0]):
            joined += line
        else:
            joined += " " + line
    return joined


def _words(text: str) -> list[str]:
    return text.casefold().split()


@dataclass(slots=True)
class _Source:
    """What a format reader made of a file, before its layout.

    ``text`` for formats laid out like plain text (text, Markdown, PDF), else ``blocks``
    (HTML, EPUB, DOCX: paragraphs and headings from the format); ``metadata`` from the format
    itself (PDF info, EPUB package, DOCX core properties, HTML meta tags), with the manifest's
    keys; ``notes`` for the operator.
    """

    format: str
    metadata: dict[str, str]
    text: str | None = None
    blocks: list[_Block] | None = None
    notes: list[str] = field(default_factory=list)

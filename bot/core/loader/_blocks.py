"""Blocks of text (paragraphs as laid out in the file) and how lines and words are counted."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.core.emphasis import CLOSE, OPEN, Span, strip_marks, unmark
from bot.core.text import NO_SPACE_SCRIPT

_SENTENCE_END = re.compile(r"[.!?…。！？．｡][\"'”’»)\]」』）〕】]*$")


@dataclass(slots=True)
class _Block:
    """A paragraph as laid out in the source, or a heading.

    ``lines``: source lines joined into ``text``; ``level``: a heading's depth (1 = top);
    ``chapter``: a chapter heading found in plain text (never the document's title);
    ``source``: the stripped source lines of a plain-text block; ``emphasis``: italic spans of
    ``text``. A reader may build ``text`` with emphasis marks (:mod:`bot.core.emphasis`): they
    become ``emphasis`` here, so ``text`` and ``source`` are always plain.
    """

    text: str
    lines: int
    heading: bool = False
    level: int = 0
    chapter: bool = False
    source: tuple[str, ...] = ()
    emphasis: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        self.text, found = unmark(self.text)
        self.emphasis = self.emphasis or found
        self.source = tuple(strip_marks(line) for line in self.source)


_MARKS = OPEN + CLOSE


def _join_lines(lines: Sequence[str]) -> str:
    """Join the stripped lines of one paragraph: one space between lines, none where a line
    ends and the next starts with a character of a script written without spaces (CJK, Thai)."""
    joined = lines[0]
    for line in lines[1:]:
        end, start = joined.rstrip(_MARKS)[-1:], line.lstrip(_MARKS)[:1]
        if end and start and NO_SPACE_SCRIPT.match(end) and NO_SPACE_SCRIPT.match(start):
            joined += line
        else:
            joined += " " + line
    return joined


def _text_lines(lines: Iterable[str]) -> list[str]:
    """``lines`` with their whitespace collapsed and blank lines dropped; the emphasis marks of
    a dropped line move to the next line (or to the last one), so none is lost."""
    out: list[str] = []
    carry = ""
    for line in lines:
        line = " ".join(line.split())
        if not strip_marks(line).strip():
            carry += "".join(c for c in line if c in _MARKS)
            continue
        out.append(carry + line)
        carry = ""
    if carry and out:
        out[-1] += carry
    return out


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

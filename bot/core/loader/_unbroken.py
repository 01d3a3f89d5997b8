"""Paragraphs of plain text saved without blank lines between them.

Plain text normally separates paragraphs with blank lines. Text exported from word processors,
e-readers and web forms often has none: either one paragraph per (long) line, or hard-wrapped
lines with nothing between paragraphs. Read as one block, such a file would be a single
paragraph with no chapters. This module splits such a block back into paragraphs:

- **one paragraph per line:** a fifth or more of the lines are longer than
  :data:`UNWRAPPED_LINE` characters (nobody wraps that wide), so every line is a paragraph;
- **hard-wrapped, no blank lines:** in a block of :data:`LONG_BLOCK` lines or more, a line ends
  its paragraph when the next line's first word would have fitted on it (greedy wrapping would
  have put it there) and either the line ends a sentence and the next starts with a capital,
  or the line is a short heading-like line (under half the width): the rule greedy line
  breaking implies, also used by the PDF reader for ragged lines. A chapter heading line
  ("Chapter 4") always starts a paragraph of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from bot.core.loader._sections import _heading_kind

UNWRAPPED_LINE = 160
"""A line longer than this many characters was not hard-wrapped (editors and Project Gutenberg
wrap at 60-80 characters)."""

LONG_BLOCK = 80
"""A block of this many lines or more (over 5,000 characters at the usual width: longer than
any paragraph of the ten novels of ``tools/gather_books.sh``) is checked for paragraph ends."""

_END = re.compile(r"[.!?:;…][\"'”’)\]]*$|[\"”’]$")
_START = re.compile(r"[\"'“‘(\[_*]*[A-Z0-9À-Þ]")


def paragraph_lines(lines: Sequence[str]) -> list[list[str]]:
    """The stripped, non-blank ``lines`` of one blank-line-separated block, grouped into
    paragraphs (a single group when the block is an ordinary paragraph)."""
    if len(lines) < 2:
        return [list(lines)]
    long = sum(len(line) > UNWRAPPED_LINE for line in lines)
    if long and long * 5 >= len(lines):
        return [[line] for line in lines]
    if len(lines) < LONG_BLOCK:
        return [list(lines)]
    return _ragged_breaks(lines)


def _ragged_breaks(lines: Sequence[str]) -> list[list[str]]:
    """Split hard-wrapped lines at paragraph ends (rules in the module docstring); the wrap width
    is the longest line of the block."""
    width = max(len(line) for line in lines)
    groups: list[list[str]] = [[lines[0]]]
    for before, line in pairwise(lines):
        fits = len(before) + 1 + len(line.split(maxsplit=1)[0]) <= width
        ends = bool(_END.search(before)) and bool(_START.match(line))
        if _heading_kind(line) is not None or (fits and (ends or len(before) * 2 < width)):
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups

"""Blocks of text (paragraphs as laid out in the file) and how lines and words are counted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.text import NO_SPACE_SCRIPT

_SENTENCE_END = re.compile(r"[.!?…。！？．｡][\"'”’»)\]」』）〕】]*$")


@dataclass(slots=True)
class _Block:
    text: str
    lines: int
    heading: bool = False


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

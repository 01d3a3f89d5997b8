"""Blocks of text (paragraphs as laid out in the file) and how lines and words are counted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Scripts written without spaces between words: Han ideographs (CJK unified, extensions,
# compatibility, radicals), kana, CJK symbols and punctuation, full-width forms, Thai, Lao,
# Khmer and Myanmar. Hangul is written with spaces and is not here.
_NO_SPACE_CHARS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3000-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
)


_NO_SPACE_SCRIPT = re.compile(f"[{_NO_SPACE_CHARS}]")


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
        if _NO_SPACE_SCRIPT.match(joined[-1]) and _NO_SPACE_SCRIPT.match(line[0]):
            joined += line
        else:
            joined += " " + line
    return joined


def _words(text: str) -> list[str]:
    return text.casefold().split()


def _word_count(text: str) -> int:
    """Words in ``text``: space-separated tokens, with each character of a script written
    without spaces between words (Chinese, Japanese, Thai, ...) counted as one word."""
    return len(_NO_SPACE_SCRIPT.findall(text)) + len(_NO_SPACE_SCRIPT.sub(" ", text).split())

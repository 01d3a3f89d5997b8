"""The words the quote rules share, from the corpus-wide lexicon (:mod:`bot.core.text`)."""

from __future__ import annotations

from bot.core.text import STOP_WORDS as STOP
from bot.core.text import WORD


def words(text: str) -> list[str]:
    """Whitespace-separated words of a literal word list."""
    return text.split()


__all__ = ["STOP", "WORD", "words"]

"""Credit lines of fortune-style collections: a short paragraph that ends "-- Art Buchwald".

In such collections (the BSD/Debian ``fortune`` files and the like) each paragraph is one saying
or joke followed by a credit line naming its author, sometimes with the work: ``-- Terry
Pratchett, "Night Watch"``. The paragraph is kept whole as one quote (a joke must not lose its
punchline), credited to the named person, the credit line left out of the quoted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.quotes._lexicon import WORD

MAX_CREDITED_WORDS = 80
"""A credited paragraph of more words is not a saying: its sentences are quotes of their own."""

_CREDIT = re.compile(
    r"(?<=[.!?…”’\"')\]])\s+(?:--|—|―)\s*"
    r"(?P<who>[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|de|van|von|la|le|da|du)){0,4})"
    r"(?:\s*,\s*(?P<work>[^\n]{1,120}))?\s*$"
)
_DASHES = ("--", "—", "―")
"""One of these opens every credit line (see :data:`_CREDIT`)."""
_NOBODY = frozenset({"Anonymous", "Unknown", "Anon", "Author Unknown"})


@dataclass(frozen=True, slots=True)
class Credit:
    """A paragraph's saying and its credit: ``text`` is the paragraph up to the credit line,
    ``author`` the person named (``None`` for "Anonymous"), ``start`` where the credit begins."""

    text: str
    author: str | None
    start: int


def credit_of(paragraph_text: str) -> Credit | None:
    """The saying and credit of a fortune-style paragraph, or ``None`` when the paragraph does
    not end with a credit line naming a person (a work cited in capitals is not one) or is longer
    than :data:`MAX_CREDITED_WORDS` words."""
    if not any(dash in paragraph_text for dash in _DASHES):  # no credit line (most paragraphs)
        return None
    m = _CREDIT.search(paragraph_text)
    if m is None:
        return None
    text = " ".join(paragraph_text[: m.start()].split())  # the two spaces after a full stop
    if not text or len(WORD.findall(text)) > MAX_CREDITED_WORDS:
        return None
    who = m.group("who").strip()
    if who.isupper():  # "--PARADISE LOST.": a work cited in capitals, not a person
        return None
    return Credit(text, None if who in _NOBODY else who, m.start())

"""Project Gutenberg conventions.

Project Gutenberg files
    When a line "*** START OF THE (or THIS) PROJECT GUTENBERG EBOOK ... ***" is present, only the
    text between it and the "*** END OF ..." line is the document (the header and the licence are
    dropped, and so is a closing "End of the Project Gutenberg EBook of ..." line). The header's
    ``Title:`` and ``Author:`` fields act as front matter. Its "Release Date", "Posting Date",
    "Last Updated" and "[EBook #...]" lines date the e-text, not the work, so they never become
    the document's date (give a real one in ``corpus.yaml`` or front matter). The book's own title lines at the top (one-line blocks using only words of
    the header's title, e.g. "MOBY-DICK;" then "or, THE WHALE.") are then not paragraphs.
    Files whose header was already stripped (as the books of ``tools/gather_books.sh`` mostly
    are) are read with the title-page rules above.

    In any plain-text file, Gutenberg's italics ``_like this_`` (underscores at the edges of
    words) lose their underscores and become the paragraph's emphasis spans
    (:mod:`bot.core.emphasis`): quotes, summaries and search never show the underscores, and
    Discord shows the words in italics; ``snake_case`` stays as written.
"""

from __future__ import annotations

import re

from bot.core.emphasis import CLOSE, OPEN
from bot.core.loader._blocks import _Block

_GUTENBERG_START = re.compile(
    r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$",
    re.IGNORECASE | re.MULTILINE,
)


_GUTENBERG_END = re.compile(
    r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$", re.IGNORECASE | re.MULTILINE
)


_GUTENBERG_END_LINE = re.compile(
    r"^\s*End of (?:the )?Project Gutenberg(?:'s|’s)?\b.*$", re.IGNORECASE | re.MULTILINE
)


_GUTENBERG_FIELD = re.compile(
    r"^(?P<key>Title|Author)\s*:[ \t]*(?P<value>.*(?:\n[ \t]+\S.*)*)",
    re.IGNORECASE | re.MULTILINE,
)


def _split_gutenberg(text: str) -> tuple[dict[str, str], str] | None:
    """Split a Project Gutenberg file: (header fields, text between the START and END markers).

    ``None`` when ``text`` has no "*** START OF THE PROJECT GUTENBERG EBOOK ... ***" line. The
    header's ``Title:`` and ``Author:`` fields give title and author (its "Release Date" and
    "Posting Date" are the e-text's, not the work's: not read); the licence after the END marker and a closing "End of the
    Project Gutenberg EBook of ..." line are dropped.
    """
    start = _GUTENBERG_START.search(text)
    if start is None:
        return None
    header, body = text[: start.start()], text[start.end() :]
    end = _GUTENBERG_END.search(body)
    if end is not None:
        body = body[: end.start()]
    closing = list(_GUTENBERG_END_LINE.finditer(body))
    if closing and not body[closing[-1].end() :].strip():
        body = body[: closing[-1].start()]
    fields: dict[str, str] = {}
    for match in _GUTENBERG_FIELD.finditer(header):
        key = match.group("key").lower()
        value = match.group("value")
        value = " ".join(value.split())
        if value and key not in fields:
            fields[key] = value
    return fields, body


def _is_transcriber_note(block: _Block, *, gutenberg: bool) -> bool:
    """A note about the e-text rather than the work: it names Gutenberg and an "etext", or (in a
    Gutenberg file) starts "Produced by", is a "Transcriber's Notes:" line or is bracketed."""
    text = block.text
    lowered = text.casefold()
    if "gutenberg" in lowered and re.search(r"\be-?text", lowered):
        return True
    return gutenberg and (
        lowered.startswith(("produced by", "transcribed by", "prepared by"))
        or re.search(r"^(?:original )?transcriber['’]?s notes?:?$", lowered) is not None
        or (text.startswith("[") and text.endswith("]"))
    )


# Gutenberg's plain-text italics: "_You_ may have" (underscores at word edges, the words between
# on one paragraph's lines). snake_case and a lone "_" are text. The opening "_" comes first and
# the test of the character before it follows it (``(?<![\w_]_)``, the same condition), so the
# scan jumps from one "_" to the next instead of testing a look-behind at every character.
_EMPHASIS = re.compile(r"_(?<![\w_]_)(?=[^\s_])((?:[^_\n]|\n(?!\s*\n))+?)(?<=[^\s_])_(?![\w_])")


def mark_emphasis(text: str) -> str:
    """``text`` with Gutenberg's ``_emphasis_`` underscores turned into emphasis marks
    ("_You_ may" -> OPEN "You" CLOSE " may"; see :mod:`bot.core.emphasis`)."""
    return _EMPHASIS.sub(lambda m: f"{OPEN}{m.group(1)}{CLOSE}", text)

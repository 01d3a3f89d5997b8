"""Sections: chapter headings found in plain text, and body blocks split into sections.

Chapter headings in plain text (:func:`mark_chapter_headings`)
    A one-line block that names a division and its number is a heading: "CHAPTER I.", "Chapter
    12", "CHAPTER 1. Loomings.", "BOOK TWO", "PART ONE", "VOLUME III", "LETTER IV", "STAVE ONE",
    "Chapter the First", and "Prologue"/"Epilogue" alone. Numbers are digits, Roman numerals or
    spelled out (one to ninety-nine, first to twentieth). A heading whose title wraps onto a
    second line ("CHAPTER 56. Of the Less Erroneous Pictures of Whales, and the True" /
    "Pictures of Whaling Scenes.") is one heading. The division word is capitalised
    ("chapter 3 of the report" is prose). A bare Roman numeral line ("IV.") is a heading only
    when the document has at least three of them. A block of two lines, a heading then a short
    line ("CHAPTER I." / "Down the Rabbit-Hole"), is one heading, and so is a heading followed by
    a one-line block that reads as its title ("CHAPTER ONE" then "THE EVE OF THE WAR", shown
    "Chapter One: The Eve of the War"); a title line may be in quotation marks ("AEGRI SOMNIA")
    or in capitals with digits and abbreviations ("FROM LATITUDE 47 deg. 24'"). Books, parts
    and volumes are level 1 and the chapters inside them level 2 when the document has both
    (each chapter's section title then names its book, part or volume: "Volume II, Chapter I",
    "Book Two, Chapter One: The Ruins", so titles that restart in each part stay distinct);
    otherwise every heading is level 1. A block of three or more lines that are all headings is a table of
    contents: it is dropped and reported.

Sections (:func:`split_sections`)
    Heading blocks (from the format: Markdown, DOCX, HTML, EPUB; or found above) start sections;
    the other blocks are the body paragraphs. Of headings that follow each other with no text
    between (a part then its first chapter), the last one, right above the text, names the
    section; a heading with no text after it is dropped. Text before the first heading is a
    section too, named from one of its first paragraphs that is a short line in capitals
    ("ETYMOLOGY." -> "Etymology"), else "Opening" (true of a book's front matter, an article's
    lede or notes alike, where "Front matter" would be wrong for the last two). A document without headings has no
    sections. Titles written in capitals are title-cased (:func:`bot.core.text.title_case`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.loader._blocks import _Block
from bot.core.text import title_case

HEADING_MAX_CHARS = 100
SUBTITLE_MAX_CHARS = 80
ROMAN_HEADINGS_MIN = 3
CAPITALS_SHARE = 0.75
"""A line with at least this share of its letters in capitals is written in capitals."""

_UNITS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
)
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth last"
)
_SPELLED = (
    rf"(?:(?:{'|'.join(_TENS.split())})(?:[- ](?:{'|'.join(_UNITS.split()[:9])}))?"
    rf"|{'|'.join(_UNITS.split())}|(?:the\s+)?(?:{'|'.join(_ORDINALS.split())}))"
)
_ROMAN = r"(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
_NUMBER = rf"(?:\d{{1,4}}|{_ROMAN}|(?i:{_SPELLED}))"
_TOP_KINDS = ("book", "part", "volume")
_HEADING = re.compile(
    rf"(?P<kind>Chapter|CHAPTER|Book|BOOK|Part|PART|Volume|VOLUME|Letter|LETTER|Stave|STAVE"
    rf"|Canto|CANTO|Act|ACT|Scene|SCENE|Section|SECTION)\.?\s+(?P<number>{_NUMBER})\b"
    rf"(?:[.:]?\s*(?:[-—–:.]\s*)?(?P<rest>[^\s].*)?)?"
    r"|(?P<alone>Prologue|PROLOGUE|Epilogue|EPILOGUE)\.?",
)
_QUOTED = re.compile(r"[\"“”](.+)[\"“”]")
_BARE_ROMAN = re.compile(rf"{_ROMAN}\.?")
_DIVISION = re.compile(
    r"^(?:CHAPTER|BOOK|PART|VOLUME|LETTER|STAVE|CANTO|ACT|SCENE|SECTION|PROLOGUE|EPILOGUE)\b"
)


@dataclass(frozen=True, slots=True)
class _Heading:
    """A section start: the index of its first body paragraph (0-based), title and level."""

    first: int
    title: str | None
    level: int


def _heading_kind(line: str) -> str | None:
    """``"top"`` (book, part, volume), ``"chapter"`` (the rest), or ``None``: not a heading."""
    if len(line) > HEADING_MAX_CHARS:
        return None
    match = _HEADING.fullmatch(line)
    if match is None:
        return None
    if match.group("alone"):
        return "chapter"
    rest = match.group("rest") or ""
    if rest and (rest[0].islower() or len(rest.split()) > 12):
        return None  # "Chapter 3 of the report said ..." is prose
    return "top" if match.group("kind").lower() in _TOP_KINDS else "chapter"


def mark_chapter_headings(blocks: list[_Block]) -> list[str]:
    """Mark chapter headings of plain text in place (see the module docstring).

    Returns notes for the operator (a table of contents found and dropped).
    """
    notes: list[str] = []
    kept = [b for b in blocks if not _is_contents(b)]
    if len(kept) < len(blocks):
        notes.append("looks like a table of contents: dropped its list of chapter headings")
        blocks[:] = kept
    kinds = [_block_kind(b) for b in blocks]
    bare = sum(1 for b in blocks if b.lines == 1 and _BARE_ROMAN.fullmatch(b.text))
    if bare >= ROMAN_HEADINGS_MIN:
        kinds = [
            kind or ("chapter" if b.lines == 1 and _BARE_ROMAN.fullmatch(b.text) else None)
            for b, kind in zip(blocks, kinds, strict=True)
        ]
    two_levels = "top" in kinds and "chapter" in kinds
    result: list[_Block] = []
    for index, (block, kind) in enumerate(zip(blocks, kinds, strict=True)):
        previous = result[-1] if result else None
        if kind is not None and not block.heading:
            block.heading = block.chapter = True
            block.level = 2 if two_levels and kind == "chapter" else 1
            if block.lines == 2:
                block.text = _join_title(block.source)
        elif (
            previous is not None
            and previous.chapter
            and previous.lines == 1
            and _has_no_title(previous.text)
            and index + 1 < len(blocks)
            and _is_subtitle(block)
        ):
            previous.text = _join_title((previous.text, block.text))
            previous.lines = 2  # has its title now
            continue
        result.append(block)
    blocks[:] = result
    return notes


def _block_kind(block: _Block) -> str | None:
    """The heading kind of a block: one line, or a heading line then a short title line."""
    if block.heading or block.lines > 2:
        return None
    lines = block.source or (block.text,)
    kind = _heading_kind(lines[0])
    second = lines[1] if len(lines) == 2 else None
    if kind is not None and second is not None:
        return kind if _is_title_line(second) or _continues_title(lines[0], second) else None
    return kind


def _continues_title(first: str, second: str) -> bool:
    """A heading's title wrapped onto a second line ("CHAPTER 56. Of the Less Erroneous
    Pictures of Whales, and the True" / "Pictures of Whaling Scenes."): the first line's title
    stops mid-phrase (no final stop) and the second line is short and starts with a capital."""
    match = _HEADING.fullmatch(first)
    rest = (match.group("rest") or "") if match else ""
    second = second.strip()
    return (
        bool(rest)
        and not rest.rstrip().endswith((".", "!", "?", ":"))
        and 0 < len(second) <= SUBTITLE_MAX_CHARS
        and second[0].isupper()
        and _heading_kind(second) is None
    )


def _has_no_title(line: str) -> bool:
    """A heading that is only a division and its number ("CHAPTER ONE", "IV.")."""
    match = _HEADING.fullmatch(line)
    return match is None or not match.group("rest")


def _is_subtitle(block: _Block) -> bool:
    """A one-line block under a chapter heading that is the chapter's title."""
    return block.lines == 1 and _is_title_line(block.text)


def _is_title_line(line: str) -> bool:
    """Short, not a sentence: in capitals, or every longer word capitalised and no final '.'."""
    quoted = _QUOTED.fullmatch(line)
    if quoted:  # '"AEGRI SOMNIA"': a title in quotation marks
        line = quoted.group(1)
    if len(line) > SUBTITLE_MAX_CHARS or line[:1] in "\"“‘'(" or _heading_kind(line):
        return False
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    if sum(c.isupper() for c in letters) >= CAPITALS_SHARE * len(letters):
        return True  # in capitals, perhaps with "deg." or digits: "FROM LATITUDE 47 deg. 24'"
    long_words = [w for w in line.split() if len(w) >= 4]
    return not line.endswith((".", ",", ";", "!", "?")) and all(w[0].isupper() for w in long_words)


def _join_title(lines: tuple[str, ...]) -> str:
    """ "CHAPTER I." + "Down the Rabbit-Hole" -> "CHAPTER I. Down the Rabbit-Hole"."""
    first, second = lines[0].strip(), lines[1].strip()
    if first.endswith((".", ":", "—")) or _continues_title(first, second):
        return f"{first} {second}"
    return f"{first}: {second}"


def _is_contents(block: _Block) -> bool:
    """A block of three or more lines, each a chapter heading: a table of contents."""
    if block.lines < 3 or block.heading:
        return False
    return all(_heading_kind(line.strip()) for line in block.source)


def split_sections(blocks: list[_Block]) -> tuple[list[_Block], list[_Heading]]:
    """Body paragraphs and section starts of ``blocks`` (rules in the module docstring)."""
    paragraphs: list[_Block] = []
    headings: list[_Heading] = []
    run: list[_Block] = []
    part: str | None = None
    for block in blocks:
        if block.heading:
            part = _part_name(block) or part
            run.append(block)
            continue
        if run:
            headings.append(_joined(run, len(paragraphs), part))
            run = []
        paragraphs.append(block)
    if headings and headings[0].first > 0:
        opening = _opening_title(paragraphs[: headings[0].first])
        headings.insert(0, _Heading(0, opening, headings[0].level))
    return paragraphs, headings


OPENING = "Opening"
"""The title of the text before the first heading when it has no heading-like first line."""
OPENING_HEADING_MAX_CHARS = 40
OPENING_LOOKS = 3


def _opening_title(blocks: list[_Block]) -> str:
    """The title of the text before the first heading: the first of its first
    :data:`OPENING_LOOKS` paragraphs that is a short line in capitals over more text
    ("ETYMOLOGY." -> "Etymology", after a transcriber's note), else :data:`OPENING`."""
    for block in blocks[: min(OPENING_LOOKS, len(blocks) - 1)]:
        line = block.text.strip()
        letters = [c for c in line if c.isalpha()]
        if (
            "\n" not in line
            and len(line) <= OPENING_HEADING_MAX_CHARS
            and len(line.split()) <= 5
            and letters
            and all(c.isupper() for c in letters)
            and line[-1] not in ",;:!?"
        ):
            return re.sub(r"(?<!\.)\.$", "", title_case(line))
    return OPENING


def _part_name(block: _Block) -> str | None:
    """A book, part or volume heading of plain text over level-2 chapters, as its division and
    number ("BOOK ONE: THE COMING OF THE MARTIANS" -> "Book One"); ``None`` for other blocks."""
    if not (block.chapter and block.level == 1):
        return None
    match = _HEADING.match(block.text)
    if match is None or not match.group("number") or match.group("kind").lower() not in _TOP_KINDS:
        return None
    number = match.group("number")
    number = number if _BARE_ROMAN.fullmatch(number) or number.isdigit() else number.title()
    return f"{match.group('kind').capitalize()} {number}"


def _joined(run: list[_Block], first: int, part: str | None = None) -> _Heading:
    """The section start of consecutive headings: the last one, right above the text; a
    chapter inside a book, part or volume is named with it ("Volume II, Chapter I")."""
    last = run[-1]
    title = title_case(" ".join(last.text.split()))
    if last.chapter:  # "CHAPTER 1. Loomings." -> "Chapter 1. Loomings."
        title = _DIVISION.sub(lambda m: m.group(0).capitalize(), title, count=1)
    if last.chapter and last.level == 2 and part:
        title = f"{part}, {title}"
    return _Heading(first, title, last.level or 1)

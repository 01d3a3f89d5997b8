"""PDF text layers, read with pypdfium2 (Apache-2.0/BSD; PDFium, the PDF engine of Chrome).

Chosen by measurement (``python -m benchmarks.extraction``, and py-pdf/benchmarks' published
figures: pypdfium2 about 0.2 s a document, pypdf 2.6 s, pdfminer.six 4.5 s); PyMuPDF is AGPL.
PDFium gives each text line with its box; from those:

- **lines**: PDFium's text rects on one baseline are joined (a change of font, or a bullet
  glyph, is a rect of its own);
- **columns**: a page whose lines fall on both sides of its middle with a gap and almost none
  across it is read left column first, then right (a line spanning both, such as a title, is
  read first when it is above the columns);
- **contents and index**: a line that ends in dot leaders and a page number ("2.2 Naming
  . . . . 3") is dropped;
- **page furniture**: a first or last line of a page that is a page number ("12", "- 12 -",
  "Page 12", "12 of 40", Roman numerals), or whose text (digits ignored) is the first or last
  line of at least half of the pages (two pages at least: a running header or footer), is
  dropped;
- **paragraphs**: a vertical gap wider than 1.4 times the usual line spacing, an indented first
  line, a line that stops although the next line's first word would have fitted on it, or a
  chapter heading ("CHAPTER 4") ends a paragraph; a paragraph runs on over a column break when
  the column's last line is full, and over a page break when the page ends mid-sentence and
  the next starts in lower case;
- **hyphenation**: a line ending in a hyphen (or a soft hyphen) between two lower-case letters
  is joined to the next line without it ("exam-" + "ple" -> "example").

The text is then laid out like plain text (title line, chapter headings, ...). Metadata:
``Title``, ``Author`` and ``CreationDate`` of the document information dictionary. An
encrypted PDF is reported as "encrypted: give an unprotected copy"; a PDF whose pages hold no
text (a scan) as "no text layer (a scan?)".
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from bot.core.loader._blocks import _Source
from bot.core.loader._errors import DocumentError
from bot.core.loader._sections import _heading_kind

_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?",
    re.IGNORECASE,
)
# A line of a table of contents or an index: dot leaders to a page number ("Naming . . . 3").
_LEADER = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlcdm]{1,7})$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]$")
_HYPHENS = ("-", "\u00ad", "\u2010", "\x02")
PARAGRAPH_GAP = 1.4  # times the usual line pitch
FURNITURE_SHARE = 0.5
SHORT_LINE = 0.15  # of the column's width: a last line ends at least this far from the margin
FIT_SLACK = 3.0  # characters: proportional fonts make the estimate of a word's width rough


@dataclass(slots=True)
class _Line:
    x0: float
    y0: float  # bottom (PDF coordinates grow upwards)
    x1: float
    y1: float
    text: str


def read_pdf(data: bytes) -> _Source:
    """The text layer and metadata of a PDF (rules in the module docstring).

    Raises:
        DocumentError: encrypted, no text layer, or not a readable PDF.
    """
    import pypdfium2 as pdfium  # imported here: a corpus without PDFs does not pay for it

    if not data.lstrip().startswith(b"%PDF"):
        raise DocumentError("not a PDF file (it does not start with %PDF)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentError("encrypted: give an unprotected copy") from None
        raise DocumentError(f"damaged PDF file ({_pdfium_reason(error)})") from None
    try:
        pages = [_page_lines(document[index]) for index in range(len(document))]
        metadata = _metadata(document.get_metadata_dict())
    finally:
        document.close()
    if not any(pages):
        raise DocumentError("no text layer (a scan?): give a PDF with text, or its text")
    pages = [
        [ln for ln in lines if not _LEADER.search(ln.text)] for lines in _drop_furniture(pages)
    ]
    return _Source("pdf", metadata, text=_text(pages))


def _pdfium_reason(error: Exception) -> str:
    """PDFium's reason in plain words: "Failed to load document (PDFium: Data format error)."
    -> "data format error"."""
    text = str(error).strip().rstrip(".")
    match = re.search(r"\(PDFium: ([^)]*)\)", text)
    reason = match.group(1) if match else text
    return reason[:1].lower() + reason[1:] if reason[1:2].islower() else reason


def _page_lines(page: object) -> list[_Line]:
    """The text lines of a page in reading order (columns left then right)."""
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        lines: list[_Line] = []
        for index in range(textpage.count_rects()):
            x0, y0, x1, y1 = textpage.get_rect(index)
            text = textpage.get_text_bounded(x0, y0, x1, y1)
            text = " ".join(text.replace("\r", " ").replace("\n", " ").split())
            if text:
                lines.append(_Line(x0, y0, x1, y1, text))
    finally:
        textpage.close()
    width = float(page.get_width())  # type: ignore[attr-defined]
    return _reading_order(_merge_segments(lines), width)


def _merge_segments(lines: list[_Line]) -> list[_Line]:
    """Join segments of one printed line (a change of font splits a line in PDFium's rects)."""
    merged: list[_Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        # The taller of the two sets the scale: a bullet glyph is a rect of its own, 2 pt high.
        height = max(last.y1 - last.y0, line.y1 - line.y0) if last is not None else 0.0
        if (
            last is not None
            and abs((last.y0 + last.y1) / 2 - (line.y0 + line.y1) / 2) < height / 2
            and 0 <= line.x0 - last.x1 < 2 * height
        ):
            gap = "" if line.x0 - last.x1 < 0.15 * height else " "
            last.text += gap + line.text
            last.x1, last.y0, last.y1 = line.x1, min(last.y0, line.y0), max(last.y1, line.y1)
        else:
            merged.append(line)
    return merged


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    middle = width / 2
    left = [ln for ln in lines if ln.x1 <= middle + 2]
    right = [ln for ln in lines if ln.x0 >= middle - 2]
    across = [ln for ln in lines if ln.x0 < middle - 2 and ln.x1 > middle + 2]
    if len(left) >= 3 and len(right) >= 3 and len(across) <= 0.1 * len(lines):
        columns_top = max(ln.y1 for ln in left + right)
        above = [ln for ln in across if ln.y0 >= columns_top - 1]
        below = [ln for ln in across if ln.y0 < columns_top - 1]

        def down(group: list[_Line]) -> list[_Line]:
            return sorted(group, key=lambda ln: (-ln.y1, ln.x0))

        return down(above) + down(left) + down(right) + down(below)
    return lines  # PDFium's order: the content stream's, which is the reading order here


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold()).strip()


def _edges(lines: list[_Line]) -> list[_Line]:
    """The top and bottom lines of a page (by position: columns reorder the list)."""
    if not lines:
        return []
    top = max(lines, key=lambda ln: ln.y1)
    bottom = min(lines, key=lambda ln: ln.y0)
    return [top] if top is bottom else [top, bottom]


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop page numbers and running headers and footers (see the module docstring)."""
    edges: Counter[str] = Counter()
    for lines in pages:
        edges.update({_furniture_key(ln.text) for ln in _edges(lines)})
    repeated = {
        key
        for key, count in edges.items()
        if count >= 2 and count >= FURNITURE_SHARE * len(pages) and len(pages) >= 2
    }
    result: list[list[_Line]] = []
    for lines in pages:
        kept = list(lines)
        for _ in range(2):  # a header or footer of two lines, or a number under a footer
            furniture = [
                ln
                for ln in _edges(kept)
                if _PAGE_NUMBER.fullmatch(ln.text) or _furniture_key(ln.text) in repeated
            ]
            if not furniture:
                break
            kept = [ln for ln in kept if all(ln is not f for f in furniture)]
        result.append(kept)
    return result


def _text(pages: list[list[_Line]]) -> str:
    """Paragraphs separated by blank lines, the lines of each on lines of their own."""
    paragraphs: list[list[str]] = []
    for lines in pages:
        if not lines:
            continue
        pitch = _usual_pitch(lines)
        bounds = _column_bounds(lines)
        first = True
        previous: _Line | None = None
        for line in lines:
            if first:
                starts = not paragraphs or not _continues(paragraphs[-1][-1], line.text)
            else:
                assert previous is not None
                starts = _breaks(previous, line, pitch, bounds)
            if starts:
                paragraphs.append([line.text])
            else:
                _append(paragraphs[-1], line.text)
            first, previous = False, line
    return "\n\n".join("\n".join(p) for p in paragraphs)


_Bounds = tuple[tuple[float, float], tuple[float, float]]


def _column_bounds(lines: list[_Line]) -> _Bounds:
    """``((left, right) of the left column, (left, right) of the right one)``; one column: the
    same bounds twice."""
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    middle = (left + right) / 2
    first = [ln for ln in lines if ln.x1 <= middle + 2]
    second = [ln for ln in lines if ln.x0 >= middle - 2]
    if len(first) < 3 or len(second) < 3:
        return (left, right), (right + 1, right)  # nothing starts right of the page
    return (
        (left, max(ln.x1 for ln in first)),
        (min(ln.x0 for ln in second), right),
    )


def _usual_pitch(lines: list[_Line]) -> float:
    gaps = [a.y0 - b.y0 for a, b in itertools.pairwise(lines) if a.y0 - b.y0 > 0]
    return statistics.median(gaps) if gaps else 0.0


def _breaks(previous: _Line, line: _Line, pitch: float, bounds: _Bounds) -> bool:
    """Whether ``line`` starts a new paragraph after ``previous`` (same page)."""
    gap = previous.y0 - line.y0
    height = max(line.y1 - line.y0, 1.0)
    previous_right = _column(previous, bounds)[1]
    if gap < 0:  # the next column: the paragraph goes on when the column's last line was full
        return not (_full(previous, line.text, previous_right) or _continues(previous, line))
    if pitch and gap > PARAGRAPH_GAP * pitch:
        return True  # a blank line's worth of space
    if _heading_kind(line.text) or _heading_kind(previous.text):
        return True  # a chapter heading is a line of its own
    ends = bool(_SENTENCE_END.search(previous.text))
    left = _column(line, bounds)[0]
    previous_indented = abs(previous.x0 - left) >= 0.3 * height
    if line.x0 - left > 0.6 * height and (ends or not previous_indented):
        return True  # an indented first line
    # A line that stops although the next line's first word would have fitted ends a paragraph.
    left_edge = _column(previous, bounds)[0]
    short = previous.x1 < previous_right - SHORT_LINE * (previous_right - left_edge)
    return ends and short and not _full(previous, line.text, previous_right, slack=FIT_SLACK)


def _column(line: _Line, bounds: _Bounds) -> tuple[float, float]:
    return bounds[0] if line.x0 < bounds[1][0] else bounds[1]


def _full(line: _Line, following: str, right: float, *, slack: float = 0.5) -> bool:
    """Whether the first word of ``following`` would not have fitted at the end of ``line``
    (widths estimated from the line's average character width, give or take ``slack``
    characters)."""
    width = (line.x1 - line.x0) / max(len(line.text), 1)
    word = following.split(" ", 1)[0]
    return line.x1 + width * (len(word) + 1) > right - width * slack


def _continues(previous: _Line | str, following: _Line | str) -> bool:
    """A paragraph running on over a break: no sentence end, the next starts in lower case."""
    text = previous if isinstance(previous, str) else previous.text
    after = following if isinstance(following, str) else following.text
    return not _SENTENCE_END.search(text) and after[:1].islower()


def _append(lines: list[str], text: str) -> None:
    """Add a line to a paragraph, rejoining a word hyphenated across the line break."""
    last = lines[-1]
    if (
        len(last) >= 2
        and last.endswith(_HYPHENS)
        and last[-2].isalpha()
        and last[-2].islower()
        and text[:1].islower()
    ):
        word, _, rest = text.partition(" ")
        lines[-1] = last[:-1] + word
        if rest:
            lines.append(rest)
        return
    lines.append(text)


def _metadata(info: dict[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for field, key in (("Title", "title"), ("Author", "author")):
        value = " ".join((info.get(field) or "").split())
        if value and not re.fullmatch(
            r"(?:untitled|microsoft word - .*|.*\.(?:docx?|pdf))", value, re.IGNORECASE
        ):
            result[key] = value
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", info.get("CreationDate") or "")
    if match is not None:
        result["date"] = "-".join(match.groups())
    return result

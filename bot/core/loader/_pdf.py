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
  line of at least half of the pages (two pages at least: a running header or footer), or of
  two pages when it has three words or more and a page number at one end (a header that
  changes with the chapter: "Chapter 2: Naming 7"), is dropped;
- **paragraphs** and **hyphenation**: :mod:`._pdf_paragraphs` (gaps, indents, lines that
  stop short, bullets, headings; words hyphenated at a line end rejoined).

The text is then laid out like plain text (title line, chapter headings, ...). Metadata:
``Title``, ``Author`` and ``CreationDate`` of the document information dictionary. An
encrypted PDF is reported as "encrypted: give an unprotected copy"; a PDF whose pages hold no
text (a scan) as "no text layer (a scan?)".
"""

from __future__ import annotations

import re
from collections import Counter

from bot.core.loader._blocks import _Source
from bot.core.loader._errors import DocumentError
from bot.core.loader._pdf_paragraphs import _Line, _text

_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?",
    re.IGNORECASE,
)
# A line of a table of contents or an index: dot leaders to a page number ("Naming . . . 3").
_LEADER = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlcdm]{1,7})$", re.IGNORECASE)
FURNITURE_SHARE = 0.5
# A running header that changes with the chapter and carries the page number: three words at
# least and a number at one end ("Chapter 2: ASN.1 structure handling 3", digits as "#").
_PAGED = re.compile(r"^(?=(?:\S+\s+){2}\S)(?:#\s.*|.*\s#)$")


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
        # The taller of the two sets the scale: a bullet glyph or a comma is a rect of its own,
        # 2 pt high, so one printed line is boxes that overlap vertically, side by side.
        height = max(last.y1 - last.y0, line.y1 - line.y0) if last is not None else 0.0
        if (
            last is not None
            and _overlap(last, line) >= 0.3 * min(last.y1 - last.y0, line.y1 - line.y0)
            and 0 <= line.x0 - last.x1 < 2 * height
        ):
            gap = "" if line.x0 - last.x1 < 0.15 * height else " "
            last.text += gap + line.text
            last.x1, last.y0, last.y1 = line.x1, min(last.y0, line.y0), max(last.y1, line.y1)
        else:
            merged.append(line)
    return merged


def _overlap(a: _Line, b: _Line) -> float:
    """How far the boxes of ``a`` and ``b`` overlap vertically (points; negative: apart)."""
    return min(a.y1, b.y1) - max(a.y0, b.y0)


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
        if count >= 2 and (count >= FURNITURE_SHARE * len(pages) or _PAGED.search(key))
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

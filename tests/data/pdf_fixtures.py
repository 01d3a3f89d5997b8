"""PDF fixtures for the loader's format tests: a minimal PDF writer and the pages it sets.

:func:`pdf_bytes` writes text lines at given positions in Helvetica with the standard library
only; the other functions lay out pages of text the way typesetters do (running headers, page
numbers, indented first lines, hyphenation, two columns, bullets, contents with dot leaders).
:func:`book_pages` is shared with ``benchmarks.extraction``.
"""

from __future__ import annotations

import textwrap


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(
    pages: list[list[tuple[float, float, str]]],
    *,
    info: dict[str, str] | None = None,
    drawing_only: bool = False,
) -> bytes:
    """A PDF whose pages show the given ``(x, y, text)`` lines in Helvetica 11 pt (A4, points
    from the bottom left). ``drawing_only``: each page holds a filled rectangle and no text."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for index, lines in enumerate(pages):
        content_id = page_ids[index] + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        if drawing_only:
            stream = b"0.5 g 60 300 475 400 re f"
        else:
            stream = b"".join(
                f"BT /F1 11 Tf {x:.1f} {y:.1f} Td ({_escape(text)}) Tj ET\n".encode("cp1252")
                for x, y, text in lines
            )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    if info:
        fields = " ".join(f"/{k} ({_escape(v)})" for k, v in info.items())
        objects.append(f"<< {fields} >>".encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R"
    if info:
        trailer += f" /Info {len(objects)} 0 R"
    out += trailer.encode() + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


REPORT_PARAGRAPHS = [
    "The committee met on four occasions during the year and heard evidence from a wide "
    "range of witnesses about the state of the harbour.",
    "Its main finding is that the sea wall needs repair before the next winter, and that the "
    "cost is within the council's means.",
    "The committee thanks everyone who gave evidence.",
]


MANUAL_PARAGRAPHS = [
    "The library offers the three things listed below.",
    "• parsing of definitions;",
    "• encoding and decoding, of every type the definitions name, into a buffer of the "
    "caller's choosing;",
    "• error messages in plain words.",
]


def _manual_pages() -> list[list[tuple[float, float, str]]]:
    """A title, a table of contents with dot leaders, then a bulleted list (each bullet glyph
    drawn on its own, as typesetters do)."""
    contents = [
        (72, 780, "Library Manual"),
        (72, 750, "1 Introduction . . . . . . . . . . . . . . . . . . 2"),
        (72, 736, "2 Installing the library . . . . . . . . . . . . 3"),
    ]
    body = [(72, 740, MANUAL_PARAGRAPHS[0])]
    y = 720.0
    for item in MANUAL_PARAGRAPHS[1:]:
        first, *rest = textwrap.wrap(item.removeprefix("• "), 80)
        body += [(72, y, "•"), (84, y, first)]
        for line in rest:  # the item's next lines hang under its text, not its bullet
            y -= 14
            body.append((84, y, line))
        y -= 14
    return [contents, body]


CHAPTER_PAGES = [
    "The harbour was quiet on the first morning of the voyage.",
    "The captain walked the deck twice before he spoke.",
    "By noon the wind had turned and the sails filled.",
    "Nobody aboard could remember a fairer day for leaving.",
    "Land rose out of the sea on the twelfth morning.",
    "They anchored in a bay of white sand and stayed.",
]


def _chapter_header_pages() -> list[list[tuple[float, float, str]]]:
    """Six pages, two a chapter, each under a running header that names its chapter and ends
    with the page number ("Chapter 2: The Wind 3"), each holding one paragraph."""
    names = ["The Harbour", "The Wind", "The Island"]
    return [
        [(72, 800, f"Chapter {n // 2 + 1}: {names[n // 2]} {n + 1}"), (72, 740, text)]
        for n, text in enumerate(CHAPTER_PAGES)
    ]


def _hyphenated_lines(paragraph: str, width: int) -> list[str]:
    """Wrap at ``width`` characters, splitting long words across lines with a hyphen."""
    lines: list[str] = []
    current = ""
    for word in paragraph.split():
        if len(current) + 1 + len(word) <= width or not current:
            current = f"{current} {word}".strip()
            continue
        room = width - len(current) - 2
        if len(word) >= 8 and word.isalpha() and room >= 3:
            cut = min(room, len(word) - 3)
            lines.append(f"{current} {word[:cut]}-")
            current = word[cut:]
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


def book_pages(
    chapters: list[tuple[str, list[str]]], *, columns: int, header: str
) -> list[list[tuple[float, float, str]]]:
    """Chapters ``(title, paragraphs)`` set as a book for :func:`pdf_bytes`: ragged lines of 88
    characters (42 in two columns) with long words hyphenated, first lines indented, chapter
    titles in capitals, 52 lines a column, a running header and page numbers."""
    width, x_starts = (88, [72.0]) if columns == 1 else (42, [50.0, 310.0])
    pages: list[list[tuple[float, float, str]]] = []
    lines: list[tuple[float, str]] = []  # (indent, text)
    for title, paragraphs in chapters:
        lines.append((0.0, title.upper()))
        for paragraph in paragraphs:
            for i, line in enumerate(_hyphenated_lines(paragraph, width)):
                lines.append((14.0 if i == 0 else 0.0, line))
    per_column = 52
    chunk = per_column * columns
    for page_number, start in enumerate(range(0, len(lines), chunk), start=1):
        page = [(72.0, 800.0, header)]
        for c in range(columns):
            column = lines[start + c * per_column : start + (c + 1) * per_column]
            for row, (indent, text) in enumerate(column):
                page.append((x_starts[c] + indent, 760.0 - 13.5 * row, text))
        page.append((290.0, 40.0, str(page_number)))
        pages.append(page)
    return pages


def _report_pages() -> list[list[tuple[float, float, str]]]:
    """Two pages: running header, page-number footer, a hyphenated word, an indented paragraph."""
    header = (72, 800, "Harbour Committee Annual Report")
    page_one = [
        header,
        (72, 740, "The committee met on four occasions during the year and heard evi-"),
        (72, 726, "dence from a wide range of witnesses about the state of the harbour."),
        (90, 700, "Its main finding is that the sea wall needs repair before the next"),
        (72, 686, "winter, and that the cost is within the"),
        (297, 40, "1"),
    ]
    page_two = [
        header,
        (72, 740, "council's means."),
        (90, 714, "The committee thanks everyone who gave evidence."),
        (297, 40, "2"),
    ]
    return [page_one, page_two]


def _two_column_pages() -> list[list[tuple[float, float, str]]]:
    left = ["The left column starts the story", "and runs down the page to", "its very end."]
    right = ["Only then does the right column", "continue the story and bring", "it home."]
    lines = [(60.0, 760.0 - 14 * i, text) for i, text in enumerate(left)]
    lines += [(320.0, 760.0 - 14 * i, text) for i, text in enumerate(right)]
    return [lines]

"""Build small web page, EPUB, PDF and DOCX files from text, for the loader's format tests.

``build(folder)`` writes every fixture into ``folder`` and returns their paths by name; the tests
call it into a temporary folder, so no generated binary is kept in the repository. Run it as
``python -m tests.data.make_format_fixtures OUT`` to look at the files. Everything is made with
the standard library (PDF and EPUB are written by hand: both are simple text-based formats) and
python-docx, a dependency of the product.
"""

from __future__ import annotations

import io
import sys
import textwrap
import zipfile
from pathlib import Path

CHAPTER_ONE = [
    "It was the first morning of the voyage, and the harbour lay quiet under a grey sky.",
    "The captain walked the deck twice before he spoke to anyone at all.",
]
CHAPTER_TWO = [
    "By noon the wind had turned, and the sails filled with a sound like applause.",
    "Nobody aboard could remember a fairer day for leaving home.",
]
NOTES_ONE = [
    "Notes taken on deck: the harbour was quiet and the sky was the colour of slate.",
    "The captain paced twice from bow to stern before giving his first order.",
]
NOTES_TWO = [
    "At midday the wind backed to the west and every sail drew at once.",
    "The crew agreed they had never left port on a better day.",
]
JAPANESE = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"


# ---------------------------------------------------------------------------------------- HTML

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour Reopens After Storm | The Example Gazette</title>
<meta property="og:title" content="Harbour Reopens After Storm">
<meta property="og:site_name" content="The Example Gazette">
<meta name="author" content="Maria Lopez">
<meta property="article:published_time" content="2021-03-04T08:00:00Z">
<link rel="canonical" href="https://gazette.example/harbour-reopens">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Harbour Reopens After Storm", "author": {"@type": "Person", "name": "Maria Lopez"},
"datePublished": "2021-03-04"}</script>
</head><body>
<nav class="menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">This website uses cookies to improve your experience. Accept all</div>
<main><article>
<h1>Harbour Reopens After Storm</h1>
<p class="byline">By Maria Lopez</p>
<p>The harbour reopened on Thursday morning after <em>three days</em> of closure, as fishing boats
returned to the water under a clearing sky and the harbour master declared the channel safe.</p>
<p>Engineers worked through the night to clear the debris that the storm had carried into the
main channel, and the first ferry left at seven o'clock with a full load of passengers.</p>
<h2>Damage to the sea wall</h2>
<p>The old sea wall lost several stones near the lighthouse, and the council has promised a
survey before the spring tides arrive at the end of the month.</p>
<p>Residents gathered on the promenade to watch the boats go out, many of them saying they had
never seen the town so quiet as during the days of the storm.</p>
<div class="share-bar">Share on Facebook Share on Twitter Email</div>
</article></main>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Storm warnings issued</a></li>
<li><a href="/b">Ferry timetable changes</a></li></ul></aside>
<section id="comments"><h3>Comments (2)</h3><p>Great news for the town!</p></section>
<footer>© 2021 The Example Gazette. All rights reserved. Privacy Policy | Terms of Service</footer>
</body></html>
"""
ARTICLE_BODY = [
    "The harbour reopened on Thursday morning",
    "Engineers worked through the night",
    "The old sea wall lost several stones",
    "Residents gathered on the promenade",
]


# ---------------------------------------------------------------------------------------- EPUB


def _xhtml(title: str, body: str, kind: str = "") -> str:
    attribute = f' epub:type="{kind}"' if kind else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head><body{attribute}>{body}</body></html>"
    )


def epub_bytes(*, with_nav: bool = True, numbered_nav: bool = False) -> bytes:
    """An EPUB 3 with a cover, a table of contents, a copyright page, two chapters (one with a
    footnote, one with a word in italics) and a Japanese chapter with ruby readings.
    ``numbered_nav``: the navigation labels are only numbers ("1", "2", "3") and the second
    chapter has no heading of its own."""
    chapter_one = (
        "<h1>Chapter One</h1>"
        f"<p>{CHAPTER_ONE[0]}"
        '<a epub:type="noteref" href="#n1"><sup>1</sup></a></p>'
        f"<p>{CHAPTER_ONE[1]}</p>"
        '<aside epub:type="footnote" id="n1"><p>A note about the harbour.</p></aside>'
    )
    chapter_two = ("" if numbered_nav else "<h1>Chapter Two</h1>") + "".join(
        f"<p>{p.replace('fairer', '<em>fairer</em>')}</p>" for p in CHAPTER_TWO
    )
    japanese = (
        "<h1>第三章</h1><p>吾輩は<ruby>猫<rt>ねこ</rt></ruby>である。\n名前はまだ無い。"
        "どこで<ruby>生<rp>(</rp><rt>うま</rt><rp>)</rp></ruby>れたかとんと見当がつかぬ。</p>"
    )
    files = {
        "cover.xhtml": _xhtml("Cover", "<p>THE VOYAGE</p>", "cover"),
        "toc.xhtml": _xhtml("Contents", "<h1>Contents</h1><p>Chapter One</p><p>Chapter Two</p>"),
        "copyright.xhtml": _xhtml("Copyright", "<p>Copyright 2020 Fixture Press.</p>"),
        "one.xhtml": _xhtml("One", chapter_one),
        "two.xhtml": _xhtml("Two", chapter_two),
        "three.xhtml": _xhtml("Three", japanese),
    }
    labels = (
        ("1", "2", "3")
        if numbered_nav
        else ("Chapter One: The Harbour", "Chapter Two: The Wind", "第三章")
    )
    nav = _xhtml(
        "Navigation",
        '<nav epub:type="toc"><ol>'
        + "".join(
            f'<li><a href="{name}.xhtml">{label}</a></li>'
            for name, label in zip(("one", "two", "three"), labels, strict=True)
        )
        + "</ol></nav>",
    )
    manifest = "".join(
        f'<item id="{name[:-6]}" href="{name}" media-type="application/xhtml+xml"/>'
        for name in files
    )
    if with_nav:
        manifest += (
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        )
    spine = "".join(f'<itemref idref="{name[:-6]}"/>' for name in files)
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">fixture-voyage</dc:identifier><dc:title>The Voyage</dc:title>'
        "<dc:creator>Ada Marsh</dc:creator><dc:language>en</dc:language>"
        "<dc:date>1901-05-01</dc:date></metadata>"
        f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>"
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", opf)
        if with_nav:
            archive.writestr("OEBPS/nav.xhtml", nav)
        for name, text in files.items():
            archive.writestr(f"OEBPS/{name}", text, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------- PDF


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


# ---------------------------------------------------------------------------------------- DOCX


def docx_bytes() -> bytes:
    """A Word file with core properties, a Title, two headings and body paragraphs (one word in
    an italic run)."""
    import datetime as dt

    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.title = "Notes on the Voyage"
    properties.author = "Ada Marsh"
    properties.created = dt.datetime(2022, 6, 1, 9, 30)
    document.add_paragraph("Notes on the Voyage", style="Title")
    document.add_heading("The Harbour", level=1)
    for text in NOTES_ONE:
        document.add_paragraph(text)
    document.add_heading("The Wind", level=2)
    for text in NOTES_TWO:
        before, italic, after = text.partition("never")
        paragraph = document.add_paragraph(before)
        if italic:  # one italic word, as Word writes it: a run of its own
            paragraph.add_run(italic).italic = True
            paragraph.add_run(after)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------- all


def build(folder: Path) -> dict[str, Path]:
    """Write every fixture into ``folder``; returns their paths by file name."""
    folder.mkdir(parents=True, exist_ok=True)
    contents: dict[str, bytes] = {
        "article.html": ARTICLE.encode("utf-8"),
        "voyage.epub": epub_bytes(),
        "report.pdf": pdf_bytes(
            _report_pages(), info={"Title": "Harbour Report", "Author": "Harbour Committee"}
        ),
        "columns.pdf": pdf_bytes(_two_column_pages()),
        "manual.pdf": pdf_bytes(_manual_pages()),
        "chapters.pdf": pdf_bytes(_chapter_header_pages()),
        "scan.pdf": pdf_bytes([[]], drawing_only=True),
        "notes.docx": docx_bytes(),
        # Broken files of each format: the rest of a corpus must still load.
        "broken.html": b"\x00\x01\x02\x03binary\x00" * 20,
        "broken.epub": b"PK\x03\x04 this is not really a zip archive",
        "broken.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\ntruncated",
        "broken.docx": b"PK\x03\x04 this is not really a zip archive",
    }
    paths: dict[str, Path] = {}
    for name, data in contents.items():
        path = folder / name
        path.write_bytes(data)
        paths[name] = path
    return paths


if __name__ == "__main__":
    for name, path in build(Path(sys.argv[1] if len(sys.argv) > 1 else "format-fixtures")).items():
        print(f"{name:14} {path.stat().st_size:>7,} bytes  {path}")

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
import zipfile
from pathlib import Path

# PDF fixtures live in their own module; the names are re-exported for the tests.
from tests.data.pdf_fixtures import CHAPTER_PAGES as CHAPTER_PAGES
from tests.data.pdf_fixtures import MANUAL_PARAGRAPHS as MANUAL_PARAGRAPHS
from tests.data.pdf_fixtures import REPORT_PARAGRAPHS as REPORT_PARAGRAPHS
from tests.data.pdf_fixtures import (
    _chapter_header_pages,
    _manual_pages,
    _report_pages,
    _two_column_pages,
)
from tests.data.pdf_fixtures import book_pages as book_pages
from tests.data.pdf_fixtures import pdf_bytes as pdf_bytes

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

"""Document formats: how faithfully and how fast each reader gets the text out.

``python -m benchmarks.extraction`` prints, per format:

* **HTML**: article-body F1 on the five real news pages of scrapinghub's
  article-extraction-benchmark copied into ``tests/data/formats/html`` (hand-checked bodies in
  ``ground-truth.json``), with the benchmark's own metric (4-word shingles, counts normalised
  per page, F1 of the mean precision and mean recall). Our reader (trafilatura with
  ``favor_precision``, then our block reading) against trafilatura's default, jusText,
  readability-lxml (when installed) and plain tag stripping. Published on all 181 pages:
  trafilatura 0.958, readability 0.922, jusText 0.804, tag stripping 0.665.
* **PDF**: shingle F1 and paragraph count against the source text, on PDFs typeset by
  ``tests/data/pdf_fixtures.book_pages`` from real book text (the first chapters of Pride
  and Prejudice from ``benchmarks/data/search/books`` when gathered, else the fixture text):
  one column with a running header, page numbers, indented paragraphs and words hyphenated at
  line ends, and the same in two columns. Our reader against PDFium's raw text, pypdf and
  pdfminer.six (the ``bench`` extra).
* **EPUB**: shingle F1 and chapter titles against the source, on an EPUB made from the same
  chapters (cover, navigation, footnotes), against stripping the tags of every spine file.
* **load time per MB** of each format (median of 3, machine shared: compare within a run).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import statistics
import sys
import tempfile
import textwrap
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.core.loader import load_document, parse_document
from bot.core.loader._html import _html_blocks
from tests.data import make_format_fixtures as fx

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "tests" / "data" / "formats" / "html"
BOOK = ROOT / "benchmarks" / "data" / "search" / "books" / "pride_and_prejudice.txt"
CHAPTERS = 12


# ---------------------------------------------------------------------------------- metric


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


def shingle_scores(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """(precision, recall, F1) over ``(truth, prediction)`` pairs, as the benchmark computes it."""
    precisions, recalls = [], []
    for truth, predicted in pairs:
        want, got = _shingles(truth), _shingles(predicted)
        tp = sum((want & got).values())
        fp, fn = sum((got - want).values()), sum((want - got).values())
        total = tp + fp + fn
        tp, fp, fn = tp / total, fp / total, fn / total
        precisions.append(1.0 if fp == fn == 0 else tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(1.0 if fp == fn == 0 else tp / (tp + fn) if tp + fn else 0.0)
    p, r = statistics.mean(precisions), statistics.mean(recalls)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _text(document_paragraphs: list[str]) -> str:
    return "\n\n".join(document_paragraphs)


# ---------------------------------------------------------------------------------- HTML


def html_rows(folder: Path) -> list[tuple[str, str, str]]:
    truth = json.loads((HTML / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {k: gzip.decompress((HTML / f"{k}.html.gz").read_bytes()) for k in truth}
    import justext
    import trafilatura

    def ours(key: str, raw: bytes) -> str:
        path = folder / f"{key[:12]}.html"
        path.write_bytes(raw)
        return _text([p.text for p in load_document(path).paragraphs])

    extractors: dict[str, Callable[[str, bytes], str]] = {
        "ours (trafilatura favor_precision + blocks)": ours,
        "trafilatura 2 default": lambda k, raw: (
            trafilatura.extract(raw.decode("utf-8", "replace")) or ""
        ),
        "jusText": lambda k, raw: "\n".join(
            p.text
            for p in justext.justext(raw, justext.get_stoplist("English"))
            if not p.is_boilerplate
        ),
        "plain tag stripping": lambda k, raw: "\n".join(
            b.text for b in _html_blocks(raw.decode("utf-8", "replace"))
        ),
    }
    try:
        import readability

        extractors["readability-lxml"] = lambda k, raw: re.sub(
            "<[^>]+>", " ", readability.Document(raw.decode("utf-8", "replace")).summary()
        )
    except ImportError:
        pass
    rows = []
    for name, extract in extractors.items():
        started = time.perf_counter()
        pairs = [(truth[k]["articleBody"], extract(k, raw)) for k, raw in pages.items()]
        elapsed = time.perf_counter() - started
        p, r, f1 = shingle_scores(pairs)
        rows.append(
            (name, f"P {p:.3f}  R {r:.3f}  F1 {f1:.3f}", f"{elapsed * 1000 / 5:.0f} ms/page")
        )
    return rows


# ---------------------------------------------------------------------------------- source


def source_chapters() -> list[tuple[str, list[str]]]:
    """``(chapter title, paragraphs)`` of real book text (fixture text when not gathered)."""
    if BOOK.is_file():
        document = parse_document(BOOK.read_text(encoding="utf-8"), document_id="book")
        chapters = []
        for section in document.sections[:CHAPTERS]:
            paragraphs = [
                document.paragraph(n).text for n in range(section.first, section.last + 1)
            ]
            chapters.append((section.title or "Untitled", paragraphs))
        return chapters
    return [("Chapter One", fx.CHAPTER_ONE * 20), ("Chapter Two", fx.CHAPTER_TWO * 20)]


def book_pdf(chapters: list[tuple[str, list[str]]], *, columns: int) -> bytes:
    pages = fx.book_pages(chapters, columns=columns, header="Pride and Prejudice")
    return fx.pdf_bytes(pages, info={"Title": "Pride and Prejudice", "Author": "Jane Austen"})


def book_epub(chapters: list[tuple[str, list[str]]]) -> bytes:
    files = {"cover.xhtml": fx._xhtml("Cover", "<p>PRIDE AND PREJUDICE</p>", "cover")}
    nav_items = []
    for number, (title, paragraphs) in enumerate(chapters, start=1):
        body = [f"<h2>{title}</h2>"]
        for i, paragraph in enumerate(paragraphs):
            note = f'<a epub:type="noteref" href="#n{i}"><sup>{i}</sup></a>' if i % 7 == 3 else ""
            body.append(f"<p>{paragraph.replace('&', '&amp;').replace('<', '&lt;')}{note}</p>")
            if note:
                body.append(f'<aside epub:type="footnote" id="n{i}"><p>Note {i}.</p></aside>')
        files[f"c{number}.xhtml"] = fx._xhtml(title, "".join(body))
        nav_items.append(f'<li><a href="c{number}.xhtml">{title}</a></li>')
    nav = fx._xhtml("Contents", f'<nav epub:type="toc"><ol>{"".join(nav_items)}</ol></nav>')
    manifest = "".join(
        f'<item id="i{k}" href="{name}" media-type="application/xhtml+xml"/>'
        for k, name in enumerate(files)
    )
    manifest += (
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    )
    spine = "".join(f'<itemref idref="i{k}"/>' for k in range(len(files)))
    opf = (
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Pride and Prejudice</dc:title>'
        "<dc:creator>Jane Austen</dc:creator></metadata>"
        f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="content.opf"/></rootfiles></container>',
        )
        archive.writestr("content.opf", opf)
        archive.writestr("nav.xhtml", nav)
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------- PDF, EPUB


def pdf_rows(folder: Path, chapters: list[tuple[str, list[str]]]) -> list[tuple[str, str, str]]:
    truth_paragraphs = [p for _, ps in chapters for p in ps]
    truth = _text(truth_paragraphs)
    rows = []
    for columns in (1, 2):
        path = folder / f"book-{columns}col.pdf"
        path.write_bytes(book_pdf(chapters, columns=columns))
        extractors = _pdf_extractors()
        for name, extract in extractors.items():
            started = time.perf_counter()
            text, paragraphs = extract(path)
            elapsed = time.perf_counter() - started
            _, _, f1 = shingle_scores([(truth, text)])
            count = (
                f"{paragraphs} paragraphs (source {len(truth_paragraphs)})" if paragraphs else ""
            )
            rows.append(
                (
                    f"{columns} column{'s' if columns > 1 else ''}: {name}",
                    f"F1 {f1:.3f}  {count}",
                    f"{elapsed * 1000:.0f} ms",
                )
            )
    return rows


def _pdf_extractors() -> dict[str, Callable[[Path], tuple[str, int]]]:
    import pypdfium2 as pdfium

    def ours(path: Path) -> tuple[str, int]:
        # The chapter headings are sections, not paragraphs: compare the paragraphs only.
        document = load_document(path)
        return _text([p.text for p in document.paragraphs]), len(document.paragraphs)

    def raw_pdfium(path: Path) -> tuple[str, int]:
        pdf = pdfium.PdfDocument(path)
        text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        pdf.close()
        return text, 0

    extractors = {"ours (pypdfium2 + layout)": ours, "pypdfium2 raw text": raw_pdfium}
    try:
        import pypdf

        extractors["pypdf extract_text"] = lambda path: (
            "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages),
            0,
        )
    except ImportError:
        pass
    try:
        from pdfminer.high_level import extract_text

        extractors["pdfminer.six extract_text"] = lambda path: (extract_text(str(path)), 0)
    except ImportError:
        pass
    return extractors


def epub_rows(folder: Path, chapters: list[tuple[str, list[str]]]) -> list[tuple[str, str, str]]:
    truth = _text([p for _, ps in chapters for p in ps])
    path = folder / "book.epub"
    path.write_bytes(book_epub(chapters))
    started = time.perf_counter()
    document = load_document(path)
    elapsed = time.perf_counter() - started
    _, _, f1 = shingle_scores([(truth, _text([p.text for p in document.paragraphs]))])
    titles = [s.title for s in document.sections]
    right = sum(1 for (want, _), got in zip(chapters, titles, strict=False) if want == got)
    started = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        stripped = [
            b.text
            for name in archive.namelist()
            if name.endswith(".xhtml")
            for b in _html_blocks(archive.read(name).decode("utf-8"))
        ]
    naive = time.perf_counter() - started
    _, _, naive_f1 = shingle_scores([(truth, _text(stripped))])
    return [
        (
            "ours (spine, nav, footnotes dropped)",
            f"F1 {f1:.3f}  chapter titles {right}/{len(chapters)}",
            f"{elapsed * 1000:.0f} ms",
        ),
        ("tag stripping of every file", f"F1 {naive_f1:.3f}", f"{naive * 1000:.0f} ms"),
    ]


# ---------------------------------------------------------------------------------- speed


def speed_rows(folder: Path, chapters: list[tuple[str, list[str]]]) -> list[tuple[str, str, str]]:
    text = "Pride and Prejudice\n\n" + "\n\n".join(
        f"{title}\n\n" + "\n\n".join("\n".join(textwrap.wrap(p, 70)) for p in ps)
        for title, ps in chapters
    )
    (folder / "book.txt").write_text(text, encoding="utf-8")
    files = {
        "text": folder / "book.txt",
        "pdf": folder / "book-1col.pdf",
        "epub": folder / "book.epub",
        "html": next(folder.glob("*.html")),
    }
    docx_path = folder / "book.docx"
    import docx

    word = docx.Document()
    for title, paragraphs in chapters:
        word.add_heading(title, level=1)
        for paragraph in paragraphs:
            word.add_paragraph(paragraph)
    word.save(str(docx_path))
    files["docx"] = docx_path
    rows = []
    for kind, path in files.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            document = load_document(path)
            times.append(time.perf_counter() - started)
        size = path.stat().st_size / 1e6
        median = statistics.median(times)
        rows.append(
            (
                kind,
                f"{size:.2f} MB, {len(document.paragraphs)} paragraphs",
                f"{median * 1000:.0f} ms, {median / size:.2f} s/MB",
            )
        )
    return rows


def _table(title: str, rows: list[tuple[str, str, str]]) -> None:
    print(f"\n{title}")
    width = max(len(r[0]) for r in rows)
    for name, figures, timing in rows:
        print(f"  {name:<{width}}  {figures:<44} {timing}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    chapters = source_chapters()
    words = sum(len(p.split()) for _, ps in chapters for p in ps)
    print(
        f"source text: {len(chapters)} chapters, {words:,} words "
        f"({'Pride and Prejudice' if BOOK.is_file() else 'fixture text'}); machine shared"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _table("HTML: article body, 5 pages of the article-extraction benchmark", html_rows(folder))
        _table("PDF: text fidelity against the source", pdf_rows(folder, chapters))
        _table("EPUB: text fidelity against the source", epub_rows(folder, chapters))
        _table("Load time per format (median of 3)", speed_rows(folder, chapters))
    return 0


if __name__ == "__main__":
    sys.exit(main())

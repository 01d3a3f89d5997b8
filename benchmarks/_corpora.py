"""Benchmark text for the search benchmark: real public-domain prose, gathered once and cached.

Sources (gathered with ``tools/gather_books.sh`` and ``gather_corpora.sh`` into
``benchmarks/data/search/``, which is git-ignored):

* ten novels (six Jane Austen, Moby Dick, Great Expectations, The War of the Worlds, Twenty
  Thousand Leagues under the Sea), about 7 MB;
* the King James Bible (one paragraph per chapter) and the ``fortunes`` quote collections, about
  6.5 MB.

Real paragraphs are cut at sentence ends into *chunks* of at most 400 characters, so each chunk is
exactly one search passage (``SearchIndex`` windows only paragraphs longer than 400 characters) and
corpus sizes are exact. That gives about 55,000 real passages. Larger corpora add *filler*:
paragraphs made by recombining 1-4 random real sentences (so every sentence is real English, but
sentence pairs are new, and each sentence recurs in many passages, which makes short phrases
ambiguous, as in a large real corpus of quotes).
"""

from __future__ import annotations

import random
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bot.core.models import Corpus, Document, Paragraph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "search"
TOOLS = ROOT / "tools"
CHUNK = 400

_SENTENCE_END = re.compile(r"(?<=[.!?;:”\"’)])\s+(?=[“\"‘(A-Z0-9])")
_BLANK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class RealText:
    """Real chunks (``(document id, text)``, in reading order) and the sentence pool for filler."""

    chunks: tuple[tuple[str, str], ...]
    sentences: tuple[str, ...]


def gather() -> Path:
    """Run the gathering scripts of ``tools/`` once; return the data directory."""
    books, corpora = DATA / "books", DATA / "corpora"
    if not any(books.glob("*.txt")):
        subprocess.run(["bash", str(TOOLS / "gather_books.sh"), str(books.resolve())], check=True)
    if not any((corpora / "kjv").glob("*.txt")):
        subprocess.run(
            ["bash", str(TOOLS / "gather_corpora.sh"), str(corpora.resolve())], check=True
        )
    return DATA


def _paragraphs(path: Path) -> list[str]:
    """Blank-line-separated paragraphs with wrapped lines joined; the title block dropped."""
    text = path.read_text(encoding="utf-8", errors="replace")
    paragraphs = [" ".join(block.split()) for block in _BLANK.split(text)]
    return [p for p in paragraphs[1:] if sum(ch.isalpha() for ch in p) >= 20]


def _chunks(paragraph: str) -> list[str]:
    """Cut a paragraph at sentence ends (or words, for very long sentences) into <= CHUNK chars."""
    out: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(paragraph):
        while len(sentence) > CHUNK:
            cut = sentence.rfind(" ", 0, CHUNK)
            cut = cut if cut > CHUNK // 2 else CHUNK
            if current:
                out.append(current)
                current = ""
            out.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > CHUNK:
            out.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        out.append(current)
    return [c for c in out if c]


def real_text() -> RealText:
    """Every real chunk and sentence of the gathered text (deterministic order)."""
    data = gather()
    files = sorted((data / "books").glob("*.txt")) + sorted((data / "corpora").glob("*/*.txt"))
    chunks: list[tuple[str, str]] = []
    sentences: list[str] = []
    for path in files:
        doc_id = f"{path.parent.name}-{path.stem}"
        for paragraph in _paragraphs(path):
            chunks.extend((doc_id, c) for c in _chunks(paragraph))
            sentences.extend(s for s in _SENTENCE_END.split(paragraph) if 20 <= len(s) <= CHUNK)
    return RealText(tuple(chunks), tuple(sentences))


def build_corpus(size: int, *, seed: int = 0, real: RealText | None = None) -> tuple[Corpus, int]:
    """A corpus of exactly ``size`` one-passage paragraphs; returns it and how many are real.

    Up to the real supply, a seeded random sample of real chunks (kept in reading order, grouped by
    source document); beyond it, every real chunk plus filler documents of 1,000 paragraphs of
    recombined real sentences.
    """
    real = real or real_text()
    rng = random.Random(seed)
    if size <= len(real.chunks):
        picked = sorted(rng.sample(range(len(real.chunks)), size))
        chosen = [real.chunks[i] for i in picked]
    else:
        chosen = list(real.chunks)
    by_doc: dict[str, list[str]] = {}
    for doc_id, text in chosen:
        by_doc.setdefault(doc_id, []).append(text)
    n_real = len(chosen)
    filler: list[str] = []
    pool = real.sentences
    while n_real + len(filler) < size:
        parts = [rng.choice(pool)]
        for _ in range(rng.randint(0, 3)):
            extra = rng.choice(pool)
            if sum(map(len, parts)) + len(extra) + len(parts) > CHUNK:
                break
            parts.append(extra)
        filler.append(" ".join(parts))
    for i in range(0, len(filler), 1000):
        by_doc[f"filler-{i // 1000:04d}"] = filler[i : i + 1000]
    documents = tuple(
        Document(
            id=doc_id,
            title=doc_id,
            paragraphs=tuple(Paragraph(doc_id, n, t, ()) for n, t in enumerate(texts, 1)),
        )
        for doc_id, texts in by_doc.items()
    )
    return Corpus(documents), n_real


def novels_corpus() -> Corpus:
    """The ten gathered novels, one document each, as paragraphs (the index cuts long ones)."""
    books = sorted((gather() / "books").glob("*.txt"))
    documents = tuple(
        Document(
            id=path.stem,
            title=path.stem,
            paragraphs=tuple(
                Paragraph(path.stem, n, text, ()) for n, text in enumerate(_paragraphs(path), 1)
            ),
        )
        for path in books
    )
    return Corpus(documents)

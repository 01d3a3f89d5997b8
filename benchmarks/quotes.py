"""Quote benchmark: are the lines ``/quote`` serves worth sharing, and are speakers right?

``python -m benchmarks.quotes`` (about 2 minutes on 2 shared cores) prints, for the ten novels of
``tools/gather_books.sh`` and the seed essay, today's code against the code before this work
(``benchmarks/_baseline_quotes.py``) in the same run:

1. **Judged sample**: 5 unfiltered ``/quote`` answers per document (``QuoteBook.pick(document=…)``
   with ``random.Random(seed)``), each judged by hand (``quotes_data/judged.yaml``: complete
   sentence, self-contained, speaker right; see that file for the criteria). Answers not yet
   judged are listed with ``--unjudged`` and counted apart.
2. **Best-known lines**: how many of the lines listed in ``quotes_data/best_known.yaml`` reach the
   top 5% of the document's ranking (``corpusbot quotes DOCUMENT``): a ranked line matches when
   rapidfuzz ``partial_ratio`` ≥ 90 on normalised text and the shorter text is at least 40% of
   the longer.
3. **Speakers**: on ``quotes_data/speakers.yaml`` (40 spans of dialogue whose own paragraph gives
   only a pronoun tag, annotated by reading the text), how many speakers are right, wrong or left
   unknown.
4. **Pool**: how many distinct lines 200 unfiltered ``/quote`` draws of each novel give.
5. **Verbatim**: how many ranked quotes are a verbatim substring of their paragraph (whitespace
   aside), as ``/quote`` promises.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from benchmarks import _baseline_quotes as baseline
from benchmarks._corpora import gather
from bot.core.loader import parse_document
from bot.core.models import Corpus, Document, Quote
from bot.core.normalize import normalize_text
from bot.core.quotes import QuoteBook, document_speech, extract_speech, quote_key
from bot.core.quotes._names import _core

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "quotes_data"
SEED = ROOT / "seeds" / "trump-must-hold-kim-jong-un-to-account.txt"
PER_DOCUMENT = 5


def documents() -> list[Document]:
    """The ten novels and the seed essay, loaded as the product loads them."""
    books = sorted((gather() / "books").glob("*.txt"))
    docs = [parse_document(p.read_text(encoding="utf-8"), document_id=p.stem) for p in books]
    docs.append(parse_document(SEED.read_text(encoding="utf-8"), document_id="seed"))
    return docs


def _fold(text: str) -> str:
    return normalize_text(text, punctuation=False)


def sample(book: Any, docs: Sequence[Document]) -> list[tuple[str, Quote]]:
    """``PER_DOCUMENT`` answers per document, drawn as ``/quote document:`` draws them (each
    excluding the one before, as a channel does)."""
    key = baseline.quote_key if isinstance(book, baseline.QuoteBook) else quote_key
    out = []
    for d in docs:
        rng = random.Random(13)
        last: set[str] = set()
        for _ in range(PER_DOCUMENT):
            quote = book.pick(document=d.id, rng=rng, exclude=last)
            last = {key(quote)}
            out.append((d.id, quote))
    return out


def judged_table(books: dict[str, Any], docs: Sequence[Document], show_unjudged: bool) -> None:
    path = DATA / "judged.yaml"
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    judgements = {(j["document"], j["text"]): j for j in loaded or []}
    print("\n| code | answers | judged | complete | self-contained | speaker right | all three |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, book in books.items():
        answers = sample(book, docs)
        rows = []
        for doc_id, quote in answers:
            j = judgements.get((doc_id, quote.text))
            if j is None:
                if show_unjudged:
                    who = quote.speaker or ("(quoted)" if getattr(quote, "quoted", False) else "")
                    print(f"UNJUDGED [{name}] {doc_id}: {quote.text!r} — {who}")
                continue
            rows.append(j)
        n = len(rows) or 1
        share = {
            k: 100 * sum(bool(r[k]) for r in rows) / n for k in ("complete", "alone", "speaker")
        }
        good = 100 * sum(r["complete"] and r["alone"] and r["speaker"] for r in rows) / n
        print(
            f"| {name} | {len(answers)} | {len(rows)} | {share['complete']:.0f}% | "
            f"{share['alone']:.0f}% | {share['speaker']:.0f}% | **{good:.0f}%** |"
        )


def _rank_of(line: str, ranked: Sequence[Quote]) -> int | None:
    q = _fold(line)
    for rank, quote in enumerate(ranked, 1):
        t = _fold(quote.text)
        a, b = (q, t) if len(q) <= len(t) else (t, q)
        if len(a) >= 0.4 * len(b) and fuzz.partial_ratio(a, b) >= 90:
            return rank
    return None


def best_known_table(books: dict[str, Any], docs: Sequence[Document]) -> None:
    lines: dict[str, list[str]] = yaml.safe_load((DATA / "best_known.yaml").read_text())
    print("\n| document | lines | " + " | ".join(f"top 5%: {n}" for n in books) + " |")
    print("|---|---:|" + "---:|" * len(books))
    totals = dict.fromkeys(books, 0)
    for d in docs:
        wanted = lines.get(d.id, [])
        if not wanted:
            continue
        cells = []
        for name, book in books.items():
            ranked = book.ranked(d.id)
            cut = math.ceil(0.05 * len(ranked))
            hits = sum(1 for line in wanted if (r := _rank_of(line, ranked)) and r <= cut)
            totals[name] += hits
            cells.append(f"{hits} (of {len(ranked)} ranked)")
        print(f"| {d.id} | {len(wanted)} | " + " | ".join(cells) + " |")
    count = sum(len(v) for v in lines.values())
    print(f"| **all** | {count} | " + " | ".join(f"**{totals[n]}**" for n in books) + " |")


def _matches(got: str | None, accepted: Sequence[str]) -> bool:
    if got is None:
        return not accepted
    return any(got.casefold() == a.casefold() or _core(got) == _core(a) for a in accepted)


def speaker_table(docs: Sequence[Document]) -> None:
    cases = yaml.safe_load((DATA / "speakers.yaml").read_text())
    by_id = {d.id: d for d in docs}
    resolvers: dict[str, Callable[[Document], list[list[Any]]]] = {
        "before (paragraph only)": lambda d: [baseline.extract_speech(p) for p in d.paragraphs],
        "today (paragraph, then dialogue)": document_speech,
        "paragraph only, today's grammar": lambda d: [extract_speech(p) for p in d.paragraphs],
    }
    print("\n| resolver | right | wrong | unknown | right among answered |")
    print("|---|---:|---:|---:|---:|")
    for name, resolve in resolvers.items():
        cache: dict[str, list[list[Any]]] = {}
        right = wrong = unknown = answered_right = 0
        for case in cases:
            doc = by_id[case["document"]]
            spans = cache.setdefault(doc.id, resolve(doc))
            got = spans[case["paragraph"] - 1][case["span"]].speaker
            ok = _matches(got, case["speaker"])
            right += ok
            unknown += got is None
            wrong += got is not None and not ok
            answered_right += got is not None and ok
        answered = len(cases) - unknown
        share = f"{100 * answered_right / answered:.0f}%" if answered else "—"
        print(f"| {name} | {right}/{len(cases)} | {wrong} | {unknown} | {share} |")


def pool_table(books: dict[str, Any], docs: Sequence[Document]) -> None:
    print("\n| code | distinct lines in 200 unfiltered draws per novel (median) |")
    print("|---|---:|")
    for name, book in books.items():
        counts = []
        for d in docs[:-1]:
            rng = random.Random(7)
            counts.append(len({book.pick(document=d.id, rng=rng).text for _ in range(200)}))
        print(f"| {name} | {statistics.median(counts):.0f} |")


def verbatim_table(books: dict[str, Any], docs: Sequence[Document]) -> None:
    paragraphs = {(d.id, p.number): " ".join(p.text.split()) for d in docs for p in d.paragraphs}
    print("\n| code | ranked quotes | verbatim substring of their paragraph | not verbatim |")
    print("|---|---:|---:|---:|")
    for name, book in books.items():
        ranked = book.ranked()
        bad = [
            q
            for q in ranked
            if " ".join(q.text.split()) not in paragraphs[(q.document_id, q.paragraph)]
        ]
        share = 100 * (len(ranked) - len(bad)) / max(1, len(ranked))
        print(f"| {name} | {len(ranked):,} | {share:.2f}% | {len(bad):,} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unjudged", action="store_true", help="list answers not yet judged")
    args = parser.parse_args(argv)
    docs = documents()
    corpus = Corpus(tuple(docs))
    started = time.perf_counter()
    today = QuoteBook.build(corpus)
    built_today = time.perf_counter() - started
    started = time.perf_counter()
    before = baseline.QuoteBook.build(corpus)
    built_before = time.perf_counter() - started
    books: dict[str, Any] = {"before": before, "today": today}
    print(
        f"Ten novels and the seed essay; quote books built in {built_before:.1f} s (before) and "
        f"{built_today:.1f} s (today) on a loaded 2-core machine."
    )
    print("\n### Sampled /quote answers, judged by hand")
    judged_table(books, docs, args.unjudged)
    print("\n### Best-known lines in the top 5% of `corpusbot quotes`")
    best_known_table(books, docs)
    print("\n### Speakers of dialogue with pronoun tags (40 annotated spans)")
    speaker_table(docs)
    print("\n### Variety")
    pool_table(books, docs)
    print("\n### Verbatim quotes")
    verbatim_table(books, docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

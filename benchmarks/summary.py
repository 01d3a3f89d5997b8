"""Summary benchmark: ROUGE of extractive summarisers against human references, and speed.

    .venv/bin/python -m benchmarks.summary            # Reuters table, seed standfirst, book timing
    .venv/bin/python -m benchmarks.summary --grid     # PacSum λ1/β grid per Reuters topic
    .venv/bin/python -m benchmarks.summary --slow     # also time sumy and summa on 2,000 book sentences

Every method chooses among the same sentences (the product's segmentation), so only the ranking
differs. ROUGE F1 from ``rouge-score`` with Porter stemming; ``ROUGE-L`` is ``rougeLsum`` over
newline-separated sentences (the setting that reproduces ROUGE-1.5.5 on DUC 2004). Datasets: see
:mod:`benchmarks._summary_data`. Needs the ``bench`` extra (sumy, rouge-score, summa).
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from unittest import mock

from rouge_score import rouge_scorer

from benchmarks import _summary_data as data
from bot.core import summarize as ours
from bot.core.models import Document
from bot.core.summarize import summarize
from bot.core.summarize_sections import main_people, summarize_document, summarize_long

Picker = Callable[[Document, int], list[int]]
"""A method: (document, number of sentences) -> indices into ``list(document.sentences)``."""

SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
RANDOM_DRAWS = 20


# --------------------------------------------------------------------------- methods


def ours_picker(method: ours.Method) -> Picker:
    def pick(document: Document, k: int) -> list[int]:
        summary = ours.summarize(document, sentences=k, method=method)
        position = {s: i for i, s in enumerate(document.sentences)}
        return [position[s] for s in summary.sentences]

    return pick


def lead(document: Document, k: int) -> list[int]:
    return list(range(min(k, sum(1 for _ in document.sentences))))


class _Tokenizer:
    """sumy tokenizer over our own sentences (its default needs NLTK data, absent offline)."""

    _word = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return self._word.findall(sentence)


@functools.cache
def _sumy_parts() -> tuple[object, object, frozenset[str]]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    return _Tokenizer(), Stemmer("english"), frozenset(get_stop_words("english"))


def sumy_picker(kind: str) -> Picker:
    def pick(document: Document, k: int) -> list[int]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer

        tokenizer, stemmer, stop_words = _sumy_parts()
        model = ObjectDocumentModel(
            [
                Paragraph([Sentence(s.text, tokenizer) for s in p.sentences])
                for p in document.paragraphs
            ]
        )
        summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(stemmer)
        summarizer.stop_words = stop_words
        texts = [s.text for s in document.sentences]
        first: dict[str, int] = {}
        for i, t in enumerate(texts):
            first.setdefault(t, i)
        return [first[str(s)] for s in summarizer(model, k)]

    return pick


def summa_textrank(document: Document, k: int) -> list[int]:
    """summa's TextRank (Mihalcea & Tarau 2004; its own splitter), mapped back to our sentences."""
    from summa import summarizer

    sentences = list(document.sentences)
    text = "\n".join(s.text for s in sentences)
    scored = summarizer.summarize(text, ratio=1.0, split=True, scores=True)
    chosen: list[int] = []
    for fragment, _score in sorted(scored, key=lambda x: -x[1]):
        owner = next((i for i, s in enumerate(sentences) if fragment in s.text), None)
        if owner is not None and owner not in chosen:
            chosen.append(owner)
        if len(chosen) == k:
            break
    return chosen or lead(document, k)


def random_picker(seed: int) -> Picker:
    def pick(document: Document, k: int) -> list[int]:
        n = sum(1 for _ in document.sentences)
        rng = random.Random(f"{seed}:{document.id}")
        return sorted(rng.sample(range(n), min(k, n)))

    return pick


# --------------------------------------------------------------------------- scoring


@dataclass
class Row:
    name: str
    rouge1: float
    rouge2: float
    rougeL: float
    ms_per_doc: float
    per_doc: list[float]  # ROUGE-1 F1 per document (mean over pickers), for paired comparison


def evaluate(
    name: str,
    pickers: Sequence[Picker],
    docs: Sequence[tuple[Document, str]],
    k: int,
) -> Row:
    """Mean ROUGE F1 (×100) over ``docs`` ((document, reference) pairs); several pickers
    (random draws) are averaged. Time is per document per picker."""
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    per_doc = [0.0] * len(docs)
    elapsed = 0.0
    for picker in pickers:
        for d, (document, reference) in enumerate(docs):
            sentences = list(document.sentences)
            start = time.perf_counter()
            chosen = picker(document, k)
            elapsed += time.perf_counter() - start
            summary = "\n".join(sentences[i].text for i in sorted(chosen))
            scores = SCORER.score(reference, summary)
            for key in totals:
                totals[key] += scores[key].fmeasure
            per_doc[d] += 100 * scores["rouge1"].fmeasure / len(pickers)
    count = len(pickers) * len(docs)
    return Row(
        name,
        100 * totals["rouge1"] / count,
        100 * totals["rouge2"] / count,
        100 * totals["rougeLsum"] / count,
        1000 * elapsed / count,
        per_doc,
    )


def oracle(reference: str) -> Picker:
    """The best single sentences for this reference by ROUGE-1 (an upper bound, not a method)."""

    def pick(document: Document, k: int) -> list[int]:
        scored = [
            (SCORER.score(reference, s.text)["rouge1"].fmeasure, -i)
            for i, s in enumerate(document.sentences)
        ]
        return sorted(-i for _, i in sorted(scored, reverse=True)[:k])

    return pick


def oracle_row(docs: Sequence[tuple[Document, str]], k: int) -> Row:
    rows = [evaluate("", [oracle(ref)], [(doc, ref)], k) for doc, ref in docs]
    return Row(
        "oracle (best sentences by ROUGE-1; upper bound)",
        statistics.mean(r.rouge1 for r in rows),
        statistics.mean(r.rouge2 for r in rows),
        statistics.mean(r.rougeL for r in rows),
        float("nan"),
        [r.rouge1 for r in rows],
    )


def methods() -> list[tuple[str, list[Picker]]]:
    return [
        ("ours: PacSum (TF-IDF, default)", [ours_picker("pacsum")]),
        ("ours: LexRank (TF-IDF, numpy)", [ours_picker("lexrank")]),
        ("lead-k", [lead]),
        ("sumy LexRank", [sumy_picker("lexrank")]),
        ("sumy TextRank", [sumy_picker("textrank")]),
        ("summa TextRank", [summa_textrank]),
        (f"random (mean of {RANDOM_DRAWS} draws)", [random_picker(s) for s in range(RANDOM_DRAWS)]),
    ]


def print_table(title: str, rows: Sequence[Row]) -> None:
    """Markdown table; the last column counts documents where the method's ROUGE-1 beats / ties /
    trails lead-k's (a paired view: small mean differences on 70 documents are mostly noise)."""
    lead_row = next((r for r in rows if r.name == "lead-k"), None)
    print(f"\n{title}\n")
    print("| method | ROUGE-1 | ROUGE-2 | ROUGE-L | ms / doc | vs lead: better / same / worse |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        versus = ""
        if lead_row is not None and r is not lead_row:
            pairs = list(zip(r.per_doc, lead_row.per_doc, strict=True))
            better = sum(a > b + 1e-9 for a, b in pairs)
            worse = sum(a < b - 1e-9 for a, b in pairs)
            versus = f"{better} / {len(pairs) - better - worse} / {worse}"
        ms = "" if math.isnan(r.ms_per_doc) else f"{r.ms_per_doc:.2f}"
        print(f"| {r.name} | {r.rouge1:.2f} | {r.rouge2:.2f} | {r.rougeL:.2f} | {ms} | {versus} |")


def reuters_docs(topic: str | None = None) -> list[tuple[Document, str]]:
    return [
        (data.article_document(a), a.headline)
        for a in data.reuters_articles()
        if topic is None or a.id.startswith(topic + "/")
    ]


def reuters_table() -> None:
    docs = reuters_docs()
    sizes = [sum(1 for _ in d.sentences) for d, _ in docs]
    rows = [evaluate(name, pickers, docs, 1) for name, pickers in methods()]
    rows.append(oracle_row(docs, 1))
    print_table(
        f"Reuters-21578 in r-cran-tm: {len(docs)} articles ({statistics.mean(sizes):.1f} sentences "
        "on average), 1-sentence summary vs headline, ROUGE F1 ×100",
        rows,
    )


def standfirst_table() -> None:
    docs = [(d, d.standfirst) for d in data.seed_documents() if d.standfirst]
    if not docs:
        print("\n(no seed document with a standfirst: skipped)")
        return
    for k in (1, 2):
        rows = [evaluate(name, pickers, docs, k) for name, pickers in methods()]
        rows.append(oracle_row(docs, k))
        print_table(
            f"Seed essays ({len(docs)}): {k}-sentence summary vs the author's standfirst", rows
        )


def grid() -> None:
    """ROUGE-1 of PacSum over λ1 (λ2 = 1) and β, per Reuters topic, to show how robust the
    default is (tuning and reporting on the same 70 articles would flatter it)."""
    topics = {t: reuters_docs(t) for t in ("crude", "acq")}
    print("\nPacSum grid, ROUGE-1 F1 of 1-sentence summaries (λ2 = 1)\n")
    print("| λ1 | β | crude (20) | acq (50) | all (70) |")
    print("|---:|---:|---:|---:|---:|")
    for lambda1 in (-2.0, -1.0, -0.5, -0.2, 0.0):
        for beta in (0.0, 0.1, 0.3, 0.5):
            scorer = functools.partial(ours.pacsum_scores, lambda1=lambda1, beta=beta)
            with mock.patch.object(ours, "pacsum_scores", scorer):
                r = {
                    t: evaluate("", [ours_picker("pacsum")], d, 1).rouge1 for t, d in topics.items()
                }
            overall = (20 * r["crude"] + 50 * r["acq"]) / 70
            print(f"| {lambda1} | {beta} | {r['crude']:.2f} | {r['acq']:.2f} | {overall:.2f} |")
    r = {t: evaluate("", [lead], d, 1).rouge1 for t, d in topics.items()}
    overall = (20 * r["crude"] + 50 * r["acq"]) / 70
    print(f"| lead-1 | | {r['crude']:.2f} | {r['acq']:.2f} | {overall:.2f} |")


def timing(slow: bool) -> None:
    book = data.book_document()
    if book is None:
        print("\n(books unavailable: long-document timing skipped)")
        return
    sentences = list(book.sentences)
    print(f"\nLong documents: {book.id}, {len(sentences)} sentences; medium summary, best of 3\n")
    print("| method | sentences | seconds |")
    print("|---|---:|---:|")

    def prefix(n: int) -> Document:
        kept, count = [], 0
        for p in book.paragraphs:
            if count >= n:
                break
            kept.append(p)
            count += len(p.sentences)
        return Document(id=book.id, title=book.title, paragraphs=tuple(kept))

    cases: list[tuple[str, Picker, int]] = [
        ("ours: PacSum", ours_picker("pacsum"), 2000),
        ("ours: LexRank", ours_picker("lexrank"), 2000),
        ("ours: PacSum", ours_picker("pacsum"), len(sentences)),
    ]
    if slow:
        cases += [
            ("sumy LexRank", sumy_picker("lexrank"), 2000),
            ("sumy TextRank", sumy_picker("textrank"), 2000),
            ("summa TextRank", summa_textrank, 2000),
        ]
    for name, picker, n in cases:
        doc = prefix(n)
        size = sum(1 for _ in doc.sentences)
        best = float("inf")
        for _ in range(3 if not name.startswith(("sumy", "summa")) else 1):
            start = time.perf_counter()
            picker(doc, 5)
            best = min(best, time.perf_counter() - start)
        print(f"| {name} | {size} | {best:.3f} |")


def sections_picker(document: Document, k: int) -> list[int]:
    """Our section-based summary (:func:`bot.core.summarize_sections.summarize_long`), as indices."""
    position = {(s.paragraph, s.index): i for i, s in enumerate(document.sentences)}
    summary = summarize_long(document, sentences=k)
    return [position[(s.paragraph, s.index)] for s in summary.sentences]


def product_picker(document: Document, k: int) -> list[int]:
    """What ``/summary sentences:k`` serves (:func:`summarize_document`: by section for long
    documents, PacSum over the whole document otherwise), as indices."""
    position = {(s.paragraph, s.index): i for i, s in enumerate(document.sentences)}
    summary = summarize_document(document, sentences=k)
    return [position[(s.paragraph, s.index)] for s in summary.sentences]


def papers_table() -> None:
    """ACLSum: full papers with sections against their human summaries."""
    papers = data.aclsum_papers()
    sizes = [sum(1 for _ in p.document.sentences) for p in papers]
    pickers: list[tuple[str, list[Picker]]] = [
        ("ours: PacSum over the whole paper (what /summary serves a paper)", [product_picker]),
        ("ours: by section (summarize_long, what a novel gets)", [sections_picker]),
        ("ours: LexRank (TF-IDF, numpy)", [ours_picker("lexrank")]),
        ("lead-k", [lead]),
        (f"random (mean of {RANDOM_DRAWS} draws)", [random_picker(s) for s in range(RANDOM_DRAWS)]),
    ]
    for reference, k, label in (
        ("abstract", 5, "the authors' abstract"),
        ("aspects", 3, "the annotators' 3-sentence summary"),
    ):
        docs = [(p.document, getattr(p, reference)) for p in papers]
        rows = [evaluate(name, chosen, docs, k) for name, chosen in pickers]
        rows.append(oracle_row(docs, k))
        print_table(
            f"ACLSum papers ({len(docs)}, {statistics.median(sizes):.0f} sentences median, "
            f"sections from the S2ORC parse): {k}-sentence summary vs {label}, ROUGE F1 ×100",
            rows,
        )


def long_documents_table() -> None:
    """Novels and long speeches (no human summaries here): who and where the summary covers."""
    books = [d for name in BOOKS if (d := data.book_document(name)) is not None]
    speeches = data.sotu_speeches(SPEECHES)
    print(
        "\nLong documents, medium summary (5 sentences): share of lines naming one of the book's "
        "two most-mentioned people, and of the document's fifths the lines come from\n"
    )
    print("| document | sentences | method | lines naming a main person | fifths covered |")
    print("|---|---:|---|---:|---:|")
    for document in [*books, *speeches]:
        sentences = list(document.sentences)
        people = main_people(document, 2)
        for name, summary in (
            ("PacSum, whole document (before)", summarize(document)),
            ("by section (today)", summarize_long(document)),
        ):
            lines = summary.sentences
            named = sum(any(p in s.text for p in people) for s in lines)
            where = {sentences.index(s) * 5 // len(sentences) for s in lines}
            print(
                f"| {document.id} | {len(sentences)} | {name} | {named}/{len(lines)} | "
                f"{len(where)}/5 |"
            )


BOOKS = ("pride_and_prejudice", "emma", "moby_dick", "great_expectations")
SPEECHES = ("1946-Truman-1", "1962-Kennedy-1", "1988-Reagan-1")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.summary", description=__doc__)
    parser.add_argument("--grid", action="store_true", help="PacSum parameter grid only")
    parser.add_argument(
        "--slow", action="store_true", help="also time sumy/summa on 2,000 sentences"
    )
    args = parser.parse_args(argv)
    if args.grid:
        grid()
        return
    reuters_table()
    standfirst_table()
    papers_table()
    long_documents_table()
    timing(args.slow)


if __name__ == "__main__":
    main()

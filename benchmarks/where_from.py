"""How well "Where is this from?" finds the source of a quotation, and how often it wrongly claims
one: ``python -m benchmarks.where_from``.

Corpus: five real novels (Pride and Prejudice, Emma, Moby Dick, Great Expectations, The War of the
Worlds; gathered by ``tools/gather_books.sh``). Messages, built from real sentences:

* *quoted*: a sentence of 8+ words from the corpus, as people paste it: punctuation dropped or
  changed, lower-cased, and one typo (a letter dropped) per 40 characters; half of them wrapped
  in chat ("omg “…” so true"), a quarter of them as only the first two thirds of the sentence;
* *long*: a quoted sentence inside 600+ characters of chat, to exercise the windows;
* *long absent*: an absent sentence inside 600+ characters of chat;
* *absent*: sentences of 8+ words from five other novels (Persuasion, Mansfield Park, Northanger
  Abbey, Sense and Sensibility, Twenty Thousand Leagues), which are not in the corpus. Austen's
  other novels share her phrasing, so this is a hard test of false claims.

A quoted message counts as found when the answer is accepted and names the sentence's document
and paragraph; an absent one counts as a false claim when any answer is accepted. The table
shows both at several score thresholds (the shipped one is
:data:`bot.core.provenance.MIN_SCORE`), and the median time per message.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Sequence

from benchmarks._corpora import gather
from bot.core.library import Library
from bot.core.loader import load_corpus
from bot.core.provenance import MIN_SCORE, locate

CORPUS = ("pride_and_prejudice", "emma", "moby_dick", "great_expectations", "the_war_of_the_worlds")
OTHERS = (
    "persuasion",
    "mansfield_park",
    "northanger_abbey",
    "sense_and_sensibility",
    "twenty_thousand_leagues_under_the_sea",
)
THRESHOLDS = (75.0, 80.0, MIN_SCORE, 90.0)
CHATTER = (
    "honestly I was reading last night and this bit stuck with me, not sure why. ",
    "can someone tell me where this line comes from, my teacher put it on the board. ",
    "we were arguing about it at dinner and nobody could remember the book. ",
)
_WORDS = re.compile(r"[A-Za-z]")


def _sentences(library: Library, doc_id: str) -> list[tuple[int, str]]:
    doc = library.corpus.get(doc_id)
    assert doc is not None, doc_id
    return [
        (p.number, s.text)
        for p in doc.paragraphs
        for s in p.sentences
        if len(s.text.split()) >= 8 and len(s.text) <= 220 and _WORDS.search(s.text)
    ]


def _garble(text: str, rng: random.Random) -> str:
    """Punctuation dropped or swapped, lower case, one dropped letter per 40 characters."""
    text = re.sub(r"[“”\"‘’]", "'" if rng.random() < 0.5 else "", text)
    text = re.sub(r"[,;:—-]+", " " if rng.random() < 0.5 else ",", text).lower()
    chars = list(text)
    for _ in range(len(chars) // 40):
        at = rng.randrange(len(chars))
        if chars[at].isalpha():
            del chars[at]
    return " ".join("".join(chars).split())


def _quoted(sentence: str, rng: random.Random) -> str:
    text = _garble(sentence, rng)
    if rng.random() < 0.25:
        words = text.split()
        text = " ".join(words[: max(6, len(words) * 2 // 3)])
    if rng.random() < 0.5:
        return f"omg “{text}” so true"
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100, help="per kind")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    books = gather() / "books"
    rng = random.Random(args.seed)
    library = Library.build(load_corpus([books / f"{name}.txt" for name in CORPUS]))
    outside = Library(load_corpus([books / f"{name}.txt" for name in OTHERS]))
    pool = [(d.id, n, s) for d in library.corpus for n, s in _sentences(library, d.id)]
    absent_pool = [s for d in outside.corpus for _, s in _sentences(outside, d.id)]
    quoted = [(d, n, _quoted(s, rng)) for d, n, s in rng.sample(pool, args.messages)]
    long = [
        (d, n, rng.choice(CHATTER) * 4 + _garble(s, rng) + " " + rng.choice(CHATTER) * 4)
        for d, n, s in rng.sample(pool, args.messages)
    ]
    absent = rng.sample(absent_pool, args.messages)
    long_absent = [
        rng.choice(CHATTER) * 4 + s + " " + rng.choice(CHATTER) * 4
        for s in rng.sample(absent_pool, args.messages)
    ]
    print(
        f"corpus: {len(library.corpus)} novels, {len(pool):,} candidate sentences; {args.messages} messages per kind"
    )
    times: list[float] = []

    def best(text: str, threshold: float) -> tuple[str, int] | None:
        """The accepted answer's (document, paragraph) at ``threshold``, or ``None``."""
        started = time.perf_counter()
        found = locate(library.index, text, min_score=threshold)
        if threshold == MIN_SCORE:
            times.append(time.perf_counter() - started)
        if found is None or not found.accepted:
            return None
        return found.hit.passage.document_id, found.hit.passage.paragraph

    kinds: dict[str, list[tuple[str, tuple[str, int] | None]]] = {
        "quoted (found)": [(t, (d, n)) for d, n, t in quoted],
        "long (found)": [(t, (d, n)) for d, n, t in long],
        "absent (false claim)": [(t, None) for t in absent],
        "long absent (false)": [(t, None) for t in long_absent],
    }
    print(f"{'messages':<22}" + "".join(f"{f'score {t:g}':>12}" for t in THRESHOLDS))
    for kind, cases in kinds.items():
        row = []
        for threshold in THRESHOLDS:
            answers = [(best(text, threshold), want) for text, want in cases]
            if "absent" in kind:  # any accepted answer is a false claim
                hits = sum(1 for got, _ in answers if got is not None)
            else:  # found: the right document and paragraph
                hits = sum(1 for got, want in answers if got is not None and got == want)
            row.append(f"{100 * hits / len(cases):>11.1f}%")
        print(f"{kind:<22}" + "".join(row))
    print(
        f"median time per message: {statistics.median(times) * 1000:.1f} ms "
        f"(90th percentile {sorted(times)[int(len(times) * 0.9)] * 1000:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

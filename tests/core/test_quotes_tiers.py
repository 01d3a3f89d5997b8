"""A quote book whose below-threshold quotes stay on disk (the store's tiered form) answers as the
book built in memory, and decodes a document's quotes only for the requests that need them."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.errors import NotFound
from bot.core.loader import parse_document
from bot.core.models import Corpus, Document, Quote
from bot.core.quotes import QUOTABLE_THRESHOLD, QuoteBook, Shelf, quote_key
from bot.core.store import CorpusStore

SEED = Path(__file__).resolve().parents[2] / "seeds" / "trump-must-hold-kim-jong-un-to-account.txt"

NOVEL = """A Winter Visit

By Jane Author

“I am not,” said Elizabeth, “I am not going to marry a man I do not respect.”

Mr Collins bowed low. “A clergyman must always set an example to the whole parish,” he said.

Patience is not waiting, but the art of hoping while you work.

The carriage was late, and the lane was deep in snow by the time it reached the gate.

A small kindness is better than a grand intention that never arrives.
"""


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    seed = parse_document(SEED.read_text(encoding="utf-8"), document_id="seed")
    return Corpus((seed, parse_document(NOVEL, document_id="novel")))


def _tiered(corpus: Corpus) -> tuple[QuoteBook, Counter[str]]:
    """The book of ``corpus`` with only the hot tier of each document given, and a count of
    how often each document's whole ranking was asked for."""
    full = QuoteBook.build(corpus)
    loads: Counter[str] = Counter()

    def loader(document: Document) -> Callable[[], tuple[Quote, ...]]:
        def load() -> tuple[Quote, ...]:
            loads[document.id] += 1
            return full.ranked(document.id)

        return load

    shelves = {}
    for document in corpus:
        every = full.ranked(document.id)
        hot = [q for q in every if q.score >= QUOTABLE_THRESHOLD or q.speaker]
        own = any(q.speaker is None and not q.quoted for q in every)
        shelves[document.id] = Shelf.split(hot, len(every), own, loader(document))
    short = [q for d in corpus for q in QuoteBook.build(Corpus((d,)))._short]
    plain = [q for d in corpus for q in QuoteBook.build(Corpus((d,)))._plain.get(d.id, ())]
    return QuoteBook.from_shelves(corpus.documents, shelves, short, plain), loads


REQUESTS: list[dict[str, str]] = [
    {},
    {"document": "novel"},
    {"speaker": "Elizabeth"},
    {"speaker": "reagan"},
    {"speaker": "Jane Author"},
    {"contains": "peace"},
    {"contains": "jaw jaw"},  # only below the threshold
    {"contains": "deep in snow", "document": "novel"},
    {"speaker": "Churchill"},  # short speech only
]


def test_a_tiered_book_answers_as_the_book_in_memory(corpus: Corpus) -> None:
    full = QuoteBook.build(corpus)
    tiered, _ = _tiered(corpus)
    assert len(tiered) == len(full)
    assert tiered.ranked() == full.ranked()
    assert tiered.quotable() == full.quotable()
    assert tiered.speakers("", 25) == full.speakers("", 25)
    assert tiered.cycle_order(None, salt="7") == full.cycle_order(None, salt="7")
    for quote in full.ranked():
        assert tiered.get(quote_key(quote)) == quote
    for request in REQUESTS:
        for seed in range(8):
            expected = full.pick(rng=random.Random(seed), **request)  # type: ignore[arg-type]
            got = tiered.pick(rng=random.Random(seed), **request)  # type: ignore[arg-type]
            assert got == expected, request
        again = {"exclude": {quote_key(expected)}, "rotation": "c", **request}
        for seed in range(4):
            expected = full.pick(rng=random.Random(seed), **again)  # type: ignore[arg-type]
            assert tiered.pick(rng=random.Random(seed), **again) == expected  # type: ignore[arg-type]


def test_unfiltered_speaker_and_daily_requests_decode_nothing(corpus: Corpus) -> None:
    tiered, loads = _tiered(corpus)
    for seed in range(10):
        tiered.pick(rng=random.Random(seed))
        tiered.pick(speaker="Elizabeth", rng=random.Random(seed))
        tiered.pick(contains="peace", rng=random.Random(seed))
    order = tiered.cycle_order(None, salt="1")
    assert tiered.get(quote_key(order[0])) == order[0]
    assert tiered.speakers("eli") == ["Elizabeth"]
    assert not loads


def test_a_fallback_below_the_threshold_decodes_the_document_once(corpus: Corpus) -> None:
    tiered, loads = _tiered(corpus)
    for seed in range(5):
        quote = tiered.pick(contains="jaw jaw", rng=random.Random(seed))
        assert quote.score < QUOTABLE_THRESHOLD
    assert loads == {"seed": 1, "novel": 1}  # kept for the next request


def test_a_fallback_to_quotes_on_disk_looks_only_where_the_passages_are(corpus: Corpus) -> None:
    """A phrase that no quotable quote holds is looked for among the quotes not in memory only
    in the paragraphs the passage finder gives (the library gives its search index's)."""
    (snow,) = [q for q in QuoteBook.build(corpus).ranked("novel") if "deep in snow" in q.text]
    tiered, loads = _tiered(corpus)
    asked: list[str | None] = []

    def find(phrase: str, document: str | None) -> list[tuple[str, int]]:
        asked.append(document)
        return [("novel", snow.paragraph)] if "snow" in phrase else []

    tiered.use_passages(find)
    assert tiered.pick(contains="deep in snow", rng=random.Random(0)) == snow
    assert loads == {"novel": 1}
    assert tiered.pick(document="novel", contains="deep in snow") == snow
    assert asked == [None, "novel"]
    elephant = "an enormous elephant in the room"  # below the threshold, in the seed
    with pytest.raises(NotFound, match=f"No quote contains “{elephant}”"):
        tiered.pick(contains=elephant)  # the finder does not point there
    tiered.use_passages(None)  # without a finder: every quote is compared
    assert elephant in tiered.pick(contains=elephant, rng=random.Random(0)).text


def test_a_restarted_library_narrows_a_fallback_with_its_search_index(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "novel.txt").write_text(NOVEL, encoding="utf-8")
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    first = CorpusStore(tmp_path / "store")
    first.library(first.read([folder]))
    store = CorpusStore(tmp_path / "store")  # a restart: the quotes come from the records
    library = store.library(store.read([folder]))
    quote, _ = library.quote(contains="an enormous elephant in the room", rng=random.Random(0))
    assert "enormous elephant in the room" in quote.text
    assert quote.score < QUOTABLE_THRESHOLD
    with pytest.raises(NotFound, match="No quote contains “zzqqxx banana”"):
        library.quote(contains="zzqqxx banana")


def test_a_derived_record_gives_its_hot_tier_alone_and_every_quote_in_rank_order(
    corpus: Corpus,
) -> None:
    from bot.core.store.codec import decode_derived, derived_hot_quotes, encode_derived, parse_hot
    from bot.core.store.derive import derive

    for document in corpus:
        derived = derive(document)
        payload = encode_derived(derived)
        assert decode_derived(payload, document).quotes == derived.quotes
        hot, count, own, short, plain = derived_hot_quotes(parse_hot(payload), document)
        assert hot == tuple(q for q in derived.quotes if q.score >= QUOTABLE_THRESHOLD or q.speaker)
        assert (count, short, plain) == (len(derived.quotes), derived.short, derived.plain)
        assert own == any(q.speaker is None and not q.quoted for q in derived.quotes)
        head, body = payload.split(b"\n", 1)
        cut = body[: body.rindex(b',"quotes":') + 12]  # the other quotes cut off: unreadable
        assert derived_hot_quotes(parse_hot(head + b"\n" + cut), document)[0] == hot

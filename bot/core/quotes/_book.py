"""The query engine: :class:`QuoteBook` ranks every quote of a corpus once and answers ``/quote``,
speaker autocomplete and the daily post's order."""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterable, Sequence

from rapidfuzz import fuzz

from bot.core.errors import NotFound
from bot.core.models import Corpus, Document, Quote
from bot.core.normalize import normalize_text
from bot.core.quotes._candidates import DocumentQuotes, document_quotes
from bot.core.quotes._keys import _quote_start, quote_key, salted
from bot.core.quotes._names import _name_tier
from bot.core.quotes._select import draw, matching, next_in_rotation, top

QUOTABLE_THRESHOLD = 0.55
"""Quotes scoring at least this are *quotable*: eligible for an unfiltered ``/quote`` and the daily
post. Calibrated on the seed essay: its clear quotes score 0.75-1.0, its context-bound sentences
below 0.5."""


def _fold(text: str) -> str:
    return normalize_text(text, punctuation=False)


def _grouped(quotes: Iterable[Quote]) -> dict[str, tuple[Quote, ...]]:
    """``quotes`` by document id, each group in the given order (linear: growing a tuple per
    quote was quadratic in a document's quotes)."""
    groups: dict[str, list[Quote]] = {}
    for q in quotes:
        groups.setdefault(q.document_id, []).append(q)
    return {document: tuple(group) for document, group in groups.items()}


def _rank_key(order: dict[str, int]) -> Callable[[Quote], tuple[float, int, int, int]]:
    """The ranking order of quotes: score descending, then corpus order (``order``: position of
    each document id, unknown ids last), paragraph, offset."""
    return lambda q: (-q.score, order.get(q.document_id, len(order)), q.paragraph, _quote_start(q))


def ranked_quotes(
    document: Document,
) -> tuple[tuple[Quote, ...], tuple[Quote, ...], tuple[Quote, ...]]:
    """One document's quotes, short-speech reserve and plain reserve, each ranked as
    :meth:`QuoteBook.build` of that document alone ranks them (without building the book's
    look-ups, which a store of per-document results does not keep)."""
    found = document_quotes(document)
    key = _rank_key({document.id: 0})
    return (
        tuple(sorted(found.quotes, key=key)),
        tuple(sorted(found.short, key=key)),
        tuple(sorted(found.plain, key=key)),
    )


class QuoteBook:
    """Every quote of a corpus, ranked once; cheap to query.

    Holds every sentence of every document with a positive :func:`quotability` score, narration
    and speech alike (see :func:`~bot.core.quotes.document_quotes`):

    * the author's own sentences (``speaker`` is ``None``; shown as the document's author), leaving
      out sentences that are mostly someone else's words (quoted speech of
      :data:`MIN_SPEECH_WORDS`+ words, or 30% or more inside quotation marks);
    * each sentence of quoted speech, letters inside a novel included, with its speaker when the
      paragraph or the dialogue around it says who (see ``_speech`` and ``_dialogue``), else with
      ``quoted=True`` and no speaker: someone's words, never shown as the author's. Speech
      interrupted by its speaker's tag is one quote up to 40 words, the verbatim stretch from the
      first opening mark to the last closing mark, tag included ("“Their conduct has been
      such,” replied Elizabeth, “as neither …”"), scored on its spoken words. The last piece of a
      speech ending with a comma before its tag loses the comma and is scored as if it ended
      with a full stop ("“You are dancing with the only handsome girl in the room,” said Mr.
      Darcy." gives "You are dancing … room"). A piece
      is a quote only when well formed: its first letter is not lower case and it does not end
      with a comma, semicolon or colon (so no fragment such as "as neither you …" is posted);
      speech under :data:`MIN_SPEECH_WORDS` words only when it is a complete sentence ("The sea is
      everything.").

    Every ``Quote.text`` is a verbatim substring of its paragraph.

    Two reserves, never in :meth:`ranked`, :meth:`quotable` or :meth:`cycle_order`, serve
    :meth:`pick` when nothing else can:

    * *short speech*: attributed speech under :data:`MIN_SPEECH_WORDS` words that is not a
      complete sentence ("as Winston
      Churchill said, “jaw jaw” is better than “war war”" gives "“jaw jaw” is better than “war
      war”"), for an explicit speaker filter that matches only such a speaker;
    * *plain sentences* of a document with no quote at all (a poem of short lines such as
      “Nevermore.”), every sentence with a word, scored ``max(0.01, quotability)``, shown as
      the author's: for a ``document`` filter naming it (or any request when no document has a
      quote), and for a speaker filter naming its author (who is then listed by
      :meth:`speakers`).

    Build with :meth:`build`.
    """

    __slots__ = (
        "_authors",
        "_by_document",
        "_by_key",
        "_folded",
        "_order",
        "_plain",
        "_quotes",
        "_short",
        "_speakers",
        "_titles",
    )

    def __init__(
        self,
        quotes: Sequence[Quote],
        documents: Sequence[Document],
        short: Sequence[Quote] = (),
        plain: Sequence[Quote] = (),
    ) -> None:
        """Use :meth:`build`. ``quotes`` may be in any order; ``documents`` gives corpus order;
        ``short`` and ``plain`` are the two reserves (see the class docstring)."""
        self._order = {d.id: i for i, d in enumerate(documents)}
        self._titles = {d.id: d.title for d in documents}
        self._authors = {d.id: d.author for d in documents}
        self._quotes = self._sorted(quotes)
        self._short = self._sorted(short)
        self._plain = _grouped(self._sorted(plain))
        self._by_key: dict[str, Quote] = {}
        for q in (*self._quotes, *self._short, *(q for p in self._plain.values() for q in p)):
            self._by_key.setdefault(quote_key(q), q)
        self._by_document = _grouped(self._quotes)
        names = {q.speaker for q in (*self._quotes, *self._short) if q.speaker}
        names |= {self._authors[d] or "" for d in self._plain}
        names |= {
            self._authors[q.document_id] or ""
            for q in self._quotes
            if q.speaker is None and not q.quoted
        }
        unique: dict[str, str] = {}
        for name in sorted((n for n in names if n), key=lambda n: (-n.count("."), n)):
            unique.setdefault(_fold(name), name)  # "Mr. Jaggers" and "Mr Jaggers" are one
        self._speakers = tuple(sorted(unique.values(), key=lambda n: (n.casefold(), n)))
        # Quote texts folded once, here, for ``contains`` (folding every line on every call cost
        # 200-470 ms on ten novels; benchmarks/load.py).
        self._folded: dict[str, str] = {q.text: _fold(q.text) for q in self._by_key.values()}

    def _sorted(self, quotes: Iterable[Quote]) -> tuple[Quote, ...]:
        return tuple(sorted(quotes, key=_rank_key(self._order)))

    @classmethod
    def build(cls, corpus: Corpus) -> QuoteBook:
        """Score every sentence and extract quoted speech, document by document (see
        :func:`document_quotes`). Cost: linear in the corpus size."""
        return cls.from_documents(corpus.documents, [document_quotes(d) for d in corpus])

    @classmethod
    def from_documents(
        cls, documents: Sequence[Document], derived: Sequence[DocumentQuotes]
    ) -> QuoteBook:
        """A book from per-document results (computed, or read back from a store), in corpus
        order; ``derived[i]`` belongs to ``documents[i]``."""
        quotes = [q for d in derived for q in d.quotes]
        short = [q for d in derived for q in d.short]
        plain = [q for d in derived for q in d.plain]
        return cls(quotes, documents, short, plain)

    def document_position(self, document_id: str) -> int:
        """The document's position in corpus order (unknown ids last)."""
        return self._order.get(document_id, len(self._order))

    def __len__(self) -> int:
        return len(self._quotes)

    def get(self, key: str) -> Quote | None:
        """The quote with this :func:`quote_key`, or ``None`` (e.g. its document changed)."""
        return self._by_key.get(key)

    def ranked(self, document: str | None = None) -> tuple[Quote, ...]:
        """All quotes (of one document, by id, when given), best first.

        Order: score descending, then corpus order, paragraph, offset — deterministic. An
        unknown document id gives ``()``.
        """
        if document is None:
            return self._quotes
        return self._by_document.get(document, ())

    def quotable(self, document: str | None = None) -> tuple[Quote, ...]:
        """The ranked quotes scoring at least :data:`QUOTABLE_THRESHOLD`."""
        return tuple(q for q in self.ranked(document) if q.score >= QUOTABLE_THRESHOLD)

    def speaker_of(self, quote: Quote) -> str | None:
        """Who a quote is shown as from: its speaker, the document's author for own lines, or
        ``None`` for speech whose speaker is not known (never the author's)."""
        if quote.speaker or quote.quoted:
            return quote.speaker
        return self._authors.get(quote.document_id)

    def speakers(self, prefix: str = "", limit: int = 25) -> list[str]:
        """Speaker names for autocomplete: quoted speakers and the authors of own lines.

        Args:
            prefix: what the user typed; matched case- and accent-insensitively against the whole
                name and against each word ("rea" finds "Ronald Reagan"); from 3 characters on, a
                near miss (rapidfuzz ``partial_ratio`` ≥ 80, e.g. "churchil") also matches.
            limit: at most this many names (Discord allows 25 choices), clamped to [0, 25].

        Returns:
            Names in a stable order (every name is one :meth:`pick` can serve with
            ``speaker=name``, including speakers of short speech only): whole-name prefix matches, then word-prefix matches, then
            near misses by similarity; ties alphabetical. An empty prefix lists names
            alphabetically.
        """
        limit = max(0, min(limit, 25))
        query = _fold(prefix)
        if not query:
            return list(self._speakers[:limit])
        ranked: list[tuple[int, float, str, str]] = []
        for name in self._speakers:
            folded = _fold(name)
            if folded.startswith(query):
                ranked.append((0, 0.0, folded, name))
            elif any(word.startswith(query) for word in folded.split()):
                ranked.append((1, 0.0, folded, name))
            elif len(query) >= 3:
                similarity = fuzz.partial_ratio(query, folded)
                if similarity >= 80:
                    ranked.append((2, -similarity, folded, name))
        ranked.sort()
        return [name for *_, name in ranked[:limit]]

    def _by_speaker(
        self, wanted: str, quotes: Sequence[Quote], reserve: Sequence[Quote]
    ) -> list[Quote]:
        """The quotes (else the reserve: short speech, plain sentences) of the speakers best
        matching ``wanted``.

        Every name shown on ``quotes`` and ``reserve`` (speaker, or author for own lines) is rated
        by :func:`_name_tier` against the query, both folded by
        :func:`bot.core.normalize.normalize_text` (case, accents, punctuation: "Mr." = "Mr");
        only the names rated best are kept (the best tier; within the fuzzy tier, the most similar
        names), so an exact match shuts out word-subset and fuzzy ones ("Mr. Bennet" never brings "Mrs. Bennet", "Lady Catherine" never
        "Catherine")."""
        query = _fold(wanted)
        if not query:
            return []
        tiers: dict[str, tuple[int, float] | None] = {}
        for q in (*quotes, *reserve):
            name = self.speaker_of(q)
            if name:
                folded = _fold(name)
                if folded not in tiers:
                    tiers[folded] = _name_tier(query, folded)
        rated = [t for t in tiers.values() if t is not None]
        if not rated:
            return []
        best = {name for name, tier in tiers.items() if tier == min(rated)}

        def chosen(q: Quote) -> bool:
            name = self.speaker_of(q)
            return bool(name) and _fold(name or "") in best

        return [q for q in quotes if chosen(q)] or [q for q in reserve if chosen(q)]

    def _fold_quote(self, quote: Quote) -> str:
        folded = self._folded.get(quote.text)
        if folded is None:
            folded = self._folded[quote.text] = _fold(quote.text)
        return folded

    def _matching(self, query: str, candidates: Sequence[Quote]) -> list[Quote]:
        """The candidates whose folded text contains ``query`` fuzzily (see :meth:`pick`)."""
        hits = matching(query, [self._fold_quote(q) for q in candidates])
        return [q for i, q in enumerate(candidates) if i in hits]

    def pick(
        self,
        *,
        document: str | None = None,
        contains: str | None = None,
        speaker: str | None = None,
        rng: random.Random | None = None,
        exclude: Collection[str] = (),
        top_fraction: float = 0.3,
        rotation: str | None = None,
    ) -> Quote:
        """A random quote from the top of the ranking, with variety across documents; for a
        filtered request with a ``rotation`` key, the next line of a rotation.

        Args:
            document: a document id to draw from; ``None`` for the whole corpus.
            contains: a word or phrase the quote must contain, fuzzily: rapidfuzz
                ``partial_ratio`` ≥ :data:`CONTAINS_THRESHOLD` on text normalised by
                :func:`bot.core.normalize.normalize_text` (case, accents, curly quotes, dashes
                and punctuation folded), so "jaw-jaw" and "peace in our tme" match.
            speaker: only quotes from this person (see :meth:`speakers`; the author matches the
                author's own lines). Names are compared folded (case, accents, punctuation:
                "Mr." = "Mr"); exact matches win, then names holding every query word
                ("reagan" finds "Ronald Reagan"), then fuzzy ones (rapidfuzz ``ratio`` ≥ 85 or
                ``partial_ratio`` ≥ 90), each tier used only when the one before finds nobody.
                A personal honorific in the query (Mr, Mrs, Miss, Ms, Lady, Lord, Sir, Dame,
                Dr, …) must be the speaker's own: "Mr. Bennet" never gives "Mrs. Bennet". When
                the matched speaker has only short speech (under :data:`MIN_SPEECH_WORDS`
                words), that speech is returned ("Churchill" gives "“jaw jaw” is better than
                “war war”").
            rng: the random source (tests pass a seeded one); a fresh ``random.Random()`` if
                ``None``.
            exclude: quote keys (:func:`quote_key`) to avoid, e.g. the channel's last quote.
            top_fraction: the share of each document's ranking a request without a
                ``speaker`` or ``contains`` filter draws from, at least one quote per document
                (with one, all the matches are drawn from: they are few).
            rotation: a key for rotating through a filtered request's matches (the bot passes
                the channel id): the matches are put in an order salted by the key and the
                filter (``blake2b``, as :meth:`cycle_order`), and the line after the excluded
                one (the channel's last) comes next, so a channel asking the same thing again and
                again sees every match before any repeats. Without it, or when no excluded line
                is among the matches, a random draw as below.

        Selection: take the quotes of the document (or corpus); when there are none, its plain
        sentences, best :func:`quotability` first (see :class:`QuoteBook`); filter (a speaker
        filter matching nobody there also tries short speech and plain sentences); keep the
        quotes at or above :data:`QUOTABLE_THRESHOLD` when any qualifies (filtered requests fall back to the best matches below it); per document keep
        the top ``ceil(top_fraction × n)``; drop excluded keys; pick a document uniformly (so one
        long document does not dominate), then a quote in it with probability proportional to its
        score. If excluding empties the pool, the best remaining non-excluded match is used; only
        when every match is excluded is an excluded quote returned (a filter with a single
        answer).

        Raises:
            NotFound: with a message naming the filter: "No quote in <title> contains “x”.",
                "No quote contains “x”.", "No quotes from <speaker>." (with "in <title>" when a
                document is given), "No quotes in <title>.", "No quotes in the corpus.".
        """
        rng = rng if rng is not None else random.Random()
        title = self._titles.get(document, document) if document is not None else None
        where = f" in {title}" if title is not None else ""
        candidates = list(self.ranked(document))
        if document is not None:
            plain = list(self._plain.get(document, ()))
        else:
            plain = [q for d in self._order if d in self._plain for q in self._plain[d]]
        if not candidates:
            candidates, plain = plain, []
        wants_speaker = speaker is not None and bool(speaker.strip())
        reserve = [q for q in self._short if document is None or q.document_id == document]
        reserve += plain
        if not candidates and not (wants_speaker and reserve):
            raise NotFound(f"No quotes in {title}." if title else "No quotes in the corpus.")
        if speaker is not None and wants_speaker:
            candidates = self._by_speaker(speaker, candidates, reserve)
            if not candidates:
                raise NotFound(f"No quotes from {speaker.strip()}{where}.")
        if contains is not None and contains.strip():
            query = _fold(contains)
            matched = self._matching(query, candidates) if query else []
            if not matched and query and not wants_speaker:
                # lines /quote serves anyway: short speech, and the plain sentences of documents
                # with no quotable line (e.g. a language the quotability score does not read)
                matched = self._matching(query, reserve)
            if not matched:
                who = f" from {speaker.strip()}" if speaker and speaker.strip() else ""
                raise NotFound(
                    f"No quote{who}{where} contains “{contains.strip()}”. "
                    "(/search finds the passages that do.)"
                )
            candidates = matched
        good = [q for q in candidates if q.score >= QUOTABLE_THRESHOLD] or candidates

        narrowed = wants_speaker or bool(contains and contains.strip())
        if not narrowed:  # the whole corpus or one document: its best lines, per document
            good = top(good, top_fraction)
        if rotation is not None and (narrowed or document is not None):
            salt = f"{rotation}\0{document}\0{contains}\0{speaker}"
            rotated = next_in_rotation(good, exclude, salt)
            if rotated is not None:
                return rotated
        return draw(good, candidates, exclude, rng, self.document_position)

    def cycle_order(self, documents: Sequence[str] | None, *, salt: str) -> tuple[Quote, ...]:
        """A deterministic permutation of the quotable quotes, for the daily post.

        Args:
            documents: document ids to draw from; ``None`` or empty for the whole corpus
                (unknown ids are ignored).
            salt: makes each guild's order different (e.g. ``str(guild_id)``).

        Returns:
            The quotes scoring at least :data:`QUOTABLE_THRESHOLD` (a document with no such
            quote contributes all its quotes, and one with no quotes at all, such as a short
            poem, its best plain sentences, as :meth:`pick` does), sorted by ``blake2b(salt + "\\0" + quote_key(q))`` — the same order
            in every process and after every restart (Python's ``hash`` is salted per process).
            Adding a document inserts its quotes without reordering the others. ``()`` when the
            documents have no quotes.
        """
        ids = list(documents) if documents else [d for d in self._order]
        chosen: list[Quote] = []
        for doc_id in dict.fromkeys(ids):
            quotes = self.quotable(doc_id) or self.ranked(doc_id) or self._plain.get(doc_id, ())
            chosen.extend(quotes)
        return tuple(sorted(chosen, key=lambda q: (salted(salt, quote_key(q)), quote_key(q))))

"""The query engine: :class:`QuoteBook` ranks every quote of a corpus once and answers ``/quote``,
speaker autocomplete and the daily post's order."""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Mapping, Sequence

from rapidfuzz import fuzz

from bot.core.errors import NotFound
from bot.core.models import Corpus, Document, Quote
from bot.core.quotes._candidates import DocumentQuotes, document_quotes
from bot.core.quotes._keys import quote_key, salted_order
from bot.core.quotes._names import _name_tier
from bot.core.quotes._narrow import Find, Narrowing, fold, fold_name
from bot.core.quotes._pool import Grouped, Pool, Where, grouped, merged, within
from bot.core.quotes._select import draw, matching, next_in_rotation, top
from bot.core.quotes._shelf import QUOTABLE_THRESHOLD, Shelf, ranking
from bot.core.quotes._shelves import DECODED_QUOTES, Shelves

__all__ = ["DECODED_QUOTES", "QUOTABLE_THRESHOLD", "QuoteBook"]


class QuoteBook(Shelves):
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

    Build with :meth:`build` (every quote in memory) or :meth:`from_shelves` (a store's
    tiered form: only each document's quotable quotes and named speech in memory, the rest
    decoded per document when a request needs it; see :class:`~bot.core.quotes._shelf.Shelf`).
    """

    __slots__ = ()

    def __init__(
        self,
        quotes: Sequence[Quote],
        documents: Sequence[Document],
        short: Sequence[Quote] = (),
        plain: Sequence[Quote] = (),
    ) -> None:
        """Use :meth:`build`. ``quotes`` may be in any order; ``documents`` gives corpus order;
        ``short`` and ``plain`` are the two reserves (see the class docstring)."""
        groups = grouped(sorted(quotes, key=ranking))
        self._setup(documents, {d: Shelf.of(qs) for d, qs in groups.items()}, short, plain)

    @classmethod
    def from_shelves(
        cls,
        documents: Sequence[Document],
        shelves: Mapping[str, Shelf],
        short: Sequence[Quote] = (),
        plain: Sequence[Quote] = (),
    ) -> QuoteBook:
        """A book from each document's :class:`Shelf` (by document id), in corpus order."""
        book = cls.__new__(cls)
        book._setup(documents, shelves, short, plain)
        return book

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

    def warm_up(self) -> None:
        """Fold the quotable texts ``contains`` compares now (about 0.3 s at 270,000 quotable
        quotes), not at the first request."""
        for document, shelf in self._shelves.items():
            self._folded_of(document, shelf.quotable)

    def use_passages(self, find: Find | None) -> None:
        """Let a ``contains`` fallback look only in the paragraphs ``find`` gives for a folded
        phrase (``(document id, paragraph)`` pairs, e.g. from the passage search index) when
        the quotes not in memory are too many to compare one by one (see :meth:`pick`)."""
        self._narrowing = Narrowing(find)

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
        query = fold(prefix)
        if not query:
            return list(self._speakers[:limit])
        ranked: list[tuple[int, float, str, str]] = []
        for name in self._speakers:
            folded = fold_name(name)
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

    def _shelf_pool(
        self,
        docs: Sequence[str],
        keep: Callable[[Quote], bool] | None = None,
        decode: Callable[[str], bool] = lambda document: True,
    ) -> Pool:
        """The quotes of ``docs`` (those ``keep`` accepts) as a pool; a document's quotes that
        are not in memory are decoded only for the documents ``decode`` accepts (the others'
        accepted quotes are all in their hot tier)."""

        def chosen(quotes: Sequence[Quote]) -> Sequence[Quote]:
            return quotes if keep is None else [q for q in quotes if keep(q)]

        def gather(where: Where) -> Grouped:
            found: Grouped = {}
            for d in docs:
                if where is not None and d not in where:
                    continue
                shelf = self._shelves[d]
                if where is None:
                    quotes = chosen(self._every(d) if decode(d) else shelf.hot)
                elif decode(d):
                    quotes = chosen(self._every_in(d, where[d]))
                else:
                    quotes = chosen([q for q in shelf.hot if q.paragraph in where[d]])
                if quotes:
                    found[d] = quotes
            return found

        top = {d: qs for d in docs if (qs := chosen(self._shelves[d].quotable))}
        cold = sum(
            s.count - len(s.hot) for d in docs if (s := self._shelves[d]).kept is None and decode(d)
        )
        return Pool(top, gather, lambda: merged(gather(None), self._rank), True, cold=cold)

    def _by_speaker(
        self, wanted: str, docs: Sequence[str], pool: Pool, reserve: Sequence[Quote]
    ) -> Pool:
        """The candidates (else the reserve: short speech, plain sentences) of the speakers best
        matching ``wanted``; ``docs``: the documents of ``pool`` when it holds their quotes.

        Every name shown on the candidates and the reserve (speaker, or author for own lines) is
        rated by :func:`_name_tier` against the query, both folded by
        :func:`bot.core.normalize.normalize_text` (case, accents, punctuation: "Mr." = "Mr");
        only the names rated best are kept (the best tier; within the fuzzy tier, the most similar
        names), so an exact match shuts out word-subset and fuzzy ones ("Mr. Bennet" never brings "Mrs. Bennet", "Lady Catherine" never
        "Catherine")."""
        query = fold(wanted)
        if not query:
            return Pool.of(())
        listed = () if docs else pool.order()
        names = {self._shown(q) for q in (*listed, *reserve)}
        for d in docs:
            names |= self._voices[d]
        tiers = {name: _name_tier(query, name) for name in names if name}
        rated = [t for t in tiers.values() if t is not None]
        if not rated:
            return Pool.of(())
        best = {name for name, tier in tiers.items() if tier == min(rated)}

        def keep(q: Quote) -> bool:
            return self._shown(q) in best

        if docs and (speaking := [d for d in docs if self._voices[d] & best]):
            authors = {d for d in speaking if fold_name(self._authors.get(d) or "") in best}
            return self._shelf_pool(speaking, keep, authors.__contains__)
        return Pool.of([q for q in listed if keep(q)] or [q for q in reserve if keep(q)])

    def _folded_of(self, document: str, quotes: Sequence[Quote]) -> Sequence[str]:
        """The folded texts of ``quotes`` of ``document``: kept when they are its quotable
        ones (searched again and again), else folded now."""
        shelf = self._shelves.get(document)
        if shelf is None or quotes is not shelf.quotable:
            return [fold(q.text) for q in quotes]
        folded = self._folded.get(document)
        if folded is None:
            folded = self._folded[document] = tuple(fold(q.text) for q in quotes)
        return folded

    def _matching(self, query: str, candidates: Sequence[Quote]) -> list[Quote]:
        """The candidates whose folded text contains ``query`` fuzzily (see :meth:`pick`)."""
        hits = matching(query, [fold(q.text) for q in candidates])
        return [candidates[i] for i in sorted(hits)]

    def _containing(self, query: str, pool: Pool, document: str | None) -> Pool:
        """The candidates of ``pool`` that contain ``query`` (see :meth:`pick`): the quotable
        ones when any matches, else those below the threshold, looked for in the paragraphs
        :class:`Narrowing` allows."""

        def matched(groups: Grouped) -> Grouped:
            texts: list[str] = []
            for document, quotes in groups.items():
                texts += self._folded_of(document, quotes)
            flat = [q for quotes in groups.values() for q in quotes]
            return grouped(flat[i] for i in sorted(matching(query, texts)))

        def order(groups: Grouped) -> list[Quote]:
            if pool.ranked:
                return merged(groups, self._rank)
            return self._matching(query, pool.order())

        top = matched(pool.top)
        if top:
            return Pool(
                top,
                lambda w: matched(pool.gather(w)),
                lambda: order(matched(pool.gather(None))),
                True,
            )
        found = matched(pool.gather(self._narrowing.where(query, pool.cold, document)))
        return Pool({}, lambda w: within(found, w), lambda: order(found), bool(found))

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
                and punctuation folded), so "jaw-jaw" and "peace in our tme" match. When no
                quotable candidate matches, the quotes below the threshold that are not in memory
                (a store-backed book) are compared only in the paragraphs :meth:`use_passages`
                gives (the library's passage search: its best 200 paragraphs scoring 85+ in
                the document, or in the corpus), not all of them.
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
        docs = [d for d in self._shelves if document is None or d == document]
        if document is not None:
            plain = list(self._plain.get(document, ()))
        else:
            plain = [q for d in self._order if d in self._plain for q in self._plain[d]]
        pool = self._shelf_pool(docs) if docs else Pool.of(plain)
        if not docs:
            plain = []
        wants_speaker = speaker is not None and bool(speaker.strip())
        reserve = [q for q in self._short if document is None or q.document_id == document]
        reserve += plain
        if not pool.any and not (wants_speaker and reserve):
            raise NotFound(f"No quotes in {title}." if title else "No quotes in the corpus.")
        if speaker is not None and wants_speaker:
            pool = self._by_speaker(speaker, docs, pool, reserve)
            if not pool.any:
                raise NotFound(f"No quotes from {speaker.strip()}{where}.")
        if contains is not None and contains.strip():
            query = fold(contains)
            matched = self._containing(query, pool, document) if query else Pool.of(())
            if not matched.any and query and not wants_speaker:
                # lines /quote serves anyway: short speech, and the plain sentences of documents
                # with no quotable line (e.g. a language the quotability score does not read)
                matched = Pool.of(self._matching(query, reserve))
            if not matched.any:
                who = f" from {speaker.strip()}" if speaker and speaker.strip() else ""
                raise NotFound(
                    f"No quote{who}{where} contains “{contains.strip()}”. "
                    "(/search finds the passages that do.)"
                )
            pool = matched
        good = pool.best()

        narrowed = wants_speaker or bool(contains and contains.strip())
        if not narrowed:  # the whole corpus or one document: its best lines, per document
            good = top(good, top_fraction)
        if rotation is not None and (narrowed or document is not None):
            salt = f"{rotation}\0{document}\0{contains}\0{speaker}"
            rotated = next_in_rotation([q for qs in good.values() for q in qs], exclude, salt)
            if rotated is not None:
                return rotated
        return draw(good, pool.order, exclude, rng, self.document_position)

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
        keys: list[str] = []
        for doc_id in dict.fromkeys(ids):
            quotes = self.quotable(doc_id)
            if quotes:
                keys += self._keys_of(doc_id)
            else:
                quotes = self.ranked(doc_id) or self._plain.get(doc_id, ())
                keys += [quote_key(q) for q in quotes]
            chosen += quotes
        return tuple(chosen[i] for i in salted_order(salt, keys))

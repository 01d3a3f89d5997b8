"""Document names as users type them: resolving a document option (exact id, folded id, id
prefix, title, fuzzy title) and the autocomplete choices for it."""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from rapidfuzz import fuzz, process, utils

from bot.core.errors import NotFound
from bot.core.models import Corpus, Document
from bot.core.normalize import normalize_text, valid_text

__all__ = ["DocumentNames", "name_key"]


def name_key(text: str) -> str:
    """A document name as search compares text: the matching key of :mod:`bot.core.normalize`
    (NFKC, full case folding, ``ß`` -> ``ss``, punctuation and spacing to single spaces)."""
    return normalize_text(text, punctuation=False)


class DocumentNames:
    """The document-name methods of :class:`~bot.core.library.Library` (over ``self.corpus``)."""

    corpus: Corpus
    _long_id_map: dict[str, Document] | None = None
    _name_key_map: dict[str, tuple[str, str]] | None = None

    FUZZY_MIN_CHARS = 3
    """Letters/digits a typed name needs before a fuzzy title match is tried."""
    FUZZY_MIN_SCORE = 80.0
    """Least rapidfuzz ``WRatio`` (0-100) of an accepted fuzzy title match."""
    FUZZY_MIN_LEAD = 5.0
    """Points the best fuzzy title match must be ahead of the second."""

    def document(self, name: str | None) -> Document | None:
        """Resolve a user's document option (typed text or an autocomplete pick).

        Names are compared as search compares text (:func:`name_key`: NFKC, full case folding,
        punctuation and spacing ignored), so "Résumé" typed decomposed, "Strasse" for "Straße" and
        full-width letters match. In order: an exact id or a :meth:`document_value` key; an id
        equal up to that folding; a unique id prefix (unless the text also starts a word of
        another title, like "the"); an equal title; a fuzzy title match
        (rapidfuzz ``WRatio``, for misspellings such as "pride and prejudce") only if the name
        has at least :attr:`FUZZY_MIN_CHARS` letters/digits and the best title scores at least
        :attr:`FUZZY_MIN_SCORE` and leads the second best by :attr:`FUZZY_MIN_LEAD` points.

        Returns:
            The document, or ``None`` for an empty option.

        Raises:
            NotFound: the name is ambiguous (the message lists the closest ids) or nothing is
                close enough (the message lists the documents).
        """
        if name is None or not name.strip():
            return None
        name = valid_text(name.strip())
        exact = self.corpus.get(name) or self._long_ids().get(name)
        if exact is not None:
            return exact
        docs = list(self.corpus)
        keys = self._name_keys()
        query = name_key(name)
        same_id = [d for d in docs if keys[d.id][0] == query]
        if len(same_id) == 1:
            return same_id[0]
        prefixed = [d for d in docs if query and keys[d.id][0].startswith(query)]
        # "the" or "e" also start a word of other titles ("The Whale", "Expectations")
        worded = {
            d.id for d in docs if query and any(w.startswith(query) for w in keys[d.id][1].split())
        }
        if len(prefixed) == 1 and worded <= {prefixed[0].id}:
            return prefixed[0]
        same_title = [d for d in docs if query and keys[d.id][1] == query]
        if len(same_title) == 1:
            return same_title[0]
        scored = process.extract(
            query,
            {d.id: keys[d.id][1] for d in docs},
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=None,
        )
        scored.sort(key=lambda item: -item[1])
        if not prefixed and len(same_title) <= 1:
            found = self._fuzzy_pick(name, scored, worded)
            if found is not None:
                return found
        close = {d.id for d in prefixed} | {d.id for d in same_title} | worded
        close |= {str(key) for _, score, key in scored if score >= self.FUZZY_MIN_SCORE}
        raise self._not_found(name, close)

    def _fuzzy_pick(
        self, name: str, scored: list[tuple[str, float, str]], worded: set[str]
    ) -> Document | None:
        """The fuzzy title match :meth:`document` accepts (see its docstring), or ``None``."""
        letters = sum(ch.isalnum() for ch in name)
        best = scored[0] if scored else None
        second = scored[1][1] if len(scored) > 1 else 0.0
        if (
            best is not None
            and worded <= {best[2]}
            and letters >= self.FUZZY_MIN_CHARS
            and best[1] >= self.FUZZY_MIN_SCORE
            and best[1] - second >= self.FUZZY_MIN_LEAD
        ):
            return self.corpus.get(best[2])
        return None

    def _not_found(self, name: str, close: set[str]) -> NotFound:
        """The error for a name that is ambiguous (``close`` has several ids) or unknown."""
        if len(close) > 1:
            shown = sorted(close)
            listed = ", ".join(shown[:8]) + (
                f" and {len(shown) - 8} more" if len(shown) > 8 else ""
            )
            return NotFound(f"“{name}” matches several documents: {listed}. Give one of these ids.")
        known = ", ".join(d.id for d in self.corpus.documents[:10])
        more = f" and {len(self.corpus) - 10} more" if len(self.corpus) > 10 else ""
        return NotFound(f"There is no document called “{name}”. Documents: {known}{more}.")

    def document_choices(
        self, typed: str, *, limit: int = 25, allowed: Collection[str] | None = None
    ) -> list[tuple[str, str]]:
        """Autocomplete for a document option: up to ``limit`` ``(title, id)`` pairs, stable order.

        Empty input lists documents in corpus order; otherwise titles are ranked by fuzzy match
        (ties by corpus order). ``allowed``: only these document ids (a server's choice).
        """
        if allowed is not None:
            return [
                pair
                for pair in self.document_choices(typed, limit=len(self.corpus))
                if self._value_id(pair[1]) in allowed
            ][:limit]
        docs = list(self.corpus)
        typed = valid_text(typed.strip())
        if not typed:
            return [(d.title, self.document_value(d)) for d in docs[:limit]]
        query = name_key(typed)
        keys = self._name_keys()
        scored = []
        for position, doc in enumerate(docs):
            id_key, title = keys[doc.id]
            score = (
                100.0
                if title.startswith(query) or id_key.startswith(query)
                else fuzz.partial_ratio(query, title)
            )
            if score >= 60:
                scored.append((-score, position, doc))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [(d.title, self.document_value(d)) for _, _, d in scored[:limit]]

    LONG_ID = 64
    """Ids longer than this are offered to autocomplete as a short key (:meth:`document_value`)."""

    def document_value(self, document: Document) -> str:
        """What an autocomplete choice sends back for ``document``: its id, or for an id longer
        than :attr:`LONG_ID` characters ``"~"`` plus 20 hex digits of its BLAKE2b hash (stable
        across restarts; ids never start with ``~``). :meth:`document` resolves both exactly."""
        if len(document.id) <= self.LONG_ID:
            return document.id
        return (
            "~"
            + hashlib.blake2b(
                document.id.encode("utf-8", "surrogatepass"), digest_size=10
            ).hexdigest()
        )

    def _value_id(self, value: str) -> str:
        """The document id an autocomplete value (:meth:`document_value`) stands for."""
        found = self._long_ids().get(value) if value.startswith("~") else None
        return found.id if found is not None else value

    def _long_ids(self) -> dict[str, Document]:
        if self._long_id_map is None:
            self._long_id_map = {
                self.document_value(d): d for d in self.corpus if len(d.id) > self.LONG_ID
            }
        return self._long_id_map

    def _name_keys(self) -> dict[str, tuple[str, str]]:
        """Document id -> (id key, title key), :func:`name_key` of each, computed once."""
        if self._name_key_map is None:
            self._name_key_map = {d.id: (name_key(d.id), name_key(d.title)) for d in self.corpus}
        return self._name_key_map

"""Quotable lines and quoted speech: what ``/quote`` and the daily post draw from.

Two kinds of :class:`~bot.core.models.Quote` come out of a document: the author's own quotable
sentences (``speaker is None``), scored by :func:`quotability`, and quoted speech with its
speaker, found by :func:`extract_speech`. :class:`QuoteBook` ranks them once per corpus and
answers ``/quote``, speaker autocomplete and the daily post's order.

The package, by job:

* ``_marks``: which quotation marks open and close quotes, where sentences end;
* ``_names``: the name grammar, a name's fullest form, speaker-name matching;
* ``_speech``: the speech-tag grammar and :func:`extract_speech`;
* ``_patterns`` and ``_scoring``: :func:`quotability` as a table of named, weighted features;
* ``_candidates``: which sentences and which speech of a paragraph become quotes;
* ``_book``: :class:`QuoteBook`, the query engine, and :func:`quote_key`.
"""

from bot.core.quotes._book import QUOTABLE_THRESHOLD, QuoteBook, quote_key
from bot.core.quotes._candidates import VERSION, DocumentQuotes, document_quotes, document_speech
from bot.core.quotes._scoring import FEATURES, explain, quotability
from bot.core.quotes._speech import MIN_SPEECH_WORDS, SpeechSpan, extract_speech

__all__ = [
    "FEATURES",
    "MIN_SPEECH_WORDS",
    "QUOTABLE_THRESHOLD",
    "VERSION",
    "DocumentQuotes",
    "QuoteBook",
    "SpeechSpan",
    "document_quotes",
    "document_speech",
    "explain",
    "extract_speech",
    "quotability",
    "quote_key",
]

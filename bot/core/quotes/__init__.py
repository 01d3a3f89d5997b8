"""Quotable lines and quoted speech: what ``/quote`` and the daily post draw from.

Every sentence of a document can be a :class:`~bot.core.models.Quote`: the author's narration
(``speaker is None``) and each sentence of quoted speech, with its speaker when the text says who
(:func:`extract_speech` reads a paragraph, :func:`document_speech` the dialogue around it) or
marked ``quoted`` when it does not. What decides is :func:`quotability`, how well the line stands
alone. :func:`document_quotes` does one document (stored per document, :data:`VERSION`);
:class:`QuoteBook` ranks them once per corpus and answers ``/quote``, speaker autocomplete and the
daily post's order.

The package, by job:

* ``_marks``: which quotation marks open and close quotes, where sentences end;
* ``_names``: the name grammar, a name's fullest form, speaker-name matching;
* ``_speech``: the speech-tag grammar and :func:`extract_speech`;
* ``_dialogue``: speakers across paragraphs (pronoun tags, alternating turns);
* ``_patterns`` and ``_scoring``: :func:`quotability` as a table of named, weighted features;
* ``_credit``: fortune-style paragraphs ending with a credit line ("-- Art Buchwald");
* ``_candidates``: which sentences and which speech of a paragraph become quotes;
* ``_book``: :class:`QuoteBook`, the query engine; ``_shelf``: one document's quotes in two
  tiers (in memory, or decoded when needed); ``_pool``: a request's candidates;
  ``_narrow``: folding, and where a ``contains`` fallback looks; ``_select``: how it draws;
* ``_keys``: :func:`quote_key` and the salted orders built on it.
"""

from bot.core.quotes._book import QUOTABLE_THRESHOLD, QuoteBook
from bot.core.quotes._candidates import VERSION, DocumentQuotes, document_quotes, document_speech
from bot.core.quotes._keys import quote_key
from bot.core.quotes._scoring import FEATURES, explain, quotability
from bot.core.quotes._shelf import Shelf, in_hot_tier, ranked_quotes
from bot.core.quotes._speech import MIN_SPEECH_WORDS, SpeechSpan, extract_speech

__all__ = [
    "FEATURES",
    "MIN_SPEECH_WORDS",
    "QUOTABLE_THRESHOLD",
    "VERSION",
    "DocumentQuotes",
    "QuoteBook",
    "Shelf",
    "SpeechSpan",
    "document_quotes",
    "document_speech",
    "explain",
    "extract_speech",
    "in_hot_tier",
    "quotability",
    "quote_key",
    "ranked_quotes",
]

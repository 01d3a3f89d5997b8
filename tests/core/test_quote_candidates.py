"""Quote candidates in novels: every sentence, narration or speech, can be a quote; what decides
is how well it stands alone (bot.core.quotes.document_quotes, through the public API)."""

from __future__ import annotations

from bot.core.loader import parse_document
from bot.core.models import Corpus, Document, Quote
from bot.core.quotes import QUOTABLE_THRESHOLD, QuoteBook, document_quotes, quotability
from bot.render import attribution

NOVEL = """THE VOYAGE

CHAPTER 1. Loomings.

Call me Ishmael. Some years ago I went to sea with very little money in my purse.

By degrees the harbour emptied and the gulls grew quiet over the water.

By Herman Gray

“Yes, very well, if it must be so, it must,” said Captain Ahab.

“The sea is everything. A man who fears the deep should never leave the shore. We sail at dawn,” he said, and walked away.

“My dear Sir,

“A heart that is never risked is never won. I write in haste, and remain yours.
"""


def _doc() -> Document:
    return parse_document(NOVEL, document_id="voyage")


def _quotes() -> dict[str, Quote]:
    return {q.text: q for q in document_quotes(_doc()).quotes}


def test_a_short_memorable_opening_line_is_a_quote() -> None:
    quotes = _quotes()
    assert "Call me Ishmael." in quotes
    assert quotes["Call me Ishmael."].score > quotability("Call me Ishmael.")  # it opens a chapter


def test_a_sentence_starting_with_by_is_prose_unless_it_is_a_byline() -> None:
    quotes = _quotes()
    assert "By degrees the harbour emptied and the gulls grew quiet over the water." in quotes
    assert not any(text.startswith("By Herman") for text in quotes)
    assert quotability("By Jane Doe and John Smith") == 0.0


def test_each_sentence_of_speech_is_a_candidate_with_its_speaker() -> None:
    quotes = _quotes()
    line = "A man who fears the deep should never leave the shore."
    assert line in quotes
    assert quotes[line].score >= QUOTABLE_THRESHOLD
    assert quotes["The sea is everything."].score > 0


def test_a_reply_fragment_scores_below_a_line_that_stands_alone() -> None:
    quotes = _quotes()
    reply = quotes["Yes, very well, if it must be so, it must"]
    assert reply.speaker is not None  # "said the captain" names him
    assert reply.score < QUOTABLE_THRESHOLD
    assert quotability("Oh! it is so.") < quotability("The law is so.")


def test_a_letter_inside_the_novel_is_prose_shown_as_quoted_not_as_the_author() -> None:
    quotes = _quotes()
    line = "A heart that is never risked is never won."
    assert line in quotes
    quote = quotes[line]
    assert quote.quoted
    assert quote.speaker is None
    document = _doc()
    book = QuoteBook.build(Corpus((document,)))
    assert book.speaker_of(quote) is None
    assert attribution(quote, document).startswith("— quoted in ")

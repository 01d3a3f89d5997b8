"""A document's quote candidates: which sentences and which speech become quotes, and their scores.

:func:`document_quotes` works on one document alone, so documents can be processed in parallel and
the result (a frozen :class:`DocumentQuotes`) stored; :data:`VERSION` changes whenever the result
for the same text would change.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.models import Document, Paragraph, Quote, Sentence
from bot.core.quotes._lexicon import WORD
from bot.core.quotes._names import _canonical, _name_runs
from bot.core.quotes._scoring import FLOOR, quotability
from bot.core.quotes._speech import MIN_SPEECH_WORDS, SpeechSpan, extract_speech

VERSION = 1
"""Bumped whenever :func:`document_quotes` gives a different result for the same document."""


@dataclass(frozen=True, slots=True)
class DocumentQuotes:
    """The quote candidates of one document.

    Attributes:
        document_id: the document's id.
        quotes: own sentences with a positive score and well-formed attributed speech of
            :data:`MIN_SPEECH_WORDS`+ words, in text order.
        short: attributed speech under :data:`MIN_SPEECH_WORDS` words (a reserve).
        plain: every sentence with a word, when ``quotes`` is empty (a reserve).
        version: the :data:`VERSION` that built it.
    """

    document_id: str
    quotes: tuple[Quote, ...]
    short: tuple[Quote, ...] = ()
    plain: tuple[Quote, ...] = ()
    version: int = VERSION


def _document_names(document: Document) -> list[str]:
    names: list[str] = []
    for paragraph in document.paragraphs:
        names += _name_runs(paragraph.text)
    return names


def _sentence_at(paragraph: Paragraph, offset: int) -> Sentence | None:
    for sentence in paragraph.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    for sentence in paragraph.sentences:
        if offset < sentence.start:
            return sentence
    return paragraph.sentences[-1] if paragraph.sentences else None


def _quoted_share(sentence: Sentence, spans: Sequence[SpeechSpan]) -> float:
    """Share of the sentence's characters inside top-level quotation marks."""
    inside = 0
    for span in spans:
        if span.depth:
            continue
        lo, hi = max(span.mark_start, sentence.start), min(span.mark_end, sentence.end)
        inside += max(0, hi - lo)
    return inside / max(1, sentence.end - sentence.start)


def _not_own(sentence: Sentence, spans: Sequence[SpeechSpan]) -> bool:
    """A sentence is someone else's words when it holds quoted speech of
    :data:`MIN_SPEECH_WORDS` or more words, or when 30% or more of it is inside quotation marks."""
    for span in spans:
        if span.quotable and sentence.start <= span.mark_start < sentence.end:
            return True
    return _quoted_share(sentence, spans) >= 0.3


def _speech_chains(spans: Sequence[SpeechSpan]) -> list[list[SpeechSpan]]:
    """Top-level spans with a speaker, grouped so that a span which :attr:`SpeechSpan.continues`
    the previous one joins its chain ("“Their conduct has been such,” replied Elizabeth, “as
    neither …”" is one chain of two spans)."""
    chains: list[list[SpeechSpan]] = []
    for span in spans:
        if span.depth or span.speaker is None:
            continue
        if span.continues and chains and chains[-1][-1].speaker == span.speaker:
            chains[-1].append(span)
        else:
            chains.append([span])
    return chains


def _chain_text(paragraph: Paragraph, chain: Sequence[SpeechSpan]) -> str:
    """The verbatim text of a chain: the words inside the marks for a single span, else the whole
    stretch from the first opening mark to the last closing mark, speech tags included."""
    if len(chain) == 1:
        return chain[0].text
    return paragraph.text[chain[0].mark_start : chain[-1].mark_end]


_CLOSING = "”’»›\"' "


def _well_formed(text: str) -> bool:
    """Whether speech can be posted on its own: its first letter is not lower case (not a
    fragment resumed mid-sentence) and it does not end with a comma, semicolon or colon (before
    any closing mark)."""
    first = re.search(r"[^\W_]", text)
    if first is None or first.group(0).islower():
        return False
    return text.rstrip(_CLOSING)[-1:] not in (",", ";", ":")


def document_quotes(document: Document) -> DocumentQuotes:
    """Score every sentence of a document and extract its quoted speech (see
    :class:`~bot.core.quotes.QuoteBook` for the rules)."""
    names = Counter(_document_names(document))
    quotes: list[Quote] = []
    short: list[Quote] = []
    for paragraph in document.paragraphs:
        spans = extract_speech(paragraph)
        for sentence in paragraph.sentences:
            if _not_own(sentence, spans):
                continue
            score = quotability(sentence.text)
            if score > 0:
                quotes.append(Quote(sentence.text, sentence, None, score))
        for chain in _speech_chains(spans):
            quote = _speech_quote(paragraph, chain, names)
            if quote is None:
                continue
            if sum(span.word_count for span in chain) < MIN_SPEECH_WORDS:
                short.append(quote)
            elif _well_formed(quote.text):
                quotes.append(quote)
    plain: list[Quote] = []
    if not quotes:
        plain = [
            Quote(sentence.text, sentence, None, max(FLOOR, quotability(sentence.text)))
            for sentence in document.sentences
            if WORD.search(sentence.text)
        ]
    return DocumentQuotes(document.id, tuple(quotes), tuple(short), tuple(plain))


def _speech_quote(
    paragraph: Paragraph, chain: Sequence[SpeechSpan], names: Counter[str]
) -> Quote | None:
    """The quote for a chain of attributed speech, or ``None`` when it is unclosed or unplaced.

    Short speech (under :data:`MIN_SPEECH_WORDS` words) is scored as written, floored at
    :data:`FLOOR`; longer speech by the words spoken."""
    if not chain[-1].closed or chain[0].speaker is None:
        return None
    text = _chain_text(paragraph, chain)
    spoken = " ".join(span.text for span in chain)
    if len(chain) == 1 and text.endswith(","):
        # "“You are dancing with the only handsome girl,” said Mr. Darcy.": the comma before the
        # closing tag stands for a full stop
        text = text[:-1].rstrip()
        spoken = text + "."
    at = chain[0].start if len(chain) == 1 else chain[0].mark_start
    sentence = _sentence_at(paragraph, at)
    if sentence is None:
        return None
    speaker = _canonical(chain[0].speaker, names, min_count=2)
    if sum(span.word_count for span in chain) < MIN_SPEECH_WORDS:
        return Quote(text, sentence, speaker, max(FLOOR, quotability(text)))
    return Quote(text, sentence, speaker, quotability(spoken))

"""A document's quote candidates: which sentences and which speech become quotes, and their scores.

:func:`document_quotes` works on one document alone, so documents can be processed in parallel and
the result (a frozen :class:`DocumentQuotes`) stored; :data:`VERSION` changes whenever the result
for the same text would change.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from bot.core.models import Document, Paragraph, Quote, Sentence
from bot.core.quotes._credit import credit_of
from bot.core.quotes._dialogue import resolve_dialogue
from bot.core.quotes._lexicon import WORD, words
from bot.core.quotes._marks import word_before
from bot.core.quotes._names import _canonical, _name_runs
from bot.core.quotes._scoring import FLOOR, quotability
from bot.core.quotes._speech import MIN_SPEECH_WORDS, SpeechSpan, extract_speech
from bot.core.summarize import is_heading
from bot.core.text import SentenceWords

VERSION = 7
"""Bumped whenever :func:`document_quotes` gives a different result for the same document."""


@dataclass(frozen=True, slots=True)
class DocumentQuotes:
    """The quote candidates of one document.

    Attributes:
        document_id: the document's id.
        quotes: every narration sentence and every well-formed piece of speech with a positive
            score, in text order (speech with its speaker, or ``quoted=True`` without one).
        short: attributed speech under :data:`MIN_SPEECH_WORDS` words that is not a complete
            sentence (a reserve for a speaker filter).
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
    """The sentence holding ``offset``, else the first one after it, else the last one
    (binary search: a one-line book has tens of thousands of sentences)."""
    sentences = paragraph.sentences
    if not sentences:
        return None
    i = bisect_right(sentences, offset, key=lambda sentence: sentence.start) - 1
    if i >= 0 and offset < sentences[i].end:
        return sentences[i]
    return sentences[i + 1] if i + 1 < len(sentences) else sentences[-1]


class _SpanWindow:
    """A paragraph's speech spans, found by the character range they overlap in O(log n + k):
    sorted by opening mark, with the running maximum of their closing marks (a paragraph that
    is one 16 MB line holds tens of thousands of spans and sentences)."""

    def __init__(self, spans: Sequence[SpeechSpan]) -> None:
        self._spans = sorted(spans, key=lambda span: span.mark_start)
        self._starts = [span.mark_start for span in self._spans]
        self._reach = list(accumulate((span.mark_end for span in self._spans), max))

    def overlapping(self, start: int, end: int) -> list[SpeechSpan]:
        """The spans whose marks overlap ``[start, end)`` or open inside it, in order."""
        hi = bisect_left(self._starts, end)
        found: list[SpeechSpan] = []
        i = hi - 1
        while i >= 0 and self._reach[i] > start:
            if self._spans[i].mark_end > start:
                found.append(self._spans[i])
            i -= 1
        found.reverse()
        return found


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
        if sentence.start <= span.mark_start < sentence.end and span.quotable:
            return True
    return _quoted_share(sentence, spans) >= 0.3


def _speech_chains(spans: Sequence[SpeechSpan]) -> list[list[SpeechSpan]]:
    """Top-level spans, grouped so that a span which :attr:`SpeechSpan.continues` the previous one
    joins its chain ("“Their conduct has been such,” replied Elizabeth, “as neither …”" is one
    chain of two spans). Spans with no known speaker are chains of their own."""
    chains: list[list[SpeechSpan]] = []
    for span in spans:
        if span.depth:
            continue
        told = span.speaker is not None or span.narrator or span.unnamed
        joins = told and span.continues and chains
        if joins and chains[-1][-1].speaker == span.speaker:
            chains[-1].append(span)
        else:
            chains.append([span])
    return chains


JOINED_SPEECH_WORDS = 40
"""Speech interrupted by its speaker's tag is one quote up to this many words; longer, each part
is split into its sentences."""

_SPEECH_END = re.compile(r"[.!?…]+[”’\"']*(?=\s+[“‘\"'(—]*[A-Z0-9])")


def _speech_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of the speech ``text[start:end]`` as stripped ``(start, end)`` offsets: cut after
    end punctuation followed by a capital, not after a title or an initial ("Mr.", "J.")."""
    pieces: list[tuple[int, int]] = []
    at = start
    for m in _SPEECH_END.finditer(text, start, end):
        word = word_before(text, m.start(), at)
        if m.group(0) == "." and word and (word in _TITLE_WORDS or len(word) == 1):
            continue
        pieces.append((at, m.end()))
        at = m.end()
    pieces.append((at, end))
    out = []
    for s, e in pieces:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


_TITLE_WORDS = frozenset(
    words("Mr Mrs Ms Dr St Sr Jr Capt Col Gen Lieut Rev Esq Messrs Prof Mt No vs etc")
)


def _speech_pieces(
    paragraph: Paragraph, chain: Sequence[SpeechSpan]
) -> list[tuple[int, int, bool]]:
    """The candidate lines of a chain of speech as ``(start, end, last)``: offsets in the
    paragraph, and whether the piece ends the speech (so a comma before its tag stands for a full
    stop). Each sentence of each span is a piece (a short interrupted speech is joined by
    :func:`_chain_text` instead)."""
    pieces: list[tuple[int, int, bool]] = []
    for number, span in enumerate(chain, 1):
        sentences = _speech_sentences(paragraph.text, span.start, span.end)
        for index, (start, end) in enumerate(sentences, 1):
            pieces.append((start, end, number == len(chain) and index == len(sentences)))
    return pieces


def _joinable(chain: Sequence[SpeechSpan], words: int) -> bool:
    """Whether a chain (of ``words`` words) is a short speech interrupted by its tag, posted
    joined as one line."""
    return len(chain) > 1 and words <= JOINED_SPEECH_WORDS and chain[-1].closed


def _chain_text(paragraph: Paragraph, chain: Sequence[SpeechSpan]) -> str:
    """A chain of speech as the paragraph has it: from its first opening mark to its last closing
    mark, speech tags and all ("“Go,” said Anne, “now.”"), so that the line is verbatim. Either
    part alone would be a fragment ("Go,"; "than the appearance …" starts in lower case)."""
    return paragraph.text[chain[0].mark_start : chain[-1].mark_end]


def _spoken(chain: Sequence[SpeechSpan]) -> str:
    """The spoken words of a chain without its tags: what its quotability is scored on."""
    return " ".join(span.text for span in chain)


_CLOSING = "”’»›\"' "


def _well_formed(text: str) -> bool:
    """Whether speech can be posted on its own: its first letter is not lower case (not a
    fragment resumed mid-sentence) and it does not end with a comma, semicolon or colon (before
    any closing mark)."""
    first = _ALNUM.search(text)
    if first is None or first.group(0).islower():
        return False
    return text.rstrip(_CLOSING)[-1:] not in (",", ";", ":")


def document_quotes(document: Document, *, words: SentenceWords | None = None) -> DocumentQuotes:
    """Score every sentence of a document, narration and speech alike (see
    :class:`~bot.core.quotes.QuoteBook` for the rules). ``words``: each sentence's tokens
    (:func:`~bot.core.text.sentence_words`), when the caller has them."""
    openings = _openings(document, words)
    quotes: list[Quote] = []
    short: list[Quote] = []
    for paragraph, spans in zip(document.paragraphs, document_speech(document), strict=True):
        credited = _credited_quote(paragraph)
        if credited is not None:  # "… -- Art Buchwald": the whole saying, credited
            quotes.append(credited)
            continue
        window = _SpanWindow(spans)
        for sentence in paragraph.sentences:
            if _not_own(sentence, window.overlapping(sentence.start, sentence.end)):
                continue
            opening = sentence.index == 0 and paragraph.number in openings
            known = None if words is None else words[paragraph.number, sentence.index]
            score = quotability(sentence.text, opening=opening, words=known)
            if score > 0:
                quotes.append(Quote(sentence.text, sentence, None, score))
        for chain in _speech_chains(spans):
            spoken = sum(span.word_count for span in chain)
            if spoken < MIN_SPEECH_WORDS:
                quote = _short_speech(paragraph, chain, chain[0].speaker)
                if quote is not None:
                    (quotes if _complete(_spoken(chain)) else short).append(quote)
            else:
                quotes += _chain_quotes(paragraph, chain, spoken)
    plain: list[Quote] = []
    if not quotes:
        plain = [
            Quote(sentence.text, sentence, None, max(FLOOR, quotability(sentence.text)))
            for sentence in document.sentences
            if WORD.search(sentence.text)
        ]
    return DocumentQuotes(document.id, tuple(quotes), tuple(short), tuple(plain))


def _chain_quotes(paragraph: Paragraph, chain: Sequence[SpeechSpan], words: int) -> list[Quote]:
    """The quotes of a chain of speech of ``words`` words, :data:`MIN_SPEECH_WORDS` or more: one
    verbatim line when it is short and interrupted by its tag, else one per well-formed
    sentence."""
    speaker = chain[0].speaker
    if _joinable(chain, words):
        quote = _joined_quote(paragraph, chain, speaker)
        return [quote] if quote is not None else []
    pieces = (
        _speech_quote(paragraph, start, end, speaker, last=last)
        for start, end, last in _speech_pieces(paragraph, chain)
    )
    return [quote for quote in pieces if quote is not None]


def document_speech(document: Document) -> list[list[SpeechSpan]]:
    """The quoted speech of each paragraph (``[i]`` for paragraph ``i + 1``) with speakers
    resolved across paragraphs (pronoun tags, untagged turns: see ``_dialogue``) and given in
    their fullest form found in the document (a form must be mentioned twice)."""
    names = Counter(_document_names(document))
    found = resolve_dialogue(document, [extract_speech(p) for p in document.paragraphs])
    fullest: dict[str, str] = {}  # per distinct speaker: a novel names a few hundred times
    for spans in found:
        for s in spans:
            if s.speaker and s.speaker not in fullest:
                fullest[s.speaker] = _canonical(s.speaker, names, min_count=2)
    return [
        [dataclasses.replace(s, speaker=fullest[s.speaker]) if s.speaker else s for s in spans]
        for spans in found
    ]


def _openings(document: Document, words: SentenceWords | None = None) -> frozenset[int]:
    """Paragraphs that open the book or a chapter: the first paragraph of each section, the
    first body paragraph, and a paragraph right after a heading line ("CHAPTER 1. Loomings.")."""
    found = {section.first for section in document.sections}
    previous_heading = True
    for paragraph in document.paragraphs:
        heading = _heading_paragraph(paragraph, words)
        if previous_heading and not heading:
            found.add(paragraph.number)
        previous_heading = heading
    return frozenset(found)


def _heading_paragraph(paragraph: Paragraph, words: SentenceWords | None = None) -> bool:
    """A heading line: every sentence heading-like, or a short paragraph opening with one
    ("CHAPTER 1. Loomings." is two sentences: a chapter line, then its title). Each
    :func:`is_heading` is asked once (the first sentence's answer serves both tests)."""
    sentences = paragraph.sentences
    if not sentences:
        return False

    def heading(sentence: Sentence, alone: bool) -> bool:
        known = None if words is None else words[paragraph.number, sentence.index]
        return is_heading(sentence.text, alone=alone, words=known)

    alone = len(sentences) == 1
    first = heading(sentences[0], alone)
    if first and all(heading(s, alone) for s in sentences[1:]):
        return True
    if alone:
        return len(paragraph.text.split()) <= 15 and heading(sentences[0], False)
    return first and len(paragraph.text.split()) <= 15


def _complete(text: str) -> bool:
    """A complete short sentence: capitalised, ending with . ! or ? ("The sea is everything.")."""
    return (
        len(WORD.findall(text)) >= 3 and _well_formed(text) and text.rstrip(_CLOSING)[-1:] in ".!?"
    )


def _short_speech(
    paragraph: Paragraph, chain: Sequence[SpeechSpan], speaker: str | None
) -> Quote | None:
    """Speech under :data:`MIN_SPEECH_WORDS` words: a quote when it is a complete sentence, kept
    in reserve for a speaker filter when it has a speaker, else nothing (a scare quote)."""
    if not chain[-1].closed:
        return None
    text, spoken = _chain_text(paragraph, chain), _spoken(chain)
    sentence = _sentence_at(paragraph, chain[0].start)
    if sentence is None or not (speaker is not None or _complete(spoken)):
        return None
    score = max(FLOOR, quotability(spoken))
    return Quote(text, sentence, speaker, score, quoted=speaker is None)


def _credited_quote(paragraph: Paragraph) -> Quote | None:
    """A fortune-style paragraph ("… -- Art Buchwald") as one quote of the whole saying,
    credited to the person named, the credit line left out (see ``_credit``)."""
    credit = credit_of(paragraph.text)
    if credit is None or not paragraph.sentences:
        return None
    scores = [quotability(s.text) for s in paragraph.sentences if s.start < credit.start]
    score = max([quotability(credit.text), *scores])
    if score <= 0:
        return None
    return Quote(credit.text, paragraph.sentences[0], credit.author, score)


def _joined_quote(
    paragraph: Paragraph, chain: Sequence[SpeechSpan], speaker: str | None
) -> Quote | None:
    """A short speech interrupted by its tag as one verbatim line, tag included (see
    :func:`_chain_text`), scored on its spoken words; ``None`` when it is not well formed, does
    not end a sentence, or scores 0."""
    text = _balanced(_chain_text(paragraph, chain))
    sentence = _sentence_at(paragraph, chain[0].start)
    if sentence is None or not _well_formed(text) or text.rstrip(_CLOSING)[-1:] not in ".!?…—-":
        return None
    score = quotability(_spoken(chain))
    return Quote(text, sentence, speaker, score, quoted=speaker is None) if score > 0 else None


_TAG_ENDS = re.compile(
    r"[^“”\"‘]*?(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\b[A-Z])[.!?](?=[\s”’\"')]|$)"
)
"""A speech tag that ends its sentence before any other quotation opens ("…,” said Mr. Darcy.")."""


def _balanced(text: str) -> str:
    """``text`` without a closing single mark left over from a quote opened in an earlier
    sentence ("…, I say!’" when the "‘" is not in this text) or a lone opening mark at its start."""
    if _CLOSING_SINGLE.search(text) and not _OPENING_SINGLE.search(text):
        text = text[:-1]
    if text[:1] in "“‘\"'" and _ANY_CLOSING.search(text, 1) is None:
        text = text[1:]
    return text


_CLOSING_SINGLE = re.compile(r"[.!?,;—-][’']$")
_OPENING_SINGLE = re.compile(r"(?:^|[\s“\"(])[‘']\w")
_ANY_CLOSING = re.compile(r"[”’\"']")
_ALNUM = re.compile(r"[^\W_]")


def _speech_quote(
    paragraph: Paragraph, start: int, end: int, speaker: str | None, *, last: bool
) -> Quote | None:
    """The quote for one piece of speech, or ``None`` when it is not well formed or scores 0.

    The last piece of a speech ending with a comma just before its closing mark loses the comma
    (and is scored as if it ended with a full stop) when its tag ends the sentence ("“You are
    dancing with the only handsome girl in the room,” said Mr. Darcy." gives "You are dancing …
    room"); otherwise it is a fragment and gives ``None``. The text stays verbatim."""
    text = _balanced(paragraph.text[start:end])
    scored = text
    if text.endswith(","):
        after = paragraph.text[end + 1 :]
        if not (last and paragraph.text[end : end + 1] in "”’\"'" and _TAG_ENDS.match(after)):
            return None
        text = text[:-1].rstrip()
        scored = text + "."
    if not _well_formed(text):
        return None
    sentence = _sentence_at(paragraph, start)
    score = quotability(scored)
    if sentence is None or score <= 0:
        return None
    return Quote(text, sentence, speaker, score, quoted=speaker is None)

"""/quote and ``corpusbot quotes``: the quote embed, its attribution, and where a paragraph
is (:func:`location`, shared by every reply that cites one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core.emphasis import Span, align, clip
from bot.core.models import Document, Quote, Section, Sentence
from bot.render._limits import EMBED_DESCRIPTION_LIMIT, escaped_shorten
from bot.render._replies import Reply, _embed, fit_embed


def attribution(quote: Quote, document: Document) -> str:
    """Plain-text attribution: '— Speaker, quoted in Title by Author', '— quoted in Title by
    Author' (speech whose speaker is not known) or '— Author, Title'."""
    by = f" by {document.author}" if document.author else ""
    if quote.speaker:
        return f"— {quote.speaker}, quoted in {document.title}{by}"
    if quote.quoted:
        return f"— quoted in {document.title}{by}"
    if document.author:
        return f"— {document.author}, {document.title}"
    return f"— {document.title}"


def sentence_emphasis(
    document: Document | None, sentence: Sentence, shown: str
) -> tuple[Span, ...]:
    """The italic spans of ``sentence`` placed on ``shown`` (its text, or a quote edited from it:
    :func:`bot.core.emphasis.align`); ``()`` when the document is unknown."""
    if document is None or not 1 <= sentence.paragraph <= len(document.paragraphs):
        return ()
    spans = clip(document.paragraph(sentence.paragraph).emphasis, sentence.start, sentence.end)
    return align(spans, sentence.text, shown) if spans and shown != sentence.text else spans


def quote_reply(quote: Quote, document: Document) -> Reply:
    """Render a quote as one embed: the words (italics as in the text), who said them, where
    (paragraph N of Title)."""
    emphasis = sentence_emphasis(document, quote.sentence, quote.text)
    words = escaped_shorten(quote.text, EMBED_DESCRIPTION_LIMIT - 400, emphasis)
    if not quote.text.startswith(("“", '"', "‘", "'", "«")):  # joined speech keeps its own marks
        words = f"“{words}”"
    embed = _embed(description=f"{words}\n\n{escaped_shorten(attribution(quote, document), 300)}")
    embed.set_footer(text=location(document, quote.paragraph, bare="Paragraph {}"))
    return Reply(embeds=[fit_embed(embed)])


def quote_record(quote: Quote, document: Document) -> dict[str, Any]:
    """The fields the quote embed shows, as JSON-ready values."""
    return {
        "text": quote.text,
        "speaker": quote.speaker,
        "quoted": quote.quoted,
        "author": document.author,
        "document_id": document.id,
        "title": document.title,
        "paragraph": quote.paragraph,
        "paragraph_in_section": paragraph_in_section(document, quote.paragraph),
        "location": quote_location(quote, document),
        "attribution": attribution(quote, document),
    }


def location(
    document: Document | None,
    paragraph: int,
    last: int | None = None,
    *,
    bare: str = "paragraph {}",
) -> str:
    """Where paragraph ``paragraph`` (to ``last``) of ``document`` is, for every place a location
    is shown (quote, search hit, summary line, citation, More context).

    In a titled section: ``"Chapter 3, ¶12"`` (``"Chapter 3, ¶12–14"``), the paragraph counted
    within the section, the title's final full stop dropped (``"Chapter 1. Loomings, ¶1"``).
    Elsewhere (no sections, an untitled section, a range across
    sections, an unknown document): as before sections existed, ``bare`` with the document-wide
    number (``"paragraph 12"``, ``"Paragraph 12"``, ``"¶12"``; ``"paragraphs 12–14"``).
    """
    section = document.section_of(paragraph) if document is not None else None
    return section_span(section, paragraph, last, bare=bare)


def section_span(
    section: Section | None, paragraph: int, last: int | None = None, *, bare: str = "paragraph {}"
) -> str:
    """:func:`location` once the section holding ``paragraph`` is known (``None``: none)."""
    if section is not None and section.title and (last is None or last <= section.last):
        first_in = section.paragraph_in_section(paragraph)
        span = (
            f"¶{first_in}"
            if last in (None, paragraph)
            else (f"¶{first_in}–{section.paragraph_in_section(last)}")
        )
        # "Chapter 1. Loomings." -> "Chapter 1. Loomings, ¶1": no full stop before the comma.
        return f"{_TITLE_STOP.sub('', section.title)}, {span}"
    if last is None or last == paragraph:
        return bare.format(paragraph)
    return bare.replace("paragraph", "paragraphs").format(f"{paragraph}–{last}")


_TITLE_STOP = re.compile(r"(?<!\.)\.$")


def paragraph_in_section(document: Document | None, paragraph: int) -> int | None:
    """For JSON: ``paragraph`` (document-wide) counted within its titled section, else ``None``."""
    section = document.section_of(paragraph) if document is not None else None
    return section.paragraph_in_section(paragraph) if section and section.title else None


def quote_location(quote: Quote, document: Document) -> str:
    """Where a quote is (:func:`location`): "Chapter 3, ¶12", else "paragraph 12"."""
    return location(document, quote.paragraph)


def ranked_quotes_text(quotes: Sequence[Quote], document: Document) -> str:
    """``corpusbot quotes``: one block per quote, best first: rank, score, location, speaker."""
    if not quotes:
        return f"No quotable lines in {document.title}."
    blocks = []
    for rank, quote in enumerate(quotes, 1):
        who = (
            f" — {quote.speaker}"
            if quote.speaker
            else (" — (speaker unknown)" if quote.quoted else "")
        )
        where = quote_location(quote, document)
        blocks.append(f"{rank:>3}. [{quote.score:.3f}] {quote.text}{who}\n     ({where})")
    return "\n".join(blocks)


def ranked_quotes_record(quotes: Sequence[Quote], document: Document) -> list[dict[str, Any]]:
    """``corpusbot quotes --json``: rank, score, text, speaker and location of each quote."""
    return [
        {
            "rank": rank,
            "score": quote.score,
            "text": quote.text,
            "speaker": quote.speaker,
            "quoted": quote.quoted,
            "document_id": document.id,
            "paragraph": quote.paragraph,
            "paragraph_in_section": paragraph_in_section(document, quote.paragraph),
            "section": getattr(document.section_of(quote.paragraph), "title", None),
            "location": quote_location(quote, document),
        }
        for rank, quote in enumerate(quotes, 1)
    ]

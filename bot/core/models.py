"""The corpus model: documents, paragraphs, sentences, passages, and the answers built from them.

Every value here is a frozen dataclass built from plain strings, so the rest of the core can be
tested from literals and the answers can be shared between threads without copying.

Numbering used everywhere in the product (and shown to users):

* ``Paragraph.number`` is 1-based and counts the *body* paragraphs of a document only: the title,
  the standfirst and the closing author bio are metadata, not paragraphs.
* ``Sentence.index`` is 0-based within its paragraph; ``Sentence.start``/``end`` are character
  offsets (Python ``str`` indices, end exclusive) into ``Paragraph.text``.
* ``Passage.start``/``end`` are character offsets into the paragraph's text as well; a passage is
  either a whole paragraph or a window of a long one.
* ``Section.number`` is 1-based; a section covers the body paragraphs ``first``..``last``
  (inclusive, document-wide numbers). Sections never overlap and, when a document has any, they
  cover every body paragraph in order. A document with no structure has no sections (``()``):
  locations are then shown by paragraph alone, as before sections existed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.text import count_words


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a paragraph, verbatim.

    Attributes:
        document_id: id of the owning :class:`Document`.
        paragraph: 1-based number of the owning paragraph.
        index: 0-based position within the paragraph.
        start: offset of the first character in the paragraph text.
        end: offset one past the last character (``paragraph.text[start:end] == text``).
        text: the sentence, stripped of surrounding whitespace.
    """

    document_id: str
    paragraph: int
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph: its text (hard-wrapped lines joined) and its sentences in order.

    ``emphasis``: the italic parts of ``text`` (Gutenberg's ``_word_``, Markdown ``*word*``,
    HTML ``<em>``, Word italics) as sorted ``(start, end)`` offsets into it; the text itself is
    plain (see :mod:`bot.core.emphasis`).
    """

    document_id: str
    number: int
    text: str
    sentences: tuple[Sentence, ...]
    emphasis: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A chapter, part or heading of a document and the body paragraphs under it.

    Attributes:
        number: 1-based position among the document's sections.
        title: the heading as shown to users ("Chapter 3", "The Lion's Den"), title-cased when the
            source wrote it in capitals; ``None`` for an untitled stretch (text before the first
            heading).
        first: number of its first body paragraph (1-based, document-wide).
        last: number of its last body paragraph (inclusive); ``last >= first``.
        level: nesting depth of the heading it came from: 1 for a part or book, 2 for a chapter
            inside one, and so on; a document with one level of headings uses 1 throughout.
    """

    number: int
    title: str | None
    first: int
    last: int
    level: int = 1

    def paragraph_in_section(self, paragraph: int) -> int:
        """1-based position of document paragraph ``paragraph`` within this section."""
        return paragraph - self.first + 1


@dataclass(frozen=True, slots=True)
class Document:
    """One loaded document.

    Attributes:
        id: stable slug, unique in the corpus (from the file name unless the manifest sets one).
        title: the title (front matter, manifest or first line).
        paragraphs: body paragraphs, numbered from 1: a tuple, or a sequence the corpus store
            reads from disk on first use (:mod:`bot.core.store.lazy`), which also knows the
            counts :attr:`word_count`, :attr:`sentence_count` and :attr:`char_count` give
            without reading.
        author: the author's name when known (front matter, manifest, or a closing bio line).
        standfirst: the short introductory block under the title, when there is one.
        author_bio: the closing bio line the author was read from, kept for citations.
        date: publication date as written in the metadata (ISO ``YYYY-MM-DD`` preferred).
        outlet: where it was published, when known.
        source_url: link to the original, when known.
        path: the file it was loaded from (as given to the loader), for messages.
        sections: chapters or headings in order, covering every paragraph (see the module
            docstring); ``()`` when the document has no structure.
    """

    id: str
    title: str
    paragraphs: Sequence[Paragraph]
    author: str | None = None
    standfirst: str | None = None
    author_bio: str | None = None
    date: str | None = None
    outlet: str | None = None
    source_url: str | None = None
    path: str = ""
    sections: tuple[Section, ...] = ()

    @property
    def sentences(self) -> Iterator[Sentence]:
        """All sentences of the body, in document order."""
        for paragraph in self.paragraphs:
            yield from paragraph.sentences

    def paragraph(self, number: int) -> Paragraph:
        """Return body paragraph ``number`` (1-based). Raises ``IndexError`` when out of range."""
        if not 1 <= number <= len(self.paragraphs):
            raise IndexError(f"{self.id} has paragraphs 1-{len(self.paragraphs)}, not {number}")
        return self.paragraphs[number - 1]

    def section_of(self, paragraph: int) -> Section | None:
        """The section holding body paragraph ``paragraph`` (1-based), or ``None`` when the
        document has no sections or the number is outside every section. O(log sections)."""
        if not self.sections:
            return None
        firsts = [s.first for s in self.sections]
        i = bisect_right(firsts, paragraph) - 1
        if i < 0 or paragraph > self.sections[i].last:
            return None
        return self.sections[i]

    def section(self, number: int) -> Section:
        """Return section ``number`` (1-based). Raises ``IndexError`` when out of range."""
        if not 1 <= number <= len(self.sections):
            raise IndexError(f"{self.id} has sections 1-{len(self.sections)}, not {number}")
        return self.sections[number - 1]

    @property
    def word_count(self) -> int:
        """Number of words in the body (:func:`bot.core.text.count_words`)."""
        known = self._known("word_count")
        return sum(count_words(p.text) for p in self.paragraphs) if known is None else known

    def texts(self) -> list[str]:
        """The body paragraphs' texts in order (``texts()[n - 1]`` is paragraph ``n``'s); of a
        stored document, read without building its sentences."""
        known = getattr(self.paragraphs, "texts", None)
        if callable(known):
            return list(known())
        return [p.text for p in self.paragraphs]

    @property
    def char_count(self) -> int:
        """Number of characters in the body's paragraph texts."""
        known = self._known("chars")
        return sum(len(p.text) for p in self.paragraphs) if known is None else known

    @property
    def sentence_count(self) -> int:
        """Number of sentences in the body."""
        known = self._known("sentence_count")
        return sum(len(p.sentences) for p in self.paragraphs) if known is None else known

    def _known(self, count: str) -> int | None:
        """A count a stored paragraph sequence knows without reading its body, else ``None``."""
        value = getattr(self.paragraphs, count, None)
        return value if isinstance(value, int) else None


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A file the loader could not use (or used with a caveat), with the reason in plain words."""

    path: str
    reason: str
    #: False when the file loaded but the operator should know (e.g. fallback decoding), or
    #: when it was skipped on purpose (see ``skipped``).
    fatal: bool = True
    #: True when the file was left out by design (an unsupported type, a repository file):
    #: not loaded, but not an error either.
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class Corpus:
    """The loaded documents (in a stable order) and the problems met while loading them."""

    documents: tuple[Document, ...]
    problems: tuple[LoadProblem, ...] = ()
    _by_id: Mapping[str, Document] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {d.id: d for d in self.documents})

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def get(self, document_id: str) -> Document | None:
        """The document with this id, or ``None``."""
        return self._by_id.get(document_id)


@dataclass(frozen=True, slots=True)
class Passage:
    """A searchable span of a paragraph (the whole paragraph or a window of a long one).

    ``text == document.paragraph(paragraph).text[start:end]``.
    """

    document_id: str
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result.

    Attributes:
        passage: the passage that matched.
        score: 0-100, higher is better (rapidfuzz ``partial_ratio`` on normalised text, with an
            exact normalised phrase scoring 100).
        match_start/match_end: offsets of the matched span in ``passage.text`` (original text, not
            normalised), for highlighting.
        exact: whether the normalised query occurs verbatim in the normalised passage.
    """

    passage: Passage
    score: float
    match_start: int
    match_end: int
    exact: bool = False

    @property
    def matched_text(self) -> str:
        """The highlighted span, verbatim."""
        return self.passage.text[self.match_start : self.match_end]


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotable line.

    Attributes:
        text: the quote, a verbatim substring of its paragraph (whitespace aside; for quoted
            speech: the words inside the quotation marks, or, for speech interrupted by its tag,
            the whole stretch from the first mark to the last, tag included).
        sentence: the sentence it came from (its paragraph number gives the citation).
        speaker: who said it when it is quoted speech and the text names them, else ``None``.
        score: quotability score in [0, 1] (see :mod:`bot.core.quotes`).
        quoted: ``True`` for quoted speech whose speaker is not known: words of someone in the
            document (a character, a person quoted), never shown as the author's own.
    """

    text: str
    sentence: Sentence
    speaker: str | None = None
    score: float = 0.0
    quoted: bool = False

    @property
    def document_id(self) -> str:
        return self.sentence.document_id

    @property
    def paragraph(self) -> int:
        return self.sentence.paragraph


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary: sentences of one document, verbatim, in document order.

    Attributes:
        document_id: the summarised document.
        sentences: the chosen sentences, in document order.
        method: the algorithm used (e.g. ``"lexrank"``), for display and benchmarks.
        standfirst: the document's own standfirst when it leads the summary (shown as such).
        section: the summarised section's number when the summary is of one section only.
    """

    document_id: str
    sentences: tuple[Sentence, ...]
    method: str
    standfirst: str | None = None
    section: int | None = None

"""A decoded text laid out as title, byline, standfirst, bio and body paragraphs.

Structure of plain text (:func:`parse_document`)
    Paragraphs are separated by blank lines; the lines of one paragraph (books are hard-wrapped at
    about 70 characters) are joined with one space, or with none between two characters of a
    script written without spaces (Chinese, Japanese, Thai, ...). Words are counted as
    space-separated tokens, each character of such a script counting as one word. Then, in
    this order:

    1. Known scraping boilerplate blocks ("What's Hot", "Advertisement", "Read more", ...) and
       cookie notices ("This website uses cookies ...", at most 400 characters) are dropped
       wherever they are; so are e-text notes before the title and among the first 3
       blocks after it (a block naming Gutenberg and an "etext"; in a Gutenberg file also
       "Produced by ...", a "Transcriber's Notes:" line and any block in square brackets).
    2. Title: the first block, when it is one line of at most 150 characters not ending in ``.``,
       ``,`` or ``;`` (nor ``。``, ``，``, ``、``) (in Markdown: a leading heading).
    3. Scraping leftovers at the end: trailing one-line blocks that are recognised page
       furniture are dropped: whole-line labels ("Subscribe", "Comments", "Print", "Loading...",
       "Comments are closed.", "Comments (3)", "Back to top") and lines with web context
       ("Tags: ...", "Related: ...", "Posted in News", "Photo: Getty Images", "More from
       Example Gazette", "Follow us on Twitter", "Follow @handle", "Share this article on
       WhatsApp", "Click here to subscribe", "Subscribe to our YouTube channel", "Privacy
       Policy | Terms of Service", "© 2019 ..." or "© Name 2019" with a year, "... All rights
       reserved."). A line of prose is never dropped: quoted speech or a comma followed by a
       speech verb or pronoun ("Follow me, said the ghost", "Click here, she said, ..."), a
       bare "©"/"(c)" without a year ("© Anne"). Length alone never makes a block junk: a
       closing "Nevermore", "Love, Mum" or a short line of Japanese is prose.
    4. Author bio: when the last block starts with a capitalised name of 2-4 words followed by
       "works for/at/as/in/with", "is a/an/the", "writes" or "was a/an/the/formerly/previously", it
       is kept as ``author_bio`` and the name as ``author``, not as a body paragraph. (Bare "was"
       is not enough, and a name starting "Mr", "Mrs", "Sir", ... is not a byline: novels end with
       sentences like "Elizabeth Bennet was happy" or "Mr Darcy is the best of men".)
    5. Title page: within the first 3 blocks after the title, a byline ("By Jane Austen",
       "by Herman Melville", "Author: Herman Melville", or "by" with the name in the next block;
       at most 6 capitalised words, an all-capitals name is title-cased) gives ``author`` (it
       beats a closing bio's name), and a year note ("(1818)", "[1867 Edition]", or after the
       name: "by H. G. Wells [1898]") gives ``date`` when the metadata has none. Neither is a
       paragraph. Chinese and Japanese title pages write no "by": right after a title, a
       one-line block that is only a personal name of 2-5 Han characters ("夏目漱石", "鲁迅",
       "作者：鲁迅", "鲁迅 著"; not a heading such as "第一章" or "序言") is the byline.
    6. Standfirst, kept conservative because a block taken as standfirst cannot be searched or
       quoted: when the metadata gives the standfirst, only a block with the same words is
       taken out of the body. Otherwise, after a title, the next block is the standfirst only
       when it is one line (not hard-wrapped) of at most 300 characters and at least 3 words,
       does not end with sentence-final punctuation (``. ! ? …`` or ``。！？``, maybe followed by
       a closing quote or bracket), is neither a chapter heading ("Chapter 1", "BOOK ONE", ...) nor all
       capitals, and at least two body blocks follow it. A first paragraph or stanza is body.

    The rest are the body paragraphs, numbered from 1, each split into sentences by
    :mod:`bot.core.segment`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.emphasis import Span, strip_marks
from bot.core.loader._blocks import _Block, _join_lines, _words
from bot.core.loader._errors import DocumentError
from bot.core.loader._furniture import _is_boilerplate, _is_leftover
from bot.core.loader._gutenberg import _is_transcriber_note
from bot.core.loader._metadata import (
    _bio_author,
    _looks_like_standfirst,
    _looks_like_title,
    _title_page,
)
from bot.core.loader._plan import _Item
from bot.core.loader._sections import _Heading, mark_chapter_headings, split_sections
from bot.core.loader._unbroken import paragraph_lines


@dataclass(slots=True)
class _Layout:
    title: str | None
    standfirst: str | None
    author: str | None
    author_bio: str | None
    paragraphs: list[str]
    date: str | None = None
    sections: list[_Heading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: italic spans of each paragraph (``emphasis[i]`` belongs to ``paragraphs[i]``)
    emphasis: list[tuple[Span, ...]] = field(default_factory=list)


@dataclass(slots=True)
class _Pending:
    item: _Item
    metadata: dict[str, str]
    layout: _Layout
    format: str = "text"


def _text_blocks(text: str, *, markdown: bool) -> tuple[list[_Block], list[str]]:
    """Blocks of a text file and notes: Markdown by markdown-it-py; plain text split at blank
    lines, with chapter headings marked (:func:`mark_chapter_headings`)."""
    if markdown:
        from bot.core.loader._markdown import _markdown_blocks  # markdown-it: for Markdown only

        return _markdown_blocks(text), []
    blocks: list[_Block] = []
    current: list[str] = []

    def flush() -> None:
        for lines in paragraph_lines(current) if current else ():
            blocks.append(_Block(_join_lines(lines), len(lines), source=tuple(lines)))
        current.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        current.append(stripped)
    flush()
    return blocks, mark_chapter_headings(blocks)


def _layout(
    source_blocks: list[_Block],
    *,
    markdown: bool,
    metadata: Mapping[str, str],
    gutenberg: bool = False,
    structured: bool = False,
) -> _Layout:
    """Find title, byline, standfirst, bio and body paragraphs (rules in the module docstring).

    ``metadata`` (front matter and manifest) steers two choices: in Markdown, a front matter title
    means a first block that is not a heading is body text; a given standfirst means only a block
    equal to it is taken out of the body as the standfirst. ``gutenberg``: the text came from
    between Project Gutenberg markers, so leading "Produced by ..." and "[... Note ...]" blocks
    are transcribers' notes. ``structured``: the blocks come from a format with its own
    metadata and headings (HTML, EPUB, DOCX): no title, byline or standfirst is guessed.
    """
    blocks = [b for b in source_blocks if b.heading or not _is_boilerplate(b.text)]
    if not blocks:
        if markdown:
            raise DocumentError(
                "has no text (only blank lines, front matter, code blocks, tables, images, "
                "HTML comments or page furniture)"
            )
        raise DocumentError("has no text (only blank lines or page furniture)")
    while len(blocks) > 1 and _is_transcriber_note(blocks[0], gutenberg=gutenberg):
        blocks.pop(0)
    title = None if structured else _take_title(blocks, metadata, markdown, gutenberg)
    while blocks and _is_leftover(blocks[-1]):
        blocks.pop()
    if structured:
        # The format's title, shown again as the first heading, is not a section.
        if blocks[0].heading and _words(blocks[0].text) == _words(metadata.get("title", "")):
            blocks.pop(0)
        return _finish(blocks, title, None, None, None, None)

    author = bio = None
    if len(blocks) >= 2:
        found = _bio_author(blocks[-1].text)
        if found is not None:
            author, bio = found, blocks.pop().text
    byline, year = _title_page(blocks, gutenberg=gutenberg, after_title=title is not None)
    author = byline or author

    standfirst = None
    given_standfirst = metadata.get("standfirst")
    if given_standfirst:
        if len(blocks) >= 2 and _words(blocks[0].text) == _words(given_standfirst):
            standfirst = blocks.pop(0).text
    elif title is not None and len(blocks) >= 3 and _looks_like_standfirst(blocks[0]):
        standfirst = blocks.pop(0).text
    return _finish(blocks, title, standfirst, author, bio, year)


def _take_title(
    blocks: list[_Block], metadata: Mapping[str, str], markdown: bool, gutenberg: bool
) -> str | None:
    """Take the title block(s) off the front of ``blocks``: a Gutenberg book's title lines, a
    leading heading, or a first line that looks like a title (not a chapter heading)."""
    title: str | None = None
    title_words = set(re.findall(r"\w+", metadata.get("title", "").casefold()))
    while gutenberg and title_words and len(blocks) > 1 and blocks[0].lines == 1:
        words = set(re.findall(r"\w+", blocks[0].text.casefold()))
        if not words or not words <= title_words:
            break
        # The header's title, set over one or more lines ("MOBY-DICK;", "or, THE WHALE.").
        title = (title + " " if title else "") + blocks.pop(0).text
    first = blocks[0]
    given = metadata.get("title", "")
    # In Markdown with a front-matter title, a leading heading that does not repeat it
    # ("# Intro") is the first section's heading, not a second title.
    heading_is_title = first.heading and not (markdown and given and not _same_title(first, given))
    if (
        title is None
        and not first.chapter
        and (heading_is_title or (not (markdown and given) and _looks_like_title(first)))
    ):
        title = first.text
        blocks.pop(0)
    return title


def _same_title(block: _Block, title: str) -> bool:
    def key(text: str) -> list[str]:
        return re.findall(r"\w+", strip_marks(text).casefold())

    return key(block.text) == key(title)


def _finish(
    blocks: list[_Block],
    title: str | None,
    standfirst: str | None,
    author: str | None,
    bio: str | None,
    year: str | None,
) -> _Layout:
    """The layout of the remaining blocks: body paragraphs and sections."""
    body, sections = split_sections(blocks)
    if not body:
        if title is not None:
            raise DocumentError(f"has only a title (“{title}”) and no body text")
        raise DocumentError("has no body text")
    paragraphs = [block.text for block in body]
    emphasis = [block.emphasis for block in body]
    return _Layout(title, standfirst, author, bio, paragraphs, year, sections, emphasis=emphasis)

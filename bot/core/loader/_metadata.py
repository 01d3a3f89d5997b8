"""Metadata heuristics: title line, byline (Latin and CJK), title-page year, standfirst, bio."""

from __future__ import annotations

import re

from bot.core.loader._blocks import _SENTENCE_END, _Block
from bot.core.loader._gutenberg import _is_transcriber_note
from bot.core.text import NAME_PARTICLES, NOT_NAME_WORDS, count_words, honorific

TITLE_MAX_CHARS = 150


STANDFIRST_MAX_CHARS = 300


STANDFIRST_MIN_WORDS = 3


BYLINE_MAX_WORDS = 6


BYLINE_SEARCH_BLOCKS = 3


BIO_MAX_CHARS = 600


_CHAPTER_HEADING = re.compile(
    r"^(?:chapter|book|part|volume|vol\.|section|act|scene|canto|letter|stave)\b", re.IGNORECASE
)


_BYLINE = re.compile(r"^(?:by|author\s*:)\s+(?P<rest>.+)$", re.IGNORECASE)


_BARE_BY = re.compile(r"^(?:by|author\s*:)$", re.IGNORECASE)


_YEAR_NOTE = re.compile(
    r"^[\[(]\s*(?P<year>1[0-9]{3}|20[0-9]{2})(?:\s+edition)?\s*[\])]$", re.IGNORECASE
)


_TRAILING_YEAR = re.compile(r"\s*[\[(]\s*(?P<year>1[0-9]{3}|20[0-9]{2})\s*[\])]$")


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


CJK_NAME_MAX_CHARS = 5


_CJK_NAME = re.compile(
    rf"(?:(?:作者|著者|作|著)\s*[:：]\s*)?(?P<name>[{_HAN}]{{1,4}}(?:[ \u3000・·]?[{_HAN}]{{1,4}})?)"
)


_CJK_BY_SUFFIX = re.compile(r"[ \u3000]+著$")


# Chapter and front-matter headings: "第一章", "上卷", "一", "第三回".
_CJK_HEADING = re.compile(
    r"第.{1,6}|.{0,4}[章回節节卷篇部話话幕]|[一二三四五六七八九十百千〇零壹贰貳叁參]+"
)


_CJK_NOT_NAMES = frozenset(
    [
        "序",
        "序言",
        "序文",
        "自序",
        "前言",
        "目录",
        "目錄",
        "目次",
        "緒言",
        "绪言",
        "引言",
        "后记",
        "後記",
        "あとがき",
        "附录",
        "附錄",
        "付録",
        "楔子",
        "尾声",
        "尾聲",
        "序幕",
        "正文",
        "小引",
        "题记",
        "題記",
        "献辞",
        "獻辭",
        "凡例",
        "解説",
        "解说",
        "注释",
        "註釋",
        "简介",
        "簡介",
        "摘要",
        "概要",
        "原文",
        "译文",
        "譯文",
        "导言",
        "導言",
        "引子",
        "跋",
        "终",
        "終",
        "完",
    ]
)


_NAME_WORD = r"(?:[A-Z][\w’'\-]*\.?)"


_PARTICLE = f"(?:{'|'.join(sorted(NAME_PARTICLES))})"


_BIO = re.compile(
    rf"^[*_]*(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,3}})[*_]*,?\s+"
    r"(?:works\s+(?:for|at|as|in|with)|is\s+(?:a|an|the)|writes|was\s+(?:a|an|the|formerly|previously))\b"
)


def _title_page(
    blocks: list[_Block], *, gutenberg: bool, after_title: bool = False
) -> tuple[str | None, str | None]:
    """Take a byline, a year note and transcribers' notes out of the first blocks (in place).

    Looks at the first :data:`BYLINE_SEARCH_BLOCKS` blocks (after the title): "By Jane Austen",
    "Author: Herman Melville", or "by" followed by a block with the name (at most
    :data:`BYLINE_MAX_WORDS` words, each capitalised); "(1818)" or "[1867 Edition]"; notes as in
    :func:`_is_transcriber_note`. With ``after_title`` (a title was found), a first block that is
    only a CJK personal name ("夏目漱石", "鲁迅", "作者：鲁迅", see :func:`_cjk_name`) is the
    byline of Chinese and Japanese texts, which write no "by". At least one block is always left.

    Returns:
        ``(author, year)``, each ``None`` when not found; an all-capitals name is title-cased.
    """
    author: str | None = None
    year: str | None = None
    index = looked = 0
    while index < len(blocks) and looked < BYLINE_SEARCH_BLOCKS:
        looked += 1
        block = blocks[index]
        text = block.text
        if block.heading or block.lines > 1:
            note = not block.heading and _is_transcriber_note(block, gutenberg=gutenberg)
            if note and len(blocks) > 1:
                del blocks[index]
                continue
            index += 1
            continue
        if author is None and after_title and index == 0 and len(blocks) > 1:
            cjk = _cjk_name(text)
            if cjk is not None:
                author = cjk
                del blocks[index]
                continue
        if author is None:
            found: tuple[str, str | None] | None = None
            span = 1
            if _BARE_BY.match(text) and index + 1 < len(blocks) and blocks[index + 1].lines == 1:
                found, span = _byline_name(blocks[index + 1].text), 2
            elif (match := _BYLINE.match(text)) is not None:
                found = _byline_name(match.group("rest"))
            if found is not None and len(blocks) > span:
                author, found_year = found
                year = year or found_year
                del blocks[index : index + span]
                continue
        if year is None and (match := _YEAR_NOTE.match(text)) is not None and len(blocks) > 1:
            year = match.group("year")
            del blocks[index]
            continue
        if _is_transcriber_note(block, gutenberg=gutenberg) and len(blocks) > 1:
            del blocks[index]
            continue
        index += 1
    return author, year


def _byline_name(text: str) -> tuple[str, str | None] | None:
    """``(name, year or None)`` when ``text`` is only a name, maybe with "(1803)"; else ``None``."""
    year = None
    match = _TRAILING_YEAR.search(text)
    if match is not None:
        year = match.group("year")
        text = text[: match.start()]
    words = text.split()
    if not 1 <= len(words) <= BYLINE_MAX_WORDS or re.search(r"[,;:!?\"“”]", text):
        return None
    if words[0] in NOT_NAME_WORDS or not words[0][0].isupper():
        return None
    particles = re.compile(rf"{_PARTICLE}|and|&")
    if not all(w[0].isupper() or particles.fullmatch(w) for w in words):
        return None
    name = " ".join(words)
    if name.isupper():
        name = " ".join(w if w.endswith(".") else w.capitalize() for w in words)
    return name, year


def _cjk_name(text: str) -> str | None:
    """The name when ``text`` is only a Chinese or Japanese personal name, else ``None``.

    A name is 2-5 Han characters ("鲁迅", "夏目漱石"), optionally two parts separated by a space
    or a middle dot ("夏目 漱石"), optionally labelled "作者：" or "著者：" or followed by " 著"
    ("by"); no punctuation, kana or digits. Chapter and front-matter headings ("第一章", "序言",
    "目次", "上卷", numerals such as "一") are not names.
    """
    match = _CJK_NAME.fullmatch(_CJK_BY_SUFFIX.sub("", text.strip()))
    if match is None:
        return None
    name = match.group("name")
    bare = re.sub(r"[\s・·]", "", name)
    if (
        bare in _CJK_NOT_NAMES
        or _CJK_HEADING.fullmatch(bare) is not None
        or not 2 <= len(bare) <= CJK_NAME_MAX_CHARS
    ):
        return None
    return name


def _looks_like_title(block: _Block) -> bool:
    text = block.text
    return (
        block.lines == 1
        and len(text) <= TITLE_MAX_CHARS
        and not text.endswith((".", ",", ";", "。", "，", "、", "；", "．", "｡"))
        and any(c.isalpha() for c in text)
    )


def _looks_like_standfirst(block: _Block) -> bool:
    """One unwrapped line, not a sentence nor a chapter heading (the caller checks what follows)."""
    text = block.text
    return (
        not block.heading
        and block.lines == 1
        and len(text) <= STANDFIRST_MAX_CHARS
        and count_words(text) >= STANDFIRST_MIN_WORDS
        and _SENTENCE_END.search(text) is None
        and _CHAPTER_HEADING.match(text) is None
        and not text.isupper()
    )


def _bio_author(text: str) -> str | None:
    """The author's name when ``text`` reads like a closing bio line, else ``None``."""
    if len(text) > BIO_MAX_CHARS:
        return None
    match = _BIO.match(text)
    if match is None:
        return None
    name = " ".join(match.group("name").split())
    words = name.split()
    # "Mr Darcy is the best of men" closes novels; bios name people without an honorific
    # other than "Dr".
    if honorific(words[0]) not in (None, "dr") or any(word in NOT_NAME_WORDS for word in words):
        return None
    return name

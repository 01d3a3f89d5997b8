"""Load prose documents from files: decoding, metadata, structure, paragraphs and sentences.

This is the only module of the product that reads corpus files. Everything after it works on
:class:`~bot.core.models.Corpus` values.

Reading
    Only regular files are read: a named pipe (FIFO), a device (a link to ``/dev/zero``) or a
    socket is reported as "not a regular file (a named pipe)" without opening it for a blocking
    read, and a file over :data:`MAX_FILE_BYTES` (50 MB) as "too large (N MB; the limit is 50
    MB)", in bytes when the rounded size would equal the limit. A file reached twice (a
    symbolic link beside its target, a folder given twice) is read once, under the real file's
    path; the link is listed as a skipped, non-fatal problem. In a folder, files of other
    types (``.html``, ``.rtf``, ``.docx``, ...) are listed as non-fatal problems "skipped:
    unsupported file type (.html); supported: .txt, .md, .markdown"
    (hidden files, ``corpus.yaml`` and repository files such as ``README.rst`` or ``LICENSE``
    are not listed); a file named explicitly with such a suffix is a fatal problem.

Decoding (:func:`decode_text`)
    UTF-8, with a leading byte-order mark dropped (UTF-16 with a BOM is accepted too). Bytes that
    are not valid UTF-8 but decode as **Windows-1252 (cp1252)** are read as cp1252, the usual
    encoding of "smart quotes" saved by Windows editors; :func:`load_corpus` then reports a
    non-fatal :class:`~bot.core.models.LoadProblem` so the operator can re-save the file as UTF-8.
    A file with NUL bytes, bytes that are neither UTF-8 nor cp1252, or more than 1% control
    characters (and more than 3) is "not a text file". Line endings CRLF and CR become LF;
    remaining control characters other than tab and newline are removed (form feed and vertical
    tab become newlines); the text is put in Unicode NFC (canonical composition only: NFKC would change characters such
    as ligatures and full-width forms, and the corpus is quoted verbatim).

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

Project Gutenberg files
    When a line "*** START OF THE (or THIS) PROJECT GUTENBERG EBOOK ... ***" is present, only the
    text between it and the "*** END OF ..." line is the document (the header and the licence are
    dropped, and so is a closing "End of the Project Gutenberg EBook of ..." line). The header's
    ``Title:`` and ``Author:`` fields act as front matter. Its "Release Date", "Posting Date",
    "Last Updated" and "[EBook #...]" lines date the e-text, not the work, so they never become
    the document's date (give a real one in ``corpus.yaml`` or front matter). The book's own title lines at the top (one-line blocks using only words of
    the header's title, e.g. "MOBY-DICK;" then "or, THE WHALE.") are then not paragraphs.
    Files whose header was already stripped (as the books of ``tools/gather_books.sh`` mostly
    are) are read with the title-page rules above.

Markdown (``.md``, ``.markdown``)
    Optional YAML front matter between ``---`` lines (a safe YAML loader; keys ``title``,
    ``author``, ``date``, ``outlet``, ``source_url`` or ``url``, ``standfirst`` or ``description``,
    ``id``; other keys are ignored). A value YAML cannot construct (``date: 2020-02-30``) or a key
    given twice is dropped alone and reported with its line; the other keys are used. An
    opening ``---`` never closed is reported, and the ``key: value`` lines right after it (up to
    a blank line) are read as the front matter.

    The rest is parsed as CommonMark by markdown-it-py (with GFM tables and strikethrough), a
    maintained, specification-conformant parser, rather than by our own regular expressions:
    emphasis, links, images, code spans, lists, nesting and HTML blocks interact in ways that
    hand-written patterns get wrong (``snake_case`` is not emphasis, ``*`` in code is text, a
    ``-`` list inside a block quote is still a list). Headings (ATX ``#`` and setext ``===``)
    are blocks of their own, a leading heading is the title. Each paragraph, list item and block
    quote paragraph is a block; inline markup is reduced to its text (emphasis markers removed,
    a link keeps its text, inline code its content, images and inline HTML dropped); HTML
    blocks keep their text, tags stripped by the standard library's :mod:`html.parser` (each
    ``<p>``, ``<div>``, ``<li>``, ... a block; comments, scripts, styles, navigation and
    elements whose class or id names furniture such as ``class="ad"`` dropped); fenced and
    indented code blocks, tables and thematic breaks are dropped. GFM footnotes and task lists,
    which CommonMark leaves literal, are undone by hand (no plugin dependency): references
    ``[^1]`` are removed, definition paragraphs ``[^1]: ...`` dropped, and a ``[ ]``/``[x]``
    checkbox at the start of a list item removed.

    Plain text is never read as Markdown: in a ``.txt`` file ``*``, ``_``, ``#`` and ``>`` are
    characters of the text. A plain-text file may carry front matter too, when a line of the
    ``---`` block starts with one of the keys above.

Metadata precedence
    ``corpus.yaml`` manifest entry > front matter (or Gutenberg header) > heuristics (title line,
    byline, title-page year, bio line) > manifest top-level defaults (which fill only what a
    document does not say itself).

Manifest (``corpus.yaml`` in a corpus folder, optional)::

    author: Default Author          # optional defaults: author, outlet, date
    outlet: Some Outlet
    documents:
      essay.txt:                    # path relative to the folder
        id: kim-human-rights        # id, title, author, date, outlet, source_url, standfirst
        title: A Better Title

    Unknown keys, values of the wrong type or invalid (``date: 2019-02-30``) and files named but
    absent are reported as non-fatal problems naming the manifest and the key. A manifest that
    cannot be used at all (not valid YAML, a key given twice in one mapping - plain YAML would
    silently keep the last value -, not a mapping, unreadable) is a fatal problem with its line:
    the files still load with the heuristics, and ``corpusbot check --strict`` fails.

Speed
    Measured on the books of ``tools/gather_books.sh`` (2 shared cores): Moby Dick (1.24 MB,
    8,100 sentences) loads in 40-75 ms, all ten books (6.9 MB, 46,000 sentences) in 0.3-0.45 s;
    sentence splitting (sentencex plus building the ``Sentence`` values) is about 3/4 of it.

Document ids
    The manifest's (or front matter's) ``id``, else the slug of the file name stem (lowercase
    ASCII letters, digits and hyphens); unique across the corpus, a collision gets ``-2``,
    ``-3``, ... in load order. An explicit id (manifest or front matter) already taken is a
    non-fatal problem naming both files and the id used instead; on ``corpus.yaml`` (with the
    entry, "documents > e2.txt: ...") when the manifest gave it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.core import yamlload
from bot.core.errors import CorpusError, UserError
from bot.core.models import Corpus, Document, LoadProblem
from bot.core.segment import segment_paragraph

__all__ = [
    "MANIFEST_NAME",
    "MAX_FILE_BYTES",
    "TEXT_SUFFIXES",
    "DocumentError",
    "decode_text",
    "load_corpus",
    "load_document",
    "parse_document",
    "require_documents",
    "slugify",
]

MANIFEST_NAME = "corpus.yaml"
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
#: Larger files are not read (the ten gathered books are 6.9 MB together; Moby Dick is 1.24 MB).
MAX_FILE_BYTES = 50_000_000
UNSUPPORTED_LISTED = 20  # per folder; further unsupported files are counted in one problem

TITLE_MAX_CHARS = 150
STANDFIRST_MAX_CHARS = 300
STANDFIRST_MIN_WORDS = 3
BYLINE_MAX_WORDS = 6
BYLINE_SEARCH_BLOCKS = 3
BIO_MAX_CHARS = 600
CONTROL_SHARE_MAX = 0.01
FRONT_MATTER_MAX_LINES = 200  # a closing '---' further down is not looked for
CONTROL_ALLOWED = 3  # a few stray control characters in a short file are removed, not fatal

_META_KEYS = ("id", "title", "author", "date", "outlet", "source_url", "standfirst")
_FRONT_MATTER_ALIASES = {"url": "source_url", "description": "standfirst"}
_MANIFEST_DEFAULT_KEYS = ("author", "outlet", "date")

_FRONT_MATTER_KEY = re.compile(
    r"^(?:id|title|author|date|outlet|source_url|url|standfirst|description)\s*:"
)
_YAML_KEY_LINE = re.compile(r"^(?:[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)|[ \t]+\S|-[ \t])")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Scripts written without spaces between words: Han ideographs (CJK unified, extensions,
# compatibility, radicals), kana, CJK symbols and punctuation, full-width forms, Thai, Lao,
# Khmer and Myanmar. Hangul is written with spaces and is not here.
_NO_SPACE_CHARS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3000-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
)
_NO_SPACE_SCRIPT = re.compile(f"[{_NO_SPACE_CHARS}]")
_SENTENCE_END = re.compile(r"[.!?…。！？．｡][\"'”’»)\]」』）〕】]*$")
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
_REPOSITORY_FILE = re.compile(r"^(?:readme|licen[cs]e|changelog|contributing)", re.IGNORECASE)

_GUTENBERG_START = re.compile(
    r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
_GUTENBERG_END = re.compile(
    r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$", re.IGNORECASE | re.MULTILINE
)
_GUTENBERG_END_LINE = re.compile(
    r"^\s*End of (?:the )?Project Gutenberg(?:'s|’s)?\b.*$", re.IGNORECASE | re.MULTILINE
)
_GUTENBERG_FIELD = re.compile(
    r"^(?P<key>Title|Author)\s*:[ \t]*(?P<value>.*(?:\n[ \t]+\S.*)*)",
    re.IGNORECASE | re.MULTILINE,
)

_NAME_WORD = r"(?:[A-Z][\w’'\-]*\.?)"
_PARTICLE = r"(?:de|da|di|du|del|della|van|von|der|den|la|le|bin|al|el|ibn)"
_BIO = re.compile(
    rf"^[*_]*(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,3}})[*_]*,?\s+"
    r"(?:works\s+(?:for|at|as|in|with)|is\s+(?:a|an|the)|writes|was\s+(?:a|an|the|formerly|previously))\b"
)
_NOT_NAME_WORDS = frozenset(
    [
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "Our",
        "His",
        "Her",
        "Their",
        "My",
        "Its",
        "In",
        "On",
        "At",
        "For",
        "But",
        "And",
        "So",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "Then",
        "There",
        "Here",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Of",
        "To",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)

LEFTOVER_MAX_CHARS = 120
COOKIE_NOTICE_MAX_CHARS = 400

# One-line blocks dropped only at the end of a document (after the last paragraph of a scraped
# article); elsewhere the same words may be a heading or a line of dialogue.
_TRAILING_BOILERPLATE = frozenset(
    {
        "subscribe",
        "tags",
        "topics",
        "subscribe now",
        "subscribe to our newsletter",
        "sign up",
        "sign up now",
        "newsletter",
        "comments",
        "comment",
        "leave a comment",
        "leave a reply",
        "view comments",
        "show comments",
        "join the conversation",
        "related",
        "related content",
        "related posts",
        "related links",
        "more stories",
        "recommended",
        "recommended for you",
        "trending",
        "trending now",
        "share",
        "share article",
        "tweet",
        "email",
        "print",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
        "pinterest",
        "reddit",
        "copy link",
        "report an error",
        "report a typo",
        "see also",
        "more",
        "next article",
        "previous article",
        "top stories",
        "latest news",
    }
)
_SOCIAL = (
    r"(?:twitter|x|facebook|instagram|threads|bluesky|mastodon|linkedin|tiktok|youtube"
    r"|whatsapp|telegram|pinterest|reddit|email|e-mail|flipboard|rss)"
)
_SOCIALS = rf"{_SOCIAL}(?:\s*(?:,|&|/|\band\b|\bor\b)\s*{_SOCIAL})*"
# "Click here to <...>": the web actions a link invites to (a whole line, nothing after but
# the object of the action); "Click here, she said, ..." is prose and never matches.
_WEB_ACTION = (
    r"(?:subscribe|unsubscribe|sign up|register|log in|login|read|download|learn|find out|see"
    r"|view|watch|listen|get|join|comment|share|buy|order|donate|support|contact|visit|continue"
    r"|print|email|follow|like|go|return|apply|book|enter|try|start|leave|report)"
)
# The links of a page footer ("Privacy Policy | Terms of Service"), two or more in a row.
_NAV_LINK = (
    r"(?:privacy(?: policy| notice| settings)?|terms(?: of (?:service|use))?|terms and conditions"
    r"|cookies?(?: policy| settings)?|contact(?: us)?|about(?: us)?|sitemap|site map|accessibility"
    r"|advertise(?: with us)?|careers|jobs|help|faq|rss|imprint|impressum|legal|disclaimer"
    r"|corrections|newsletters?|subscribe|archives?|masthead)"
)
_YEAR = r"(?:19|20)\d\d(?:\s*[-–]\s*(?:(?:19|20)\d\d|present))?"
# Whole-line patterns for page furniture at the end of an article, matched against
# :func:`_boilerplate_key` (casefolded, trailing ``.:!»`` removed) with ``fullmatch``. Each
# needs web context: a social network, a web action, a copyright year, "All rights reserved".
_TRAILING_LEFTOVER = re.compile(
    r"(?:tags|topics|filed under|categories|category|posted in|keywords|labels)\s*:.*"
    r"|related(?: articles| stories| posts| content| reading| links)?\s*:.*"
    r"|this (?:article|story|piece|post|essay) (?:was )?(?:originally|first) (?:appeared|published)"
    r" (?:on|in|at) .{1,80}"
    rf"|follow (?:us|me|[\w.'-]+(?: [\w.'-]+)?) on {_SOCIALS}"
    r"|follow @\w+(?: on \w+)?"
    rf"|(?:share|like us|find us|join us|connect with us)(?: this(?: article| story| post| page)?)?"
    rf" (?:on|via|with) {_SOCIALS}"
    r"|click to (?:share|email|print|tweet|pin|like)(?: this)?(?: on \w+)?(?: \(opens in new window\))?"
    rf"|(?:click|tap) here (?:to|for) {_WEB_ACTION}\b[^,;\"“”]*"
    r"|like this\s*:.*|like loading(?:\.\.\.|…)?"
    r"|(?:copyright\s*)?(?:©|\(c\))\s*" + _YEAR + r"\b.{0,80}"
    r"|(?:copyright\s*)?(?:©|\(c\))\s*[^.!?]{1,60}\s" + _YEAR + r"(?:\.|\s.{0,40})?"
    r"|copyright\s*" + _YEAR + r"\b.{0,80}"
    r"|(?:(?:copyright\s*)?(?:©|\(c\))\s*)?[^!?\"“”]{0,80}\ball rights reserved"
    r"|(?:sign up|subscribe)\b[^,;\"“”!?]*\b(?:newsletter|updates|inbox|mailing list|channel"
    r"|podcast|feed|alerts|digest)"
    r"|(?:newsletter|email|e-mail) sign[- ]?up"
    r"|comments? \(\d+\)|\d+ comments?|comments are closed|comments are (?:now )?closed"
    r"|loading(?:\.\.\.|…)?"
    r"|back to top(?:\s*[↑⬆^▲])?"
    rf"|{_NAV_LINK}(?:\s*[|·•/]\s*{_NAV_LINK})+"
)
# Labels that are furniture only when the line is not a sentence (no final ``. ! ? …``):
# "Posted in News" and "More from Example Gazette", but "More in sorrow than in anger." is prose.
_TRAILING_LABEL = re.compile(
    r"(?:posted|filed) (?:in|under) [^.!?]{1,60}"
    r"|(?:image|images|photo|photos|photograph|picture|illustration|video|graphic|main image"
    r"|top image|header image|lead image|feature image)(?: credits?| by| courtesy(?: of)?)?"
    r"\s*:\s*[^.!?]{1,80}"
    r"|(?:photo|photograph|image|picture|illustration)s? (?:by|credit|courtesy(?: of)?) [^.!?]{1,80}"
    r"|more (?:from|stories from|articles from|news from) [^.!?,]{1,60}"
)
# Prose is never page furniture: quoted speech, or a comma then a speech verb or a pronoun
# ("Follow me, said the ghost", "Click here, she said, ...", "Follow us, the children sang").
_PROSE_MARK = re.compile(
    r"[\"“”„«»]|,\s+(?:he|she|they|i|we|you)\b"
    r"|\b(?:said|says|sang|sings|whispered|asked|replied|cried|called|shouted|answered|murmured"
    r"|laughed|sighed|told)\b",
    re.IGNORECASE,
)
# A cookie notice says the site uses cookies and names the web (both needed: "We use cookies to
# bribe the children" is prose), or is a consent button's label on its own.
_COOKIE_USE = re.compile(r"\b(?:uses?|using|stores?) cookies\b")
_COOKIE_WEB = re.compile(
    r"\b(?:website|site|browsing|browser|your experience|consent|privacy|personali[sz]e"
    r"|analytics|advertising|cookie policy|accept|settings)"
)
_COOKIE_BUTTON = re.compile(
    r"^(?:(?:accept|reject|allow|decline|manage|refuse)(?: all)?(?: cookies)?"
    r"|cookie (?:settings|preferences|policy|consent)|(?:accept|reject) all cookies)$"
)

# "Mr Darcy is the best of men" closes novels; bios name people without these ("Dr" is allowed).
_HONORIFICS = frozenset(["Mr", "Mrs", "Ms", "Miss", "Master", "Sir", "Lady", "Lord", "Madam"])

_BOILERPLATE = frozenset(
    {
        "what's hot",
        "read more",
        "read next",
        "read more:",
        "advertisement",
        "share this",
        "share this article",
        "share this story",
        "share on facebook",
        "share on twitter",
        "continue reading",
        "continue reading below",
        "story continues below",
        "article continues below",
        "sponsored content",
        "you may also like",
        "you might also like",
        "more from huffpost",
        "most popular",
        "most read",
        "related articles",
        "related stories",
        "skip to content",
        "skip to main content",
        "suggest a correction",
        "back to top",
        "loading comments",
        "sign up for our newsletter",
    }
)


# The one strict YAML loader (bot.core.yamlload) reads corpus.yaml and front matter.
_BadValue = yamlload.InvalidValue
_Duplicate = yamlload.Duplicate


def _load_yaml(text: str) -> tuple[object, list[_Duplicate]]:
    """Parse ``text`` with the strict loader: (data, duplicate keys).

    Raises:
        yaml.YAMLError: the text is not valid YAML (mark on the error when known), or it holds a
            tag outside the safe schema.
    """
    loaded = yamlload.load(text)
    if loaded.rejected_tags:
        raise yaml.constructor.ConstructorError(None, None, loaded.rejected_tags[0].message)
    return loaded.data, loaded.duplicates


_yaml_error = yamlload.describe_error


class DocumentError(UserError):
    """A file that cannot be used as a document.

    Attributes:
        reason: what is wrong, in plain words (e.g. ``"the file is empty"``).
        path: the file, as given, or ``""`` for text not read from a file.
    """

    def __init__(self, reason: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.reason = reason
        self.path = path


# --------------------------------------------------------------------------------------------
# Public API


def load_corpus(
    paths: Sequence[Path],
    *,
    language: str = "en",
    progress: Callable[[int, int, Path], None] | None = None,
) -> Corpus:
    """Load every document under ``paths``.

    Args:
        paths: folders (searched recursively for ``.txt``, ``.md`` and ``.markdown`` files, sorted
            by relative path, skipping hidden files and folders and ``corpus.yaml``; files named
            ``README*``, ``LICENSE*``, ``LICENCE*``, ``CHANGELOG*`` or ``CONTRIBUTING*``, in any
            case, are skipped with a non-fatal problem "skipped: looks like a repository file,
            not a document"; other files are skipped with a non-fatal problem "skipped:
            unsupported file type (.html); ...", at most :data:`UNSUPPORTED_LISTED` per folder
            and one count for the rest) or single files (whatever their name; a suffix other
            than ``.txt``, ``.md``, ``.markdown`` is a fatal "unsupported file type", a file
            without a suffix is read as plain text). A ``corpus.yaml`` in a given folder is its
            manifest; for a single file, the ``corpus.yaml`` beside it supplies its entry (and
            a manifest that cannot be used at all is reported).
        language: sentence-splitting language (ISO 639 code) for :mod:`bot.core.segment`.
        progress: called as ``progress(done, total, path)`` after each file is read.

    Returns:
        ``Corpus(documents, problems)``: documents in load order; one problem per bad file (fatal,
        the file is skipped), per caveat (non-fatal, e.g. cp1252 decoding) and per manifest issue.
        Zero documents is not an error here: see :func:`require_documents`.

    Raises:
        CorpusError: a given path does not exist (the message names it, and for a relative
            path the working directory it was resolved from). Bad files never raise.
    """
    missing = [Path(p) for p in paths if not Path(p).exists()]
    if missing:
        raise CorpusError(_not_found(missing))

    problems: list[LoadProblem] = []
    items = _plan(paths, problems)

    pending: list[_Pending] = []
    for done, item in enumerate(items, start=1):
        try:
            pending.append(_read(item, problems))
        except DocumentError as error:
            problems.append(LoadProblem(str(item.path), error.reason))
        if progress is not None:
            progress(done, len(items), item.path)

    ids = _assign_ids(pending, problems)
    documents = tuple(
        _build(document_id, p.layout, p.metadata, str(p.item.path), p.item.path, language)
        for document_id, p in zip(ids, pending, strict=True)
    )
    return Corpus(documents=documents, problems=tuple(problems))


def _not_found(missing: Sequence[Path]) -> str:
    """The message for corpus paths that do not exist.

    A relative path was resolved here, from the working directory, and the message says so
    with the full path looked at; an absolute path (for instance one the settings resolved
    from the config file's folder) is named as it is, without claiming a base folder.
    """
    cwd = Path.cwd()
    names = ", ".join(
        str(p) if p.is_absolute() else f"{p} (resolved from the working directory {cwd}: {cwd / p})"
        for p in missing
    )
    return (
        f"Corpus path not found: {names}. Check the corpus paths in the configuration or on "
        "the command line (relative paths in a config file are resolved from that file's "
        "folder, on the command line from the working directory)."
    )


def require_documents(corpus: Corpus) -> Corpus:
    """Return ``corpus`` unchanged when it has at least one document.

    Raises:
        CorpusError: no document loaded; the message lists each problem (path and reason) and
            says what to do.
    """
    if corpus.documents:
        return corpus
    lines = ["No document could be loaded, so the bot cannot start."]
    if corpus.problems:
        lines.append("Problems found:")
        lines.extend(f"  - {p.path}: {p.reason}" for p in corpus.problems)
    else:
        lines.append("The corpus paths contain no .txt or .md files.")
    lines.append(
        "Add at least one UTF-8 .txt or .md file with a title line and body paragraphs separated "
        "by blank lines (or fix the files above), then start the bot again."
    )
    raise CorpusError("\n".join(lines))


def load_document(
    path: Path,
    *,
    document_id: str | None = None,
    metadata: Mapping[str, object] | None = None,
    language: str = "en",
) -> Document:
    """Load one file as a document (see the module docstring for the rules).

    Args:
        path: the file; ``.md``/``.markdown`` files are read as Markdown.
        document_id: the id; default: the metadata's or front matter's ``id``, else the slug of
            the file name stem.
        metadata: values that override front matter and heuristics (keys as in the manifest).
        language: sentence-splitting language.

    Raises:
        DocumentError: the file is unreadable, not a regular file, over :data:`MAX_FILE_BYTES`,
            of an unsupported type (a suffix other than ``.txt``, ``.md``, ``.markdown``), empty,
            not text, or has no body text.
    """
    problems: list[LoadProblem] = []
    item = _Item(Path(path), dict(metadata or {}))
    try:
        pending = _read(item, problems)
    except DocumentError as error:
        raise DocumentError(error.reason, path=str(path)) from None
    if document_id is None:
        explicit = pending.metadata.get("id")
        document_id = explicit if explicit and _SLUG.fullmatch(explicit) else slugify(path.stem)
    return _build(document_id, pending.layout, pending.metadata, str(path), path, language)


def parse_document(
    text: str,
    *,
    document_id: str,
    path: str = "",
    metadata: Mapping[str, object] | None = None,
    markdown: bool = False,
    language: str = "en",
) -> Document:
    """Build a document from a string, with the same rules as for files.

    Args:
        text: the whole file content (a BOM, CRLF or CR line endings are normalised here too).
        document_id: the document's id (used as given).
        path: shown in messages and stored in ``Document.path``.
        metadata: overrides for front matter and heuristics (keys as in the manifest).
        markdown: read the text as Markdown (front matter, headings, inline markup).
        language: sentence-splitting language.

    Raises:
        DocumentError: the text is empty or has no body (e.g. only a title).
    """
    try:
        meta, layout, _ = _prepare(_normalise(text), markdown, metadata or {}, {})
    except DocumentError as error:
        raise DocumentError(error.reason, path=path) from None
    return _build(document_id, layout, meta, path, Path(path) if path else None, language)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes to normalised text.

    Returns:
        ``(text, caveats)``: LF line endings, NFC, no BOM; ``caveats`` are plain-words notes for
        the operator (e.g. the cp1252 fallback), empty for clean UTF-8.

    Raises:
        DocumentError: empty (or whitespace only), or not a text file.
    """
    caveats: list[str] = []
    if not data.strip():
        raise DocumentError("the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError("not a text file (broken UTF-16)") from None
    elif b"\x00" in data:
        raise DocumentError("not a text file (it contains NUL bytes, so it looks binary)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise DocumentError(
                    "not a text file (its bytes are neither UTF-8 nor Windows-1252 text)"
                ) from None
            caveats.append(
                f"not valid UTF-8 (byte {error.start}); decoded as Windows-1252 (cp1252) - "
                "check its quotes and accents, and save it as UTF-8 to silence this"
            )
    if len(_CONTROL.findall(text)) > max(CONTROL_SHARE_MAX * len(text), CONTROL_ALLOWED):
        raise DocumentError("not a text file (too many control characters, so it looks binary)")
    text = _normalise(text)
    if not text.strip():
        raise DocumentError("the file is empty")
    return text, caveats


def slugify(text: str) -> str:
    """Lowercase ASCII slug of ``text`` (letters, digits, single hyphens); ``"document"`` if empty.

    Accents are removed by NFKD decomposition (``"Café"`` → ``"cafe"``).
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "document"


# --------------------------------------------------------------------------------------------
# Planning: which files, with which manifest entries


@dataclass(slots=True)
class _Item:
    path: Path
    manifest: dict[str, object]  # the file's manifest entry
    defaults: dict[str, str] = field(default_factory=dict)
    entry: str = ""  # where the entry is: "<folder>/corpus.yaml > documents > <name>", or ""


@dataclass(slots=True)
class _Layout:
    title: str | None
    standfirst: str | None
    author: str | None
    author_bio: str | None
    paragraphs: list[str]
    date: str | None = None


@dataclass(slots=True)
class _Pending:
    item: _Item
    metadata: dict[str, str]
    layout: _Layout


def _plan(paths: Sequence[Path], problems: list[LoadProblem]) -> list[_Item]:
    """The files to read, each once, with their manifest entries and defaults.

    A file reached twice (a folder given twice, or a symbolic link beside its target) is read
    once, under the name of the real file when one of the paths is not a link; each other path
    is reported as a skipped, non-fatal problem naming the path that is loaded.
    """
    candidates: list[_Item] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            files, unsupported = _walk(root)
            documents = []
            for file in files:
                if _REPOSITORY_FILE.match(file.name):
                    reason = "skipped: looks like a repository file, not a document"
                    problems.append(LoadProblem(str(file), reason, fatal=False, skipped=True))
                else:
                    documents.append(file)
            _report_unsupported(root, unsupported, problems)
            if not documents:
                problems.append(LoadProblem(str(root), "contains no .txt or .md files"))
            relative = {f.relative_to(root).as_posix(): f for f in documents}
            defaults, entries = _read_manifest(root / MANIFEST_NAME, set(relative), problems)
            for name, file in relative.items():
                entry = f"{root / MANIFEST_NAME} > documents > {name}" if name in entries else ""
                candidates.append(_Item(file, dict(entries.get(name, {})), defaults, entry))
        else:
            sink: list[LoadProblem] = []
            defaults, entries = _read_manifest(root.parent / MANIFEST_NAME, None, sink)
            if root.name in entries:
                problems.extend(sink)
            else:  # a manifest that could not be used at all concerns this file too
                problems.extend(p for p in sink if p.fatal and p not in problems)
            entry = (
                f"{root.parent / MANIFEST_NAME} > documents > {root.name}"
                if root.name in entries
                else ""
            )
            candidates.append(_Item(root, dict(entries.get(root.name, {})), defaults, entry))
    return _one_per_file(candidates, problems)


def _one_per_file(candidates: list[_Item], problems: list[LoadProblem]) -> list[_Item]:
    """Keep one item per real file: the first path that is not a symbolic link, else the first.

    The kept item takes the place of the first path to the file, so load order stays that of
    the paths; the others are reported as skipped when they are links (a folder given twice is
    not worth a message).
    """
    groups: dict[Path, list[_Item]] = {}
    order: list[Path] = []
    for item in candidates:
        try:
            key = item.path.resolve()
        except (OSError, RuntimeError):  # a link loop: read (and reported) as it is
            key = item.path.absolute()
        if key not in groups:
            groups[key] = []
            order.append(key)
        if all(other.path != item.path for other in groups[key]):
            groups[key].append(item)
    kept: list[_Item] = []
    for key in order:
        group = groups[key]
        chosen = next((item for item in group if not item.path.is_symlink()), group[0])
        kept.append(chosen)
        for item in group:
            if item is not chosen and item.path.is_symlink():
                problems.append(
                    LoadProblem(
                        str(item.path),
                        f"skipped: a link to {key}, which is loaded as {chosen.path}",
                        fatal=False,
                        skipped=True,
                    )
                )
    return kept


def _supported_names() -> str:
    return ".txt, .md, .markdown"  # TEXT_SUFFIXES, in the order people look for them


def _unsupported(path: Path) -> str:
    suffix = path.suffix.lower()
    kind = suffix if suffix else "no suffix"
    return f"unsupported file type ({kind}); supported: {_supported_names()}"


def _report_unsupported(root: Path, files: list[Path], problems: list[LoadProblem]) -> None:
    """Report the first :data:`UNSUPPORTED_LISTED` files by path, then one count for the rest."""
    for file in files[:UNSUPPORTED_LISTED]:
        problems.append(
            LoadProblem(str(file), f"skipped: {_unsupported(file)}", fatal=False, skipped=True)
        )
    rest = files[UNSUPPORTED_LISTED:]
    if rest:
        kinds = sorted({f.suffix.lower() or "no suffix" for f in rest})
        problems.append(
            LoadProblem(
                str(root),
                f"skipped {len(rest)} more files of unsupported types ({', '.join(kinds)}); "
                f"supported: {_supported_names()}",
                fatal=False,
                skipped=True,
            )
        )


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """``(text files, other files)`` under ``folder``, each sorted by relative path.

    Hidden files and folders, the manifest and repository files (README, LICENSE, ...) that are
    not text files are left out of both lists: they are not meant as documents.
    """
    found: list[Path] = []
    other: list[Path] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or name == MANIFEST_NAME:
                continue
            if Path(name).suffix.lower() in TEXT_SUFFIXES:
                found.append(Path(current) / name)
            elif not _REPOSITORY_FILE.match(name):
                other.append(Path(current) / name)

    def key(f: Path) -> str:
        return f.relative_to(folder).as_posix()

    return sorted(found, key=key), sorted(other, key=key)


def _read_manifest(
    path: Path, files: set[str] | None, problems: list[LoadProblem]
) -> tuple[dict[str, str], dict[str, dict[str, object]]]:
    """Read and validate a manifest; returns (defaults, entries by relative file name)."""
    if not path.exists() and not path.is_symlink():
        return {}, {}
    where = str(path)

    def report(reason: str) -> None:
        problems.append(LoadProblem(where, reason, fatal=False))

    def refuse(reason: str) -> tuple[dict[str, str], dict[str, dict[str, object]]]:
        # The manifest is not used at all: a file with problems (fatal), so --strict fails.
        problems.append(LoadProblem(where, f"{reason}; the files load without it"))
        return {}, {}

    try:
        raw, duplicates = _load_yaml(_read_bytes(path).decode("utf-8-sig"))
    except DocumentError as error:
        return refuse(error.reason)
    except UnicodeDecodeError as error:
        return refuse(f"could not be read (not UTF-8: byte {error.start})")
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return refuse(f"is not valid YAML{_yaml_error(error, 0)}")
    if duplicates:
        d = duplicates[0]
        more = f" (and {len(duplicates) - 1} more)" if len(duplicates) > 1 else ""
        return refuse(
            f"duplicate key '{d.key}' on line {d.first} and again on line {d.second}{more}: "
            "YAML would silently keep only the last one, so the manifest is not used until you "
            "delete the one you do not want"
        )
    if raw is None:
        return {}, {}
    if not isinstance(raw, dict):
        return refuse("should be a mapping with a 'documents' key")

    defaults: dict[str, str] = {}
    entries: dict[str, dict[str, object]] = {}
    known_top = ("documents", *_MANIFEST_DEFAULT_KEYS)
    for key, value in raw.items():
        if key == "documents":
            continue
        if key not in _MANIFEST_DEFAULT_KEYS:
            report(f"unknown key '{key}' (known keys: {', '.join(known_top)}); ignored it")
            continue
        cleaned, messages = _clean_metadata({key: value}, key, strict=True)
        defaults.update(cleaned)
        for message in messages:
            report(message)

    documents = raw.get("documents")
    if documents is None:
        return defaults, entries
    if not isinstance(documents, dict):
        report("'documents' should map file names to their details; ignored it")
        return defaults, entries
    for name, entry in documents.items():
        name = str(name)
        where_key = f"documents > {name}"
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            report(f"{where_key} should be a mapping of details (id, title, ...); ignored it")
            continue
        if files is not None and name not in files:
            report(f"{where_key}: names a file that is not in {path.parent} (no such .txt or .md)")
            continue
        cleaned, messages = _clean_metadata(_str_keys(entry), where_key, strict=True)
        for message in messages:
            report(message)
        entries[name] = dict(cleaned)
    return defaults, entries


def _clean_metadata(
    raw: Mapping[str, object], where: str, *, strict: bool, line_offset: int = 0
) -> tuple[dict[str, str], list[str]]:
    """Keep known keys with text values. ``strict``: report unknown keys (manifest).

    A value the YAML loader could not construct (:class:`_BadValue`) is reported with its line
    (plus ``line_offset``, the file line before the YAML text) and dropped; the other keys stay.
    """
    cleaned: dict[str, str] = {}
    messages: list[str] = []
    for raw_key, value in raw.items():
        key = str(raw_key)  # YAML keys may be numbers or dates
        if not strict:
            key = _FRONT_MATTER_ALIASES.get(key, key)
        if key not in _META_KEYS:
            if strict:
                messages.append(
                    f"{where}: unknown key '{key}' (known keys: {', '.join(_META_KEYS)}); ignored it"
                )
            continue
        if isinstance(value, _BadValue):
            messages.append(
                f"{where}: '{key}' on line {value.line + line_offset} is not valid "
                f"({value.text}: {value.why}); ignored it, the other keys are used"
            )
            continue
        text = _as_text(value)
        if text is None:
            if strict or value is not None:
                kind = "a yes/no value" if isinstance(value, bool) else type(value).__name__
                hint = " (put it in quotes)" if isinstance(value, bool) else ""
                messages.append(f"{where}: '{key}' should be text, not {kind}{hint}; ignored it")
            continue
        if text:
            cleaned[key] = text
    return cleaned, messages


def _str_keys(raw: Mapping[object, object]) -> dict[str, object]:
    return {str(key): value for key, value in raw.items()}


def _as_text(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(" ".join(str(v).split()) for v in value)
    return None


# --------------------------------------------------------------------------------------------
# Reading one file


def _read(item: _Item, problems: list[LoadProblem]) -> _Pending:
    """Read, decode and lay out one file; caveats go to ``problems``. Raises DocumentError."""
    suffix = item.path.suffix.lower()
    if suffix and suffix not in TEXT_SUFFIXES:
        raise DocumentError(_unsupported(item.path), path=str(item.path))
    data = _read_bytes(item.path)
    text, caveats = decode_text(data)
    for caveat in caveats:
        problems.append(LoadProblem(str(item.path), caveat, fatal=False))
    markdown = item.path.suffix.lower() in _MARKDOWN_SUFFIXES
    metadata, layout, notes = _prepare(text, markdown, item.manifest, item.defaults)
    for note in notes:
        problems.append(LoadProblem(str(item.path), note, fatal=False))
    return _Pending(item, metadata, layout)


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The file is opened without blocking (``O_NONBLOCK``: opening a named pipe for reading would
    otherwise wait for a writer) and checked with ``fstat`` on the open descriptor, so a FIFO, a
    device (a link to ``/dev/zero`` or ``/dev/urandom``) or a socket is never read; at most
    ``limit + 1`` bytes are read, so a file that grows while it is read cannot exhaust memory.

    Raises:
        DocumentError: "could not be read (...)", "not a regular file (a named pipe)", or
            "too large (N MB; the limit is 50 MB)" (in bytes when N would round to 50).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DocumentError(f"could not be read ({reason})", path=str(path)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(f"not a regular file ({_file_kind(info.st_mode)})", path=str(path))
        if info.st_size > limit:
            raise DocumentError(_too_large(info.st_size, limit), path=str(path))
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise DocumentError(f"could not be read ({reason})", path=str(path)) from None
    if len(data) > limit:
        raise DocumentError(_too_large(len(data), limit), path=str(path))
    return data


def _too_large(size: int, limit: int) -> str:
    """``"too large (63.2 MB; the limit is 50 MB)"``; in bytes when one decimal of MB would show
    the size equal to the limit (``"50,000,001 bytes; the limit is 50 MB, 50,000,000 bytes"``)."""
    shown = f"{size / 1e6:,.1f}"
    if float(shown.replace(",", "")) * 1e6 > limit:
        return f"too large ({shown} MB; the limit is {limit / 1e6:,.0f} MB)"
    return f"too large ({size:,} bytes; the limit is {limit / 1e6:,.0f} MB, {limit:,} bytes)"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"


def _prepare(
    text: str, markdown: bool, given: Mapping[str, object], defaults: Mapping[str, str]
) -> tuple[dict[str, str], _Layout, list[str]]:
    """Metadata and layout of decoded text: (metadata, layout, notes on the front matter)."""
    front, body, notes = _split_front_matter(text, markdown=markdown)
    if body.strip() == "" and text.strip() != "":
        raise DocumentError("has only front matter and no text after it")
    gutenberg = _split_gutenberg(body)
    if gutenberg is not None:
        header, body = gutenberg
        front = {**header, **front}
    metadata = {**front, **_clean_metadata(given, "metadata", strict=False)[0]}
    layout = _layout(body, markdown=markdown, metadata=metadata, gutenberg=gutenberg is not None)
    for key, value in defaults.items():
        # A document's own bio or byline (or title-page year) beats a folder default.
        if not (key == "author" and layout.author) and not (key == "date" and layout.date):
            metadata.setdefault(key, value)
    return metadata, layout, notes


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = text.replace("\f", "\n").replace("\v", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def _split_front_matter(text: str, *, markdown: bool) -> tuple[dict[str, str], str, list[str]]:
    """Split YAML front matter off ``text``: (metadata, rest, notes for the operator).

    In Markdown any ``---`` block at the very start is front matter. In plain text it is front
    matter only when one of its lines starts with a known key (``title:``, ``author:``, ...), so a
    story that opens with a ``---`` divider stays text.

    An opening ``---`` with no closing ``---`` (or ``...``) line: when the ``key: value`` lines
    right after it, up to the first blank line, include a known key, they are read as the front
    matter and a note says the closing line is missing; in Markdown, with no such lines, a note says the file was read
    without front matter. Keys given twice are dropped (both values) and a value YAML cannot
    construct (``date: 2020-02-30``) drops only that key; each is noted with its line.
    """
    if not text.startswith("---"):
        return {}, text, []
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text, []
    notes: list[str] = []
    for end in range(1, min(len(lines), FRONT_MATTER_MAX_LINES)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        end = 1
        while end < len(lines) and _YAML_KEY_LINE.match(lines[end]):
            end += 1
        keys = lines[1:end]
        if not any(_FRONT_MATTER_KEY.match(k) for k in keys):
            if markdown:
                notes.append(
                    "starts with a '---' line but has no closing '---' line, so it has no "
                    "front matter; read it all as text"
                )
            return {}, text, notes
        span = "line 2" if end == 2 else f"lines 2-{end}"
        notes.append(
            f"front matter has no closing '---' line; read {span} as front matter - "
            f"add a '---' line after line {end}"
        )
        block, rest = "\n".join(keys), "\n".join(lines[end:])
        return _parse_front_matter(block, rest, notes)
    if not markdown and not any(_FRONT_MATTER_KEY.match(line) for line in lines[1:end]):
        return {}, text, []
    block, rest = "\n".join(lines[1:end]), "\n".join(lines[end + 1 :])
    return _parse_front_matter(block, rest, notes)


def _parse_front_matter(
    block: str, rest: str, notes: list[str]
) -> tuple[dict[str, str], str, list[str]]:
    """Parse the YAML ``block`` (file lines from 2 on); returns (metadata, rest, notes)."""
    try:
        raw, duplicates = _load_yaml(block)
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        notes.append(f"front matter is not valid YAML{_yaml_error(error, 1)}; ignored it")
        return {}, rest, notes
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        notes.append("front matter is not a mapping of keys to values; ignored it")
        return {}, rest, notes
    fields = _str_keys(raw)
    for d in duplicates:
        notes.append(
            f"front matter: duplicate key '{d.key}' on line {d.first + 1} and again on line "
            f"{d.second + 1}; ignored both - delete the one you do not want"
        )
        if d.top_level:
            fields.pop(d.key, None)
    cleaned, messages = _clean_metadata(fields, "front matter", strict=False, line_offset=1)
    return cleaned, rest, notes + messages


def _split_gutenberg(text: str) -> tuple[dict[str, str], str] | None:
    """Split a Project Gutenberg file: (header fields, text between the START and END markers).

    ``None`` when ``text`` has no "*** START OF THE PROJECT GUTENBERG EBOOK ... ***" line. The
    header's ``Title:`` and ``Author:`` fields give title and author (its "Release Date" and
    "Posting Date" are the e-text's, not the work's: not read); the licence after the END marker and a closing "End of the
    Project Gutenberg EBook of ..." line are dropped.
    """
    start = _GUTENBERG_START.search(text)
    if start is None:
        return None
    header, body = text[: start.start()], text[start.end() :]
    end = _GUTENBERG_END.search(body)
    if end is not None:
        body = body[: end.start()]
    closing = list(_GUTENBERG_END_LINE.finditer(body))
    if closing and not body[closing[-1].end() :].strip():
        body = body[: closing[-1].start()]
    fields: dict[str, str] = {}
    for match in _GUTENBERG_FIELD.finditer(header):
        key = match.group("key").lower()
        value = match.group("value")
        value = " ".join(value.split())
        if value and key not in fields:
            fields[key] = value
    return fields, body


# --------------------------------------------------------------------------------------------
# Structure


@dataclass(slots=True)
class _Block:
    text: str
    lines: int
    heading: bool = False


def _blocks(text: str, *, markdown: bool) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(_Block(_join_lines(current), len(current)))
            current.clear()

    if markdown:
        return _markdown_blocks(text)
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        current.append(stripped)
    flush()
    return blocks


@functools.cache
def _markdown_parser() -> MarkdownIt:
    # CommonMark plus GFM tables (so a table is recognised, then dropped) and ~~strikethrough~~.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _markdown_blocks(text: str) -> list[_Block]:
    """Blocks of a Markdown text, parsed to CommonMark tokens by markdown-it-py.

    Each paragraph (also inside list items and block quotes) is a block and each heading a
    heading block; ``lines`` is the number of source lines. Inline markup is reduced to its
    text: emphasis, strong and strikethrough markers go, a link keeps its text, inline code
    keeps its content, images and inline HTML are dropped. HTML blocks keep their text, tags
    stripped (:func:`_html_blocks`). Footnotes (a GFM extension CommonMark leaves literal) are
    undone: a reference ``[^1]`` is removed and a definition paragraph ``[^1]: ...`` dropped; a
    task-list checkbox (``[ ]``, ``[x]``) at the start of a list item is removed. Code blocks,
    tables and thematic breaks are not text and are dropped.
    """
    blocks: list[_Block] = []
    tokens = _markdown_parser().parse(text)
    table_depth = 0
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            table_depth += 1
        elif token.type == "table_close":
            table_depth -= 1
        elif token.type == "html_block" and table_depth == 0:
            blocks.extend(_html_blocks(token.content))
        elif token.type == "inline" and table_depth == 0 and index > 0:
            opener = tokens[index - 1].type
            if opener not in ("paragraph_open", "heading_open"):
                continue
            if _FOOTNOTE_DEFINITION.match(token.content):
                continue
            lines = _inline_lines(token.children or [])
            if lines and index > 1 and tokens[index - 2].type == "list_item_open":
                lines[0] = _TASK_BOX.sub("", lines[0])
            lines = [line for line in lines if line]
            if not lines:
                continue
            heading = opener == "heading_open"
            count = 1 if heading or token.map is None else max(1, token.map[1] - token.map[0])
            blocks.append(_Block(_join_lines(lines), count, heading=heading))
    return blocks


_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]\s]+\]:")
_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")
_HTML_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HTML_SKIPPED_TAGS = frozenset(
    ["script", "style", "template", "svg", "math", "head", "title", "nav", "button", "form"]
)
_HTML_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# Class and id words of page furniture in CMS exports: <div class="ad">Buy now</div>.
_HTML_FURNITURE = frozenset(
    [
        "ad",
        "ads",
        "advert",
        "adverts",
        "advertisement",
        "sponsor",
        "sponsored",
        "promo",
        "promotion",
        "banner",
        "social",
        "share",
        "sharing",
        "newsletter",
        "subscribe",
        "cookie",
        "cookies",
        "related",
        "comments",
        "breadcrumb",
        "breadcrumbs",
    ]
)


class _HtmlText(HTMLParser):
    """The text of an HTML fragment as paragraphs, by the standard library's HTML parser.

    Block-level elements (``p``, ``div``, ``li``, headings, ...) end a paragraph; ``br`` ends a
    line; comments, the content of ``script``, ``style``, ``template``, ``svg``, ``nav``,
    ``form`` and ``button``, and elements whose class or id names page furniture
    (``class="ad"``, ``id="share-buttons"``, see :data:`_HTML_FURNITURE`) are dropped;
    character references are decoded. After :meth:`close`, ``blocks`` holds
    ``(text, source lines, heading)`` triples with whitespace collapsed.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int, bool]] = []
        self._lines: list[str] = [""]
        self._open: list[tuple[str, bool]] = []  # (tag, dropped) of the open elements
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._lines.append("")
            return
        if tag in _HTML_BLOCK_TAGS:
            self._flush()
            self._heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        if tag in _HTML_VOID_TAGS:
            return
        names = " ".join(value or "" for key, value in attrs if key in ("class", "id"))
        words = set(re.split(r"[\s_-]+", names.casefold()))
        self._open.append((tag, tag in _HTML_SKIPPED_TAGS or bool(words & _HTML_FURNITURE)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._lines.append("")
        elif tag in _HTML_BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_BLOCK_TAGS:
            self._flush()
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break

    def handle_data(self, data: str) -> None:
        if any(dropped for _, dropped in self._open):
            return
        first, *rest = data.split("\n")
        self._lines[-1] += first
        self._lines.extend(rest)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        lines = [" ".join(line.split()) for line in self._lines]
        lines = [line for line in lines if line]
        if lines:
            self.blocks.append((_join_lines(lines), len(lines), self._heading))
        self._lines = [""]
        self._heading = False


def _html_blocks(html: str) -> list[_Block]:
    """The paragraphs of an HTML block of a Markdown file, tags stripped (see :class:`_HtmlText`)."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return [_Block(text, lines, heading=heading) for text, lines, heading in parser.blocks]


def _inline_lines(children: Sequence[Token]) -> list[str]:
    """The text of an inline token's children, one string per source line, blank lines dropped.

    Footnote references (``[^1]``) are removed from the text (not from inline code).
    """
    lines: list[str] = []
    current: list[str] = []
    for child in children:
        if child.type == "text":
            current.append(_FOOTNOTE_REFERENCE.sub("", child.content))
        elif child.type == "code_inline":
            current.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            lines.append("".join(current))
            current = []
    lines.append("".join(current))
    return [" ".join(line.split()) for line in lines if line.strip()]


def _join_lines(lines: Sequence[str]) -> str:
    """Join the stripped lines of one paragraph: one space between lines, none where a line
    ends and the next starts with a character of a script written without spaces (CJK, Thai)."""
    joined = lines[0]
    for line in lines[1:]:
        if _NO_SPACE_SCRIPT.match(joined[-1]) and _NO_SPACE_SCRIPT.match(line[0]):
            joined += line
        else:
            joined += " " + line
    return joined


def _layout(
    text: str, *, markdown: bool, metadata: Mapping[str, str], gutenberg: bool = False
) -> _Layout:
    """Find title, byline, standfirst, bio and body paragraphs (rules in the module docstring).

    ``metadata`` (front matter and manifest) steers two choices: in Markdown, a front matter title
    means a first block that is not a heading is body text; a given standfirst means only a block
    equal to it is taken out of the body as the standfirst. ``gutenberg``: the text came from
    between Project Gutenberg markers, so leading "Produced by ..." and "[... Note ...]" blocks
    are transcribers' notes.
    """
    has_title = bool(metadata.get("title"))
    given_standfirst = metadata.get("standfirst")
    blocks = [b for b in _blocks(text, markdown=markdown) if not _is_boilerplate(b.text)]
    if not blocks:
        if markdown:
            raise DocumentError(
                "has no text (only blank lines, front matter, code blocks, tables, images, "
                "HTML comments or page furniture)"
            )
        raise DocumentError("has no text (only blank lines or page furniture)")

    while len(blocks) > 1 and _is_transcriber_note(blocks[0], gutenberg=gutenberg):
        blocks.pop(0)
    title: str | None = None
    title_words = set(re.findall(r"\w+", metadata.get("title", "").casefold()))
    while gutenberg and title_words and len(blocks) > 1 and blocks[0].lines == 1:
        words = set(re.findall(r"\w+", blocks[0].text.casefold()))
        if not words or not words <= title_words:
            break
        # The header's title, set over one or more lines ("MOBY-DICK;", "or, THE WHALE.").
        title = (title + " " if title else "") + blocks.pop(0).text
    first = blocks[0]
    if title is None and (
        first.heading or (not (markdown and has_title) and _looks_like_title(first))
    ):
        title = first.text
        blocks.pop(0)

    while blocks and _is_leftover(blocks[-1]):
        blocks.pop()

    author = bio = None
    if len(blocks) >= 2:
        found = _bio_author(blocks[-1].text)
        if found is not None:
            author, bio = found, blocks.pop().text

    byline, year = _title_page(blocks, gutenberg=gutenberg, after_title=title is not None)
    author = byline or author

    standfirst = None
    if given_standfirst:
        if len(blocks) >= 2 and _words(blocks[0].text) == _words(given_standfirst):
            standfirst = blocks.pop(0).text
    elif title is not None and len(blocks) >= 3 and _looks_like_standfirst(blocks[0]):
        standfirst = blocks.pop(0).text

    if not blocks:
        if title is not None:
            raise DocumentError(f"has only a title (“{title}”) and no body text")
        raise DocumentError("has no body text")
    return _Layout(title, standfirst, author, bio, [b.text for b in blocks], year)


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
    if words[0] in _NOT_NAME_WORDS or not words[0][0].isupper():
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


def _is_transcriber_note(block: _Block, *, gutenberg: bool) -> bool:
    """A note about the e-text rather than the work: it names Gutenberg and an "etext", or (in a
    Gutenberg file) starts "Produced by", is a "Transcriber's Notes:" line or is bracketed."""
    text = block.text
    lowered = text.casefold()
    if "gutenberg" in lowered and re.search(r"\be-?text", lowered):
        return True
    return gutenberg and (
        lowered.startswith(("produced by", "transcribed by", "prepared by"))
        or re.search(r"^(?:original )?transcriber['’]?s notes?:?$", lowered) is not None
        or (text.startswith("[") and text.endswith("]"))
    )


def _words(text: str) -> list[str]:
    return text.casefold().split()


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
        and _word_count(text) >= STANDFIRST_MIN_WORDS
        and _SENTENCE_END.search(text) is None
        and _CHAPTER_HEADING.match(text) is None
        and not text.isupper()
    )


def _is_leftover(block: _Block) -> bool:
    """A one-line block at the end of a scraped page that is page furniture, not prose.

    Recognised positively (never "short, so junk": "Nevermore" or a line of Japanese is prose)
    and as a whole line: the phrases of :data:`_TRAILING_BOILERPLATE` ("Subscribe", "Comments",
    "Print", ...), then, unless the line reads as prose (:data:`_PROSE_MARK`: quotes, or a comma
    then a speech verb or pronoun), the web-context patterns of :data:`_TRAILING_LEFTOVER`
    ("Tags: politics, Korea", "Follow us on Twitter", "© 2019 Example", "Click here to
    subscribe", ...) and, when the line is not a sentence, the labels of
    :data:`_TRAILING_LABEL` ("Posted in News", "Photo: Getty Images", "More from ...").
    """
    text = block.text
    if block.lines != 1 or block.heading or len(text) > LEFTOVER_MAX_CHARS:
        return False
    key = _boilerplate_key(text)
    if key in _TRAILING_BOILERPLATE:
        return True
    if _PROSE_MARK.search(text) is not None:
        return False
    if _TRAILING_LEFTOVER.fullmatch(key) is not None:
        return True
    return _SENTENCE_END.search(text) is None and _TRAILING_LABEL.fullmatch(key) is not None


def _is_boilerplate(text: str) -> bool:
    """Page furniture dropped wherever it is: :data:`_BOILERPLATE` phrases and cookie notices."""
    key = _boilerplate_key(text)
    if key in _BOILERPLATE:
        return True
    if _COOKIE_BUTTON.match(key) is not None and "cookie" in key:
        return True
    return (
        len(text) <= COOKIE_NOTICE_MAX_CHARS
        and _COOKIE_USE.search(key) is not None
        and _COOKIE_WEB.search(key) is not None
    )


def _boilerplate_key(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split()).rstrip(":»›>.!").strip()


def _word_count(text: str) -> int:
    """Words in ``text``: space-separated tokens, with each character of a script written
    without spaces between words (Chinese, Japanese, Thai, ...) counted as one word."""
    return len(_NO_SPACE_SCRIPT.findall(text)) + len(_NO_SPACE_SCRIPT.sub(" ", text).split())


def _bio_author(text: str) -> str | None:
    """The author's name when ``text`` reads like a closing bio line, else ``None``."""
    if len(text) > BIO_MAX_CHARS:
        return None
    match = _BIO.match(text)
    if match is None:
        return None
    name = " ".join(match.group("name").split())
    words = name.split()
    if words[0].rstrip(".") in _HONORIFICS or any(word in _NOT_NAME_WORDS for word in words):
        return None
    return name


# --------------------------------------------------------------------------------------------
# Ids and building


def _assign_ids(pending: list[_Pending], problems: list[LoadProblem]) -> list[str]:
    """One unique id per pending document: explicit ids first, then file-name slugs.

    An explicit id (manifest or front matter) that another document already has is reported
    as a non-fatal problem naming both files and the id given instead ("two-2"); when the id
    came from ``corpus.yaml`` the problem's path is the manifest and the reason names the
    entry ("documents > e2.txt").
    """
    ids: list[str | None] = [None] * len(pending)
    owner: dict[str, int] = {}
    clashes: list[tuple[int, str]] = []
    for i, p in enumerate(pending):
        explicit = p.metadata.get("id")
        if not explicit:
            continue
        if not _SLUG.fullmatch(explicit):
            fixed = slugify(explicit)
            problems.append(
                LoadProblem(
                    str(p.item.path),
                    f"id '{explicit}' is not a slug (lowercase letters, digits, hyphens); "
                    f"using '{fixed}'",
                    fatal=False,
                )
            )
            explicit = fixed
        if explicit in owner:
            clashes.append((i, explicit))
            continue
        owner[explicit] = i
        ids[i] = explicit
    taken = set(owner)
    result: list[str] = []
    for i, p in enumerate(pending):
        chosen = ids[i]
        if chosen is None:
            base = p.metadata.get("id") or slugify(p.item.path.stem)
            chosen = _unique(slugify(base), taken)
            taken.add(chosen)
        result.append(chosen)
    for i, explicit in clashes:
        item = pending[i].item
        other = pending[owner[explicit]].item.path
        from_manifest = bool(item.entry) and "id" in item.manifest
        where = item.entry.split(" > ", 1)[0] if from_manifest else str(item.path)
        prefix = f"{item.entry.split(' > ', 1)[1]}: " if from_manifest else ""
        problems.append(
            LoadProblem(
                where,
                f"{prefix}id '{explicit}' is already given to {other}; {item.path} is loaded "
                f"as '{result[i]}' - give each document its own id",
                fatal=False,
            )
        )
    return result


def _unique(base: str, taken: Set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _build(
    document_id: str,
    layout: _Layout,
    metadata: Mapping[str, str],
    path: str,
    file: Path | None,
    language: str,
) -> Document:
    paragraphs = tuple(
        segment_paragraph(document_id, number, text, language=language)
        for number, text in enumerate(layout.paragraphs, start=1)
    )
    title = metadata.get("title") or layout.title or _title_from_name(file, document_id)
    return Document(
        id=document_id,
        title=title,
        paragraphs=paragraphs,
        author=metadata.get("author") or layout.author,
        standfirst=metadata.get("standfirst") or layout.standfirst,
        author_bio=layout.author_bio,
        date=metadata.get("date") or layout.date,
        outlet=metadata.get("outlet"),
        source_url=metadata.get("source_url"),
        path=path,
    )


def _title_from_name(file: Path | None, document_id: str) -> str:
    stem = file.stem if file is not None else document_id
    words = re.sub(r"[-_\s]+", " ", stem).strip() or document_id
    return words[0].upper() + words[1:] if words.islower() else words

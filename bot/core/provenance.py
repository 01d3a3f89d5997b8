"""Where a piece of text comes from: the corpus passage a chat message quotes.

Behind the "Where is this from?" message command. A message is rarely just the quotation: it
says "as Churchill put it, “jaw jaw is better than war war”", or block-quotes a line and adds a
remark, or pastes a whole paragraph. So :func:`quoted_part` first takes what the message marks
as quoted (``>`` block-quote lines, else the longest “…”/"…"/«…» span of a few words), and
:func:`search_windows` cuts a long text into a few windows of whole sentences; each window is
searched with the ordinary fuzzy index (which already forgives punctuation and small typos) and
the best-scoring hit wins. Below :data:`MIN_SCORE` the text is "not from this corpus".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import NotFound, QueryError
from bot.core.models import SearchHit
from bot.core.search import SearchIndex
from bot.core.segment import split_sentences

#: Least search score (0-100) of a passage accepted as the source. A quotation with different
#: punctuation or a typo or two scores 90+; unrelated chat about the same subject stays below 80.
MIN_SCORE = 85.0
#: Longest window searched at once (characters): well under the index's query cap, long enough
#: to be distinctive.
WINDOW_CHARS = 240
#: At most this many windows of a long message are searched (spread over the message).
MAX_WINDOWS = 6
#: Word windows (for a long text whose sentences did not match): this many words each, a new
#: one every :data:`WORD_STRIDE` words, at most :data:`MAX_WORD_WINDOWS` of them.
WORD_WINDOW = 12
WORD_STRIDE = 6
MAX_WORD_WINDOWS = 24
#: A quoted span needs at least this many words to be taken as "the quoted part".
MIN_QUOTED_WORDS = 3

_BLOCKQUOTE = re.compile(r"^\s*>>>\s?(?P<rest>[\s\S]*)$|^\s*>\s?(?P<line>.*)$", re.MULTILINE)
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|«([^»]+)»|„([^“”]+)[“”]|「([^」]+)」")
#: Discord markup that is not text: mentions, channels, roles, custom emoji, timestamps, links.
_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:|t:)\d*[^>]*>|https?://\S+")


@dataclass(frozen=True, slots=True)
class Provenance:
    """The passage a text most likely comes from.

    Attributes:
        hit: the best search hit (its ``score`` is 0-100; ``match_start``/``match_end`` mark the
            matched span in the passage).
        searched: the part of the text that was searched (the quoted part, or a window of it).
        min_score: the least score of an :attr:`accepted` source.
    """

    hit: SearchHit
    searched: str
    min_score: float = MIN_SCORE

    @property
    def accepted(self) -> bool:
        """Whether the hit scores high enough to be called the source."""
        return self.hit.score >= self.min_score

    @property
    def score(self) -> float:
        """The hit's score, 0-100."""
        return self.hit.score


def quoted_part(text: str) -> str:
    """What ``text`` marks as quoted: its ``>`` block-quote lines, else its longest quoted span of
    at least :data:`MIN_QUOTED_WORDS` words, else the whole text; Discord markup removed."""
    clean = _MARKUP.sub(" ", text)
    block = [
        (m["rest"] if m["rest"] is not None else m["line"]) or ""
        for m in _BLOCKQUOTE.finditer(clean)
    ]
    block_text = " ".join(part.strip() for part in block if part.strip())
    if block_text:
        return block_text
    spans = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(clean)]
    spans = [s.strip() for s in spans if len(s.split()) >= MIN_QUOTED_WORDS]
    if spans:
        return max(spans, key=len)
    return " ".join(clean.split())


def search_windows(text: str, *, size: int = WINDOW_CHARS, count: int = MAX_WINDOWS) -> list[str]:
    """``text`` itself when it is at most ``size`` characters, else up to ``count`` windows of
    whole consecutive sentences (each at most ``size`` characters; a longer sentence is cut at a
    word), spread evenly over the text."""
    text = " ".join(text.split())
    if len(text) <= size:
        return [text] if text else []
    windows: list[str] = []
    current = ""
    for start, end in split_sentences(text):
        sentence = text[start:end]
        while len(sentence) > size:  # a very long sentence: cut at a word
            cut = sentence.rfind(" ", 0, size)
            cut = cut if cut > size // 2 else size
            if current:
                windows.append(current)
                current = ""
            windows.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > size:
            windows.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        windows.append(current)
    if len(windows) <= count:
        return windows
    step = (len(windows) - 1) / (count - 1)
    return [windows[round(i * step)] for i in range(count)]


def word_windows(
    text: str,
    *,
    words: int = WORD_WINDOW,
    stride: int = WORD_STRIDE,
    count: int = MAX_WORD_WINDOWS,
) -> list[str]:
    """Windows of ``words`` consecutive words, starting every ``stride`` words (at most
    ``count``, spread evenly): a quotation pasted into chat without its punctuation is not a
    sentence of its own, but some window lies inside it."""
    tokens = text.split()
    if len(tokens) <= words:
        return []
    starts = list(range(0, len(tokens) - words + 1, stride))
    if starts[-1] != len(tokens) - words:
        starts.append(len(tokens) - words)
    if len(starts) > count:
        step = (len(starts) - 1) / (count - 1)
        starts = [starts[round(i * step)] for i in range(count)]
    return [" ".join(tokens[i : i + words]) for i in starts]


def locate(index: SearchIndex, text: str, *, min_score: float = MIN_SCORE) -> Provenance | None:
    """The passage ``text`` (a chat message) most likely quotes: the best hit of any window of
    its quoted part, :attr:`~Provenance.accepted` when it scores ``min_score`` or more; ``None``
    when nothing in the text can be searched or nothing resembles a passage at all.

    Cost: one index search per window: at most :data:`MAX_WINDOWS` sentence windows, and for a
    long text whose sentences did not match, at most :data:`MAX_WORD_WINDOWS` word windows.
    """
    part = quoted_part(text)
    best = _best(index, search_windows(part), min_score, None)
    if (best is None or not best.accepted) and len(part) > WINDOW_CHARS:
        best = _best(index, word_windows(part), min_score, best)
    return best


def _best(
    index: SearchIndex, windows: list[str], min_score: float, best: Provenance | None
) -> Provenance | None:
    """The best hit over ``windows`` (or ``best`` if none beats it)."""
    for window in windows:
        try:
            hits = index.search(window, limit=1, threshold=0.0, max_chars=WINDOW_CHARS * 2)
        except (QueryError, NotFound):
            continue
        if best is None or hits[0].score > best.score:
            best = Provenance(hits[0], window, min_score)
    return best

"""Where a piece of text comes from: the corpus passage a chat message quotes.

Behind the "Where is this from?" message command. A message is rarely just the quotation: it
says "as Churchill put it, “jaw jaw is better than war war”", or block-quotes a line and adds a
remark, or pastes a whole paragraph. So :func:`quoted_parts` lists what the message marks as
quoted (``>`` block-quote lines, “…”/"…"/«…» spans, then ‘…’/'…' spans of a few words) and then
the whole text; each part is cut into windows (:func:`search_windows`: whole sentences;
:func:`word_windows`: runs of words) searched with the ordinary fuzzy index (which already
forgives punctuation and small typos). When no window matches well, the best candidate passages
are compared with every run of the message's words (:func:`matching_stretch`) and the run that
matches best is searched on its own: a quotation inside chat is found wherever it starts. Below
:data:`MIN_SCORE`, or with fewer than :data:`MIN_MATCHED_WORDS` words matched, the text is
"not from this corpus".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.core.errors import NotFound, QueryError
from bot.core.models import SearchHit
from bot.core.search import SearchIndex, match_key
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
#: A source is claimed only when at least this many words match (a famous three-word line such
#: as "Call me Ishmael" is found; a lone "everyone" is not), or at least half of a short
#: passage's words ("Nevermore.").
MIN_MATCHED_WORDS = 3
#: Stretches (:func:`matching_stretch`) grow from runs of this many words, and are never shorter:
#: a shorter run of unmarked chat matches some passage of a large corpus by chance.
STRETCH_WORDS = 8
#: A stretch grows while its score stays within this much of its starting run's.
STRETCH_SLACK = 4.0
#: A stretch is searched only when it grew to at least this many words: a run that cannot grow
#: is a common phrase ("I have no doubt of her being extremely") as often as a quotation.
#: On the where-from benchmark (300 messages per kind), 8 words found 291 long messages with 6
#: false claims on sentences of other novels, 9 words 291 with 3 (as many as before the
#: stretches), 10 words 286 with 3.
STRETCH_MIN_WORDS = 9
#: The best-scoring candidate passages whose stretch is searched.
STRETCH_PASSAGES = 3
#: A stretch is chosen to fit a passage, so its hit must score this much above ``min_score``:
#: on the where-from benchmark, stretches of quotations in chat scored 96-100 (a few 85-89),
#: stretches of sentences from other novels 85-91.
STRETCH_MARGIN = 7.0

_BLOCKQUOTE = re.compile(r"^\s*>>>\s?(?P<rest>[\s\S]*)$|^\s*>\s?(?P<line>.*)$", re.MULTILINE)
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|«([^»]+)»|„([^“”]+)[“”]|「([^」]+)」")
#: Single quotation marks: opening after no letter, closing before no letter, so that an
#: apostrophe inside a word ("isn't") is neither.
_SINGLE = re.compile(r"(?<![\w’'])[‘']((?:[^‘’']|[’'](?=\w))+?)[’'](?![\w’'])")
_WORD = re.compile(r"\w+")
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
        """Whether the hit scores high enough, on enough words, to be called the source: at
        least :data:`MIN_MATCHED_WORDS` matched words, or half the passage's words."""
        if self.hit.score < self.min_score:
            return False
        passage_words = len(_WORD.findall(self.hit.passage.text))
        return self.matched_words >= min(MIN_MATCHED_WORDS, max(1, (passage_words + 1) // 2))

    @property
    def matched_words(self) -> int:
        """How many words match: those of the highlighted span, at most those searched."""
        matched = len(_WORD.findall(self.hit.matched_text))
        return min(matched, len(_WORD.findall(self.searched)))

    @property
    def score(self) -> float:
        """The hit's score, 0-100."""
        return self.hit.score


def quoted_part(text: str) -> str:
    """The first of :func:`quoted_parts`: what ``text`` marks as quoted, else the whole text."""
    parts = quoted_parts(text)
    return parts[0] if parts else ""


def quoted_parts(text: str) -> list[str]:
    """What ``text`` marks as quoted, best first, then the whole text; Discord markup removed.

    Its ``>`` block-quote lines (joined) if any, else its quoted spans of at least
    :data:`MIN_QUOTED_WORDS` words: the longest in double marks (“…”, "…", «…», „…“, 「…」),
    then the longest in single ones (‘…’, '…'); then the whole text. ``[]`` when nothing is
    left.
    """
    clean = _MARKUP.sub(" ", text)
    whole = " ".join(clean.split())
    block = [
        (m["rest"] if m["rest"] is not None else m["line"]) or ""
        for m in _BLOCKQUOTE.finditer(clean)
    ]
    block_text = " ".join(part.strip() for part in block if part.strip())
    if block_text:
        return list(dict.fromkeys([" ".join(block_text.split()), whole]))
    parts: list[str] = []
    for pattern in (_QUOTED, _SINGLE):
        spans = [next(g for g in m.groups() if g is not None) for m in pattern.finditer(clean)]
        spans = [" ".join(s.split()) for s in spans if len(s.split()) >= MIN_QUOTED_WORDS]
        parts += [max(spans, key=len)] if spans else []
    return [part for part in dict.fromkeys([*parts, whole]) if part]


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
    """The passage ``text`` (a chat message) most likely quotes: the best hit over the windows
    of its :func:`quoted_parts`, tried in turn until one is :attr:`~Provenance.accepted`
    (scores ``min_score`` or more on enough words); ``None`` when nothing in the text can be
    searched or nothing resembles a passage at all.

    Each part: its sentence windows (at most :data:`MAX_WINDOWS`); if none is accepted, its word
    windows (at most :data:`MAX_WORD_WINDOWS`); if still none, the stretch of its words that best
    matches each of the :data:`STRETCH_PASSAGES` best passages found so far
    (:func:`matching_stretch`; those of :data:`STRETCH_MIN_WORDS` words or more), one index
    search each, accepted :data:`STRETCH_MARGIN` above ``min_score``.
    """
    best: Provenance | None = None
    for part in quoted_parts(text):
        found = _search(index, search_windows(part), min_score)
        if not _accepted(found) and len(part.split()) > WORD_WINDOW:
            found += _search(index, word_windows(part), min_score)
        if not _accepted(found) and len(part.split()) > STRETCH_WORDS:
            stricter = min(100.0, min_score + STRETCH_MARGIN)
            found += _search(index, _stretches(part, found), stricter)
        if found:
            candidate = max(found, key=lambda p: (p.accepted, p.score))
            if best is None or (candidate.accepted, candidate.score) > (best.accepted, best.score):
                best = candidate
        if best is not None and best.accepted:
            return best
    return best


def _accepted(found: Sequence[Provenance]) -> bool:
    return any(p.accepted for p in found)


def _search(index: SearchIndex, windows: Sequence[str], min_score: float) -> list[Provenance]:
    """The best hit of each window (windows that cannot be searched are skipped)."""
    found: list[Provenance] = []
    for window in windows:
        try:
            hits = index.search(window, limit=1, threshold=0.0, max_chars=WINDOW_CHARS * 2)
        except (QueryError, NotFound):
            continue
        found.append(Provenance(hits[0], window, min_score))
    return found


def _stretches(part: str, found: Sequence[Provenance]) -> list[str]:
    """The best-matching stretch of ``part`` for each of the best passages in ``found``."""
    passages: dict[tuple[str, int, int], str] = {}
    for p in sorted(found, key=lambda p: -p.score):
        key = (p.hit.passage.document_id, p.hit.passage.paragraph, p.hit.passage.start)
        passages.setdefault(key, p.hit.passage.text)
    stretches = [
        matching_stretch(part, text) for text in list(passages.values())[:STRETCH_PASSAGES]
    ]
    return list(dict.fromkeys(s for s in stretches if s and len(s.split()) >= STRETCH_MIN_WORDS))


def matching_stretch(text: str, passage: str, *, words: int = STRETCH_WORDS) -> str | None:
    """The run of ``text``'s words that best matches ``passage``, or ``None``.

    Slides a run of ``words`` words over ``text`` and keeps the one with the highest rapidfuzz
    ``partial_ratio`` against ``passage`` (both normalised by
    :func:`~bot.core.search.match_key`), then grows it a word at a time, right or left, while
    its score stays within :data:`STRETCH_SLACK` of that run's and it is no longer than the
    passage: the quotation inside the chat around it. ``None`` when ``text`` has fewer words or
    the best run scores under :data:`MIN_SCORE`.
    """
    tokens = text.split()
    keys = [match_key(token) for token in tokens]
    target = match_key(passage)
    if len(tokens) < words or not target:
        return None

    def score(i: int, j: int) -> float:
        return float(fuzz.partial_ratio(" ".join(k for k in keys[i:j] if k), target))

    scores = [score(i, i + words) for i in range(len(tokens) - words + 1)]
    start = max(range(len(scores)), key=scores.__getitem__)
    if scores[start] < MIN_SCORE:
        return None
    floor = scores[start] - STRETCH_SLACK
    i, j, longest = start, start + words, len(target.split()) + 2
    while j - i < longest:
        if j < len(tokens) and score(i, j + 1) >= floor:
            j += 1
        elif i > 0 and score(i - 1, j) >= floor:
            i -= 1
        else:
            break
    return " ".join(tokens[i:j])

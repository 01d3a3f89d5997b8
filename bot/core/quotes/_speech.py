"""Quoted speech in a paragraph and who said it: :func:`extract_speech` and :class:`SpeechSpan`.

The speech-tag grammar ("as X said", "“…,” said X", "X argued that “…”", "according to X") and
the rules that join speech interrupted by its own tag.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.models import Paragraph
from bot.core.quotes._lexicon import WORD as _WORD
from bot.core.quotes._marks import _after_window, _before_window, _quoted_spans, _terminators
from bot.core.quotes._names import (
    _MENTION,
    _NAME,
    _TOKEN,
    _canonical,
    _clean_name,
    _core,
    _name_runs,
)

MIN_SPEECH_WORDS = 5
"""Quoted speech of fewer words is a scare quote or a cited phrase, never a quote on its own."""


@dataclass(frozen=True, slots=True)
class SpeechSpan:
    """A quoted span of a paragraph.

    Attributes:
        start/end: offsets of the words inside the marks in ``Paragraph.text`` (end exclusive;
            ``paragraph.text[start:end] == text``).
        mark_start/mark_end: offsets including the quotation marks (``mark_end == len(text)`` of
            the paragraph when the quote is still open at the paragraph's end).
        text: the words inside the quotation marks, verbatim (surrounding spaces stripped).
        speaker: who said it when the text says so nearby (see :func:`extract_speech`), else
            ``None``.
        depth: 0 for a top-level quote, 1 for a quote nested in another, and so on.
        closed: ``False`` when the paragraph ends before the closing mark (novels open each
            paragraph of a long speech without closing the previous one).
        opened: ``False`` when the paragraph starts inside speech continued from the previous
            paragraph (its first double mark is a closing one); then ``start == mark_start == 0``
            (after leading spaces).
        pronoun: "he" or "she" when the speech tag is a pronoun this paragraph alone cannot
            resolve ("“…,” she replied." opening a paragraph); the dialogue around it may
            (see ``_dialogue``).
        joint: ``True`` when the tag names several people ("said Catherine and Lydia").
        narrator: ``True`` when the tag is in the first person ("I replied", "said I"): the
            narrator speaks, who has no name here (``speaker`` stays ``None``).
        unnamed: ``True`` when the tag names someone by description, not by name ("shouted the
            harpooneers", "said the old man"): a turn by someone the text does not name.
        continues: ``True`` when this top-level span resumes the previous top-level span's
            speech by the same speaker after a speech tag or a few linking words, in the same
            sentence (the second span of "“Their conduct has been such,” replied Elizabeth, “as
            neither you …”" or of "“jaw jaw” is better than “war war”"); see
            :func:`extract_speech`.
    """

    start: int
    end: int
    mark_start: int
    mark_end: int
    text: str
    speaker: str | None = None
    depth: int = 0
    closed: bool = True
    opened: bool = True
    continues: bool = False
    pronoun: str | None = None
    joint: bool = False
    narrator: bool = False
    unnamed: bool = False

    @property
    def word_count(self) -> int:
        """Number of words inside the marks."""
        return len(_WORD.findall(self.text))

    @property
    def quotable(self) -> bool:
        """Whether this span can be posted as a quote on its own: top level, closed, at least
        :data:`MIN_SPEECH_WORDS` words. Shorter spans ("Rocket Man") are scare quotes."""
        return self.depth == 0 and self.closed and self.word_count >= MIN_SPEECH_WORDS


_PRONOUN = r"(?:[Hh]e|[Ss]he)"
_PRONOUN_WORD = re.compile(_PRONOUN)
_CLAUSE_BREAK = re.compile(r"[.;!?,]")
_AUX = r"(?:(?:has|had|have|once|famously|memorably|later|also|then|rightly|would|will)\s+)*"
_VERB = (
    r"(?:said|says|say|argued|argues|wrote|writes|declared|declares|told|tells|asked|asks|added|"
    r"adds|replied|replies|insisted|insists|claimed|claims|warned|warns|noted|notes|observed|"
    r"observes|remarked|remarks|concluded|concludes|stated|states|explained|explains|cried|"
    r"exclaimed|answered|answers|continued|whispered|shouted|called|recalled|recalls|urged|urges|"
    r"quipped|joked|admitted|admits|conceded|concedes|announced|proclaimed|put\s+it|puts\s+it|"
    r"reminded|suggested|suggests|wondered|muttered|murmured|retorted|responded|repeated|"
    r"cautioned|pleaded|begged|thought|sighed|laughed|agreed|began|went\s+on)"
)
_BEFORE_PATTERNS = (
    re.compile(rf"\b[Aa]s\s+(?P<who>{_NAME}|{_PRONOUN}),?\s+{_AUX}{_VERB}\s*[,:]?\s*$"),
    re.compile(
        rf"\b(?:[Aa]ccording\s+to|[Ii]n\s+the\s+words\s+of|[Tt]o\s+quote)\s+"
        rf"(?P<who>{_NAME})\s*[,:]?\s*$"
    ),
    re.compile(rf"\b{_VERB}\s+(?P<who>{_NAME})\s*[,:]\s*$"),
    re.compile(
        rf"(?:^|[^\w’'])(?P<who>{_NAME}|{_PRONOUN}),?\s+{_AUX}{_VERB}"
        rf"(?:\s*[,:]\s*|\s+that\s+|\s+)$"
    ),
)
_AFTER_PATTERNS = (
    re.compile(rf"^\s*[,:]?\s*{_AUX}{_VERB}\s+(?P<who>{_NAME})\b"),
    re.compile(rf"^\s*[,:]?\s*(?P<who>{_NAME}|{_PRONOUN}),?\s+{_AUX}{_VERB}\b"),
    re.compile(
        rf"^\s*[,:]?\s*(?:according\s+to|in\s+the\s+words\s+of)\s+(?P<who>{_NAME})",
        re.IGNORECASE,
    ),
)
_FIRST_PERSON_BEFORE = re.compile(rf"(?:^|[^\w’'])I,?\s+{_AUX}{_VERB}\s*[,:]\s*$")
_FIRST_PERSON_AFTER = re.compile(rf"^\s*[,:]?\s*(?:I,?\s+{_AUX}(?:{_VERB}|[a-z]+ed)|{_VERB}\s+I)\b")
_UNNAMED_AFTER = re.compile(
    rf"^\s*[,:]?\s*{_VERB}\s+(?:the|a|an|one|some|several|his|her|their|my|our|another)\s+[a-z]"
)


def _untagged_kind(before: str, after: str) -> str:
    """ "narrator" for a first-person tag ("I replied", "said I"), "unnamed" for a tag naming
    someone by description ("shouted the harpooneers"), else ""."""
    if _FIRST_PERSON_BEFORE.search(before) or _FIRST_PERSON_AFTER.match(after):
        return "narrator"
    if _UNNAMED_AFTER.match(after):
        return "unnamed"
    return ""


@dataclass(slots=True)
class _Found:
    open_at: int
    close_at: int
    depth: int
    closed: bool
    speaker: str | None = None
    how: str = ""  # "before", "after", "inherited", "joint"
    continues: bool = False
    pronoun: str | None = None


def extract_speech(paragraph: Paragraph) -> list[SpeechSpan]:
    """Quoted spans of a paragraph with their speakers, in text order.

    Quotation marks: straight ``"…"`` and curly ``“…”`` double quotes, guillemets ``«…»``, and
    single quotes ``‘…’``/``'…'`` when they are clearly quotes: a mark with a letter on both sides
    (``Kim’s``, ``don’t``) is an apostrophe, a right mark opening a word (``’tis``, ``’90s``) an
    elision, and ``students’ books`` a plural possessive unless no other closing mark follows.
    Straight marks open after a space or opening punctuation and close before a space or
    punctuation; an ambiguous one closes an open quote or opens a new one. Quotes nest (a single
    quote inside a double one has ``depth`` 1) and may span several sentences of the paragraph; a
    double quote still open at the paragraph's end runs to it (``closed=False``).

    Speakers (top-level spans only; nested quotes are someone else's words and get ``None``),
    searched in the same sentence, first before the quote then after it:

    * before: "as Winston Churchill said, “…”", "as X put it, …", "X said: “…”", "X has said,
      “…”", "X argued that “…”", "according to X, “…”", "in the words of X, “…”", "…,” said
      Elizabeth, “…”";
    * after: "“…”, he argued", "“…,” said Elizabeth", "“…”, X said";
    * "he"/"she" resolve to the speaker of the paragraph's previous attributed quote when no
      other person is named in between, else to the only person named (with a title, e.g. "Mr
      Kim") earlier in the paragraph; otherwise ``None``;
    * a quote with no attribution of its own inherits the previous quote's speaker when the two
      are joined by at most six words with no sentence or clause break ("as Churchill said,
      “jaw jaw” is better than “war war”"), or when it resumes after the speaker's own
      interruption, a tag of at most twelve words ending with a comma, colon or semicolon
      ("“Go,” said Anne, turning to Bob, “now.”", "“…,” said Anne; “…”");
    * names are given in their fullest form found in the paragraph ("President Reagan" becomes
      "Ronald Reagan" when the paragraph also says "President Ronald Reagan");
    * a tag naming several people ("said Catherine and Lydia", "Jane and Elizabeth said") gives
      ``None``, and the next quote does not inherit from it.

    A span whose speech runs on from the previous top-level span of the same speaker (see
    :func:`_resumes`) has ``continues=True``; :class:`QuoteBook` joins such spans into one quote.

    A paraphrase without quotation marks ("X has said, the programme is …") is not speech.
    Returns an empty list when the paragraph has no quotation marks.
    """
    text = paragraph.text
    raw = _quoted_spans(text)
    if not raw:
        return []
    found = [_Found(o, c, d, closed) for o, c, d, closed in raw]
    top = [f for f in found if f.depth == 0]
    known = _name_runs(text)

    previous: _Found | None = None
    last_attributed: _Found | None = None
    for index, span in enumerate(top):
        left_limit = previous.close_at + 1 if previous is not None else 0
        before = _before_window(text[left_limit : max(0, span.open_at)])
        next_open = top[index + 1].open_at if index + 1 < len(top) else len(text)
        after = _after_window(text[span.close_at + 1 : next_open]) if span.closed else ""
        who = _match(_BEFORE_PATTERNS, before)
        how = "before"
        if who is None:
            who, how = _match(_AFTER_PATTERNS, after), "after"
        if who == _JOINT:  # "said Catherine and Lydia": several people, no single speaker
            span.how = "joint"
            previous = span
            continue
        if who is None and _untagged_kind(before, after):
            span.how = _untagged_kind(before, after)  # "I replied", "said the old man"
            previous = span
            continue
        if (
            who is None
            and previous is not None
            and previous.how in ("narrator", "unnamed")
            and _interrupted(text, previous, span)  # "“…,” said my sister, “and …”"
        ):
            span.how = previous.how
            span.continues = _resumes(text, previous, span)
            previous = span
            continue
        if who is not None and _PRONOUN_WORD.fullmatch(who):
            gap_start = last_attributed.close_at if last_attributed is not None else 0
            gap = text[gap_start : max(0, span.open_at)]
            pronoun = who.casefold()
            who = _resolve_pronoun(gap, last_attributed, known)
            if who is None:
                span.pronoun = pronoun
        elif who is not None:
            who = _clean_name(who)
        if who is None and _inherits(text, previous, span):
            assert previous is not None
            who, how = previous.speaker, "inherited"
        if who is not None:
            span.speaker = _canonical(who, known)
            span.how = how
            last_attributed = span
            span.continues = previous is not None and _resumes(text, previous, span)
        previous = span

    return [_span(text, f) for f in found]


def _interrupted(text: str, previous: _Found, span: _Found) -> bool:
    """Whether ``span`` resumes ``previous`` after a short tag of at most twelve words ending with
    a comma, colon or semicolon ("“Go,” said Anne, turning to Bob, “now.”")."""
    between = text[previous.close_at + 1 : max(0, span.open_at)]
    return (
        len(_WORD.findall(between)) <= 12
        and not _terminators(between)
        and between.rstrip().endswith((",", ":", ";"))
    )


def _inherits(text: str, previous: _Found | None, span: _Found) -> bool:
    """Whether an unattributed ``span`` takes the previous span's speaker: joined to it by at most
    six words with no clause break ("“jaw jaw” is better than “war war”"), or resuming after the
    speaker's own interruption ("“Go,” said Anne, turning to Bob, “now.”")."""
    if previous is None or previous.speaker is None:
        return False
    between = text[previous.close_at + 1 : max(0, span.open_at)]
    words = len(_WORD.findall(between))
    joined = words <= 6 and not _CLAUSE_BREAK.search(between)
    interrupted = (
        previous.how == "after"
        and words <= 12
        and not _terminators(between)
        and between.rstrip().endswith((",", ":", ";"))
    )
    return joined or interrupted


def _span(text: str, f: _Found) -> SpeechSpan:
    """The public span for a found quote: offsets inside the marks, surrounding spaces dropped."""
    start, end = f.open_at + 1, f.close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return SpeechSpan(
        start=start,
        end=end,
        mark_start=max(0, f.open_at),
        mark_end=f.close_at + 1 if f.closed else len(text),
        text=text[start:end],
        speaker=f.speaker,
        depth=f.depth,
        closed=f.closed,
        opened=f.open_at >= 0,
        continues=f.continues,
        pronoun=f.pronoun,
        joint=f.how == "joint",
        narrator=f.how == "narrator",
        unnamed=f.how == "unnamed",
    )


_JOINT = ""
"""What :func:`_match` returns for a tag naming several speakers ("said Catherine and Lydia")."""
_JOINT_AFTER = re.compile(rf"\s+(?:and|&)\s+(?:{_NAME}|(?:her|his|their)\s+[a-z]+)")
_JOINT_BEFORE = re.compile(
    rf"(?:{_TOKEN}|\b[Hh]e|\b[Ss]he|\bI|\b(?:her|his|their)\s+[a-z]+)\s*,?\s+(?:and|&)\s+$"
)


def _match(patterns: Sequence[re.Pattern[str]], window: str) -> str | None:
    """The speaker named by the first pattern that matches ``window``; :data:`_JOINT` when the
    tag names several people ("said Catherine and Lydia", "Jane and Elizabeth cried")."""
    for pattern in patterns:
        m = pattern.search(window)
        if m is None:
            continue
        who = m.group("who")
        if not (_PRONOUN_WORD.fullmatch(who) or _clean_name(who) is not None):
            continue
        if _JOINT_AFTER.match(window, m.end("who")) or _JOINT_BEFORE.search(
            window[: m.start("who")]
        ):
            return _JOINT
        return who
    return None


def _resumes(text: str, previous: _Found, span: _Found) -> bool:
    """Whether ``span`` continues ``previous``'s speech (same speaker): the two are closed/opened,
    joined by at most twelve words with no sentence break, and the speech visibly runs on — the
    speaker was inherited across a short link ("“jaw jaw” is better than “war war”"), the first
    part ends with a comma, colon, semicolon or dash, or the second starts in lower case
    ("“Their conduct has been such,” replied Elizabeth, “as neither …”")."""
    if previous.speaker != span.speaker or not previous.closed or span.open_at < 0:
        return False
    between = text[previous.close_at + 1 : span.open_at]
    if _terminators(between) or len(_WORD.findall(between)) > 12:
        return False
    first = text[max(0, previous.open_at + 1) : previous.close_at].rstrip()
    if first.endswith((".", "!", "?", "…")):  # a finished sentence is not resumed ("“Yes.” …")
        return False
    second = _WORD.search(text, span.open_at + 1, span.close_at)
    return (
        span.how in ("inherited", "narrator", "unnamed")
        or first.endswith((",", ";", ":", "—", "–", "-"))
        or (second is not None and second.group(0)[0].islower())
    )


def _resolve_pronoun(gap: str, last: _Found | None, known: Sequence[str]) -> str | None:
    """'he'/'she' -> the previous speaker if nobody else is named in ``gap``, else the only titled
    person named in ``gap``."""
    named = {_core(m.group(0))[-1] for m in _MENTION.finditer(gap)}
    if last is not None and last.speaker is not None:
        others = named - {_core(last.speaker)[-1]}
        return last.speaker if not others else None
    if len(named) == 1:
        mention = next(m.group(0) for m in _MENTION.finditer(gap))
        return _clean_name(mention)
    return None


# ---------------------------------------------------------------------------------------------
# The quote book
# ---------------------------------------------------------------------------------------------

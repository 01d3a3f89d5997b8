"""Speakers across paragraphs: pronoun tags and untagged turns, resolved from the dialogue around them.

:func:`extract_speech` reads one paragraph; in a novel the tag often lies outside it ("“…,” she
replied." opens a paragraph, and a back-and-forth runs on with no tags at all). The rules here
follow the turn-taking conventions that rule-based quote attribution relies on (He, Barbosa &
Kondrak 2013, "Identification of Speakers in Novels", ACL; Muzny, Fang, Chang & Jurafsky 2017,
"A Two-stage Sieve Approach for Quote Attribution", EACL), kept to the high-precision ones:

* a paragraph that opens inside speech left open by the paragraph before it (a long speech or a
  letter) continues that speaker;
* a pronoun tag ("he said", "she added") names the one person of that gender found first in, by
  order: the person the previous speech addressed by name ("My dear Emma, …"); the people the
  paragraph names before the quote; those the narration of the three paragraphs before names; the recent
  speakers (where the previous paragraph's speaker gives way to the one other person of that
  gender: a new paragraph is usually a new turn). Two people of that gender at the first step
  that finds any: unsure;
* an untagged speech paragraph right after two speech paragraphs by A then B is A's (turns
  alternate), unless its narration names someone else, its speech addresses A by name, or the
  previous speech addressed someone other than A by name; a first-person tag ("I replied") is a
  turn of the narrator and a tag like "said the old man" one of someone unnamed: they take part
  in the alternation but are never shown as speakers;
* a name's gender comes from its title ("Mr", "Lady", "Captain") or, for a first name, from the
  pronoun that first follows it within 30 characters of a sentence ("she", "he", "his"; a
  reflexive "herself"/"himself" counts three times): at least 6 votes, 60% of them one way.

When a rule does not apply the speaker stays unknown: no speaker is better than a wrong one.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Collection, Sequence

from bot.core.models import Document
from bot.core.quotes._names import _core, _titles_of
from bot.core.quotes._speech import SpeechSpan

_MALE_TITLES = frozenset(
    [
        "mr",
        "sir",
        "lord",
        "master",
        "captain",
        "capt",
        "colonel",
        "col",
        "general",
        "gen",
        "major",
        "admiral",
        "lieutenant",
        "lt",
        "king",
        "prince",
        "duke",
        "earl",
        "count",
        "baron",
        "father",
        "brother",
        "uncle",
        "reverend",
        "rev",
    ]
)
_FEMALE_TITLES = frozenset(
    [
        "mrs",
        "miss",
        "ms",
        "lady",
        "madam",
        "mlle",
        "dame",
        "queen",
        "princess",
        "duchess",
        "countess",
        "baroness",
        "aunt",
        "sister",
    ]
)
_TITLE_END = re.compile(
    r"\b(?:" + "|".join(sorted(_MALE_TITLES | _FEMALE_TITLES)) + r")\.?\s*$", re.IGNORECASE
)
"""A title right before a name ("…, Captain Ahab"): the name is still addressed."""
_PRONOUN_AFTER = re.compile(r"\b([Hh]e|[Ss]he|[Hh]is|[Hh]imself|[Hh]erself)\b")
_EVIDENCE = {
    "he": ("m", 1),
    "his": ("m", 1),
    "himself": ("m", 3),
    "she": ("f", 1),
    "herself": ("f", 3),
}
"""What a pronoun right after a name says of its gender, and how strongly ("her" says nothing:
it is as often someone else's)."""
_RECENT = 6
"""Speech paragraphs whose speakers a pronoun tag may name."""
_BREAK = 3
"""Narration paragraphs in a row that end a dialogue."""
_SCENE = 3
"""Paragraphs whose narration may name the person a pronoun tag stands for."""
_NARRATOR = "\x00narrator"
_SOMEONE = "\x00someone"
"""Turns of the first-person narrator and of someone unnamed: never shown as a speaker."""


def _gender_of_title(name: str) -> str | None:
    titles = _titles_of(name).split()
    if not titles:
        return None
    if titles[0] in _MALE_TITLES:
        return "m"
    if titles[0] in _FEMALE_TITLES:
        return "f"
    return None


def whole_words(words: Collection[str]) -> re.Pattern[str]:
    """``\\b(word1|word2|…)\\b``, written so that each alternative opens with its first
    character and tests the word boundary just after it (``E(?<!\\w.)lizabeth``, the same
    condition): the scan then jumps between the characters that can open a match instead of
    trying every alternative at every position."""
    alternatives = []
    for word in words:
        boundary = r"(?<!\w.)" if _WORD_CHAR.match(word) else r"(?<=\w.)"
        alternatives.append(re.escape(word[0]) + boundary + re.escape(word[1:]))
    return re.compile("(" + "|".join(alternatives) + r")\b")


_WORD_CHAR = re.compile(r"\w")


def _genders(document: Document, names: Collection[str]) -> dict[str, str]:
    """Each name's gender, "m" or "f", where the title or the narration says so clearly. Of the
    names sharing a first name, only the last in sorted order gets it from the narration
    (usually the fullest: "Herbert Pocket", not "Herbert"), so a pronoun stays unsure between
    them; sorted, so that every process gives the same answer."""
    genders: dict[str, str] = {}
    firsts: dict[str, list[str]] = {}
    for name in sorted(names):
        titled = _gender_of_title(name)
        if titled is not None:
            genders[name] = titled
        elif not _titles_of(name):
            firsts.setdefault(_core(name)[0], []).append(name)
    if not firsts:
        return genders
    votes: dict[str, Counter[str]] = {first: Counter() for first in firsts}
    token = whole_words(firsts)
    for paragraph in document.paragraphs:
        for sentence in paragraph.sentences:
            for m in token.finditer(sentence.text):
                after = _PRONOUN_AFTER.search(sentence.text, m.end(), m.end() + 30)
                if after is not None:
                    gender, weight = _EVIDENCE[after.group(1).casefold()]
                    votes[m.group(1)][gender] += weight
    for first, named in firsts.items():
        for top, count in votes[first].most_common(1):
            if sum(votes[first].values()) >= 6 and count >= 0.6 * sum(votes[first].values()):
                genders[named[-1]] = top
    return genders


@dataclasses.dataclass(slots=True)
class _Turns:
    """The dialogue so far: speakers of recent speech paragraphs, most recent last."""

    speakers: list[str | None] = dataclasses.field(default_factory=list)
    quiet: int = 0  # narration paragraphs since the last speech paragraph
    open_speaker: str | None = None  # speaker of speech left open at the previous paragraph's end

    def recent(self) -> list[str]:
        """Distinct known speakers of the recent turns, most recent first."""
        out: list[str] = []
        for speaker in reversed(self.speakers[-_RECENT:]):
            if speaker is not None and speaker not in out and speaker[0] != "\x00":
                out.append(speaker)
        return out


def _by_pronoun(
    pronoun: str, tiers: Sequence[Sequence[str]], genders: dict[str, str], previous: str | None
) -> str | None:
    """The one person of the pronoun's gender in the first tier that has any; ``None`` when that
    tier holds several, or the one found is of unknown gender (unsure). In the last tier (recent speakers) the previous paragraph's
    speaker gives way to the one other person of that gender."""
    wanted = "m" if pronoun == "he" else "f"
    for number, tier in enumerate(tiers, 1):
        # a person whose gender is not known might be the one: counted as a fit
        fits = list(dict.fromkeys(name for name in tier if genders.get(name, wanted) == wanted))
        if number == len(tiers) and len(fits) == 2 and previous in fits:
            fits.remove(previous)
        if len(fits) == 1:
            return fits[0] if fits[0] in genders else None
        if fits:
            return None
    return None


def _mentions(text: str, known: dict[str, re.Pattern[str]]) -> list[str]:
    """Known speakers named in ``text``, in order of their last mention (last first)."""
    # ``name in text`` first: a name's pattern can only match where the name is a substring
    found = [
        (m.start(), name) for name, p in known.items() if name in text for m in p.finditer(text)
    ]
    out: list[str] = []
    for _, name in sorted(found, reverse=True):
        if name not in out:
            out.append(name)
    return out


_LOOK_BEHIND = 80
"""Characters before a name read to decide whether it is addressed ("my dear Captain Ahab"):
reading the whole span before it made a speech span of a one-line book quadratic."""


def _addressed(
    spans: Sequence[SpeechSpan], known: dict[str, re.Pattern[str]]
) -> tuple[list[str], list[str]]:
    """Known speakers the paragraph's speech addresses by name ("My dear Emma, …", "…, Fanny."):
    those addressed by title and name too ("…, Captain Ahab"), then those by name alone (one
    pass over the names for both lists)."""
    titled: list[str] = []
    plain: list[str] = []
    for span in spans:
        if span.depth:
            continue
        for name, pattern in known.items():
            if name not in span.text:  # the pattern cannot match; skipping it is 10x cheaper
                continue
            for m in pattern.finditer(span.text):
                after = span.text[m.end() : m.end() + 1]
                if after and after not in ",.!?;—-":
                    continue
                before = span.text[max(0, m.start() - _LOOK_BEHIND) : m.start()]
                if _addresses(_TITLE_END.sub("", before).rstrip()):
                    titled.append(name)
                if _addresses(before.rstrip()):
                    plain.append(name)
    return titled, plain


def _addresses(before: str) -> bool:
    """Whether the words before a name make it addressed: nothing, a clause break, "my dear"."""
    return not before or before[-1] in ",;!?—-" or before.endswith(("dear", "dearest", "my"))


def _by_alternation(
    turns: _Turns, narration: str, known: Collection[str], addressed: Sequence[Sequence[str]]
) -> str | None:
    """The speaker of the turn before last, or a sentinel (:data:`_NARRATOR`); ``None`` when
    unsure. ``addressed`` holds whom the previous and this paragraph's speech address by name."""
    if turns.quiet or len(turns.speakers) < 2:
        return None
    before, last = turns.speakers[-2], turns.speakers[-1]
    if before is None or last is None or before == last:
        return None
    if any(_core(name)[-1] in narration for name in known if name not in (before, last)):
        return None
    previous, own = addressed
    if before in own or any(name != before for name in previous):
        return None
    return before


def resolve_dialogue(
    document: Document, spans: Sequence[Sequence[SpeechSpan]]
) -> list[list[SpeechSpan]]:
    """``spans[i]`` (from :func:`extract_speech` of paragraph ``i``) with speakers filled in by
    the rules of the module docstring; spans already attributed are kept as they are."""
    # sorted: the same answer in every process (a set's order depends on the hash seed)
    known = sorted({s.speaker for paragraph in spans for s in paragraph if s.speaker})
    genders = _genders(document, known)
    patterns = {name: re.compile(rf"(?<![\w’']){re.escape(name)}(?![\w’'])") for name in known}
    turns = _Turns()
    out: list[list[SpeechSpan]] = []
    narrations: list[str] = []  # narration of the last paragraphs, most recent last
    addressed: list[str] = []
    vocative: list[str] = []  # whom the previous paragraph's speech addressed, titles allowed
    for paragraph, found in zip(document.paragraphs, spans, strict=True):
        top = [s for s in found if s.depth == 0]
        if not top:
            turns.quiet += 1
            if turns.quiet >= _BREAK:
                turns.speakers.clear()
            turns.open_speaker = None
            out.append(list(found))
            narrations, addressed, vocative = [*narrations[-(_SCENE - 1) :], paragraph.text], [], []
            continue
        narration = _narration(paragraph.text, top)
        tagged = any(s.speaker or s.pronoun or s.joint or s.narrator or s.unnamed for s in top)
        own, addressed_now = _addressed(top, patterns)
        resolved: list[SpeechSpan] = []
        for span in found:
            speaker = span.speaker
            if speaker is None and span.depth == 0 and not span.joint:
                if span.narrator or span.unnamed:
                    speaker = _NARRATOR if span.narrator else _SOMEONE
                elif span.mark_start == 0 and turns.open_speaker is not None:
                    speaker = turns.open_speaker
                elif span.pronoun is not None:
                    tiers = (
                        addressed,
                        _mentions(paragraph.text[: span.mark_start], patterns),
                        _mentions(" ".join(narrations), patterns),
                        turns.recent(),
                    )
                    previous = turns.speakers[-1] if turns.speakers else None
                    speaker = _by_pronoun(span.pronoun, tiers, genders, previous)
                elif not tagged:
                    speaker = _by_alternation(turns, narration, known, (vocative, own))
            resolved.append(dataclasses.replace(span, speaker=speaker) if speaker else span)
        first = next((s.speaker for s in resolved if s.depth == 0 and s.speaker), None)
        turns.speakers.append(first)
        turns.quiet = 0
        last = [s for s in resolved if s.depth == 0][-1]
        turns.open_speaker = last.speaker if not last.closed else None
        resolved = [_shown(s) for s in resolved]
        out.append(resolved)
        narrations = [*narrations[-(_SCENE - 1) :], narration]
        addressed = addressed_now  # resolved speakers do not change the spans' text
        vocative = own
    return out


def _shown(span: SpeechSpan) -> SpeechSpan:
    """``span`` with a sentinel speaker (narrator, someone unnamed) replaced by ``None``."""
    if span.speaker is not None and span.speaker[0] == "\x00":
        return dataclasses.replace(span, speaker=None)
    return span


def _narration(text: str, top: Sequence[SpeechSpan]) -> str:
    """The paragraph's words outside its top-level quotation marks."""
    parts, at = [], 0
    for span in top:
        parts.append(text[at : span.mark_start])
        at = span.mark_end
    parts.append(text[at:])
    return " ".join(parts)

"""The phrasing patterns the quotability features test (see ``_scoring``)."""

from __future__ import annotations

import re

from bot.core.quotes._lexicon import words


def _lower_literals(source: str) -> str:
    """``source`` with its letters in lower case, escapes (``\\W``, ``\\b``, …) kept."""
    out, escaped = [], False
    for char in source:
        out.append(char if escaped else char.lower())
        escaped = not escaped and char == "\\"
    return "".join(out)


class Caseless:
    """A case-insensitive pattern, with a fast path for ASCII text (all but a few sentences of
    the novels): on a sentence lowered with ``str.lower``, the pattern with its letters lowered
    and without ``re.IGNORECASE`` matches at the same places (ASCII lowering keeps every
    character's place and word class) and is 2-3x cheaper; ``needles`` (lower case), when given,
    are substrings one of which every match holds, so most sentences skip the search.

    ``keys`` and ``exact`` work on the sentence's words instead (its lower-case ``\\w`` runs, a
    set computed once per sentence): every match holds one of ``keys`` as a whole run, so a
    sentence with none of them is no match without a search; a run in ``exact`` is a match by
    itself (an alternative ``\\b(?:never|always)\\b`` matches exactly where a run is that word)."""

    __slots__ = ("_exact", "_lowered", "_needles", "keys", "pattern")

    def __init__(
        self,
        source: str,
        needles: tuple[str, ...] = (),
        *,
        keys: str = "",
        exact: str = "",
    ) -> None:
        self.pattern = re.compile(source, re.IGNORECASE)
        self._lowered = re.compile(_lower_literals(source))
        # one scan for any of the needles (a regular expression of literals)
        self._needles = re.compile("|".join(map(re.escape, needles))) if needles else None
        self._exact = frozenset(words(exact))
        self.keys = frozenset(words(keys)) | self._exact

    def search(
        self, text: str, lowered: str | None = None, runs: frozenset[str] | None = None
    ) -> bool:
        """Whether the pattern occurs in ``text``; pass ``lowered`` (``text.lower()``) only
        when ``text`` is ASCII, and ``runs`` (the set of ``\\w`` runs of ``lowered``, or its
        part in :data:`KEY_WORDS`) with it."""
        if lowered is None:
            return self.pattern.search(text) is not None
        if runs is not None and self.keys:
            if not self._exact.isdisjoint(runs):
                return True
            if self.keys.isdisjoint(runs):
                return False
        if self._needles is not None and self._needles.search(lowered) is None:
            return False
        return self._lowered.search(lowered) is not None


# Openers that point back to earlier text: demonstratives, personal pronouns, connectives.
DANGLING_OPENERS = re.compile(
    r"^\W*(?:either\s+way|on\s+the\s+other\s+hand|as\s+a\s+result|in\s+that\s+case|"
    r"coming\s+back|put\s+that\s+way|so\s+put|in\s+other\s+words|that\s+said|even\s+so|"
    r"this|that|these|those|it|it[’']s|they|they[’']re|he|she|him|her|them|such|"
    r"however|so|but|and|also|or|nor|yet|still|then|thus|therefore|hence|moreover|furthermore|"
    r"besides|meanwhile|instead|otherwise|indeed|likewise|similarly|nevertheless|nonetheless|"
    r"consequently|accordingly|anyway|again|here|there[’']s\s+that|for\s+(?:if|this|that|these))\b",
    re.IGNORECASE,
)
EXPLETIVE_IT = re.compile(
    r"^It(?:[’']s|\s+is|\s+was|\s+will\s+be|\s+would\s+be)\b[^.;?!]{0,60}?\b(?:that|to)\b"
)
DANGLING_REFERENCES = Caseless(
    r"\b(?:the\s+above|above[- ]mentioned|aforementioned|as\s+(?:mentioned|noted|discussed|shown)|"
    r"the\s+following|see\s+below|below|the\s+former|the\s+latter|this\s+(?:article|essay|post|"
    r"piece|book|chapter|report)|(?:this|last|next)\s+(?:week|month|year|time)|yesterday|today|"
    r"tomorrow|tonight|ago|recently|currently|put\s+that\s+way)\b",
    keys="above mentioned noted discussed shown following former latter article essay post piece "
    "book chapter report week month year time way",
    exact="aforementioned below yesterday today tomorrow tonight ago recently currently",
)
DEMONSTRATIVE_DETERMINER = re.compile(r"\b(?:these|those|this|that)\s+(?!is\b|was\b|of\b)[a-z]{3,}")
DEMONSTRATIVES = frozenset(words("these those this that"))
THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|they|them)\b", re.IGNORECASE)
THIRD_PERSON_WORDS = frozenset(words("he she him her they them"))
"""The words of :data:`THIRD_PERSON`: an ASCII sentence without one of them as a ``\\w`` run
(lowered) has no match."""
SECOND_PERSON = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
CITATION = Caseless(
    r"https?://|www\.|\[\d+\]|\(\s*\d{4}\s*\)|\bet\s+al\.|\bibid\b|\bpp?\.\s*\d|@\w|\bdoi:",
    ("://", "www.", "[", "(", "al.", "ibid", "p.", "@", "doi:"),
)
BOILERPLATE_START = re.compile(
    r"^\W*(?:(?:photo|photograph|image|source|related)\s*:|read\s+more\b|click\s+here\b|"
    r"subscribe\b|follow\s+us\b|share\s+this\b|advertisement\b|what[’']s\s+hot\b|sign\s+up\b|"
    r"copyright\b)",
    re.IGNORECASE,
)
"""Boilerplate at a sentence's start ("Photo: …", "Read more", "Subscribe …")."""
BOILERPLATE = Caseless(
    r"\bworks\s+(?:for|at)\b|"
    r"\bis\s+the\s+(?:co-?)?(?:author|founder|editor)\s+of\b|©|\ball\s+rights\s+reserved\b|"
    r"\bnewsletter\b|\bcookies?\s+policy\b",
    ("works", "author", "founder", "editor", "©", "rights", "newsletter", "cookie"),
)
"""Boilerplate anywhere in a sentence ("X works for …", "©", "All rights reserved")."""
BYLINE = re.compile(
    r"^\W*[Bb][Yy]\s+[A-Z][\w.’'-]*(?:,?\s+(?:[A-Z][\w.’'-]*|and|&|de|van|von))*\W*$"
)
"""A byline: "By" and names, nothing else ("By Jane Doe and John Smith"); "By degrees …" is prose."""
ASIDE = Caseless(
    r"[,;—–-]\s*(?:I\s+(?:hope|am\s+sure|assure\s+you|believe|suppose|know|think|fancy|dare\s+say|"
    r"declare|confess|own|must\s+say)|you\s+know|you\s+see|to\s+be\s+sure|I\s+am\s+afraid)\b"
    r"|\b(?:madam|ma[’']am|sir|my\s+dear(?:est)?|my\s+love)\s*[,.!?;]",
    keys="hope sure assure believe suppose know think fancy say declare confess own see afraid "
    "madam ma sir dear dearest love",
)
"""A conversational aside or address: ", I hope,", ", I am sure", ", you know", "madam,", "my
dear!" — a line spoken to someone in a scene rather than a general statement."""
REPLY_OPENER = re.compile(
    r"^\W*(?:yes|no|nay|aye|ay|oh|o|ah|aha|alas|well|very\s+well|indeed|pray|hush|hm+|why|what|"
    r"nonsense|true|certainly|to\s+be\s+sure|upon\s+my\s+word|dear\s+me|good\s+heavens?|"
    r"my\s+dear|sir|madam|ma[’']am)\b\W",
    re.IGNORECASE,
)
"""An answer or interjection opening a line of dialogue: "Yes, …", "Oh! …", "Very well, …",
"Why, …", "My dear, …" — a reply that leans on what was said before."""
VOCATIVE = re.compile(
    r"(?:^|,)\s*(?:(?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam|President|Prime\s+Minister)\.?\s+)?"
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s*,\s*(?=[a-z])"
    r"|(?:^|,)\s*(?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam|President)\.?\s+[A-Z][a-z]+\s*[,?!]"
)
ANTITHESIS = Caseless(
    r"\bnot\b[^.;?!]{1,80}?\bbut\b|\bnot\s+only\b|\b(?:better|worse|more|less|rather|"
    r"greater|stronger|weaker)\b[^.;?!]{0,60}?\bthan\b|\binstead\s+of\b|\brather\s+than\b|"
    r"\bneither\b[^.;?!]{1,80}\bnor\b|\bnot\b[^.?!]{1,120}\bnor\b|\bwithout\b[^.?!]+\bwithout\b",
    keys="not better worse more less rather greater stronger weaker instead neither without",
)
CONTRAST = Caseless(
    r"[,;–—]\s*(?:but|yet|while|whereas|though|although)\b",
    keys="but yet while whereas though although",
)
PRESENT = Caseless(
    r"\b(?:is|are|means|mean|can|cannot|can[’']t|must|does|do|makes|make|leads|lead|guarantees|"
    r"guarantee|lies|begins|ends|becomes|needs|requires|remains|matters|goes|go|stands|belongs|"
    r"will|won[’']t|never|always)\b",
    keys="won",
    exact="is are means mean can cannot must does do makes make leads lead guarantees guarantee "
    "lies begins ends becomes needs requires remains matters goes go stands belongs will never "
    "always",
)
PAST_WORDS = frozenset(
    words(
        "was were had did gave took came went saw said told thought felt knew "
        "made found began left stood sat got heard brought kept held ran spoke wrote became "
        "met meant sent spent lost paid led read rose fell grew drew threw wore bore tore "
        "chose broke forgot understood sought caught taught fought bought won shook woke"
    )
)
"""Past-tense markers besides words ending in "-ed" (irregular pasts, was/were/had/did)."""
PAST = re.compile(r"\b(?:[a-z]{3,}ed|" + "|".join(sorted(PAST_WORDS)) + r")\b", re.IGNORECASE)
"""A past-tense marker: a whole word (a run of ``\\w``) in :data:`PAST_WORDS` or of 3+ letters
and "-ed", any case (see ``_scoring.past_markers`` for the fast equivalent)."""
ANY_THIRD_PERSON = Caseless(
    r"\b(?:he|she|him|her|his|hers|they|them|their)\b",
    exact="he she him her his hers they them their",
)
NOT_PAST = frozenset(
    words(
        "need indeed speed seed feed bed red shed greed creed breed deed weed proceed succeed "
        "exceed hundred kindred sacred naked wicked wretched beloved learned blessed aged "
        "rugged ragged unprecedented"
    )
)
GNOMIC_OPENING = re.compile(
    r"^(?!(?:It|This|That|There|Here|He|She|They|What|Which|Who|Such)\b)[A-Z][a-z]+\s+(?:means|is|are|can|cannot|must|does|guarantees|leads|lies|begins|ends|"
    r"becomes|requires|remains|replaces|makes|needs)\b"
)
ABSOLUTES = Caseless(
    r"\b(?:never|always|only|no|nothing|every|everyone|everything|nobody|none|all)\b",
    exact="never always only no nothing every everyone everything nobody none all",
)

TERMINAL = ".!?…”\"’'»)"
"""Characters a complete sentence may end with."""

KEY_WORDS = frozenset().union(
    THIRD_PERSON_WORDS,
    DEMONSTRATIVES,
    *(value.keys for value in list(globals().values()) if isinstance(value, Caseless)),
)
"""Every word a pattern's ``keys`` (or :data:`THIRD_PERSON_WORDS`, :data:`DEMONSTRATIVES`) holds: a sentence's words
outside it decide nothing, so a sentence keeps only its words in this set."""

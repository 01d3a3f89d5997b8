"""Page furniture of scraped web pages: boilerplate blocks, trailing leftovers, cookie notices."""

from __future__ import annotations

import re

from bot.core.loader._blocks import _SENTENCE_END, _Block

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

"""The reading club: a document cut into daily instalments, and a club's settings.

An instalment is a run of whole body paragraphs. With ``size == CHAPTER`` a document with
sections gets one instalment per section (a chapter a day); a document without sections, or a
club that asked for a number of paragraphs, gets that many paragraphs a day
(:data:`DEFAULT_PARAGRAPHS`, about three printed pages, when a chapter was asked for and there
are none). When instalments are posted is the daily quote's arithmetic (:mod:`bot.core.daily`):
a club carries a :class:`~bot.core.daily.DailySchedule` for its channel, time and zone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, time

from bot.core.daily import DailySchedule
from bot.core.models import Document, Section

#: ``size`` meaning "one section (chapter) a day".
CHAPTER = 0
#: Paragraphs a day when a chapter a day was asked for and the document has no sections.
DEFAULT_PARAGRAPHS = 12
#: The most paragraphs a day a club may ask for.
MAX_PARAGRAPHS = 200


@dataclass(frozen=True, slots=True)
class Instalment:
    """One day's reading.

    Attributes:
        day: 1-based number of the instalment.
        total: how many instalments the document has at this size.
        first/last: its body paragraphs (1-based, inclusive).
        section: the section it is (a chapter a day) or starts in; ``None`` without sections.
    """

    day: int
    total: int
    first: int
    last: int
    section: Section | None


def instalments(document: Document, size: int = CHAPTER) -> list[Instalment]:
    """``document`` cut into instalments of ``size`` paragraphs (``CHAPTER``: one per section).

    Raises ``ValueError`` for a negative ``size`` or a document without paragraphs.
    """
    if size < 0:
        raise ValueError(f"size must be CHAPTER (0) or a number of paragraphs, got {size}")
    count = len(document.paragraphs)
    if count == 0:
        raise ValueError(f"document {document.id!r} has no paragraphs")
    spans: list[tuple[int, int]]
    if size == CHAPTER and document.sections:
        spans = [(s.first, s.last) for s in document.sections]
    else:
        step = size or DEFAULT_PARAGRAPHS
        spans = [(first, min(first + step - 1, count)) for first in range(1, count + 1, step)]
    total = len(spans)
    return [
        Instalment(day, total, first, last, document.section_of(first))
        for day, (first, last) in enumerate(spans, start=1)
    ]


def instalment_text(document: Document, instalment: Instalment) -> list[str]:
    """The paragraphs of ``instalment``, verbatim, in order."""
    return [document.paragraph(n).text for n in range(instalment.first, instalment.last + 1)]


@dataclass(frozen=True, slots=True)
class ReadingClub:
    """A server's reading club.

    Attributes:
        guild_id/channel_id: where instalments are posted.
        document_id: what is read.
        time/timezone: the local time of each post (IANA zone name).
        size: :data:`CHAPTER` or paragraphs a day.
        thread: open a discussion thread on each instalment.
        next_day: the instalment the next post brings (1-based; ``/reading skip`` adds one).
        paused: no posts while set.
    """

    guild_id: int
    channel_id: int
    document_id: str
    time: time
    timezone: str
    size: int = CHAPTER
    thread: bool = False
    next_day: int = 1
    paused: bool = False

    @property
    def schedule(self) -> DailySchedule:
        """The club's posting time as a daily schedule (for :func:`~bot.core.daily.due_post`)."""
        return DailySchedule(
            guild_id=self.guild_id,
            channel_id=self.channel_id,
            time=self.time,
            timezone=self.timezone,
        )


def reading_nonce(guild_id: int, local_date: date) -> str:
    """The message nonce of a club's post of ``local_date`` (24 hex characters; deterministic,
    so a resend carries the same one; never equal to the daily quote's of the same date)."""
    text = f"reading:{guild_id}:{local_date.isoformat()}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

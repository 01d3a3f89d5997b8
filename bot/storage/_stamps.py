"""How storage keeps instants: aware datetimes as UTC ISO-8601 text, the same in every backend.

The memory backend keeps what a database would give back (:func:`stored`), so its records
compare equal to the SQL backends' for the same calls.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


def stamp_text(instant: datetime) -> str:
    """``instant`` as stored: UTC ISO-8601 text.

    Raises:
        ValueError: ``instant`` is naive (storage never guesses a zone).
    """
    if instant.tzinfo is None:
        raise ValueError("instants must be aware datetimes")
    return instant.astimezone(UTC).isoformat()


@overload
def parse_stamp(text: str) -> datetime: ...
@overload
def parse_stamp(text: None) -> None: ...
@overload
def parse_stamp(text: str | None) -> datetime | None: ...


def parse_stamp(text: str | None) -> datetime | None:
    """A stored instant back as an aware UTC datetime (``None`` stays ``None``)."""
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def stored(instant: datetime) -> datetime:
    """``instant`` as storage gives it back (aware, UTC). Raises ValueError if naive."""
    return datetime.fromisoformat(stamp_text(instant)).astimezone(UTC)


def utc_now() -> datetime:
    """The current instant, aware UTC (the default ``at`` of schedule changes)."""
    return datetime.now(UTC)

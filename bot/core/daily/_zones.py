"""Time-zone input: which values name a zone, how a zone is shown, and what to suggest instead.

:func:`canonical_zone` accepts IANA names and whole-hour UTC offsets and nothing else;
abbreviations, part-hour offsets and city names only ever produce suggestions
(:func:`timezone_suggestions`, :func:`zone_advice`) from :mod:`bot.core.daily._lexicon`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from bot.core.daily._lexicon import (
    ABBREVIATION_KEYS,
    CITY_ALIASES,
    COMMON_ZONES,
    PART_HOUR_ZONES,
    ZONE_ABBREVIATIONS,
    zone_names,
)
from bot.core.daily._schedule import ScheduleError


def canonical_zone(name: str) -> str:
    """The IANA zone name for what an admin or a config file gave, or :class:`ScheduleError`.

    Accepted (and nothing else, so a zone is never guessed):

    * an IANA name, case-insensitive, spaces for underscores (``" europe/berlin "`` →
      ``"Europe/Berlin"``), except the legacy abbreviation names of :data:`ZONE_ABBREVIATIONS`
      (``EST``, ``CET``, ...): they are ambiguous, see :func:`zone_advice`;
    * a whole-hour UTC offset (``"UTC+2"``, ``"GMT+2"``, ``"+02:00"``, ``"UTC"``) → the fixed
      zone with that real offset (``"Etc/GMT-2"``; see :func:`offset_zone`).

    Raises:
        ScheduleError: naming the value, saying why (an abbreviation, a half-hour offset, a
            city that is not a zone name) with suggestions from :func:`suggest_zones`, and a
            valid example.
    """
    offset = offset_zone(name)
    if offset is not None:
        return offset
    cleaned = name.strip().replace(" ", "_")
    if _fold(cleaned) not in ABBREVIATION_KEYS:
        names = zone_names()
        if cleaned in names:
            return cleaned
        folded = {n.casefold(): n for n in names}
        if cleaned.casefold() in folded:
            return folded[cleaned.casefold()]
    raise ScheduleError(f"{name!r} is not a time zone I know. {zone_advice(name)}")


_OFFSET_RE = re.compile(
    r"^(?:(?:utc|gmt|ut|z)\s*)?([+\-\u2212])\s*(\d{1,2})(?:(?::|h)?(\d{2}))?$", re.IGNORECASE
)
_ETC_RE = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")


def _fold(text: str) -> str:
    """Casefold, drop accents (NFKD, combining marks removed) and join words with ``_``:
    ``" São  Paulo"`` → ``"sao_paulo"``, ``"Port-au-Prince"`` → ``"port_au_prince"``."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s_\-.'’]+", "_", plain)


def _parse_offset(text: str) -> int | None:
    """Minutes east of UTC for ``"UTC+2"``, ``"GMT-03:30"``, ``"+0530"`` (``None`` if not that
    shape; the range is checked by the callers)."""
    match = _OFFSET_RE.match(text.strip())
    if match is None:
        return None
    sign = -1 if match.group(1) in "-\u2212" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if minutes > 59:
        return None
    return sign * (hours * 60 + minutes)


def _offset_text(minutes: int) -> str:
    """``120`` → ``"UTC+2"``, ``-210`` → ``"UTC-3:30"``, ``0`` → ``"UTC"``."""
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def offset_zone(text: str) -> str | None:
    """The fixed IANA zone for a whole-hour UTC offset as people write it, else ``None``.

    ``"UTC+2"``, ``"GMT+2"``, ``"+02:00"``, ``"utc +2"`` → ``"Etc/GMT-2"`` (really UTC+2: the
    ``Etc/GMT`` names invert the sign, POSIX ``TZ`` style); ``"UTC-5"`` → ``"Etc/GMT+5"``;
    ``"UTC+0"`` → ``"UTC"``. Offsets run from UTC-12 to UTC+14 (the ``Etc/GMT+12`` …
    ``Etc/GMT-14`` zones of the tz database's ``etcetera`` file). ``None`` for anything else,
    including part-hour offsets (``"UTC+5:30"``) that no fixed zone has.
    """
    minutes = _parse_offset(text)
    if minutes is None or minutes % 60 or not -12 * 60 <= minutes <= 14 * 60:
        return None
    hours = minutes // 60
    if hours == 0:
        return "UTC"
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def zone_offset_label(zone: str) -> str | None:
    """The real UTC offset of an ``Etc/GMT±N`` zone, plainly: ``"Etc/GMT-2"`` → ``"UTC+2"``,
    ``"Etc/GMT+2"`` → ``"UTC-2"`` (the name's sign is inverted); ``None`` for other zones."""
    match = _ETC_RE.match(zone)
    if match is None:
        return None
    hours = int(match.group(2)) * (1 if match.group(1) == "-" else -1)
    return _offset_text(hours * 60)


def zone_label(zone: str) -> str:
    """How to show a zone to people: ``"Etc/GMT-2"`` → ``"UTC+2 (Etc/GMT-2)"``, other names as
    they are (``"Europe/Berlin"``)."""
    offset = zone_offset_label(zone)
    return f"{offset} ({zone})" if offset and offset != "UTC" else zone


def zone_offset_note(zone: str) -> str | None:
    """A sentence for a confirmation when ``zone`` is an ``Etc/GMT±N`` zone, whose name reads
    as the opposite offset: ``"Etc/GMT+2"`` → ``"Note: Etc/GMT+2 is UTC-2 (…); for UTC+2 use
    Etc/GMT-2."``. ``None`` for every other zone (and for ``Etc/GMT+0``)."""
    offset = zone_offset_label(zone)
    match = _ETC_RE.match(zone)
    if offset is None or match is None or offset == "UTC":
        return None
    opposite = f"Etc/GMT{'+' if match.group(1) == '-' else '-'}{match.group(2)}"
    return (
        f"Note: {zone} is {offset}: the sign in Etc/GMT names is inverted (POSIX style). "
        f"For {zone_offset_label(opposite)} use {opposite}."
    )


def _abbreviation(typed: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    key = typed.strip().upper()
    found = ZONE_ABBREVIATIONS.get(key)
    return (key, found) if found else None


def _name_matches(needle: str) -> list[str]:
    """Zone names containing the folded ``needle``: exact name or last part first, then a part
    starting with it, then anywhere; alphabetical within a rank. Legacy abbreviation names
    (``EST``) are left out, as :func:`canonical_zone` refuses them."""
    ranked: list[tuple[int, str]] = []
    for name, folded in _foldedzone_names():
        if needle not in folded:
            continue
        parts = folded.split("/")
        if folded == needle or parts[-1] == needle:
            rank = 0
        elif any(part.startswith(needle) for part in re.split(r"[/_]", folded)):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, name))
    ranked.sort()
    return [name for _, name in ranked]


@lru_cache(maxsize=1)
def _foldedzone_names() -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, _fold(name)) for name in zone_names() if _fold(name) not in ABBREVIATION_KEYS
    )


def timezone_suggestions(typed: str, *, limit: int = 25) -> list[tuple[str, str]]:
    """Autocomplete for a time-zone option: ``(label, IANA name)`` pairs, at most ``limit``.

    The value is always an IANA name :func:`canonical_zone` accepts; the label says what it is:

    * a UTC offset (``"UTC+2"``, ``"GMT+2"``, ``"+02:00"``) → ``("UTC+2", "Etc/GMT-2")`` first;
      part-hour offsets (``"UTC+5:30"``) → the zones that use them (``Asia/Kolkata``);
    * an abbreviation (``"PST"``, ``"IST"``) → its usual zones, labelled
      ``"America/Los_Angeles (PST: US Pacific)"`` (see :data:`ZONE_ABBREVIATIONS`);
    * a city (``"Mumbai"``, ``"beijing"``) → its zone from :data:`CITY_ALIASES`, labelled
      ``"Asia/Kolkata (Mumbai)"``;
    * then zone names containing the text, accents, case, spaces and hyphens folded
      (``"São Paulo"`` → ``America/Sao_Paulo``); a whole name or last part first, then a part
      starting with it, then anywhere; alphabetical within each rank.

    ``Etc/GMT±N`` names are labelled with their real offset (``"UTC-2 (Etc/GMT+2)"``), so the
    inverted POSIX sign cannot mislead. Empty input gives :data:`COMMON_ZONES`.
    """
    text = typed.strip()
    if not text:
        return [(zone_label(z), z) for z in COMMON_ZONES[:limit]]
    out: dict[str, str] = {}
    for value, label in _candidates(text):
        if len(out) >= limit:
            break
        if value not in out:
            out[value] = label or zone_label(value)
    return [(label, value) for value, label in out.items()]


def _candidates(text: str) -> Iterator[tuple[str, str | None]]:
    """The zones :func:`timezone_suggestions` offers for ``text``, best first, each with its
    label (``None``: :func:`zone_label`'s); a zone may come more than once."""
    minutes = _parse_offset(text)
    if minutes is not None:
        whole = offset_zone(text)
        if whole is not None:
            yield whole, _offset_text(minutes) if whole != "UTC" else None
        for zone in PART_HOUR_ZONES.get(minutes, ()):
            yield zone, f"{zone} ({_offset_text(minutes)} standard time)"
    abbreviation = _abbreviation(text)
    if abbreviation is not None:
        key, zones = abbreviation
        for zone, who in zones:
            yield zone, f"{zone} ({key}: {who})"
    needle = _fold(text)
    if len(needle) >= 3:
        for alias, zone in CITY_ALIASES.items():
            if alias.startswith(needle):
                yield zone, f"{zone} ({alias.replace('_', ' ').title()})"
    for name in _name_matches(needle):
        yield name, None


def timezone_choices(typed: str, *, limit: int = 25) -> list[str]:
    """The IANA names of :func:`timezone_suggestions` (``"berl"`` → ``["Europe/Berlin"]``)."""
    return [value for _, value in timezone_suggestions(typed, limit=limit)]


def suggest_zones(name: str, *, limit: int = 3) -> list[str]:
    """IANA names to suggest for a value :func:`canonical_zone` refused: those of
    :func:`timezone_suggestions`, else close names (:func:`difflib.get_close_matches`, ratio
    ≥ 0.6, over the folded names)."""
    found = timezone_choices(name, limit=limit)
    if found:
        return found
    folded = dict((f, n) for n, f in _foldedzone_names())
    close = difflib.get_close_matches(_fold(name), list(folded), n=limit, cutoff=0.6)
    return [folded[c] for c in close]


def zone_advice(name: str) -> str:
    """What to write instead of a refused zone value, in one or two sentences (no value
    repeated): the abbreviation's zones and why abbreviations are refused, the zones of a
    part-hour offset, or close names; always an example of a valid name."""
    example = "Use an IANA name such as 'Europe/Berlin', 'America/Sao_Paulo' or 'UTC'."
    abbreviation = _abbreviation(name)
    if abbreviation is not None:
        key, zones = abbreviation
        meant = " or ".join(f"{zone} ({who})" for zone, who in zones)
        return (
            f"Abbreviations like {key} are ambiguous and name only one season's offset, so "
            f"they are not accepted: did you mean {meant}? {example}"
        )
    minutes = _parse_offset(name)
    if minutes is not None:
        part_hour = PART_HOUR_ZONES.get(minutes, ())
        if part_hour:
            return (
                f"No fixed zone has the offset {_offset_text(minutes)}; use the place's zone, "
                f"such as {' or '.join(part_hour)}."
            )
        return f"UTC offsets run from UTC-12 to UTC+14 in whole hours. {example}"
    close = suggest_zones(name)
    hint = f"Did you mean {', '.join(close)}? " if close else ""
    return hint + example

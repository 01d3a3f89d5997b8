"""Field types and ``BeforeValidator``/``AfterValidator`` functions shared by the settings
models: snowflakes, ``HH:MM`` times, time zones, languages, URLs, paths, the token."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from bot.core import yamlload
from bot.core.daily import ScheduleError, canonical_zone, zone_advice
from bot.settings._errors import _DIGITS, _HHMM


def default_corpus_path() -> Path:
    """The repository's ``seeds/`` folder (absolute), the default ``corpus.paths`` entry."""
    return Path(__file__).resolve().parent.parent.parent / "seeds"


# --------------------------------------------------------------------------------------------
# Field types and validators
# --------------------------------------------------------------------------------------------


def _no_bool(value: Any) -> Any:
    """Numbers and ids: reject YAML booleans (pydantic would turn ``yes`` into ``1``)."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "expected a whole number")
    return value


def _snowflake(value: Any) -> int:
    """Discord id: an int or a string of digits, 1 ≤ id < 2**64. Floats are rejected."""
    if isinstance(value, bool):
        raise PydanticCustomError("snowflake_type", "expected a Discord id")
    if isinstance(value, float):
        raise PydanticCustomError(
            "snowflake_float",
            "a Discord id must be written as an integer or a quoted string of digits; this one "
            "is a floating-point number, so its last digits are already lost (a spreadsheet or a "
            "float conversion rounded it). Copy the id again from Discord (Developer Mode → "
            "right-click → Copy ID)",
        )
    if isinstance(value, yamlload.WrittenInt):
        raise PydanticCustomError(
            "snowflake_written",
            "{detail}",
            {
                "detail": f"YAML 1.1 reads the unquoted {value.written} as the {value.form} "
                f"number {int(value)}, not as the id you wrote; a Discord id is plain digits "
                "without a leading zero. Copy the id again from Discord (Developer Mode → "
                "right-click → Copy ID) and write it in quotes"
            },
        )
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise PydanticCustomError(
            "snowflake_type",
            "a Discord id must be an integer or a quoted string of digits",
        )
    if not 0 < number < 2**64:
        raise PydanticCustomError(
            "snowflake_range", "a Discord id is a positive number below 2**64"
        )
    return number


def _hhmm(value: Any) -> Any:
    """``"HH:MM"`` on the 24-hour clock → :class:`datetime.time`."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise PydanticCustomError(
            "time_number",
            "YAML 1.1 reads an unquoted time such as 10:30 as a base-60 number",
        )
    if not isinstance(value, str):
        raise PydanticCustomError("time_type", 'expected a time written as "HH:MM" in quotes')
    match = _HHMM.fullmatch(value.strip())
    if match is None:
        raise PydanticCustomError(
            "time_format",
            "not a valid 24-hour time; write HH:MM with hours 00-23 and minutes 00-59",
        )
    return dt.time(int(match.group(1)), int(match.group(2)))


def _timezone(value: Any) -> Any:
    """An IANA time zone name or a whole-hour UTC offset, by the rule of ``/daily set``
    (:func:`bot.core.daily.canonical_zone`); abbreviations and cities get suggestions."""
    if not isinstance(value, str):
        return value  # pydantic reports the type
    try:
        return canonical_zone(value)
    except ScheduleError:
        pass
    raise PydanticCustomError(
        "timezone",
        "{detail}",
        {"detail": f"not a time zone name. {zone_advice(value).rstrip('.')}"},
    )


_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


def _language(value: Any) -> Any:
    """A language code (ISO 639-1/-3, optionally with a BCP 47 subtag: ``en``, ``pt-br``), folded
    to lower case with ``-``. sentencex falls back to its English rules for codes it lacks, so
    only the shape can be checked; a language name ("English") is refused with the code to use."""
    if not isinstance(value, str):
        return value  # pydantic reports the type
    code = value.strip().replace("_", "-").casefold()
    if _LANGUAGE.fullmatch(code):
        return code
    raise PydanticCustomError(
        "language",
        "{detail}",
        {"detail": "expected a language code such as en, de, fr or pt-br (ISO 639), not a name"},
    )


def _url(schemes: tuple[str, ...]) -> Any:
    def check(value: str) -> str:
        text = value.strip()
        parts = urlsplit(text)
        if parts.scheme not in schemes or not parts.netloc:
            raise PydanticCustomError(
                "url",
                "{detail}",
                {
                    "detail": f"expected a URL starting with {' or '.join(s + '://' for s in schemes)}"
                },
            )
        return text.rstrip("/")

    return check


def _none_to_empty(value: Any) -> Any:
    """An empty YAML list or section (``owner_ids:`` with nothing after it) is ``None``."""
    return () if value is None else value


def _one_or_many(value: Any) -> Any:
    if value is None:
        return ()
    return [value] if isinstance(value, str | Path) else value


def _resolve(value: Path, info: ValidationInfo) -> Path:
    """Expand ``~`` and resolve a relative path against ``context["base_dir"]`` if given."""
    if str(value) == ":memory:":
        return value
    path = value.expanduser()
    base = (info.context or {}).get("base_dir")
    if base is not None and not path.is_absolute():
        path = Path(base) / path
    return path


def _non_empty_path(value: Any) -> Any:
    """An empty entry would read as ``.``, a whole folder tree: refused (so is ``null``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError(
            "path_empty",
            "an empty path; give a folder or file (write . if you really mean the whole folder)",
        )
    return value


def _at_least_one(values: tuple[Path, ...]) -> tuple[Path, ...]:
    """``corpus.paths`` needs at least one entry (the message replaces pydantic's wording)."""
    if not values:
        raise PydanticCustomError(
            "paths_empty", "needs at least one folder or file to read the documents from"
        )
    return values


def _resolve_all(values: tuple[Path, ...], info: ValidationInfo) -> tuple[Path, ...]:
    return tuple(_resolve(v, info) for v in values)


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _token(value: Any) -> Any:
    """Strip a token; an empty one counts as unset."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Snowflake = Annotated[int, BeforeValidator(_snowflake)]
Int = Annotated[int, BeforeValidator(_no_bool)]
ResolvedPath = Annotated[Path, AfterValidator(_resolve)]

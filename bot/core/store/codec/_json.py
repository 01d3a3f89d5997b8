"""JSON helpers shared by the record codecs: compact deterministic bytes and checked values."""

from __future__ import annotations

import json
from typing import Any


def dumps(value: object) -> bytes:
    """Compact JSON bytes (UTF-8, lone surrogates kept), equal values giving equal bytes."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def loads(payload: bytes, what: str) -> Any:
    """The JSON value of ``payload``. Raises ``ValueError`` naming ``what`` when it is not JSON."""
    try:
        return json.loads(payload.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{what} is not JSON ({error})") from None


def text(value: object, what: str) -> str:
    """``value`` when it is a string. Raises ``ValueError``."""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return value


def optional_text(value: object, what: str) -> str | None:
    """``value`` when it is a string or ``None``. Raises ``ValueError``."""
    return None if value is None else text(value, what)


def whole(value: object, what: str, low: int, high: int) -> int:
    """``value`` when it is an ``int`` in ``low..high``. Raises ``ValueError``."""
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"{what} is not a whole number in {low}..{high}")
    return value

"""Stable quote ids (:func:`quote_key`) and the salted orders built on them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from bot.core.models import Quote


def _quote_start(quote: Quote) -> int:
    """Offset of the quote's first character in its paragraph."""
    sentence = quote.sentence
    at = sentence.text.find(quote.text)
    if at >= 0:
        return sentence.start + at
    for size in (20, 8):  # a quote running past its sentence, or with its whitespace folded
        at = sentence.text.find(quote.text[:size])
        if at >= 0:
            return sentence.start + at
    for i, char in enumerate(sentence.text):
        if char == quote.text[0] and quote.text.startswith(sentence.text[i:].rstrip()):
            return sentence.start + i
    return sentence.start


def quote_key(quote: Quote) -> str:
    """A stable id for a quote: ``"{document_id}:{paragraph}:{start}"``, where ``start`` is the
    character offset of the quote in its paragraph. Unchanged across restarts while the document
    is unchanged; used to avoid repeats (``exclude``) and to order the daily cycle."""
    return f"{quote.document_id}:{quote.paragraph}:{_quote_start(quote)}"


def salted(salt: str, key: str) -> bytes:
    """``blake2b(salt + "\\0" + key)``: the same order in every process and after every restart
    (Python's ``hash`` is salted per process)."""
    return hashlib.blake2b(f"{salt}\0{key}".encode(), digest_size=16).digest()


def salted_order(salt: str, keys: Sequence[str]) -> list[int]:
    """The indexes of ``keys`` in the order of :func:`salted` (``salt``, key), in one pass
    (a hasher primed with the salt, the 16-byte digests sorted as two 64-bit words by numpy:
    about a fifth of the time of sorting the digests in Python). Equal digests (a 128-bit
    collision) keep the keys' order."""
    primed = hashlib.blake2b(f"{salt}\0".encode(), digest_size=16)
    digests = bytearray()
    for key in keys:
        hasher = primed.copy()
        hasher.update(key.encode())
        digests += hasher.digest()
    words = np.frombuffer(bytes(digests), dtype=">u8").reshape(-1, 2)
    return [int(i) for i in np.lexsort((words[:, 1], words[:, 0]))]

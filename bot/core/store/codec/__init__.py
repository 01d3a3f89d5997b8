"""JSON forms of a parsed document and of what is derived from it, with full validation.

A store file that passed its checksum but was written by buggy or hostile code still never
yields an object that breaks the model's ranges: decoding checks every type, range and
cross-reference it can see and raises :class:`ValueError` on the first fault (``_document``: a
document's record, head and body; ``_derived``: its quotes and summaries).
"""

from bot.core.store.codec._derived import (
    DERIVED_VERSION,
    Derived,
    decode_derived,
    derived_hot_quotes,
    derived_quotes,
    derived_summaries,
    encode_derived,
    parse_derived,
    parse_hot,
    with_summary,
)
from bot.core.store.codec._document import (
    DOCUMENT_VERSION,
    Head,
    decode_document,
    decode_head,
    decode_paragraphs,
    decode_texts,
    encode_document,
)

__all__ = [
    "DERIVED_VERSION",
    "DOCUMENT_VERSION",
    "Derived",
    "Head",
    "decode_derived",
    "decode_document",
    "decode_head",
    "decode_paragraphs",
    "decode_texts",
    "derived_hot_quotes",
    "derived_quotes",
    "derived_summaries",
    "encode_derived",
    "encode_document",
    "parse_derived",
    "parse_hot",
    "with_summary",
]

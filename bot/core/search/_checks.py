"""Checks of a saved index's arrays on loading: how they fit together, and spot checks.

A folder can be damaged with valid checksums (crafted, or files of two saves mixed), so loading
checks what is cheap: the small arrays (offsets, the passage columns) fit together and the
passages' spans fit their texts; a sample of posting lists decodes; sampled passages are where
the corpus puts them. Every other posting list is checked when a query decodes it
(:meth:`._grams.Postings.ids`). Each check raises :class:`IndexFileError` naming the folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.core.models import Corpus
from bot.core.search._errors import IndexFileError
from bot.core.search._grams import Postings

#: Passages checked against the corpus on loading (all of them in a smaller index).
SAMPLE = 20_000
#: With a fingerprint that vouches for the corpus: passages spot-checked in each of a few
#: documents (the three with the fewest passages: their bodies are the cheapest to read), and
#: postings decoded from a sample of lists.
SPOT_PASSAGES = 24
SPOT_POSTINGS = 1 << 18


def check_arrays(
    source: Path, arrays: dict[str, npt.NDArray[Any]], documents: int, bits: int
) -> None:
    """Raise :class:`IndexFileError` unless the arrays fit together (a crafted or mixed-up folder
    can have valid checksums): lengths, offsets, document numbers, spans. Reads the small arrays
    only (offsets and columns), never the posting lists, keys or texts themselves."""
    n = len(arrays["key_offsets"]) - 1
    grams = arrays["grams"]
    doc, paragraph, start, end = (arrays[c] for c in ("doc", "paragraph", "start", "end"))
    problems = {
        "its arrays hold different numbers of passages": n < 0
        or len(arrays["text_offsets"]) != n + 1
        or any(len(a) != n for a in (doc, paragraph, start, end)),
        "its q-gram table does not fit together": not 12 <= bits <= 32
        or any(len(arrays[p]) != len(grams) + 1 for p in ("indptr", "escape16_ptr", "escape32_ptr"))
        or (len(grams) > 1 and bool(np.any(np.diff(grams.astype(np.int64)) <= 0))),
    }
    for offsets, blob in (
        ("key_offsets", "keys"),
        ("text_offsets", "texts"),
        ("indptr", "gaps"),
        ("escape16_ptr", "escapes16"),
        ("escape32_ptr", "escapes32"),
    ):
        o = arrays[offsets]
        problems[f"its {offsets} do not fit {blob}.npy"] = (
            len(o) == 0 or int(o[0]) != 0 or int(o[-1]) != len(arrays[blob]) or _decreasing(o)
        )
    if not any(problems.values()):
        chars = (end.astype(np.int64) - start) if n else np.zeros(0, np.int64)
        sizes = np.diff(arrays["text_offsets"])
        problems["its passages point outside the documents"] = n > 0 and (
            not 0 <= int(doc.min()) <= int(doc.max()) < documents
            or _decreasing(doc)
            or int(paragraph.min()) < 1
            or int(start.min()) < 0
            or bool(np.any(chars <= 0))
        )
        # A passage of c characters is c to 4c bytes of UTF-8.
        problems["its passage texts do not fit their spans"] = n > 0 and bool(
            np.any(sizes < chars) or np.any(sizes > 4 * chars)
        )
    for what, bad in problems.items():
        if bad:
            raise IndexFileError(f"The search index in {source} is damaged: {what}.")


def spot_check_lists(source: Path, postings: Postings) -> None:
    """Decode evenly spread posting lists, about :data:`SPOT_POSTINGS` postings in all (every
    list of a small index); :class:`IndexFileError` if one does not decode. The others are
    checked when a query reads them."""
    lists = len(postings.grams)
    if lists == 0:
        return
    lengths = np.diff(postings.indptr)
    step = max(1, int(lengths.sum()) // SPOT_POSTINGS)
    chosen = np.arange(0, lists, step) if step > 1 else np.arange(lists)
    chosen = chosen[lengths[chosen] <= SPOT_POSTINGS]  # a few short lists, not a huge one
    for t in [*chosen.tolist(), lists - 1]:
        try:
            postings.ids(t)
        except IndexFileError as error:
            raise IndexFileError(f"The search index in {source} is damaged: {error}.") from None


def check_against(
    source: Path,
    arrays: dict[str, npt.NDArray[Any]],
    corpus: Corpus,
    documents: list[tuple[str, str]],
    window: int,
    overlap: int,
    *,
    spot: bool = False,
) -> None:
    """Raise :class:`IndexFileError` unless sampled passages (all of them up to ``SAMPLE``) are
    where ``corpus`` puts them: a window of their paragraph, with the saved text. With ``spot``,
    only :data:`SPOT_PASSAGES` passages of each of the three smallest documents of ``corpus`` (the
    others' paragraphs are not touched)."""
    from bot.core.search._text import windows

    n = len(arrays["key_offsets"]) - 1
    texts, offsets = arrays["texts"], arrays["text_offsets"]
    by_id = {document.id: document for document in corpus}
    sample: Any = range(n) if n <= SAMPLE else np.linspace(0, n - 1, SAMPLE).astype(np.int64)
    if spot and n:
        doc = arrays["doc"]
        bounds = np.searchsorted(doc, np.arange(len(documents) + 1)).tolist()
        present = [
            (bounds[d + 1] - bounds[d], d)
            for d, (doc_id, _) in enumerate(documents)
            if doc_id in by_id and bounds[d + 1] > bounds[d]
        ]
        chosen = sorted(d for _, d in sorted(present)[:3])
        firsts = [bounds[d] for d in chosen]
        stops = [bounds[d + 1] for d in chosen]
        if not chosen:
            return
        spots = [
            np.linspace(a, b - 1, min(b - a, SPOT_PASSAGES)).astype(np.int64)
            for a, b in zip(firsts, stops, strict=True)
        ]
        sample = np.unique(np.concatenate(spots))
    # A paragraph's windows are computed once: a long paragraph has thousands of passages, and
    # recomputing its windows for each made loading quadratic in the paragraph's length.
    spans_of: dict[tuple[str, int], set[tuple[int, int]]] = {}
    for pid in (int(i) for i in sample):
        document = by_id.get(documents[int(arrays["doc"][pid])][0])
        number = int(arrays["paragraph"][pid])
        span = (int(arrays["start"][pid]), int(arrays["end"][pid]))
        if document is None or number > len(document.paragraphs):
            raise IndexFileError(
                f"The search index in {source} is damaged: passage {pid} points outside the corpus."
            )
        text = document.paragraphs[number - 1].text
        saved = texts[offsets[pid] : offsets[pid + 1]].tobytes().decode("utf-8", "replace")
        key = (document.id, number)
        if key not in spans_of:
            spans_of[key] = set(windows(text, window, overlap))
        if span not in spans_of[key] or text[span[0] : span[1]] != saved:
            raise IndexFileError(
                f"The search index in {source} is damaged: passage {pid} is not where the corpus "
                "puts it."
            )


def _decreasing(values: npt.NDArray[Any]) -> bool:
    return len(values) > 1 and bool(np.any(values[1:] < values[:-1]))

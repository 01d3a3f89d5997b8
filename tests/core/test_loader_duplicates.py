"""Which copy of a duplicated document is kept: never decided by a file that arrives later."""

from __future__ import annotations

import hashlib
import os
import random
import zlib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.loader import _duplicates, load_corpus, parse_document
from bot.core.loader._duplicates import (
    LENGTH_SHARE,
    MIN_SAMPLED,
    MIN_WORDS,
    NEAR_SHARE,
    Fingerprint,
    drop_duplicates,
    fingerprint,
)
from bot.core.models import Document
from bot.core.text import WORD
from tests.core.loader_helpers import write

STORY = "Persuasion\n\n" + "\n\n".join(
    f"Paragraph {n}: Anne walked along the Cobb at Lyme while the {w} watched the grey sea."
    for n, w in enumerate(["captain", "admiral", "sister", "cousin", "friend", "sailor"] * 3)
)


def _aged(path: Path, seconds_ago: int) -> Path:
    when = path.stat().st_mtime - seconds_ago
    os.utime(path, (when, when))
    return path


def test_a_copy_dropped_in_later_does_not_rename_the_document(tmp_path: Path) -> None:
    original = _aged(write(tmp_path / "sub" / "persuasion.txt", STORY), 3600)
    assert [d.id for d in load_corpus([tmp_path])] == ["persuasion"]
    # The copy sorts first (top folder) but is newer: the known document keeps its id.
    copy = write(tmp_path / "persuasion-again.txt", STORY)
    corpus = load_corpus([tmp_path])
    assert [(d.id, d.path) for d in corpus] == [("persuasion", str(original))]
    [problem] = corpus.problems
    assert problem.path == str(copy)
    assert not problem.fatal
    assert problem.reason == (
        f"duplicate of {original} (the same text): loaded once, as 'persuasion'"
    )


def test_a_copy_with_the_same_name_does_not_take_the_id(tmp_path: Path) -> None:
    original = _aged(write(tmp_path / "b" / "persuasion.txt", STORY), 3600)
    write(tmp_path / "a" / "persuasion.txt", STORY)  # loaded first, but newer
    corpus = load_corpus([tmp_path])
    assert [(d.id, d.path) for d in corpus] == [("persuasion", str(original))]


def test_equal_times_keep_the_file_nearer_the_top_folder(tmp_path: Path) -> None:
    deep = write(tmp_path / "a" / "b" / "persuasion.txt", STORY)
    top = write(tmp_path / "z-persuasion.txt", STORY)
    stamp = deep.stat().st_mtime
    for path in (deep, top):
        os.utime(path, (stamp, stamp))
    assert [d.path for d in load_corpus([tmp_path])] == [str(top)]


def _reference(prints: list[Fingerprint]) -> tuple[list[int], list[tuple[int, int]]]:
    """Duplicate verdicts as the first version computed them: a dict of sampled values to the
    kept documents holding them, shared values counted one document at a time."""
    from collections import Counter, defaultdict

    kept: list[int] = []
    exact: dict[str, int] = {}
    index: defaultdict[int, list[int]] = defaultdict(list)
    sizes: list[int] = []
    lengths: list[int] = []
    dropped: list[tuple[int, int]] = []
    for position, found in enumerate(prints):
        if found.words < MIN_WORDS:
            kept.append(position)
            sizes.append(0)
            lengths.append(found.words)
            continue
        if found.exact in exact:
            dropped.append((position, exact[found.exact]))
            continue
        shared: Counter[int] = Counter()
        for value in found.sample:
            shared.update(index.get(value, ()))
        best = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:3]
        match = None
        for number, count in best if len(found.sample) >= MIN_SAMPLED else []:
            shorter = min(len(found.sample), sizes[number])
            short, long = sorted((found.words, lengths[number]))
            if shorter and count / shorter >= NEAR_SHARE and short >= LENGTH_SHARE * long:
                match = number
                break
        if match is not None:
            dropped.append((position, kept[match]))
            continue
        for value in found.sample:
            index[value].append(len(kept))
        kept.append(position)
        exact[found.exact] = position
        sizes.append(len(found.sample))
        lengths.append(found.words)
    return kept, dropped


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(30, 90), st.integers(0, 3)), max_size=14))
def test_bulk_counting_gives_the_verdicts_of_one_document_at_a_time(
    specs: list[tuple[int, int, int]],
) -> None:
    """Documents drawn from six sources (a near copy keeps most of its source's values, a few
    changed), some exact copies: the verdicts equal the simple algorithm's."""
    prints = []
    for source, size, edits in specs:
        values = sorted({source * 1000 + v for v in range(size)} | {9000 + edits * 7 + size})
        words = size * 8 if size % 3 else MIN_WORDS - 1
        prints.append(Fingerprint(words, f"{source}-{size}-{edits}", tuple(values[edits:])))
    documents = [
        Document(id=f"d{n}", title="", paragraphs=(), path=f"/nowhere/{n:03d}")
        for n in range(len(prints))
    ]
    kept, dropped = drop_duplicates(documents, prints)
    expected_kept, expected_dropped = _reference(prints)
    assert kept == expected_kept
    assert [(int(d.id[1:]), int(o.id[1:])) for d, o, _ in dropped] == expected_dropped


def _plain_fingerprint(document: Document) -> tuple[int, str, tuple[int, ...]]:
    """The fingerprint computed word by word, shingle by shingle (the plain way)."""
    words = [
        w.casefold().replace("’", "'") for p in document.paragraphs for w in WORD.findall(p.text)
    ]
    if len(words) < _duplicates.MIN_WORDS:
        return len(words), "", ()
    exact = hashlib.blake2b(" ".join(words).encode(), digest_size=16).hexdigest()
    shingles = zip(*(words[k:] for k in range(_duplicates.SHINGLE_WORDS)), strict=False)
    values = (zlib.crc32("\x1f".join(s).encode()) for s in shingles)
    sample = sorted(v for v in set(values) if v % _duplicates.SAMPLE_EVERY == 0)
    return len(words), exact, tuple(sample)


def test_fingerprint_is_the_plain_word_by_word_one() -> None:
    rng = random.Random(43)
    vocabulary = [
        "The",
        "sea",
        "WAS",
        "calm",
        "İstanbul",
        "Straße",
        "don’t",
        "it's",
        "é",
        "-",
        ".",
        "x",
    ]
    for _ in range(300):
        paragraphs = [
            " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 30)))
            for _ in range(rng.randint(1, 8))
        ]
        document = parse_document("\n\n".join(["A Title", *paragraphs]), document_id="doc")
        found = fingerprint(document)
        assert (found.words, found.exact, found.sample) == _plain_fingerprint(document)

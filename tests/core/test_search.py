"""Fuzzy passage search through the public API: validation, ranking rules, windows, highlights."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from bot.core.errors import NotFound, QueryError
from bot.core.models import Corpus, Document, Paragraph
from bot.core.search import IndexFileError, SearchIndex

SEED = Path(__file__).resolve().parents[2] / "seeds" / "trump-must-hold-kim-jong-un-to-account.txt"


def make_corpus(documents: dict[str, list[str]]) -> Corpus:
    return Corpus(
        tuple(
            Document(
                id=doc_id,
                title=doc_id,
                paragraphs=tuple(
                    Paragraph(doc_id, number, text, ()) for number, text in enumerate(paras, 1)
                ),
            )
            for doc_id, paras in documents.items()
        )
    )


def seed_paragraphs() -> list[str]:
    """The seed essay's body paragraphs (title, standfirst, author bio and footer dropped)."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", SEED.read_text("utf-8"))]
    blocks = [b for b in blocks if b]
    return blocks[2:-2]


@pytest.fixture(scope="module")
def seed_index() -> SearchIndex:
    return SearchIndex.build(make_corpus({"seed": seed_paragraphs()}))


def test_seed_jaw_jaw(seed_index: SearchIndex) -> None:
    hits = seed_index.search("jaw jaw is beter than war war")
    assert hits[0].passage.paragraph == 1
    assert hits[0].matched_text == "jaw jaw” is better than “war war"
    assert not hits[0].exact
    assert 90 <= hits[0].score < 100
    assert all(0 <= h.score <= 100 for h in hits)


def test_exact_phrase_ranks_first_and_scores_100_c19() -> None:
    index = SearchIndex.build(
        make_corpus(
            {
                "a": ["Once upon a midnight dreary, the raving ravens pondered weak and weary."],
                "b": ["THE RAVEN", "Quoth the raven, nevermore."],
            }
        )
    )
    hits = index.search("the raven", limit=5)
    assert [h.exact for h in hits][:2] == [True, True]
    assert hits[0].score == 100
    assert hits[0].passage.document_id == "b"  # exact matches in corpus order: b/1 then b/2
    assert (hits[0].passage.paragraph, hits[1].passage.paragraph) == (1, 2)
    assert hits[0].matched_text == "THE RAVEN"
    assert hits[1].matched_text == "the raven"
    assert all(not h.exact for h in hits[2:])


def test_curly_apostrophe_is_exact_c30() -> None:
    index = SearchIndex.build(
        make_corpus(
            {
                "poem": [
                    "Do not go gentle into that good night, old age should burn and rave.",
                    "Don’t go gentle into that good night.",
                ]
            }
        )
    )
    hit = index.search("don't go gentle")[0]
    assert hit.exact
    assert hit.score == 100
    assert hit.passage.paragraph == 2
    assert hit.matched_text == "Don’t go gentle"


def test_deterministic_ties_follow_corpus_order() -> None:
    text = "the quick brown fox jumps over the lazy dog"
    index = SearchIndex.build(make_corpus({"x": [text, "filler words here", text], "y": [text]}))
    order = [
        (h.passage.document_id, h.passage.paragraph)
        for h in index.search("quick brwn fox", limit=3)
    ]
    assert order == [("x", 1), ("x", 3), ("y", 1)]
    assert order == [
        (h.passage.document_id, h.passage.paragraph)
        for h in index.search("quick brwn fox", limit=3)
    ]


def test_lone_surrogates_in_a_query_are_replaced_not_raised(seed_index: SearchIndex) -> None:
    # "\udcff": a non-UTF-8 byte in a shell argument (PEP 383); "\ud83d": half an emoji
    hits = seed_index.search("jaw jaw is beter than war war \udcff")
    assert hits[0].passage.paragraph == 1
    with pytest.raises(NotFound, match="zzqqxx \ufffd"):
        seed_index.search("zzqqxx \ud83d")
    assert seed_index.suggest("jaw jaw \ud83d")


def test_a_long_query_is_echoed_without_cutting_an_emoji(seed_index: SearchIndex) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
    with pytest.raises(NotFound) as info:
        seed_index.search("zzqqxx " + family * 8)
    echoed = str(info.value).split("“")[1].split("”")[0]
    assert echoed.endswith("…")
    body = echoed[:-1].removeprefix("zzqqxx ")
    assert body  # whole families only: none cut after a joiner
    assert len(body) % len(family) == 0
    assert body == family * (len(body) // len(family))


def test_an_exact_phrase_inside_japanese_text_is_exact() -> None:
    text = "吾輩はここで始めて人間というものを見た。ニャーニャー泣いていた事だけは記憶している。"
    index = SearchIndex.build(make_corpus({"neko": [text]}))
    for phrase in ("ニャーニャー泣いて", "人間というもの", "記憶"):
        [hit] = index.search(phrase, min_chars=2)
        assert (hit.exact, hit.score) == (True, 100), phrase
        assert text[hit.match_start : hit.match_end] == phrase


def test_threshold_and_not_found_c21(seed_index: SearchIndex) -> None:
    with pytest.raises(NotFound, match="No passage matched"):
        seed_index.search("zzqqxx")
    hits = seed_index.search("horific human rihts record", threshold=0, limit=20)
    assert len(hits) > 1
    scores = [h.score for h in hits]
    with pytest.raises(NotFound):
        seed_index.search("horific human rihts record", threshold=max(scores) + 0.5)


@pytest.mark.parametrize("query", ["", "   ", "!!!", "🙂", "?! 🙂 …"])
def test_nothing_to_search_c22(seed_index: SearchIndex, query: str) -> None:
    with pytest.raises(QueryError) as info:
        seed_index.search(query)
    assert info.value.reason == "nothing_to_search"
    assert "nothing to search" in str(info.value).lower()


@pytest.mark.parametrize("query", ["a", "the", "of the", "ab", "I a"])
def test_too_short_c20(seed_index: SearchIndex, query: str) -> None:
    with pytest.raises(QueryError) as info:
        seed_index.search(query)
    assert info.value.reason == "too_short"
    assert "more words" in str(info.value)


def test_min_chars_is_configurable(seed_index: SearchIndex) -> None:
    with pytest.raises(QueryError):
        seed_index.search("kim", min_chars=4)
    assert seed_index.search("kim", min_chars=3)[0].exact


def test_too_long_c23(seed_index: SearchIndex) -> None:
    with pytest.raises(QueryError) as info:
        seed_index.search("peace " * 400)
    assert info.value.reason == "too_long"
    assert "300" in str(info.value)
    with pytest.raises(QueryError) as info:
        seed_index.search("peace " * 30, max_chars=100)
    assert "100" in str(info.value)


def test_non_latin_text_is_searchable_c22() -> None:
    index = SearchIndex.build(
        make_corpus(
            {
                "hi": ["यह एक परीक्षण वाक्य है जिसमें शांति की बात है।", "कुछ और पाठ यहाँ लिखा है।"],
                "ko": ["평화는 두려움 없이 살 수 있을 때만 이루어진다.", "다른 문장입니다."],
            }
        )
    )
    hit = index.search("शांति की बात")[0]
    assert hit.exact
    assert hit.matched_text == "शांति की बात"
    hit = index.search("두려움 없이 살 수")[0]
    assert hit.exact
    assert hit.passage.document_id == "ko"
    # one short word is enough in these scripts (marks count, wide letters count double)
    assert index.search("शांति")[0].passage.document_id == "hi"
    assert index.search("평화")[0].passage.document_id == "ko"
    # a typo (missing vowel sign) still finds the passage, marks intact in the highlight
    hit = index.search("शांत की बात", threshold=60)[0]
    assert hit.passage.document_id == "hi"
    assert "की बात" in hit.matched_text


def test_long_paragraph_windows_found_and_highlighted_c23() -> None:
    rng = random.Random(7)
    words = [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "juliet",
        "kilo",
        "lima",
    ]
    before = " ".join(rng.choice(words) for _ in range(1800))
    after = " ".join(rng.choice(words) for _ in range(1800))
    phrase = "the lighthouse keeper’s lamp burned through the winter storm"
    paragraph = f"{before} {phrase} {after}"
    assert len(paragraph) > 20_000
    index = SearchIndex.build(make_corpus({"huge": [paragraph]}))
    assert len(index) > 40
    assert all(len(p.text) <= 400 for p in index.passages)
    hits = index.search("lighthouse keepers lamp burnd thru the winter", limit=3)
    assert len(hits) == 1  # overlapping windows of one paragraph give one hit
    hit = hits[0]
    assert hit.passage.text == paragraph[hit.passage.start : hit.passage.end]
    absolute = hit.passage.start + hit.match_start
    assert paragraph[absolute : hit.passage.start + hit.match_end] == hit.matched_text
    assert hit.matched_text.startswith("lighthouse keeper’s lamp")
    assert hit.matched_text.endswith("winter")


def test_windows_cover_paragraph_with_overlap() -> None:
    text = " ".join(f"w{i:04d}" for i in range(2000))
    index = SearchIndex.build(make_corpus({"d": [text]}), window=200, overlap=50)
    spans = [(p.start, p.end) for p in index.passages]
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    for (s1, e1), (s2, _) in itertools.pairwise(spans):
        assert s1 < s2 < e1  # consecutive windows overlap
        assert e1 - s2 >= 40
    for p in index.passages:
        assert not p.text[0].isspace()
        assert not p.text[-1].isspace()
        assert p.start == 0 or text[p.start - 1] == " "  # windows start at word boundaries


def test_junk_passages_dropped_and_short_passage_trap() -> None:
    index = SearchIndex.build(
        make_corpus(
            {"d": ["* * *", "peace", "Peace can only be achieved when people live without fear."]}
        )
    )
    assert [p.text for p in index.passages] == [
        "peace",
        "Peace can only be achieved when people live without fear.",
    ]
    hits = index.search("peace can only be achievd", limit=2)
    assert hits[0].passage.paragraph == 3
    assert len(hits) == 1 or hits[1].score < 50


def test_document_filter() -> None:
    index = SearchIndex.build(
        make_corpus(
            {"seed": seed_paragraphs(), "other": ["jaw jaw is better than war war, said he."]}
        )
    )
    assert index.search("better than war war said he")[0].passage.document_id == "other"
    hit = index.search("better than war war said he", document="seed", threshold=50)[0]
    assert hit.passage.document_id == "seed"
    assert hit.passage.paragraph == 1
    with pytest.raises(NotFound, match="no document called"):
        index.search("jaw jaw", document="missing")
    with pytest.raises(NotFound, match="in “other”"):  # names the document (its title)
        index.search("zzqqxx", document="other")


def test_suggest(seed_index: SearchIndex) -> None:
    out = seed_index.suggest("human rights rec")
    assert 1 <= len(out) <= 25
    assert out[0].startswith("human rights record")
    assert all(len(s) <= 100 for s in out)
    assert len(set(out)) == len(out)
    assert seed_index.suggest("hu") == []
    assert seed_index.suggest("!!!") == []
    assert len(seed_index.suggest("peace", limit=2)) <= 2


def _generated_corpus(n_paragraphs: int, seed: int) -> tuple[Corpus, list[str]]:
    rng = random.Random(seed)
    vocabulary = sorted(
        {w.strip("“”,.?:;–").lower() for p in seed_paragraphs() for w in p.split()} - {""}
    )
    paragraphs = seed_paragraphs()
    while len(paragraphs) < n_paragraphs:
        paragraphs.append(
            " ".join(rng.choice(vocabulary) for _ in range(rng.randint(12, 60))).capitalize() + "."
        )
    return make_corpus({"gen": paragraphs}), vocabulary


def _typo(phrase: str, rng: random.Random) -> str:
    chars = list(phrase)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(chars))
        op = rng.choice("drsi")
        if op == "d":
            del chars[i]
        elif op == "r":
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
        elif op == "s" and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars.insert(i, rng.choice("aeiou"))
    return "".join(chars)


def test_index_agrees_with_brute_force_scan() -> None:
    corpus, _ = _generated_corpus(3000, seed=11)
    index = SearchIndex.build(corpus, candidates=100)
    assert len(index) > 1000  # the candidate stage, not a full scan, is under test
    rng = random.Random(5)
    agree = total = 0
    for _ in range(100):
        words = rng.choice(index.passages).text.split()
        if len(words) < 6:
            continue
        start = rng.randrange(len(words) - 5)
        query = _typo(" ".join(words[start : start + rng.randint(5, 8)]), rng)
        try:
            fast = index.search(query, limit=1)[0]
        except NotFound:
            fast = None
        try:
            slow = index.search(query, limit=1, exhaustive=True)[0]
        except NotFound:
            slow = None
        total += 1
        agree += fast == slow
    assert total >= 80
    assert agree / total >= 0.95


HUGE = Path(__file__).resolve().parents[1] / "data" / "corpus" / "one_huge_paragraph.txt"


def test_phrases_anywhere_in_a_20000_character_paragraph_are_found_exactly() -> None:
    blocks = [
        " ".join(b.split()) for b in re.split(r"\n\s*\n", HUGE.read_text("utf-8")) if b.strip()
    ]
    paragraph = max(blocks, key=len)
    assert len(paragraph) > 20_000
    index = SearchIndex.build(make_corpus({"huge": [paragraph]}))
    words = paragraph.split()
    rng = random.Random(3)
    for _ in range(5):
        start = rng.randrange(len(words) - 8)
        phrase = " ".join(words[start : start + 8])
        hit = index.search(phrase.upper())[0]
        assert hit.exact
        assert hit.matched_text.lower() == phrase.lower()
        absolute = hit.passage.start + hit.match_start
        assert paragraph[absolute : absolute + len(phrase)].lower() == phrase.lower()
    with pytest.raises(QueryError) as info:
        index.search(paragraph[:2000])
    assert info.value.reason == "too_long"


def test_build_reports_monotonic_progress() -> None:
    calls: list[tuple[int, int]] = []
    SearchIndex.build(
        make_corpus({"seed": seed_paragraphs(), "b": ["one more paragraph of text"]}),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1][0] == calls[-1][1] > 0
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(calls))
    assert all(done <= total for done, total in calls)


def test_limit_passages_and_len(seed_index: SearchIndex) -> None:
    assert (
        len(seed_index) == len(seed_index.passages) > len(seed_paragraphs())
    )  # long ones windowed
    hits = seed_index.search("north korea human rights", limit=7, threshold=50)
    assert 1 < len(hits) <= 7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({(h.passage.document_id, h.passage.paragraph) for h in hits}) == len(hits)
    with pytest.raises(ValueError, match="limit"):
        seed_index.search("north korea", limit=0)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    corpus = make_corpus({"seed": seed_paragraphs(), "b": ["Quoth the raven, nevermore."]})
    built = SearchIndex.build(corpus)
    folder = tmp_path / "cache" / "index"
    built.save(folder)
    for loaded in (
        SearchIndex.load(folder, corpus),
        SearchIndex.load(folder, mmap=False),
        SearchIndex.load(folder),  # self-contained: passage texts are saved too
    ):
        assert loaded.passages == built.passages
        for query in ["jaw jaw is beter than war war", "quoth the raven", "horific human rihts"]:
            assert loaded.search(query, limit=3) == built.search(query, limit=3)
        assert loaded.search("raven", document="b")[0].passage.document_id == "b"
        assert loaded.suggest("human rights rec") == built.suggest("human rights rec")
    assert sorted(p.name for p in folder.iterdir())[:3] == [
        "doc.npy",
        "end.npy",
        "escape16_ptr.npy",
    ]
    assert np.load(folder / "gaps.npy", mmap_mode="r").dtype == np.uint8
    built.save(folder)  # replacing a saved index leaves no temporary folder behind
    assert [p.name for p in folder.parent.iterdir()] == ["index"]


def test_load_refuses_a_stale_missing_or_damaged_index(tmp_path: Path) -> None:
    corpus = make_corpus({"seed": seed_paragraphs()})
    folder = tmp_path / "index"
    with pytest.raises(IndexFileError, match=r"meta\.json is missing"):
        SearchIndex.load(folder, corpus)
    SearchIndex.build(corpus).save(folder)
    changed = seed_paragraphs()
    changed[3] += " One more sentence."
    with pytest.raises(IndexFileError, match="another version of the corpus"):
        SearchIndex.load(folder, make_corpus({"seed": changed}))
    with pytest.raises(IndexFileError, match="window=400"):
        SearchIndex.load(folder, corpus, window=300)  # built with other windows
    postings = folder / "gaps.npy"
    data = bytearray(postings.read_bytes())
    data[-1] = 0xFF
    postings.write_bytes(bytes(data))
    with pytest.raises(IndexFileError, match=r"gaps\.npy is damaged"):
        SearchIndex.load(folder, corpus)
    with pytest.raises(IndexFileError, match=r"posting list .* passage ids outside") as caught:
        SearchIndex.load(folder, corpus, verify=False)  # the spot check of the lists catches it
    assert caught.value.reason == "damaged"
    postings.write_bytes(b"")
    with pytest.raises(IndexFileError, match=r"gaps\.npy has 0 bytes"):
        SearchIndex.load(folder, corpus)
    SearchIndex.build(corpus).save(folder)
    (folder / "keys.npy").unlink()
    with pytest.raises(IndexFileError, match=r"keys\.npy"):
        SearchIndex.load(folder, corpus, verify=False)
    meta = folder / "meta.json"
    meta.write_text(meta.read_text().replace('"version": 4', '"version": 1'))
    with pytest.raises(IndexFileError, match="format version 1"):
        SearchIndex.load(folder)
    meta.write_text("{not json")
    with pytest.raises(IndexFileError, match="unreadable"):
        SearchIndex.load(folder)


def _rewrite_array(folder: Path, name: str, array: np.ndarray) -> None:
    """Replace a saved array and record its size and checksum in ``meta.json`` (crafted damage
    that only the index's own checks can find)."""
    import json
    import zlib

    np.save(folder / f"{name}.npy", array, allow_pickle=False)
    data = (folder / f"{name}.npy").read_bytes()
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["arrays"][name].update(bytes=len(data), crc32=f"{zlib.crc32(data):08x}")
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def test_a_damaged_posting_list_is_found_by_the_query_that_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Loading decodes only a sample of the posting lists; a query checks each list it decodes.
    One that does not decode is logged and skipped (the query still answers from the others),
    and the folder is marked so that the next load rebuilds it."""
    from bot.core.search import _checks

    corpus = make_corpus({"seed": seed_paragraphs()})
    folder = tmp_path / "index"
    built = SearchIndex.build(corpus)
    built.save(folder)
    query = "jaw jaw is better than war war"
    expected = built.search(query, limit=1)
    lists, df = built._postings.lookup(query)
    last = len(built._postings.grams) - 1
    t = next(int(t) for t in lists[np.argsort(df, kind="stable")] if 0 < t < last)  # read first
    gaps = np.load(folder / "gaps.npy")
    gaps[int(built._postings.indptr[t])] = 255  # its ids now run past the last passage
    _rewrite_array(folder, "gaps", gaps)
    monkeypatch.setattr(_checks, "SPOT_POSTINGS", 1)  # the spot check decodes the last list only
    loaded = SearchIndex.load(folder, corpus)
    assert loaded.problem is None
    hits = loaded.search(query, limit=1)
    assert [h.passage for h in hits] == [h.passage for h in expected]
    assert loaded.problem is not None
    assert f"posting list {t}" in loaded.problem
    assert str(folder) in caplog.text
    assert "rebuilt at the next start" in caplog.text
    with pytest.raises(IndexFileError) as caught:
        SearchIndex.load(folder, corpus)
    assert caught.value.reason == "missing"


def test_loading_reads_the_small_arrays_and_spot_checks_the_rest(tmp_path: Path) -> None:
    """A crafted folder (valid checksums) whose passage spans do not fit their texts, or whose
    lists are damaged everywhere, is refused at load without a query."""
    corpus = make_corpus({"a": ["Quoth the raven, nevermore.", "Jaw jaw is better than war war."]})
    folder = tmp_path / "index"
    SearchIndex.build(corpus).save(folder)
    end = np.load(folder / "end.npy")
    _rewrite_array(folder, "end", end + 1)
    with pytest.raises(IndexFileError, match="passage texts do not fit their spans"):
        SearchIndex.load(folder)
    SearchIndex.build(corpus).save(folder)
    gaps = np.load(folder / "gaps.npy")
    gaps[:] = 255  # every list runs past the last passage
    _rewrite_array(folder, "gaps", gaps)
    with pytest.raises(IndexFileError, match=r"escapes for its zero bytes|passage ids outside"):
        SearchIndex.load(folder)


def test_equal_scores_prefer_the_passage_sharing_more_of_the_query() -> None:
    index = SearchIndex.build(
        make_corpus(
            {
                "d": [
                    "At dusk the lighthouse keeper lamb was fed by the old woman.",
                    "At dusk the lighthouse keeper lamb was fed, and later the lamp was lit.",
                ]
            }
        )
    )
    first, second = index.search("lighthouse keeper lamp", limit=2)
    assert first.score == second.score  # the same best window in both
    assert first.passage.paragraph == 2  # "lamp" also occurs in it, outside the window
    assert first.matched_text == "lighthouse keeper lamb"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def _whole_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts and ends at word boundaries (not inside a word)."""
    starts_clean = (
        start == 0 or not _is_word_char(text[start - 1]) or not _is_word_char(text[start])
    )
    ends_clean = (
        end == len(text) or not _is_word_char(text[end - 1]) or not _is_word_char(text[end])
    )
    return start < end and starts_clean and ends_clean


def test_mid_word_substring_is_not_exact(seed_index: SearchIndex) -> None:
    hit = seed_index.search("eace means letti")[0]
    assert "Peace means letting" in hit.passage.text
    assert not hit.exact
    assert hit.score < 100
    assert hit.matched_text == "Peace means letting"  # snapped out to the whole words
    assert _whole_words(hit.passage.text, hit.match_start, hit.match_end)


def test_whole_word_exact_outranks_mid_word_occurrence() -> None:
    index = SearchIndex.build(
        make_corpus({"d": ["Her interest assured us all.", "Rest assured, we will come."]})
    )
    first, second = index.search("rest assured", limit=2, threshold=0)
    assert (first.passage.paragraph, first.exact, first.score) == (2, True, 100)
    assert first.matched_text == "Rest assured"
    assert (second.passage.paragraph, second.exact) == (1, False)
    assert second.score < 100
    assert second.matched_text == "interest assured"
    # the phrase later in the passage at word boundaries still counts as exact, highlighted there
    index = SearchIndex.build(make_corpus({"d": ["Her interest assured us, so rest assured."]}))
    hit = index.search("rest assured")[0]
    assert hit.exact
    assert hit.match_start == len("Her interest assured us, so ")
    assert hit.matched_text == "rest assured"


def test_fuzzy_hit_inside_longer_words_is_penalised() -> None:
    index = SearchIndex.build(
        make_corpus({"d": ["I recommended it to them.", "We walk every night of the week."]})
    )
    hits = index.search("comment", threshold=0, limit=2)
    recommended = next(h for h in hits if h.passage.paragraph == 1)
    assert recommended.score < 80  # partial_ratio alone gives 86
    assert recommended.matched_text == "recommended"
    with pytest.raises(NotFound):  # "every n|ight" is not "everyone"
        index.search("@everyone")
    typo = index.search("recomended")[0]  # a typo'd whole word keeps its score
    assert typo.passage.paragraph == 1
    assert typo.score >= 90
    assert typo.matched_text == "recommended"


def test_highlights_never_cut_words_property() -> None:
    corpus, _ = _generated_corpus(400, seed=23)
    index = SearchIndex.build(corpus)
    rng = random.Random(17)
    checked = 0
    for n in range(300):
        text = rng.choice(index.passages).text
        words = text.split()
        if n % 3 == 0:  # a fragment starting and ending inside words, as typed carelessly
            a = rng.randrange(max(1, len(text) - 30))
            query = text[a : a + rng.randint(8, 30)]
        else:
            start = rng.randrange(max(1, len(words) - 3))
            query = _typo(" ".join(words[start : start + rng.randint(2, 7)]), rng)
        try:
            hits = index.search(query, limit=3, threshold=50)
        except (NotFound, QueryError):
            continue
        for hit in hits:
            checked += 1
            assert _whole_words(hit.passage.text, hit.match_start, hit.match_end), (query, hit)
            assert hit.exact == (hit.score == 100)
    assert checked >= 300


def test_repeated_text_gives_as_many_hits_as_asked() -> None:
    """When hundreds of passages hold every q-gram of the query (repeated text), the passages
    tied at the candidate cut are all rescored, so one long paragraph of the same words cannot
    crowd out the other documents."""
    sentence = "the miller counted sacks of grain for the winter while the heron stood in the reeds"
    documents = {"long": [" ".join([sentence.capitalize() + "."] * 400)]}
    documents.update({f"d{i:02d}": [sentence.capitalize() + "."] for i in range(70)})
    index = SearchIndex.build(make_corpus(documents))
    assert len(index) > 100  # more passages than the 50 candidates
    hits = index.search("the miler counted sacks of grain for the wintr", limit=10)
    assert len(hits) == 10
    assert len({h.passage.document_id for h in hits}) == 10


def test_half_remembered_phrases_with_words_moved_are_found_and_highlighted() -> None:
    """Words dropped, swapped or moved: the passage that has them all, near each other, is
    found first (character alignment alone scored these under the threshold), and the
    highlight covers the words that matched, wherever they are."""
    index = SearchIndex.build(
        make_corpus(
            {
                "austen": [
                    "It is a truth universally acknowledged, that a single man in possession of "
                    "a good fortune, must be in want of a wife.",
                    "However little known the feelings or views of such a man may be.",
                ],
                "other": [
                    "The single man in possession of the house was a truth nobody doubted.",
                    "A good fortune must be in want of a careful steward, she said.",
                ],
            }
        )
    )
    hits = index.search("in want of a wife must be a good fortune")
    assert (hits[0].passage.document_id, hits[0].passage.paragraph) == ("austen", 1)
    assert hits[0].matched_text == "of a good fortune, must be in want of a wife"
    assert not hits[0].exact
    assert 70 <= hits[0].score < 100
    hits = index.search("a good fortune in possession of a single man")
    assert (hits[0].passage.document_id, hits[0].passage.paragraph) == ("austen", 1)
    assert hits[0].matched_text == "a single man in possession of a good fortune"
    hits = index.search("truth acknowledged universally that a single man")
    assert hits[0].matched_text == "a truth universally acknowledged, that a single man"


def test_loading_checks_each_long_paragraph_windows_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A book saved as one huge paragraph (a PDF, a one-line file) has thousands of passages; the
    load-time check must not cut that paragraph into windows again for each of them."""
    from bot.core.search import _text

    words = [f"word{i}" for i in range(20_000)]
    corpus = make_corpus({"book": [" ".join(words)], "b": ["Quoth the raven, nevermore."]})
    folder = tmp_path / "index"
    built = SearchIndex.build(corpus)
    built.save(folder)
    assert len(built.passages) > 100
    calls: list[int] = []
    real = _text.windows

    def counting(text: str, window: int, overlap: int) -> list[tuple[int, int]]:
        calls.append(len(text))
        return real(text, window, overlap)

    monkeypatch.setattr(_text, "windows", counting)
    loaded = SearchIndex.load(folder, corpus)
    assert loaded.passages == built.passages
    assert len(calls) <= 2  # once per paragraph

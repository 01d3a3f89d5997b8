"""Normalisation: folding rules, the offset map back to the original, and the fast path."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.normalize import normalize, normalize_text, searchable_chars


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("THE RAVEN", "the raven"),
        ("Don’t go gentle", "don't go gentle"),
        ("“jaw jaw” is better than «war war»", '"jaw jaw" is better than "war war"'),
        ("peace – which — can − only", "peace - which - can - only"),
        ("wait…", "wait..."),
        ("  a \t\n\u00a0 b  ", "a b"),
        ("Straße", "strasse"),
        ("ﬁne ＡＢＣ", "fine abc"),  # NFKC: ligature and full-width letters
        ("soft\u00adhyphen", "softhyphen"),
        ("2″ long", '2" long'),
    ],
)
def test_folding(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Don’t go gentle!", "dont go gentle"),
        ("“jaw jaw” is better than “war war”, and", "jaw jaw is better than war war and"),
        ("Kim Jong-Un's crimes", "kim jong uns crimes"),
        ("!!! 🙂", ""),
    ],
)
def test_matching_key_strips_punctuation(raw: str, expected: str) -> None:
    assert normalize(raw, punctuation=False).text == expected
    assert normalize_text(raw, punctuation=False) == expected


def test_combining_marks_are_kept_for_devanagari_and_korean() -> None:
    hindi = "नमस्ते दुनिया"
    assert normalize(hindi).text == hindi  # virama and vowel signs stay
    korean = "안녕하세요 세계"
    assert normalize(korean).text == korean
    # decomposed jamo compose under NFKC and still map back to the whole original syllable
    decomposed = "\u1100\u1161\u11a8 x"  # 각 as three jamo
    norm = normalize(decomposed)
    assert norm.text == "각 x"
    assert norm.to_original(0, 1) == (0, 3)
    # e + combining acute composes; the highlight keeps the mark
    norm = normalize("Cafe\u0301 noir")
    assert norm.text == "café noir"
    assert norm.to_original(0, 4) == (0, 5)


def test_offsets_map_back_through_folds_and_collapsed_space() -> None:
    raw = "  Don’t…  stop—NOW "
    norm = normalize(raw)
    assert norm.text == "don't... stop-now"
    assert len(norm.offsets) == len(norm.text) + 1
    i = norm.text.index("stop")
    start, end = norm.to_original(i, i + 4)
    assert raw[start:end] == "stop"
    start, end = norm.to_original(norm.text.index("..."), norm.text.index("...") + 3)
    assert raw[start:end] == "…"
    start, end = norm.to_original(0, len(norm.text))
    assert raw[start:end] == "Don’t…  stop—NOW"


def test_empty_span_and_bad_span() -> None:
    norm = normalize("abc")
    assert norm.to_original(1, 1) == (1, 1)
    with pytest.raises(IndexError):
        norm.to_original(2, 5)


def test_searchable_chars() -> None:
    assert searchable_chars("!!!") == 0
    assert searchable_chars("🙂") == 0
    assert searchable_chars("   ") == 0
    assert searchable_chars("a-b c!") == 3
    assert searchable_chars("안녕") == 2


_text = st.text(
    alphabet=st.sampled_from(
        list("abcXYZ 09.,'!\t\n") + list("’“”–—…ßﬁ\u00a0\u0301\u0915\u094d\u1100\u1161\u11a8가é🙂İ")
    ),
    max_size=40,
) | st.text(max_size=30)


@settings(max_examples=400, deadline=None)
@given(_text, st.booleans())
def test_offset_map_property(raw: str, punctuation: bool) -> None:
    norm = normalize(raw, punctuation=punctuation)
    assert normalize_text(raw, punctuation=punctuation) == norm.text
    # Idempotent, except where deleting a character lets conjoining Hangul jamo compose on the
    # second pass (ᄀ'ᅡ → 가 → 가): harmless, since corpus and query are each normalised once.
    if not any("\u1100" <= ch <= "\u11ff" for ch in raw):
        assert normalize(norm.text, punctuation=punctuation).text == norm.text
    assert len(norm.offsets) == len(norm.text) + 1
    assert len(norm.ends) == len(norm.text)
    for i in range(len(norm.text)):
        for j in range(i + 1, len(norm.text) + 1):
            start, end = norm.to_original(i, j)
            assert 0 <= start < end <= len(raw)
            # the original span, normalised on its own, contains the normalised span's content
            piece = normalize(raw[start:end], punctuation=punctuation).text
            assert norm.text[i:j].strip() in piece


_simple_text = st.text(
    alphabet=st.sampled_from(
        list("aZ9 \t\n.,'!-\"_\x00\x1f") + list("’‘“”–—…\u00a0\u00ad\u200b′″«")
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(_simple_text)
def test_word_at_a_time_fast_path_matches_reference(raw: str) -> None:
    from bot.core.normalize import _normalize_clusters  # the per-cluster reference

    assert normalize(raw, punctuation=False) == _normalize_clusters(raw, False)

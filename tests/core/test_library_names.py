"""How ``Library.document`` resolves a typed document name (ids, prefixes, titles, misspellings)."""

from __future__ import annotations

import unicodedata

import pytest

from bot.core.errors import NotFound
from bot.core.library import Library
from bot.core.loader import parse_document
from bot.core.models import Corpus

TITLES = {
    "emma": "EMMA",
    "great-expectations": "GREAT EXPECTATIONS",
    "mansfield-park": "MANSFIELD PARK",
    "moby-dick": "Moby Dick; or The Whale",
    "persuasion": "Persuasion",
    "pride-and-prejudice": "PRIDE AND PREJUDICE",
    "the-war-of-the-worlds": "The War of the Worlds",
    "twenty-thousand-leagues-under-the-sea": "TWENTY THOUSAND LEAGUES UNDER THE SEA",
}


@pytest.fixture(scope="module")
def library() -> Library:
    body = "It was a quiet morning in the town, and nobody was yet awake."
    docs = tuple(
        parse_document(f"{title}\n\n{body}\n", document_id=doc_id)
        for doc_id, title in TITLES.items()
    )
    return Library(Corpus(docs))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("emma", "emma"),
        ("EMMA", "emma"),
        ("Moby-Dick", "moby-dick"),
        ("moby", "moby-dick"),
        ("pride", "pride-and-prejudice"),
        ("persuasion", "persuasion"),
        ("The War of the Worlds", "the-war-of-the-worlds"),
        ("moby dick; or the whale", "moby-dick"),
        ("pride and prejudce", "pride-and-prejudice"),
        ("mansfeld park", "mansfield-park"),
        ("war of the worlds", "the-war-of-the-worlds"),
    ],
)
def test_ids_prefixes_titles_and_misspellings_resolve(
    library: Library, typed: str, expected: str
) -> None:
    document = library.document(typed)
    assert document is not None
    assert document.id == expected


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("m", {"emma", "mansfield-park", "moby-dick"}),
        ("e", {"emma", "great-expectations"}),
        ("a", {"emma", "pride-and-prejudice"}),
        ("the", {"moby-dick", "the-war-of-the-worlds", "twenty-thousand-leagues-under-the-sea"}),
        ("p", {"persuasion", "pride-and-prejudice"}),
    ],
)
def test_short_or_ambiguous_names_list_the_candidates(
    library: Library, typed: str, candidates: set[str]
) -> None:
    with pytest.raises(NotFound) as caught:
        library.document(typed)
    message = str(caught.value)
    assert f"“{typed}” matches several documents" in message
    assert "Give one of these ids" in message
    for doc_id in candidates:
        assert doc_id in message


def test_nothing_close_lists_the_documents(library: Library) -> None:
    with pytest.raises(NotFound) as caught:
        library.document("xyzzy")
    assert "There is no document called “xyzzy”" in str(caught.value)
    assert "emma" in str(caught.value)


def test_an_empty_option_is_no_document(library: Library) -> None:
    assert library.document("  ") is None
    assert library.document(None) is None


# ---- names typed in other Unicode forms resolve as search would find them -----------------


@pytest.fixture(scope="module")
def unicode_library() -> Library:
    body = "It was a quiet morning in the town, and nobody was yet awake."
    titles = {
        "resume-noir": "Résumé Noir",
        "grosse-strasse": "Große Straße",
        "tokyo": "Tokyo Story",
    }
    docs = tuple(
        parse_document(f"{title}\n\n{body}\n", document_id=doc_id)
        for doc_id, title in titles.items()
    )
    return Library(Corpus(docs))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (unicodedata.normalize("NFD", "Résumé Noir"), "resume-noir"),  # decomposed accents
        ("Grosse Strasse", "grosse-strasse"),  # ß folds to ss
        ("GROSSE STRASSE", "grosse-strasse"),
        ("Große Straße", "grosse-strasse"),
        ("Ｔｏｋｙｏ Ｓｔｏｒｙ", "tokyo"),  # full-width letters
        ("ｔｏｋｙｏ", "tokyo"),  # a full-width id
    ],
)
def test_names_are_normalised_like_search(
    unicode_library: Library, typed: str, expected: str
) -> None:
    found = unicode_library.document(typed)
    assert found is not None
    assert found.id == expected


# ---- autocomplete values round-trip exactly --------------------------------------------------


def test_long_ids_get_short_stable_keys_that_resolve_exactly() -> None:
    body = "It was a quiet morning in the town, and nobody was yet awake."
    stem = "a-very-long-document-id-" * 5  # 120 characters
    ids = [stem + "first", stem + "second", "short"]
    docs = tuple(parse_document(f"Title {i}\n\n{body}\n", document_id=i) for i in ids)
    library = Library(Corpus(docs))
    pairs = library.document_choices("")
    values = [value for _, value in pairs]
    assert len(set(values)) == 3  # ids sharing their first 100 characters stay apart
    assert all(1 <= len(v) <= 100 for v in values)
    for doc_id, value in zip(ids, values, strict=True):
        found = library.document(value)
        assert found is not None
        assert found.id == doc_id
    again = Library(Corpus(docs)).document_choices("")
    assert again == pairs  # stable across restarts
    assert values[2] == "short"  # short ids are sent as themselves

"""How ``Library.document`` resolves a typed document name (ids, prefixes, titles, misspellings)."""

from __future__ import annotations

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
    assert "Pick one from the list" in message
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

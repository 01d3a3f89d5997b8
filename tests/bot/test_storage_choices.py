"""Each server's choice of documents in storage (SQLite and memory), and what it makes visible."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.loader import parse_document
from bot.core.models import Corpus
from bot.core.sources import collection_of, collections, visible_documents
from bot.storage import MemoryStorage, SQLiteStorage


@pytest.mark.parametrize("backend", ["sqlite", "memory"])
async def test_choices_are_kept_per_guild(backend: str, tmp_path: Path) -> None:
    storage = (
        await SQLiteStorage.open(tmp_path / "s.sqlite3") if backend == "sqlite" else MemoryStorage()
    )
    try:
        assert await storage.document_choices(1) == {}
        await storage.set_document_choice(1, "emma", False)
        await storage.set_document_choice(1, "collection:wells", False)
        await storage.set_document_choice(2, "emma", True)
        await storage.set_document_choice(1, "emma", True)  # changed, not added
        assert await storage.document_choices(1) == {"collection:wells": False, "emma": True}
        await storage.set_document_choice(1, "emma", None)  # forgotten
        assert await storage.document_choices(1) == {"collection:wells": False}
        assert await storage.all_document_choices() == {
            1: {"collection:wells": False},
            2: {"emma": True},
        }
        assert await storage.clear_document_choices(1) == 1
        assert await storage.document_choices(1) == {}
    finally:
        await storage.close()


def test_a_documents_own_choice_wins_over_its_folders(tmp_path: Path) -> None:
    root = tmp_path / "library"
    docs = tuple(
        parse_document("Title\n\nSome text here.\n", document_id=name, path=str(root / path))
        for name, path in (
            ("emma", "austen/emma.txt"),
            ("persuasion", "austen/persuasion.txt"),
            ("loose", "loose.txt"),
        )
    )
    corpus = Corpus(docs)
    assert [collection_of(d, [root]) for d in corpus] == ["austen", "austen", "library"]
    assert collections(corpus, [root]) == {"austen": ["emma", "persuasion"], "library": ["loose"]}
    assert visible_documents(corpus, {}, [root]) is None
    off = {"collection:austen": False, "persuasion": True}
    assert visible_documents(corpus, off, [root]) == {"persuasion", "loose"}
    assert visible_documents(corpus, {"gone-document": False}, [root]) == {
        "emma",
        "persuasion",
        "loose",
    }

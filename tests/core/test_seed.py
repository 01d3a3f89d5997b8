"""The shipped seed essay, loaded the way the bot loads it: with its manifest, and without."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.loader import load_corpus
from bot.core.models import Document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_FILE = SEEDS / "trump-must-hold-kim-jong-un-to-account.txt"
TITLE = "Trump Must Hold Kim Jong-Un's Horrific Human Rights Record To Account"
BIO_START = "Benedict Rogers works for the human rights organization CSW"


@pytest.fixture(scope="module")
def seed() -> Document:
    corpus = load_corpus([SEEDS])
    assert corpus.problems == ()
    assert len(corpus) == 1
    return corpus.documents[0]


def test_manifest_metadata(seed: Document) -> None:
    assert seed.id == "kim-human-rights"
    assert seed.outlet == "HuffPost UK"
    assert seed.author == "Benedict Rogers"
    assert seed.path == str(SEED_FILE)


def test_title_standfirst_and_bio(seed: Document) -> None:
    assert seed.title == TITLE
    assert seed.standfirst is not None
    assert seed.standfirst.startswith("If these talks are to mean anything")
    assert seed.author_bio is not None
    assert seed.author_bio.startswith(BIO_START)


def test_body_paragraphs(seed: Document) -> None:
    paragraphs = [p.text for p in seed.paragraphs]
    assert len(paragraphs) == 11
    assert [p.number for p in seed.paragraphs] == list(range(1, 12))
    assert "jaw jaw" in seed.paragraph(1).text
    assert seed.paragraph(1).text.startswith("This week, Donald Trump and Kim Jong-Un will meet")
    assert seed.paragraph(11).text.startswith("So, Mr Trump, who is your role model?")
    assert "What's Hot" not in paragraphs
    assert not any(p.startswith(BIO_START) for p in paragraphs)
    assert TITLE not in paragraphs
    assert not any(p.startswith("If these talks are to mean anything") for p in paragraphs)
    # Every body paragraph is in the file verbatim (the seed is not hard-wrapped).
    source = SEED_FILE.read_text(encoding="utf-8")
    assert all(p in source for p in paragraphs)


def test_sentences_have_correct_offsets(seed: Document) -> None:
    for paragraph in seed.paragraphs:
        assert paragraph.sentences
        previous_end = 0
        for index, sentence in enumerate(paragraph.sentences):
            assert sentence.document_id == seed.id
            assert sentence.paragraph == paragraph.number
            assert sentence.index == index
            assert previous_end <= sentence.start < sentence.end
            assert paragraph.text[sentence.start : sentence.end] == sentence.text
            assert sentence.text == sentence.text.strip()
            previous_end = sentence.end
        # Sentences cover the paragraph: only whitespace lies between them.
        rebuilt = " ".join(s.text for s in paragraph.sentences)
        assert rebuilt.split() == paragraph.text.split()
    first = [s.text for s in seed.paragraph(1).sentences]
    assert first[0] == "This week, Donald Trump and Kim Jong-Un will meet for the second time."
    assert len(first) == 4
    assert (
        seed.paragraph(10)
        .sentences[0]
        .text.startswith("The last time President Trump and Mr Kim met, in Singapore,")
    )


def test_heuristics_alone_find_the_same_structure(tmp_path: Path) -> None:
    shutil.copy(SEED_FILE, tmp_path)  # no manifest beside it
    corpus = load_corpus([tmp_path])
    assert corpus.problems == ()
    [document] = corpus.documents
    assert document.id == "trump-must-hold-kim-jong-un-to-account"
    assert document.author == "Benedict Rogers"
    assert document.outlet is None
    assert document.title == TITLE
    assert document.standfirst is not None
    assert document.standfirst.startswith("If these talks are to mean anything")
    assert len(document.paragraphs) == 11
    assert document.author_bio is not None
    assert document.author_bio.startswith(BIO_START)

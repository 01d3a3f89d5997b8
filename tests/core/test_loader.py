"""The corpus loader: reported faulty files, structure heuristics, metadata, ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.errors import CorpusError, UserError
from bot.core.loader import (
    DocumentError,
    decode_text,
    load_corpus,
    load_document,
    parse_document,
    require_documents,
    slugify,
)
from bot.core.models import Corpus, Document
from bot.core.search import SearchIndex

CASES = Path(__file__).resolve().parents[1] / "data" / "corpus"  # see tests/data/README.md


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    """A private copy of every reported case file."""
    folder = tmp_path / "cases"
    shutil.copytree(CASES, folder)
    return folder


def only(corpus: Corpus) -> Document:
    assert len(corpus.documents) == 1, corpus
    return corpus.documents[0]


def by_name(corpus: Corpus, name: str) -> Document:
    matches = [d for d in corpus if Path(d.path).name == name]
    assert len(matches) == 1, [d.path for d in corpus]
    return matches[0]


def texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def assert_offsets(document: Document) -> None:
    for number, paragraph in enumerate(document.paragraphs, start=1):
        assert paragraph.number == number
        assert paragraph.document_id == document.id
        for index, sentence in enumerate(paragraph.sentences):
            assert sentence.index == index
            assert paragraph.text[sentence.start : sentence.end] == sentence.text


def write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------- byte-order mark, Windows-1252, CRLF, non-documents


def test_byte_order_mark_is_not_part_of_the_title(cases: Path) -> None:
    document = load_document(cases / "bom_title.txt")
    assert document.title == "The Lighthouse Keeper"
    # A one-sentence second block is body text, not a standfirst: no text is hidden from search.
    assert document.standfirst is None
    assert texts(document)[0] == "A short piece about patience."
    assert texts(document)[1].startswith("The keeper climbed the stairs")
    assert "\ufeff" not in document.title + "".join(texts(document))


def test_windows_1252_is_decoded_with_a_non_fatal_problem(cases: Path) -> None:
    path = cases / "cp1252_smart_quotes.txt"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the premise: this file is not UTF-8
    folder = cases.parent / "c33"
    folder.mkdir()
    shutil.copy(path, folder)
    write(folder / "other.txt", "Other\n\nA second document that is fine.\n")
    corpus = load_corpus([folder])
    document = by_name(corpus, "cp1252_smart_quotes.txt")
    assert document.title == "Letters Home"
    assert texts(document)[0] == "A soldier writes to his mother."
    assert texts(document)[1].startswith("Don’t worry about me, I’m eating well.")
    assert "terrible – but hot" in texts(document)[1]
    assert texts(document)[2] == "Tell Anna I’ll write to her next week."
    assert len(corpus.documents) == 2
    [problem] = corpus.problems
    assert problem.path == str(folder / "cp1252_smart_quotes.txt")
    assert not problem.fatal
    assert "Windows-1252" in problem.reason


def test_crlf_and_cr_give_the_same_document_as_lf(cases: Path) -> None:
    crlf = cases / "crlf_paragraphs.txt"
    data = crlf.read_bytes()
    assert b"\r\n" in data
    lf = write(cases.parent / "lf.txt", data.replace(b"\r\n", b"\n").decode())
    cr = write(cases.parent / "cr.txt", data.replace(b"\r\n", b"\r").decode())
    documents = [load_document(p) for p in (crlf, lf, cr)]
    reference = documents[0]
    assert reference.title == "Notes From the Harbour"
    assert reference.standfirst is None
    assert texts(reference)[0] == "A week of weather."  # the first paragraph is body text
    assert len(reference.paragraphs) == 4
    for document in documents:
        assert document.title == reference.title
        assert document.standfirst == reference.standfirst
        assert texts(document) == texts(reference)
        everything = document.title + (document.standfirst or "") + "".join(texts(document))
        assert "\r" not in everything
        assert "\r" not in "".join(s.text for s in document.sentences)


def test_bad_files_are_reported_by_path_and_the_rest_loads(cases: Path) -> None:
    corpus = load_corpus([cases])
    fatal = {Path(p.path).name: p.reason for p in corpus.problems if p.fatal}
    assert set(fatal) == {"empty.txt", "binary_garbage.txt", "title_only.txt"}
    assert "empty" in fatal["empty.txt"]
    assert "not a text file" in fatal["binary_garbage.txt"]
    assert "only a title" in fatal["title_only.txt"]
    assert "Only A Title" in fatal["title_only.txt"]
    for problem in corpus.problems:
        assert Path(problem.path).parent == cases
    loaded = {Path(d.path).name for d in corpus}
    expected = {p.name for p in CASES.iterdir()} - set(fatal)
    assert loaded == expected
    for document in corpus:
        assert_offsets(document)


def test_load_document_raises_with_the_reason(cases: Path) -> None:
    for name, words in [
        ("empty.txt", "empty"),
        ("binary_garbage.txt", "not a text file"),
        ("title_only.txt", "only a title"),
    ]:
        with pytest.raises(DocumentError) as caught:
            load_document(cases / name)
        assert isinstance(caught.value, UserError)
        assert words in caught.value.reason
        assert str(cases / name) in str(caught.value)


def test_no_document_at_all_is_refused_with_a_clear_message(cases: Path) -> None:
    folder = cases.parent / "bad-only"
    folder.mkdir()
    for name in ("empty.txt", "binary_garbage.txt", "title_only.txt"):
        shutil.copy(cases / name, folder)
    corpus = load_corpus([folder])  # does not raise: the caller decides
    assert len(corpus) == 0
    with pytest.raises(CorpusError) as caught:
        require_documents(corpus)
    message = str(caught.value)
    assert "No document could be loaded" in message
    for name in ("empty.txt", "binary_garbage.txt", "title_only.txt"):
        assert str(folder / name) in message
    assert "not a text file" in message
    assert "Add at least one" in message


def test_require_documents_on_an_empty_folder_says_so(tmp_path: Path) -> None:
    corpus = load_corpus([tmp_path])
    assert len(corpus) == 0
    with pytest.raises(CorpusError, match=r"contains no documents \(\.txt, \.md, "):
        require_documents(corpus)


def test_require_documents_returns_a_usable_corpus(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Title\n\nBody text here.\n")
    corpus = load_corpus([tmp_path])
    assert require_documents(corpus) is corpus


def test_a_missing_path_raises_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(CorpusError, match="nowhere"):
        load_corpus([tmp_path, missing])


def test_mentions_and_markdown_load_verbatim(cases: Path) -> None:
    path = cases / "mentions_and_markdown.txt"
    document = load_document(path)
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    assert document.title == blocks[0]
    assert document.standfirst is None
    assert texts(document) == blocks[1:]
    assert texts(document)[3].startswith("> This line")
    assert "snake_case_name and the method __init__" in texts(document)[2]
    assert "@everyone" in texts(document)[1]


def test_one_huge_paragraph_is_one_paragraph_with_capped_sentences(cases: Path) -> None:
    path = cases / "one_huge_paragraph.txt"
    document = load_document(path)
    body = path.read_text(encoding="utf-8").split("\n\n")[-1].strip()
    assert len(body) > 20_000
    assert texts(document) == ["An experiment in a single paragraph.", body]
    sentences = list(document.paragraphs[1].sentences)
    assert len(sentences) > 1
    assert all(len(s.text) <= 600 for s in sentences)
    assert " ".join(s.text for s in sentences).split() == body.split()
    assert_offsets(document)


# ---------------------------------------------------------------- decoding


def test_decode_text_normalises_to_nfc_without_compatibility_folding() -> None:
    text, caveats = decode_text("Cafe\u0301 ﬁne ＡＢ\r\nnext\rline".encode())
    assert text == "Café ﬁne ＡＢ\nnext\nline"
    assert caveats == []


def test_decode_text_accepts_utf16_with_bom() -> None:
    text, _ = decode_text("Título\n\nCuerpo.".encode("utf-16"))
    assert text == "Título\n\nCuerpo."


def test_control_characters_make_a_file_binary_and_stray_ones_are_removed() -> None:
    with pytest.raises(DocumentError, match="not a text file"):
        decode_text(bytes(range(1, 32)) * 20 + b"some text")
    text, _ = decode_text(b"Title\n\nA bell\x07 rang.\x0cNext page.")
    assert text == "Title\n\nA bell rang.\nNext page."


def test_an_unreadable_file_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", "Good\n\nA body paragraph.\n")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "gone.txt")
    corpus = load_corpus([tmp_path])
    assert [Path(d.path).name for d in corpus] == ["good.txt"]
    [problem] = corpus.problems
    assert problem.path == str(tmp_path / "broken.txt")
    assert problem.fatal
    assert "could not be read" in problem.reason


# ---------------------------------------------------------------- plain-text structure


WRAPPED = """A Title

A standfirst line with no full stop

Emma Woodhouse, handsome, clever, and rich, with a comfortable home
and happy disposition, seemed to unite some of the best blessings of
existence; and had lived nearly twenty-one years in the world with very
little to distress or vex her.

She was the youngest of the two daughters of a most affectionate,
    indulgent father.
"""


def test_hard_wrapped_lines_are_joined_with_one_space() -> None:
    document = parse_document(WRAPPED, document_id="emma")
    assert texts(document) == [
        "Emma Woodhouse, handsome, clever, and rich, with a comfortable home and happy "
        "disposition, seemed to unite some of the best blessings of existence; and had lived "
        "nearly twenty-one years in the world with very little to distress or vex her.",
        "She was the youngest of the two daughters of a most affectionate, indulgent father.",
    ]
    assert document.title == "A Title"
    assert document.standfirst == "A standfirst line with no full stop"
    assert_offsets(document)


def test_no_title_when_the_first_block_is_prose() -> None:
    text = "It was a dark and stormy night.\n\nThe rain fell in torrents.\n"
    document = parse_document(text, document_id="storm", path="corpus/dark_night.txt")
    assert document.title == "Dark night"
    assert texts(document) == ["It was a dark and stormy night.", "The rain fell in torrents."]
    assert document.standfirst is None


def test_closing_bio_gives_the_author_and_is_not_a_paragraph() -> None:
    text = (
        "Why Lighthouses Matter\n\n"
        "A short standfirst\n\n"
        "They guide ships home. They have done so for centuries.\n\n"
        "Every coast needs one, and every keeper knows it.\n\n"
        "Jane van Smith is a lecturer in maritime history at the University of Hull.\n"
    )
    document = parse_document(text, document_id="lighthouses")
    assert document.author == "Jane van Smith"
    assert document.author_bio == (
        "Jane van Smith is a lecturer in maritime history at the University of Hull."
    )
    assert len(document.paragraphs) == 2
    assert all("lecturer" not in p for p in texts(document))


@pytest.mark.parametrize(
    "ending",
    [
        "Elizabeth Bennet was happy, and so was everyone at Longbourn.",
        "The Government was a mess for years after that.",
        "Mr Darcy is the best of men, she said at last.",
    ],
)
def test_a_closing_sentence_that_is_not_a_bio_stays_a_paragraph(ending: str) -> None:
    text = f"A Story\n\nIt began in spring, long ago.\n\nMuch happened.\n\n{ending}\n"
    document = parse_document(text, document_id="story")
    assert texts(document)[-1] == ending
    assert document.author is None
    assert document.author_bio is None


def test_scraping_leftovers_are_dropped_but_a_closing_signature_stays() -> None:
    text = (
        "Letters\n\nA note.\n\nFirst paragraph of the letter.\n\nAdvertisement\n\n"
        "Second paragraph of the letter.\n\nLove, Mum\n\nShare this\n\nRead more\n"
    )
    document = parse_document(text, document_id="letters")
    assert texts(document) == [
        "A note.",
        "First paragraph of the letter.",
        "Second paragraph of the letter.",
        "Love, Mum",
    ]


def test_a_title_and_standfirst_only_keep_the_second_block_as_body() -> None:
    document = parse_document("Title\n\nJust one short line.\n", document_id="t")
    assert document.standfirst is None
    assert texts(document) == ["Just one short line."]


def test_parse_document_reports_title_only_and_empty_text() -> None:
    with pytest.raises(DocumentError, match="only a title"):
        parse_document("\ufeffOnly A Title\r\n\r\n", document_id="x", path="x.txt")
    with pytest.raises(DocumentError, match=r"x\.txt"):
        parse_document("   \n\n", document_id="x", path="x.txt")


def test_plain_text_keeps_hashes_and_markers_verbatim() -> None:
    text = "Title\n\nStandfirst.\n\n# not a heading in plain text\n\n*stars* and snake_case stay.\n"
    document = parse_document(text, document_id="plain")
    assert texts(document) == [
        "Standfirst.",
        "# not a heading in plain text",
        "*stars* and snake_case stay.",
    ]
    # Only Gutenberg's _emphasis_ loses its underscores (tests/core/test_sections.py).


# ---------------------------------------------------------------- Markdown and front matter


FRONT_MATTER = """---
title: The Real Title
author: A. N. Author
date: 2019-02-25
url: https://example.org/essay
description: What the essay is about.
tags: [ignored, keys]
---
# A Heading Title

First paragraph, with *emphasis* read as Markdown.

## A Section

Second paragraph.
"""


def test_markdown_front_matter_and_headings() -> None:
    document = parse_document(FRONT_MATTER, document_id="essay", markdown=True)
    assert document.title == "The Real Title"
    assert document.author == "A. N. Author"
    assert document.date == "2019-02-25"
    assert document.source_url == "https://example.org/essay"
    assert document.standfirst == "What the essay is about."
    assert texts(document) == [
        "First paragraph, with emphasis read as Markdown.",  # the markers are not text
        "Second paragraph.",
    ]
    # With a front-matter title, a first heading that differs from it heads the first section.
    assert [(s.title, s.first, s.last) for s in document.sections] == [
        ("A Heading Title", 1, 1),
        ("A Section", 2, 2),
    ]


def test_markdown_leading_heading_is_the_title_without_front_matter() -> None:
    document = parse_document("# Heading Title\n\nBody.\n", document_id="h", markdown=True)
    assert document.title == "Heading Title"
    assert texts(document) == ["Body."]


def test_markdown_file_front_matter_id_and_bad_front_matter(tmp_path: Path) -> None:
    write(tmp_path / "good.md", "---\nid: chosen-id\n---\n# Good\n\nBody text.\n")
    write(tmp_path / "bad.md", "---\ntitle: [unclosed\n---\n# Bad But Loads\n\nBody text.\n")
    corpus = load_corpus([tmp_path])
    assert {d.id for d in corpus} == {"chosen-id", "bad"}
    bad = corpus.get("bad")
    assert bad is not None
    assert bad.title == "Bad But Loads"
    [problem] = corpus.problems
    assert problem.path == str(tmp_path / "bad.md")
    assert not problem.fatal
    assert "front matter" in problem.reason


def test_a_given_standfirst_takes_only_the_matching_block_out_of_the_body() -> None:
    text = "Title\n\nThe  standfirst\nas written.\n\nBody.\n"
    same = parse_document(
        text, document_id="a", metadata={"standfirst": "The standfirst as written."}
    )
    assert same.standfirst == "The standfirst as written."
    assert texts(same) == ["Body."]
    other = parse_document(text, document_id="b", metadata={"standfirst": "Something else."})
    assert other.standfirst == "Something else."
    assert texts(other) == ["The  standfirst as written.", "Body."]


def test_plain_text_front_matter_only_with_known_keys() -> None:
    with_keys = "---\ntitle: From Front Matter\noutlet: Somewhere\n---\nBody text.\n"
    document = parse_document(with_keys, document_id="a")
    assert (document.title, document.outlet) == ("From Front Matter", "Somewhere")
    assert texts(document) == ["Body text."]
    divider = "---\nScene one: the harbour.\n---\nThe boats came in.\n"
    document = parse_document(divider, document_id="b")
    assert "Scene one: the harbour." in " ".join(texts(document))


def test_impossible_dates_are_reported_not_raised(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\ntitle: A\ndate: 2019-02-30\n---\nBody text.\n")
    write(tmp_path / "b.txt", "B\n\nBody text.\n")
    write(tmp_path / "corpus.yaml", "documents:\n  b.txt:\n    date: 2019-02-30\n")
    corpus = load_corpus([tmp_path])
    assert len(corpus) == 2
    reasons = {Path(p.path).name: p.reason for p in corpus.problems}
    assert "day is out of range" in reasons["a.md"]
    assert "day is out of range" in reasons["corpus.yaml"]
    assert not any(p.fatal for p in corpus.problems)


def test_metadata_argument_beats_front_matter() -> None:
    document = parse_document(
        FRONT_MATTER, document_id="essay", markdown=True, metadata={"title": "From Manifest"}
    )
    assert document.title == "From Manifest"
    assert document.author == "A. N. Author"


# ---------------------------------------------------------------- manifest


def test_manifest_sets_metadata_over_front_matter_and_heuristics(tmp_path: Path) -> None:
    write(
        tmp_path / "essay.txt",
        "Heuristic Title\n\nA standfirst with no stop\n\nThe body.\n\nMore body.\n",
    )
    write(tmp_path / "notes.md", "---\ntitle: Front Title\nauthor: Front Author\n---\nBody.\n")
    write(
        tmp_path / "corpus.yaml",
        "outlet: Default Outlet\n"
        "documents:\n"
        "  essay.txt:\n"
        "    id: my-essay\n"
        "    title: Manifest Title\n"
        "    author: Manifest Author\n"
        "    date: 2020-01-02\n"
        "    source_url: https://example.org/e\n"
        "  notes.md:\n"
        "    title: Manifest Notes\n"
        "    outlet: Notes Outlet\n",
    )
    corpus = load_corpus([tmp_path])
    assert corpus.problems == ()
    essay = corpus.get("my-essay")
    assert essay is not None
    assert (essay.title, essay.author, essay.date, essay.outlet, essay.source_url) == (
        "Manifest Title",
        "Manifest Author",
        "2020-01-02",
        "Default Outlet",
        "https://example.org/e",
    )
    assert texts(essay) == ["The body.", "More body."]
    assert essay.standfirst == "A standfirst with no stop"
    notes = corpus.get("notes")
    assert notes is not None
    assert (notes.title, notes.author, notes.outlet) == (
        "Manifest Notes",
        "Front Author",
        "Notes Outlet",
    )
    assert len(corpus) == 2  # the manifest itself is not a document


def test_manifest_defaults_fill_only_what_a_document_does_not_say(tmp_path: Path) -> None:
    write(tmp_path / "bio.txt", "Title\n\nStandfirst.\n\nBody.\n\nJane Smith writes about ships.\n")
    write(tmp_path / "plain.txt", "Other\n\nStandfirst.\n\nBody.\n")
    write(tmp_path / "corpus.yaml", "author: House Author\ndate: 2001-02-03\n")
    corpus = load_corpus([tmp_path])
    assert corpus.problems == ()
    bio, plain = corpus.get("bio"), corpus.get("plain")
    assert bio is not None
    assert plain is not None
    assert (bio.author, bio.date) == ("Jane Smith", "2001-02-03")
    assert (plain.author, plain.date) == ("House Author", "2001-02-03")


def test_manifest_problems_are_reported_and_files_still_load(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Title A\n\nBody A.\n")
    write(
        tmp_path / "corpus.yaml",
        "publisher: Nobody\n"
        "documents:\n"
        "  a.txt:\n"
        "    titel: Typo\n"
        "    author: yes\n"
        "  missing.txt:\n"
        "    title: Gone\n",
    )
    corpus = load_corpus([tmp_path])
    assert [d.title for d in corpus] == ["Title A"]
    reasons = [p.reason for p in corpus.problems]
    assert all(p.path == str(tmp_path / "corpus.yaml") and not p.fatal for p in corpus.problems)
    assert any("publisher" in r for r in reasons)
    assert any("a.txt" in r and "titel" in r for r in reasons)
    assert any("author" in r and "quotes" in r for r in reasons)
    assert any("missing.txt" in r for r in reasons)
    assert len(reasons) == 4


def test_invalid_manifest_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Title A\n\nBody A.\n")
    write(tmp_path / "corpus.yaml", "documents:\n  a.txt: {title: [broken\n")
    corpus = load_corpus([tmp_path])
    assert len(corpus) == 1
    [problem] = corpus.problems
    assert "not valid YAML" in problem.reason
    assert "line" in problem.reason


def test_a_single_file_uses_its_entry_in_the_manifest_beside_it(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Title A\n\nBody A.\n")
    write(tmp_path / "corpus.yaml", "documents:\n  a.txt:\n    id: alpha\n")
    assert only(load_corpus([tmp_path / "a.txt"])).id == "alpha"


# ---------------------------------------------------------------- files, ids, progress


def test_ids_are_slugs_and_unique_across_the_corpus(tmp_path: Path) -> None:
    body = "Title\n\nBody.\n"
    write(tmp_path / "one" / "Café Notes.txt", body)
    write(tmp_path / "one" / "sub" / "cafe-notes.md", body)
    write(tmp_path / "two" / "cafe_notes.txt", body)
    write(tmp_path / "two" / "other.txt", body)
    write(tmp_path / "two" / "corpus.yaml", "documents:\n  other.txt:\n    id: cafe-notes\n")
    corpus = load_corpus([tmp_path / "one", tmp_path / "two"])
    ids = {Path(d.path).relative_to(tmp_path).as_posix(): d.id for d in corpus}
    assert ids["two/other.txt"] == "cafe-notes"  # an explicit id keeps its name
    assert sorted(ids.values()) == ["cafe-notes", "cafe-notes-2", "cafe-notes-3", "cafe-notes-4"]
    assert corpus.problems == ()


def test_files_are_found_recursively_sorted_skipping_hidden_and_other_suffixes(
    tmp_path: Path,
) -> None:
    body = "Title\n\nBody.\n"
    for name in ("b.txt", "a.md", "sub/c.txt", "notes.markdown", "z.TXT"):
        write(tmp_path / name, body)
    for name in (".hidden.txt", ".git/d.txt", "image.png", "readme.rst"):
        write(tmp_path / name, body)
    seen: list[tuple[int, int, str]] = []
    corpus = load_corpus(
        [tmp_path, tmp_path / "b.txt"],  # the same file twice loads once
        progress=lambda done, total, path: seen.append((done, total, path.name)),
    )
    names = [Path(d.path).relative_to(tmp_path).as_posix() for d in corpus]
    assert names == ["a.md", "b.txt", "notes.markdown", "sub/c.txt", "z.TXT"]
    assert seen == [(i, 5, Path(n).name) for i, n in enumerate(names, start=1)]


def test_load_document_id_defaults_to_the_slug_of_the_stem(tmp_path: Path) -> None:
    path = write(tmp_path / "My First Essay!.txt", "Title\n\nBody.\n")
    assert load_document(path).id == "my-first-essay"
    assert load_document(path, document_id="given").id == "given"


def test_slugify() -> None:
    assert slugify("Trump Must Hold Kim Jong-Un’s Record") == "trump-must-hold-kim-jong-uns-record"
    assert slugify("Ålesund — 2019") == "alesund-2019"
    assert slugify("!!!") == "document"


# ---------------------------------------------------------------- standfirst: body text first

GENTLE = (
    "Do Not Go Gentle\n\n"
    "Don’t go gentle into that good night,\n"
    "Old age should burn at the close of day;\n"
    "Rage, rage against the dying of the light.\n\n"
    "Though wise men at their end know dark is right,\n"
    "Because their words had forked no lightning they\n"
    "Do not go gentle into that good night.\n"
)
RAVEN = (
    "The Raven\n\n"
    "Once upon a midnight dreary, while I pondered, weak and weary,\n"
    "Over many a quaint and curious volume of forgotten lore—\n\n"
    "Ah, distinctly I remember it was in the bleak December;\n"
    "And each separate dying ember wrought its ghost upon the floor.\n\n"
    "Eagerly I wished the morrow;—vainly I had sought to borrow\n"
)
SEED_STANDFIRST = (
    "If these talks are to mean anything, the goal must be peace – which can only be achieved "
    "when people on both sides of the Korean border can live without fear"
)


def test_a_first_stanza_is_body_text_and_can_be_searched() -> None:
    document = parse_document(GENTLE, document_id="gentle")
    assert document.title == "Do Not Go Gentle"
    assert document.standfirst is None
    assert texts(document)[0].startswith("Don’t go gentle into that good night, Old age")
    index = SearchIndex.build(Corpus(documents=(document,)))
    hits = index.search("don't go gentle")
    assert hits
    assert (hits[0].passage.paragraph, hits[0].exact) == (1, True)


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        (RAVEN, False),
        (RAVEN.replace("\n", "\r\n"), False),
        ("---\ntitle: The Raven\nauthor: Edgar Allan Poe\n---\n# " + RAVEN, True),
        ("---\ntitle: The Raven\n---\n" + RAVEN.split("\n\n", 1)[1], True),
        ("title: The Raven\n".join(["---\n", "---\n" + RAVEN.split("\n\n", 1)[1]]), False),
    ],
)
def test_the_first_paragraph_is_never_taken_as_a_standfirst_without_cause(
    text: str, markdown: bool
) -> None:
    document = parse_document(text, document_id="raven", markdown=markdown)
    assert document.title == "The Raven"
    assert document.standfirst is None
    assert texts(document)[0].startswith("Once upon a midnight dreary, while I pondered")
    assert len(document.paragraphs) == 3


@pytest.mark.parametrize(
    "second",
    [
        "A one-sentence introduction.",  # sentence-final punctuation
        "Was it worth it?",
        "He asked: “Why now?”",  # closing quote after the punctuation
        "And then it happened…",
        "A standfirst wrapped\nover two lines",  # hard-wrapped
        "Chapter One of the Story",  # a heading, not a standfirst
        "THE COMING OF THE MARTIANS",
        "Too short",
        "x " * 160,  # over 300 characters
    ],
)
def test_second_blocks_that_are_not_standfirsts_stay_in_the_body(second: str) -> None:
    text = f"A Title\n\n{second}\n\nFirst body paragraph.\n\nSecond body paragraph.\n"
    document = parse_document(text, document_id="t")
    assert document.standfirst is None
    assert texts(document)[0] == " ".join(second.split())
    assert len(document.paragraphs) == 3


def test_a_seed_like_standfirst_needs_two_body_paragraphs_after_it() -> None:
    text = f"A Title\n\n{SEED_STANDFIRST}\n\nFirst body paragraph.\n\nSecond body paragraph.\n"
    document = parse_document(text, document_id="t")
    assert document.standfirst == SEED_STANDFIRST
    assert texts(document) == ["First body paragraph.", "Second body paragraph."]
    short = parse_document(
        f"A Title\n\n{SEED_STANDFIRST}\n\nThe only body paragraph.\n", document_id="s"
    )
    assert short.standfirst is None
    assert texts(short) == [SEED_STANDFIRST, "The only body paragraph."]
    untitled = parse_document(
        f"{SEED_STANDFIRST}.\n\n{SEED_STANDFIRST}\n\nOne.\n\nTwo.\n", document_id="u"
    )
    assert untitled.standfirst is None  # no title, no standfirst


# ---------------------------------------------------------------- bylines


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("By Jane Austen", "Jane Austen"),
        ("by Herman Melville", "Herman Melville"),
        ("Author: Herman Melville", "Herman Melville"),
        ("by H. G. Wells", "H. G. Wells"),
        ("by Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("by\n\nJULES VERNE", "Jules Verne"),
    ],
)
def test_a_byline_near_the_top_gives_the_author_and_is_not_a_paragraph(
    byline: str, author: str
) -> None:
    text = f"A Novel\n\n{byline}\n\nChapter 1\n\nIt was a bright cold day in April.\n"
    document = parse_document(text, document_id="novel")
    assert document.author == author
    assert texts(document) == ["It was a bright cold day in April."]
    assert [(s.title, s.first, s.last) for s in document.sections] == [("Chapter 1", 1, 1)]


def test_a_title_page_year_becomes_the_date_unless_the_metadata_has_one() -> None:
    text = "Persuasion\n\nby\n\nJane Austen\n\n(1818)\n\nChapter 1\n\nSir Walter Elliot.\n"
    document = parse_document(text, document_id="p")
    assert (document.author, document.date) == ("Jane Austen", "1818")
    assert texts(document) == ["Sir Walter Elliot."]
    joined = parse_document(
        "Northanger Abbey\n\nby\n\nJane Austen (1803)\n\nBody.\n", document_id="n"
    )
    assert (joined.author, joined.date) == ("Jane Austen", "1803")
    given = parse_document(
        text, document_id="g", metadata={"date": "1817-12-20", "author": "J. A."}
    )
    assert (given.author, given.date) == ("J. A.", "1817-12-20")


@pytest.mark.parametrize(
    "block",
    [
        "By the time we arrived, the harbour was dark.",
        "By Monday",
        "by the river bank under the old willows where nobody went",
        "Author: unknown",
    ],
)
def test_sentences_starting_with_by_are_not_bylines(block: str) -> None:
    document = parse_document(f"A Story\n\n{block}\n\nThe end came soon.\n", document_id="s")
    assert document.author is None
    assert texts(document)[0] == block


def test_a_byline_after_the_first_three_blocks_is_body_text() -> None:
    text = "A Story\n\nOne.\n\nTwo.\n\nThree.\n\nBy Jane Austen\n\nFour.\n"
    document = parse_document(text, document_id="s")
    assert document.author is None
    assert "By Jane Austen" in texts(document)


# ---------------------------------------------------------------- Project Gutenberg files

GUTENBERG = """\ufeffThe Project Gutenberg eBook of Moby Dick; Or, The Whale

This ebook is for the use of anyone anywhere in the United States and
most other parts of the world at no cost and with almost no restrictions
whatsoever.

Title: Moby Dick; Or, The Whale

Author: Herman Melville

Release date: June 1, 2001 [eBook #2701]
                Most recently updated: August 18, 2021

Language: English

*** START OF THE PROJECT GUTENBERG EBOOK MOBY DICK; OR, THE WHALE ***

Produced by Daniel Lazarus, Jonesey, and David Widger

MOBY-DICK;

or, THE WHALE.

By Herman Melville

CHAPTER 1. Loomings.

Call me Ishmael. Some years ago—never mind how long precisely—having
little or no money in my purse, I thought I would sail about a little.

It is a way I have of driving off the spleen.

End of the Project Gutenberg EBook of Moby Dick; Or, The Whale

*** END OF THE PROJECT GUTENBERG EBOOK MOBY DICK; OR, THE WHALE ***

Updated editions will replace the previous one--the old editions will
be renamed.

THE FULL PROJECT GUTENBERG LICENSE
"""


OLD_GUTENBERG_HEADER = """The Project Gutenberg EBook of Moby Dick; or The Whale, by Herman Melville

Title: Moby Dick; or The Whale

Author: Herman Melville

Last Updated: January 3, 2009
Posting Date: December 25, 2008 [EBook #2701]
Release Date: June, 2001

Language: English

*** START OF THIS PROJECT GUTENBERG EBOOK MOBY DICK; OR THE WHALE ***

Call me Ishmael. Some years ago I thought I would sail about a little.

It is a way I have of driving off the spleen.
"""


def test_gutenberg_release_posting_and_update_dates_are_not_the_works_date() -> None:
    document = parse_document(OLD_GUTENBERG_HEADER, document_id="moby")
    assert document.author == "Herman Melville"
    assert document.date is None
    dated = parse_document(OLD_GUTENBERG_HEADER, document_id="moby", metadata={"date": "1851"})
    assert dated.date == "1851"


def test_a_project_gutenberg_file_keeps_only_the_book_between_its_markers() -> None:
    document = parse_document(GUTENBERG, document_id="moby")
    assert document.title == "Moby Dick; Or, The Whale"
    assert document.author == "Herman Melville"
    assert document.date is None  # the e-text's release date is not the work's
    body = texts(document)
    # Title lines and byline are not paragraphs; the chapter heading starts a section.
    assert [(s.title, s.first, s.last) for s in document.sections] == [
        ("Chapter 1. Loomings.", 1, 2)
    ]
    assert body[0].startswith("Call me Ishmael.")
    assert body[1:] == ["It is a way I have of driving off the spleen."]
    everything = " ".join(body)
    for outside in ("LICENSE", "Updated editions", "Produced by", "End of the", "***", "Title:"):
        assert outside not in everything
    assert_offsets(document)


def test_gutenberg_header_fields_lose_to_the_manifest() -> None:
    document = parse_document(GUTENBERG, document_id="m", metadata={"title": "Moby-Dick"})
    assert (document.title, document.author) == ("Moby-Dick", "Herman Melville")


# Real Project Gutenberg files, cut to their start and licence (tests/data/regenerate.py).
BOOKS = Path(__file__).resolve().parents[1] / "data" / "books"


def test_gathered_books_get_title_author_and_no_licence() -> None:
    moby = load_document(BOOKS / "moby_dick.txt")
    assert moby.title.startswith("Moby Dick; or")
    assert moby.author == "Herman Melville"
    assert not any("Gutenberg" in p for p in texts(moby)[-5:])
    pride = load_document(BOOKS / "pride_and_prejudice.txt")
    assert (pride.author, pride.standfirst) == ("Jane Austen", None)
    assert texts(pride)[0].startswith("It is a truth universally acknowledged")
    assert pride.sections[0].title == "Chapter 1"  # a heading, not a paragraph


# ---------------------------------------------------------------- repository files


def test_repository_files_in_a_folder_are_skipped_with_a_problem(tmp_path: Path) -> None:
    body = "Title\n\nBody.\n"
    for name in ("README.md", "readme.txt", "LICENSE.txt", "Licence.md", "CHANGELOG.md"):
        write(tmp_path / name, body)
    write(tmp_path / "docs" / "CONTRIBUTING.md", body)
    write(tmp_path / "essay.txt", body)
    write(tmp_path / "license-to-kill.txt.bak", body)
    corpus = load_corpus([tmp_path])
    assert [Path(d.path).name for d in corpus] == ["essay.txt"]
    skipped = {Path(p.path).relative_to(tmp_path).as_posix() for p in corpus.problems}
    assert skipped == {
        "README.md",
        "readme.txt",
        "LICENSE.txt",
        "Licence.md",
        "CHANGELOG.md",
        "docs/CONTRIBUTING.md",
    }
    for problem in corpus.problems:
        assert not problem.fatal
        assert problem.reason == "skipped: looks like a repository file, not a document"
    explicit = load_corpus([tmp_path / "README.md"])
    assert [Path(d.path).name for d in explicit] == ["README.md"]
    assert explicit.problems == ()

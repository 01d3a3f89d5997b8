"""Corpus loading of odd files: CJK and short paragraphs, Markdown, special
files, front matter, unsupported file types and corpus.yaml problems."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from bot.core.loader import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    DocumentError,
    load_corpus,
    load_document,
    parse_document,
)
from bot.core.models import Corpus
from tests.core.loader_helpers import texts, write


def problems_by_name(corpus: Corpus) -> dict[str, list[tuple[str, bool]]]:
    found: dict[str, list[tuple[str, bool]]] = {}
    for p in corpus.problems:
        found.setdefault(Path(p.path).name, []).append((p.reason, p.fatal))
    return found


# ---------------------------------------------------------------- 1. short and CJK paragraphs

NEKO_BODY = [
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。",
    "吾輩はここで始めて人間というものを見た。",
]
CHINESE_BODY = ["我爱北京天安门。", "天安门上太阳升。"]


@pytest.mark.parametrize(("title", "body"), [("Neko", NEKO_BODY), ("北京", CHINESE_BODY)])
def test_cjk_paragraphs_are_body_text_not_leftovers(
    tmp_path: Path, title: str, body: list[str]
) -> None:
    path = write(tmp_path / "cjk.txt", title + "\n\n" + "\n\n".join(body) + "\n")
    corpus = load_corpus([tmp_path])
    assert corpus.problems == ()
    [document] = corpus.documents
    assert document.title == title
    assert texts(document) == body
    assert load_document(path).title == title


def test_short_closing_paragraphs_of_real_prose_are_kept() -> None:
    text = (
        "The Raven\n\nOnce upon a midnight dreary, while I pondered, weak and weary.\n\n"
        "Quoth the Raven\n\nNevermore\n"
    )
    document = parse_document(text, document_id="raven")
    assert texts(document) == [
        "Once upon a midnight dreary, while I pondered, weak and weary.",
        "Quoth the Raven",
        "Nevermore",
    ]


@pytest.mark.parametrize(
    "leftover",
    [
        "Read more",
        "Share this",
        "Advertisement",
        "Subscribe",
        "Subscribe now",
        "Related articles",
        "Comments",
        "Tags: politics, Korea",
        "Follow us on Twitter",
        "© 2019 HuffPost UK. All rights reserved.",
        "We use cookies to improve your experience on our site. Accept all cookies",
        "This website uses cookies. By continuing to browse you agree to our cookie policy.",
        "Accept all cookies",
        "Cookie settings",
    ],
)
def test_web_leftovers_at_the_end_are_dropped(leftover: str) -> None:
    text = f"A Title\n\nThe first paragraph of the piece.\n\nThe last one.\n\n{leftover}\n"
    document = parse_document(text, document_id="t")
    assert texts(document) == ["The first paragraph of the piece.", "The last one."]


@pytest.mark.parametrize(
    ("ending", "furniture"),
    [
        ("Copyright is a kind of property, she said.", False),
        ("Follow him on the road", False),
        ("All rights reserved, he thought, and none given.", False),
        ("Subscribe", True),  # page furniture only at the very end of the text
        ("Tags", True),
        ("Sign up", True),
        ("The bakery's cookie policy was strict: one per child.", False),
        ("We use cookies to bribe the children.", False),
        ("He would accept cookies from strangers.", False),
    ],
)
def test_prose_endings_that_resemble_leftovers_stay(ending: str, furniture: bool) -> None:
    text = f"A Title\n\nThe first paragraph.\n\n{ending}\n\nThe last line is prose.\n"
    document = parse_document(text, document_id="t")
    assert texts(document) == ["The first paragraph.", ending, "The last line is prose."]
    last = parse_document(f"A Title\n\nThe first paragraph.\n\n{ending}\n", document_id="u")
    assert (texts(last)[-1] != ending) is furniture


def test_words_that_only_look_like_leftovers_inside_prose_stay() -> None:
    text = "A Title\n\nComments\n\nShe read the comments twice, then subscribed.\n"
    document = parse_document(text, document_id="t")
    assert texts(document) == ["Comments", "She read the comments twice, then subscribed."]


def test_hard_wrapped_cjk_lines_join_without_a_space() -> None:
    text = "猫\n\n吾輩は猫である。名前は\nまだ無い。どこで生れたか\nとんと見当がつかぬ。\n\nThe cat\nwrote this.\n"
    document = parse_document(text, document_id="neko")
    assert texts(document) == [
        "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。",
        "The cat wrote this.",
    ]


def test_a_cjk_standfirst_is_measured_in_characters() -> None:
    text = "猫の話\n\n名前のない猫が人間を観察する物語\n\n吾輩は猫である。\n\n名前はまだ無い。\n"
    document = parse_document(text, document_id="neko")
    assert document.standfirst == "名前のない猫が人間を観察する物語"
    assert texts(document) == ["吾輩は猫である。", "名前はまだ無い。"]
    sentence = parse_document(
        "猫の話\n\n吾輩は猫である。\n\n名前はまだ無い。\n\n見当がつかぬ。\n", document_id="n"
    )
    assert sentence.standfirst is None  # a sentence ending in 。 is body text


# ---------------------------------------------------------------- 2. Markdown is read as Markdown

MARKDOWN = """# A Markdown Essay

This is **important** and _this_ is *emphasised*, see [the source](https://example.org/a "T").

![a diagram](img.png)

- first item of a list
- second item, with `inline code`

1. numbered one
2. numbered two

```python
def not_prose():
    return 1
```

    indented code block

<div class="ad">Buy now</div>

> A quoted line
> that wraps.

## A Section

Closing paragraph.
Second line &amp; more.
"""


def test_markdown_is_read_as_markdown() -> None:
    document = parse_document(MARKDOWN, document_id="md", markdown=True)
    assert document.title == "A Markdown Essay"
    assert texts(document) == [
        "This is important and this is emphasised, see the source.",
        "first item of a list",
        "second item, with inline code",
        "numbered one",
        "numbered two",
        "A quoted line that wraps.",
        "Closing paragraph. Second line & more.",
    ]
    assert [(s.title, s.first, s.last) for s in document.sections] == [
        ("Opening", 1, 6),
        ("A Section", 7, 7),
    ]
    everything = " ".join(s.text for s in document.sentences)
    for raw in ("**", "](", "!", "```", "def not_prose", "<div", "Buy now", "- first", "1."):
        assert raw not in everything


def test_markdown_setext_heading_title_and_image_alone(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.md", "Setext Title\n============\n\n![only](x.png)\n\nBody *text*.\n"
    )
    document = load_document(path)
    assert document.title == "Setext Title"
    assert texts(document) == ["Body text."]


def test_plain_text_keeps_markdown_like_characters(tmp_path: Path) -> None:
    body = "**important** [link](https://x.org) ![alt](i.png)\n\n- a list marker stays"
    path = write(tmp_path / "a.txt", f"Title\n\n{body}\n")
    assert texts(load_document(path)) == body.split("\n\n")


# ---------------------------------------------------------------- 3. special files


def _good(folder: Path) -> None:
    write(folder / "good.txt", "Good\n\nA body paragraph.\n")


def test_a_named_pipe_is_reported_not_read(tmp_path: Path) -> None:
    _good(tmp_path)
    os.mkfifo(tmp_path / "pipe.txt")
    result: list[Corpus] = []
    worker = threading.Thread(target=lambda: result.append(load_corpus([tmp_path])), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the reader so the test run ends
        with open(tmp_path / "pipe.txt", "wb"):
            pass
        pytest.fail("load_corpus blocked on a named pipe")
    [corpus] = result
    assert [Path(d.path).name for d in corpus] == ["good.txt"]
    [problem] = corpus.problems
    assert problem.path == str(tmp_path / "pipe.txt")
    assert problem.fatal
    assert "not a regular file" in problem.reason


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_devices_are_reported_not_read(tmp_path: Path) -> None:
    _good(tmp_path)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    corpus = load_corpus([tmp_path])
    assert [Path(d.path).name for d in corpus] == ["good.txt"]
    assert problems_by_name(corpus)["zero.txt"] == [
        ("not a regular file (a character device)", True)
    ]
    with pytest.raises(DocumentError, match="not a regular file"):
        load_document(tmp_path / "zero.txt")


def test_a_file_over_the_size_limit_is_reported(tmp_path: Path) -> None:
    _good(tmp_path)
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no data is written
    corpus = load_corpus([tmp_path])
    assert [Path(d.path).name for d in corpus] == ["good.txt"]
    [(reason, fatal)] = problems_by_name(corpus)["huge.txt"]
    assert fatal
    assert reason.startswith("too large (")
    assert f"the limit is {MAX_FILE_BYTES // 1_000_000} MB" in reason


# ---------------------------------------------------------------- 4. front matter


def test_unclosed_front_matter_is_reported_and_its_keys_are_read(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\ntitle: The Title\nauthor: Ann Author\n\nBody text here.\n")
    corpus = load_corpus([tmp_path])
    [document] = corpus.documents
    assert (document.title, document.author) == ("The Title", "Ann Author")
    assert texts(document) == ["Body text here."]
    [(reason, fatal)] = problems_by_name(corpus)["a.md"]
    assert not fatal
    assert "no closing '---'" in reason


def test_an_unclosed_dash_line_without_keys_is_reported_in_markdown(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\nNote: a story in two parts\n\nBody text here.\n")
    write(tmp_path / "b.txt", "---\nA Title\n\nBody text here.\n")
    corpus = load_corpus([tmp_path])
    assert len(corpus) == 2
    found = problems_by_name(corpus)
    assert set(found) == {"a.md"}
    by_title = {d.title: texts(d) for d in corpus}
    assert by_title["Note: a story in two parts"] == ["Body text here."]  # text, not metadata
    assert "no closing '---'" in found["a.md"][0][0]


def test_one_bad_front_matter_value_drops_only_that_key(tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        "---\ntitle: Kept Title\nauthor: Kept Author\ndate: 2020-02-30\n---\nBody text.\n",
    )
    corpus = load_corpus([tmp_path])
    [document] = corpus.documents
    assert (document.title, document.author, document.date) == (
        "Kept Title",
        "Kept Author",
        None,
    )
    [(reason, fatal)] = problems_by_name(corpus)["a.md"]
    assert not fatal
    assert "'date'" in reason
    assert "2020-02-30" in reason
    assert "line 4" in reason


def test_duplicate_front_matter_keys_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\ntitle: T\nauthor: One\nauthor: Two\n---\nBody text.\n")
    corpus = load_corpus([tmp_path])
    [document] = corpus.documents
    assert document.title == "T"
    [(reason, _)] = problems_by_name(corpus)["a.md"]
    assert "duplicate key 'author'" in reason
    assert "line 3" in reason
    assert "line 4" in reason


# ---------------------------------------------------------------- 5. unsupported file types


def test_an_explicit_unsupported_file_is_reported_not_read(tmp_path: Path) -> None:
    page = write(tmp_path / "letter.rtf", "{\\rtf1 Hello there.}\n")
    corpus = load_corpus([page])
    assert len(corpus) == 0
    [problem] = corpus.problems
    assert problem.path == str(page)
    assert problem.fatal
    assert problem.reason.startswith("unsupported file type (.rtf); supported: ")
    listed = problem.reason.split("supported: ")[1].split(", ")
    assert set(listed) == SUPPORTED_SUFFIXES
    assert TEXT_SUFFIXES < SUPPORTED_SUFFIXES
    with pytest.raises(DocumentError, match=r"unsupported file type \(\.rtf\)"):
        load_document(page)


def test_an_explicit_file_without_a_suffix_is_read_as_plain_text(tmp_path: Path) -> None:
    story = write(tmp_path / "story", "A Story\n\n**Not** Markdown.\n")
    corpus = load_corpus([story])
    assert corpus.problems == ()
    assert texts(corpus.documents[0]) == ["**Not** Markdown."]


def test_unsupported_files_in_a_folder_are_listed_but_irrelevant_ones_are_not(
    tmp_path: Path,
) -> None:
    _good(tmp_path)
    for name in ("sheet.xlsx", "letter.rtf", "sub/notes.odt"):
        write(tmp_path / name, "x")
    for name in (".hidden.html", ".git/config", "README.rst", "LICENSE", "corpus.yaml"):
        write(tmp_path / name, "")
    corpus = load_corpus([tmp_path])
    assert [Path(d.path).name for d in corpus] == ["good.txt"]
    found = {Path(p.path).relative_to(tmp_path).as_posix(): p for p in corpus.problems}
    assert set(found) == {"sheet.xlsx", "letter.rtf", "sub/notes.odt"}
    assert not any(p.fatal for p in corpus.problems)
    assert "unsupported file type (.rtf)" in found["letter.rtf"].reason


# ---------------------------------------------------------------- 6. corpus.yaml problems


def test_a_duplicate_manifest_key_is_a_problem_with_both_lines(tmp_path: Path) -> None:
    _good(tmp_path)
    write(
        tmp_path / "corpus.yaml",
        "documents:\n  good.txt:\n    author: First\n    author: Second\n",
    )
    corpus = load_corpus([tmp_path])
    assert len(corpus) == 1
    [problem] = corpus.problems
    assert problem.path == str(tmp_path / "corpus.yaml")
    assert problem.fatal
    assert "duplicate key 'author'" in problem.reason
    assert "line 3" in problem.reason
    assert "line 4" in problem.reason
    assert corpus.documents[0].author not in ("First", "Second")


def test_invalid_manifest_yaml_counts_as_a_file_with_problems(tmp_path: Path) -> None:
    _good(tmp_path)
    write(tmp_path / "corpus.yaml", "documents:\n  good.txt:\n    title: [broken\n")
    for paths in ([tmp_path], [tmp_path / "good.txt"]):
        corpus = load_corpus(paths)
        assert len(corpus) == 1
        [problem] = corpus.problems
        assert problem.path == str(tmp_path / "corpus.yaml")
        assert problem.fatal
        assert "not valid YAML" in problem.reason
        assert "line" in problem.reason


def test_a_bad_manifest_date_drops_only_that_key(tmp_path: Path) -> None:
    _good(tmp_path)
    write(
        tmp_path / "corpus.yaml",
        "documents:\n  good.txt:\n    title: Manifest Title\n    date: 2019-02-30\n",
    )
    corpus = load_corpus([tmp_path])
    [document] = corpus.documents
    assert (document.title, document.date) == ("Manifest Title", None)
    [problem] = corpus.problems
    assert not problem.fatal
    assert "'date'" in problem.reason
    assert "day is out of range" in problem.reason

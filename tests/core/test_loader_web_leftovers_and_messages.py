"""Corpus loading: closing prose not taken for web
leftovers, web furniture kept, CJK author lines, HTML blocks and footnotes in Markdown, and
messages about sizes, links, duplicate ids and missing paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import CorpusError
from bot.core.loader import MAX_FILE_BYTES, load_corpus, parse_document
from bot.core.models import Corpus
from tests.core.loader_helpers import texts, write

BODY = (
    "The first paragraph is long enough to be real prose and to carry several words of meaning.\n\n"
    "The second paragraph also carries meaning, words, and more words so that it has a body.\n\n"
)
BODY_TEXTS = [
    "The first paragraph is long enough to be real prose and to carry several words of meaning.",
    "The second paragraph also carries meaning, words, and more words so that it has a body.",
]


def problems_by_name(corpus: Corpus) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in corpus.problems:
        found.setdefault(Path(p.path).name, []).append(p.reason)
    return found


def ending(last: str) -> list[str]:
    """The body paragraphs of a titled article whose last block is ``last``."""
    return texts(parse_document(f"Title Of A Piece\n\n{BODY}{last}\n", document_id="t"))


# ---------------------------------------------------------------- 1. closing prose stays


@pytest.mark.parametrize(
    "last",
    [
        "Follow me, said the ghost, and vanished.",
        "Follow us down the stairs, she whispered.",
        "Follow me into the dark, where the wolves sing of old kings.",
        "Follow us, the children sang, and the town emptied behind them.",
        '"Follow me," said the ghost.',
        "Follow me.",
        "Click here, she said, and the door swung open.",
        "Tap here twice and the lights go out.",
        "(c) was the answer to question four.",
        "© Anne",
        "More in sorrow than in anger.",
        "More from the sea than the land.",
        "Copyright is a kind of property, she said.",
        "All rights reserved, he thought, and none given.",
        "Sign up? he laughed. Never.",
        "Share and share alike.",
    ],
)
def test_closing_prose_that_resembles_web_furniture_is_kept(last: str) -> None:
    assert ending(last) == [*BODY_TEXTS, last]


# ---------------------------------------------------------------- 2. trailing web furniture


@pytest.mark.parametrize(
    "last",
    [
        "Related: How trees cool cities",
        "Image: Getty Images",
        "Photo: Getty Images",
        "Photograph by Jane Doe/Reuters",
        "More from Example Gazette",
        "Click to share on Twitter (Opens in new window)",
        "Share this article on WhatsApp",
        "Posted in News",
        "Filed under: Cities",
        "Like this: Like Loading...",
        "Subscribe to our YouTube channel",
        "Sign up for our daily newsletter",
        "Newsletter sign-up",
        "Privacy Policy | Terms of Service",
        "About us · Contact · Privacy",
        "Back to top ↑",
        "Comments are closed.",
        "Comments (3)",
        "12 comments",
        "Loading...",
        "Follow us on Twitter and Instagram",
        "Follow Jane on Instagram",
        "Follow @examplegazette",
        "Click here to subscribe",
        "Click here to read the full report.",
        "© 2019 HuffPost UK. All rights reserved.",
        "© Example Gazette 2024",
        "Copyright © 2024 Example Media Ltd.",
        "Copyright 2024 Example Media",
        "Example Media Ltd. All rights reserved.",
        "This article originally appeared on The Conversation.",
    ],
)
def test_trailing_web_furniture_is_dropped(last: str) -> None:
    assert ending(last) == BODY_TEXTS


def test_a_run_of_trailing_furniture_is_dropped_and_the_prose_before_it_stays() -> None:
    furniture = "Posted in News\n\nShare this article on WhatsApp\n\nComments (3)\n\nLoading..."
    assert ending(f"Follow me, said the ghost.\n\n{furniture}") == [
        *BODY_TEXTS,
        "Follow me, said the ghost.",
    ]


def test_furniture_words_in_the_middle_of_the_text_stay() -> None:
    first, second = BODY_TEXTS
    text = f"A Title\n\n{first}\n\nPosted in News\n\n{second}\n\nComments are closed.\n\nThe end.\n"
    document = parse_document(text, document_id="t")
    assert texts(document) == [
        first,
        "Posted in News",
        second,
        "Comments are closed.",
        "The end.",
    ]


# ---------------------------------------------------------------- 3. CJK author lines

NEKO = [
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。",
    "吾輩はここで始めて人間というものを見た。",
    "この書生というのは時々我々を捕えて煮て食うという話である。",
]
KYOJIN = ["今天晚上，很好的月光。我不见他，已是三十多年。", "我怕得有理。", "救救孩子……"]


@pytest.mark.parametrize(
    ("title", "line", "author", "body"),
    [
        ("吾輩は猫である", "夏目漱石", "夏目漱石", NEKO),
        ("吾輩は猫である", "夏目 漱石", "夏目 漱石", NEKO),
        ("狂人日记", "鲁迅", "鲁迅", KYOJIN),
        ("狂人日记", "作者：鲁迅", "鲁迅", KYOJIN),
        ("狂人日记", "鲁迅 著", "鲁迅", KYOJIN),
    ],
)
def test_a_cjk_name_after_the_title_is_the_author(
    title: str, line: str, author: str, body: list[str]
) -> None:
    text = f"{title}\n\n{line}\n\n" + "\n\n".join(body) + "\n"
    document = parse_document(text, document_id="t")
    assert (document.title, document.author, document.standfirst) == (title, author, None)
    assert texts(document) == body


@pytest.mark.parametrize("line", ["第一章", "序言", "目次", "一", "上卷", "我怕。", "吾輩は猫"])
def test_cjk_headings_and_sentences_after_the_title_are_not_authors(line: str) -> None:
    text = "狂人日记\n\n" + line + "\n\n" + "\n\n".join(KYOJIN) + "\n"
    document = parse_document(text, document_id="t")
    assert document.author is None
    assert line in [*texts(document), document.standfirst]


def test_a_cjk_name_needs_a_title_before_it_and_body_after_it() -> None:
    untitled = parse_document("鲁迅\n\n" + "\n\n".join(KYOJIN) + "\n", document_id="a")
    assert untitled.author is None
    only = parse_document("狂人日记\n\n鲁迅\n", document_id="b")
    assert (only.author, texts(only)) == (None, ["鲁迅"])


def test_english_title_pages_are_unchanged_by_the_cjk_rule() -> None:
    text = f"Moby Dick\n\nBy Herman Melville\n\nCall me Ishmael.\n\n{BODY}"
    document = parse_document(text, document_id="t")
    assert document.author == "Herman Melville"
    assert texts(document) == ["Call me Ishmael.", *BODY_TEXTS]


# ---------------------------------------------------------------- 4. Markdown HTML and GFM


def test_html_blocks_in_markdown_keep_their_text_without_tags() -> None:
    text = (
        "# The Title\n\n<!-- draft note: do not publish -->\n\n"
        '<div class="intro">\nThis intro is wrapped in a div &amp; is <em>real</em> content.\n'
        "</div>\n\nA normal paragraph.\n\n<p>One</p><p>Two<br>lines</p>\n\n"
        "<script>var x = 1;</script>\n\nThe end.\n"
    )
    document = parse_document(text, document_id="t", markdown=True)
    assert document.title == "The Title"
    assert texts(document) == [
        "This intro is wrapped in a div & is real content.",
        "A normal paragraph.",
        "One",
        "Two lines",
        "The end.",
    ]


def test_a_markdown_file_of_html_paragraphs_loads(tmp_path: Path) -> None:
    write(tmp_path / "html.md", "<p>Only HTML paragraph content here in this file.</p>\n")
    corpus = load_corpus([tmp_path])
    assert corpus.problems == ()
    [document] = corpus.documents
    assert texts(document) == ["Only HTML paragraph content here in this file."]


def test_a_markdown_file_without_text_says_what_it_holds(tmp_path: Path) -> None:
    write(tmp_path / "code.md", "```\ncode only\n```\n\n<!-- a comment -->\n")
    [reason] = problems_by_name(load_corpus([tmp_path]))["code.md"]
    assert "code blocks" in reason
    assert "comments" in reason


def test_footnotes_and_task_boxes_are_not_text() -> None:
    text = (
        "# Notes\n\nA claim that needs a source.[^1] Another one.[^note]\n\n"
        "- [ ] write the tests\n- [x] read the brief\n- [link] stays as text\n\n"
        "Code keeps `[^2]` literally.\n\n[^1]: The source of the claim.\n\n"
        "[^note]: Another source.\n"
    )
    document = parse_document(text, document_id="t", markdown=True)
    assert texts(document) == [
        "A claim that needs a source. Another one.",
        "write the tests",
        "read the brief",
        "[link] stays as text",
        "Code keeps [^2] literally.",
    ]


def test_plain_text_keeps_footnote_and_tag_like_text() -> None:
    text = "A Title\n\nA claim.[^1]\n\n<p>Not HTML here.</p>\n\n[ ] a box\n"
    document = parse_document(text, document_id="t")
    assert texts(document) == ["A claim.[^1]", "<p>Not HTML here.</p>", "[ ] a box"]


def test_html_furniture_by_class_or_id_is_dropped_and_nesting_is_followed() -> None:
    text = (
        "# The Title\n\n"
        '<div class="article">\n<p>Kept <b>text</b> here.</p>\n'
        '<div class="ad-slot"><p>Buy now</p><div><p>Cheap!</p></div></div>\n'
        '<ul id="share_buttons"><li>Tweet</li></ul>\n<nav>Home | About</nav>\n'
        "<p>After the ad.<img src='x.png'><br/>Second line.</p>\n</div>\n\nThe end.\n"
    )
    document = parse_document(text, document_id="t", markdown=True)
    assert texts(document) == ["Kept text here.", "After the ad. Second line.", "The end."]


# ---------------------------------------------------------------- 5. messages and file names

GOOD = f"A Title\n\n{BODY}"


@pytest.mark.parametrize(
    ("extra", "shown"),
    [(1, "50,000,001 bytes"), (13_200_000, "63.2 MB"), (49_999, "50,049,999 bytes")],
)
def test_a_file_just_over_the_limit_shows_a_size_that_differs_from_it(
    tmp_path: Path, extra: int, shown: str
) -> None:
    write(tmp_path / "good.txt", GOOD)
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + extra)  # sparse: no data is written
    [reason] = problems_by_name(load_corpus([tmp_path]))["huge.txt"]
    assert reason.startswith(f"too large ({shown}; the limit is 50 MB")


@pytest.mark.parametrize("link_name", ["a-link.txt", "z-link.txt"])
def test_a_file_and_a_link_to_it_load_once_under_the_real_name(
    tmp_path: Path, link_name: str
) -> None:
    write(tmp_path / "real.txt", GOOD)
    (tmp_path / link_name).symlink_to(tmp_path / "real.txt")
    corpus = load_corpus([tmp_path])
    assert [(d.id, Path(d.path).name) for d in corpus.documents] == [("real", "real.txt")]
    [problem] = corpus.problems
    assert (Path(problem.path).name, problem.fatal, problem.skipped) == (link_name, False, True)
    assert "real.txt" in problem.reason


def test_a_link_to_a_file_outside_the_corpus_loads_under_its_own_name(tmp_path: Path) -> None:
    write(tmp_path / "elsewhere" / "real.txt", GOOD)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "linked.txt").symlink_to(tmp_path / "elsewhere" / "real.txt")
    corpus = load_corpus([tmp_path / "corpus"])
    assert [d.id for d in corpus.documents] == ["linked"]
    assert corpus.problems == ()


def test_a_linked_file_named_first_and_its_folder_later_load_it_under_the_real_name(
    tmp_path: Path,
) -> None:
    write(tmp_path / "books" / "real.txt", GOOD)
    (tmp_path / "link.txt").symlink_to(tmp_path / "books" / "real.txt")
    corpus = load_corpus([tmp_path / "link.txt", tmp_path / "books"])
    assert [d.id for d in corpus.documents] == ["real"]


def test_two_files_given_one_id_in_the_manifest_are_reported_with_the_manifest(
    tmp_path: Path,
) -> None:
    write(tmp_path / "e1.txt", GOOD)
    write(tmp_path / "e2.txt", GOOD)
    write(tmp_path / "corpus.yaml", "documents:\n  e1.txt:\n    id: two\n  e2.txt:\n    id: two\n")
    corpus = load_corpus([tmp_path])
    assert [d.id for d in corpus.documents] == ["two", "two-2"]
    [problem] = corpus.problems
    assert (problem.path, problem.fatal) == (str(tmp_path / "corpus.yaml"), False)
    assert problem.reason.startswith("documents > e2.txt: id 'two' is already given to ")
    assert "e1.txt" in problem.reason
    assert "'two-2'" in problem.reason


def test_a_front_matter_id_clash_is_reported_on_the_file(tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"---\nid: same\n---\n{GOOD}")
    write(tmp_path / "b.md", f"---\nid: same\n---\n{GOOD}")
    corpus = load_corpus([tmp_path])
    assert [d.id for d in corpus.documents] == ["same", "same-2"]
    [problem] = corpus.problems
    assert Path(problem.path).name == "b.md"
    assert "a.md" in problem.reason


def test_a_missing_absolute_path_does_not_claim_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(CorpusError) as raised:
        load_corpus([tmp_path / "cfg" / "seeds"])
    message = str(raised.value)
    assert str(tmp_path / "cfg" / "seeds") in message
    assert str(elsewhere) not in message


def test_a_missing_relative_path_names_the_folder_it_was_resolved_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CorpusError) as raised:
        load_corpus([Path("nowhere")])
    assert str(tmp_path / "nowhere") in str(raised.value)


def test_a_file_with_only_front_matter_says_so(tmp_path: Path) -> None:
    write(tmp_path / "fm.md", "---\ntitle: T\n---\n")
    write(tmp_path / "fm.txt", "---\ntitle: T\n---\n\n")
    found = problems_by_name(load_corpus([tmp_path]))
    assert found["fm.md"] == found["fm.txt"] == ["has only front matter and no text after it"]


def test_a_copyright_line_with_a_comma_is_still_furniture() -> None:
    assert ending("© 2024 The Gazette, and its partners. All rights reserved.") == BODY_TEXTS

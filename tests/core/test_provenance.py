"""Finding the passage a chat message quotes (the core of "Where is this from?")."""

from __future__ import annotations

from bot.core.library import Library
from bot.core.provenance import (
    MAX_WINDOWS,
    MAX_WORD_WINDOWS,
    MIN_MATCHED_WORDS,
    WINDOW_CHARS,
    quoted_part,
    search_windows,
    word_windows,
)
from tests.core.test_search import make_corpus


def test_block_quote_lines_are_the_quoted_part() -> None:
    text = "> It is a truth universally acknowledged\n> that a single man\nso true lol"
    assert quoted_part(text) == "It is a truth universally acknowledged that a single man"


def test_the_longest_quoted_span_of_a_few_words_is_the_quoted_part() -> None:
    text = 'He said "hi" and then “jaw jaw is better than war war” — <@123> https://x.y/z'
    assert quoted_part(text) == "jaw jaw is better than war war"


def test_without_quotes_the_whole_text_without_markup_is_searched() -> None:
    assert quoted_part("<@!42> call me <:wave:99> Ishmael") == "call me Ishmael"


def test_long_text_becomes_a_few_windows_of_whole_sentences() -> None:
    text = " ".join(f"Sentence number {i} is here and it says something." for i in range(200))
    windows = search_windows(text)
    assert len(windows) == MAX_WINDOWS
    assert all(len(w) <= WINDOW_CHARS for w in windows)
    assert all(w.endswith(".") for w in windows)
    assert windows[0].startswith("Sentence number 0 ")
    assert "199" in windows[-1]


def test_a_quotation_is_located_and_chatter_is_not() -> None:
    corpus = make_corpus(
        {
            "d": [
                "The sea was calm that night, and the stars burned over the quiet harbour.",
                "Nobody in the village had ever seen a whale come so close to the shore.",
            ]
        }
    )
    library = Library(corpus)
    found = library.where_from("lol “nobody in the vilage had ever seen a whale come so close”")
    assert found is not None
    assert found.accepted
    assert found.hit.passage.paragraph == 2
    chatter = library.where_from("what time is the game tonight, can you bring snacks")
    assert chatter is None or not chatter.accepted
    assert library.where_from("!!! ???") is None


def test_word_windows_overlap_and_cover_the_end() -> None:
    words = [f"w{i}" for i in range(40)]
    windows = word_windows(" ".join(words), words=12, stride=6)
    assert windows[0].split() == words[:12]
    assert windows[-1].split() == words[-12:]
    assert word_windows("too short to need any") == []
    many = word_windows(" ".join(f"w{i}" for i in range(1000)))
    assert len(many) == MAX_WORD_WINDOWS


def test_an_unpunctuated_quotation_inside_long_chatter_is_found() -> None:
    corpus = make_corpus(
        {
            "d": [
                "The sea was calm that night, and the stars burned over the quiet harbour.",
                "Nobody in the village had ever seen a whale come so close to the shore, and the "
                "children ran down to the water to watch it breathe.",
            ]
        }
    )
    library = Library(corpus)
    chatter = "we were talking about this at dinner and nobody remembered the book. " * 5
    quote = (
        "nobody in the village had ever seen a whale come so close to the shore and the children"
    )
    found = library.where_from(chatter + quote + " " + chatter)
    assert found is not None
    assert found.accepted
    assert found.hit.passage.paragraph == 2


# Great Expectations, chapter 59, and Moby Dick, chapter 1 (public domain), a few paragraphs each.
ESTELLA = (
    '"But you said to me," returned Estella, very earnestly, "\'God bless you, God forgive '
    "you!' And if you could say that to me then, you will not hesitate to say that to me now,--"
    "now, when suffering has been stronger than all other teaching, and has taught me to "
    "understand what your heart used to be. I have been bent and broken, but--I hope--into a "
    'better shape. Be as considerate and good to me as you were, and tell me we are friends."'
)
NOVELS = {
    "great-expectations": [
        '"I little thought," said Estella, "that I should take leave of you in taking leave of '
        'this spot. I am very glad to do so."',
        '"Glad to part again, Estella? To me, parting is a painful thing. To me, the remembrance '
        'of our last parting has been ever mournful and painful."',
        ESTELLA,
        '"We are friends," said I, rising and bending over her, as she rose from the bench.',
    ],
    "moby-dick": [
        "Call me Ishmael. Some years ago--never mind how long precisely--having little or no "
        "money in my purse, and nothing particular to interest me on shore, I thought I would "
        "sail about a little and see the watery part of the world.",
        "There now is your insular city of the Manhattoes, belted round by wharves as Indian isles "
        "by coral reefs--commerce surrounds it with her surf.",
    ],
    "notice": ["Please do not ping @everyone in the reading channel, thanks."],
}
BENT = "I have been bent and broken, but I hope into a better shape"


def _novels() -> Library:
    return Library(make_corpus(NOVELS))


def test_a_quotation_inside_a_long_chat_message_is_found() -> None:
    library = _novels()
    message = (
        f"So I was reading last night and got to the part where he says {BENT}, and honestly it "
        "made me cry a bit. Anyway, what are we doing for dinner on Friday?"
    )
    more = (
        " I was thinking we could try the new place on the corner, the one with the blue sign, "
        "unless somebody has a better idea. Also bring the board games this time, last week "
        "was boring without them, and tell Sam the train leaves at six."
    )
    for text in (message, message + more, message + more * 3):
        found = library.where_from(text)
        assert found is not None, text
        assert found.accepted, (text, found)
        assert (found.hit.passage.document_id, found.hit.passage.paragraph) == (
            "great-expectations",
            3,
        )


def test_a_quotation_pasted_three_times_is_found() -> None:
    library = _novels()
    for text in (f"{BENT} " * 3, f"{BENT}. " * 3):
        found = library.where_from(text)
        assert found is not None, text
        assert found.accepted, (text, found)
        assert found.hit.passage.paragraph == 3


def test_a_single_quoted_phrase_is_the_quoted_part_like_a_double_quoted_one() -> None:
    library = _novels()
    for text in ("someone said 'call me ishmael' once", "someone said ‘call me ishmael’ once"):
        assert quoted_part(text) == "call me ishmael"
        found = library.where_from(text)
        assert found is not None, text
        assert found.accepted, (text, found)
        assert found.hit.passage.document_id == "moby-dick"
    # an apostrophe is not a quotation mark
    assert quoted_part("don't say 'it isn't so' again") == "it isn't so"


def test_a_lone_word_is_not_claimed_as_a_quotation() -> None:
    library = _novels()
    found = library.where_from("everyone")
    assert found is None or not found.accepted
    assert found is None or found.matched_words < MIN_MATCHED_WORDS
    # a short passage matched whole is still found
    short = Library(make_corpus({"raven": ["Nevermore."], "other": ["The sea was calm."]}))
    found = short.where_from("nevermore")
    assert found is not None
    assert found.accepted

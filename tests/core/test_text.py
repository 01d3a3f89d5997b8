"""The shared lexicon: what a word, a stop word, a personal name and an honorific are."""

from __future__ import annotations

from bot.core import text
from bot.core.loader import parse_document


def test_a_word_joins_inner_apostrophes_and_hyphens() -> None:
    assert text.words("Don’t say well-known O'Brien_s 42!") == [
        "Don’t",
        "say",
        "well-known",
        "O'Brien",
        "s",
        "42",
    ]


def test_words_of_a_script_without_spaces_count_one_per_character() -> None:
    assert text.count_words("鲁迅 wrote 狂人日记") == 2 + 1 + 4
    assert text.count_words("  plain   words here ") == 3


def test_honorifics_name_what_they_stand_for() -> None:
    assert text.honorific("Mme.") == "madam"
    assert text.honorific("Doctor") == "dr"
    assert text.honorific("MRS") == "mrs"
    assert text.honorific("Elizabeth") is None


def test_lexicons_are_read_from_their_data_files() -> None:
    assert {"the", "of", "which"} <= text.STOP_WORDS
    assert all(w == w.lower() and " " not in w for w in text.STOP_WORDS)
    assert {"The", "Monday", "December"} <= text.NOT_NAME_WORDS
    assert "van" in text.NAME_PARTICLES
    assert "Vice President" in text.TITLES
    assert not any(line.startswith("#") for line in text.TITLES)


def test_a_closing_line_naming_someone_with_an_honorific_is_prose_not_a_bio() -> None:
    body = "Title\n\nFirst paragraph of the story.\n\nSecond paragraph.\n\n"
    novel = parse_document(body + "Madame Merle is a woman of the world.", document_id="n")
    assert novel.author is None
    assert novel.paragraphs[-1].text == "Madame Merle is a woman of the world."
    article = parse_document(body + "Dr Jane Okafor is a historian.", document_id="a")
    assert article.author == "Dr Jane Okafor"

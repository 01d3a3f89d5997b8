"""Locations: "Chapter 3, ¶12" in a document with sections, as before in one without."""

from __future__ import annotations

from bot import render
from bot.core.context import citation, widen
from bot.core.loader import parse_document
from bot.core.models import Passage, Quote, SearchHit, Summary

BOOK = parse_document(
    "A Book\n\nA preface before any chapter.\n\nCHAPTER I\n\nThe first chapter opens here.\n\n"
    "It goes on a while.\n\nCHAPTER II\n\nThe second chapter opens.\n\nIt ends well.\n",
    document_id="book",
)
ESSAY = parse_document("An Essay\n\nFirst point made.\n\nSecond point made.\n", document_id="e")


def test_location_names_the_section_and_counts_paragraphs_within_it() -> None:
    assert [s.title for s in BOOK.sections] == ["Opening", "Chapter I", "Chapter II"]
    assert render.location(BOOK, 4) == "Chapter II, ¶1"
    assert render.location(BOOK, 2, 3) == "Chapter I, ¶1–2"
    assert render.location(BOOK, 1) == "Opening, ¶1"  # before the first heading
    assert render.location(BOOK, 3, 4) == "paragraphs 3–4"  # across two chapters
    assert render.location(ESSAY, 2, bare="¶{}") == "¶2"
    assert render.location(None, 7, bare="Paragraph {}") == "Paragraph 7"


def test_every_place_that_shows_a_location_uses_it() -> None:
    sentence = BOOK.paragraph(4).sentences[0]
    quote = Quote(text=sentence.text, sentence=sentence)
    assert render.quote_reply(quote, BOOK).embeds[0].footer.text == "Chapter II, ¶1"
    assert (
        render.quote_reply(
            Quote(text="First point made.", sentence=ESSAY.paragraph(1).sentences[0]), ESSAY
        )
        .embeds[0]
        .footer.text
        == "Paragraph 1"
    )

    passage = Passage("book", 3, 0, len(BOOK.paragraph(3).text), BOOK.paragraph(3).text)
    hit = SearchHit(passage, 90.0, 0, 5)
    from bot.core.models import Corpus

    field = render.search_reply("goes on", [hit], Corpus((BOOK,))).embeds[0].fields[0]
    assert "A Book — Chapter I, ¶2 · score 90" in field.name

    summary = Summary("book", (sentence,), "lead")
    assert "(Chapter II, ¶1)" in (render.summary_reply(summary, BOOK).embeds[0].description or "")

    excerpt = widen(BOOK, 4, 0, len(sentence.text), 0)
    assert "Chapter II, ¶1" in (render.context_reply(excerpt, BOOK).embeds[0].title or "")

    cited = citation(BOOK, 4, where=render.location(BOOK, 4))
    assert cited == "“A Book”, Chapter II, ¶1."
    assert citation(ESSAY, 2) == "“An Essay”, paragraph 2."


def test_where_from_cards_and_reading_headers_count_within_the_section() -> None:
    from bot import render_community
    from bot.core.reading import Instalment

    assert render_community.location(BOOK, 4) == "Chapter II, ¶1"
    sentence = BOOK.paragraph(3).sentences[0]
    _, _, source = render_community.card_text(Quote(text=sentence.text, sentence=sentence), BOOK)
    assert source == "Chapter I, ¶2"
    section = BOOK.section(2)
    part = Instalment(day=2, total=4, first=3, last=3, section=section)
    assert render_community.instalment_heading(part) == "Day 2 of 4 · Chapter I, ¶2"


def test_json_records_carry_both_paragraph_numbers_named_apart() -> None:
    sentence = BOOK.paragraph(5).sentences[0]
    quote = Quote(text=sentence.text, sentence=sentence)
    record = render.quote_record(quote, BOOK)
    assert (record["paragraph"], record["paragraph_in_section"]) == (5, 2)
    assert record["location"] == "Chapter II, ¶2"
    [ranked] = render.ranked_quotes_record([quote], BOOK)
    assert (ranked["paragraph"], ranked["paragraph_in_section"]) == (5, 2)
    summary = render.summary_record(Summary("book", (sentence,), "lead"), BOOK)
    assert summary["sentences"][0]["location"] == "Chapter II, ¶2"


def test_a_heading_s_final_full_stop_is_not_doubled_before_the_paragraph() -> None:
    novel = parse_document(
        "A Novel\n\nCHAPTER 1. Loomings.\n\nCall me Ishmael.\n\nSome years ago.\n\n"
        "CHAPTER 2. The Carpet-Bag.\n\nI stuffed a shirt or two.\n",
        document_id="novel",
    )
    assert novel.sections[0].title == "Chapter 1. Loomings."  # the heading as written
    assert render.location(novel, 2) == "Chapter 1. Loomings, ¶2"
    assert render.location(novel, 3) == "Chapter 2. The Carpet-Bag, ¶1"
    cited = citation(novel, 1, where=render.location(novel, 1))
    assert cited == "“A Novel”, Chapter 1. Loomings, ¶1."

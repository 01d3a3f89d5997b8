"""Quotable lines and quoted speech (bot.core.quotes), from the seed essay and prose written here."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core.errors import NotFound
from bot.core.loader import parse_document
from bot.core.models import Corpus, Document, Paragraph, Quote
from bot.core.quotes import (
    FEATURES,
    MIN_SPEECH_WORDS,
    QUOTABLE_THRESHOLD,
    QuoteBook,
    SpeechSpan,
    document_quotes,
    explain,
    extract_speech,
    quotability,
    quote_key,
)
from bot.core.quotes import VERSION as QUOTES_VERSION
from bot.core.segment import segment_paragraph

SEED = Path(__file__).resolve().parents[2] / "seeds" / "trump-must-hold-kim-jong-un-to-account.txt"


@pytest.fixture(scope="module")
def seed() -> Document:
    return parse_document(SEED.read_text(encoding="utf-8"), document_id="seed")


@pytest.fixture(scope="module")
def seed_book(seed: Document) -> QuoteBook:
    return QuoteBook.build(Corpus((seed,)))


def para(text: str, number: int = 1, document_id: str = "t") -> Paragraph:
    return segment_paragraph(document_id, number, text)


def speech(text: str) -> list[SpeechSpan]:
    return extract_speech(para(text))


def seed_paragraph(seed: Document, starts: str) -> Paragraph:
    (found,) = [p for p in seed.paragraphs if p.text.startswith(starts)]
    return found


def document(doc_id: str, title: str, author: str | None, *paragraphs: str) -> Document:
    return Document(
        id=doc_id,
        title=title,
        author=author,
        paragraphs=tuple(segment_paragraph(doc_id, i, t) for i, t in enumerate(paragraphs, 1)),
    )


# ---- quotability --------------------------------------------------------------------------


GOOD_SEED_LINES = [
    "Peace means letting the people of North Korea sleep easy at night and breathe normally by day.",
    "Their talks may lead nowhere, but not talking guarantees no progress.",
    "Not containment, not a pause in hostile rhetoric, not gesture politics, but peace.",
]
BAD_SEED_LINES = ["It’s debatable.", "So, Mr Trump, who is your role model?", "It is your choice."]


@pytest.mark.parametrize("line", GOOD_SEED_LINES)
def test_strong_seed_lines_are_quotable(line: str) -> None:
    assert quotability(line) >= QUOTABLE_THRESHOLD


@pytest.mark.parametrize("line", BAD_SEED_LINES)
def test_context_bound_seed_lines_are_not_quotable(line: str) -> None:
    assert quotability(line) < 0.25


def test_score_is_in_unit_interval_and_deterministic(seed: Document) -> None:
    for sentence in seed.sentences:
        score = quotability(sentence.text)
        assert 0.0 <= score <= 1.0
        assert quotability(sentence.text) == score


@pytest.mark.parametrize(
    "opener", ["This", "That", "It", "They", "He", "She", "However,", "So", "But", "And", "Also,"]
)
def test_dangling_openers_cost(opener: str) -> None:
    base = "the quiet harbour keeps every secret the sea has ever told it."
    assert quotability(f"{opener} {base}") < quotability(base[0].upper() + base[1:])


def test_either_way_is_a_dangling_connective() -> None:
    plain = "A careful decision in the first meeting would look like appeasement in the second."
    assert quotability("Either way, " + plain[0].lower() + plain[1:]) < quotability(plain)


def test_length_band() -> None:
    short = "Courage is contagious."
    good = "Courage is contagious, and fear spreads faster than any rumour in a small town."
    rambling = " ".join(
        ["Courage is contagious, and fear spreads faster than any rumour in a small town"] * 6
    )
    assert quotability(short) > 0.0  # short memorable lines qualify
    assert quotability("Courage, friends.") == 0.0  # two words: not a quote
    assert quotability(good) > quotability(rambling + ".")
    assert quotability(good) >= QUOTABLE_THRESHOLD


def test_questions_addressed_to_someone_cost_more() -> None:
    statement = "Every generation must decide what it is willing to defend."
    question = "What is every generation willing to defend in the end?"
    addressed = "So, Mr Smith, what is your generation willing to defend?"
    assert quotability(statement) > quotability(question) > quotability(addressed)


def test_dangling_references_citations_and_numbers_cost() -> None:
    plain = "Good laws protect the weak from the strong and the strong from themselves."
    assert quotability("As noted above, good laws protect the weak from the strong.") < quotability(
        plain
    )
    assert quotability(plain[:-1] + " (Smith et al., 2012).") < quotability(plain)
    assert quotability(plain[:-1] + " at https://example.org/laws.") < quotability(plain)
    assert quotability("In 2019 the 4 courts heard 1,200 cases in 37 days across 12 states.") < 0.4


def test_bylines_and_boilerplate_score_zero() -> None:
    assert quotability("Benedict Rogers works for the human rights organization CSW.") == 0.0
    assert quotability("Jane Doe is the co-founder of a coalition against hunger.") == 0.0
    assert quotability("Read more about the summit and its consequences here.") == 0.0
    assert quotability("© 2019 Example News. All rights reserved.") == 0.0
    assert quotability("What's Hot") == 0.0


def test_titles_are_not_quotes() -> None:
    title = "Trump Must Hold Kim Jong-Un's Horrific Human Rights Record To Account"
    assert quotability(title) < 0.2


def test_rhetorical_figures_raise_the_score() -> None:
    flat = "Talking with rivals sometimes produces a little progress over the years."
    antithesis = "Talking with rivals is not weakness, but the beginning of strength."
    comparative = "A hard conversation is better than an easy silence between neighbours."
    anaphora = (
        "Without trust, without patience, without courage, no treaty survives its first winter."
    )
    for line in (antithesis, comparative, anaphora):
        assert quotability(line) > quotability(flat)


def test_narrative_past_tense_scores_below_general_present() -> None:
    narrative = "The delegates argued, adjourned and returned to their hotels in the evening."
    general = "Delegates argue, adjourn and return, but a treaty is signed only by patience."
    assert quotability(general) > quotability(narrative)


# ---- quoted speech: the seed ----------------------------------------------------------------


def test_churchill_jaw_jaw_war_war(seed: Document) -> None:
    paragraph = seed_paragraph(seed, "This week, Donald Trump")
    spans = {s.text: s for s in extract_speech(paragraph)}
    for phrase in ("jaw jaw", "war war"):
        span = spans[phrase]
        assert span.speaker == "Winston Churchill"
        assert not span.quotable  # a cited phrase of two words, not a quote to post
        assert paragraph.text[span.start : span.end] == phrase
        assert paragraph.text[span.mark_start : span.mark_end] == f"“{phrase}”"


def test_scare_quotes_are_spans_but_not_quotable(seed: Document) -> None:
    texts = {}
    for paragraph in seed.paragraphs:
        for span in extract_speech(paragraph):
            texts[span.text] = span
    for phrase in ("fire and fury", "Rocket Man", "peace", "Peace in our time"):
        assert phrase in texts
        assert texts[phrase].word_count < MIN_SPEECH_WORDS
        assert not texts[phrase].quotable
    # Trump is named near "fire and fury" but not as its speaker: no speech verb says so.
    assert texts["fire and fury"].speaker is None


def test_reagan_quote_spans_sentences_and_he_argued_resolves(seed: Document) -> None:
    paragraph = seed_paragraph(seed, "The last time President Trump")
    spans = extract_speech(paragraph)
    long = [s for s in spans if s.text.startswith("There stands before the entire world")]
    assert len(long) == 1
    assert long[0].text.endswith("freedom and security go together")
    assert "Freedom leads to prosperity. Freedom replaces the ancient hatreds" in long[0].text
    assert long[0].speaker is not None
    assert long[0].speaker.endswith("Reagan")
    assert long[0].quotable
    (peace,) = [s for s in spans if s.text.startswith("can only strengthen")]
    assert peace.text == "can only strengthen the cause of world peace."
    assert peace.speaker == long[0].speaker
    (liberty,) = [s for s in spans if s.text == "advance of human liberty"]
    assert liberty.speaker == long[0].speaker
    assert not liberty.quotable


def test_paraphrase_without_quote_marks_is_not_speech(seed: Document) -> None:
    paragraph = seed_paragraph(seed, "Coming back to the specific priority")
    assert extract_speech(paragraph) == []


def test_apostrophes_in_seed_are_not_quotes(seed: Document) -> None:
    paragraph = seed_paragraph(seed, "So, Mr Trump")
    spans = extract_speech(paragraph)
    assert [s.text for s in spans] == ["Peace in our time"]


# ---- quoted speech: other prose ---------------------------------------------------------------


def test_novel_dialogue_interrupted_by_said() -> None:
    spans = speech("“I am not,” said Elizabeth, “I am not going.”")
    assert [(s.text, s.speaker) for s in spans] == [
        ("I am not,", "Elizabeth"),
        ("I am not going.", "Elizabeth"),
    ]


def test_dialogue_resumes_after_the_speakers_interruption() -> None:
    spans = speech("“Go,” said Anne, turning to her brother, “before the rain comes back.”")
    assert [s.speaker for s in spans] == ["Anne", "Anne"]
    spans = speech("“Go,” said Anne. Her brother shrugged: “before the rain comes back.”")
    assert [s.speaker for s in spans] == ["Anne", None]


def test_straight_quotes_and_titles() -> None:
    spans = speech('"Hello there, my old friend," said Mr. Bennet, smiling at the fire.')
    assert [(s.text, s.speaker) for s in spans] == [("Hello there, my old friend,", "Mr. Bennet")]


def test_news_style_attributions() -> None:
    cases = {
        "The mayor, Jane Doe, has said that “our city will never sleep again”.": "Jane Doe",
        "According to Mary Smith, “the river floods every spring without fail.”": "Mary Smith",
        'Senator Alan Brooks said: "We will not raise taxes this year, whatever happens."': (
            "Alan Brooks"
        ),
        "“We are ready to talk whenever they are,” the minister, Ana Ruiz, added later.": None,
        "“We are ready to talk whenever they are,” Ana Ruiz told reporters.": "Ana Ruiz",
        "As Martin Luther King put it, “the time is always right to do what is right.”": (
            "Martin Luther King"
        ),
    }
    for text, speaker in cases.items():
        spans = speech(text)
        assert len(spans) == 1, text
        assert spans[0].speaker == speaker, text


def test_unattributed_quote_has_no_speaker() -> None:
    (span,) = speech("The sign on the door read “no entry for anyone after dark, ever”.")
    assert span.speaker is None
    assert span.quotable


def test_pronoun_without_a_single_candidate_stays_unknown() -> None:
    spans = speech("“Are you going to the ball tonight?” she asked. Mr Darcy smiled.")
    assert spans[0].speaker is None
    spans = speech("Mr Collins and Mr Darcy were there. “It is a fine evening,” he said.")
    assert spans[0].speaker is None
    spans = speech("Mr Collins bowed. “It is a truly fine evening for a walk,” he said.")
    assert spans[0].speaker == "Mr Collins"


def test_nested_single_quotes() -> None:
    text = "“He told me ‘never again, not in a hundred years’ and left,” said Jane."
    spans = speech(text)
    outer, inner = spans
    assert outer.depth == 0
    assert outer.speaker == "Jane"
    assert outer.text == "He told me ‘never again, not in a hundred years’ and left,"
    assert inner.depth == 1
    assert inner.speaker is None
    assert inner.text == "never again, not in a hundred years"
    assert not inner.quotable  # nested: someone else's words inside Jane's
    assert outer.mark_start < inner.mark_start < inner.mark_end < outer.mark_end


def test_british_single_quotes_as_dialogue() -> None:
    spans = speech("‘I shall not go,’ said Anne, ‘whatever they may say about it.’")
    assert [(s.text, s.speaker) for s in spans] == [
        ("I shall not go,", "Anne"),
        ("whatever they may say about it.", "Anne"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Kim’s programme and the students’ books don’t matter to anyone’s plans.",
        "Kim's programme and the students' books don't matter to anyone's plans.",
        "Rock ’n’ roll in the ’90s wasn’t dead, and ’tis the season.",
        "The generals’ plans were the ministers’ worry.",
    ],
)
def test_apostrophes_are_not_quotes(text: str) -> None:
    assert speech(text) == []


def test_possessive_inside_single_quote_does_not_close_it() -> None:
    (span,) = speech("She wrote ‘the students’ books are all here,’ and left.")
    assert span.text == "the students’ books are all here,"


def test_straight_quotes_pair_in_order() -> None:
    spans = speech('She said "yes" and he said "no", and "maybe later" was never said.')
    assert [s.text for s in spans] == ["yes", "no", "maybe later"]


def test_quote_open_at_paragraph_end() -> None:
    (span,) = speech("“This speech goes on into the next paragraph without closing")
    assert not span.closed
    assert span.text == "This speech goes on into the next paragraph without closing"
    assert not span.quotable


def test_offsets_match_text() -> None:
    text = "“I am not,” said Elizabeth, “I am not going.” Kim’s “fine”, 'too'."
    for span in speech(text):
        assert text[span.start : span.end] == span.text
        assert text[span.mark_start] in "“'"


# ---- QuoteBook ------------------------------------------------------------------------------


def test_seed_ranking_puts_strong_lines_on_top(seed_book: QuoteBook) -> None:
    own = [q.text for q in seed_book.ranked("seed") if q.speaker is None]
    top = own[:6]
    for line in GOOD_SEED_LINES:
        assert line in top
    quotable = {q.text for q in seed_book.quotable("seed")}
    for line in BAD_SEED_LINES:
        assert line not in quotable
    # context-bound lines rank in the bottom half
    bottom = own[len(own) // 2 :]
    assert "So, Mr Trump, who is your role model?" in bottom
    assert "It is your choice." in bottom
    assert "It’s debatable." not in own  # two words: not a quote at all


def test_seed_book_holds_reagan_speech_not_scare_quotes(seed_book: QuoteBook) -> None:
    speech_quotes = {q.text: q for q in seed_book.ranked() if q.speaker is not None}
    # a fragment resumed mid-sentence ("The “advance of human liberty”, he argued, “can only …”")
    # is not posted on its own
    assert not [t for t in speech_quotes if "can only strengthen" in t]
    reagan = [t for t in speech_quotes if t.startswith("There stands before the entire world")]
    assert len(reagan) == 1
    assert speech_quotes[reagan[0]].speaker == "Ronald Reagan"
    assert not {"jaw jaw", "war war", "Rocket Man", "fire and fury"} & set(speech_quotes)
    # the sentence quoting Reagan is Reagan's words, not the author's own line
    own = {q.text for q in seed_book.ranked() if q.speaker is None}
    assert not any(t.startswith("As President Reagan said") for t in own)
    # the author's sentence containing "jaw jaw" stays the author's (mostly the author's words)
    assert any("“jaw jaw”" in t for t in own)


def test_quote_sentence_points_at_its_source(seed_book: QuoteBook, seed: Document) -> None:
    for quote in seed_book.ranked():
        paragraph = seed.paragraph(quote.paragraph)
        assert quote.sentence in paragraph.sentences
        start = int(quote_key(quote).rsplit(":", 1)[1])
        assert paragraph.text[start : start + len(quote.text)] == quote.text


def test_quote_keys_are_unique_and_resolve(seed_book: QuoteBook) -> None:
    keys = [quote_key(q) for q in seed_book.ranked()]
    assert len(keys) == len(set(keys))
    for key, quote in zip(keys, seed_book.ranked(), strict=True):
        assert seed_book.get(key) == quote
    assert seed_book.get("seed:99:0") is None


def test_ranked_is_sorted_and_deterministic(seed: Document) -> None:
    a = QuoteBook.build(Corpus((seed,))).ranked()
    b = QuoteBook.build(Corpus((seed,))).ranked()
    assert a == b
    assert [q.score for q in a] == sorted((q.score for q in a), reverse=True)


@pytest.fixture(scope="module")
def two_docs(seed: Document) -> QuoteBook:
    novel = document(
        "novel",
        "A Winter Visit",
        "Jane Author",
        "“I am not,” said Elizabeth, “I am not going to marry a man I do not respect.”",
        "Mr Collins bowed low. “A clergyman must always set an example to the whole parish,” "
        "he said.",
        "Patience is not waiting, but the art of hoping while you work.",
        "A small kindness is better than a grand intention that never arrives.",
    )
    return QuoteBook.build(Corpus((seed, novel)))


def test_pick_draws_from_every_document(two_docs: QuoteBook) -> None:
    rng = random.Random(7)
    picked = [two_docs.pick(rng=rng) for _ in range(200)]
    counts = {doc: sum(q.document_id == doc for q in picked) for doc in ("seed", "novel")}
    # documents are picked uniformly, so the long essay does not drown out the short novel
    assert 60 <= counts["novel"] <= 140
    assert all(q.score >= QUOTABLE_THRESHOLD for q in picked)


def test_pick_is_reproducible_with_a_seeded_rng(two_docs: QuoteBook) -> None:
    first = [two_docs.pick(rng=random.Random(3)) for _ in range(5)]
    second = [two_docs.pick(rng=random.Random(3)) for _ in range(5)]
    assert first == second


def test_pick_never_repeats_the_excluded_quote(two_docs: QuoteBook) -> None:
    rng = random.Random(1)
    last = two_docs.pick(document="novel", rng=rng)
    for _ in range(50):
        quote = two_docs.pick(document="novel", rng=rng, exclude={quote_key(last)})
        assert quote_key(quote) != quote_key(last)
        last = quote


def test_pick_from_top_fraction(seed_book: QuoteBook) -> None:
    rng = random.Random(5)
    ranked = seed_book.quotable("seed")
    allowed = {quote_key(q) for q in ranked[: max(1, round(0.3 * len(ranked) + 0.5))]}
    for _ in range(50):
        assert quote_key(seed_book.pick(document="seed", rng=rng)) in allowed


def test_pick_contains_is_fuzzy_and_case_insensitive(seed_book: QuoteBook) -> None:
    quote = seed_book.pick(contains="SLEEP EASY AT NIGT", rng=random.Random(0))
    assert quote.text.startswith("Peace means letting")
    quote = seed_book.pick(contains="persistance is a virtue", rng=random.Random(0))
    assert "persistence is a virtue" in quote.text


def test_pick_contains_reaches_below_the_threshold(seed_book: QuoteBook) -> None:
    quote = seed_book.pick(contains="jaw jaw", rng=random.Random(0))
    assert "“jaw jaw”" in quote.text


def test_pick_contains_not_found_message(seed_book: QuoteBook, seed: Document) -> None:
    with pytest.raises(NotFound) as error:
        seed_book.pick(document="seed", contains="zzqqxx banana")
    assert str(error.value) == (
        f"No quote in {seed.title} contains “zzqqxx banana”. (/search finds the passages that do.)"
    )
    with pytest.raises(NotFound, match="No quote contains “zzqqxx”"):
        seed_book.pick(contains="zzqqxx")


def test_pick_contains_finds_the_plain_lines_of_a_document_with_no_quote(seed: Document) -> None:
    """/quote serves a Japanese document's plain sentences; a corpus-wide ``contains`` too."""
    neko = parse_document(
        "Neko\n\n吾輩は猫である。名前はまだ無い。\n\nどこで生れたかとんと見当がつかぬ。\n",
        document_id="neko",
    )
    book = QuoteBook.build(Corpus((seed, neko)))
    assert "吾輩" in book.pick(document="neko", contains="吾輩", rng=random.Random(0)).text
    assert "吾輩" in book.pick(contains="吾輩", rng=random.Random(0)).text
    assert "吾輩は猫である" in book.pick(contains="吾輩は猫である", rng=random.Random(0)).text


def test_pick_by_speaker(two_docs: QuoteBook) -> None:
    rng = random.Random(2)
    for _ in range(10):
        assert two_docs.pick(speaker="reagan", rng=rng).speaker == "Ronald Reagan"
        assert two_docs.pick(speaker="Elizabeth", rng=rng).speaker == "Elizabeth"
    # the author's own lines are found under the author's name
    own = two_docs.pick(speaker="Benedict Rogers", rng=rng)
    assert own.speaker is None
    assert own.document_id == "seed"
    with pytest.raises(NotFound) as error:
        two_docs.pick(speaker="Napoleon Bonaparte")
    assert str(error.value) == "No quotes from Napoleon Bonaparte."


def test_pick_unknown_document(two_docs: QuoteBook) -> None:
    with pytest.raises(NotFound):
        two_docs.pick(document="nope")


def test_speakers_autocomplete(two_docs: QuoteBook) -> None:
    everyone = two_docs.speakers()
    assert everyone == sorted(everyone, key=str.casefold)
    assert {"Ronald Reagan", "Elizabeth", "Mr Collins", "Benedict Rogers", "Jane Author"} <= set(
        everyone
    )
    # only two-word phrases, but pick(speaker=...) serves them, so autocomplete lists him
    assert "Winston Churchill" in everyone
    assert two_docs.speakers("rea") == ["Ronald Reagan"]
    assert two_docs.speakers("RONALD") == ["Ronald Reagan"]
    assert "Elizabeth" in two_docs.speakers("elizabth")
    assert len(two_docs.speakers("", limit=2)) == 2
    assert two_docs.speakers("zzz") == []


def test_speakers_limit_is_25() -> None:
    firsts = ["Anna", "Boris", "Clara", "Dmitri", "Edith", "Farid", "Greta", "Hugo"]
    lasts = ["Ames", "Baker", "Cole", "Dunn", "Eliot"]
    paragraphs = [
        f"“Every day is a new chance to begin again,” said {first} {last}."
        for first in firsts
        for last in lasts
    ]
    book = QuoteBook.build(Corpus((document("many", "Many", None, *paragraphs),)))
    names = book.speakers(limit=100)
    assert len(names) == 25
    assert names == book.speakers(limit=100)
    assert names[0] == "Anna Ames"
    assert book.speakers("bak", limit=3) == ["Anna Baker", "Boris Baker", "Clara Baker"]


def test_cycle_order_is_a_salted_deterministic_permutation(two_docs: QuoteBook) -> None:
    order = two_docs.cycle_order(None, salt="guild-1")
    assert sorted(map(quote_key, order)) == sorted(map(quote_key, two_docs.quotable()))
    assert order == two_docs.cycle_order(None, salt="guild-1")
    assert order != two_docs.cycle_order(None, salt="guild-2")
    only_novel = two_docs.cycle_order(["novel"], salt="guild-1")
    assert {q.document_id for q in only_novel} == {"novel"}
    # adding documents does not reorder the quotes already there
    assert [q for q in order if q.document_id == "novel"] == list(only_novel)


def test_cycle_order_survives_a_rebuild(seed: Document) -> None:
    a = QuoteBook.build(Corpus((seed,))).cycle_order(None, salt="42")
    b = QuoteBook.build(Corpus((seed,))).cycle_order(None, salt="42")
    assert [quote_key(q) for q in a] == [quote_key(q) for q in b]
    assert len(a) > 0


# ---- more prose cases ------------------------------------------------------------------------


def test_speech_continued_from_previous_paragraph() -> None:
    text = "Read it in comfort to yourself. There can be no doubt of its being written for you.”"
    (span,) = speech(text)
    assert not span.opened
    assert span.start == 0
    assert span.text == text[:-1]
    # the sentences are someone's speech: candidates, but never the author's own lines
    quoted = QuoteBook.build(Corpus((document("c", "C", "Jane Author", text),)))
    plain = QuoteBook.build(Corpus((document("c", "C", "Jane Author", text[:-1]),)))
    assert {quoted.speaker_of(q) for q in plain.ranked()} == {"Jane Author"}
    speech_lines = quoted.ranked()
    assert [q.text for q in speech_lines if q.score >= QUOTABLE_THRESHOLD] == [
        "There can be no doubt of its being written for you."
    ]
    assert all(q.quoted and quoted.speaker_of(q) is None for q in speech_lines)


def test_continued_speech_with_said_after_it() -> None:
    (span,) = speech("and that is all I have to say on the matter of the letter,” said Emma.")
    assert not span.opened
    assert span.speaker == "Emma"


def test_expletive_it_is_not_a_dangling_opener() -> None:
    austen = (
        "It is a truth universally acknowledged, that a single man in possession of a good "
        "fortune, must be in want of a wife."
    )
    assert quotability(austen) >= QUOTABLE_THRESHOLD
    assert quotability("It is your choice, and it was always yours alone.") < QUOTABLE_THRESHOLD


def test_interrupted_dialogue_fragments_score_low() -> None:
    whole = "You must not be too severe upon yourself."
    assert quotability("You must not be too severe upon yourself,") < quotability(whole)
    assert quotability("I do not understand what you mean by 'success,'") < 0.5


def test_speakers_merge_spelling_variants() -> None:
    doc = document(
        "ge",
        "Great Expectations",
        None,
        "“Take nothing on its looks; take everything on evidence,” said Mr. Jaggers.",
        "“There is no better rule in the whole of this world, my boy,” said Mr Jaggers.",
    )
    book = QuoteBook.build(Corpus((doc,)))
    assert book.speakers("jag") == ["Mr. Jaggers"]
    assert len({q.text for q in book.ranked() if q.speaker}) == 2
    for seed_value in range(5):
        assert book.pick(speaker="Mr Jaggers", rng=random.Random(seed_value)).speaker in {
            "Mr. Jaggers",
            "Mr Jaggers",
        }


def test_surnames_take_a_unique_fuller_form_only() -> None:
    doc = document(
        "names",
        "Names",
        None,
        "We met President Ronald Reagan in Berlin, and later President Ronald Reagan again.",
        "As President Reagan said, “The wall must come down before the year is out.”",
        "We saw Elizabeth Bennet and Jane Bennet at the ball, and again Elizabeth Bennet.",
        "“I will never dance with a stranger at a ball,” said Mrs. Bennet.",
    )
    book = QuoteBook.build(Corpus((doc,)))
    speakers = {q.speaker for q in book.ranked() if q.speaker}
    assert speakers == {"Ronald Reagan", "Mrs. Bennet"}


# ---- properties ---------------------------------------------------------------------------------

_ALPHABET = "ab Kim sd.,;:?!\"'“”‘’«» \n–"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_speech_spans_are_consistent_for_any_text(text: str) -> None:
    if not text.strip():
        return
    paragraph = para(text.strip())
    body = paragraph.text
    spans = extract_speech(paragraph)
    for span in spans:
        assert 0 <= span.mark_start <= span.start <= span.end <= span.mark_end <= len(body)
        assert body[span.start : span.end] == span.text
        assert span.text == span.text.strip()
        assert span.depth >= 0
        if span.opened:
            assert body[span.mark_start] in "\"'“‘«"
        if span.closed:
            assert body[span.mark_end - 1] in "\"'”’»"
    assert [s.start for s in spans] == sorted(s.start for s in spans)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_quotability_is_bounded_for_any_text(text: str) -> None:
    assert 0.0 <= quotability(text) <= 1.0


# ---- speaker filtering, interrupted speech, fallbacks ----------------------------------------


@pytest.fixture(scope="module")
def bennets() -> QuoteBook:
    family = document(
        "pp",
        "Pride and Prejudice",
        "Jane Austen",
        "“You want to tell me, and I have no objection to hearing it,” said Mr. Bennet.",
        "“A good match is always better than a large fortune,” said Mrs. Bennet.",
        "“I am not at all in the habit of brooking disappointment,” said Lady Catherine.",
        "“We will go as far as Meryton with you,” said Catherine and Lydia.",
        "“Their conduct has been such,” replied Elizabeth, “as neither you, nor I, nor anybody "
        "can ever forget. It is useless to talk of it.”",
    )
    return QuoteBook.build(Corpus((family,)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Mr. Bennet", "Mr. Bennet"),
        ("mr bennet", "Mr. Bennet"),
        ("Mrs Bennet", "Mrs. Bennet"),
        ("Lady Catherine", "Lady Catherine"),
        ("Mr Benet", "Mr. Bennet"),  # fuzzy, but never across honorifics
        ("Lady Cathrine", "Lady Catherine"),
        ("Elizabeth Bennet", "Elizabeth"),  # the most similar fuzzy name, not every Bennet
    ],
)
def test_speaker_filter_prefers_exact_names_and_keeps_honorifics(
    bennets: QuoteBook, query: str, expected: str
) -> None:
    for seed_value in range(20):
        assert bennets.pick(speaker=query, rng=random.Random(seed_value)).speaker == expected


def test_speaker_filter_never_crosses_honorifics(bennets: QuoteBook) -> None:
    # a surname alone is ambiguous: every Bennet, nobody else
    got = {
        bennets.pick(speaker="bennet", rng=random.Random(i), top_fraction=1.0).speaker
        for i in range(30)
    }
    assert got == {"Mr. Bennet", "Mrs. Bennet"}
    for query in ("Sir Bennet", "Miss Bennet", "Lady Lydia"):
        with pytest.raises(NotFound, match=f"No quotes from {query}"):
            bennets.pick(speaker=query)


def test_a_tag_naming_two_speakers_gives_no_single_speaker(bennets: QuoteBook) -> None:
    (span,) = speech("“We will go as far as Meryton with you,” said Catherine and Lydia.")
    assert span.speaker is None
    (span,) = speech("Jane and Elizabeth said, “We shall not go to the ball tonight.”")
    assert span.speaker is None
    assert all(q.speaker is None for q in bennets.ranked() if "Meryton" in q.text)
    assert "Catherine" not in bennets.speakers()
    # and it does not hand its speech on to the next quote
    spans = speech("“Go,” said Kitty and Lydia, “we shall follow you soon enough today.”")
    assert [s.speaker for s in spans] == [None, None]


def test_speech_interrupted_by_a_tag_is_one_verbatim_quote_tag_included(bennets: QuoteBook) -> None:
    text = (
        "“Their conduct has been such,” replied Elizabeth, “as neither you, nor I, nor anybody "
        "can ever forget. It is useless to talk of it.”"
    )
    first, second = speech(text)
    assert not first.continues
    assert second.continues
    (quote,) = [q for q in bennets.ranked() if q.speaker == "Elizabeth"]
    assert quote.text == text  # verbatim, its tag included
    assert bennets.pick(speaker="Elizabeth", rng=random.Random(0)) == quote
    assert bennets.get(quote_key(quote)) == quote
    assert quote.score >= QUOTABLE_THRESHOLD  # scored on the spoken words, not the tag


def test_speech_ending_with_a_comma_before_its_tag_drops_the_comma(
    bennets: QuoteBook,
) -> None:
    (quote,) = [q for q in bennets.ranked() if q.speaker == "Lady Catherine"]
    assert quote.text == "I am not at all in the habit of brooking disappointment"


def test_fragments_are_not_posted_on_their_own() -> None:
    doc = document(
        "frag",
        "Fragments",
        None,
        "“I shall go,” said Anne. Her brother shrugged. “And you will regret it, I fear,” he said.",
        "“but only when the rain has stopped and the roads are dry again,” said Anne.",
        "“We must be patient and we must be kind to each other,” said Anne; “then all is well.”",
    )
    book = QuoteBook.build(Corpus((doc,)))
    texts = [q.text for q in book.ranked() if q.speaker]
    assert not [t for t in texts if "rain has stopped" in t]
    assert (
        "“We must be patient and we must be kind to each other,” said Anne; “then all is well.”"
        in texts
    )


def test_short_speech_serves_an_explicit_speaker_filter(seed_book: QuoteBook) -> None:
    for query in ("Churchill", "Winston Churchill", "winston churchil"):
        quote = seed_book.pick(speaker=query, rng=random.Random(0))
        assert quote.speaker == "Winston Churchill"
        assert quote.text == "“jaw jaw” is better than “war war”"
    # never drawn without the filter, nor in the daily cycle
    assert not [q for q in seed_book.ranked() if q.speaker == "Winston Churchill"]
    assert not [q for q in seed_book.cycle_order(None, salt="1") if "jaw jaw" in q.text]
    assert "Winston Churchill" in seed_book.speakers("church")


def test_every_autocompleted_speaker_can_be_picked(two_docs: QuoteBook, bennets: QuoteBook) -> None:
    for book in (two_docs, bennets):
        for name in book.speakers(limit=25):
            quote = book.pick(speaker=name, rng=random.Random(0))
            assert book.speaker_of(quote) == name or (quote.speaker or "").replace(
                ".", ""
            ) == name.replace(".", "")


def test_document_without_quotes_falls_back_to_its_sentences() -> None:
    raven = document(
        "raven",
        "THE RAVEN",
        "Edgar Allan Poe",
        "Quoth the Raven, “Nevermore.”",
        "“Nevermore.”",
        "Darkness there.",
        "Nothing more.",
    )
    book = QuoteBook.build(Corpus((raven,)))
    assert book.ranked("raven") == ()
    sentences = {s.text for p in raven.paragraphs for s in p.sentences}
    for seed_value in range(10):
        quote = book.pick(document="raven", rng=random.Random(seed_value))
        assert quote.text in sentences
        assert book.get(quote_key(quote)) == quote
    assert "Darkness" in book.pick(document="raven", contains="darkness").text
    # with no quote anywhere, an unfiltered request falls back too; the author is a speaker
    assert book.pick(rng=random.Random(0)).text in sentences
    assert "Edgar Allan Poe" in book.speakers("poe")
    assert book.pick(speaker="Poe", rng=random.Random(0)).text in sentences
    # next to a document with quotes, the poem's author is still found by name
    other = document("o", "Other", "Jane Author", GOOD_SEED_LINES[0])
    both = QuoteBook.build(Corpus((other, raven)))
    assert both.pick(speaker="Edgar Allan Poe", rng=random.Random(0)).document_id == "raven"
    assert both.pick(rng=random.Random(0)).document_id == "o"
    # a document with no sentence at all still has nothing to give
    empty = QuoteBook.build(Corpus((document("e", "Empty", None, "—"),)))
    with pytest.raises(NotFound, match="No quotes in Empty"):
        empty.pick(document="e")
    with pytest.raises(NotFound, match="No quotes in the corpus"):
        empty.pick()


_NAMES = ["Elizabeth", "Mr. Bennet", "Mrs. Bennet", "Lady Catherine", "he", "she", "Jane"]
_SPOKEN = [
    "I am not going",
    "as neither you, nor I, nor anybody can ever forget",
    "It is useless to talk of it.",
    "You must not be too severe upon yourself,",
    "and that is all,",
    "Yes.",
    "jaw jaw",
    "What do you mean by that?",
]
_TAGS = [
    " said {who}, ",
    " replied {who}. ",
    ", {who} cried, ",
    " said {who} and Lydia. ",
    " is better than ",
    " ",
]


@st.composite
def dialogue(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(st.sampled_from(_SPOKEN))
        parts.append(f"“{words}”")
        tag = draw(st.sampled_from(_TAGS)).format(who=draw(st.sampled_from(_NAMES)))
        parts.append(tag)
    return "".join(parts).strip()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _check_quotes(book: QuoteBook, corpus: Corpus) -> None:
    paragraphs = {(d.id, p.number): p for d in corpus for p in d.paragraphs}
    every = [
        (q, "quote")
        for d in corpus
        for dq in [document_quotes(d)]
        for q in (*dq.quotes, *dq.short, *dq.plain)
    ]
    every += [(q, "ranked") for q in book.ranked()]
    for quote, kind in every:
        paragraph = paragraphs[(quote.document_id, quote.paragraph)]
        # verbatim: a substring of its paragraph, whitespace aside ("a line worth sharing,
        # verbatim"); speech interrupted by its tag keeps the tag
        assert _flat(quote.text) in _flat(paragraph.text), (quote.text, paragraph.text)
        start = int(quote_key(quote).rsplit(":", 1)[1])
        assert _flat(paragraph.text[start:]).startswith(_flat(quote.text)[:20])
        if quote.speaker is not None and kind == "ranked":  # short speech may be a fragment
            first = next(c for c in quote.text if c.isalnum())
            assert not first.islower()
            assert not quote.text.rstrip("”’\"' ").endswith(",")


def test_quotes_are_verbatim_and_well_formed_on_the_seed(seed: Document) -> None:
    corpus = Corpus((seed,))
    _check_quotes(QuoteBook.build(corpus), corpus)


@settings(max_examples=200, deadline=None)
@given(st.lists(dialogue(), min_size=1, max_size=4))
@example(
    [  # a finished sentence ("Yes.") is not joined to the speech after its tag
        "“Yes.” said Elizabeth, “and that is all,” said Elizabeth, "
        "“It is useless to talk of it.” said Elizabeth,"
    ]
)
@example(
    [  # the comma before a tag that ends the speech is dropped, never turned into a full stop
        "“You must not be too severe upon yourself,” replied Elizabeth."
    ]
)
@example(["“What do you mean by that?” said he, “I am not going”"])
def test_quotes_are_verbatim_and_well_formed_on_dialogue(texts: list[str]) -> None:
    doc = document("d", "Dialogue", None, *texts)
    corpus = Corpus((doc,))
    book = QuoteBook.build(corpus)
    _check_quotes(book, corpus)
    for name in book.speakers(limit=25):
        spoken = iter(re.findall(r"\w+", "\n".join(texts)))
        picked = book.pick(speaker=name, rng=random.Random(0)).text
        assert all(word in spoken for word in re.findall(r"\w+", picked))


def book_quotes(document: Document) -> tuple[Quote, ...]:
    from bot.core.models import Corpus

    return QuoteBook.build(Corpus((document,))).ranked(document.id)


def test_daily_cycle_falls_back_to_plain_sentences_of_a_poem() -> None:
    from bot.core.loader import parse_document
    from bot.core.models import Corpus

    # Every line is short or quoted speech: no quote at all, only plain sentences.
    poem = parse_document(
        "THE RAVEN\n\n“Nevermore.”\n\nQuoth he.\n\n“Nevermore!”\n", document_id="raven"
    )
    assert not book_quotes(poem)
    book = QuoteBook.build(Corpus((poem,)))
    order = book.cycle_order(["raven"], salt="1")
    assert order, "a poem with sentences must still give the daily post something to post"
    assert all(q.document_id == "raven" for q in order)
    assert [quote_key(q) for q in order] == [
        quote_key(q) for q in book.cycle_order(["raven"], salt="1")
    ]


def test_per_document_candidates_rebuild_the_same_book(seed: Document) -> None:
    other = Document(
        "other",
        "Other",
        (para("Peace means more than the absence of war, but fear is never a plan.", 1, "other"),),
    )
    corpus = Corpus((seed, other))
    derived = [document_quotes(d) for d in corpus]
    assert [d.document_id for d in derived] == ["seed", "other"]
    assert all(d.version == QUOTES_VERSION for d in derived)
    rebuilt = QuoteBook.from_documents(corpus.documents, derived)
    assert rebuilt.ranked() == QuoteBook.build(corpus).ranked()
    assert document_quotes(other).quotes[0].text.startswith("Peace means")


def test_scoring_features_are_a_named_table() -> None:
    names = [
        f.name
        for f in explain("Their talks may lead nowhere, but not talking guarantees no progress.")
    ]
    assert any("contrast" in n for n in names)
    assert any("repeated" in f.name for f in explain("Freedom is never given; freedom is won."))
    assert explain("By John Smith and Jane Doe.") == ()
    weights = {f.name: f.weight for f in FEATURES}
    assert weights["starts in lower case"] < 0 < weights["short sweet spot (8-20 words)"]


def test_japanese_and_chinese_sentences_are_quote_candidates() -> None:
    """A clause of kanji and kana is many words, not one: such sentences are scored like any other
    instead of all falling under the minimum length."""
    neko = parse_document(
        "Neko\n\n吾輩は猫である。名前はまだ無い。\n\n吾輩はここで始めて人間というものを見た。\n",
        document_id="neko",
    )
    dao = parse_document(
        "Dao\n\n此两者同出而异名，同谓之玄。玄之又玄，众妙之门。\n", document_id="dao"
    )
    book = QuoteBook.build(Corpus((neko, dao)))
    assert any("吾輩はここで始めて" in q.text for q in book.ranked("neko"))
    assert any("同谓之玄" in q.text for q in book.ranked("dao"))
    assert quotability("吾輩はここで始めて人間というものを見た。") > 0
    assert quotability("I was.") == 0.0  # English counts are unchanged

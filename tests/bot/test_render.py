"""Rendering stays within Discord's limits and shows corpus text exactly as written."""

from __future__ import annotations

import datetime as dt
import itertools

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import render
from bot.core.models import (
    Corpus,
    Document,
    Paragraph,
    Passage,
    Quote,
    SearchHit,
    Sentence,
    Summary,
)
from bot.storage import GuildStatus

FAMILY = "👨‍👩‍👧‍👦"  # one grapheme, seven code points


def _doc(text: str, *, author: str | None = "A. Writer", title: str = "A Title") -> Document:
    sentence = Sentence("d", 1, 0, 0, len(text), text)
    return Document(
        id="d", title=title, author=author, paragraphs=(Paragraph("d", 1, text, (sentence,)),)
    )


def test_split_message_respects_limit_and_boundaries() -> None:
    text = ("This is one sentence of a long passage. " * 65).strip()  # about 2,600 characters
    chunks = render.split_message(text)
    assert len(chunks) == 2
    assert all(len(c) <= render.MESSAGE_LIMIT for c in chunks)
    assert chunks[0].endswith(".")  # cut at a sentence end
    assert " ".join(chunks) == text


def test_family_emoji_at_the_limit_is_not_cut() -> None:
    text = "x" * 1997 + FAMILY + " tail"
    chunks = render.split_message(text)
    assert all(len(c) <= render.MESSAGE_LIMIT for c in chunks)
    assert "".join(chunks).replace(" ", "") == text.replace(" ", "")
    assert any(FAMILY in c for c in chunks)


@given(st.text(min_size=0, max_size=300), st.integers(min_value=1, max_value=120))
def test_shorten_never_exceeds_limit(text: str, limit: int) -> None:
    out = render.shorten(text, limit)
    assert len(out) <= limit
    if len(text) <= limit:
        assert out == text


def test_shorten_keeps_graphemes_whole() -> None:
    text = "ab" + FAMILY + "cd"
    for limit in range(2, len(text)):
        out = render.shorten(text, limit, placeholder="")
        assert out in ("ab", "ab" + FAMILY, "ab" + FAMILY + "c", "a", "")


def test_fit_embed_brings_a_big_summary_within_limits() -> None:
    embed = discord.Embed(title="T", description="word " * 900)  # 4,500 characters
    for i in range(3):
        embed.add_field(name=f"field {i}", value="v" * 1100)
    render.fit_embed(embed)
    assert len(embed.description or "") <= render.EMBED_DESCRIPTION_LIMIT
    assert all(len(f.value or "") <= render.EMBED_FIELD_VALUE_LIMIT for f in embed.fields)
    assert len(embed) <= render.EMBED_TOTAL_LIMIT
    assert embed.description
    assert embed.description.startswith("word word")


def test_markdown_in_corpus_text_is_escaped_and_mentions_do_not_ping() -> None:
    text = "Attention @everyone: snake_case_name and *this* and __init__."
    doc = _doc(text)
    quote = Quote(text=text, sentence=next(doc.sentences))
    reply = render.quote_reply(quote, doc)
    description = reply.embeds[0].description or ""
    assert r"snake\_case\_name" in description
    assert r"\*this\*" in description
    assert reply.send_kwargs()["allowed_mentions"].to_dict() == {"parse": []}
    # The console shows the text exactly as written.
    assert text in render.reply_text(reply)


def test_mention_syntax_in_corpus_text_shows_as_written_not_as_a_name() -> None:
    text = "Ask <@123456789012345678> or <@&223456789012345678> in <#323456789012345678> today."
    doc = _doc(text, author="<@423456789012345678>")
    quote = Quote(text=text, sentence=next(doc.sentences))
    reply = render.quote_reply(quote, doc)
    description = reply.embeds[0].description or ""
    for mention in ("@123456789012345678>", "@&223456789012345678>", "#323456789012345678>"):
        assert "\\<" + mention in description  # a backslash keeps Discord from drawing a name
    assert "\\<@423456789012345678>" in description  # the author in the attribution too
    assert text in render.reply_text(reply)  # the terminal shows it exactly as written
    assert reply.send_kwargs()["allowed_mentions"].to_dict() == {"parse": []}


def test_quote_attribution_for_speech_and_own_words() -> None:
    doc = _doc(
        "As Churchill said, jaw jaw is better than war war.", author="Benedict Rogers", title="T"
    )
    own = Quote(text="x", sentence=next(doc.sentences))
    speech = Quote(text="x", sentence=next(doc.sentences), speaker="Winston Churchill")
    assert render.attribution(own, doc) == "— Benedict Rogers, T"
    assert render.attribution(speech, doc) == "— Winston Churchill, quoted in T by Benedict Rogers"
    assert render.quote_reply(own, doc).embeds[0].footer.text == "Paragraph 1"


def test_search_reply_highlights_match_and_fits_fields() -> None:
    text = "lorem ipsum " * 400 + "the needle sits here " + "dolor sit " * 400
    doc = _doc(text)
    start = text.index("the needle")
    passage = Passage("d", 1, 0, len(text), text)
    hit = SearchHit(passage, 96.0, start, start + len("the needle sits"))
    reply = render.search_reply("the neddle sits", [hit] * 10, Corpus((doc,)))
    embed = reply.embeds[0]
    assert len(embed) <= render.EMBED_TOTAL_LIMIT
    assert all(len(f.value or "") <= render.EMBED_FIELD_VALUE_LIMIT for f in embed.fields)
    assert "**the needle sits**" in (embed.fields[0].value or "")
    assert "paragraph 1" in (embed.fields[0].name or "")
    assert "score 96" in (embed.fields[0].name or "")


def test_summary_reply_marks_standfirst_and_paragraphs() -> None:
    doc = _doc("First sentence here.")
    summary = Summary("d", tuple(doc.sentences), "lexrank", standfirst="An intro.")
    reply = render.summary_reply(summary, doc, bullets=True)
    description = reply.embeds[0].description or ""
    assert description.startswith("*Standfirst (the author's own):* An intro.")
    assert "• First sentence here. (¶1)" in description


def test_choices_are_capped_and_named_within_limits() -> None:
    pairs = [(f"Document number {i} " + "x" * 120, f"doc-{i}") for i in range(40)]
    out = render.choices(pairs)
    assert len(out) == 25
    assert all(1 <= len(c.name) <= 100 and 1 <= len(c.value) <= 100 for c in out)
    assert [c.value for c in out] == [f"doc-{i}" for i in range(25)]  # stable order


@pytest.mark.parametrize("title", ["\ufeff", "\u200f\u200e", "\u200b\u200b", " \u2060 ", "\u3164"])
def test_choices_whose_title_shows_nothing_are_named_by_their_value(title: str) -> None:
    (choice,) = render.choices([(title, "invisible-title")])
    assert choice.name == "invisible-title"
    assert choice.value == "invisible-title"


def test_choice_values_are_never_altered() -> None:
    long_value = "v" * 101
    out = render.choices([("Too long", long_value), ("Fine", "x" * 100), ("Empty", "")])
    assert [c.value for c in out] == ["x" * 100]  # a cut value would not round-trip: left out


@pytest.mark.parametrize("message", ["No passage matched “zzqqxx”.", "x" * 3000])
def test_user_errors_are_ephemeral_and_short(message: str) -> None:
    reply = render.user_error(message)
    assert reply.ephemeral
    assert reply.content is not None
    assert len(reply.content) <= render.MESSAGE_LIMIT


def test_shorten_never_leaves_a_dangling_escape() -> None:
    text = render.escape("a_b_c_d_e_f_g_h_i_j")  # a\_b\_c...
    for limit in range(3, len(text)):
        out = render.shorten(text, limit, placeholder="")
        trailing = len(out) - len(out.rstrip("\\"))
        assert trailing % 2 == 0, out


@pytest.mark.parametrize(
    ("code", "detail", "words"),
    [
        ("ok", "", "posted the quote of 2026-06-01 in <#42>"),
        ("paused", "Embed Links", "the bot lost Embed Links in <#42> on 2026-06-01"),
        ("channel_missing", "Unknown Channel", "channel <#42> was deleted or hidden"),
        ("failing", "503 Service Unavailable", "Discord kept failing (503 Service Unavailable)"),
        ("no_quotes", "no quotable line in essay", "no quote could be chosen for 2026-06-01"),
        ("wrong_guild", "777", "channel 42 belongs to another server (guild 777)"),
    ],
)
def test_daily_status_is_worded_from_its_code_and_facts(code: str, detail: str, words: str) -> None:
    at = dt.datetime(2026, 6, 1, 7, tzinfo=dt.UTC)
    status = GuildStatus(1, code, detail, at, channel_id=42, local_date=dt.date(2026, 6, 1))
    assert words in render.status_text(status)


def test_a_status_from_schema_1_is_shown_as_stored() -> None:
    at = dt.datetime(2026, 6, 1, 7, tzinfo=dt.UTC)
    status = GuildStatus(1, "paused", "the bot lost Send Messages in <#3> on 2026-06-01", at)
    assert render.status_text(status) == status.detail


@pytest.mark.parametrize(
    ("missing", "words"),
    [
        (["Embed Links"], "missing the Embed Links permission there. Allow it "),
        (["Send Messages", "Embed Links"], "the Send Messages and Embed Links permissions"),
        (
            ["View Channel", "Send Messages", "Embed Links"],
            "the View Channel, Send Messages and Embed Links permissions there. Allow them ",
        ),
    ],
)
def test_missing_permissions_are_listed_in_singular_or_plural(
    missing: list[str], words: str
) -> None:
    reply = render.daily_missing_permissions("<#5>", missing, command="/daily now")
    assert reply.content is not None
    assert words in reply.content
    assert "`/daily now`" in reply.content


# ---- "More context": long excerpts stay centred on the target ----------------------------


def _long_text(paragraphs: int, sentences: int) -> str:
    return "\n\n".join(
        " ".join(
            f"Paragraph {p} sentence {s} tells of item_{p}_{s} and more." for s in range(sentences)
        )
        for p in range(paragraphs)
    )


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_fit_around_keeps_the_target_centred_and_cuts_at_words(where: float) -> None:
    text = _long_text(16, 12)
    assert len(text) > 2 * render.EMBED_DESCRIPTION_LIMIT
    target = "Paragraph 6 sentence 5 tells of item_6_5 and more."
    start = text.index(target) if where == 0.5 else int(len(text) * where)
    end = start + len(target) if where == 0.5 else start
    fitted = render.fit_around(text, start, end)
    assert len(fitted.text) <= render.EMBED_DESCRIPTION_LIMIT
    assert len(fitted.text) > render.EMBED_DESCRIPTION_LIMIT - 500  # uses the room
    assert fitted.start <= start
    assert end <= fitted.end
    if where == 0.5:
        assert render.escape(target) in fitted.text
        assert fitted.text.startswith(render.ELLIPSIS)
        assert fitted.text.endswith(render.ELLIPSIS)
        before, after = start - fitted.start, fitted.end - end
        assert abs(before - after) < 600  # centred, up to the boundary snaps
    body = fitted.text.strip(render.ELLIPSIS)
    assert body.replace("\\", "") == text[fitted.start : fitted.end].strip()
    assert fitted.start == 0 or text[fitted.start - 1].isspace()  # never a word cut in half
    assert fitted.end == len(text) or text[fitted.end].isspace() or text[fitted.end - 1] == "."


def test_fit_around_leaves_short_text_whole() -> None:
    fitted = render.fit_around("Short *text*.", 0, 5)
    assert fitted.text == "Short \\*text\\*."
    assert not fitted.cut


def test_context_steps_grow_and_keep_the_match() -> None:
    from bot.core.context import steps
    from bot.core.loader import parse_document

    doc = parse_document("A Title\n\n" + _long_text(9, 14) + "\n", document_id="d")
    para = doc.paragraph(5)
    start = para.text.index("item_4_7")
    plan = render.context_steps(steps(doc, 5, start, start + len("item_4_7")))
    assert len(plan) >= 3
    sizes = [step.fitted.size for step in plan]
    assert all(a < b for a, b in itertools.pairwise(sizes))
    for step in plan:
        assert "item\\_4\\_7" in step.fitted.text
        assert len(step.fitted.text) <= render.EMBED_DESCRIPTION_LIMIT
    assert [step.widest for step in plan] == [False] * (len(plan) - 1) + [True]
    last = render.context_reply(plan[-1].excerpt, doc, plan[-1].fitted, widest=True)
    assert "widest" in (last.embeds[0].footer.text or "")
    first = render.context_reply(plan[0].excerpt, doc, plan[0].fitted, step=1, widest=False)
    assert (first.embeds[0].footer.text or "").startswith("Context step 1 · press More context")


@pytest.mark.parametrize("bullets", [False, True])
def test_summary_never_cuts_a_sentence_and_says_how_many_are_shown(bullets: bool) -> None:
    texts = [
        f"Sentence {i} " + " ".join(f"word{i}x{j}" for j in range(50)) + "." for i in range(25)
    ]
    sentences = tuple(Sentence("d", i + 1, 0, 0, len(t), t) for i, t in enumerate(texts))
    paragraphs = tuple(
        Paragraph("d", i + 1, t, (s,))
        for i, (t, s) in enumerate(zip(texts, sentences, strict=True))
    )
    doc = Document(id="d", title="Long", author=None, paragraphs=paragraphs)
    assert sum(len(t) for t in texts) > render.EMBED_DESCRIPTION_LIMIT
    reply = render.summary_reply(Summary("d", sentences, "lexrank"), doc, bullets=bullets)
    embed = reply.embeds[0]
    description = embed.description or ""
    assert len(description) <= render.EMBED_DESCRIPTION_LIMIT
    shown = [t for t in texts if t in description]
    assert 0 < len(shown) < 25
    assert shown == texts[: len(shown)]  # whole sentences, in order, none cut
    assert render.ELLIPSIS not in description
    assert embed.footer.text is not None
    assert embed.footer.text.startswith(f"{len(shown)} of 25 sentences shown (Discord's limit")


def test_summary_footer_counts_every_sentence_when_all_fit() -> None:
    doc = _doc("First sentence here.")
    reply = render.summary_reply(Summary("d", tuple(doc.sentences), "lexrank"), doc)
    assert reply.embeds[0].footer.text == "1 sentence taken verbatim from the text"


def test_emphasis_is_italic_after_escaping_and_never_unescapes_corpus_markdown() -> None:
    plain = "I [never](http://x.example) said *that* to @everyone, truly."
    spans = ((3, 8), (54, 59))
    assert (plain[3:8], plain[54:59]) == ("never", "truly")
    shown = render.escape(plain, spans)
    # the masked link is escaped whole, as without italics; the corpus's own * stay escaped
    assert (
        render.escape(plain) == r"I \[never](http://x.example) said \*that\* to @everyone, truly."
    )
    assert shown == r"I \[*never*](http://x.example) said \*that\* to @everyone, *truly*."
    cut = render.escaped_shorten(plain * 3, 80, spans)
    assert len(cut) <= 80
    assert cut.count("*never*") == 1


def test_a_summary_line_keeps_its_italics_and_the_terminal_drops_them() -> None:
    text = "She was never so happy in her life."
    document = _doc(text)
    document = Document(
        id="d",
        title="A Title",
        paragraphs=(Paragraph("d", 1, text, document.paragraphs[0].sentences, ((8, 13),)),),
    )
    summary = Summary("d", document.paragraphs[0].sentences, "lexrank")
    reply = render.summary_reply(summary, document)
    assert "She was *never* so happy" in (reply.embeds[0].description or "")
    assert "She was never so happy" in render.reply_text(reply)


@given(st.text(max_size=80), st.lists(st.integers(min_value=0, max_value=80), max_size=6))
def test_italics_never_change_the_words_shown_in_the_terminal(text: str, cuts: list[int]) -> None:
    from bot.core.emphasis import CLOSE, OPEN, unmark
    from bot.render._limits import _unescape

    text = text.replace(OPEN, "").replace(CLOSE, "")
    marked, at = [], 0
    for i, cut in enumerate(sorted({min(c, len(text)) for c in cuts})):
        marked += [text[at:cut], OPEN if i % 2 == 0 else CLOSE]
        at = cut
    plain, spans = unmark("".join(marked) + text[at:])
    assert plain == text
    shown = render.escape(text, spans)
    assert shown.count("*") - render.escape(text).count("*") == 2 * len(spans)
    assert _unescape(shown, italics=False) == text

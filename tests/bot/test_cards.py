"""Quote cards: any quotable length fits, CJK wraps without spaces, Arabic is shaped and in
right-to-left order, emoji are drawn with the emoji font (not boxes)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.cards import STYLES, fonts, layout_quote, render_card
from bot.cards.card import HEIGHT, WIDTH
from bot.cards.layout import ELLIPSIS, measurer, units

LONG = " ".join(
    f"Sentence {i} of a very long quotation goes on for a while, as novels do." for i in range(80)
)
CJK = (
    "天下皆知美之为美，斯恶已。皆知善之为善，斯不善已。故有无相生，难易相成，长短相形，高下相倾。"
    * 2
)
ARABIC = "العلم في الصغر كالنقش على الحجر، والعلم في الكبر كالنقش على الماء"
EMOJI = "Stay curious 🤔🚀 and kind 👍🏽, family 👨‍👩‍👧 first! 🇫🇷"


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (WIDTH, HEIGHT)
    return image


@pytest.mark.parametrize("style", sorted(STYLES))
def test_every_style_renders_a_card(style: str) -> None:
    image = _png(render_card("Jaw jaw is better than war war.", "— Churchill", "Essay · ¶1", style))
    assert image.convert("RGB").getpixel((5, HEIGHT - 5)) == Image.new(
        "RGB", (1, 1), STYLES[style].background
    ).getpixel((0, 0))


def test_a_short_quote_is_set_large_and_a_long_one_smaller() -> None:
    short = layout_quote("Jaw jaw is better than war war.", STYLES["light"])
    longer = layout_quote(LONG[:600], STYLES["light"])
    assert short.size > longer.size
    assert not short.cut
    assert not longer.cut


def test_a_very_long_quote_is_cut_after_a_whole_sentence_with_an_ellipsis() -> None:
    fitted = layout_quote(LONG, STYLES["light"])
    assert fitted.cut
    text = " ".join(fitted.lines)
    assert text.endswith("as novels do. " + ELLIPSIS)
    assert text.startswith("“Sentence 0 of")
    measure = measurer(STYLES["light"].face, fitted.size, basic=False)
    assert all(measure(line) <= WIDTH - 2 * 96 for line in fitted.lines)
    _png(render_card(LONG, "— Someone", "A long book · paragraph 9"))


def test_one_endless_sentence_is_cut_at_a_word() -> None:
    endless = "and then " * 600
    fitted = layout_quote(endless, STYLES["dark"])
    assert fitted.cut
    last = fitted.lines[-1]
    assert last.endswith(ELLIPSIS)
    assert last.removesuffix(ELLIPSIS).rstrip().endswith(("and", "then"))  # whole words


def test_cjk_without_spaces_wraps_between_characters_and_keeps_every_character() -> None:
    fitted = layout_quote(CJK, STYLES["light"])
    assert len(fitted.lines) > 1
    assert "".join(fitted.lines) == f"“{CJK}”"
    assert not any(line.startswith(("，", "。")) for line in fitted.lines)
    assert {run.font for run in fonts.runs(CJK, fonts.SERIF)} == {"NotoSansCJKsc-Common.otf"}
    _png(render_card(CJK, "— 老子", "道德经 · 第二章"))


def test_units_break_between_cjk_characters_and_after_spaces() -> None:
    assert units("ab cd") == ["ab ", "cd"]
    assert units("天下皆知") == ["天", "下", "皆", "知"]
    assert units("美，斯") == ["美，", "斯"]  # a comma never starts a line


def test_arabic_uses_the_arabic_font_right_to_left() -> None:
    [run] = fonts.runs(ARABIC, fonts.SERIF)
    assert run.font == "NotoNaskhArabic-Regular.ttf"
    assert run.rtl
    assert fonts.is_rtl(ARABIC)
    assert layout_quote(ARABIC, STYLES["light"]).lines[0].startswith("العلم")  # no “” added


def test_a_mixed_right_to_left_line_is_drawn_right_to_left() -> None:
    drawn = fonts.visual_runs("كتاب 2024 😀", fonts.SERIF)
    assert drawn[0].font == fonts.EMOJI  # the last in logical order is leftmost
    assert drawn[-1].text.startswith("كتاب")


def test_arabic_without_raqm_is_shaped_and_reversed() -> None:
    [run] = fonts.runs("سلام", fonts.SERIF)
    text, direction = fonts.shaped(run, basic=True)
    assert direction is None
    assert all(0xFE70 <= ord(ch) <= 0xFEFF for ch in text)  # joined presentation forms
    assert text != "سلام"[::-1]
    _png(render_card(ARABIC, "— مثل عربي", "الأمثال · paragraph 3", basic=True))


def test_raqm_and_the_fallback_draw_arabic_alike() -> None:
    if not fonts.raqm():
        pytest.skip("Pillow without Raqm here: the fallback is the only layout")
    face = fonts.font("NotoNaskhArabic-Regular.ttf", 40)
    basic = fonts.font("NotoNaskhArabic-Regular.ttf", 40, basic=True)
    [run] = fonts.runs("سلام", fonts.SERIF)
    shaped_basic, _ = fonts.shaped(run, basic=True)
    assert abs(face.getlength("سلام", direction="rtl") - basic.getlength(shaped_basic)) < 4


@pytest.mark.parametrize("emoji", ["🤔", "👍🏽", "👨‍👩‍👧", "🇫🇷", "❤️", "1️⃣"])
def test_emoji_are_drawn_by_the_emoji_font_which_has_every_code_point(emoji: str) -> None:
    [run] = fonts.runs(emoji, fonts.SERIF)
    assert run.font == fonts.EMOJI
    assert all(ord(ch) in fonts.coverage(fonts.EMOJI) for ch in emoji)


def test_every_character_of_the_samples_has_a_glyph() -> None:
    for text in (LONG[:200], CJK, ARABIC, EMOJI, "Ελληνικά Кириллица"):
        for run in fonts.runs(text, fonts.SERIF):
            missing = [ch for ch in run.text if ord(ch) not in fonts.coverage(run.font)]
            assert not [ch for ch in missing if not ch.isspace()], (run, missing)
    _png(render_card(EMOJI, "— Someone", "Notes · paragraph 2", "ink"))


#: CJK Unified Ideographs, hangul syllables, hiragana and katakana, but U+9FF0-U+9FFF
#: (Unicode 13 and 14, newer than every shipped font).
CJK_BLOCKS = (
    range(0x4E00, 0x9FF0),
    range(0xAC00, 0xD7A4),
    range(0x3041, 0x3097),
    range(0x30A1, 0x30FB),
)


def test_the_fallback_chain_covers_every_cjk_ideograph_hangul_syllable_and_kana() -> None:
    covered = frozenset().union(*(fonts.coverage(name) for name in fonts.FALLBACKS))
    missing = [f"U+{c:04X}" for block in CJK_BLOCKS for c in block if c not in covered]
    assert missing == []


def _glyph(text: str, name: str) -> bytes:
    font = fonts.font(name, 48, basic=True)
    image = Image.new("L", (96, 96))
    from PIL import ImageDraw

    ImageDraw.Draw(image).text((8, 8), text, font=font, fill=255)
    return image.tobytes()


@pytest.mark.parametrize("rare", ["徼", "龘", "ゟ", "뷁"])
def test_a_rare_character_is_drawn_with_a_font_that_has_it_not_as_a_box(rare: str) -> None:
    line = f"故常无欲，以观其妙；常有欲，以观其{rare}。"
    (run,) = [r for r in fonts.runs(line, fonts.SERIF) if rare in r.text]
    assert ord(rare) in fonts.coverage(run.font)
    drawn = _glyph(rare, run.font)
    assert any(drawn)
    assert drawn != _glyph("\ue000", run.font)  # a private-use character: the font's box
    _png(render_card(line, "— 老子", "道德经 · 第一章"))

"""Quote cards end to end: the PNG arrives as a multipart upload, as Discord receives it."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image

from bot.cards import STYLES
from bot.client import CorpusBot
from tests.double import DiscordDouble, connect_bot, payloads
from tests.double.server import MANAGE_GUILD

pytestmark = pytest.mark.e2e
EPHEMERAL = 1 << 6
PNG = b"\x89PNG\r\n\x1a\n"


def _card(double: DiscordDouble, message: dict[str, Any]) -> Image.Image:
    """The card attached to ``message``: its bytes as uploaded, opened as an image."""
    [attachment] = message["attachments"]
    assert attachment["filename"] == "quote.png"
    blob = double.attachment_blobs[attachment["url"]]
    assert blob.startswith(PNG)
    assert attachment["size"] == len(blob)
    return Image.open(io.BytesIO(blob))


def _multipart(double: DiscordDouble, path_part: str) -> Any:
    [upload] = [r for r in double.recorded if path_part in r.path and r.files]
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    [(field, filename, size)] = upload.files
    assert (field, filename) == ("files[0]", "quote.png")
    assert size > 10_000
    message = upload.json.get("data", upload.json)  # a callback nests the message in "data"
    assert message["attachments"][0]["filename"] == "quote.png"
    assert message["attachments"][0]["description"]  # the quote as alt text
    return upload


def _background(image: Image.Image) -> str:
    r, g, b = image.convert("RGB").getpixel((4, image.height - 4))  # type: ignore[misc]
    return f"#{r:02X}{g:02X}{b:02X}"


async def test_quote_card_option_uploads_a_png(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    handle = await discord_double.send_interaction(payloads.slash_command("quote", {"card": True}))
    shown = await handle.final()
    image = _card(discord_double, shown)
    assert image.size == (1200, 675)
    assert _background(image) == STYLES["light"].background
    upload = _multipart(discord_double, "/callback")
    assert upload.json["data"]["allowed_mentions"] == {"parse": []}


async def test_card_button_under_a_quote_posts_its_card_in_the_server_style(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    denied = await (
        await discord_double.send_interaction(
            payloads.slash_command("card_style", {"style": "dark"}, permissions=0)
        )
    ).final()
    assert "Manage Server" in denied["content"]
    chosen = await (
        await discord_double.send_interaction(
            payloads.slash_command("card_style", {"style": "dark"}, permissions=MANAGE_GUILD)
        )
    ).final()
    assert int(chosen["flags"]) & EPHEMERAL
    assert "Dark" in chosen["content"]
    quote = await (await discord_double.send_interaction(payloads.slash_command("quote"))).final()
    buttons = [c for row in quote["components"] for c in row["components"]]
    [card] = [b for b in buttons if b["label"] == "Card"]
    handle = await discord_double.send_interaction(payloads.component(card["custom_id"], quote))
    shown = await handle.final()
    assert _background(_card(discord_double, shown)) == STYLES["dark"].background


async def test_daily_card_post_is_an_upload_with_its_nonce(
    make_bot: Any, discord_double: DiscordDouble
) -> None:
    now = datetime(2026, 5, 11, 23, 0, tzinfo=UTC)

    def clock() -> datetime:
        return now

    bot = make_bot(clock=clock)
    async with connect_bot(bot, discord_double):
        options = [
            payloads.option("channel", discord_double.channel_id, payloads.CHANNEL),
            payloads.option("time", "08:47"),
            payloads.option("timezone", "Asia/Tokyo"),
            payloads.option("card", True),
        ]
        handle = await discord_double.send_interaction(
            payloads.slash_command("daily", options, subcommand="set", permissions=MANAGE_GUILD)
        )
        assert "quote card" in (await handle.final())["content"]
        cog: Any = bot.get_cog("Daily")
        now = datetime(2026, 5, 11, 23, 47, 1, tzinfo=UTC)  # 08:47 in Tokyo
        [outcome] = await cog.scheduler.run_once()
        assert outcome.result == "sent"
        upload = _multipart(discord_double, f"/channels/{discord_double.channel_id}/messages")
        assert upload.json["nonce"]
        assert upload.json["enforce_nonce"] is True
        channel = discord_double.channel_messages(discord_double.channel_id)
        [post] = [m for m in channel if "webhook_id" not in m]  # not the /daily set answer
        assert _card(discord_double, post).size == (1200, 675)


async def test_daily_card_needs_attach_files(make_bot: Any, discord_double: DiscordDouble) -> None:
    from tests.double.server import ATTACH_FILES, DEFAULT_PERMISSIONS

    plain = discord_double.add_channel(
        discord_double.guild_id, "no-files", permissions_for_bot=DEFAULT_PERMISSIONS & ~ATTACH_FILES
    )
    async with connect_bot(make_bot(), discord_double) as bot:
        options = [
            payloads.option("channel", plain, payloads.CHANNEL),
            payloads.option("time", "08:47"),
            payloads.option("timezone", "Asia/Tokyo"),
            payloads.option("card", True),
        ]
        handle = await discord_double.send_interaction(
            payloads.slash_command("daily", options, subcommand="set", permissions=MANAGE_GUILD)
        )
        assert "Attach Files" in (await handle.final())["content"]
        assert await bot.storage.get_schedule(int(discord_double.guild_id)) is None

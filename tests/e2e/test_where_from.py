""" "Where is this from?" and the user-installed app, delivered as Discord delivers them."""

from __future__ import annotations

import pytest

from bot.client import CorpusBot
from tests.double import DiscordDouble, payloads

EPHEMERAL = 1 << 6
MENU = "Where is this from?"
pytestmark = pytest.mark.e2e


async def _where_from(double: DiscordDouble, content: str, **kwargs: object) -> dict[str, object]:
    payload = payloads.message_command(MENU, payloads.message(content), **kwargs)  # type: ignore[arg-type]
    handle = await double.send_interaction(payload)
    return await handle.final()


def _no_pings(double: DiscordDouble) -> None:
    assert double.allowed_mentions
    assert all(m is not None and m.get("parse") == [] for m in double.allowed_mentions)


async def test_a_quotation_with_other_punctuation_and_a_typo_is_found(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _where_from(
        discord_double,
        '@everyone as Churchill put it, "jaw-jaw is beter than war-war" and he was right',
    )
    embed = shown["embeds"][0]  # type: ignore[index]
    assert embed["title"].startswith("From Trump Must Hold")
    assert "**jaw jaw” is better than “war war**" in embed["description"].replace("\\", "")
    assert "paragraph 1" in embed["footer"]["text"]
    labels = [c["label"] for row in shown["components"] for c in row["components"]]  # type: ignore[index]
    assert "Cite" in labels
    assert not int(shown.get("flags", 0)) & EPHEMERAL  # type: ignore[call-overload]
    _no_pings(discord_double)


async def test_a_long_message_is_searched_by_its_best_window(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    chatter = "I was reading something this morning over coffee and it stuck with me. " * 6
    quoted = (
        "Five years ago this month, the United Nations Commission of Inquiry published a damning "
        "report that found that the gravity scale and nature of the appalling human rights "
        "violations by North Korea's regime reveal a State that does not have any parallel."
    )
    shown = await _where_from(discord_double, chatter + quoted + " Anyway. " + chatter)
    embed = shown["embeds"][0]  # type: ignore[index]
    assert "paragraph 2" in embed["footer"]["text"]
    assert "Commission of Inquiry" in embed["description"]


async def test_chat_that_is_not_from_the_corpus_gets_a_private_no(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _where_from(discord_double, "See you at the pub at eight, bring the dog along")
    assert int(shown.get("flags", 0)) & EPHEMERAL  # type: ignore[call-overload]
    assert "does not seem to be from this corpus" in shown["content"]  # type: ignore[operator]
    assert "is needed" in shown["content"]  # type: ignore[operator]


async def test_a_lone_word_is_not_claimed_word_for_word(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    # "Churchill" is in the seed essay, but one word is not a quotation
    shown = await _where_from(discord_double, "Churchill")
    assert int(shown.get("flags", 0)) & EPHEMERAL  # type: ignore[call-overload]
    assert "does not seem to be from this corpus" in shown["content"]  # type: ignore[operator]
    assert "only 1 word matches a passage" in shown["content"]  # type: ignore[operator]


async def test_a_single_quoted_line_in_chat_is_found(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _where_from(
        discord_double, "my uncle always says 'jaw jaw is better than war war' at dinner, lol"
    )
    embed = shown["embeds"][0]  # type: ignore[index]
    assert embed["title"].startswith("From Trump Must Hold")


async def test_a_message_without_text_is_explained(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _where_from(discord_double, "")
    assert int(shown.get("flags", 0)) & EPHEMERAL  # type: ignore[call-overload]
    assert "no text I can look up" in shown["content"]  # type: ignore[operator]


async def test_a_quote_the_bot_posted_is_traced_from_its_embed(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    posted = await (await discord_double.send_interaction(payloads.slash_command("quote"))).final()
    target = payloads.message("", embeds=posted["embeds"])
    handle = await discord_double.send_interaction(payloads.message_command(MENU, target))
    shown = await handle.final()
    paragraph = posted["embeds"][0]["footer"]["text"].removeprefix("Paragraph ")
    assert f"paragraph {paragraph} ·" in shown["embeds"][0]["footer"]["text"]


async def test_user_installed_app_answers_in_dms_and_group_dms(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    user = "900000000000000077"
    for context in (0, 1, 2):  # a server without the bot, the bot's DM, a group DM
        quote = payloads.user_install(payloads.slash_command("quote"), user, context=context)
        shown = await (await discord_double.send_interaction(quote)).final()
        assert shown["embeds"][0]["description"].startswith("“")
        menu = payloads.user_install(
            payloads.message_command(MENU, payloads.message("jaw jaw is better than war war")),
            user,
            context=context,
        )
        found = await (await discord_double.send_interaction(menu)).final()
        assert found["embeds"][0]["title"].startswith("From Trump Must Hold")
        search = payloads.user_install(
            payloads.slash_command("search", {"query": "jaw jaw better than war"}),
            user,
            context=context,
        )
        hits = await (await discord_double.send_interaction(search)).final()
        assert "paragraph 1" in hits["embeds"][0]["fields"][0]["name"]
    discord_double.assert_no_violations()


async def test_server_commands_are_not_offered_to_a_user_install(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    registered = {c["name"]: c for c in discord_double.commands[None].values()}
    assert registered["daily"]["integration_types"] == [0]
    assert registered["daily"]["contexts"] == [0]
    for name in ("quote", "search", "summary", "sources", MENU):
        assert registered[name]["integration_types"] == [0, 1]
        assert registered[name]["contexts"] == [0, 1, 2]
    daily = payloads.user_install(
        payloads.slash_command("daily", subcommand="show"), "900000000000000077"
    )
    with pytest.raises(ValueError, match="does not offer 'daily'"):
        await discord_double.send_interaction(daily)

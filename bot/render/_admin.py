"""/about, /reload (owners) and /documents (server managers)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.models import Corpus
from bot.render._limits import (
    EMBED_DESCRIPTION_LIMIT,
    MESSAGE_LIMIT,
    _count,
    _join_within,
    escape,
    escaped_shorten,
    shorten,
)
from bot.render._replies import Reply, _embed, document_label, fit_embed


def about_reply(corpus: Corpus) -> Reply:
    """What the bot serves: documents with their sizes, and the privacy note."""
    embed = _embed(title="About this bot")
    lines = []
    for doc in corpus.documents[:20]:
        count = len(doc.paragraphs)
        lines.append(
            f"• {escape(document_label(doc))} — {count} paragraph{'s' if count != 1 else ''}"
        )
    if len(corpus) > 20:
        lines.append(f"…and {len(corpus) - 20} more")
    embed.description = _join_within(lines, "\n", EMBED_DESCRIPTION_LIMIT - 500)
    embed.add_field(
        name="Commands",
        value=(
            "/quote · /search · /summary · /sources · Apps → Where is this from? (on a message) · "
            "/daily, /reading, /card_style (server managers)"
        ),
        inline=False,
    )
    embed.add_field(
        name="Privacy",
        value=(
            "This bot reads no messages on its own: it sees the slash commands you send it, and "
            "a message only when you pick Apps → Where is this from? on it (not stored). It "
            "stores each server's daily-post and reading-club settings and card style, which "
            "quotes and instalments were posted, and each channel's last quote (to avoid "
            "repeats). No message content, no user data."
        ),
        inline=False,
    )
    return Reply(embeds=[fit_embed(embed)], ephemeral=True)


RELOAD_OWNER_ONLY = "Only the bot's owners can reload the corpus."
#: Document ids listed per kind of change before "and N more".
RELOAD_LISTED = 10


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:RELOAD_LISTED])
    more = len(ids) - RELOAD_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def reload_text(
    *,
    ok: bool,
    error: str | None,
    added: Sequence[str],
    removed: Sequence[str],
    changed: Sequence[str],
    problems: Sequence[str],
    documents: int,
    seconds: float,
) -> str:
    """What a reload did, for the owner who asked (and the log)."""
    if not ok:
        return (
            f"Reload failed; still serving the previous corpus ({_count(documents, 'document')}).\n"
            f"Why: {error}"
        )
    lines = [f"Corpus reloaded in {seconds:.1f} s: {_count(documents, 'document')}."]
    for label, ids in (("Added", added), ("Removed", removed), ("Changed", changed)):
        if ids:
            lines.append(f"{label}: {_listed(ids)}")
    if not (added or removed or changed):
        lines.append("No document changed.")
    if problems:
        lines.append(f"Files with problems ({len(problems)}):")
        lines += [f"• {escaped_shorten(p, 300)}" for p in problems[:RELOAD_LISTED]]
    return "\n".join(lines)


def reload_no_documents(problems: Sequence[str]) -> str:
    """Why a reload failed when no document could be loaded (``problems``: "path: reason")."""
    if not problems:
        return (
            "no document could be loaded: the corpus paths contain no documents "
            "(.txt, .md, .html, .epub, .pdf, .docx). Add or fix a file, then reload again."
        )
    listed = "; ".join(problems[:RELOAD_LISTED])
    more = len(problems) - RELOAD_LISTED
    return f"no document could be loaded: {listed}" + (f" and {more} more" if more > 0 else "")


def reload_reply(text: str) -> Reply:
    """The ephemeral answer to ``/reload``."""
    return Reply(content=shorten(text, MESSAGE_LIMIT), ephemeral=True)


def collection_label(folder: str) -> str:
    """How a collection (a folder of documents) is named to users."""
    return f"Folder: {folder}"


def no_such_collection(folder: str) -> str:
    return f"There is no folder called “{folder}” in the corpus. Pick one from the list."


def _seen(summary: tuple[int, int]) -> str:
    seen, total = summary
    return f"This server now sees {seen} of {_count(total, 'document')}."


def documents_reply(summary: tuple[int, int], label: str, enabled: bool) -> Reply:
    """The answer to ``/documents enable`` or ``disable``."""
    done = "Turned on" if enabled else "Turned off"
    return Reply(content=f"{done}: {escape(label)}. {_seen(summary)}", ephemeral=True)


def document_choices_reply(choices: dict[str, bool], summary: tuple[int, int]) -> Reply:
    """``/documents list``: the server's choices, then how many documents it sees."""
    if not choices:
        return Reply(
            content=f"No choices made: every document is on. {_seen(summary)}", ephemeral=True
        )
    lines = [
        f"{'on ' if enabled else 'off'} · `{name}`" for name, enabled in sorted(choices.items())
    ]
    text = "\n".join(lines[:40]) + (f"\n…and {len(lines) - 40} more" if len(lines) > 40 else "")
    return Reply(content=shorten(f"{text}\n{_seen(summary)}", MESSAGE_LIMIT), ephemeral=True)


def documents_reset_reply(count: int) -> Reply:
    """``/documents reset``."""
    return Reply(
        content=f"Forgot {_count(count, 'choice')}: every document is on again.", ephemeral=True
    )

"""Buttons under a quote or search result: "More context" (widening) and "Cite".

Only the user who ran the command may press them; anyone else gets an ephemeral note. The view
stops after :data:`TIMEOUT` seconds and then removes its buttons (the interaction token, which
the edit uses, lives 15 minutes). After a corpus reload a press answers from the new corpus when
the document's text is unchanged, and otherwise says plainly (ephemeral) that the document
changed or was removed, never answering from the old text.
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot import render
from bot.core.context import citation, steps
from bot.core.library import Library
from bot.core.models import Document
from bot.errors import send

log = logging.getLogger(__name__)

TIMEOUT = 600.0
ROW_WIDTH = 5  # Discord: at most 5 buttons in an action row, at most 5 rows
MAX_TARGETS = 10  # two rows of "More context" buttons and two rows of "Cite" buttons


#: The custom_id of every button of a :class:`ResultView`: ``ctx:3:1a2b3c4d``, ``cite:0:…``.
CUSTOM_ID = re.compile(r"^(?:(?:ctx|cite|card):\d+|page:(?:prev|next)):(?P<tag>[0-9a-f]{8})$")
#: The live views by their tag (a view leaves when it stops, times out or is collected).
_LIVE: weakref.WeakValueDictionary[str, discord.ui.View] = weakref.WeakValueDictionary()


def register(tag: str, view: discord.ui.View) -> None:
    """Make ``view``'s buttons (custom_ids ending in ``tag``) known to :func:`is_expired`."""
    _LIVE[tag] = view


def is_expired(custom_id: str) -> bool:
    """Whether ``custom_id`` is one of our buttons whose view no longer listens.

    True after the view's :data:`TIMEOUT` or after a restart (a client may still show the
    buttons); false for a live view's buttons and for custom_ids that are not ours.
    """
    match = CUSTOM_ID.match(custom_id)
    if match is None:
        return False
    view = _LIVE.get(match["tag"])
    return view is None or view.is_finished()


async def answer_if_expired(interaction: discord.Interaction[Any]) -> bool:
    """Answer a press of an expired button of ours (``on_interaction``), which discord.py's view
    store otherwise drops unanswered (Discord then shows "This interaction failed", 10062).

    Returns whether it answered. Safe to call for every interaction: only component presses
    whose custom_id :func:`is_expired` are answered, with an ephemeral "run the command again".
    """
    if interaction.type is not discord.InteractionType.component:
        return False
    data: Any = interaction.data or {}
    if not is_expired(str(data.get("custom_id", ""))) or interaction.response.is_done():
        return False
    try:
        await send(interaction, render.user_error(render.BUTTONS_EXPIRED))
    except discord.HTTPException as error:
        log.debug("could not answer an expired button: %s", error)
        return False
    return True


@dataclass(frozen=True, slots=True)
class Target:
    """What a pair of buttons points at: a span of one paragraph."""

    document_id: str
    paragraph: int
    start: int
    end: int


class ResultView(discord.ui.View):
    """ "More context" and "Cite" buttons for up to ten results, usable by their owner only.

    Rows of five: "More context 1-5", "More context 6-10", "Cite 1-5", "Cite 6-10" (the rows
    of 6-10 only when there are more than five results). Each "More context" press shows the
    next of :func:`bot.render.context_steps`; the button is disabled after the widest.
    ``current`` returns the library serving at press time: after a reload, a press is answered
    from it when the document's text is unchanged, else refused with a plain note.
    """

    def __init__(
        self,
        library: Library,
        owner_id: int,
        targets: Sequence[Target],
        *,
        timeout: float = TIMEOUT,
        current: Callable[[], Library] | None = None,
    ) -> None:
        super().__init__(timeout=timeout)
        self.library = library
        self.current = current  # the library serving now (it changes on a reload)
        self.owner_id = owner_id
        self.targets = list(targets)[:MAX_TARGETS]
        self.shown = [0] * len(self.targets)  # context steps shown so far, per target
        self._steps: dict[int, list[render.ContextStep]] = {}
        self.interaction: discord.Interaction[Any] | None = None
        numbered = len(self.targets) > 1
        # Unique per view: discord.py routes a click on a message it has no id for (a follow-up
        # sent without waiting) by custom_id alone, so fixed ids would cross-wire two replies.
        tag = secrets.token_hex(4)
        self.tag = tag
        _LIVE[tag] = self
        context_rows = -(-len(self.targets) // ROW_WIDTH)
        self.more_buttons: list[discord.ui.Button[ResultView]] = []
        for i in range(len(self.targets)):
            suffix = f" {i + 1}" if numbered else ""
            more: discord.ui.Button[ResultView] = discord.ui.Button(
                label=f"More context{suffix}",
                style=discord.ButtonStyle.secondary,
                custom_id=f"ctx:{i}:{tag}",
                row=i // ROW_WIDTH,
            )
            more.callback = self._more_callback(i)  # type: ignore[method-assign]
            self.more_buttons.append(more)
            self.add_item(more)
        for i in range(len(self.targets)):  # after every "More context" row: rows fill in order
            suffix = f" {i + 1}" if numbered else ""
            cite: discord.ui.Button[ResultView] = discord.ui.Button(
                label=f"Cite{suffix}",
                style=discord.ButtonStyle.secondary,
                custom_id=f"cite:{i}:{tag}",
                row=context_rows + i // ROW_WIDTH,
            )
            cite.callback = self._cite_callback(i)  # type: ignore[method-assign]
            self.add_item(cite)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Only the command's user may press; others get an ephemeral note."""
        if interaction.user.id != self.owner_id:
            await send(interaction, render.user_error(render.NOT_YOURS))
            return False
        data: Any = interaction.data or {}
        return await self._follow_reload(interaction, str(data.get("custom_id", "")))

    async def _follow_reload(self, interaction: discord.Interaction[Any], custom_id: str) -> bool:
        """After a reload: move to the new library when the pressed button's document has the
        same text there; else answer that it changed (or left) and refuse the press."""
        library = self.current() if self.current is not None else self.library
        if library is self.library:
            return True
        index = int(custom_id.split(":")[1]) if custom_id.count(":") == 2 else 0
        target = self.targets[min(index, len(self.targets) - 1)]
        old = self.library.corpus.get(target.document_id)
        new = library.corpus.get(target.document_id)
        if old is not None and new is not None and _same_text(old, new):
            if all(_kept(self.library, library, t) for t in self.targets):
                self.library = library  # every target unchanged: drop the old corpus
            return True
        title = old.title if old is not None else target.document_id
        await send(interaction, render.document_changed(title, removed=new is None))
        return False

    def _more_callback(self, i: int) -> Any:
        async def callback(interaction: discord.Interaction[Any]) -> None:
            target = self.targets[i]
            document = self._document(target)
            assert document is not None
            if i not in self._steps:
                excerpts = steps(document, target.paragraph, target.start, target.end)
                self._steps[i] = render.context_steps(excerpts)
            plan = self._steps[i]
            index = min(self.shown[i], len(plan) - 1)
            self.shown[i] = index + 1
            step = plan[index]
            reply = render.context_reply(
                step.excerpt, document, step.fitted, step=index + 1, widest=step.widest
            )
            await send(interaction, reply)
            if step.widest and not self.more_buttons[i].disabled:
                self.more_buttons[i].disabled = True
                await self._update_buttons()

        return callback

    def _document(self, target: Target) -> Document | None:
        """The target's document: from the library serving now when it has the same text (a
        press after a reload was let through by :meth:`_follow_reload`), else the reply's."""
        if self.current is not None:
            new = self.current().corpus.get(target.document_id)
            old = self.library.corpus.get(target.document_id)
            if new is not None and old is not None and _same_text(old, new):
                return new
        return self.library.corpus.get(target.document_id)

    async def _update_buttons(self) -> None:
        """Show the buttons' new state (a disabled "More context") on the original reply."""
        await self._edit_reply(self)

    async def _edit_reply(self, view: discord.ui.View | None) -> None:
        """Put ``view`` (``None``: no buttons) on the original reply; a failure is only logged."""
        if self.interaction is None:
            return
        try:
            await self.interaction.edit_original_response(view=view)
        except discord.HTTPException as error:
            log.debug("could not update the buttons: %s", error)

    def _cite_callback(self, i: int) -> Any:
        async def callback(interaction: discord.Interaction[Any]) -> None:
            target = self.targets[i]
            document = self._document(target)
            assert document is not None
            await send(
                interaction,
                render.citation_reply(
                    citation(
                        document,
                        target.paragraph,
                        where=render.location(document, target.paragraph),
                    )
                ),
            )

        return callback

    async def on_timeout(self) -> None:
        """Remove the buttons once they stop working."""
        await self._edit_reply(None)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        """Log a failed button press with context; the user gets the short apology."""
        log.error(
            "button %s failed for user %s",
            getattr(item, "custom_id", "?"),
            interaction.user.id,
            exc_info=error,
        )
        with contextlib.suppress(discord.HTTPException):
            await send(interaction, render.apology())


def _same_text(old: Document, new: Document) -> bool:
    """Whether two loads of a document have the same paragraphs (what the buttons show)."""
    return old is new or (
        len(old.paragraphs) == len(new.paragraphs)
        # (the same stored record compares equal without reading it)
        and (
            old.paragraphs == new.paragraphs
            or all(a.text == b.text for a, b in zip(old.paragraphs, new.paragraphs, strict=True))
        )
    )


def _kept(old: Library, new: Library, target: Target) -> bool:
    before, after = old.corpus.get(target.document_id), new.corpus.get(target.document_id)
    return before is not None and after is not None and _same_text(before, after)


def quote_view(
    library: Library,
    owner_id: int,
    quote: Any,
    current: Callable[[], Library] | None = None,
) -> ResultView:
    """Buttons for a :class:`~bot.core.models.Quote` (its sentence is the span); ``current``
    gives the library serving at press time (see :class:`ResultView`)."""
    s = quote.sentence
    target = Target(s.document_id, s.paragraph, s.start, s.end)
    return ResultView(library, owner_id, [target], current=current)


def hits_view(
    library: Library,
    owner_id: int,
    hits: Sequence[Any],
    current: Callable[[], Library] | None = None,
) -> ResultView:
    """Buttons for the first :data:`MAX_TARGETS` :class:`~bot.core.models.SearchHit`s (the match is the span).

    ``/search`` shows at most 10 hits, so every hit gets its buttons.
    """
    targets = [
        Target(
            h.passage.document_id,
            h.passage.paragraph,
            h.passage.start + h.match_start,
            h.passage.start + h.match_end,
        )
        for h in hits
    ]
    return ResultView(library, owner_id, targets, current=current)


def add_card_button(view: ResultView, callback: Any) -> None:
    """Add a "Card" button (a quote as an image) to ``view``, beside its "Cite" button.

    ``callback(interaction)`` answers the press; only the view's owner can press it.
    """
    row = max((item.row or 0) for item in view.children) if view.children else 0
    card: discord.ui.Button[ResultView] = discord.ui.Button(
        label="Card", style=discord.ButtonStyle.secondary, custom_id=f"card:0:{view.tag}", row=row
    )
    card.callback = callback  # type: ignore[method-assign]
    view.add_item(card)

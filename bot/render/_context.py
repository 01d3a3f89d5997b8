"""More context and citations: an excerpt fitted around its anchor within a limit, the
steps that each show strictly more, and their replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.context import Excerpt
from bot.core.emphasis import Span, clip
from bot.core.models import Document
from bot.render._limits import (
    ELLIPSIS,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    MESSAGE_LIMIT,
    _unescape,
    escape,
    escaped_shorten,
    shorten,
)
from bot.render._quotes import location
from bot.render._replies import Reply, _embed, fit_embed


@dataclass(frozen=True, slots=True)
class Fitted:
    """An excerpt text brought within a length limit around an anchor span.

    Attributes:
        text: what is shown: the kept text, Markdown-escaped, with ``…`` where text was left out.
        start/end: the kept range ``[start, end)`` of the source text (raw character offsets).
        cut: whether anything was left out.
    """

    text: str
    start: int
    end: int
    cut: bool

    @property
    def size(self) -> int:
        """How many source characters are shown."""
        return self.end - self.start


_SNAP = 400  # at most this many characters are given up to end an excerpt at a boundary


def _snap_left(text: str, lo: int, limit_at: int) -> int:
    """Move ``lo`` forward (never past ``limit_at``) to the start of a paragraph, sentence or word."""
    if lo <= 0:
        return 0
    region = text[lo:limit_at]
    for sep in ("\n\n", ". ", "! ", "? ", "\n", " "):
        at = region.find(sep)
        if at != -1:
            return lo + at + len(sep)
    return lo


def _snap_right(text: str, hi: int, limit_at: int) -> int:
    """Move ``hi`` back (never before ``limit_at``) to the end of a paragraph, sentence or word."""
    if hi >= len(text):
        return len(text)
    region = text[limit_at:hi]
    for sep in ("\n\n", ". ", "! ", "? ", "\n", " "):
        at = region.rfind(sep)
        if at != -1:
            return limit_at + at + (1 if sep in (". ", "! ", "? ") else 0)
    return hi


def _window(text: str, start: int, end: int, extra: int, emphasis: Sequence[Span] = ()) -> Fitted:
    """``[start, end)`` grown by about ``extra`` characters shared between both sides, snapped;
    ``emphasis``: italic spans of ``text``, shown where they fall."""
    before, after = start, len(text) - end
    left = min(before, extra // 2)
    right = min(after, extra - left)
    left = min(before, extra - right)  # what one side cannot use goes to the other
    lo, hi = start - left, end + right
    lo = _snap_left(text, lo, lo + min(left // 2, _SNAP)) if lo > 0 else 0
    hi = _snap_right(text, hi, hi - min(right // 2, _SNAP)) if hi < len(text) else len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    body = escape(text[lo:hi], clip(emphasis, lo, hi))
    shown = (ELLIPSIS if lo > 0 else "") + body + (ELLIPSIS if hi < len(text) else "")
    return Fitted(shown, lo, hi, lo > 0 or hi < len(text))


def fit_around(
    text: str,
    start: int,
    end: int,
    limit: int = EMBED_DESCRIPTION_LIMIT,
    emphasis: Sequence[Span] = (),
) -> Fitted:
    """``text`` Markdown-escaped within ``limit`` characters, kept centred on ``[start, end)``;
    its ``emphasis`` spans (offsets into ``text``) in italics.

    When the escaped text is too long, the anchor span ``[start, end)`` (the quote or match, or
    what the previous context step showed) is kept whole and the room left is shared equally
    between the text before and after it (what one side cannot use goes to the other); each
    end is cut at a paragraph, sentence or word boundary and marked with ``…``. Only when the
    anchor alone does not fit is it shortened itself (from its end). The largest such window
    is found by bisection on the number of characters added. Offsets are raw characters of
    ``text``; ``0 <= start <= end <= len(text)``.
    """
    whole = escape(text, emphasis)
    if len(whole) <= limit:
        return Fitted(whole, 0, len(text), False)
    first = _window(text, start, end, 0, emphasis)
    if len(first.text) > limit:
        kept = escaped_shorten(text[start:end], max(limit - 2 * len(ELLIPSIS), 1))
        shown = (ELLIPSIS if start > 0 else "") + kept + ELLIPSIS
        return Fitted(shown, start, start + len(_unescape(kept).rstrip(ELLIPSIS)), True)
    lo, hi = 0, len(text)  # bisection on the extra characters: lo fits
    best = first
    while lo < hi:
        mid = (lo + hi + 1) // 2
        candidate = _window(text, start, end, mid, emphasis)
        if len(candidate.text) <= limit:
            lo, best = mid, candidate if candidate.size >= best.size else best
        else:
            hi = mid - 1
    return best


#: A wider step that had to be cut is shown only if it adds at least this many characters
#: (about a short sentence) to the previous one; an uncut one if it adds anything.
MIN_CONTEXT_GAIN = 40


@dataclass(frozen=True, slots=True)
class ContextStep:
    """One "More context" step as shown: the excerpt, what of it fits, and whether it is the last."""

    excerpt: Excerpt
    fitted: Fitted
    widest: bool


def context_steps(
    excerpts: Sequence[Excerpt], limit: int = EMBED_DESCRIPTION_LIMIT
) -> list[ContextStep]:
    """The "More context" steps to show, each showing strictly more than the one before.

    ``excerpts`` are :func:`bot.core.context.steps` (nested, growing). The first one is the span
    itself, which the result already shows, so it is shown only when nothing wider exists. A
    step too long for ``limit`` is cut around what the previous step showed (so it keeps it
    and the quote or match), and a step that adds nothing to what the previous one showed (or,
    when cut, fewer than :data:`MIN_CONTEXT_GAIN` characters) is skipped. The last step is marked ``widest``.
    """
    out: list[ContextStep] = []
    anchor: tuple[int, int] | None = None  # previous shown range, in the previous excerpt's text
    previous: Excerpt | None = None
    for excerpt in excerpts:
        if previous is None or anchor is None:
            lo, hi = excerpt.target_start, excerpt.target_end
        else:
            shift = excerpt.target_start - previous.target_start
            lo, hi = anchor[0] + shift, anchor[1] + shift
        fitted = fit_around(excerpt.text, lo, hi, limit, excerpt.emphasis)
        gain = MIN_CONTEXT_GAIN if fitted.cut else 1
        if previous is not None and out and fitted.size < out[-1].fitted.size + gain:
            continue
        out.append(ContextStep(excerpt, fitted, False))
        anchor, previous = (fitted.start, fitted.end), excerpt
    if len(out) > 1:
        out = out[1:]
    out[-1] = ContextStep(out[-1].excerpt, out[-1].fitted, True)
    return out


def context_reply(
    excerpt: Excerpt,
    document: Document,
    fitted: Fitted | None = None,
    *,
    step: int | None = None,
    widest: bool | None = None,
) -> Reply:
    """An ephemeral excerpt around a result, saying which paragraphs it spans and whether it can widen.

    ``fitted`` is what of the excerpt fits (default: :func:`fit_around` its span); ``step`` the
    1-based number shown in the footer (default: the excerpt's level + 1); ``widest`` whether
    another press would show more (default: ``excerpt.widest``).
    """
    if fitted is None:
        fitted = fit_around(
            excerpt.text, excerpt.target_start, excerpt.target_end, emphasis=excerpt.emphasis
        )
    where = location(document, excerpt.first_paragraph, excerpt.last_paragraph)
    embed = _embed(title=shorten(f"{document.title} — {where}", EMBED_TITLE_LIMIT))
    embed.description = fitted.text
    last = excerpt.widest if widest is None else widest
    if not last:
        hint = "press More context again to widen"
    elif fitted.cut:
        hint = "the widest context that fits in one message"
    else:
        hint = "the widest context"
    embed.set_footer(text=f"Context step {step or excerpt.level + 1} · {hint}")
    return Reply(embeds=[fit_embed(embed)], ephemeral=True)


def citation_reply(text: str) -> Reply:
    """A ready-to-paste citation in a code block (ephemeral)."""
    safe = text.replace("```", "ʼʼʼ")
    return Reply(content=shorten(f"```\n{safe}\n```", MESSAGE_LIMIT), ephemeral=True)

"""Quotation marks in a paragraph: which marks open and close quotes, and where sentences end.

Straight and curly double quotes, guillemets, and single quotes told apart from apostrophes and
elisions; quotes nest and may stay open at a paragraph's end (novels open each paragraph of a long
speech without closing the previous one). Pure string work, no speaker grammar (see ``_speech``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.quotes._lexicon import words

_DOUBLE_OPEN = "“«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‹"
_SINGLE_CLOSE = "’›"
_MARKS = re.compile("[\"'“”«»‘’‹›]")
_OPEN_CONTEXT = "([{<—–-/“‘«‹\"',:;"
_CLOSE_CONTEXT = ".,;:!?)]}>—–-…”’»›\"'"
_ABBREVIATIONS = frozenset(
    words("mr mrs ms dr st prof sr jr gen sen rev capt col lt gov hon mt no vs etc")
)


def _can_open(text: str, i: int) -> bool:
    left = text[i - 1] if i > 0 else None
    right = text[i + 1] if i + 1 < len(text) else None
    if right is None or right.isspace():
        return False
    return left is None or left.isspace() or left in _OPEN_CONTEXT


def _can_close(text: str, i: int) -> bool:
    left = text[i - 1] if i > 0 else None
    right = text[i + 1] if i + 1 < len(text) else None
    if left is None or left.isspace():
        return False
    return right is None or right.isspace() or right in _CLOSE_CONTEXT


def _single_role(text: str, i: int) -> str | None:
    """``"open"``, ``"close"``, ``"weak-close"`` or ``None`` (an apostrophe or elision).

    ``Kim’s``, ``don’t`` (letter on both sides) are apostrophes; ``’tis``/``’90s`` (a right mark
    opening a word) are elisions; ``students’ books`` is a *weak* close (plural possessive) used
    only when no better closing mark follows.
    """
    char = text[i]
    left = text[i - 1] if i > 0 else ""
    right = text[i + 1] if i + 1 < len(text) else ""
    if left.isalnum() and right.isalnum():
        return None
    if char in _SINGLE_OPEN:
        return "open" if _can_open(text, i) else None
    if char == "'" and _can_open(text, i) and not left.isalnum():
        return "open"
    if _can_close(text, i):
        if left in "sS" and right == " " and text[i + 2 : i + 3].islower():
            return "weak-close"
        return "close"
    return None


def _double_role(text: str, i: int, open_double: bool) -> str | None:
    char = text[i]
    if char in _DOUBLE_OPEN:
        return "open"
    if char in _DOUBLE_CLOSE:
        return "close"
    can_open, can_close = _can_open(text, i), _can_close(text, i)
    if can_open and can_close:
        return "close" if open_double else "open"
    if can_open:
        return "open"
    if can_close:
        return "close"
    return None


def _quoted_spans(text: str) -> list[tuple[int, int, int, bool]]:
    """``(open_index, close_index, depth, closed)`` for every quote, in order of opening.

    ``open_index`` is -1 for speech continued from the previous paragraph (the paragraph's first
    double mark is a closing one); ``close_index`` is ``len(text)`` for a quote left open."""
    roles = _mark_roles(text)
    stack: list[tuple[str, int]] = []
    found: list[tuple[int, int, int, bool]] = []
    seen_double = False
    for pos, (i, kind, single_role) in enumerate(roles):
        if kind == "d":
            found = _on_double(text, i, stack, found, first=not seen_double)
            seen_double = True
        elif single_role == "open":
            stack.append(("s", i))
        elif stack and stack[-1][0] == "s":
            if single_role == "weak-close" and _better_close_follows(roles, pos):
                continue
            _, opened = stack.pop()
            found.append((opened, i, len(stack), True))
    doubles = [opened for k, opened in stack if k == "d"]
    if doubles:
        found.append((doubles[0], len(text), 0, False))
    found.sort()
    return found


def _mark_roles(text: str) -> list[tuple[int, str, str]]:
    """``(index, "d" or "s", single role)`` of every quotation mark; apostrophes left out."""
    roles: list[tuple[int, str, str]] = []
    for m in _MARKS.finditer(text):
        i = m.start()
        if text[i] in '"“”«»':
            roles.append((i, "d", ""))
        elif (role := _single_role(text, i)) is not None:
            roles.append((i, "s", role))
    return roles


def _on_double(
    text: str,
    i: int,
    stack: list[tuple[str, int]],
    found: list[tuple[int, int, int, bool]],
    *,
    first: bool,
) -> list[tuple[int, int, int, bool]]:
    """Apply the double mark at ``i``: it opens a quote, closes the innermost open double quote
    (and any single quote left open inside it), or, as the paragraph's first double mark,
    closes speech continued from the previous paragraph. Returns the found quotes."""
    open_doubles = sum(1 for k, _ in stack if k == "d")
    role = _double_role(text, i, open_doubles > 0)
    if role == "open":
        stack.append(("d", i))
    elif role == "close" and open_doubles:
        while stack:
            k, opened = stack.pop()
            if k == "d":
                found.append((opened, i, len(stack), True))
                break
    elif role == "close" and first:
        # the first double mark closes: speech continued from the previous paragraph
        found = [(o, c, d + 1, cl) for o, c, d, cl in found]
        found.append((-1, i, 0, True))
        stack.clear()
    return found


def _better_close_follows(roles: Sequence[tuple[int, str, str]], pos: int) -> bool:
    """Whether a strong single close comes after ``pos`` before any single open or double mark."""
    for _, kind, role in roles[pos + 1 :]:
        if kind == "d" or role == "open":
            return False
        if role == "close":
            return True
    return False


def _terminators(text: str) -> list[int]:
    """Offsets just after sentence-ending punctuation (not after 'Mr.', 'Dr.', initials)."""
    ends = []
    for m in _TERMINAL.finditer(text):
        word = word_before(text, m.start())
        if m.group(0) == "." and word and (word.casefold() in _ABBREVIATIONS or len(word) == 1):
            continue
        ends.append(m.end())
    return ends


_TERMINAL = re.compile(r"[.!?…]+(?=\s|$)")


def word_before(text: str, end: int, start: int = 0) -> str:
    """The ``\\w`` run of ``text[start:end]`` that ends it (``""`` if it ends otherwise): what
    ``re.search(r"(\\w+)$", text[start:end])`` finds, read backwards from ``end`` instead of
    searched from ``start`` (which cost a pass over the text before every full stop)."""
    if end > start and text[end - 1] == "\n":  # "$" also matches before a final newline
        end -= 1
    i = end
    while i > start and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return text[i:end]


def _before_window(text: str) -> str:
    cuts = _terminators(text)
    return text[cuts[-1] :] if cuts else text


def _after_window(text: str) -> str:
    cuts = _terminators(text)
    return text[: cuts[0]] if cuts else text

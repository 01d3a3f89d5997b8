"""Document ids and slugs.

Document ids
    The manifest's (or front matter's) ``id``, else the slug of the file name stem (lowercase
    ASCII letters, digits and hyphens); unique across the corpus, a collision gets ``-2``,
    ``-3``, ... in load order. An explicit id (manifest or front matter) already taken is a
    non-fatal problem naming both files and the id used instead; on ``corpus.yaml`` (with the
    entry, "documents > e2.txt: ...") when the manifest gave it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence, Set

from bot.core.loader._plan import _Item
from bot.core.models import LoadProblem

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str) -> str:
    """Lowercase ASCII slug of ``text`` (letters, digits, single hyphens); ``"document"`` if empty.

    Accents are removed by NFKD decomposition (``"Café"`` → ``"cafe"``).
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "document"


def _assign_ids(
    pending: Sequence[tuple[_Item, str | None]], problems: list[LoadProblem]
) -> list[str]:
    """One unique id per pending document: explicit ids first, then file-name slugs.

    An explicit id (manifest or front matter) that another document already has is reported
    as a non-fatal problem naming both files and the id given instead ("two-2"); when the id
    came from ``corpus.yaml`` the problem's path is the manifest and the reason names the
    entry ("documents > e2.txt").

    ``pending`` holds each file read and the id its manifest entry or front matter gave (or
    ``None``).
    """
    ids: list[str | None] = [None] * len(pending)
    owner: dict[str, int] = {}
    clashes: list[tuple[int, str]] = []
    for i, (item, explicit) in enumerate(pending):
        if not explicit:
            continue
        if not _SLUG.fullmatch(explicit):
            fixed = slugify(explicit)
            problems.append(
                LoadProblem(
                    str(item.path),
                    f"id '{explicit}' is not a slug (lowercase letters, digits, hyphens); "
                    f"using '{fixed}'",
                    fatal=False,
                )
            )
            explicit = fixed
        if explicit in owner:
            clashes.append((i, explicit))
            continue
        owner[explicit] = i
        ids[i] = explicit
    taken = set(owner)
    result: list[str] = []
    for i, (item, explicit) in enumerate(pending):
        chosen = ids[i]
        if chosen is None:
            base = explicit or slugify(item.path.stem)
            chosen = _unique(slugify(base), taken)
            taken.add(chosen)
        result.append(chosen)
    for i, explicit in clashes:
        item = pending[i][0]
        other = pending[owner[explicit]][0].path
        from_manifest = bool(item.entry) and "id" in item.manifest
        where = item.entry.split(" > ", 1)[0] if from_manifest else str(item.path)
        prefix = f"{item.entry.split(' > ', 1)[1]}: " if from_manifest else ""
        problems.append(
            LoadProblem(
                where,
                f"{prefix}id '{explicit}' is already given to {other}; {item.path} is loaded "
                f"as '{result[i]}' - give each document its own id",
                fatal=False,
            )
        )
    return result


def _unique(base: str, taken: Set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"

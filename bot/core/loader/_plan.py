"""Which files are read, each once, with their manifest entries.

Reading
    Only regular files are read: a named pipe (FIFO), a device (a link to ``/dev/zero``) or a
    socket is reported as "not a regular file (a named pipe)" without opening it for a blocking
    read, and a file over :data:`MAX_FILE_BYTES` (50 MB) as "too large (N MB; the limit is 50
    MB)", in bytes when the rounded size would equal the limit. A file reached twice (a
    symbolic link beside its target, a folder given twice) is read once, under the real file's
    path; the link is listed as a skipped, non-fatal problem. In a folder, files of other
    types (``.html``, ``.rtf``, ``.docx``, ...) are listed as non-fatal problems "skipped:
    unsupported file type (.html); supported: .txt, .md, .markdown"
    (hidden files, ``corpus.yaml`` and repository files such as ``README.rst`` or ``LICENSE``
    are not listed); a file named explicitly with such a suffix is a fatal problem.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.loader._manifest import MANIFEST_NAME, _read_manifest
from bot.core.models import LoadProblem

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
#: Every suffix read, and the format it is read as (in the order people look for them).
FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".epub": "epub",
    ".pdf": "pdf",
    ".docx": "docx",
}


UNSUPPORTED_LISTED = 20  # per folder; further unsupported files are counted in one problem


_REPOSITORY_FILE = re.compile(r"^(?:readme|licen[cs]e|changelog|contributing)", re.IGNORECASE)


@dataclass(slots=True)
class _Item:
    path: Path
    manifest: dict[str, object]  # the file's manifest entry
    defaults: dict[str, str] = field(default_factory=dict)
    entry: str = ""  # where the entry is: "<folder>/corpus.yaml > documents > <name>", or ""


def _plan(paths: Sequence[Path], problems: list[LoadProblem]) -> list[_Item]:
    """The files to read, each once, with their manifest entries and defaults.

    A file reached twice (a folder given twice, or a symbolic link beside its target) is read
    once, under the name of the real file when one of the paths is not a link; each other path
    is reported as a skipped, non-fatal problem naming the path that is loaded.
    """
    candidates: list[_Item] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            files, unsupported = _walk(root)
            documents = []
            for file in files:
                if _REPOSITORY_FILE.match(file.name):
                    reason = "skipped: looks like a repository file, not a document"
                    problems.append(LoadProblem(str(file), reason, fatal=False, skipped=True))
                else:
                    documents.append(file)
            _report_unsupported(root, unsupported, problems)
            if not documents:
                problems.append(
                    LoadProblem(
                        str(root), "contains no documents (.txt, .md, .html, .epub, .pdf, .docx)"
                    )
                )
            relative = {f.relative_to(root).as_posix(): f for f in documents}
            defaults, entries = _read_manifest(root / MANIFEST_NAME, set(relative), problems)
            for name, file in relative.items():
                entry = f"{root / MANIFEST_NAME} > documents > {name}" if name in entries else ""
                candidates.append(_Item(file, dict(entries.get(name, {})), defaults, entry))
        else:
            sink: list[LoadProblem] = []
            defaults, entries = _read_manifest(root.parent / MANIFEST_NAME, None, sink)
            if root.name in entries:
                problems.extend(sink)
            else:  # a manifest that could not be used at all concerns this file too
                problems.extend(p for p in sink if p.fatal and p not in problems)
            entry = (
                f"{root.parent / MANIFEST_NAME} > documents > {root.name}"
                if root.name in entries
                else ""
            )
            candidates.append(_Item(root, dict(entries.get(root.name, {})), defaults, entry))
    return _one_per_file(candidates, problems)


def _one_per_file(candidates: list[_Item], problems: list[LoadProblem]) -> list[_Item]:
    """Keep one item per real file: the first path that is not a symbolic link, else the first.

    The kept item takes the place of the first path to the file, so load order stays that of
    the paths; the others are reported as skipped when they are links (a folder given twice is
    not worth a message).
    """
    groups: dict[Path, list[_Item]] = {}
    order: list[Path] = []
    for item in candidates:
        try:
            key = item.path.resolve()
        except (OSError, RuntimeError):  # a link loop: read (and reported) as it is
            key = item.path.absolute()
        if key not in groups:
            groups[key] = []
            order.append(key)
        if all(other.path != item.path for other in groups[key]):
            groups[key].append(item)
    kept: list[_Item] = []
    for key in order:
        group = groups[key]
        chosen = next((item for item in group if not item.path.is_symlink()), group[0])
        kept.append(chosen)
        for item in group:
            if item is not chosen and item.path.is_symlink():
                problems.append(
                    LoadProblem(
                        str(item.path),
                        f"skipped: a link to {key}, which is loaded as {chosen.path}",
                        fatal=False,
                        skipped=True,
                    )
                )
    return kept


def _supported_names() -> str:
    return ", ".join(FORMATS)


def _unsupported(path: Path) -> str:
    suffix = path.suffix.lower()
    kind = suffix if suffix else "no suffix"
    return f"unsupported file type ({kind}); supported: {_supported_names()}"


def _report_unsupported(root: Path, files: list[Path], problems: list[LoadProblem]) -> None:
    """Report the first :data:`UNSUPPORTED_LISTED` files by path, then one count for the rest."""
    for file in files[:UNSUPPORTED_LISTED]:
        problems.append(
            LoadProblem(str(file), f"skipped: {_unsupported(file)}", fatal=False, skipped=True)
        )
    rest = files[UNSUPPORTED_LISTED:]
    if rest:
        kinds = sorted({f.suffix.lower() or "no suffix" for f in rest})
        problems.append(
            LoadProblem(
                str(root),
                f"skipped {len(rest)} more files of unsupported types ({', '.join(kinds)}); "
                f"supported: {_supported_names()}",
                fatal=False,
                skipped=True,
            )
        )


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """``(text files, other files)`` under ``folder``, each sorted by relative path.

    Hidden files and folders, the manifest and repository files (README, LICENSE, ...) that are
    not text files are left out of both lists: they are not meant as documents.
    """
    found: list[Path] = []
    other: list[Path] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or name == MANIFEST_NAME:
                continue
            if Path(name).suffix.lower() in FORMATS:
                found.append(Path(current) / name)
            elif not _REPOSITORY_FILE.match(name):
                other.append(Path(current) / name)

    def key(f: Path) -> str:
        return f.relative_to(folder).as_posix()

    return sorted(found, key=key), sorted(other, key=key)

"""The ``corpus.yaml`` manifest and the metadata keys it shares with front matter.

Manifest (``corpus.yaml`` in a corpus folder, optional)::

    author: Default Author          # optional defaults: author, outlet, date
    outlet: Some Outlet
    documents:
      essay.txt:                    # path relative to the folder
        id: kim-human-rights        # id, title, author, date, outlet, source_url, standfirst
        title: A Better Title

    Unknown keys, values of the wrong type or invalid (``date: 2019-02-30``) and files named but
    absent are reported as non-fatal problems naming the manifest and the key. A manifest that
    cannot be used at all (not valid YAML, a key given twice in one mapping - plain YAML would
    silently keep the last value -, not a mapping, unreadable) is a fatal problem with its line:
    the files still load with the heuristics, and ``corpusbot check --strict`` fails.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml

from bot.core.loader._decode import _read_bytes
from bot.core.loader._errors import DocumentError
from bot.core.loader._yaml import _BadValue, _load_yaml, _yaml_error
from bot.core.models import LoadProblem

MANIFEST_NAME = "corpus.yaml"


_META_KEYS = ("id", "title", "author", "date", "outlet", "source_url", "standfirst")


_FRONT_MATTER_ALIASES = {"url": "source_url", "description": "standfirst"}


_MANIFEST_DEFAULT_KEYS = ("author", "outlet", "date")


def _read_manifest(
    path: Path, files: set[str] | None, problems: list[LoadProblem]
) -> tuple[dict[str, str], dict[str, dict[str, object]]]:
    """Read and validate a manifest; returns (defaults, entries by relative file name)."""
    if not path.exists() and not path.is_symlink():
        return {}, {}
    where = str(path)

    def report(reason: str) -> None:
        problems.append(LoadProblem(where, reason, fatal=False))

    def refuse(reason: str) -> tuple[dict[str, str], dict[str, dict[str, object]]]:
        # The manifest is not used at all: a file with problems (fatal), so --strict fails.
        problems.append(LoadProblem(where, f"{reason}; the files load without it"))
        return {}, {}

    try:
        raw, duplicates = _load_yaml(_read_bytes(path).decode("utf-8-sig"))
    except DocumentError as error:
        return refuse(error.reason)
    except UnicodeDecodeError as error:
        return refuse(f"could not be read (not UTF-8: byte {error.start})")
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return refuse(f"is not valid YAML{_yaml_error(error, 0)}")
    if duplicates:
        d = duplicates[0]
        more = f" (and {len(duplicates) - 1} more)" if len(duplicates) > 1 else ""
        return refuse(
            f"duplicate key '{d.key}' on line {d.first} and again on line {d.second}{more}: "
            "YAML would silently keep only the last one, so the manifest is not used until you "
            "delete the one you do not want"
        )
    if raw is None:
        return {}, {}
    if not isinstance(raw, dict):
        return refuse("should be a mapping with a 'documents' key")

    return _defaults(raw, report), _entries(raw.get("documents"), files, path.parent, report)


def _defaults(raw: Mapping[object, object], report: Callable[[str], None]) -> dict[str, str]:
    """The manifest's top-level defaults (author, outlet, date); other keys are reported."""
    defaults: dict[str, str] = {}
    known_top = ("documents", *_MANIFEST_DEFAULT_KEYS)
    for key, value in raw.items():
        if key == "documents":
            continue
        if key not in _MANIFEST_DEFAULT_KEYS:
            report(f"unknown key '{key}' (known keys: {', '.join(known_top)}); ignored it")
            continue
        cleaned, messages = _clean_metadata({str(key): value}, str(key), strict=True)
        defaults.update(cleaned)
        for message in messages:
            report(message)
    return defaults


def _entries(
    documents: object, files: set[str] | None, folder: Path, report: Callable[[str], None]
) -> dict[str, dict[str, object]]:
    """The manifest's ``documents`` entries by file name; bad entries are reported."""
    entries: dict[str, dict[str, object]] = {}
    if documents is None:
        return entries
    if not isinstance(documents, dict):
        report("'documents' should map file names to their details; ignored it")
        return entries
    for name, entry in documents.items():
        name = str(name)
        where_key = f"documents > {name}"
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            report(f"{where_key} should be a mapping of details (id, title, ...); ignored it")
            continue
        if files is not None and name not in files:
            report(f"{where_key}: names a file that is not in {folder} (no such document)")
            continue
        cleaned, messages = _clean_metadata(_str_keys(entry), where_key, strict=True)
        for message in messages:
            report(message)
        entries[name] = dict(cleaned)
    return entries


def _clean_metadata(
    raw: Mapping[str, object], where: str, *, strict: bool, line_offset: int = 0
) -> tuple[dict[str, str], list[str]]:
    """Keep known keys with text values. ``strict``: report unknown keys (manifest).

    A value the YAML loader could not construct (:class:`_BadValue`) is reported with its line
    (plus ``line_offset``, the file line before the YAML text) and dropped; the other keys stay.
    """
    cleaned: dict[str, str] = {}
    messages: list[str] = []
    for raw_key, value in raw.items():
        key = str(raw_key)  # YAML keys may be numbers or dates
        if not strict:
            key = _FRONT_MATTER_ALIASES.get(key, key)
        if key not in _META_KEYS:
            if strict:
                messages.append(
                    f"{where}: unknown key '{key}' (known keys: {', '.join(_META_KEYS)}); ignored it"
                )
            continue
        if isinstance(value, _BadValue):
            messages.append(
                f"{where}: '{key}' on line {value.line + line_offset} is not valid "
                f"({value.text}: {value.why}); ignored it, the other keys are used"
            )
            continue
        text = _as_text(value)
        if text is None:
            if strict or value is not None:
                kind = "a yes/no value" if isinstance(value, bool) else type(value).__name__
                hint = " (put it in quotes)" if isinstance(value, bool) else ""
                messages.append(f"{where}: '{key}' should be text, not {kind}{hint}; ignored it")
            continue
        if key == "date" and text and not _HAS_YEAR.search(text):
            messages.append(f"{where}: date '{text}' is not a date (no year in it); ignored it")
            continue
        if text:
            cleaned[key] = text
    return cleaned, messages


#: A date names its year ("2020-05-01", "June 1851", "c. 1600"); "not-a-date", "tbd" do not.
_HAS_YEAR = re.compile(r"\d{3}")


def _str_keys(raw: Mapping[object, object]) -> dict[str, object]:
    return {str(key): value for key, value in raw.items()}


def _as_text(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(" ".join(str(v).split()) for v in value)
    return None

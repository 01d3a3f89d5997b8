"""A reload hands the old library's memory back: the old library is released first, then
:func:`bot.reload.release_memory` runs (the RSS figures are in benchmarks/README.md)."""

from __future__ import annotations

import types
import weakref
from pathlib import Path

import pytest

from bot import reload as reload_module
from bot.core.library import Library
from bot.core.loader import load_corpus


def _library(folder: Path, line: str) -> Library:
    (folder / "harbour.txt").write_text(
        f"The Harbour\n\n{line}\n\nThe gulls were loud over the quay that morning.\n", "utf-8"
    )
    return Library.build(load_corpus([folder]))


async def test_a_reload_releases_the_old_library_then_trims_the_heap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _library(tmp_path, "The ship left at noon.")
    gone = weakref.ref(old)
    bot = types.SimpleNamespace(library=old, settings=None)
    new = _library(tmp_path, "The ship came back at dusk.")
    seen: list[bool] = []
    monkeypatch.setattr(reload_module, "release_memory", lambda: seen.append(gone() is None))
    reloader = reload_module.Reloader(bot, load=lambda settings: new)  # type: ignore[arg-type]
    del old
    outcome = await reloader.reload("test")
    assert outcome.ok
    assert bot.library is new
    assert seen == [True]  # called once, with the old library already freed


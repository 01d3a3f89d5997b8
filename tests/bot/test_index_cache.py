"""A damaged search index cache is rebuilt and reported, through the CLI (``check``, ``search``).

The tests damage the saved index in ``corpus.cache_dir`` the way disks, crashes and people do (missing,
empty, cut short, bytes flipped, crafted with a valid fingerprint but wrong arrays) and check that
each command still answers exactly as with a fresh build, that the damage is named in a warning,
and that the index is rewritten. They go through the CLI (only the damage knows the folder's
layout: ``.npy`` arrays and ``meta.json`` with checksums).
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "CORPUSBOT_CONFIG", "CORPUSBOT_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text("corpus:\n  cache_dir: cache\n", encoding="utf-8")
    return path


def _cache_files(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file())


def _cache(tmp_path: Path) -> Path:
    """The saved index in the corpus store: a folder of ``.npy`` arrays and ``meta.json``."""
    (meta,) = [p for p in _cache_files(tmp_path) if p.name == "meta.json"]
    return meta.parent


def _search(capsys: pytest.CaptureFixture[str], config: Path, query: str) -> object:
    assert main(["search", query, "--json", "--config", str(config)]) == 0
    return json.loads(capsys.readouterr().out)


def _empty(folder: Path) -> None:
    (folder / "gaps.npy").write_bytes(b"")


def _truncated(folder: Path) -> None:
    path = folder / "keys.npy"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flipped(folder: Path) -> None:
    path = folder / "texts.npy"
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _crafted(change: Callable[[dict[str, np.ndarray]], None]) -> Callable[[Path], None]:
    """Rewrite arrays of the cache with valid checksums, sizes and shapes in ``meta.json``, keeping
    its fingerprint: only the index's own consistency checks can tell."""

    def damage(folder: Path) -> None:
        meta_path = folder / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy") for name in meta["arrays"]}
        change(arrays)
        for name in list(meta["arrays"]):
            path = folder / f"{name}.npy"
            if name not in arrays:
                path.unlink()
                del meta["arrays"][name]
                continue
            np.save(path, arrays[name], allow_pickle=False)
            data = path.read_bytes()
            meta["arrays"][name].update(
                bytes=len(data),
                shape=list(arrays[name].shape),
                crc32=f"{zlib.crc32(data):08x}",
            )
        meta_path.write_text(json.dumps(meta), encoding="utf-8")

    return damage


def _shift(arrays: dict[str, np.ndarray]) -> None:
    arrays["start"] = arrays["start"] + 1


def _postings_out_of_range(arrays: dict[str, np.ndarray]) -> None:
    arrays["gaps"][:] = 255  # each list's passage ids now run past the corpus


def _document_out_of_range(arrays: dict[str, np.ndarray]) -> None:
    arrays["doc"][:] = 7


def _fewer_rows(arrays: dict[str, np.ndarray]) -> None:
    arrays["end"] = arrays["end"][:-1]


def _missing_array(arrays: dict[str, np.ndarray]) -> None:
    del arrays["keys"]


DAMAGE = {
    "empty": _empty,
    "truncated": _truncated,
    "bytes flipped": _flipped,
    "passages shifted by one character": _crafted(_shift),
    "postings past the last passage": _crafted(_postings_out_of_range),
    "a document number past the corpus": _crafted(_document_out_of_range),
    "arrays of different lengths": _crafted(_fewer_rows),
    "an array missing": _crafted(_missing_array),
}


@pytest.mark.parametrize("how", list(DAMAGE))
def test_a_damaged_cache_is_rebuilt_and_reported(
    how: str,
    tmp_path: Path,
    config: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = _search(capsys, config, "jaw jaw")  # builds and writes the cache
    cache = _cache(tmp_path)
    DAMAGE[how](cache)

    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert "0 derived, search index" in out.out  # rebuilt
    (warning,) = [line for line in out.err.splitlines() if "WARNING" in line]
    assert str(cache) in warning
    assert "rebuilt" in warning

    # The rebuilt file is good again: used as is, with the same answers as a fresh build.
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr()
    assert "with quotes and summaries, search index" in out.out  # from the store
    assert "rebuilt" not in out.err
    assert _search(capsys, config, "jaw jaw") == expected


@pytest.mark.parametrize("how", ["empty", "passages shifted by one character"])
def test_search_on_a_damaged_cache_answers_as_a_fresh_build(
    how: str, tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _search(capsys, config, "hold Kim to account")
    cache = _cache(tmp_path)
    DAMAGE[how](cache)
    assert _search(capsys, config, "hold Kim to account") == expected


def test_a_missing_cache_is_built_without_a_warning(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--config", str(config)]) == 0
    assert "WARNING" not in capsys.readouterr().err
    assert _cache_files(tmp_path)

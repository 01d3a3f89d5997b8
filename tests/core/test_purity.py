"""``bot/core`` is pure: no discord, no network, no event loop (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"
FORBIDDEN = {
    "discord",
    "aiohttp",
    "asyncio",
    "socket",
    "requests",
    "urllib",
    "http",
    "aiosqlite",
    "sqlite3",
}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_modules_import_nothing_forbidden() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= 8, "the core package is missing modules"
    offenders = {str(f.relative_to(CORE)): sorted(_imported_roots(f) & FORBIDDEN) for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_core_does_not_load_discord() -> None:
    modules = " ".join(
        ".".join(("bot", "core", *f.relative_to(CORE).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for f in sorted(CORE.rglob("*.py"))
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules.split()!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'discord', 'aiohttp'})\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr

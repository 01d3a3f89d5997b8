"""Small helpers shared by the loader's fault tests."""

from __future__ import annotations

from pathlib import Path

from bot.core.models import Document


def texts(document: Document) -> list[str]:
    """The document's paragraph texts, in order."""
    return [p.text for p in document.paragraphs]


def write(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) at ``path``, creating folders; return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

"""Word documents (``.docx``), read with python-docx (MIT).

The body's paragraphs in order (tables, headers, footers, comments and footnotes are not body
text). A paragraph in a heading style ("Heading 1" to "Heading 9", or a built-in style based on
one) starts a section of that level; a paragraph in the "Title" style is the title when the
core properties give none (never a body paragraph), and "Subtitle" the standfirst. Core properties give title, author
and date (created). A line break inside a paragraph joins like a wrapped line of plain text; italic runs are the
paragraph's emphasis.
A password-protected Word file is not a ZIP archive but an OLE container: it is reported as
"encrypted".
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from bot.core.emphasis import CLOSE, OPEN, strip_marks
from bot.core.loader._blocks import _Block, _join_lines, _Source, _text_lines
from bot.core.loader._errors import DocumentError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"heading\s*([1-9])", re.IGNORECASE)


def read_docx(data: bytes) -> _Source:
    """Paragraphs, headings and core properties of a ``.docx`` file.

    Raises:
        DocumentError: encrypted, an old binary ``.doc``, not a Word file, or no text.
    """
    import docx  # imported here: a corpus without Word files does not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        raise DocumentError(
            "encrypted or an old binary Word file: give an unprotected copy saved as .docx"
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile):
        raise DocumentError("not a Word .docx file (not a ZIP archive of one)") from None
    except (KeyError, ValueError, AttributeError) as error:
        raise DocumentError(f"broken Word .docx file ({error})") from None
    metadata = _core_properties(document.core_properties)
    blocks: list[_Block] = []
    styles = _style_names(document)
    default = styles.get(None, [])
    for paragraph in document.paragraphs:
        lines = _text_lines(_marked_text(paragraph).split("\n"))
        if not lines:
            continue
        text = _join_lines(lines)
        style = styles.get(paragraph._p.style, default)
        level = next((int(m.group(1)) for s in style if (m := _HEADING_STYLE.search(s))), 0)
        if "title" in style:  # the title is metadata, never body text
            metadata.setdefault("title", strip_marks(text))
        elif "subtitle" in style and "standfirst" not in metadata and not blocks:
            metadata["standfirst"] = strip_marks(text)
        elif level:
            blocks.append(_Block(text, 1, heading=True, level=level))
        else:
            blocks.append(_Block(text, len(lines)))
    if not any(not b.heading for b in blocks):
        raise DocumentError("has no text (a Word file with no body paragraphs)")
    return _Source("docx", metadata, blocks=blocks)


def _marked_text(paragraph: Any) -> str:
    """A paragraph's text with its italic runs marked as emphasis (:mod:`bot.core.emphasis`)."""
    runs = paragraph.runs
    if not any(run.italic for run in runs):
        return str(paragraph.text)
    parts: list[str] = []
    for item in paragraph.iter_inner_content():
        text = str(item.text)
        italic = getattr(item, "italic", False)
        parts.append(f"{OPEN}{text}{CLOSE}" if italic and text.strip() else text)
    return "".join(parts)


def _core_properties(properties: object) -> dict[str, str]:
    """Title, author and date (created) from a document's core properties."""
    metadata: dict[str, str] = {}
    for field, key in (("title", "title"), ("author", "author")):
        value = getattr(properties, field, None)
        if isinstance(value, str) and value.strip():
            metadata[key] = " ".join(value.split())
    created = getattr(properties, "created", None)
    if isinstance(created, dt.datetime):
        metadata["date"] = created.date().isoformat()
    return metadata


def _style_names(document: object) -> dict[str | None, list[str]]:
    """Each paragraph style id -> its name and the names of the styles it is based on (lower
    case); ``None`` -> the default paragraph style's. Read once: a per-paragraph style lookup
    costs python-docx a search of the styles part."""
    names: dict[str | None, list[str]] = {}
    for style in document.styles:  # type: ignore[attr-defined]
        chain: list[str] = []
        current = style
        while current is not None and len(chain) < 5:
            name = getattr(current, "name", None)
            if name:
                chain.append(str(name).lower())
            current = getattr(current, "base_style", None)
        style_id = getattr(style, "style_id", None)
        names[style_id] = chain
        if getattr(style, "default", False) and getattr(style, "type", None) == 1:
            names[None] = chain
    return names

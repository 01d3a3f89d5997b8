"""EPUB 2 and 3 e-books, read with the standard library's :mod:`zipfile` and lxml.

An EPUB is a ZIP archive: ``META-INF/container.xml`` names the package file (OPF), whose
metadata gives title, creator (author; several are joined with ", "), language and date, whose
manifest lists the files and whose spine gives the reading order. Chapter titles come from the
navigation document (EPUB 3 ``nav``) or the NCX (EPUB 2): a spine file that a table-of-contents
entry points at starts a section with that entry's title; the headings inside the chapters
(``h1``-``h6``) are sections too, and a heading that repeats the entry's title is not doubled.
An entry titled only with a number ("190") gives way to the chapter's own heading, or reads
"Chapter 190" when the chapter has none; a heading that is only a number takes the title of
the table-of-contents entry that starts with it ("190 A FOUR-LEAVED CLOVER"), else reads
"Chapter 190".

Not body text: an author's name in capitals right after a heading (an anthology's byline,
"HANS CHRISTIAN ANDERSEN"), the navigation document itself, spine items marked ``linear="no"``, and front
and back matter recognised by the ``epub:type`` of the file's ``body``/``section`` or the
package guide (cover, title page, table of contents, copyright page, colophon, imprint,
half-title) or, failing those, by the file name (``cover``, ``toc``, ``copyright``,
``titlepage``, ``colophon``). Footnote markers and footnote bodies are dropped and ruby
readings left out (:mod:`._markup`), so Japanese and Chinese text reads as printed.

ebooklib (AGPL) is not used; the format is simple enough for 200 lines over lxml.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from bot.core.emphasis import strip_marks
from bot.core.loader._blocks import _Block, _Source
from bot.core.loader._errors import DocumentError
from bot.core.loader._markup import element_blocks

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "ops": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
_MATTER = re.compile(
    r"\b(?:cover|titlepage|halftitlepage|title-page|toc|copyright-page|copyright|colophon"
    r"|imprint|landmarks|loi|lot)\b"
)
#: A navigation label that is only a number ("190", "XII."): not a title on its own.
_NUMBER_ONLY = re.compile(r"(?:\d{1,5}|[IVXLCDM]{1,8}|[ivxlcdm]{1,8})\.?")
_MATTER_NAME = re.compile(
    r"(?:^|[/_.-])(?:cover|toc|contents|copyright|titlepage|title-page|colophon|imprint)"
    r"(?:[/_.-]|\d|$)",
    re.IGNORECASE,
)
MAX_MEMBER_BYTES = 200_000_000  # a zip bomb is refused, not expanded
_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)


@dataclass(frozen=True, slots=True)
class _Entry:
    title: str
    fragment: str
    depth: int


def read_epub(data: bytes) -> _Source:
    """The chapters and metadata of an EPUB (rules in the module docstring).

    Raises:
        DocumentError: not a ZIP archive, no package file, encrypted (DRM), or no text.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        if data.startswith(b"PK"):  # a ZIP archive cut short or corrupted
            raise DocumentError(
                "damaged EPUB file (its ZIP archive is cut short or corrupted: no directory "
                "of its contents); give a complete copy"
            ) from None
        raise DocumentError("not an EPUB file (it is not a ZIP archive)") from None
    with archive:
        if _encrypted_content(archive):
            raise DocumentError("encrypted (DRM): give a copy without digital rights management")
        opf_path = _package_path(archive)
        package = _xml(archive, opf_path)
        base = posixpath.dirname(opf_path)
        metadata = _metadata(package)
        manifest = {
            item.get("id"): item
            for item in package.iterfind("opf:manifest/opf:item", _NS)
            if item.get("id")
        }
        entries = _toc(archive, package, manifest, base)
        skipped = _guide_matter(package, base)
        blocks: list[_Block] = []
        for itemref in package.iterfind("opf:spine/opf:itemref", _NS):
            item = manifest.get(itemref.get("idref"))
            if item is None or itemref.get("linear") == "no":
                continue
            href = _join(base, item.get("href") or "")
            properties = item.get("properties") or ""
            if (
                "nav" in properties.split()
                or href in skipped
                or "html" not in (item.get("media-type") or "")
            ):
                continue
            blocks.extend(_chapter(archive, href, entries.get(href, [])))
    if not any(not b.heading for b in blocks):
        raise DocumentError("has no text (an EPUB whose chapters hold no readable text)")
    return _Source("epub", metadata, blocks=blocks)


def _encrypted_content(archive: zipfile.ZipFile) -> bool:
    """True when encryption.xml covers content files (fonts alone are only obfuscated)."""
    name = next((n for n in archive.namelist() if n.lower() == "meta-inf/encryption.xml"), None)
    if name is None:
        return False
    root = etree.fromstring(_member(archive, name), _PARSER)
    if root is None:
        return False
    uris = [ref.get("URI") or "" for ref in root.iter("{*}CipherReference")]
    return any(not re.search(r"\.(?:ttf|otf|woff2?)$", uri, re.IGNORECASE) for uri in uris)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise DocumentError(f"broken EPUB: it names {name}, which is not in the archive") from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise DocumentError(f"broken EPUB: {name} would expand to {info.file_size:,} bytes")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise DocumentError(f"broken EPUB: {name} cannot be read ({error})") from None


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    root = etree.fromstring(_member(archive, name), _PARSER)
    if root is None:
        raise DocumentError(f"broken EPUB: {name} is not XML")
    return root


def _package_path(archive: zipfile.ZipFile) -> str:
    """The OPF file named by ``META-INF/container.xml`` (else the first ``.opf`` in the archive)."""
    names = archive.namelist()
    if "META-INF/container.xml" in names:
        container = _xml(archive, "META-INF/container.xml")
        rootfile = container.find("c:rootfiles/c:rootfile", _NS)
        if rootfile is not None and rootfile.get("full-path"):
            return str(rootfile.get("full-path"))
    found = [n for n in names if n.lower().endswith(".opf")]
    if not found:
        raise DocumentError("not an EPUB file (no package file: META-INF/container.xml, .opf)")
    return found[0]


def _metadata(package: etree._Element) -> dict[str, str]:
    """Title, author (creators joined), date and language from the package's metadata."""
    meta = package.find("opf:metadata", _NS)
    if meta is None:
        return {}

    def texts(tag: str) -> list[str]:
        found = (" ".join("".join(e.itertext()).split()) for e in meta.iterfind(f"dc:{tag}", _NS))
        return [t for t in found if t]

    result: dict[str, str] = {}
    if titles := texts("title"):
        result["title"] = titles[0]
    if creators := texts("creator"):
        result["author"] = ", ".join(dict.fromkeys(creators))
    if dates := texts("date"):
        result["date"] = dates[0][:10]
    return result


def _join(base: str, href: str) -> str:
    """A path inside the archive from an href relative to ``base`` (fragment removed)."""
    raw = href.split("#", 1)[0]
    path = re.sub(  # percent-decoding ("Chapter%201.xhtml")
        rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw.encode()
    ).decode("utf-8", "replace")
    return posixpath.normpath(posixpath.join(base, path)) if path else ""


def _toc(
    archive: zipfile.ZipFile,
    package: etree._Element,
    manifest: dict[str | None, etree._Element],
    base: str,
) -> dict[str, list[_Entry]]:
    """Table-of-contents entries by file: from the EPUB 3 nav, else the EPUB 2 NCX."""
    nav = next((i for i in manifest.values() if "nav" in (i.get("properties") or "").split()), None)
    entries: dict[str, list[_Entry]] = {}
    if nav is not None:
        path = _join(base, nav.get("href") or "")
        root = _xml(archive, path)
        for toc in root.iter("{*}nav"):
            kind = toc.get(f"{{{_NS['ops']}}}type") or toc.get("role") or ""
            if "toc" in kind:
                _nav_entries(toc, posixpath.dirname(path), 1, entries)
                break
    if entries:
        return entries
    spine = package.find("opf:spine", _NS)
    ncx = manifest.get(spine.get("toc") if spine is not None else None)
    if ncx is not None:
        path = _join(base, ncx.get("href") or "")
        root = _xml(archive, path)
        _ncx_entries(root.find("ncx:navMap", _NS), posixpath.dirname(path), 1, entries)
    return entries


def _nav_entries(
    element: etree._Element, base: str, depth: int, entries: dict[str, list[_Entry]]
) -> None:
    for item in element.iterfind("x:ol/x:li", _NS):
        link = item.find("x:a", _NS)
        if link is not None and link.get("href"):
            href = link.get("href") or ""
            title = " ".join("".join(link.itertext()).split())
            fragment = href.split("#", 1)[1] if "#" in href else ""
            if title:
                entries.setdefault(_join(base, href), []).append(_Entry(title, fragment, depth))
        _nav_entries(item, base, depth + 1, entries)


def _ncx_entries(
    element: etree._Element | None, base: str, depth: int, entries: dict[str, list[_Entry]]
) -> None:
    if element is None:
        return
    for point in element.iterfind("ncx:navPoint", _NS):
        label = point.find("ncx:navLabel/ncx:text", _NS)
        content = point.find("ncx:content", _NS)
        if label is not None and content is not None and content.get("src"):
            src = content.get("src") or ""
            title = " ".join("".join(label.itertext()).split())
            fragment = src.split("#", 1)[1] if "#" in src else ""
            if title:
                entries.setdefault(_join(base, src), []).append(_Entry(title, fragment, depth))
        _ncx_entries(point, base, depth + 1, entries)


def _guide_matter(package: etree._Element, base: str) -> set[str]:
    """Files the EPUB 2 guide marks as cover, title page, contents or copyright page."""
    found: set[str] = set()
    for reference in package.iterfind("opf:guide/opf:reference", _NS):
        if _MATTER.search((reference.get("type") or "").lower()):
            found.add(_join(base, reference.get("href") or ""))
    return found


def _chapter(archive: zipfile.ZipFile, href: str, entries: list[_Entry]) -> list[_Block]:
    """The blocks of one spine file, with a heading for its table-of-contents entry."""
    root = _xml(archive, href)
    body = root.find("x:body", _NS)
    if body is None:
        body = next(root.iter("{*}body"), root)
    kinds = " ".join(
        e.get(f"{{{_NS['ops']}}}type") or "" for e in (body, *body.iterfind("x:section", _NS))
    )
    if _MATTER.search(kinds.lower()) or (not kinds.strip() and _MATTER_NAME.search(href)):
        return []
    blocks = _without_bylines(element_blocks(body))
    _name_numbered_headings(blocks, entries)
    whole_file = [e for e in entries if not e.fragment]
    if whole_file:
        entry = whole_file[0]
        numbered = _NUMBER_ONLY.fullmatch(entry.title) is not None
        if numbered and blocks and blocks[0].heading:
            blocks[0].level = entry.depth  # "190" says less than the chapter's own heading
        elif numbered:
            blocks.insert(0, _Block(f"Chapter {entry.title}", 1, heading=True, level=entry.depth))
        elif blocks and blocks[0].heading and _same(blocks[0].text, entry.title):
            # The fuller of the two: "Chapter One: The Harbour" over "Chapter One".
            if len(entry.title) > len(blocks[0].text):
                blocks[0].text = entry.title
            blocks[0].level = entry.depth
        else:
            blocks.insert(0, _Block(entry.title, 1, heading=True, level=entry.depth))
    return blocks


#: A story's byline under its heading: a name in capitals, perhaps with a note in brackets
#: ("ABRAM S. ISAACS", "HANS CHRISTIAN ANDERSEN (Version by Alice Corbin Henderson)").
_BYLINE = re.compile(r"[A-Z][A-Z'’.-]*(?:\s+[A-Z][A-Z'’.-]*){1,5}(?:\s+\([^()\n]{1,60}\))?")
_NOT_NAMES = frozenset(
    ["CHAPTER", "PART", "BOOK", "VOLUME", "THE", "END", "CONTENTS", "PREFACE", "INTRODUCTION"]
)


def _without_bylines(blocks: list[_Block]) -> list[_Block]:
    """``blocks`` without the author's name in capitals right after a heading: an anthology's
    byline is not body text (it would be quoted and summarised); it is dropped."""
    return [
        block
        for i, block in enumerate(blocks)
        if not (i and blocks[i - 1].heading and not block.heading and _is_byline(block.text))
    ]


def _is_byline(text: str) -> bool:
    text = strip_marks(text).strip()
    match = _BYLINE.fullmatch(text)
    if match is None:
        return False
    words = text.split("(")[0].split()
    return not _NOT_NAMES.intersection(w.strip(".") for w in words) and any(
        len(w.strip(".")) > 1 for w in words
    )


def _name_numbered_headings(blocks: list[_Block], entries: list[_Entry]) -> None:
    """Give a heading that is only a number ("190") the table-of-contents title that starts
    with that number ("190 A Four-Leaved Clover"), else call it "Chapter 190"."""
    titles: dict[str, str] = {}
    for entry in entries:
        number, _, rest = entry.title.partition(" ")
        if rest and _NUMBER_ONLY.fullmatch(number):
            titles.setdefault(number.rstrip("."), entry.title)
    for block in blocks:
        if block.heading and _NUMBER_ONLY.fullmatch(block.text):
            block.text = titles.get(block.text.rstrip(".")) or f"Chapter {block.text}"


def _same(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return " ".join(re.findall(r"\w+", text.casefold()))

    return key(a) == key(b) or key(a) in key(b) or key(b) in key(a)

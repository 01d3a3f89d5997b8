"""Regenerate the fonts quote cards ship with (``bot/cards/fonts/``), with their licences.

Sources, all under the SIL Open Font License 1.1:

* Noto Serif, Noto Sans, Noto Naskh Arabic, Noto Sans Hebrew: Debian's ``fonts-noto-core``;
* Noto Sans CJK (Simplified Chinese face of the collection): Debian's ``fonts-noto-cjk``,
  cut down to the common characters (GB 2312 level-1 hanzi, JIS X 0208 level-1 kanji, the
  KS X 1001 hangul syllables, kana, CJK punctuation and full-width forms), which keeps the file
  at a few MB instead of 19;
* Noto Emoji (monochrome): the npm package ``@expo-google-fonts/noto-emoji``.

Run from the repository root on a Debian machine with ``apt-get``, ``npm`` and
``pip install fonttools``:  ``python tools/make_card_fonts.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

OUT = Path(__file__).resolve().parents[1] / "bot" / "cards" / "fonts"
CORE = ("NotoSerif-Regular", "NotoSans-Regular", "NotoNaskhArabic-Regular",
        "NotoSansHebrew-Regular")
SC_FACE = "Noto Sans CJK SC"


def _range_decode(codec: str, lead: range, trail: range) -> set[int]:
    chars = set()
    for a in lead:
        for b in trail:
            try:
                chars.add(ord(bytes([a, b]).decode(codec)))
            except UnicodeDecodeError:
                pass
    return chars


def cjk_codepoints() -> set[int]:
    """The common CJK characters kept in the subset."""
    keep = _range_decode("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))  # GB 2312 level 1
    keep |= _range_decode("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF))  # JIS level 1
    keep |= _range_decode("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))  # KS X 1001 hangul
    keep |= set(range(0x3000, 0x3100))  # CJK punctuation, hiragana, katakana
    keep |= set(range(0xFF00, 0xFFF0))  # full-width forms
    keep |= set(range(0x20, 0x7F))
    return keep


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(["apt-get", "download", "fonts-noto-core", "fonts-noto-cjk"], cwd=work,
                       check=True)
        for deb in work.glob("*.deb"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "x")], check=True)
        subprocess.run(["npm", "pack", "@expo-google-fonts/noto-emoji"], cwd=work, check=True)
        with tarfile.open(next(work.glob("expo-google-fonts-noto-emoji-*.tgz"))) as tgz:
            tgz.extractall(work, filter="data")
        OUT.mkdir(parents=True, exist_ok=True)
        noto = work / "x/usr/share/fonts/truetype/noto"
        for name in CORE:
            shutil.copy(noto / f"{name}.ttf", OUT / f"{name}.ttf")
        shutil.copy(work / "package/400Regular/NotoEmoji_400Regular.ttf",
                    OUT / "NotoEmoji-Regular.ttf")
        collection = TTCollection(work / "x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
        face = next(f for f in collection.fonts if f["name"].getDebugName(1) == SC_FACE)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=cjk_codepoints())
        subsetter.subset(face)
        face.save(OUT / "NotoSansCJKsc-Common.otf")
        shutil.copy(work / "package/LICENSE_FONT", OUT / "OFL.txt")
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:>10,}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

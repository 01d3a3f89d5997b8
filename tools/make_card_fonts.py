"""Regenerate the fonts quote cards ship with (``bot/cards/fonts/``), with their licences.

Sources, all under the SIL Open Font License 1.1:

* Noto Serif, Noto Sans, Noto Naskh Arabic, Noto Sans Hebrew: Debian's ``fonts-noto-core``;
* Noto Sans CJK (Simplified Chinese face of the collection): Debian's ``fonts-noto-cjk``,
  cut down to the common characters (GB 2312 level-1 hanzi, JIS X 0208 level-1 kanji, the
  KS X 1001 hangul syllables, kana, CJK punctuation and full-width forms), which keeps the file
  at a few MB instead of 19;
* Noto Emoji (monochrome): the npm package ``@expo-google-fonts/noto-emoji``;
* Droid Sans Fallback (Apache License 2.0, ``LICENSE-Apache-2.0.txt``): Debian's
  ``fonts-droid-fallback``, cut down to what the Noto subset lacks of the CJK Unified
  Ideographs block (U+4E00-U+9FFF), the hangul syllables and kana: the rarer characters (such
  as 徼 in the Dao De Jing) are drawn instead of a box, for about 2 MB more than the Noto subset
  alone (the whole block from Noto would be 13 MB).

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
    keep |= set(range(0x9FA6, 0x9FF0))  # the block's later additions, which Droid lacks
    return keep


#: The blocks the two CJK fonts together cover completely, but for U+9FF0-U+9FFF (Unicode 13
#: and 14, newer than both fonts).
CJK_BLOCKS = (
    range(0x4E00, 0xA000),  # CJK Unified Ideographs
    range(0xAC00, 0xD7A4),  # hangul syllables
    range(0x3041, 0x3097),  # hiragana
    range(0x30A1, 0x30FB),  # katakana
)


def droid_rare(droid: Path, noto_subset: Path, out: Path) -> None:
    """Droid Sans Fallback cut to the characters of :data:`CJK_BLOCKS` the Noto subset lacks."""
    from fontTools.ttLib import TTFont

    have = set(TTFont(noto_subset, lazy=True).getBestCmap())
    wanted = {c for block in CJK_BLOCKS for c in block if c not in have}
    font = TTFont(droid)
    options = subset.Options()
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    font.save(out)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(["apt-get", "download", "fonts-noto-core", "fonts-noto-cjk",
                        "fonts-droid-fallback"], cwd=work, check=True)
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
        droid_rare(work / "x/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
                   OUT / "NotoSansCJKsc-Common.otf", OUT / "DroidSansFallback-Rare.ttf")
        shutil.copy("/usr/share/common-licenses/Apache-2.0", OUT / "LICENSE-Apache-2.0.txt")
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:>10,}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

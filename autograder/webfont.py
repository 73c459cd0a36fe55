"""A Korean-capable font embedded in every HTML page, so that feedback reads the same on a
server, a container or a student's laptop without CJK fonts (there Hangul shows as empty boxes).

The bundled file (fonts/autograder-hangul.woff) is NanumGothic from Debian's fonts-nanum,
SIL OFL 1.1 (fonts/OFL.txt), cut to Latin, punctuation, arrows, mathematical symbols and all
11,172 Hangul syllables, and renamed as the licence asks of a modified font. A page embeds
only the glyphs it uses: one subset, built once per process for the characters of every
message the grader can say plus ASCII, serves every page whose text stays inside it; a page
with other characters (a student's printed output) gets its own.
`python -m autograder.webfont SOURCE.ttf` rebuilds the bundle.
"""
from __future__ import annotations

import base64
import functools
import io
import sys
from pathlib import Path

BUNDLE = Path(__file__).with_name("fonts") / "autograder-hangul.woff"
FAMILY = "Autograder Hangul"
# code points kept in the bundle: ASCII, Latin-1 and Latin Extended-A, general punctuation,
# super/subscripts, arrows, mathematical operators, Hangul compatibility jamo, Hangul syllables
BUNDLE_RANGES = ((0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2070, 0x20A0),
                 (0x2190, 0x2200), (0x2200, 0x2300), (0x3130, 0x3190), (0xAC00, 0xD7A4))
_CACHED: list[tuple[frozenset, str]] = []          # (characters covered, @font-face rule)
_CACHE_SIZE = 8


def font_face(text: str) -> str:
    """A CSS @font-face rule for FAMILY holding the glyphs of `text` (and of every message of
    the grader), as a data URI: the page stays one self-contained file."""
    needed = frozenset(text) | _message_characters()
    for covered, rule in _CACHED:
        if needed <= covered:
            return rule
    rule = _rule(_subset(needed))
    _CACHED.insert(0, (needed, rule))
    del _CACHED[_CACHE_SIZE:]
    return rule


@functools.lru_cache(maxsize=1)
def _message_characters() -> frozenset:
    """Every character of ASCII, the message catalogue and the registry's explanations."""
    from autograder.i18n import DETAILS_KO, MESSAGES
    from autograder.registry import all_problems
    texts = [text for by_lang in MESSAGES.values() for text in by_lang.values()]
    texts += [str(item) for item in DETAILS_KO]
    texts += [text for problem in all_problems().values() for m in problem.misconceptions
              for text in m.text.values()]
    return frozenset("".join(texts)) | frozenset(map(chr, range(0x20, 0x7F)))


def _subset(characters: frozenset) -> bytes:
    buffer = io.BytesIO()
    _cut(BUNDLE, sorted(map(ord, characters))).save(buffer)
    return buffer.getvalue()


def _cut(source: Path, unicodes: list[int], keep_names: bool = False):
    """`source` as a WOFF font holding only `unicodes`, unhinted (hints are for small screens
    of another era and most of the size)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.notdef_outline = True
    if keep_names:
        options.name_IDs = ["*"]
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.flavor = "woff"
    return font


def _rule(woff: bytes) -> str:
    data = base64.b64encode(woff).decode("ascii")
    return (f'@font-face{{font-family:"{FAMILY}";font-display:block;'
            f'src:url(data:font/woff;base64,{data}) format("woff")}}')


def build_bundle(source: Path, target: Path = BUNDLE) -> int:
    """Cut `source` (NanumGothic.ttf) to BUNDLE_RANGES and rename it: the OFL reserves the
    name Nanum for the original font. Returns the size written."""
    font = _cut(source, [c for lo, hi in BUNDLE_RANGES for c in range(lo, hi)], keep_names=True)
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = FAMILY.replace(" ", "") if record.nameID == 6 else FAMILY
    font.save(target)
    return target.stat().st_size


if __name__ == "__main__":
    print(build_bundle(Path(sys.argv[1]) if len(sys.argv) > 1
                       else Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")))

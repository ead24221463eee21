"""Count 字数 the way Microsoft Word does (字数统计 → 字数).

Word's 字数 is 中文字符和朝鲜语单词 + 非中文单词. The regulations' report limits (e.g. 虹口
第五条: ≤ 30,000 字 for organizations, ≤ 10,000 字 for individuals) are checked against it.
The convention implemented here:

1. Each East Asian character counts one: CJK Unified Ideographs with all extensions (planes 2
   and 3 included), CJK Compatibility Ideographs, radicals and strokes, Japanese kana (full and
   half width), Bopomofo, CJK Symbols and Punctuation (、。「」《》【】〔〕 …), the full-width forms
   (，；：？！（）and full-width letters and digits ＡＢ１２), vertical and compatibility forms.
   "质量，管理。" is 6.
2. A non-Chinese word counts one: a maximal run of characters that are neither whitespace nor
   East Asian characters and that contains at least one letter or digit. Punctuation inside
   the run belongs to the word: "GB/T19580-2012" is 1, "GB/T 19580 标准" is 4, "2023年" is 2.
   Korean is counted here, by words, as Word does (the "朝鲜语单词" part of the count): "한국어"
   is 1, not 3.
3. A run with no letter or digit (ASCII punctuation on its own, such as "," between Chinese
   characters or a lone "-") counts nothing, except for the punctuation that Chinese text shares
   with English — “ ” ‘ ’ — … · — which counts one each when it stands in such a run, as a
   full-width mark does: "“质量”" is 4, while "“quality”" is 1.
4. Whitespace (including the ideographic space U+3000, no-break space, zero-width space and
   the byte-order mark) separates and counts nothing.
"""

from __future__ import annotations

import re

_EAST_ASIAN = (
    "\u2e80-\u2fdf"  # CJK radicals supplement, Kangxi radicals
    "\u2ff0-\u2fff"  # ideographic description characters
    "\u3001-\u303f"  # CJK symbols and punctuation (U+3000 is a space)
    "\u3040-\u312f"  # hiragana, katakana, bopomofo
    "\u3190-\u31ff"  # kanbun, bopomofo extended, CJK strokes, katakana extensions
    "\u3200-\u33ff"  # enclosed CJK letters and months, CJK compatibility
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe10-\ufe1f\ufe30-\ufe4f"  # vertical forms, CJK compatibility forms
    "\uff01-\uff9f"  # full-width ASCII variants, half-width CJK punctuation and katakana
    "\uffe0-\uffe6"  # full-width signs
    "\U0001aff0-\U0001b16f"  # kana supplement and extensions
    "\U00020000-\U0003ffff"  # CJK extensions B-H, compatibility supplement
)
_SHARED_PUNCTUATION = "“”‘’—…·"
_SPACE = r"\s\u200b\ufeff"

_CHAR = re.compile(f"[{_EAST_ASIAN}]")
# An East Asian character, or a maximal run of anything else that is not a space.
_TOKEN = re.compile(f"[{_EAST_ASIAN}]|[^{_EAST_ASIAN}{_SPACE}]+")


def count_words(text: str) -> int:
    """字数 of `text` as Microsoft Word counts it (see the module docstring)."""
    count = 0
    for token in _TOKEN.findall(text):
        if _CHAR.fullmatch(token) or any(ch.isalnum() for ch in token):
            count += 1
        else:
            count += sum(ch in _SHARED_PUNCTUATION for ch in token)
    return count

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.criteria import count_words


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("卓越绩效评价准则", 8),
        ("GB/T 19580 标准", 4),
        ("质量，管理。", 6),
        ("GB/T19580-2012", 1),
        ("2023年", 2),
        ("《卓越绩效评价准则》（GB/T 19580-2012）", 14),
        ("“质量”", 4),
        ("“quality”", 1),
        ("don't stop", 2),
        ("质量,管理", 4),
        ("a - b", 2),
        ("……——", 4),
        ("ＡＢ１２", 4),
        ("ひらがな カタカナ", 8),
        ("한국어 단어", 2),
        ("𠀀𠀁", 2),
        ("\u3000质量\u3000管理\n", 4),
        ("", 0),
        ("   \n\t", 0),
    ],
)
def test_words_are_counted_as_microsoft_word_counts_zishu(text: str, count: int) -> None:
    assert count_words(text) == count


cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1)
latin_word = st.text(st.sampled_from("abcXYZ0123/-.'"), min_size=1).filter(
    lambda w: any(ch.isalnum() for ch in w)
)


@given(st.lists(cjk))
def test_chinese_text_joined_by_spaces_counts_every_character(parts: list[str]) -> None:
    assert count_words(" ".join(parts)) == sum(len(p) for p in parts)
    assert count_words(" ".join(parts)) == sum(count_words(p) for p in parts)


@given(st.lists(latin_word))
def test_each_space_separated_latin_word_counts_one(words: list[str]) -> None:
    assert count_words(" ".join(words)) == len(words)


@given(st.lists(st.one_of(cjk, latin_word)))
def test_counts_add_up_over_space_separated_parts(parts: list[str]) -> None:
    assert count_words("\n".join(parts)) == sum(count_words(p) for p in parts)

"""Real-name checks for objections (异议须实名): identity numbers, phones, names."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.identity import (
    CREDIT_CODE_ALPHABET,
    IdentityError,
    IdentityProblem,
    Objector,
    check_objector,
    classify_id_number,
    credit_code_check_char,
    credit_code_problems,
    id_number_problems,
    is_credit_code,
    is_resident_id,
    name_problems,
    normalize_name,
    normalize_objector,
    normalize_phone,
    organization_name_problems,
    person_name_problems,
    phone_problems,
    resident_id_check_char,
    resident_id_problems,
)

TODAY = dt.date(2026, 12, 2)

# The example of GB 11643-1999 (a woman born 1949-12-31 in 北京 朝阳区).
STANDARD_RESIDENT_ID = "11010519491231002X"
# Codes found online, listed valid by python-stdnum's tests.
KNOWN_CREDIT_CODES = [
    "121200004013590816", "91110000600037341L", "91110000710926094P", "91120224064012553U",
    "911522010783710635", "91152201078371135X", "91310000631696382C", "91310115MA1K3BTP2B",
    "9131012056010553X5", "91340600MA2PBM9HXD", "91340603MA2UJXXCXF", "91620105L015101280",
    "92340602MA2PBMEM24", "92340621MA2UK3PJXE",
]


def codes(problems: list[IdentityProblem]) -> list[str]:
    return [p.code for p in problems]


def resident(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


# --- resident identity numbers ----------------------------------------------------------------


def test_the_standards_example_is_valid() -> None:
    assert is_resident_id(STANDARD_RESIDENT_ID, today=TODAY)
    assert resident_id_check_char(STANDARD_RESIDENT_ID[:17]) == "X"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("11010519491231002x", [], id="a lowercase x is accepted"),
        pytest.param(" 110105 19491231 002X ", [], id="spaces are ignored"),
        pytest.param("110105-19491231-002X", [], id="hyphens are ignored"),
        pytest.param("１１０１０５１９４９１２３１００２Ｘ", [], id="full-width characters"),
        pytest.param("110105194912310021", ["resident_id.checksum"], id="a wrong check digit"),
        pytest.param("11010519491231002", ["id_number.length"], id="17 characters"),
        pytest.param("11010519491231002XX", ["id_number.length"], id="19 characters"),
        pytest.param("1101051949123100AX", ["resident_id.characters"], id="a letter inside"),
        pytest.param(resident("01010519491231002"), ["resident_id.region"],
                     id="region code starting with 0"),
        pytest.param(resident("91010519491231002"), ["resident_id.region"],
                     id="region code starting with 9"),
        pytest.param(resident("81010519491231002"), [], id="region code starting with 8"),
        pytest.param(resident("11010518991231002"), ["resident_id.birth_date"],
                     id="born 31 December 1899"),
        pytest.param(resident("11010519000101002"), [], id="born 1 January 1900"),
        pytest.param(resident("11010520261202002"), [], id="born today"),
        pytest.param(resident("11010520261203002"), ["resident_id.birth_date"],
                     id="born tomorrow"),
        pytest.param(resident("11010519490230002"), ["resident_id.birth_date"],
                     id="born on 30 February"),
        pytest.param(resident("11010520000229002"), [], id="born on 29 February 2000"),
        pytest.param(resident("11010519000229002"), ["resident_id.birth_date"],
                     id="29 February 1900 did not exist"),
        pytest.param(resident("01010519000229002"),
                     ["resident_id.region", "resident_id.birth_date"],
                     id="region and date both wrong: both named"),
    ],
)
def test_resident_id_numbers(value: str, expected: list[str]) -> None:
    assert codes(resident_id_problems(value, today=TODAY)) == expected
    assert is_resident_id(value, today=TODAY) is (not expected)


def test_resident_id_problems_name_the_field_in_both_languages() -> None:
    for problem in resident_id_problems("110105194912310021", today=TODAY):
        assert problem.field == "id_number"
        assert "身份证号码" in problem.message_zh
        assert "resident identity number" in problem.message_en


@pytest.mark.parametrize("bad", ["", "1234567890123456", "123456789012345678a", "ABC"])
def test_resident_check_char_needs_17_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="17 digits"):
        resident_id_check_char(bad)


first17_resident = st.builds(
    lambda region, born, seq: f"{region}{born:%Y%m%d}{seq:03d}",
    st.integers(100000, 899999),
    st.dates(dt.date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)


@given(first17_resident)
def test_any_resident_number_with_its_check_char_is_valid(first17: str) -> None:
    number = resident(first17)
    assert is_resident_id(number, today=TODAY)
    assert is_resident_id(number.lower(), today=TODAY)
    assert classify_id_number(number, today=TODAY) == "resident"


@given(first17_resident, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_of_a_resident_number_is_detected(
        first17: str, position: int, new: str) -> None:
    number = resident(first17)
    if number[position] == new or (new == "X" and position != 17):
        return
    changed = number[:position] + new + number[position + 1:]
    assert not is_resident_id(changed, today=TODAY)


# --- unified social credit codes -----------------------------------------------------------


@pytest.mark.parametrize("code", KNOWN_CREDIT_CODES)
def test_known_credit_codes_are_valid(code: str) -> None:
    assert is_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]
    assert classify_id_number(code, today=TODAY) == "organization"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("91 110000 600037341L", [], id="spaces are ignored"),
        pytest.param("91110000600037341l", [], id="lowercase is accepted"),
        pytest.param("91110000600037341N", ["credit_code.checksum"], id="a wrong check char"),
        pytest.param("9111000060003IOZSV", ["credit_code.characters"], id="I O Z S V"),
        pytest.param("911100006000373", ["id_number.length"], id="too short"),
        pytest.param("91A10000600037341L", ["credit_code.region"], id="a letter in the region"),
    ],
)
def test_credit_codes(value: str, expected: list[str]) -> None:
    assert codes(credit_code_problems(value)) == expected


def test_the_check_char_is_0_when_the_sum_is_a_multiple_of_31() -> None:
    assert credit_code_check_char("00000000000000000") == "0"
    assert credit_code_check_char("10000000000000000") == "Y"  # 31 - 1 = 30 -> Y


@pytest.mark.parametrize("bad", ["", "0000000000000000I", "000000000000000000"])
def test_credit_check_char_needs_17_characters_of_the_alphabet(bad: str) -> None:
    with pytest.raises(ValueError, match="17 characters"):
        credit_code_check_char(bad)


first17_credit = st.builds(
    lambda head, region, tail: head + region + tail,
    st.text(CREDIT_CODE_ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(CREDIT_CODE_ALPHABET, min_size=9, max_size=9),
)


@given(first17_credit)
def test_any_credit_code_with_its_check_char_is_valid(first17: str) -> None:
    code = first17 + credit_code_check_char(first17)
    assert is_credit_code(code)
    assert classify_id_number(code, today=TODAY) is not None


@given(first17_credit, st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_single_character_change_of_a_credit_code_is_detected(
        first17: str, position: int, new: str) -> None:
    code = first17 + credit_code_check_char(first17)
    if code[position] == new:
        return
    assert not is_credit_code(code[:position] + new + code[position + 1:])


# --- the identity number field: whose number is it ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("", ["id_number.missing"], id="empty"),
        pytest.param("   ", ["id_number.missing"], id="blank"),
        pytest.param("12345", ["id_number.length"], id="too short for either"),
        pytest.param("110105194912310021", ["resident_id.checksum"],
                     id="a person's number with a typo is told about the person's number"),
        pytest.param(resident("11010518801231002"), ["resident_id.birth_date"],
                     id="a person born in 1880 is told about the birth date"),
        pytest.param("91110000600037341N", ["credit_code.checksum"],
                     id="a credit code with a typo is told about the credit code"),
        pytest.param("911522010783710636", ["credit_code.checksum"],
                     id="an all-digit credit code starting with 9 is read as a credit code"),
        pytest.param("9111000060003IOZSV", ["credit_code.characters"],
                     id="letters outside the alphabet"),
    ],
)
def test_id_number_field(value: str, expected: list[str]) -> None:
    assert codes(id_number_problems(value, today=TODAY)) == expected
    assert all(p.field == "id_number" for p in id_number_problems(value, today=TODAY))


def test_a_number_valid_both_ways_is_taken_as_a_persons() -> None:
    # An 18-digit resident number can also carry a correct credit code check by chance.
    for seq in range(1000):
        first17 = f"11010519800101{seq:03d}"
        number = resident(first17)
        if is_credit_code(number):
            assert classify_id_number(number, today=TODAY) == "resident"
            return
    pytest.fail("no resident number that is also a credit code among 1000 candidates")


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        pytest.param("13812345678", "13812345678", id="mobile"),
        pytest.param("19912345678", "19912345678", id="mobile 199"),
        pytest.param("138 1234 5678", "13812345678", id="mobile with spaces"),
        pytest.param("138-1234-5678", "13812345678", id="mobile with hyphens"),
        pytest.param("+86 138 1234 5678", "13812345678", id="mobile with +86"),
        pytest.param("0086-13812345678", "13812345678", id="mobile with 0086"),
        pytest.param("+8613812345678", "13812345678", id="mobile with +86 no space"),
        pytest.param("１３８１２３４５６７８", "13812345678", id="full-width digits"),
        pytest.param("021-62345678", "021-62345678", id="Shanghai landline"),
        pytest.param("(021) 6234 5678", "021-62345678", id="area code in brackets"),
        pytest.param("02162345678", "021-62345678", id="landline without separators"),
        pytest.param("010-6234567", "010-6234567", id="7-digit local number"),
        pytest.param("0571-86543210", "0571-86543210", id="4-digit area code"),
        pytest.param("0571 8654321", "0571-8654321", id="4-digit area code, 7 digits"),
        pytest.param("+86 21 6234 5678", "021-62345678", id="landline with +86, no trunk 0"),
        pytest.param("021-62345678-123", "021-62345678-123", id="extension after a hyphen"),
        pytest.param("010-2000000-1", "010-2000000-1", id="a 7-digit number, then extension"),
        pytest.param("021-6234-5678", "021-62345678", id="local number in two groups"),
        pytest.param("021-62345678转123", "021-62345678-123", id="extension after 转"),
        pytest.param("021-62345678 ext. 8", "021-62345678-8", id="extension after ext."),
        pytest.param("021-62345678#801", "021-62345678-801", id="extension after #"),
    ],
)
def test_plausible_phones(value: str, normal: str) -> None:
    assert phone_problems(value) == []
    assert normalize_phone(value) == normal


@pytest.mark.parametrize(
    ("value", "code"),
    [
        pytest.param("", "phone.missing", id="empty"),
        pytest.param("12812345678", "phone.format", id="mobile starting 12"),
        pytest.param("1381234567", "phone.format", id="mobile of 10 digits"),
        pytest.param("138123456789", "phone.format", id="mobile of 12 digits"),
        pytest.param("+1 138 1234 5678", "phone.format", id="another country"),
        pytest.param("62345678", "phone.format", id="landline without area code"),
        pytest.param("021-12345678", "phone.format", id="local number starting with 1"),
        pytest.param("021-623456", "phone.format", id="local number of 6 digits"),
        pytest.param("021-623456789", "phone.format", id="local number of 9 digits"),
        pytest.param("13812345678转1", "phone.format", id="a mobile has no extension"),
        pytest.param("138abcd5678", "phone.format", id="letters"),
        pytest.param("021-62345678转١٢", "phone.format", id="an extension in other digits"),
        pytest.param("13333333333", "phone.placeholder", id="1 and ten 3s"),
        pytest.param("19999999999", "phone.placeholder", id="1 and ten 9s"),
        pytest.param("021-88888888", "phone.placeholder", id="landline of one digit"),
    ],
)
def test_refused_phones(value: str, code: str) -> None:
    (problem,) = phone_problems(value)
    assert problem.code == code and problem.field == "phone"
    assert problem.message_zh.strip() and problem.message_en.strip()
    with pytest.raises(IdentityError):
        normalize_phone(value)


@given(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9))
def test_every_mobile_number_1_3_to_9_is_plausible_unless_one_repeated_digit(
        second: str, rest: str) -> None:
    number = f"1{second}{rest}"
    if len(set(second + rest)) == 1:
        assert [p.code for p in phone_problems(number)] == ["phone.placeholder"]
    else:
        assert normalize_phone(f"+86 {number[:3]} {number[3:7]} {number[7:]}") == number


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        pytest.param("张三", "张三", id="two characters"),
        pytest.param(" 张 三 ", "张三", id="spaces between characters removed"),
        pytest.param("欧阳修文", "欧阳修文", id="four characters"),
        pytest.param("阿依古丽·买买提", "阿依古丽·买买提", id="middle dot"),
        pytest.param("阿依古丽•买买提", "阿依古丽·买买提", id="bullet normalized"),
        pytest.param("阿依古丽・买买提", "阿依古丽·买买提", id="katakana dot normalized"),
        pytest.param("阿依古丽 · 买买提", "阿依古丽·买买提", id="spaces around the dot"),
        pytest.param("王㐀", "王㐀", id="extension A"),
        pytest.param("张\U00020bb7", "张\U00020bb7", id="extension B"),
        pytest.param("John  Smith", "John Smith", id="Latin, space runs collapsed"),
        pytest.param("Mary-Jane O’Brien", "Mary-Jane O'Brien", id="hyphen and apostrophe"),
        pytest.param("José Müller", "José Müller", id="accented Latin letters"),
        pytest.param("Li", "Li", id="two Latin letters"),
    ],
)
def test_person_names_accepted(value: str, normal: str) -> None:
    assert person_name_problems(value) == []
    assert normalize_name(value) == normal


@pytest.mark.parametrize(
    ("value", "code"),
    [
        pytest.param("", "name.missing", id="empty"),
        pytest.param("  ", "name.missing", id="blank"),
        *[pytest.param(v, "name.placeholder", id=f"placeholder {v}")
          for v in ("匿名", "无名", "无", "某某", "某人", "佚名", "不详", "未知", "x", "XX",
                    "xxx", "test", "Test", "anonymous", "ANONYMOUS", "123", "13812345678",
                    "王某", "张某某", "aaaa", "N/A")],
        pytest.param("李", "name.length", id="one character"),
        pytest.param("张" + "三" * 30, "name.length", id="31 characters"),
        pytest.param("L", "name.length", id="one letter"),
        pytest.param("张三John", "name.characters", id="mixed scripts"),
        pytest.param("张三2", "name.characters", id="a digit"),
        pytest.param("张三!", "name.characters", id="a sign"),
        pytest.param("·张三", "name.characters", id="starting with a dot"),
        pytest.param("张三·", "name.characters", id="ending with a dot"),
        pytest.param("张··三", "name.characters", id="two dots"),
        pytest.param("Иван", "name.characters", id="Cyrillic"),
    ],
)
def test_person_names_refused(value: str, code: str) -> None:
    (problem,) = person_name_problems(value)
    assert problem.code == code and problem.field == "name"


def test_thirty_characters_is_the_longest_chinese_name() -> None:
    assert person_name_problems("张" + "三" * 29) == []


@pytest.mark.parametrize(
    "value",
    ["上海质量有限公司", "3M中国有限公司", "上海某（集团）有限公司".replace("某", "申"),
     "上海申通（集团）有限公司", "ABC Trading (Shanghai) Co., Ltd.", "华为技术有限公司",
     "甲乙", "上海市长宁区 质量协会"],
)
def test_organization_names_accepted(value: str) -> None:
    assert organization_name_problems(value) == []


@pytest.mark.parametrize(
    ("value", "code"),
    [
        pytest.param("", "name.missing", id="empty"),
        pytest.param("上海某某有限公司", "name.placeholder", id="某某"),
        pytest.param("12345678", "name.placeholder", id="digits only"),
        pytest.param("匿名", "name.placeholder", id="匿名"),
        pytest.param("甲", "name.length", id="one character"),
        pytest.param("甲" + "乙" * 100, "name.length", id="101 characters"),
        pytest.param("上海<质量>有限公司", "name.characters", id="angle brackets"),
    ],
)
def test_organization_names_refused(value: str, code: str) -> None:
    (problem,) = organization_name_problems(value)
    assert problem.code == code


def test_one_hundred_characters_is_the_longest_organization_name() -> None:
    assert organization_name_problems("甲" + "乙" * 99) == []


def test_a_name_of_unknown_kind_is_accepted_if_it_fits_either() -> None:
    assert name_problems("3M中国有限公司", None) == []
    assert name_problems("张三", None) == []
    assert codes(name_problems("匿名", None)) == ["name.placeholder"]


# --- the objector ----------------------------------------------------------------------------


def test_a_person_with_a_real_identity_passes() -> None:
    assert check_objector("张三", STANDARD_RESIDENT_ID.lower(), "138 1234 5678",
                          today=TODAY) == []
    assert normalize_objector("张 三", STANDARD_RESIDENT_ID.lower(), "138 1234 5678",
                              today=TODAY) == Objector(
        name="张三", id_number=STANDARD_RESIDENT_ID, id_kind="resident", phone="13812345678")


def test_an_organization_with_a_real_identity_passes() -> None:
    assert normalize_objector("上海质量有限公司", "91310000631696382c", "021-62345678转8",
                              today=TODAY) == Objector(
        name="上海质量有限公司", id_number="91310000631696382C", id_kind="organization",
        phone="021-62345678-8")


def test_a_name_repeating_one_character_is_a_placeholder() -> None:
    assert codes(person_name_problems("张张张")) == ["name.placeholder"]
    assert codes(organization_name_problems("甲" * 100)) == ["name.placeholder"]


def test_an_organization_name_with_a_persons_number_is_refused() -> None:
    assert codes(check_objector("上海质量（集团）有限公司", STANDARD_RESIDENT_ID, "13812345678",
                                today=TODAY)) == ["name.characters"]


def test_every_field_is_reported_at_once_in_field_order() -> None:
    problems = check_objector("匿名", "110105194912310021", "12345", today=TODAY)
    assert [(p.field, p.code) for p in problems] == [
        ("name", "name.placeholder"), ("id_number", "resident_id.checksum"),
        ("phone", "phone.format")]
    with pytest.raises(IdentityError) as info:
        normalize_objector("匿名", "110105194912310021", "12345", today=TODAY)
    assert info.value.problems == tuple(problems)
    assert "name:" in str(info.value) and "phone:" in str(info.value)


def test_every_problem_speaks_both_languages() -> None:
    problems = check_objector("", "", "", today=TODAY)
    assert codes(problems) == ["name.missing", "id_number.missing", "phone.missing"]
    for p in problems:
        assert "实名" in p.message_zh or "电话" in p.message_zh
        assert p.message_en.strip() and not any("\u4e00" <= c <= "\u9fff" for c in p.code)


# --- properties of normalization ------------------------------------------------------------

separators = st.sampled_from(["", " ", "-", " - "])


@given(st.sampled_from(["010", "021", "029", "0571", "0755", "0991"]),
       st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True), separators,
       st.one_of(st.none(), st.from_regex(r"[1-9][0-9]{0,5}", fullmatch=True)),
       st.booleans())
def test_any_landline_normalizes_to_area_local_extension_and_stays_so(
        area: str, local: str, sep: str, extension: str | None, international: bool) -> None:
    if len(set(local)) == 1:
        return
    dialled = f"+86 {area[1:]}" if international else area
    text = f"{dialled}{sep}{local}" + (f"转{extension}" if extension else "")
    normal = f"{area}-{local}" + (f"-{extension}" if extension else "")
    assert normalize_phone(text) == normal
    assert normalize_phone(normal) == normal


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF).filter(lambda c: c != "某")


@given(st.lists(st.text(cjk, min_size=1, max_size=6), min_size=1, max_size=3), separators)
def test_chinese_names_normalize_once_and_stay_accepted(parts: list[str], space: str) -> None:
    raw = f"{space}·{space}".join(parts).replace("-", " ")
    name = normalize_name(raw)
    assert normalize_name(name) == name
    assert name == "·".join(parts)
    if 2 <= len(name) <= 30 and len(set(name.replace("·", ""))) > 1 \
            and name not in {"匿名", "无名", "无名氏", "没有", "佚名", "不详", "未知", "保密",
                             "测试", "姓名", "名字", "本人", "实名", "群众", "网友", "市民",
                             "举报人", "某人"}:
        assert person_name_problems(raw) == []

"""Real-name checks for objections (异议须实名): name, identity number and phone.

An objection to a notice (公示异议) is accepted only under a real name. This module checks the
three things an objector gives, without any network look-up, so that an obviously false or
mistyped entry is refused at once with a message naming the field and what to do:

- the name: a person's name in Chinese characters (CJK Unified Ideographs, extensions
  included) with an optional middle dot (·, for names of ethnic minorities and foreigners), or
  in Latin letters; an organization's name; never a placeholder such as 匿名 or ``test``;
- the identity number: a resident identity number (公民身份号码, GB 11643-1999) for a person, or
  a unified social credit code (统一社会信用代码, GB 32100-2015) for an organization;
- a phone number in mainland China: a mobile number or a landline with its area code.

The public entry points are :func:`check_objector` (all problems, empty when acceptable) and
:func:`normalize_objector` (the normalized values, or :class:`IdentityError`). Messages come in
Chinese and English; the web layer wraps them for translation.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from qaward.core.errors import QawardError

Field = Literal["name", "id_number", "phone"]
IdKind = Literal["resident", "organization"]


@dataclass(frozen=True)
class IdentityProblem:
    """One reason an objector's identity is not accepted.

    ``code`` is stable (tests and the web layer may rely on it); the messages say what is wrong
    and what to do, in Chinese and English.
    """

    field: Field
    code: str
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Objector:
    """An objector's identity after every check passed, normalized for storage."""

    name: str
    id_number: str
    id_kind: IdKind
    phone: str


class IdentityError(QawardError):
    """The objector's identity is not accepted; ``problems`` says why, per field."""

    def __init__(self, problems: Iterable[IdentityProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message_en}" for p in self.problems))


def _problem(field: Field, code: str, zh: str, en: str) -> IdentityProblem:
    return IdentityProblem(field=field, code=code, message_zh=zh, message_en=en)


# --- identity numbers ---------------------------------------------------------------------

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
EARLIEST_BIRTH_YEAR = 1900

# GB 32100-2015: 31 characters (no I, O, Z, S, V), weights 3**i mod 31, check = 31 - sum mod 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_SEPARATORS = re.compile(r"[\s\-]+")


def compact_id_number(value: str) -> str:
    """Full-width characters made ASCII, spaces and hyphens removed, letters upper case."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper()


def resident_id_check_char(first17: str) -> str:
    """The 18th character of a resident identity number whose first 17 digits are given."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("a resident identity number's check is computed over 17 digits")
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 are given."""
    if len(first17) != 17 or any(c not in CREDIT_CODE_ALPHABET for c in first17):
        raise ValueError("a credit code's check is computed over 17 characters of its alphabet")
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w
                for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def resident_id_problems(value: str, *, today: dt.date) -> list[IdentityProblem]:
    """Why ``value`` is not a resident identity number (empty when it is one)."""
    number = compact_id_number(value)
    if len(number) != 18:
        return [_length_problem()]
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return [_problem(
            "id_number", "resident_id.characters",
            "身份证号码应为17位数字加1位校验码（数字或X），请核对后重新填写。",
            "A resident identity number is 17 digits and a check character (a digit or X); "
            "please check it and enter it again.")]
    problems: list[IdentityProblem] = []
    if number[0] in "09":
        problems.append(_problem(
            "id_number", "resident_id.region",
            "身份证号码的首位（地址码）不可能是0或9，请核对后重新填写。",
            "A resident identity number cannot begin with 0 or 9 (its region code); please "
            "check it and enter it again."))
    born = _birth_date(number)
    if born is None or born.year < EARLIEST_BIRTH_YEAR or born > today:
        problems.append(_problem(
            "id_number", "resident_id.birth_date",
            f"身份证号码第7至14位的出生日期“{number[6:14]}”不是{EARLIEST_BIRTH_YEAR}年以来、"
            "今天或以前的日期，请核对后重新填写。",
            f"Digits 7-14 of the resident identity number ({number[6:14]}) are not a birth date "
            f"between {EARLIEST_BIRTH_YEAR} and today; please check it and enter it again."))
    if not problems and number[17] != resident_id_check_char(number[:17]):
        problems.append(_checksum_problem("resident_id.checksum"))
    return problems


def credit_code_problems(value: str) -> list[IdentityProblem]:
    """Why ``value`` is not a unified social credit code (empty when it is one)."""
    code = compact_id_number(value)
    if len(code) != 18:
        return [_length_problem()]
    if any(c not in CREDIT_CODE_ALPHABET for c in code):
        return [_problem(
            "id_number", "credit_code.characters",
            "统一社会信用代码只含数字和大写字母（不含I、O、Z、S、V），请核对后重新填写。",
            "A unified social credit code has only digits and capital letters (never I, O, Z, "
            "S or V); please check it and enter it again.")]
    if not code[2:8].isdigit():
        return [_problem(
            "id_number", "credit_code.region",
            "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字，请核对后重新填写。",
            "Characters 3-8 of a unified social credit code (the region code) are digits; "
            "please check it and enter it again.")]
    if code[17] != credit_code_check_char(code[:17]):
        return [_checksum_problem("credit_code.checksum")]
    return []


def is_resident_id(value: str, *, today: dt.date) -> bool:
    return not resident_id_problems(value, today=today)


def is_credit_code(value: str) -> bool:
    return not credit_code_problems(value)


def _length_problem() -> IdentityProblem:
    return _problem(
        "id_number", "id_number.length",
        "请填写18位的身份证号码（个人）或统一社会信用代码（单位）。",
        "Enter the 18-character resident identity number (a person) or unified social credit "
        "code (an organization).")


def _checksum_problem(code: str) -> IdentityProblem:
    zh, en = {
        "resident_id.checksum": ("身份证号码", "resident identity number"),
        "credit_code.checksum": ("统一社会信用代码", "unified social credit code"),
    }[code]
    return _problem(
        "id_number", code,
        f"{zh}的最后一位校验码不符，号码中可能有输错的字符，请核对后重新填写。",
        f"The check character of the {en} does not match: a character was probably mistyped; "
        "please check it and enter it again.")


def classify_id_number(value: str, *, today: dt.date) -> IdKind | None:
    """Whose number ``value`` is: a person's, an organization's, or neither (None).

    A number valid both ways (18 digits can be both) is taken as a person's.
    """
    if is_resident_id(value, today=today):
        return "resident"
    if is_credit_code(value):
        return "organization"
    return None


def id_number_problems(value: str, *, today: dt.date) -> list[IdentityProblem]:
    """Why ``value`` is neither a resident identity number nor a credit code.

    When it is neither, the problems reported are those of the kind the number looks like: a
    number of 17 digits and a digit or X whose first digit is 1-8 and whose digits 7-14 are a
    calendar date from 1800 on is read as a resident identity number; anything else as a
    credit code.
    """
    if not value.strip():
        return [_problem(
            "id_number", "id_number.missing",
            "异议须实名：请填写身份证号码（个人）或统一社会信用代码（单位）。",
            "Objections require a real name: enter the resident identity number (a person) or "
            "unified social credit code (an organization).")]
    if classify_id_number(value, today=today) is not None:
        return []
    number = compact_id_number(value)
    if len(number) != 18:
        return [_length_problem()]
    born = _birth_date(number)
    looks_resident = (re.fullmatch(r"[1-8]\d{16}[\dX]", number) is not None
                      and born is not None and born.year >= 1800)
    if looks_resident or (number.endswith("X") and number[:17].isdigit()):
        return resident_id_problems(number, today=today)
    return credit_code_problems(number)


# --- phone numbers --------------------------------------------------------------------------

_EXTENSION_MARK = re.compile(r"(?:转|分机|ext\.?|x|#)\s*([0-9]{1,6})$", re.IGNORECASE)
_DASH_EXTENSION = re.compile(r"^(.*[0-9])\s*-\s*([0-9]{1,6})$")
_PHONE_JUNK = re.compile(r"[\s\-().]+")
_COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0[12]\d|0[3-9]\d\d)([2-9]\d{6,7})")


def _phone_digits(text: str) -> str | None:
    """Digits of a phone number (country prefix removed, landline with its 0), or None."""
    compact = _PHONE_JUNK.sub("", text)
    international = _COUNTRY_PREFIX.match(compact)
    if international:
        compact = compact[international.end():]
    if not compact.isascii() or not compact.isdigit():
        return None
    if international and not _MOBILE.fullmatch(compact) and not compact.startswith("0"):
        compact = "0" + compact  # +86 21 … dials a landline without its trunk 0
    return compact


def _landline_parts(digits: str) -> tuple[str, str] | None:
    """(area code with its 0, local number) of a landline, or None.

    Area codes 010 and 020-029 have three digits with their 0, all others four; local numbers
    have 7 or 8 digits and do not begin with 0 or 1.
    """
    match = _LANDLINE.fullmatch(digits)
    return (match.group(1), match.group(2)) if match else None


def _parse_phone(value: str) -> tuple[str, str] | None:
    """(normalized number, subscriber digits) of a mainland China phone number, or None.

    Mobile numbers normalize to their 11 digits; landlines to ``0AA-LLLLLLLL`` with
    ``-EXT`` when an extension is given.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    candidates: list[tuple[str, str | None]] = []
    marked = _EXTENSION_MARK.search(text)
    if marked:
        candidates.append((text[:marked.start()], marked.group(1)))
    else:
        # 010-2000000-1: a short last group after a complete landline is its extension.
        dashed = _DASH_EXTENSION.match(text)
        if dashed:
            candidates.append((dashed.group(1), dashed.group(2)))
        candidates.append((text, None))
    for body, extension in candidates:
        digits = _phone_digits(body)
        if digits is None:
            continue
        if extension is None and _MOBILE.fullmatch(digits):
            return digits, digits[1:]
        parts = _landline_parts(digits)
        if parts is not None:
            area, local = parts
            number = f"{area}-{local}" + (f"-{extension}" if extension else "")
            return number, local
    return None


def phone_problems(value: str) -> list[IdentityProblem]:
    """Why ``value`` is not a plausible mainland China phone number (empty when it is one).

    A number whose subscriber part is one digit repeated (13333333333, 021-88888888) is
    refused as a placeholder.
    """
    if not value.strip():
        return [_problem(
            "phone", "phone.missing",
            "请填写联系电话（手机号码或带区号的固定电话），以便核实异议。",
            "Enter a phone number (a mobile number, or a landline with its area code) so that "
            "the objection can be verified.")]
    parsed = _parse_phone(value)
    if parsed is None:
        return [_problem(
            "phone", "phone.format",
            "联系电话应为11位手机号码（1开头），或区号加7至8位号码的固定电话（如021-62345678，"
            "分机可写在“转”之后），请核对后重新填写。",
            "A phone number is an 11-digit mobile number starting with 1, or a landline: area "
            "code and a 7-8 digit number (e.g. 021-62345678, extension after 转 or ext); please "
            "check it and enter it again.")]
    if len(set(parsed[1])) == 1:
        return [_problem(
            "phone", "phone.placeholder",
            "联系电话不能是同一数字的重复，请填写能联系到您的真实号码。",
            "A phone number cannot be one digit repeated: enter a real number where you can "
            "be reached.")]
    return []


def normalize_phone(value: str) -> str:
    """The phone number in normal form; :class:`IdentityError` when it is not acceptable."""
    problems = phone_problems(value)
    parsed = _parse_phone(value)
    if problems or parsed is None:
        raise IdentityError(problems)
    return parsed[0]


# --- names ----------------------------------------------------------------------------------

_DOTS = str.maketrans({c: "·" for c in "•・･‧∙⋅﹒"})
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘`´"})
_CJK = (
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\u3007"  # 〇
    "\U00020000-\U0002a6df"  # extension B
    "\U0002a700-\U0002ebef"  # extensions C-F
    "\U00030000-\U0003134f"  # extension G
)
_CJK_NAME = re.compile(f"[{_CJK}]+(?:·[{_CJK}]+)*")
_LATIN_WORD = r"[^\W\d_]+"
_LATIN_NAME = re.compile(rf"{_LATIN_WORD}(?:(?: |·|-|'| ·|· |- | -){_LATIN_WORD})*")
_ORGANIZATION_NAME = re.compile(rf"[{_CJK}A-Za-z0-9 ·&'.,、()（）\-《》“”\"+]+")
_HAS_LETTER = re.compile(rf"[{_CJK}A-Za-z]")

PERSON_CJK_LENGTH = (2, 30)
PERSON_LATIN_LENGTH = (2, 100)
ORGANIZATION_LENGTH = (2, 100)

PLACEHOLDER_NAMES = frozenset({
    "匿名", "无名", "无名氏", "无", "没有", "某", "某某", "某某某", "某人", "佚名", "不详", "未知",
    "保密", "测试", "姓名", "名字", "本人", "实名", "群众", "网友", "市民", "举报人",
    "test", "testing", "anonymous", "anon", "unknown", "none", "null", "nil", "na", "n/a",
    "name", "noname", "abc", "asdf", "qwe", "qwer", "qwerty", "aaa", "foo", "bar", "demo",
    "sample", "example", "admin", "user",
})


def normalize_name(value: str) -> str:
    """Surrounding space removed, inner runs of space made one (none between Chinese
    characters), dot and apostrophe variants made the middle dot · and ``'``."""
    text = unicodedata.normalize("NFC", value).translate(_DOTS).translate(_APOSTROPHES)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(rf"(?<=[{_CJK}·]) (?=[{_CJK}·])", "", text)
    return text


def _is_latin_letters(text: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def _placeholder(name: str) -> bool:
    key = re.sub(r"[\s·.'\-]", "", name).lower()
    return (key in PLACEHOLDER_NAMES or key.isdigit() or re.fullmatch(r"x+", key) is not None
            or (len(set(key)) == 1 and len(key) > 1))


def _placeholder_problem() -> IdentityProblem:
    return _problem(
        "name", "name.placeholder",
        "异议须实名：请填写您的真实姓名或单位全称，不能填写“匿名”“某某”等代称。",
        "Objections require a real name: enter your real name or your organization's full "
        "name, not a stand-in such as 匿名 (anonymous) or 某某 (so-and-so).")


def person_name_problems(value: str) -> list[IdentityProblem]:
    """Why ``value`` is not a person's real name (empty when it may be one).

    Chinese names: 2-30 Chinese characters, parts joined by a middle dot. Latin names: 2-100
    letters, words separated by a space, middle dot, hyphen or apostrophe. 某 in a Chinese
    name (王某, 张某某) is the usual way to hide a name, so it is refused.
    """
    name = normalize_name(value)
    if not name:
        return [_missing_name_problem()]
    if _placeholder(name) or (_CJK_NAME.fullmatch(name) and "某" in name):
        return [_placeholder_problem()]
    low, high = PERSON_CJK_LENGTH
    if _CJK_NAME.fullmatch(name):
        if not low <= len(name) <= high:
            return [_problem(
                "name", "name.length",
                f"中文姓名应为{low}至{high}个字，请填写完整的真实姓名。",
                f"A name in Chinese has {low} to {high} characters; enter your full real name.")]
        return []
    low, high = PERSON_LATIN_LENGTH
    if _LATIN_NAME.fullmatch(name) and _is_latin_letters(name):
        if not low <= len(name) <= high:
            return [_problem(
                "name", "name.length",
                f"外文姓名应为{low}至{high}个字母，请填写完整的真实姓名。",
                f"A name in Latin letters has {low} to {high} characters; enter your full "
                "real name.")]
        return []
    return [_problem(
        "name", "name.characters",
        "姓名只能由汉字（可用间隔号“·”）或拉丁字母（可用空格、“·”、“-”、“'”）组成，不能混用"
        "或含数字、符号。",
        "A name is written in Chinese characters (with · between parts) or in Latin letters "
        "(with spaces, ·, - or '), not both, and without digits or other signs.")]


def organization_name_problems(value: str) -> list[IdentityProblem]:
    """Why ``value`` is not an organization's name (empty when it may be one): 2-100
    characters of Chinese, Latin letters, digits and the punctuation of registered names;
    not digits only, not a placeholder, no 某某."""
    name = normalize_name(value)
    if not name:
        return [_missing_name_problem()]
    if _placeholder(name) or "某某" in name or not _HAS_LETTER.search(name):
        return [_placeholder_problem()]
    low, high = ORGANIZATION_LENGTH
    if not low <= len(name) <= high:
        return [_problem(
            "name", "name.length",
            f"单位名称应为{low}至{high}个字符，请填写营业执照或登记证书上的全称。",
            f"An organization's name has {low} to {high} characters; enter the full name on its "
            "business licence or registration certificate.")]
    if not _ORGANIZATION_NAME.fullmatch(name):
        return [_problem(
            "name", "name.characters",
            "单位名称含有不应出现的符号，请按营业执照或登记证书上的全称填写。",
            "The organization's name contains signs that do not belong in it; enter the full "
            "name as on its business licence or registration certificate.")]
    return []


def _missing_name_problem() -> IdentityProblem:
    return _problem(
        "name", "name.missing",
        "异议须实名：请填写您的真实姓名或单位全称。",
        "Objections require a real name: enter your real name or your organization's full name.")


def name_problems(value: str, kind: IdKind | None) -> list[IdentityProblem]:
    """Name problems for a person (``resident``), an organization, or either (None: the
    identity number did not say whose; the name is accepted if it fits either)."""
    if kind == "resident":
        return person_name_problems(value)
    if kind == "organization":
        return organization_name_problems(value)
    person = person_name_problems(value)
    if not person or not organization_name_problems(value):
        return []
    return person


# --- the objector -------------------------------------------------------------------------


def check_objector(name: str, id_number: str, phone: str, *,
                   today: dt.date) -> list[IdentityProblem]:
    """Every problem with an objector's name, identity number and phone, in field order.

    ``id_number`` is a resident identity number (a person) or a unified social credit code
    (an organization); the name is checked as the kind of name the number belongs to.
    ``today`` is the date in Asia/Shanghai (a birth date may not lie after it).
    """
    kind = classify_id_number(id_number, today=today)
    return [*name_problems(name, kind), *id_number_problems(id_number, today=today),
            *phone_problems(phone)]


def normalize_objector(name: str, id_number: str, phone: str, *, today: dt.date) -> Objector:
    """The objector's identity normalized for storage; :class:`IdentityError` if refused."""
    problems = check_objector(name, id_number, phone, today=today)
    kind = classify_id_number(id_number, today=today)
    if problems or kind is None:
        raise IdentityError(problems)
    return Objector(name=normalize_name(name), id_number=compact_id_number(id_number),
                    id_kind=kind, phone=normalize_phone(phone))

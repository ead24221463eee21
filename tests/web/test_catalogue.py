"""The English catalogue is complete: every message has an English translation that is not
fuzzy (a fuzzy or empty entry shows the Chinese source on an English page)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PO = (Path(__file__).resolve().parents[2] / "src" / "qaward" / "web" / "locale" / "en"
      / "LC_MESSAGES" / "django.po")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[str, str] = field(default_factory=dict)


def parse(text: str) -> list[Entry]:
    """A small .po reader: flags, msgid, msgid_plural and msgstr / msgstr[n], with their
    continuation lines (obsolete ``#~`` entries are skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            key = None
            continue
        if line.startswith("#,"):
            if current is None or current.msgid or current.msgstr:
                current = Entry(number)
                entries.append(current)
            current.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        m = re.match(r"(msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if m:
            key, value = m.group(1), ast.literal_eval(m.group(2))
            if key == "msgid" and (current is None or current.msgid or current.msgstr):
                current = Entry(number)
                entries.append(current)
            assert current is not None
            set_value(current, key, value)
        elif line.startswith('"') and current is not None and key is not None:
            set_value(current, key, get_value(current, key) + ast.literal_eval(line))
    return entries


def get_value(entry: Entry, key: str) -> str:
    if key == "msgid":
        return entry.msgid
    if key == "msgid_plural":
        return entry.msgid_plural
    return entry.msgstr.get(key, "")


def set_value(entry: Entry, key: str, value: str) -> None:
    if key == "msgid":
        entry.msgid = value
    elif key == "msgid_plural":
        entry.msgid_plural = value
    else:
        entry.msgstr[key] = value


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    found = [e for e in parse(PO.read_text(encoding="utf-8")) if e.msgid]
    assert len(found) > 300, f"only {len(found)} messages read from {PO}: the parser is wrong"
    return found


def test_the_parser_sees_empty_fuzzy_and_plural_entries() -> None:
    sample = '''msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

#: a.py:1
#, fuzzy, python-format
msgid "申报已于%(date)s截止"
msgstr "Closed on %(date)s"

msgid ""
"第一行"
"第二行"
msgstr ""

msgid "一个"
msgid_plural "多个"
msgstr[0] "one"
msgstr[1] ""
'''
    got = [e for e in parse(sample) if e.msgid]
    assert [(e.msgid, "fuzzy" in e.flags) for e in got] == [
        ("申报已于%(date)s截止", True), ("第一行第二行", False), ("一个", False)]
    assert got[1].msgstr == {"msgstr": ""}
    assert got[2].msgstr == {"msgstr[0]": "one", "msgstr[1]": ""}


def test_every_message_has_an_english_translation(entries: list[Entry]) -> None:
    empty = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    assert not empty, f"{len(empty)} untranslated: {empty[:20]}"


def test_no_translation_is_fuzzy(entries: list[Entry]) -> None:
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_no_english_translation_is_chinese(entries: list[Entry]) -> None:
    """The language names are shown in their own language in the switch; nothing else."""
    chinese = [e.msgid for e in entries if e.msgid != "简体中文"
               and any(CJK.search(s) for s in e.msgstr.values())]
    assert not chinese, chinese[:20]


def test_placeholders_are_kept(entries: list[Entry]) -> None:
    """A translation that drops or renames ``%(name)s`` raises KeyError or loses the value."""
    named = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}")
    wrong = []
    for e in entries:
        wanted = {a or b for a, b in named.findall(e.msgid)}
        for value in e.msgstr.values():
            got = {a or b for a, b in named.findall(value)}
            if got != wanted and not (e.msgid_plural and got <= wanted | {"counter"}):
                wrong.append((e.msgid, value))
    assert not wrong, wrong[:10]

"""A regulation's text (``source.txt``) as articles, paragraphs and items, and the text a
citation names.

Two numberings are read:

- articles: ``第十五条`` headings (with an optional title, ``第十五条（专家指导）``), grouped in
  chapters (``第一章 总则``). An article's paragraphs (款) are its paragraphs in order; its items
  (项) are the ``（一）`` lines of a paragraph. ``第十五条第二款`` is the second paragraph,
  ``第十一条第（五）项`` the fifth item (of the first paragraph that has items),
  ``第十七条第一款第（二）项`` an item of a given paragraph.
- sections: ``三、申报条件`` headings with ``（六）`` items (滨江): ``三、（六）``.

Besides, ``印发通知`` is the covering notice (everything before the regulation's first heading),
``文号`` the line with the document number (沪崇府规〔2022〕6号), ``文件头`` the lines up to it,
and ``附则`` the chapter of that name.

Texts are printed with line breaks inside paragraphs (崇明 breaks every ~27 characters): lines
are joined into one paragraph until a line ends a sentence or clause (。！？：；) or the next line
opens a heading or an item. Full-width and ASCII parentheses are read alike; the text returned
uses full-width ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUM = "〇零一二三四五六七八九十百"
SECTION_NUM = "一二三四五六七八九十"

_ARTICLE_HEAD = re.compile(rf"^第([{NUM}]+)条(?![{NUM}])\s*")
_CHAPTER_HEAD = re.compile(rf"^第([{NUM}]+)章\s*(.*)$")
_SECTION_HEAD = re.compile(rf"^([{SECTION_NUM}]+)、\s*(.*)$")
_ITEM = re.compile(rf"^（([{NUM}]+)）\s*")
_SUB_ITEM = re.compile(r"^\d+\s*[.．、]\s*")
_TITLE = re.compile(r"^（([^）]{2,30})）\s*")
_DOC_NUMBER = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号")
_SENTENCE_END = ("。", "！", "？", "：", "；", ":", ";")
_BULLET = re.compile(r"^[-•·]\s+")
_NOISE = re.compile(r"\[bookmark:[^\]]*\]|\*\*")

# One part of a citation: an article with its paragraph and item, a section with its item,
# a chapter, or a named part of the document.
CITE_PART = re.compile(
    rf"第(?P<article>[{NUM}]+)条(?:第(?P<para>[{NUM}]+)款)?(?:第?（(?P<item>[{NUM}]+)）项?)?"
    rf"|第(?P<chapter>[{NUM}]+)章"
    rf"|(?P<section>[{SECTION_NUM}]+)、(?:（(?P<sitem>[{NUM}]+)）|(?P<stitle>[^\s、，（第]{{2,8}}))?"
    r"|(?P<named>印发通知|文号|文件头|附则)"
)


def _normalize(line: str) -> str:
    line = _NOISE.sub("", line).replace("(", "（").replace(")", "）")
    line = line.strip().strip("\u3000").strip()
    return _BULLET.sub("", line)  # a list bullet some conversions put before an item


@dataclass(frozen=True)
class Item:
    number: str  # the Chinese numeral, 五 for （五）
    text: str  # with its marker, e.g. （五）近三年内…


@dataclass
class Paragraph:
    lead: str = ""  # the paragraph's own text (an item list's opening clause)
    items: list[Item] = field(default_factory=list)
    # For section-numbered texts: lines after the items belong to the last item.

    @property
    def text(self) -> str:
        return "\n".join(t for t in (self.lead, *(i.text for i in self.items)) if t)


@dataclass
class Article:
    key: str  # 第十五条, or 三、 for a section
    title: str  # 专家指导, 申报条件, or ""
    chapter: str  # the chapter's title (附则), or ""
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs if p.text)

    def item(self, number: str, paragraph: int | None = None) -> Item | None:
        paras = self.paragraphs if paragraph is None else self.paragraphs[paragraph:paragraph + 1]
        for p in paras:
            for i in p.items:
                if i.number == number:
                    return i
        return None


@dataclass(frozen=True)
class Resolved:
    """The text a citation names. ``precise`` is False when only a larger part than the
    citation names was found (then ``note`` says which part was missing)."""

    cite: str
    found: str  # the part found, e.g. 第十五条第二款, or 第十五条 when only the article was
    text: str
    precise: bool
    note: str = ""


@dataclass
class SourceText:
    front: list[str]  # the lines before the first heading: covering notice, title, preamble
    articles: dict[str, Article]
    # chapter number (一) -> (its title, its article keys)
    chapters: dict[str, tuple[str, list[str]]]

    # -- reading ---------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> SourceText:
        lines = [_normalize(raw) for raw in text.splitlines()]
        lines = [line for line in lines if line]
        front: list[str] = []
        articles: dict[str, Article] = {}
        chapters: dict[str, tuple[str, list[str]]] = {}
        chapter = ""  # the current chapter's number
        current: Article | None = None
        last_open = False  # the previous line did not end a sentence: this one continues it
        sections = not any(_ARTICLE_HEAD.match(line) for line in lines)
        n = 0
        while n < len(lines):
            line = lines[n]
            n += 1
            if line.startswith("抄送"):  # the distribution list after the text
                break
            chap = _CHAPTER_HEAD.match(line)
            art = _ARTICLE_HEAD.match(line) if not sections else None
            sec = _SECTION_HEAD.match(line) if sections else None
            if chap and not sections:
                chapter = chap.group(1)
                chapters.setdefault(chapter, ("".join(chap.group(2).split()), []))
                current, last_open = None, False
                continue
            if art or sec:
                if art:
                    key, rest = f"第{art.group(1)}条", line[art.end():]
                    if rest.startswith("（") and "）" not in rest and n < len(lines):
                        rest += lines[n]  # a title printed over two lines
                        n += 1
                    title_m = _TITLE.match(rest)
                    title = title_m.group(1) if title_m else ""
                    body = rest[title_m.end():] if title_m else rest
                else:
                    assert sec is not None
                    key, title, body = f"{sec.group(1)}、", sec.group(2), ""
                current = articles.setdefault(
                    key, Article(key, "".join(title.split()), chapters[chapter][0]
                                 if chapter else ""))
                if chapter:
                    chapters[chapter][1].append(key)
                last_open = False
                if body:
                    last_open = _add_line(current, body, sections, continues=False)
                continue
            if current is None:
                front.append(line)
                continue
            last_open = _add_line(current, line, sections, continues=last_open)
        return cls(front, articles, chapters)

    # -- resolving ---------------------------------------------------------------------------

    def resolve(self, cite: str) -> Resolved | None:
        """The text ``cite`` names: the most precise part found, or None when not even its
        article (section, named part) is in the text. A citation naming several parts
        (第十七条、第十八条) gets all of them."""
        cite_n = _normalize(cite)
        parts = [self._resolve_part(m) for m in CITE_PART.finditer(cite_n)]
        if not parts or any(p is None for p in parts):
            return None
        found = [p for p in parts if p is not None]
        return Resolved(
            cite=cite,
            found="、".join(p.found for p in found),
            text="\n".join(p.text for p in found),
            precise=all(p.precise for p in found),
            note="; ".join(p.note for p in found if p.note),
        )

    def _resolve_part(self, m: re.Match[str]) -> Resolved | None:
        g = m.groupdict()
        whole = m.group(0)
        if g["named"]:
            return self._named(g["named"])
        if g["chapter"]:
            chapter = self.chapters.get(g["chapter"])
            return Resolved(whole, whole, self._join(chapter[1]), True) if chapter else None
        key = f"第{g['article']}条" if g["article"] else f"{g['section']}、"
        article = self.articles.get(key)
        if article is None:
            return None
        para_num, item_num = (g["para"], g["item"]) if g["article"] else (None, g["sitem"])
        paragraph: int | None = None
        text = article.text
        found = key
        if para_num is not None:
            paragraph = chinese_number(para_num) - 1
            if not 0 <= paragraph < len(article.paragraphs):
                return Resolved(whole, key, text, False,
                                f"{whole}: 第{para_num}款 not found, the whole {key} instead")
            text = article.paragraphs[paragraph].text
            found += f"第{para_num}款"
        if item_num is not None:
            item = article.item(item_num, paragraph)
            if item is None:
                return Resolved(whole, found, text, False,
                                f"{whole}: item （{item_num}） not found, {found} instead")
            text = item.text
            found += f"第（{item_num}）项" if g["article"] else f"（{item_num}）"
        return Resolved(whole, found, text, True)

    def _named(self, name: str) -> Resolved | None:
        if name == "印发通知":
            return Resolved(name, name, "\n".join(self.front), True) if self.front else None
        if name in ("文号", "文件头"):
            for n, line in enumerate(self.front):
                if _DOC_NUMBER.search(line):
                    text = line if name == "文号" else "\n".join(self.front[:n + 1])
                    return Resolved(name, name, text, True)
            return None
        keys = next((k for t, k in self.chapters.values() if "附则" in t), None)
        if keys:
            return Resolved(name, name, self._join(keys), True)
        section = next((a for a in self.articles.values() if "附则" in a.title), None)
        return Resolved(name, name, section.text, True) if section else None

    def _join(self, keys: list[str]) -> str:
        return "\n".join(f"{k}{self.articles[k].text}" for k in keys)


def _add_line(article: Article, line: str, sections: bool, *, continues: bool) -> bool:
    """Add one printed line to the article; returns whether the sentence is still open."""
    item = _ITEM.match(line)
    sub = _SUB_ITEM.match(line)
    paras = article.paragraphs
    if continues and not item and not sub and paras:
        p = paras[-1]
        if p.items:
            last = p.items[-1]
            p.items[-1] = Item(last.number, last.text + line)
        else:
            p.lead += line
    elif item:
        if not paras:
            paras.append(Paragraph())
        marker = f"（{item.group(1)}）"
        paras[-1].items.append(Item(item.group(1), marker + line[item.end():]))
    elif (sub or sections) and paras and paras[-1].items:
        # a numbered point (1. 2.) or, in a section, a further line of the last item
        last = paras[-1].items[-1]
        paras[-1].items[-1] = Item(last.number, f"{last.text}\n{line}")
    else:
        paras.append(Paragraph(lead=line))
    return not line.endswith(_SENTENCE_END)


_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    """十五 -> 15, 二十八 -> 28, 一百零一 -> 101."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


"""The heading hierarchy of Taiwanese government documents.

Levels (outermost first), as the 行政院 plan templates number them:

====  =======================  ==========================
level pattern                  example
====  =======================  ==========================
0     第一部分                 第一部分
1     壹、 貳、 … 拾、         貳、計畫目標及績效指標
2     一、 二、 …              三、預期績效指標及評估基準
3     (一) (二) …              (一)養成千人智慧科技菁英
4     1. 2. / 1、              1.建議經費
5     (1) (2) …                (1)整體計畫經費
====  =======================  ==========================

and captions ``表 N`` / ``圖 N`` (``表 1、各績效指標全期目標值``), which title
the table or figure that follows. Patterns apply to NFKC-folded text (full-
width ``（１）`` has become ``(1)``).
"""
from __future__ import annotations

import re

_CN_NUM = "一二三四五六七八九十百"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"^第[{_CN_NUM}\d]+部分")),
    (1, re.compile(r"^[壹貳參肆伍陸柒捌玖拾]{1,3}\s*[、.]")),
    (2, re.compile(rf"^[{_CN_NUM}]{{1,3}}\s*[、.]")),
    (3, re.compile(rf"^\(\s*[{_CN_NUM}]{{1,3}}\s*\)")),
    (4, re.compile(r"^\d{1,2}\s*[.、](?!\d)")),
    (5, re.compile(r"^\(\s*\d{1,2}\s*\)")),
)
# A heading is a short line: longer numbered lines are list items or
# paragraphs that start with a number (measured on the shipped corpus: its
# headings are at most 38 characters).
MAX_HEADING_CHARS = 40
_CAPTION = re.compile(r"^(附?表|圖)\s*[\d一二三四五六七八九十]+(?:[-–.]\d+)?\s*[、:：.\s]?")
# Table-of-contents entries: dot leaders or a trailing page number.
_TOC_LINE = re.compile(r"(\.{3,}|…{2,}|‧{3,})\s*\d*\s*$|\t\s*\d+\s*$")
# Sentence punctuation and commas do not occur in headings; a numbered line
# holding them is a list item or a heading-like line broken mid-sentence.
_SENTENCE_PUNCT = re.compile(r"[。；;,，]")


def is_toc_line(line: str) -> bool:
    """True for a table-of-contents entry (dot leaders or a trailing page
    number after a tab)."""
    return bool(_TOC_LINE.search(line))


def heading_level(line: str) -> int | None:
    """The heading level (0–5, see the module table) of a line, or ``None``.

    A line is a heading when it starts with a numbering pattern, has at most
    :data:`MAX_HEADING_CHARS` characters, holds no sentence punctuation
    or comma (。；，), is not a table row and is not a table-of-contents entry.
    """
    text = line.strip()
    if not text or "\t" in line or len(text) > MAX_HEADING_CHARS:
        return None
    if _SENTENCE_PUNCT.search(text) or is_toc_line(text):
        return None
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(text)
        if m and (len(text) > m.end() or level == 0):
            return level
    return None


def is_caption(line: str) -> bool:
    """True for a table or figure caption (``表 3、經費需求表``, ``圖 2 …``)
    of at most 60 characters."""
    text = line.strip()
    return bool(text) and "\t" not in line and len(text) <= 60 and bool(_CAPTION.match(text)) and not is_toc_line(text)


class SectionTracker:
    """Keeps the current section path while lines are read in order.

    Example:
        >>> t = SectionTracker()
        >>> t.feed("貳、計畫目標及績效指標"); t.feed("三、預期績效指標及評估基準")
        True
        True
        >>> t.path
        ['貳、計畫目標及績效指標', '三、預期績效指標及評估基準']
    """

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    @property
    def path(self) -> list[str]:
        """Heading titles, outermost first."""
        return [title for _, title in self._stack]

    def feed(self, line: str) -> bool:
        """Update the path if ``line`` is a heading; return whether it was."""
        level = heading_level(line)
        if level is None:
            return False
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, " ".join(line.split())))
        return True

"""Clean extracted text: Unicode folding, converter debris, page furniture,
and lines broken mid-sentence.

The stored text is never translated (no Simplified/Traditional conversion):
only compatibility forms are folded.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .structure import heading_level, is_caption

# Checkbox inputs left by HTML converters: checked → ■, unchecked → □ (the
# glyphs Taiwanese government forms print for 勾選 boxes).
_CHECKED_BOX = re.compile(r"<input\b[^>]*\bchecked\b[^>]*/?>", re.I)
_UNCHECKED_BOX = re.compile(r"<input\b[^>]*type=[\"']?checkbox[\"']?[^>]*/?>", re.I)
# Line-breaking tags become line breaks; other tags of the small set PDF/HTML
# converters leave behind are dropped. Only known tag names are touched, so
# text such as "<5 萬元" or "a < b" survives.
_BREAK_TAGS = re.compile(r"<\s*(br|/p|/li|/tr)\s*/?>", re.I)
_DROP_TAGS = re.compile(r"<\s*/?\s*(p|u|b|i|em|strong|span|div|font|li|ul|ol|table|tr|td|th|sup|sub)\b[^>]*>", re.I)
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")

# Page furniture: a line that is only a page number ("- 3 -", "3", "第 3 頁",
# "3/120", "頁 3"), as footers and headers print them.
PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}|第\s*\d{1,4}\s*頁(?:\s*[/，,]?\s*共\s*\d+\s*頁)?|\d{1,4}\s*/\s*\d{1,4}|頁\s*\d{1,4})\s*$")

# A running header/footer repeats on at least this share of pages (and on at
# least 3 pages) at a page's top or bottom.
RUNNING_LINE_MIN_SHARE = 0.5

# Sentence-final punctuation (after NFKC fold): a line ending with one of
# these is complete and is never joined to the next.
SENTENCE_END = "。！？!?;；:：」』"
# List and bullet markers that start a new item even without a heading number.
_ITEM_START = re.compile(r"^(?:[-•●■□◆◇▪※★☆○◎‧・]|註|備註|資料來源|說明\s*[:：]|\d+\s*[.、]|\(\d+\)|[A-Za-z]\.)")
_UNIT_LINE = re.compile(r"^[(（]?\s*單位\s*[:：]")


@dataclass(frozen=True)
class Line:
    """One logical line of a cleaned document.

    Attributes:
        page: 1-based page the line starts on.
        text: the line; table rows are tab-separated; ``""`` is a paragraph
            break.
        page_starts: for a line rejoined across a page break, ``(offset,
            page)`` of each later page's first character in :attr:`text`.
    """

    page: int
    text: str
    page_starts: tuple[tuple[int, int], ...] = ()

    @property
    def is_table_row(self) -> bool:
        return "\t" in self.text

    def page_at(self, offset: int) -> int:
        """The page the character at ``offset`` of :attr:`text` is printed on."""
        page = self.page
        for start, later in self.page_starts:
            if start > offset:
                break
            page = later
        return page


def _break_lines(line: str) -> str:
    """``line`` with its line-breaking tags as newlines -- except before its
    last tab, where the tags sit inside a cell of a table row whose other
    cells follow (「工作項目說明」 cells holding 「<p>…</p> <ul> ● …」 before
    the yearly figures): there a break would cut the row in two, so they
    become spaces.  A form's last cell of paragraphs (「政策依據\t<p>1.…</p>
    <p>2.…</p>」) still breaks into lines."""
    cut = line.rfind("\t")
    return _BREAK_TAGS.sub(" ", line[:cut]) + _BREAK_TAGS.sub("\n", line[cut:]) if cut >= 0 \
        else _BREAK_TAGS.sub("\n", line)


def fold_text(text: str) -> str:
    """NFKC-fold one page of text and strip converter debris.

    NFKC turns full-width digits, Latin letters and ASCII punctuation
    (``１２３，：（）``) into their ASCII forms and leaves Traditional
    characters unchanged. HTML checkbox inputs become □/■, line-breaking tags
    become newlines (spaces before a table row's last cell, see
    :func:`_break_lines`), other known tags and markdown ``**bold**`` markers are
    removed, control characters dropped, trailing spaces stripped.
    """
    text = _CHECKED_BOX.sub("■", text)
    text = _UNCHECKED_BOX.sub("□", text)
    text = "\n".join(map(_break_lines, text.split("\n")))
    text = _DROP_TAGS.sub("", text)
    text = _MD_BOLD.sub(r"\1", text)
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    return "\n".join(ln.rstrip() for ln in text.split("\n"))


def _edge_lines(lines: list[str], n: int = 2) -> list[str]:
    body = [ln.strip() for ln in lines if ln.strip()]
    return body[:n] + body[-n:]


def strip_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Remove page numbers and running headers/footers.

    Args:
        pages: each page's lines.

    Returns:
        The same pages without the lines at their top or bottom (first or
        last two non-blank lines) that are a bare page number or that
        repeat there on at least :data:`RUNNING_LINE_MIN_SHARE` of the
        pages (minimum 3 pages).
    """
    counts = Counter(ln for page in pages for ln in set(_edge_lines(page)))
    min_pages = max(3, int(RUNNING_LINE_MIN_SHARE * len(pages)))
    running = {ln for ln, c in counts.items() if c >= min_pages and len(pages) >= 3 and "\t" not in ln}
    out = []
    for page in pages:
        edges = set(_edge_lines(page))
        # Only at a page's top or bottom: a bare number inside the page is
        # content (a year, a count, a page reference in a table).
        out.append([ln for ln in page if not (ln.strip() in edges and (PAGE_NUMBER_RE.match(ln) or ln.strip() in running))])
    return out


def _is_break_barrier(text: str) -> bool:
    return "\t" in text or heading_level(text) is not None or is_caption(text) or bool(_UNIT_LINE.match(text))


def _is_break_barrier_joined(joined: str, last: str) -> bool:
    # A line built from several physical lines is a barrier only as a table
    # row; a single physical line is judged by _continues itself.
    return joined != last and "\t" in joined


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


# A heading-like line at least this long that ends mid-word is taken for the
# first line of a numbered paragraph broken by the converter (the shipped
# corpus's longest true headings end in ")" or are shorter).
BROKEN_HEADING_MIN_CHARS = 24


def word_across(a: str, b: str) -> bool:
    """True when jieba reads a word across the end of ``a`` and the start of
    ``b`` (「(一)半導體產」 + 「業人才培育」 → 產業): the line break cut a word,
    so ``a`` is not a complete heading."""
    from .tokenize import PlanTokenizer

    if not (a and b and "\u4e00" <= a[-1] <= "\u9fff" and "\u4e00" <= b[0] <= "\u9fff"):
        return False
    left, right = a[-4:], b[:4]
    pos = 0
    for word in PlanTokenizer().words(left + right):
        start = (left + right).find(word, pos)
        if start < 0:
            continue
        if start < len(left) < start + len(word):
            return True
        pos = start + len(word)
    return False


def _continues(a: str, b: str, across_blank: bool) -> bool:
    """Whether line ``b`` continues the sentence that line ``a`` (the last
    physical line read) leaves open."""
    if not a or not b or _is_break_barrier(b) or _ITEM_START.match(b):
        return False
    if _is_break_barrier(a):
        broken_heading = heading_level(a) is not None and a[-1] not in ")）" and "\t" not in a and (
            # a word cut by a line wrap: only between adjacent lines, since a
            # blank line after a heading is just the gap before its paragraph
            len(a) >= BROKEN_HEADING_MIN_CHARS or (not across_blank and word_across(a, b))
        )
        if not broken_heading:
            return False
    if a[-1] in SENTENCE_END:
        return False
    if across_blank:
        # A blank line usually ends a paragraph; continue across it only when
        # the line visibly stops mid-clause (after 、，( or a number/word that
        # the next line completes) — as in sources broken into short lines.
        return a[-1] in "、,，(（" or (len(a) <= 40 and not b[0] in "(（「")
    return True


def rejoin_lines(lines: list[Line]) -> list[Line]:
    """Join lines broken mid-sentence, keeping table rows, headings, captions,
    unit lines and list items on their own lines.

    A line that does not end in sentence-final punctuation
    (:data:`SENTENCE_END`) is joined with the next non-blank line, directly
    or across one blank line when it stops mid-clause. CJK text is joined
    without a space; ASCII words get one space.
    """
    out: list[Line] = []
    pending_blank = False
    last = ""  # the last physical line appended
    for ln in lines:
        text = ln.text.strip() if "\t" not in ln.text else ln.text
        if not text.strip():
            pending_blank = True
            continue
        if out and out[-1].text and _continues(last, text, pending_blank) and not _is_break_barrier_joined(out[-1].text, last):
            prev = out[-1]
            joined = _join(prev.text, text)
            starts = prev.page_starts
            if ln.page != prev.page_at(len(prev.text)):
                starts += ((len(joined) - len(text), ln.page),)
            out[-1] = Line(prev.page, joined, starts)
        else:
            if pending_blank and out:
                out.append(Line(ln.page, ""))
            out.append(Line(ln.page, text))
        pending_blank = False
        last = text
    return out


def clean_pages(pages: list[tuple[int, str]]) -> list[Line]:
    """Run the whole cleaning stage.

    Args:
        pages: ``(page_number, text)`` pairs, page numbers 1-based.

    Returns:
        The document's logical lines, each tagged with its page.
    """
    folded = [fold_text(text).split("\n") for _, text in pages]
    kept = strip_page_furniture(folded)
    lines = [Line(num, text) for (num, _), page in zip(pages, kept) for text in page]
    return rejoin_lines(lines)

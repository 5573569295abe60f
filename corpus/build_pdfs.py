"""Render the shipped plan documents (``corpus/sources/*.txt``) into PDFs.

Usage::

    python corpus/build_pdfs.py            # all five documents
    python corpus/build_pdfs.py DOC_ID ... # only these (manifest keeps the others)
    python corpus/build_pdfs.py --engine chromium|libreoffice [--out DIR]
                                           # real-world renderings (corpus/renderings.py)

Writes ``corpus/pdf/<doc_id>.pdf`` and ``corpus/manifest.json``.

The layout rules below are a contract with the ingestion pipeline (see
``corpus/README.md``):

* A4 portrait, 2 cm margins, footer ``- N -`` (N = physical page number) on
  every page except the cover (page 1).
* Text is rendered literally: every source character except whitespace
  appears in the PDF in source order (HTML fragments and markdown marks left
  by converters stay visible; only ``&<>`` are XML-escaped for Paragraph).
* One Paragraph per non-blank source line (lines are never merged); a run of
  blank lines becomes a small vertical gap.
* A run of consecutive lines containing TAB is one table: one Paragraph per
  cell, left/top aligned, GRID lines, no SPAN, default cell padding, no
  repeated header rows.  Tables that do not fit the portrait frame even at
  6 pt go on a landscape A4 page.
* Lines that start with Taiwanese government numbering (第一部分, 壹、, 一、,
  (一), 1., (1), 表 N, 圖 N) are headings; dot-leader TOC lines are not.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import PageBreak, PageBreakIfNotEmpty

CORPUS_DIR = Path(__file__).resolve().parent
SOURCES_DIR = CORPUS_DIR / "sources"
PDF_DIR = CORPUS_DIR / "pdf"
MANIFEST_PATH = CORPUS_DIR / "manifest.json"

# ---------------------------------------------------------------------------
# Per-document facts, read off the cover / basic-data pages of each source.
# ---------------------------------------------------------------------------
DOCS: list[dict] = [
    {
        "doc_id": "most-2018-phd-talent-training",
        # Cover lines 3-13: 政府科技發展中程個案計畫書 / 科技部 /
        # 「重點產業高階人才培訓與就業計畫」/ 計畫全程：106 年 9 月至 109 年 12 月 /
        # 107 年 8 月.
        "title": "重點產業高階人才培訓與就業計畫",
        "agency": "科技部",
        "period": "106 年 9 月至 109 年 12 月",
        "cover_date": "107 年 8 月",
    },
    {
        "doc_id": "ey-2018-taiwan-ai-action-plan",
        # Cover lines 5-13: 行政院 107 年 6 月 29 日院臺科會字第 1070172174 號函核定 /
        # 臺灣 AI 行動計畫 / (2018-2021 年) / (核定本) / 2018 年 6 月.
        "title": "臺灣 AI 行動計畫",
        "agency": "行政院",
        "period": "2018-2021 年",
        "cover_date": "2018 年 6 月",
    },
    {
        "doc_id": "moda-2025-ai-industry-adoption",
        # Cover lines 3-7: 晶片驅動臺灣產業創新 / -AI產業應用與普及發展計畫 /
        # (核定本) / 數位發展部 / 114年03月.  Period: 伍、一、計畫期程
        # (line 1538) 「本計畫期程自 114 年至 117 年，共計 4 年。」
        "title": "晶片驅動臺灣產業創新-AI產業應用與普及發展計畫",
        "agency": "數位發展部",
        "period": "114 年至 117 年",
        "cover_date": "114 年 03 月",
    },
    {
        "doc_id": "moea-2023-digital-talent",
        # Cover (修正對照表 A009, lines 1-7): 計畫名稱：數位與特殊技術人才發展計畫 /
        # 申請機關(單位)：經濟部.  Period: 基本資料表 line 664
        # 「執行期間 112 年 01 月 01 日 至 113 年 12 月 31 日」.  The cover
        # carries no date, hence cover_date None.
        "title": "數位與特殊技術人才發展計畫",
        "agency": "經濟部",
        "period": "112 年 01 月 01 日至 113 年 12 月 31 日",
        "cover_date": None,
    },
    {
        "doc_id": "moeaidb-2019-aigo-intro",
        # Cover slide lines 5-9: AI產業之創新驅動 人才接軌、產業創新 /
        # 人才培育計畫(AI GO)介紹 / 108年6月11日.  Agency: 「經濟部工業局主辦」
        # (line 251) and 「(經濟部工業局廣告)」 (line 282).  The deck states no
        # programme period; it presents the 108 年度 round (lines 179, 280).
        "title": "AI產業之創新驅動 人才接軌、產業創新 人才培育計畫(AI GO)介紹",
        "agency": "經濟部工業局",
        "period": "108 年度",
        "cover_date": "108 年 6 月 11 日",
    },
]

# ---------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------
UMING_PATH = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
# Face order in uming.ttc (fontTools TTCollection / fc-list):
# 0 AR PL UMing CN, 1 HK, 2 TW, 3 TW MBE.
UMING_TW_INDEX = 2
# Symbols missing from UMing (✓ ➢ ➤ ⁺) are drawn with DejaVu Sans if present.
SYMBOL_FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CID_FALLBACK = "MSung-Light"


@dataclass
class Fonts:
    """Registered font names.

    ``main`` is used for all text; ``symbol`` (may be None) for characters in
    ``symbol_chars`` that ``main`` lacks.
    """

    main: str
    symbol: str | None = None
    symbol_chars: frozenset = field(default_factory=frozenset)


def register_fonts(uming_path: Path = UMING_PATH) -> Fonts:
    """Register UMing TW (or the MSung-Light CID fallback) with reportlab.

    Returns the :class:`Fonts` to use.  Prints a warning on stderr when the
    TTC file is missing and the built-in CID font is used instead (the CID
    font is not embedded).
    """
    if not uming_path.exists():
        print(f"WARNING: {uming_path} not found; falling back to the "
              f"non-embedded CID font {CID_FALLBACK}", file=sys.stderr)
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        return Fonts(main=CID_FALLBACK)
    main = TTFont("UMing", str(uming_path), subfontIndex=UMING_TW_INDEX)
    if main.face.name not in (b"UMingTW", "UMingTW"):
        raise RuntimeError(f"face {UMING_TW_INDEX} of {uming_path} is "
                           f"{main.face.name!r}, expected UMingTW")
    pdfmetrics.registerFont(main)
    fonts = Fonts(main="UMing")
    if SYMBOL_FONT_PATH.exists():
        sym = TTFont("DejaVuSans", str(SYMBOL_FONT_PATH))
        pdfmetrics.registerFont(sym)
        main_cmap = main.face.charToGlyph
        fonts.symbol = "DejaVuSans"
        fonts.symbol_chars = frozenset(
            chr(c) for c in sym.face.charToGlyph
            if c not in main_cmap and c > 0x20)
    return fonts


def alias_missing_glyphs(fonts: Fonts, text: str) -> str:
    """Make characters of ``text`` that no registered font can draw
    extractable: each is mapped to the main TTF's .notdef glyph (glyph 0,
    drawn as .notdef, advance = one CJK em) so that reportlab gives it a
    subset code and a ToUnicode entry.  Without this reportlab writes them as
    code 0 with no Unicode mapping and text extraction loses them (e.g. 爲
    U+7232 and 闗 U+95D7 are absent from every UMing face).

    Returns the aliased characters (possibly empty); no-op for CID fonts.
    """
    font = pdfmetrics.getFont(fonts.main)
    if not isinstance(font, TTFont):
        return ""
    face = font.face
    em = face.charWidths.get(ord("國"), 1000)
    missing = sorted({ch for ch in text
                      if ord(ch) > 0x20 and ord(ch) not in face.charToGlyph
                      and ch not in fonts.symbol_chars})
    for ch in missing:
        face.charToGlyph[ord(ch)] = 0
        face.charWidths[ord(ch)] = em
    return "".join(missing)


def markup(text: str, fonts: Fonts) -> str:
    """XML-escape ``text`` for a Paragraph, switching to the symbol font for
    characters the main font lacks.  No character is dropped."""
    out = escape(text)
    if fonts.symbol and any(ch in fonts.symbol_chars for ch in text):
        out = "".join(
            f'<font name="{fonts.symbol}">{ch}</font>'
            if ch in fonts.symbol_chars else ch
            for ch in out)
    return out


# ---------------------------------------------------------------------------
# Source-line classification
# ---------------------------------------------------------------------------
# Numbering conventions of Taiwanese government plan documents (行政院
# 「中長程個案計畫」格式 / 政府科技發展計畫書 templates).  Level 0 is the
# largest heading.
HEADING_PATTERNS: list[tuple[int, re.Pattern]] = [
    (0, re.compile(r"^第[一二三四五六七八九十]+部分")),
    (1, re.compile(r"^[壹貳參肆伍陸柒捌玖拾]{1,3}\s*、")),
    (2, re.compile(r"^[一二三四五六七八九十]{1,3}\s*、")),
    (3, re.compile(r"^[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]")),
    (4, re.compile(r"^\d{1,2}\s*[.、．](?!\d)")),
    (5, re.compile(r"^[(（]\s*\d{1,2}\s*[)）]")),
    (3, re.compile(r"^[表圖]\s*\d+")),
]
# A dot-leader table-of-contents entry ("壹、計畫緣起.....  1").
TOC_LINE = re.compile(r"(\.{3,}|…{2,}|‧{3,}|·{3,}|．{3,})\s*\d*\s*$")
# The line that ends the cover: 目錄 / 目次 / 第一部分目錄 / 表目錄.
TOC_TITLE = re.compile(r"^(第[一二三四五六七八九十]+部分)?[表圖]?目\s*[錄次]$")
# Headings up to this many characters are kept on one line (font shrinks).
SHORT_HEADING_CHARS = 40


def heading_level(line: str) -> int | None:
    """Heading level (0 = 第一部分 ... 5 = (1)) of a source line, or None.

    Dot-leader TOC lines are never headings.
    """
    s = line.strip()
    if not s or TOC_LINE.search(s):
        return None
    for level, pat in HEADING_PATTERNS:
        if pat.match(s):
            return level
    return None


@dataclass
class Block:
    """One layout unit: kind in {"cover", "heading", "para", "gap", "table"}.

    ``lines`` holds the cover lines, ``text`` a heading/paragraph line,
    ``rows`` the table cells (list of rows, each a list of str, padded).
    """

    kind: str
    text: str = ""
    level: int = 0
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def cover_end(lines: list[str]) -> int:
    """Index of the first line after the cover: the first 目錄/目次 line,
    else the first heading, else the first table line."""
    for i, line in enumerate(lines):
        s = line.strip()
        if TOC_TITLE.match(s) or heading_level(line) is not None or "\t" in line:
            return i
    return len(lines)


def parse_blocks(text: str) -> list[Block]:
    """Split a source text into layout blocks (see module docstring)."""
    lines = text.split("\n")
    n_cover = cover_end(lines)
    blocks = [Block("cover", lines=[s.strip() for s in lines[:n_cover]])]
    i = n_cover
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                if lines[i].strip():
                    rows.append(lines[i].split("\t"))
                i += 1
            if rows:
                ncol = max(len(r) for r in rows)
                blocks.append(Block("table", rows=[r + [""] * (ncol - len(r)) for r in rows]))
            continue
        if not line.strip():
            if blocks[-1].kind != "gap":
                blocks.append(Block("gap"))
        else:
            level = heading_level(line)
            if level is None:
                blocks.append(Block("para", text=line.strip()))
            else:
                blocks.append(Block("heading", text=line.strip(), level=level))
        i += 1
    return blocks


# ---------------------------------------------------------------------------
# Styles and table geometry
# ---------------------------------------------------------------------------
MARGIN = 2 * cm
PORTRAIT = A4
LANDSCAPE = landscape(A4)
BODY_SIZE = 10.5
HEADING_SIZES = {0: 16, 1: 15, 2: 13, 3: 11.5, 4: 11, 5: 11}
TABLE_SIZES = (8, 7.5, 7, 6.5, 6)
CELL_HPAD = 12  # reportlab default LEFTPADDING + RIGHTPADDING (6 + 6 pt)
NUMBER_TOKEN = re.compile(r"[-+]?[\d][\d,.%]*")
ASCII_TOKEN = re.compile(r"[!-~]+")
MAX_BREAKABLE_TOKEN = 45.0  # pt; longer ASCII words (URLs) may wrap
# A text column narrower than this many CJK characters makes a cell a tall
# ribbon ("分項/一：/重點/..."); such tables go landscape instead.
MIN_CELL_CHARS = 4


def make_styles(font: str) -> dict[str, ParagraphStyle]:
    """ParagraphStyles keyed by name; all use ``wordWrap="CJK"``."""
    base = dict(fontName=font, wordWrap="CJK")
    styles = {
        "body": ParagraphStyle("body", fontSize=BODY_SIZE, leading=BODY_SIZE * 1.45, **base),
        "cover": ParagraphStyle("cover", fontSize=18, leading=28, alignment=TA_CENTER,
                                spaceAfter=4, **base),
    }
    for level, size in HEADING_SIZES.items():
        styles[f"h{level}"] = ParagraphStyle(
            f"h{level}", fontSize=size, leading=size * 1.4, spaceBefore=size * 0.6,
            spaceAfter=size * 0.3, keepWithNext=1, **base)
    for size in TABLE_SIZES:
        styles[f"cell{size}"] = ParagraphStyle(
            f"cell{size}", fontSize=size, leading=size * 1.25, **base)
    return styles


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def column_widths(rows: list[list[str]], font: str, size: float,
                  avail: float) -> list[float] | None:
    """Column widths (pt) for ``rows`` at ``size`` pt that fit ``avail`` pt.

    Each column gets at least (plus cell padding) the widest of: any number
    token (so ``1,234,567`` never wraps), any other ASCII word up to
    MAX_BREAKABLE_TOKEN pt, and MIN_CELL_CHARS CJK characters (or the whole
    cell if shorter).  The rest is shared in proportion to the square root of
    the extra width each column needs to show its longest cell on one line,
    capped at that need.  Returns None when the minimum widths alone exceed
    ``avail``: the table does not fit at this size.
    """
    ncol = len(rows[0])
    need = [0.0] * ncol
    least = [4.0 + CELL_HPAD] * ncol
    min_text = _width("國" * MIN_CELL_CHARS, font, size)
    for row in rows:
        for j, cell in enumerate(row):
            s = " ".join(cell.split())
            if not s:
                continue
            natural = _width(s, font, size)
            need[j] = max(need[j], natural + CELL_HPAD + 1)
            m = min(natural, min_text)
            for tok in ASCII_TOKEN.findall(s):
                w = _width(tok, font, size)
                if NUMBER_TOKEN.fullmatch(tok):
                    m = max(m, w)
                else:
                    m = max(m, min(w, MAX_BREAKABLE_TOKEN))
            least[j] = max(least[j], m + CELL_HPAD + 1)
    need = [max(n, l) for n, l in zip(need, least)]
    if sum(least) > avail:
        return None
    if sum(need) <= avail:
        scale = avail / sum(need)
        return [n * scale for n in need]
    # Capped proportional share: the slack above the minimums is split in
    # proportion to sqrt(need - least), and a column never gets more than it
    # needs (its surplus is re-split among the others).  The square root keeps
    # a long text column from starving short label and number columns, while
    # still giving it most of the room.
    widths = list(least)
    open_cols = {j for j in range(ncol) if need[j] > least[j]}
    slack = avail - sum(least)
    while open_cols and slack > 0.01:
        weight = {j: math.sqrt(need[j] - widths[j]) for j in open_cols}
        total = sum(weight.values())
        capped = {j for j in open_cols if slack * weight[j] / total >= need[j] - widths[j]}
        if not capped:
            for j in open_cols:
                widths[j] += slack * weight[j] / total
            break
        for j in capped:
            slack -= need[j] - widths[j]
            widths[j] = need[j]
        open_cols -= capped
    return widths


@dataclass
class TableLayout:
    """Chosen geometry: font size (pt), column widths (pt), orientation."""

    size: float
    widths: list[float]
    landscape: bool


def choose_layout(rows: list[list[str]], font: str) -> TableLayout:
    """Portrait at 8 → 6 pt, then landscape at 8 → 6 pt; if nothing fits,
    landscape 6 pt with the minimum widths scaled down to the frame."""
    for is_land, page in ((False, PORTRAIT), (True, LANDSCAPE)):
        avail = page[0] - 2 * MARGIN
        for size in TABLE_SIZES:
            widths = column_widths(rows, font, size, avail)
            if widths:
                return TableLayout(size, widths, is_land)
    avail = LANDSCAPE[0] - 2 * MARGIN
    size = TABLE_SIZES[-1]
    widths = column_widths(rows, font, size, 1e9)
    scale = avail / sum(widths)
    return TableLayout(size, [w * scale for w in widths], True)


TABLE_STYLE = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.4, "black"),
    ("ALIGN", (0, 0), (-1, -1), "LEFT"),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
])


def make_table(rows: list[list[str]], layout: TableLayout, style: ParagraphStyle,
               fonts: Fonts, frame_height: float) -> Table:
    """A reportlab Table with one Paragraph per cell.

    Rows are split across pages only when a single row is taller than the
    frame (``splitInRow``); otherwise whole rows move to the next page.
    """
    data = [[Paragraph(markup(c.strip(), fonts), style) for c in row] for row in rows]
    tallest = 0.0
    for row in data:
        h = max(p.wrap(w - CELL_HPAD, 1e6)[1] for p, w in zip(row, layout.widths))
        tallest = max(tallest, h + 6)  # + TOPPADDING + BOTTOMPADDING
    return Table(data, colWidths=layout.widths, style=TABLE_STYLE, hAlign="LEFT",
                 splitInRow=1 if tallest > frame_height * 0.9 else 0)


# ---------------------------------------------------------------------------
# Document assembly
# ---------------------------------------------------------------------------
def heading_paragraph(block: Block, styles: dict, fonts: Fonts, avail: float) -> Paragraph:
    """Heading Paragraph (keep-with-next); short headings shrink (not below
    0.8 x body size) to stay on one line, long ones wrap at body size."""
    style = styles[f"h{block.level}"]
    text = " ".join(block.text.split())
    if len(text) > SHORT_HEADING_CHARS:
        # A long numbered line is a list item, not a title: body size, and not
        # chained to the next line (long keep-with-next chains break badly).
        style = ParagraphStyle(f"{style.name}-long", parent=style, fontSize=BODY_SIZE,
                               leading=BODY_SIZE * 1.45, keepWithNext=0)
    else:
        w = _width(text, style.fontName, style.fontSize)
        if w > avail:
            size = max(BODY_SIZE * 0.8, style.fontSize * avail / w * 0.98)
            style = ParagraphStyle(f"{style.name}-fit", parent=style,
                                   fontSize=size, leading=size * 1.4)
    return Paragraph(markup(text, fonts), style)


# A short line right before a table ("單位：千元", "表 8：…") is its caption:
# it is kept with the table and follows it onto a landscape page.
CAPTION_MAX_CHARS = 40
CAPTION_MAX_LINES = 3


def plan_orientation(blocks: list[Block], layouts: dict[int, TableLayout]
                     ) -> tuple[list[bool], set[int]]:
    """Page orientation per block (True = landscape) and the indices of
    caption blocks.

    Landscape tables are landscape; up to CAPTION_MAX_LINES short
    paragraph/heading lines just before any table are captions and take the
    table's orientation; gaps keep the orientation of what precedes them;
    everything else is portrait.
    """
    orient = [False] * len(blocks)
    captions: set[int] = set()
    for k, layout in layouts.items():
        orient[k] = layout.landscape
        taken, i = 0, k - 1
        while i > 0 and taken < CAPTION_MAX_LINES:
            b = blocks[i]
            if b.kind == "gap":
                i -= 1
                continue
            if b.kind not in ("para", "heading") or len(b.text) > CAPTION_MAX_CHARS:
                break
            captions.add(i)
            orient[i] = layout.landscape
            taken += 1
            i -= 1
    for i, b in enumerate(blocks):
        if b.kind == "gap" and i > 0:
            orient[i] = orient[i - 1]
    return orient, captions


def build_story(blocks: list[Block], fonts: Fonts) -> tuple[list, dict]:
    """Flowables for ``blocks`` and counters {"tables", "landscape_tables",
    "split_row_tables"}."""
    styles = make_styles(fonts.main)
    frame = {False: (PORTRAIT[0] - 2 * MARGIN, PORTRAIT[1] - 2 * MARGIN),
             True: (LANDSCAPE[0] - 2 * MARGIN, LANDSCAPE[1] - 2 * MARGIN)}
    layouts = {i: choose_layout(b.rows, fonts.main)
               for i, b in enumerate(blocks) if b.kind == "table"}
    orient, captions = plan_orientation(blocks, layouts)
    story: list = []
    stats = {"tables": len(layouts), "split_row_tables": 0,
             "landscape_tables": sum(t.landscape for t in layouts.values())}
    in_landscape = False
    caption_start: int | None = None  # story index of the pending caption run
    for i, block in enumerate(blocks):
        if block.kind == "cover":
            story.append(Spacer(1, 5 * cm))
            for line in block.lines:
                if line:
                    story.append(Paragraph(markup(line, fonts), styles["cover"]))
                else:
                    story.append(Spacer(1, 10))
            story.append(NextPageTemplate("portrait"))
            story.append(PageBreak())
            continue
        if block.kind == "gap":
            gap = Spacer(1, 5)
            if story and story[-1].getKeepWithNext():
                gap.keepWithNext = 1  # do not cut a heading from what follows
            story.append(gap)
            continue
        if orient[i] != in_landscape:
            in_landscape = orient[i]
            story.append(NextPageTemplate("landscape" if in_landscape else "portrait"))
            story.append(PageBreakIfNotEmpty())
        frame_w, frame_h = frame[in_landscape]
        if block.kind == "table":
            layout = layouts[i]
            table = make_table(block.rows, layout, styles[f"cell{layout.size}"], fonts, frame_h)
            lead = _take_lead(story, caption_start)
            story.append(keep_with_lead(lead, table, sum(layout.widths), frame_h))
            stats["split_row_tables"] += bool(table.splitInRow)
            caption_start = None
            continue
        if i in captions and caption_start is None:
            caption_start = len(story)
        elif i not in captions:
            caption_start = None
        if block.kind == "heading":
            story.append(heading_paragraph(block, styles, fonts, frame_w))
        else:
            story.append(Paragraph(markup(block.text, fonts), styles["body"]))
    return story, stats


def _take_lead(story: list, caption_start: int | None) -> list:
    """Remove and return the flowables that must stay with a following table:
    the pending caption run plus any keep-with-next headings/gaps before it.
    Their keepWithNext is cleared: the caller groups them explicitly (nested
    KeepTogether groups do not keep their lead in reportlab 4-5)."""
    start = len(story) if caption_start is None else caption_start
    while (start > 0 and isinstance(story[start - 1], (Paragraph, Spacer))
           and story[start - 1].getKeepWithNext()):
        start -= 1
    lead = story[start:]
    del story[start:]
    for f in lead:
        f.keepWithNext = 0
    return lead


# A long table starts on the current page only if at least this fraction of
# the frame is left; otherwise it moves (with its captions) to the next page.
LONG_TABLE_MIN_SPACE = 1 / 3


def keep_with_lead(lead: list, table: Table, width: float, frame_h: float) -> KeepTogether:
    """Group ``lead`` (captions, headings) with ``table``.

    A table that fits on one page is kept whole with its lead (moved to the
    next page if needed).  A longer table splits between rows; it starts on
    the current page, right after its lead, when at least
    LONG_TABLE_MIN_SPACE of the frame is free.
    """
    height = table.wrap(width, frame_h)[1]
    height += sum(f.wrap(width, frame_h)[1] for f in lead)
    if height <= frame_h:
        return KeepTogether(lead + [table])
    return KeepTogether(lead + [table], maxHeight=frame_h * LONG_TABLE_MIN_SPACE)


def _footer(canvas, doc) -> None:
    """Centred ``- N -`` page number, omitted on the cover (page 1)."""
    page = canvas.getPageNumber()
    if page == 1:
        return
    width, _ = canvas._pagesize
    canvas.saveState()
    canvas.setFont(doc.footer_font, 9)
    canvas.drawCentredString(width / 2, 1.0 * cm, f"- {page} -")
    canvas.restoreState()


def make_doc(path: Path, meta: dict, fonts: Fonts) -> BaseDocTemplate:
    """BaseDocTemplate with 'portrait' and 'landscape' A4 page templates and
    PDF metadata /Title, /Author, /Subject from ``meta``."""
    doc = BaseDocTemplate(
        str(path), pagesize=PORTRAIT, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN, title=meta["title"],
        author=meta["agency"], subject=meta["period"], creator="planqa corpus/build_pdfs.py",
        invariant=1)
    doc.footer_font = fonts.main
    templates = []
    for name, size in (("portrait", PORTRAIT), ("landscape", LANDSCAPE)):
        frame = Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                      id=name)
        templates.append(PageTemplate(id=name, frames=[frame], onPage=_footer, pagesize=size))
    doc.addPageTemplates(templates)
    return doc


def render_text(text: str, meta: dict, out: Path, fonts: Fonts) -> dict:
    """Render a plan's source text (the format of ``corpus/sources``) to the
    PDF ``out`` as the shipped builder does; ``meta`` gives the PDF's
    /Title, /Author and /Subject (keys title, agency, period).  Returns the
    build stats (tables, landscape_tables, split_row_tables, notdef)."""
    aliased = alias_missing_glyphs(fonts, text)
    story, stats = build_story(parse_blocks(text), fonts)
    make_doc(out, meta, fonts).build(story)
    stats["notdef"] = aliased
    return stats


def build_one(meta: dict, fonts: Fonts) -> dict:
    """Render one document; returns its manifest entry plus build stats
    under the key "_stats" (removed before writing the manifest)."""
    from pypdf import PdfReader

    doc_id = meta["doc_id"]
    out = PDF_DIR / f"{doc_id}.pdf"
    t0 = time.perf_counter()
    stats = render_text((SOURCES_DIR / f"{doc_id}.txt").read_text(encoding="utf-8"), meta, out, fonts)
    pages = len(PdfReader(str(out)).pages)
    stats.update(seconds=round(time.perf_counter() - t0, 1), bytes=out.stat().st_size)
    return {
        "doc_id": doc_id,
        "file": f"pdf/{doc_id}.pdf",
        "title": meta["title"],
        "agency": meta["agency"],
        "period": meta["period"],
        "cover_date": meta["cover_date"],
        "source_text": f"sources/{doc_id}.txt",
        "pages": pages,
        "_stats": stats,
    }


def render_other(engine: str, wanted: set[str], out_dir: Path) -> int:
    """Render ``wanted`` documents with a non-shipped engine into ``out_dir``
    (:mod:`renderings`); the shipped PDFs and the manifest are not touched."""
    from renderings import ENGINES

    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for meta in DOCS:
        if meta["doc_id"] not in wanted:
            continue
        t = time.perf_counter()
        blocks = parse_blocks((SOURCES_DIR / f"{meta['doc_id']}.txt").read_text(encoding="utf-8"))
        try:
            out = ENGINES[engine](meta, blocks, out_dir)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{meta['doc_id']:34s} {out.stat().st_size / 1e6:6.2f} MB {time.perf_counter() - t:6.1f} s  {out}")
    print(f"{engine}: {time.perf_counter() - t0:.1f} s")
    return 0


#: Rendering engines: the shipped reportlab build and the real-world ones of
#: :mod:`renderings`.
ENGINE_NAMES = ("reportlab", "chromium", "libreoffice")


def main(argv: list[str]) -> int:
    """Build the requested documents (default: all) with one engine; the
    reportlab engine rewrites ``corpus/pdf`` and the manifest."""
    import argparse

    ap = argparse.ArgumentParser(prog="build_pdfs.py", description="Render the shipped plans to PDF.")
    ap.add_argument("doc_ids", nargs="*", help="documents to build (default: all)")
    ap.add_argument("--engine", default="reportlab", choices=ENGINE_NAMES,
                    help="reportlab: the shipped PDFs; chromium / libreoffice: real-world renderings")
    ap.add_argument("--out", type=Path, default=None,
                    help="output folder for chromium / libreoffice (default build/renderings/ENGINE)")
    args = ap.parse_args(argv)
    wanted = set(args.doc_ids) or {d["doc_id"] for d in DOCS}
    unknown = wanted - {d["doc_id"] for d in DOCS}
    if unknown:
        print(f"unknown doc_id(s): {sorted(unknown)}", file=sys.stderr)
        return 2
    if args.engine != "reportlab":
        out = args.out or CORPUS_DIR.parent / "build" / "renderings" / args.engine
        return render_other(args.engine, wanted, out)
    PDF_DIR.mkdir(exist_ok=True)
    fonts = register_fonts()
    old = {}
    if MANIFEST_PATH.exists():
        old = {e["doc_id"]: e for e in json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))}
    manifest = []
    t0 = time.perf_counter()
    for meta in DOCS:
        if meta["doc_id"] not in wanted:
            if meta["doc_id"] in old:
                manifest.append(old[meta["doc_id"]])
            continue
        entry = build_one(meta, fonts)
        s = entry.pop("_stats")
        print(f"{entry['doc_id']:34s} {entry['pages']:4d} pages {s['bytes'] / 1e6:6.2f} MB "
              f"{s['seconds']:6.1f} s  tables={s['tables']} landscape={s['landscape_tables']} "
              f"split-row={s['split_row_tables']} notdef={s['notdef'] or '-'}")
        manifest.append(entry)
    MANIFEST_PATH.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    total = sum((CORPUS_DIR / e["file"]).stat().st_size for e in manifest)
    print(f"total {total / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

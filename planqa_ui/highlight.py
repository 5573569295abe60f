"""Which parts of a cited passage support the answer sentences that cite it.

The UI marks (``<mark>``) in each source passage

* the **figures** the sentences state (whole number tokens: ``350,000`` is
  marked where the passage has ``350,000``, never inside ``1,350,000``);
* the **runs of words** a sentence shares with the passage (at least
  :data:`MIN_RUN` characters, compared after NFKC folding with whitespace
  removed, so ``108 年度`` matches ``108年度`` and ``：`` matches ``:``);
* for a **table** passage (tab-separated rows), whole cells: a text cell the
  sentence contains (the row label ``分項二:AI 智慧應用暨新世代人才培育推動``,
  the header ``小計``), and a figure cell with one of the sentence's figures
  — only in the rows whose label the sentence names, when it names one.

Everything here works on plain text and returns character spans; escaping
and HTML are :mod:`planqa_ui.render`'s job.

Example:
    >>> spans = text_spans("本計畫每年培訓 330 名博士。", ["每年培訓 330 名博士[1]。"])
    >>> [("本計畫每年培訓 330 名博士。")[a:b] for a, b in spans]
    ['每年培訓 330 名博士']
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Shortest shared run (characters, whitespace excluded) worth marking; two
# characters (計畫, 人才) match nearly every passage.
MIN_RUN = 3
# A run must hold at least this many letters, digits or CJK characters
# (punctuation alone is no support).
MIN_WORD_CHARS = 2

MARKER_RE = re.compile(r"\[\d{1,3}\]")
NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NUMBER_CELL = re.compile(r"[-−–]?\d[\d,]*(?:\.\d+)?%?")

# Punctuation trimmed from the ends of a marked run (after NFKC folding, so
# the full-width forms are covered too).
_EDGE_PUNCT = frozenset(" ,.;:!?、。「」『』\t\n")

Span = tuple[int, int]


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC-fold ``text`` one character at a time, lower-cased; returns the
    folded text and, for each folded character, its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for f in unicodedata.normalize("NFKC", ch).lower():
            out.append(f)
            index.append(i)
    return "".join(out), index


def _squash(folded: str) -> tuple[str, list[int]]:
    """Drop whitespace; returns the squashed text and, per character, its
    index in ``folded``."""
    keep = [i for i, ch in enumerate(folded) if not ch.isspace()]
    return "".join(folded[i] for i in keep), keep


def sentence_key(sentence: str) -> str:
    """The sentence without its ``[n]`` markers, folded and without
    whitespace: the string passages are matched against."""
    folded, _ = _fold(MARKER_RE.sub("", sentence))
    return _squash(folded)[0]


def number_value(token: str) -> str:
    """A number token's comparable form: separators dropped (``350,000`` →
    ``350000``), a trailing ``.0`` kept as written."""
    return token.replace(",", "").lstrip("-−–")


def sentence_numbers(sentence: str) -> set[str]:
    """The figures a sentence states (markers excluded), as
    :func:`number_value` forms."""
    folded, _ = _fold(MARKER_RE.sub("", sentence))
    return {number_value(m.group()) for m in NUMBER_RE.finditer(folded)}


def _word_chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sort spans and merge the overlapping or touching ones."""
    out: list[Span] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _runs(text: str, keys: list[str]) -> list[Span]:
    """Spans of ``text`` (original indices) that occur in one of ``keys``
    (sentence keys), at least :data:`MIN_RUN` characters long, never cutting
    a number token in two."""
    folded, fidx = _fold(text)
    squashed, sidx = _squash(folded)
    numbers = [(m.start(), m.end()) for m in NUMBER_RE.finditer(folded)]
    spans: list[Span] = []
    for key in keys:
        if not key:
            continue
        i = 0
        n = len(squashed)
        while i < n:
            if squashed[i] not in key:
                i += 1
                continue
            j = i + 1
            while j < n and squashed[i:j + 1] in key:
                j += 1
            # squashed[i:j] is the longest run from i; map to folded indices
            fs, fe = sidx[i], sidx[j - 1] + 1
            for a, b in numbers:  # do not cut numbers
                if a < fs < b:
                    fs = b
                if a < fe < b:
                    fe = a
            while fs < fe and folded[fs] in _EDGE_PUNCT:  # no dangling punctuation
                fs += 1
            while fe > fs and folded[fe - 1] in _EDGE_PUNCT:
                fe -= 1
            piece = folded[fs:fe] if fe > fs else ""
            if len("".join(piece.split())) >= MIN_RUN and _word_chars(piece) >= MIN_WORD_CHARS:
                spans.append((fidx[fs], fidx[fe - 1] + 1))
                i = j
            else:
                i += 1
    return spans


def _number_spans(text: str, values: set[str]) -> list[Span]:
    """Spans of the whole number tokens of ``text`` whose value is in
    ``values``."""
    if not values:
        return []
    folded, fidx = _fold(text)
    return [(fidx[m.start()], fidx[m.end() - 1] + 1) for m in NUMBER_RE.finditer(folded)
            if number_value(m.group()) in values]


def text_spans(text: str, sentences: list[str]) -> list[Span]:
    """Spans of a prose passage that support ``sentences``: shared runs of
    words and the sentences' figures, merged, as indices into ``text``."""
    keys = [sentence_key(s) for s in sentences]
    values: set[str] = set()
    for s in sentences:
        values |= sentence_numbers(s)
    return merge_spans(_runs(text, keys) + _number_spans(text, values))


@dataclass
class TableView:
    """A table passage split for display.

    Attributes:
        caption: the lines before the first row (title, unit line), each with
            its supporting spans.
        rows: the rows, each a list of ``(cell text, spans)``; rows are padded
            to the same number of cells.
        hit_rows: indices of the rows whose label and figure a sentence names.
    """

    caption: list[tuple[str, list[Span]]] = field(default_factory=list)
    rows: list[list[tuple[str, list[Span]]]] = field(default_factory=list)
    hit_rows: set[int] = field(default_factory=set)


def is_number_cell(cell: str) -> bool:
    """True when the cell is one figure (``350,000``, ``-1.5``, ``12%``)."""
    folded, _ = _fold(cell.strip())
    return bool(folded) and bool(_NUMBER_CELL.fullmatch("".join(folded.split())))


MONEY_UNITS = ("百萬元", "千萬元", "千元", "萬元", "億元")


def _unit_spans(line: str, sentences: list[str]) -> list[Span]:
    """Spans of the money units (千元, 萬元 …) of a caption or unit line that
    the sentences also use."""
    out: list[Span] = []
    for unit in MONEY_UNITS:
        if any(unit in s for s in sentences):
            out.extend((m.start(), m.end()) for m in re.finditer(unit, line))
    return out


def _cell_number(cell: str) -> str:
    folded, _ = _fold(cell)
    return number_value("".join(folded.split()).rstrip("%"))


def split_table(text: str) -> tuple[list[str], list[list[str]]]:
    """Split a table chunk's text into caption lines (the lines before the
    first tab-separated line) and rows of cells (later lines without a tab
    are one-cell rows)."""
    lines = [ln for ln in text.split("\n")]
    caption: list[str] = []
    rows: list[list[str]] = []
    for ln in lines:
        if not rows and "\t" not in ln:
            if ln.strip():
                caption.append(ln)
            continue
        rows.append(ln.split("\t"))
    return caption, rows


def table_view(text: str, sentences: list[str]) -> TableView:
    """Mark a table passage (see the module docstring for the rules)."""
    caption, rows = split_table(text)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    view = TableView(caption=[(ln, merge_spans(text_spans(ln, sentences) + _unit_spans(ln, sentences)))
                              for ln in caption])
    marks: list[list[list[Span]]] = [[[] for _ in r] for r in rows]
    for sentence in sentences:
        key = sentence_key(sentence)
        values = sentence_numbers(sentence)
        if not key:
            continue
        named_rows: set[int] = set()   # data rows whose label the sentence names
        figure_cells: list[tuple[int, int]] = []
        for r, row in enumerate(rows):
            label = next((c for c in row if c.strip()), "")
            if label and not is_number_cell(label) and len(sentence_key(label)) >= 2 \
                    and sentence_key(label) in key and any(is_number_cell(c) for c in row):
                named_rows.add(r)
            figure_cells.extend((r, c) for c, cell in enumerate(row)
                                if is_number_cell(cell) and _cell_number(cell) in values)
        for r, row in enumerate(rows):
            header = not any(is_number_cell(c) for c in row)
            if not (header or r in named_rows):
                continue  # words of other rows are not what the sentence says
            for c, cell in enumerate(row):
                ckey = sentence_key(cell)
                if len(ckey) < 2 or is_number_cell(cell):
                    continue
                if ckey in key:
                    marks[r][c].append((0, len(cell)))
                elif len(ckey) >= 8:
                    marks[r][c].extend(_runs(cell, [key]))
        for r, c in figure_cells:
            if named_rows and r not in named_rows:
                continue
            marks[r][c].append((0, len(rows[r][c])))
            if r in named_rows:
                view.hit_rows.add(r)
    view.rows = [[(cell, merge_spans(marks[r][c])) for c, cell in enumerate(row)] for r, row in enumerate(rows)]
    return view

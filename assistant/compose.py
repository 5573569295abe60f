"""Extractive answer composition (no LLM): pick the sentences and table cells
that answer the question and quote them, each with its ``[n]`` marker.

Candidate evidence units come from the retrieved chunks:

* a prose **sentence**, quoted verbatim;
* a table **cell** with its row label and column header, stated as
  「{row} {column}：{value} {unit}」 (every word and figure from the chunk).

Each unit is scored by how well it covers the question's words (idf-weighted
jieba words and CJK bigrams, including the table title and headers around a
cell), whether it holds the kind of figure the question asks for, whether it
names the asked year in either calendar, and the chunk's retrieval rank. The
best unit leads the answer; close runners-up from other chunks follow, and a
runner-up that gives a different figure for the same thing is flagged as a
conflicting value.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from ingest.chunking import split_sentences
from ingest.models import Chunk
from ingest.tokenize import PlanTokenizer

from .figures.cells import Cell, table_cells
from .citations import STOP_WORDS
from .figures.compare import same_quantity
from .figures.quantities import Quantity, extract_quantities
from .query import QueryAnalysis, QuestionType
from .retrieve import Hit

# Weights of the unit score's parts (sum of the coverage weights is 1).
W_WORDS = 0.6     # idf-weighted share of the question's words in the unit
W_BIGRAMS = 0.4   # share of the question's CJK bigrams in the unit
TYPE_BONUS = 0.25  # the unit holds the kind of figure the question asks for
YEAR_BONUS = 0.25  # it names an asked year …
YEAR_PENALTY = 0.4  # … or names only other years
RANK_BONUS = 0.15  # divided by the chunk's retrieval rank
# Below this score nothing retrieved answers the question: abstain.
# Calibrated on the benchmark (eval/): see README for the rates it gives.
MIN_ANSWER_SCORE = 0.45
# Runners-up within this share of the best score may be quoted too.
SUPPORT_RATIO = 0.8
MAX_SUPPORT = 2
# Two units speak of the same thing when the question words they cover
# overlap at least this much (Jaccard), see Composer._same_subject.
SAME_SUBJECT_OVERLAP = 0.5
# Question words that say nothing about the content.
_QUESTION_WORDS = frozenset("多少 多久 幾 哪些 哪個 什麼 是否 如何 怎麼 為何 誰 何時 請問 嗎 呢 有 是 請 可以 能 會 需 要 目前 這個 本 該 經費 預算".split()) - {"經費", "預算"}
# An asked year must be named by one of the best units' chunks (or in the
# last characters of the chunk before, where a list's lead-in line sits),
# else: abstain — the plans give no figure for that year.
YEAR_CONTEXT_UNITS = 5
YEAR_LEAD_IN_CHARS = 120
# The question asks for a figure (not e.g. 「有沒有編列」).
_ASKS_FIGURE = re.compile(r"多少|幾|金額|how much|how many|what is the (budget|amount)")
# The best unit stating the asked amount must score at least this share of
# the best unit overall to lead (else the passage that matches does not
# state the amount: abstain). Tuned on the benchmark.
LEAD_FIGURE_RATIO = 0.6
# The question asks for a total (合計, 總經費, 全程 …): cells in total rows or
# columns get TOTAL_BONUS.
_ASKS_TOTAL = re.compile(r"合計|總計|總經費|總額|總預算|加起來|全程|全部|total|combined|overall|altogether")
_TOTAL = re.compile(r"合計|總計|總額|小計|總經費|預算總額")
TOTAL_BONUS = 0.15
# The question asks for several figures at once (各是多少, 分別, 和 … 各):
# several cells of one table may be quoted.
_ASKS_SEVERAL = re.compile(r"各是|各為|各多少|分別|各自|和.{0,12}各|與.{0,12}各|each|respectively|both|and how much")
_ELIGIBILITY_CUES = re.compile(r"資格|對象|申請|須|需|應|限|具備|具有|以上|以內|年內|畢業|學歷|條件|不得|得以|符合")
_AGENCY_CUES = re.compile(r"部|局|署|會|處|院|中心|機關|單位|辦公室|法人")
_PERIOD_CUES = re.compile(r"\d+\s*年|\d+\s*月|期程|期間|為期|年期|個月|起至|至\s*\d")


def _is_amount(q: Quantity) -> bool:
    """Money, or a bare figure of at least 3 digits (budget rows printed as
    text lines carry no unit of their own)."""
    return q.kind == "money" or (q.kind == "number" and q.value >= 100 and q.unit in ("", None))


@dataclass
class Unit:
    """A candidate piece of evidence.

    Attributes:
        hit: the retrieved chunk it comes from.
        text: the sentence, or the cell statement for a table cell.
        match_text: text used for matching (a cell adds title and headers).
        cell: the table cell, for cell units.
        quantities: quantities in ``text``.
        score: the unit score.
    """

    hit: Hit
    text: str
    match_text: str
    cell: Cell | None = None
    quantities: list[Quantity] = field(default_factory=list)
    score: float = 0.0

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk


@dataclass
class Composition:
    """What :func:`compose` decided.

    Attributes:
        sentences: ``(text, chunk)`` pairs in answer order; the caller turns
            chunks into numbered citations.
        abstained: no evidence answers the question.
        reason: why it abstained (``""`` otherwise).
        conflict: the documents give different figures for the asked thing.
        best_score: score of the lead unit (0 when none).
    """

    sentences: list[tuple[str, Chunk]]
    abstained: bool
    reason: str = ""
    conflict: bool = False
    best_score: float = 0.0


class Composer:
    """Compose extractive answers.

    Args:
        idf: word → idf over the chunks (from the retriever).
        max_idf: idf given to words never seen in the index.
        min_score: abstention threshold, see :data:`MIN_ANSWER_SCORE`.
        previous: the chunk before a chunk in its document (``None`` at the
            start), for the lines that introduce a list (「112 年主要績效指標:」).
    """

    def __init__(self, idf: dict[str, float], max_idf: float, min_score: float = MIN_ANSWER_SCORE,
                 previous: Callable[[Chunk], Chunk | None] | None = None):
        self.idf = idf
        self.max_idf = max_idf
        self.min_score = min_score
        self.previous = previous or (lambda chunk: None)
        self._tok = PlanTokenizer()
        # chunk ids are content hashes, so parsed cells never go stale
        self._cell_cache: dict[str, tuple[Cell, ...]] = {}

    def _cells(self, chunk: Chunk) -> tuple[Cell, ...]:
        if chunk.chunk_id not in self._cell_cache:
            self._cell_cache[chunk.chunk_id] = tuple(table_cells(chunk))
        return self._cell_cache[chunk.chunk_id]

    # -- units ---------------------------------------------------------------
    def units(self, hits: list[Hit]) -> list[Unit]:
        """All candidate units of the hits."""
        out: list[Unit] = []
        for hit in hits:
            c = hit.chunk
            if c.chunk_type == "table":
                context = " ".join([c.table_title, c.section_path[-1] if c.section_path else ""])
                for cell in self._cells(c):
                    text = self.cell_statement(cell)
                    out.append(Unit(hit, text, f"{context} {text}", cell,
                                    extract_quantities(text)))
                # table rows without figures (eligibility grids, KPI wording)
                for line in c.text.split("\n"):
                    if line and not any(ch.isdigit() for ch in line) and len(line) > 8 and "\t" in line:
                        text = " ".join(p for p in line.split("\t") if p.strip())
                        out.append(Unit(hit, text, f"{context} {text}", None, []))
            else:
                path = " ".join(c.section_path[-1:])
                for line in c.text.split("\n"):
                    for sent in split_sentences(line):
                        sent = sent.strip()
                        if len(sent) >= 4:
                            out.append(Unit(hit, sent, f"{path} {sent}", None, extract_quantities(sent)))
        return out

    @staticmethod
    def cell_statement(cell: Cell) -> str:
        """「{row} {column}：{value} {unit}」 for a cell (unit only when the
        table states a money or count unit)."""
        unit = cell.unit.replace("新臺幣", "").replace("新台幣", "").strip()
        value = f"{cell.value} {unit}".strip() if unit and not cell.value.endswith("%") else cell.value
        head = " ".join(x for x in (cell.row_label, cell.column) if x)
        return f"{head}：{value}" if head else value

    # -- scoring -------------------------------------------------------------
    def _query_terms(self, query: QueryAnalysis) -> tuple[dict[str, float], set[str]]:
        words = {}
        for w in self._tok.words(query.text):
            if w in STOP_WORDS or w in _QUESTION_WORDS or w.isdigit():
                continue
            if query.lang == "en" and w.isascii() and w not in self.idf:
                continue  # English words absent from the plans: their glossary terms stand in
            words[w] = self.idf.get(w, self.max_idf)
        bigrams = {b for b in self._tok.bigrams(query.text) if not b.isdigit()}
        return words, bigrams

    def _score(self, unit: Unit, query: QueryAnalysis, words: dict[str, float], bigrams: set[str]) -> float:
        text = unicodedata.normalize("NFKC", unit.match_text).lower().replace(",", "")
        total = sum(words.values()) or 1.0
        w_cov = sum(v for w, v in words.items() if w in text) / total if words else 0.0
        b_cov = sum(1 for b in bigrams if b in text) / len(bigrams) if bigrams else w_cov
        score = W_WORDS * w_cov + W_BIGRAMS * b_cov
        kinds = {q.kind for q in unit.quantities}
        qt = query.qtype
        if qt is QuestionType.AMOUNT and "money" in kinds:
            score += TYPE_BONUS
        elif qt is QuestionType.TARGET and kinds & {"count", "percent", "money"}:
            score += TYPE_BONUS
        elif qt is QuestionType.ELIGIBILITY and _ELIGIBILITY_CUES.search(unit.text):
            score += TYPE_BONUS
        elif qt is QuestionType.AGENCY and _AGENCY_CUES.search(unit.text):
            score += TYPE_BONUS
        elif qt is QuestionType.PERIOD and _PERIOD_CUES.search(unit.text):
            score += TYPE_BONUS
        if unit.cell is not None and _ASKS_TOTAL.search(query.text.lower()) and _TOTAL.search(unit.cell.describe()):
            score += TOTAL_BONUS
        if query.years_western:
            years = [q for q in extract_quantities(unit.match_text) if q.kind == "year"]
            unit_years = {int(q.value) for q in years} | {int(q.upper) for q in years if q.upper}
            bare = set(re.findall(r"(?<!\d)(\d{3,4})(?!\d)", unit.cell.column if unit.cell else ""))
            asked = set(query.years_western)
            if asked & unit_years or bare & set(query.year_terms):
                score += YEAR_BONUS
            elif unit_years or bare:
                score -= YEAR_PENALTY
        return score + RANK_BONUS / max(1, unit.hit.rank)

    # -- composition ---------------------------------------------------------
    def compose(self, query: QueryAnalysis, hits: list[Hit]) -> Composition:
        """Choose and order the answer sentences (see the module docstring)."""
        if not hits:
            return Composition([], True, "no passage matches the question")
        words, bigrams = self._query_terms(query)
        units = self.units(hits)
        for u in units:
            u.score = self._score(u, query, words, bigrams)
        units.sort(key=lambda u: -u.score)
        if not units or units[0].score < self.min_score:
            return Composition([], True, "no passage answers the question", best_score=units[0].score if units else 0.0)
        best = units[0]
        if query.years_western and not any(self._names_year(u, query) for u in units[:YEAR_CONTEXT_UNITS]):
            return Composition([], True, "the documents give no figure for the year asked", best_score=best.score)
        if query.qtype is QuestionType.AMOUNT and _ASKS_FIGURE.search(query.text.lower()):
            # an amount is asked: lead with the best unit that states one
            with_figure = [u for u in units if any(_is_amount(q) for q in u.quantities)]
            if not with_figure or with_figure[0].score < max(self.min_score, LEAD_FIGURE_RATIO * best.score):
                return Composition([], True, "no passage states the amount asked", best_score=best.score)
            best = with_figure[0]
            units = [best] + [u for u in units if u is not best]
        chosen = [best]
        flagged = [False]
        conflict = False
        for u in units[1:]:
            if len(chosen) > MAX_SUPPORT or u.score < SUPPORT_RATIO * best.score:
                break
            if any(u.text == c.text or (u.chunk.chunk_id == c.chunk.chunk_id and (u.cell is None) != (c.cell is None)) for c in chosen):
                continue
            if u.cell is not None and best.cell is not None and u.chunk.chunk_id == best.chunk.chunk_id \
                    and not _ASKS_SEVERAL.search(query.text.lower()):
                continue  # another cell of the same table adds noise, unless several figures are asked
            if u.cell is not None and any(c.cell is not None and self._repeats(u, c) for c in chosen):
                continue  # the same cell printed again in another table says nothing new
            differs = self._different_figures(best, u) and self._same_subject(best, u, query, words)
            conflict = conflict or differs
            chosen.append(u)
            flagged.append(differs)
        sentences = []
        for u, differs in zip(chosen, flagged):
            text = u.text.rstrip("。")
            sentences.append((f"另有不同數值：{text}" if differs else text, u.chunk))
        return Composition(sentences, False, conflict=conflict, best_score=best.score)

    def _names_year(self, unit: Unit, query: QueryAnalysis) -> bool:
        """The unit's chunk (text, headers or section), or the end of the
        chunk before it, names an asked year."""
        prev = self.previous(unit.chunk)
        lead_in = prev.text[-YEAR_LEAD_IN_CHARS:] if prev is not None else ""
        text = " ".join([lead_in, unit.chunk.text, *unit.chunk.section_path])
        return any(re.search(rf"(?<!\d){y}(?!\d)", text) for y in query.year_terms)

    def _covered(self, unit: Unit, words: dict[str, float]) -> frozenset[str]:
        text = unicodedata.normalize("NFKC", unit.match_text).lower().replace(",", "")
        return frozenset(w for w in words if w in text)

    def _same_subject(self, a: Unit, b: Unit, query: QueryAnalysis, words: dict[str, float]) -> bool:
        """Whether two units speak of the same thing: not two cells of one
        table, the overlapping question words covered, the same asked years named,
        and for two cells the same column path or both totals."""
        if a.chunk.chunk_id == b.chunk.chunk_id and a.cell is not None and b.cell is not None:
            return False
        ca, cb = self._covered(a, words), self._covered(b, words)
        if len(ca & cb) < SAME_SUBJECT_OVERLAP * len(ca | cb):
            return False
        if query.years_western and not (self._names_year_in(a.match_text, query) and self._names_year_in(b.match_text, query)):
            return False
        if a.cell is not None and b.cell is not None:
            same_col = re.sub(r"\s", "", a.cell.column) == re.sub(r"\s", "", b.cell.column)
            totals = all(re.search(r"合計|小計|總計|總額|經費|預算", c.cell.column) for c in (a, b))
            return same_col or totals
        return True

    @staticmethod
    def _names_year_in(text: str, query: QueryAnalysis) -> bool:
        return any(re.search(rf"(?<!\d){y}(?!\d)", text) for y in query.year_terms)

    @staticmethod
    def _repeats(a: Unit, b: Unit) -> bool:
        """Two cells with the same column path and the same figures (a table
        printed twice, as a summary and a detail)."""
        if not a.quantities or len(a.quantities) != len(b.quantities):
            return False
        same_col = re.sub(r"\s", "", a.cell.column) == re.sub(r"\s", "", b.cell.column)
        return same_col and all(same_quantity(x, y) for x, y in zip(a.quantities, b.quantities))

    @staticmethod
    def _different_figures(a: Unit, b: Unit) -> bool:
        """Both state a figure of the same kind (money, count, percent) and
        none of a's equals any of b's."""
        qa = [q for q in a.quantities if q.kind in ("money", "count", "percent")]
        qb = [q for q in b.quantities if q.kind in ("money", "count", "percent")]
        if not qa or not qb or {q.kind for q in qa}.isdisjoint({q.kind for q in qb}):
            return False
        return not any(same_quantity(x, y) for x in qa for y in qb)

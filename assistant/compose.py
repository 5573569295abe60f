"""Extractive answer composition (no LLM): pick the sentences and table cells
that answer the question and quote them, each with its ``[n]`` marker.

Candidate evidence units come from the retrieved chunks:

* a prose **sentence**, quoted verbatim;
* a table **cell** with its row label and column header, stated as
  「{row} {column}：{value} {unit}」 (every word and figure from the chunk).

Each unit gets the :data:`~assistant.selector.FEATURES` of its agreement
with the question (idf-weighted word and bigram coverage including the table
title and headers around a cell, the question's slots matched or
contradicted, the asked year, the kind of figure asked for, a total), its
semantic similarity with the question (the index's embedding model, e5 by
default) and its chunk's retrieval; the fitted ranker (:class:`~assistant.selector.SelectorModel`)
orders them. A unit that contradicts a slot the question names is never
quoted. The best unit leads the answer when the selector's gate probability
(P(the plans answer the question), or P(right);
:meth:`~assistant.selector.SelectorModel.gate`) reaches the threshold (else:
abstain); runners-up within the fitted margin
follow (at most :data:`MAX_SUPPORT`, none naming another year), and a
runner-up that gives a different figure for the same thing is flagged as a
conflicting value.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from os.path import commonprefix
from typing import Callable

import numpy as np

from ingest.chunking import split_sentences
from ingest.models import Chunk
from ingest.tokenize import PlanTokenizer

from .citations import OTHER_VALUE, STOP_WORDS
from .english import cell_lead, sentence_lead
from .figures.cells import Cell, row_name, table_cells
from .figures.compare import same_quantity
from .figures.counted import counted
from .figures.docfields import DATE, iso_date
from .figures.quantities import Quantity, extract_quantities
from .query import QueryAnalysis, QuestionType
from .retrieve import Hit
from .selector import (
    ASKS_FIGURE,
    FEATURES,
    SEMANTIC_FEATURES,
    TOTAL,
    QuestionContext,
    SelectorModel,
    confidence_features,
    features,
    is_amount,
    period_total_cell,
    semantic_features,
)
from .slots import asked_focus, named_values, question_slots, unmet, unnamed_component

# At most this many runners-up are quoted after the lead (those scoring
# within the selector's support_margin of it).
MAX_SUPPORT = 2
# Two units speak of the same thing when the question words they cover
# overlap at least this much (Jaccard), see Composer._same_subject.
SAME_SUBJECT_OVERLAP = 0.5
# Question words that say nothing about the content.
_QUESTION_WORDS = frozenset("多少 多久 幾 哪些 哪個 什麼 是否 如何 怎麼 為何 誰 何時 請問 嗎 呢 有 是 請 可以 能 會 需 要 目前 這個 本 該".split())
# Whether an asked year is named by one of the best units' chunks (or in the
# last characters of the chunk before, where a list's lead-in line sits) is
# the answerability gate's ``doc_year_unnamed`` signal.
YEAR_CONTEXT_UNITS = 5
YEAR_LEAD_IN_CHARS = 120
# The question asks for several figures at once (各是多少, 分別, 和 … 各):
# several cells of one table may be quoted.
_ASKS_SEVERAL = re.compile(r"各是|各為|各多少|分別|各自|和.{0,12}各|與.{0,12}各|each|respectively|both|and how much")
# An amount question that asks a share ("how much of the director's time",
# 「占多少比例」): a percent states it.
_ASKS_SHARE = re.compile(r"how much of (?:the|their|his|her|its|a|one's)\b|\b(?:share|percent(?:age)?|proportion)\b|"
                         r"比例|比率|比重|幾成|百分之")
_CONTRADICTED = FEATURES.index("slots_contradicted")
_MATCHED = FEATURES.index("slots_matched")
_OTHER_YEAR = FEATURES.index("year_other")
_YEAR_NAMED = FEATURES.index("year_named")
_TOTAL_BROADER = FEATURES.index("total_broader")


@dataclass
class Unit:
    """A candidate piece of evidence.

    Attributes:
        hit: the retrieved chunk it comes from.
        text: the sentence, or the cell statement for a table cell.
        match_text: text used for matching (a cell adds title and headers).
        cell: the table cell, for cell units.
        quantities: quantities in ``text``.
        first: the first sentence (or row) of its chunk.
        row: its :data:`~assistant.selector.FEATURES` row (set by
            :meth:`Composer.compose`).
        score: the selector's ranker score (higher is better, comparable
            among the units of one question).
        extra: a kind of candidate the selector was not fitted with (a
            table row with a prose cell stating a figure): it is scored
            against the others, but moves none of their relative features
            (:func:`~assistant.selector.relative_inputs`) nor the answer's
            confidence unless it leads.
    """

    hit: Hit
    text: str
    match_text: str
    cell: Cell | None = None
    quantities: list[Quantity] = field(default_factory=list)
    first: bool = False
    row: np.ndarray | None = None
    score: float = 0.0
    extra: bool = False

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
        confidence: P(the answer is right) from the selector's confidence
            model (0 when no lead was found).
        signals: the lead's :data:`~assistant.selector.CONFIDENCE_FEATURES`
            (empty when no lead was found), from which ``confidence`` is
            computed.
        lead_text: the lead's full statement (a cell with every label of its
            row, as the selector read it), which conflict checks read; ``""``
            when the first sentence is it.
        lead_sentences: how many of the first sentences make up the lead:
            2 when an English lead (:mod:`assistant.english`) precedes the
            passage it restates, else 1.
        lead_row: ``(chunk_id, row label)`` of the lead when it is a table
            cell, else None: the row a part asked 「其中…」 of this answer
            looks in first (:meth:`Composer.compose`, ``within``).
    """

    sentences: list[tuple[str, Chunk]]
    abstained: bool
    reason: str = ""
    conflict: bool = False
    confidence: float = 0.0
    signals: list[float] = field(default_factory=list)
    lead_text: str = ""
    lead_sentences: int = 1
    lead_row: tuple[str, str] | None = None

    @property
    def lead(self) -> list[tuple[str, Chunk]]:
        """The sentences that make up the lead (empty for an abstention)."""
        return self.sentences[:self.lead_sentences]

    @property
    def support(self) -> list[tuple[str, Chunk]]:
        """The sentences after the lead."""
        return self.sentences[self.lead_sentences:]


# What an English lead and the statement it restates may differ in and
# still say the same: spaces and colons.
_LEAD_MARKS = re.compile(r"[\s:：]")


def _asked_kinds(query: QueryAnalysis) -> set[str]:
    """The kinds of figure a question asks for: money for an amount
    question, a count or a percentage for a target, any of them for another
    question asking how much / how many; none otherwise."""
    if query.qtype is QuestionType.AMOUNT:
        return {"money"}
    if query.qtype is QuestionType.TARGET:
        return {"count", "percent"}
    return {"money", "count", "percent"} if ASKS_FIGURE.search(query.text.lower()) else set()


def _months(text: str) -> frozenset[str]:
    """The months a text names, as Western ``YYYY-MM``
    (:data:`assistant.figures.docfields.DATE`, ROC years converted)."""
    return frozenset(d[:7] for m in DATE.finditer(text) if (d := iso_date(m.group(1), m.group(2))))


#: CJK characters from which a table cell is prose, not a label or a figure
#: (「延攬優秀 45 歲以下博士人才」 has 11; 「分項一:重點產業高階人才培訓」 is a label
#: without a digit).
PROSE_CELL_CHARS = 10
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _prose_with_figure(cell: str) -> bool:
    """A table cell written as prose that states a figure."""
    return any(ch.isdigit() for ch in cell) and len(_CJK.findall(cell)) >= PROSE_CELL_CHARS


def _label_values(unit: Unit, group) -> set[str]:
    """The values of label ``group`` that a unit names (a cell by its
    headers, :func:`~assistant.slots.named_values`)."""
    return named_values(unit.match_text, header=unit.cell is not None).get(group, set())


def _fitted(units: list[Unit]) -> np.ndarray:
    """Which units are of the kinds the selector was fitted with (not
    :attr:`Unit.extra`), as a boolean mask."""
    return np.array([not u.extra for u in units], dtype=bool)


def _measure(unit: Unit) -> str:
    """What a cell measures: its first quantity's kind and unit (「千元」
    money, 「%」 percent), "" when it states none."""
    q = unit.quantities[0] if unit.quantities else None
    return f"{q.kind}:{q.unit or ''}" if q else ""


class Composer:
    """Compose extractive answers.

    Args:
        idf: word → idf over the chunks (from the retriever).
        max_idf: idf given to words never seen in the index.
        min_score: abstention threshold on the selector's gate probability
            (:meth:`~assistant.selector.SelectorModel.gate`; ``None``: the
            fitted model's own threshold).
        previous: the chunk before a chunk in its document (``None`` at the
            start), for the lines that introduce a list (「112 年主要績效指標:」).
        model: the answer selector (default: the shipped
            :data:`assistant.selector.MODEL_PATH`).
        components: doc_id → the components (分項 / 子項) the whole
            document names (:func:`assistant.figures.labels.named_components`); a
            question about one that no searched document names is abstained
            on.  ``None``: not checked.
        words_held: ``(words, doc_id)`` → the words some chunk of the
            document holds (:meth:`assistant.retrieve.HybridRetriever.words_held`),
            for the confidence feature ``doc_missing``.  ``None``: every
            question word counts as held.
        periods: doc_id -> the plan's own period, Western ``(first, last)``
            year (``None`` when unknown), for the confidence features
            ``year_after_plan`` / ``year_before_plan``.
        similarity: ``(question, texts)`` → the cosine of the question with
            each text under the index's embedding model
            (:meth:`assistant.retrieve.HybridRetriever.similarity`), for the
            :data:`~assistant.selector.SEMANTIC_FEATURES`.  ``None`` (no
            vector model, or another than the selector was fitted with):
            those features take the model's fitted means, moving no score.
    """

    def __init__(self, idf: dict[str, float], max_idf: float, min_score: float | None = None,
                 previous: Callable[[Chunk], Chunk | None] | None = None, model: SelectorModel | None = None,
                 components: Callable[[str], frozenset] | None = None,
                 words_held: Callable[[Iterable[str], str], frozenset] | None = None,
                 periods: Callable[[str], tuple[int, int] | None] | None = None,
                 similarity: Callable[[str, list[str]], np.ndarray | None] | None = None):
        self.idf = idf
        self.max_idf = max_idf
        # the shipped model is read when first needed: building candidates
        # (what the selector's fitter does) must work while it is refitted
        self._model = model
        self._min_score = min_score
        self.previous = previous or (lambda chunk: None)
        self.components = components
        self.words_held = words_held
        self.periods = periods
        self.similarity = similarity
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
            first = True
            if c.chunk_type == "table":
                context = " ".join([c.table_title, c.section_path[-1] if c.section_path else ""])
                for cell in self._cells(c):
                    text = self.cell_statement(cell)
                    out.append(Unit(hit, text, f"{context} {text}", cell, extract_quantities(text), first))
                    first = False
                # table rows without figures (eligibility grids, KPI wording), and rows
                # with a prose cell that states one (「延攬優秀 45 歲以下博士人才」 in a
                # 分工表), which no figure cell reads
                for line in c.text.split("\n"):
                    if line and len(line) > 8 and "\t" in line:
                        with_figure = any(ch.isdigit() for ch in line)
                        if with_figure and not any(map(_prose_with_figure, line.split("\t"))):
                            continue
                        text = " ".join(p for p in line.split("\t") if p.strip())
                        out.append(Unit(hit, text, f"{context} {text}", None, [], first, extra=with_figure))
                        first = False
            else:
                path = " ".join(c.section_path[-1:])
                for line in c.text.split("\n"):
                    for sent in split_sentences(line):
                        sent = sent.strip()
                        if len(sent) >= 4:
                            out.append(Unit(hit, sent, f"{path} {sent}", None, extract_quantities(sent), first))
                            first = False
        return out

    @staticmethod
    def cell_statement(cell: Cell) -> str:
        """「{row} {column}：{value} {unit}」 for a cell (unit only when the
        table states a money or count unit)."""
        value = cell.value_with_unit()
        head = " ".join(x for x in (cell.row_label, cell.column) if x)
        return f"{head}：{value}" if head else value

    @property
    def model(self) -> SelectorModel:
        """The answer selector (the shipped one unless given)."""
        if self._model is None:
            self._model = SelectorModel.load()
        return self._model

    @model.setter
    def model(self, model: SelectorModel) -> None:
        self._model = model

    @property
    def min_score(self) -> float:
        """The abstention threshold: the one given, else the model's."""
        return self.model.threshold if self._min_score is None else self._min_score

    # -- scoring -------------------------------------------------------------
    def _query_terms(self, query: QueryAnalysis) -> tuple[dict[str, float], set[str]]:
        words = {}
        for w in self._tok.words(query.text):
            if w in STOP_WORDS or w in _QUESTION_WORDS or w.isdigit():
                continue
            if query.lang == "en" and w.isascii() and not (w.isupper() and w in self.idf):
                # English words: their glossary terms stand in (an English sentence quoted in
                # a Chinese plan shares words with every English question); acronyms the
                # plans use (AI, KPI, POC) are kept
                continue
            words[w] = self.idf.get(w, self.max_idf)
        bigrams = {b for b in self._tok.bigrams(query.text) if not b.isdigit()}
        return words, bigrams

    def context(self, query: QueryAnalysis, hits: list[Hit], slots_of: QueryAnalysis | None = None) -> QuestionContext:
        """The question's :class:`~assistant.selector.QuestionContext`; its
        slots those of ``slots_of`` when given (one part of a question that
        asks several things, :mod:`assistant.parts`)."""
        words, bigrams = self._query_terms(query)
        focus = {w: words[w] for w in asked_focus(query, self._tok.words) if w in words}
        return QuestionContext(query, words, frozenset(bigrams), question_slots(slots_of or query),
                               max((h.score for h in hits), default=0.0),
                               held=(lambda doc_id: self.words_held(words, doc_id)) if self.words_held else None,
                               focus=focus, period=self.periods)

    def candidates(self, query: QueryAnalysis, hits: list[Hit],
                   ctx: QuestionContext | None = None) -> tuple[list[Unit], np.ndarray]:
        """Every unit of the hits and its :data:`~assistant.selector.FEATURES`
        row (shape ``(len(units), len(FEATURES))``), in unit order."""
        ctx = ctx or self.context(query, hits)
        units = self.units(hits)
        n = len(units)
        x = np.array([features(u, ctx) for u in units], dtype=float).reshape(n, len(FEATURES) - len(SEMANTIC_FEATURES))
        # the text the retriever encoded for the vector ranking (one encoding serves both)
        sims = self.similarity(query.vector_text, [u.match_text for u in units]) if self.similarity and n else None
        sem = semantic_features(sims, n, query.lang == "en", _fitted(units))
        if sims is None and n:
            # unknown: the fitted means, which move no score
            sem[:] = np.asarray(self.model.mean)[[FEATURES.index(f) for f in SEMANTIC_FEATURES]]
        return units, np.hstack([x, sem])

    # -- composition ---------------------------------------------------------
    def compose(self, query: QueryAnalysis, hits: list[Hit], *, model: SelectorModel | None = None,
                min_score: float | None = None, slots_of: QueryAnalysis | None = None,
                within: tuple[str, str] | None = None) -> Composition:
        """Choose and order the answer sentences (see the module docstring).

        Args:
            query, hits: the analysed question and its retrieved chunks.
            model, min_score: for this call, instead of the Composer's own
                (the selector fitter composes with each fold's model).
            slots_of: the question whose slots the answer must meet, when
                not ``query`` itself: one part of a question that asks
                several things (「全程預算是多少？其中既有預算占多少？」 asks
                the total first and the 既有 share after it).
            within: the :attr:`Composition.lead_row` of the answer to the
                question's first part, when this part asks a share of it
                (a part with no subject of its own, 「其中新增預算有多少？」):
                the best figure of that row that names a value the part asks
                for leads (AI 領航推動's 新增 cell, not the plan's 新增預算
                row); else the ranking decides as usual.
        """
        if not hits:
            return Composition([], True, "no passage matches the question")
        model = model or self.model
        min_score = self.min_score if min_score is None else min_score
        ctx = self.context(query, hits, slots_of)
        if self.components is not None:
            named = frozenset().union(*(self.components(d) for d in {h.chunk.doc_id for h in hits}))
            missing = unnamed_component(ctx.slots, named)
            if missing:
                return Composition([], True, f"the documents name no {missing}")
        units, x = self.candidates(query, hits, ctx)
        # a unit that contradicts a slot the question names is never the answer,
        # nor a cell of a total row naming no 分項/子項 when the question names
        # one (「各額度經費合計」 for 「分項二 108 年度經費」; a component's own
        # 合計 column, 「建構多元產業應用｜合計」, stays), nor a cell whose
        # headers name only other years than the one asked, nor a
        # whole-period cell (a 合計 column) when one year is asked (a total
        # asked with it is across rows: 「2020 年五個主軸合計」)
        is_cell = np.array([u.cell is not None for u in units], dtype=bool)
        one_year = len(query.years_western) == 1
        period_total = np.array([one_year and period_total_cell(u.cell) for u in units], dtype=bool)
        total_row = np.array([u.cell is not None and bool(TOTAL.search(u.cell.row_label)) for u in units], dtype=bool)
        summed = np.array(unmet(ctx.slots, [(f"{u.chunk.chunk_id} {_measure(u)}", u.match_text)
                                            if u.cell is not None else None for u in units]), dtype=bool)
        keep = (x[:, _CONTRADICTED] == 0) & ~(total_row & (x[:, _TOTAL_BROADER] > 0)) \
            & ~(is_cell & (x[:, _OTHER_YEAR] > 0)) & ~summed \
            & ~(period_total & (x[:, _YEAR_NAMED] == 0)) if len(units) else np.zeros(0, dtype=bool)
        # scored among all the question's candidates, as the ranker was fitted
        # (the tree ranker reads each feature against the question's best)
        reference = _fitted(units)
        scores = model.scores(x, reference)[keep]
        units, x, reference = [u for u, k in zip(units, keep) if k], x[keep], reference[keep]
        if not units:
            return Composition([], True, "no passage answers the question")
        for u, s, row in zip(units, scores, x):
            u.score, u.row = float(s), row
        order = sorted(range(len(units)), key=lambda i: -scores[i])
        lead = order[0]
        # whether the asked year is named near one of the best units of the
        # lead's own document (another plan's 「在 2030 年…」 dates nothing of
        # this one): a signal for the answerability gate, not a rule
        lead_doc = units[lead].chunk.doc_id
        doc_year_unnamed = bool(query.years_western) and not any(
            self._names_year(units[i], query) for i in order[:YEAR_CONTEXT_UNITS] if units[i].chunk.doc_id == lead_doc)
        if query.qtype is QuestionType.AMOUNT and ASKS_FIGURE.search(query.text.lower()):
            # an amount is asked: lead with the best unit that states one
            share = bool(_ASKS_SHARE.search(query.question.lower()))
            with_figure = [i for i in order if any(is_amount(q) or share and q.kind == "percent"
                                                   for q in units[i].quantities)]
            if not with_figure:
                return Composition([], True, "no passage states the amount asked")
            lead = with_figure[0]
        if within is not None and ctx.slots.labels:
            # a share of the first part's answer: that row's cell naming what
            # is asked; when that row is the table's total (「合計」) and has
            # none, the same table's row of what is asked (「新增預算」)
            named = [i for i in order if units[i].cell is not None and units[i].quantities
                     and units[i].chunk.chunk_id == within[0] and x[i, _MATCHED] > 0]
            in_row = [i for i in named if units[i].cell.row_label == within[1]]
            if not in_row and TOTAL.search(within[1]):
                in_row = [i for i in named if any(str(v) in units[i].cell.row_label for v in ctx.slots.labels.values())]
            lead = in_row[0] if in_row else lead
        # the confidence reads the lead against the fitted kinds of candidate only
        seen = reference.copy()
        seen[lead] = True
        signals = confidence_features(scores[seen], x[seen], int(seen[:lead].sum()),
                                      units[lead], ctx, model.question_prior(query.question), doc_year_unnamed)
        confidence = model.confidence(signals)
        best = units[lead]
        units = [best] + [units[i] for i in order if i != lead]
        if model.gate(signals) < min_score:
            return Composition([], True, "no passage answers the question", confidence=confidence, signals=signals)
        chosen = [best]
        flagged = [False]
        conflict = False
        words = ctx.words
        for u in units[1:]:
            if len(chosen) > MAX_SUPPORT or u.score < best.score - model.support_margin:
                break
            if u.row[_OTHER_YEAR]:
                continue  # names other years than the one asked
            if any(u.text == c.text or (u.chunk.chunk_id == c.chunk.chunk_id and (u.cell is None) != (c.cell is None)) for c in chosen):
                continue
            if u.cell is not None and best.cell is not None and u.chunk.chunk_id == best.chunk.chunk_id \
                    and not _ASKS_SEVERAL.search(query.text.lower()):
                continue  # another cell of the same table adds noise, unless several figures are asked
            if u.cell is not None and any(c.cell is not None and self._repeats(u, c) for c in chosen):
                continue  # the same cell printed again in another table says nothing new
            differs = (self._different_figures(best, u)
                       or query.qtype is QuestionType.PERIOD and self._different_dates(best, u)) \
                and self._same_subject(best, u, query, words)
            conflict = conflict or differs
            chosen.append(u)
            flagged.append(differs)
        for u in self._each_named(ctx.slots, units, chosen):
            if u not in chosen:
                chosen.append(u)
                flagged.append(False)
        texts = [self._without_repeated_rows(u, chosen[:k]) for k, u in enumerate(chosen)]
        lead = None
        if query.lang == "en":
            lead = cell_lead(best.cell) if best.cell is not None else \
                sentence_lead(best.text, best.quantities, _asked_kinds(query), query.years_roc)
        if lead and _LEAD_MARKS.sub("", lead) == _LEAD_MARKS.sub("", texts[0]):
            lead = None  # it would say what the cell statement says (no year, no NT$ to add)
        # the English lead first; the cell or sentence follows in the plan's words
        sentences = [(lead, best.chunk)] if lead else []
        for u, text, differs in zip(chosen, texts, flagged):
            text = text.rstrip("。")
            sentences.append((f"{OTHER_VALUE}{text}" if differs else text, u.chunk))
        return Composition(sentences, False, conflict=conflict, confidence=confidence, signals=signals,
                           lead_text=best.text, lead_sentences=2 if lead else 1,
                           lead_row=(best.chunk.chunk_id, best.cell.row_label) if best.cell is not None else None)

    @staticmethod
    def _each_named(slots, ranked: list[Unit], chosen: list[Unit]) -> list[Unit]:
        """The best unit (in ``ranked`` order) for each value of a label
        group the question names several of that the lead does not name
        (「既有預算和新增預算分別是多少」 led by the 新增 cell adds the
        既有 cell beside it): a cell of the lead's own row when the lead is
        a cell and one names the value, else any unit; units that name other
        years than the one asked are skipped; at most one per value."""
        lead = chosen[0]

        def beside(u: Unit) -> bool:
            return lead.cell is not None and u.cell is not None and u.chunk.chunk_id == lead.chunk.chunk_id \
                and u.cell.row_label == lead.cell.row_label

        out: list[Unit] = []
        for group, values in slots.several.items():
            named = _label_values(lead, group)
            for value in sorted(values - named):
                fits = [u for u in ranked if u is not lead and u.row is not None and not u.row[_OTHER_YEAR]
                        and u.quantities and value in _label_values(u, group)]
                pick = next((u for u in fits if beside(u)), fits[0] if fits else None)
                if pick is not None and pick not in out:
                    out.append(pick)
        return out

    def shown(self, text: str, chunk: Chunk) -> str:
        """How an answer prints a place quoted by its evidence statement: a
        table cell's 「row name｜column：value」
        (:func:`~assistant.figures.verify.evidence_of`) as the composed cells
        print it; any other text as it is."""
        if "｜" not in text or chunk.chunk_type != "table":
            return text
        for cell in self._cells(chunk):
            if text.startswith(cell.named_statement()) and cell.value in text:
                return self.cell_statement(replace(cell, row_label=" ".join(row_name(cell))))
        return text

    def _without_repeated_rows(self, unit: Unit, before: list[Unit]) -> str:
        """The unit's text as the answer prints it.  A cell is named by the
        labels that name its row (:func:`~assistant.figures.cells.row_name`:
        not the 計畫策略 / 計畫性質 cells that describe it), without the
        outer ones an earlier quoted cell already gave (「分項二:… 108 年度
        小計」 then 「分項二:… 經常支出」 prints 「經常支出」 after the
        first) -- a cell keeps its row name when it has no column header to
        show."""
        if unit.cell is None:
            return unit.text
        path = row_name(unit.cell)
        shared = max((len(commonprefix([path, row_name(b.cell)])) for b in before if b.cell is not None), default=0)
        if not unit.cell.column and shared == len(path):
            shared = 0
        return self.cell_statement(replace(unit.cell, row_label=" ".join(path[shared:])))

    def _names_year(self, unit: Unit, query: QueryAnalysis) -> bool:
        """The unit's chunk (text, headers or section), or the end of the
        chunk before it, names an asked year -- for an amount question, in
        prose, the unit's own sentence, headers and section: a budget figure
        is dated where it is stated (「2023~2030 年生成式 AI 市場」 elsewhere in
        the passage does not date it)."""
        local = query.qtype is QuestionType.AMOUNT and unit.chunk.chunk_type != "table"
        own = f"{unit.text} {unit.match_text}" if local else unit.chunk.text
        prev = self.previous(unit.chunk) if unit.first or not local else None
        lead_in = prev.text[-YEAR_LEAD_IN_CHARS:] if prev is not None else ""
        text = " ".join([lead_in, own, *unit.chunk.section_path])
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
    def _different_dates(a: Unit, b: Unit) -> bool:
        """Both name a month (「2023 年 2 月」, 「107 年 6 月 29 日」) and
        none of a's months is one of b's (either calendar): for a date
        question, two passages dating one event differently."""
        da, db = _months(a.text), _months(b.text)
        return bool(da) and bool(db) and da.isdisjoint(db)

    @staticmethod
    def _different_figures(a: Unit, b: Unit) -> bool:
        """Both state a figure of the same kind (money, count, percent) and
        none of a's equals any of b's -- or a count of one thing, named by
        the words right after its classifier and with a rate word before it
        in both or neither (:func:`~assistant.figures.counted.counted`), differs between them
        (「10 項 AI 核心工具模組、20 項公版」 against 「20 項 AI 核心工具模組」)."""
        qa = [q for q in a.quantities if q.kind in ("money", "count", "percent")]
        qb = [q for q in b.quantities if q.kind in ("money", "count", "percent")]
        if not qa or not qb or {q.kind for q in qa}.isdisjoint({q.kind for q in qb}):
            return False
        if not any(same_quantity(x, y) for x in qa for y in qb):
            return True
        na, nb = counted(a.text, qa), counted(b.text, qb)
        return any(x.unit == y.unit and x.value != y.value and (na[i].noun, na[i].per) == (nb[j].noun, nb[j].per)
                   for i, x in enumerate(qa) for j, y in enumerate(qb) if na[i].noun and nb[j].noun)

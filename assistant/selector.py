"""Answer selection: which candidate (a sentence or a table cell of a
retrieved chunk) answers the question, and the probability that the answer
it leads is right — both fitted on the dev split.

Every candidate is described by :data:`FEATURES` — generic measures of
agreement between question and candidate (word and bigram coverage, the
question's slots matched or contradicted, the asked year, the kind of figure
asked for, a total asked for) and of the retrieval that found it (fused
rank, each retriever's rank).  No weight is set by hand: ``python -m eval
fit-selector`` fits the ranker with cross-validation by question, fits the
confidence model (P(right)) and the answerability model (P(the plans answer
the question)) on the cross-validated answers and chooses which of the two
the abstention threshold applies to, and the threshold, on them (the
precision/coverage trade-off is in the eval report).

Example:
    >>> m = SelectorModel.load()
    >>> m.meta["split"], len(m.conf_coef) == len(CONFIDENCE_FEATURES)
    ('dev', True)
    >>> 0.0 <= m.gate([0.0] * len(CONFIDENCE_FEATURES)) <= 1.0
    True
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from .answerability import QuestionPrior
from .figures.quantities import Quantity, extract_quantities
from .figures.rates import rate_share
from .query import QueryAnalysis, QuestionType
from .slots import QuestionSlots, agreement, broader, narrower
from .trees import TreeEnsemble

#: The fitted model shipped with the package (written by ``python -m eval fit-selector``).
MODEL_PATH = Path(__file__).parent / "data" / "selector_model.json"

#: Feature names, in vector order.
FEATURES: tuple[str, ...] = (
    "word_coverage",      # idf-weighted share of the question's words in the candidate and its context
    "bigram_coverage",    # share of the question's CJK bigrams there
    "own_coverage",       # word coverage of the candidate's own text (no headers, no title)
    "type_cue",           # the candidate holds what the question type asks for (see TYPE_CUES)
    "asked_figure",       # the question asks 多少/幾 and the candidate states a figure of the asked kind
    "money", "count", "percent",
    "year_named",         # the candidate names an asked year
    "year_other",         # it names years, none of them asked
    "year_unnamed",       # the question names a year, the candidate (with its headers) names none
    "total_asked",        # the question asks a total and the candidate is a total
    "total_unasked",      # the candidate is a total the question does not ask for
    "slots_matched",      # question slots the candidate names with the asked value
    "slots_contradicted",  # slots it names with another value
    "fused_rank",         # 1 / the chunk's rank in the fused ranking
    "fused_share",        # the chunk's fused score / the best chunk's
    "vector_rank",        # 1 / the chunk's rank in the embedding ranking (0: not ranked)
    "words_rank",         # 1 / rank in BM25 over jieba words
    "bigrams_rank",       # 1 / rank in BM25 over bigrams
    "cell",               # a table cell
    "table_text",         # a table row without figures
    "neighbour",          # from a chunk added as a fragment's neighbour
    "log_length",         # log(1 + characters)
    "english",            # the question is in English
    "english_coverage",   # word_coverage for English questions (their words are glossary terms)
    "english_vector",     # vector_rank for English questions (the embedding reads across languages)
    "first_sentence",     # the first sentence of its chunk
    "focus_coverage",     # idf-weighted share of the question's focus words (what it asks for) there
    "slots_narrower",     # it names a 分項/子項 the question does not, besides the one asked (a part of it)
    "period_total",       # a whole-period cell (合計/全程 column) and the question asks a total or names a span of years
    "one_year_of_span",   # a cell of one year and the question names a span of years
    "rate_named",         # share of the rates the question asks per (每月, 每位 …) that the candidate states
    "total_broader",      # a total naming no 分項/子項 when the question names one (the whole plan's total)
    # semantic agreement (see semantic_features): cosine of the question and the candidate
    # under the index's embedding model -- e5 reads across languages and paraphrase
    "semantic",           # the cosine
    "semantic_gap",       # the cosine minus the best candidate's of the same question (<= 0)
    "semantic_rank",      # 1 / the candidate's rank by cosine among the question's candidates
    "english_semantic_gap",  # semantic_gap for English questions
)
#: The semantic features, computed over all candidates of a question at once
#: (:func:`semantic_features`); the others per candidate (:func:`features`).
SEMANTIC_FEATURES: tuple[str, ...] = FEATURES[-4:]

# Cue words of candidates that answer each question type.
TYPE_CUES = {
    QuestionType.ELIGIBILITY: re.compile(r"資格|對象|申請|須|需|應|限|具備|具有|以上|以內|年內|畢業|學歷|條件|不得|得以|符合"),
    QuestionType.AGENCY: re.compile(r"部|局|署|會|處|院|中心|機關|單位|辦公室|法人"),
    QuestionType.PERIOD: re.compile(r"\d+\s*年|\d+\s*月|期程|期間|為期|年期|個月|起至|至\s*\d"),
}
# The question asks for a figure (not e.g. 「有沒有編列」, nor 「哪幾所學校」: which).
ASKS_FIGURE = re.compile(r"多少|(?<!哪)幾|金額|how much|how many|what is the (budget|amount)")
# The question asks for a total; total rows and columns.
ASKS_TOTAL = re.compile(r"合計|總計|總經費|總額|總預算|加起來|全程|全部|total|combined|overall|altogether")
TOTAL = re.compile(r"合計|總計|總額|小計|總經費|預算總額")
# A column holding a whole-period figure (合計, 全程 …), as against a total row.
PERIOD_TOTAL_COLUMN = re.compile(r"合計|總計|全程|累計|總額|共計")


# A span of years in a header (「合計(106~109 年)」, 「110-114年」).
_HEADER_SPAN = re.compile(r"(?<!\d)(?:1\d\d|20\d\d)\s*年?\s*[~～\-–—至到]\s*(?:1\d\d|20\d\d)(?!\d)")


def period_total_cell(cell) -> bool:
    """``cell`` (an :class:`assistant.figures.cells.Cell`, or None) sits in a
    whole-period column (:data:`PERIOD_TOTAL_COLUMN`) or in a total row
    naming a span of years (「合計(106~109 年)」)."""
    return cell is not None and (bool(PERIOD_TOTAL_COLUMN.search(cell.column)) or bool(
        PERIOD_TOTAL_COLUMN.search(cell.row_label) and _HEADER_SPAN.search(cell.row_label)))


# A year in a cell's headers (「108 年度」, 「2019」).
_HEADER_YEAR = re.compile(r"(?<!\d)(?:1\d\d|20\d\d)(?=\s*(?:年|$|\s))")


# Scale words that make a bare number an amount (「起薪 6 萬以上」).
_SCALE_UNITS = frozenset({"萬", "億", "千", "百萬", "千萬", "十萬"})


def is_amount(q: Quantity) -> bool:
    """Money, a number with a scale word (「6 萬」), or a bare figure of at
    least 3 digits (budget rows printed as text lines carry no unit of their
    own)."""
    return q.kind == "money" or (q.kind == "number" and (q.unit in _SCALE_UNITS or
                                                        (q.value >= 100 and q.unit in ("", None))))


@dataclass(frozen=True)
class QuestionContext:
    """What the features need of the question, computed once per question.

    Attributes:
        query: the analysed question.
        words: question word → idf (stop and question words removed).
        bigrams: the question's CJK bigrams.
        slots: its :class:`~assistant.slots.QuestionSlots`.
        top_score: the best retrieved chunk's fused score.
        held: doc_id → the question's words that some chunk of that
            document holds (``None``: all of them).
        focus: the question's focus words (:func:`assistant.slots.asked_focus`,
            those among ``words``) → idf; empty when it names none.
        period: doc_id → the plan's own period as Western ``(first year,
            last year)`` (its widest PERIOD document fact), ``None`` when
            unknown; ``None``: no periods known.
    """

    query: QueryAnalysis
    words: dict
    bigrams: frozenset
    slots: QuestionSlots
    top_score: float
    held: Callable[[str], frozenset] | None = None
    focus: dict = field(default_factory=dict)
    period: Callable[[str], tuple[int, int] | None] | None = None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace(",", "")


def _focus_missing(text: str, ctx: QuestionContext) -> float:
    """Idf-weighted share of the focus words absent from ``text`` (folded);
    0 when the question has none."""
    total = sum(ctx.focus.values())
    return sum(v for k, v in ctx.focus.items() if k not in text) / total if total > 0 else 0.0


def _coverage(text: str, ctx: QuestionContext) -> tuple[float, float]:
    total = sum(ctx.words.values()) or 1.0
    w = sum(v for k, v in ctx.words.items() if k in text) / total if ctx.words else 0.0
    b = sum(1 for g in ctx.bigrams if g in text) / len(ctx.bigrams) if ctx.bigrams else w
    return w, b


def year_agreement(text: str, column: str, query: QueryAnalysis) -> tuple[bool, bool]:
    """``(named, other)``: ``text`` (or a cell's ``column`` header) names an
    asked year; it names years but none of the asked ones."""
    if not query.years_western:
        return False, False
    years = [q for q in extract_quantities(text) if q.kind == "year"]
    found = {int(q.value) for q in years} | {int(q.upper) for q in years if q.upper}
    bare = set(re.findall(r"(?<!\d)(\d{3,4})(?!\d)", column))
    if set(query.years_western) & found or bare & set(query.year_terms):
        return True, False
    return False, bool(found or bare)


def semantic_features(sims: np.ndarray | None, n: int, english: bool,
                      reference: np.ndarray | None = None) -> np.ndarray:
    """The :data:`SEMANTIC_FEATURES` of a question's ``n`` candidates from
    their cosines with it (shape ``(n,)``; ``None`` when the index has no
    vector model: all zero), as an array of shape ``(n, 4)``; the gap and
    rank of each against the ``reference`` candidates only (a boolean mask,
    default all), so that candidates outside it move no one else's.

    On the 777 dev questions of their introduction (5-fold cross-validation
    by question, e5 index), adding them lifted the share of questions whose
    best-scored candidate is a right one from 0.613 to 0.648 (English 0.384
    to 0.457); the composed answers, which quote runners-up too, gained less:
    363 right against 361 (English 71 against 66).
    """
    if sims is None or not n:
        return np.zeros((n, len(SEMANTIC_FEATURES)))
    sims = np.asarray(sims, dtype=float)
    ref = np.ones(len(sims), dtype=bool) if reference is None or not np.any(reference) else np.asarray(reference)
    gap = sims - sims[ref].max()
    rank = np.empty(len(sims))
    order = np.flatnonzero(ref)[np.argsort(-sims[ref], kind="stable")]
    rank[order] = np.arange(1, len(order) + 1)
    others = np.flatnonzero(~ref)
    # a candidate outside the reference ranks after the reference ones it does not beat
    rank[others] = 1 + (sims[ref][None, :] >= sims[others][:, None]).sum(axis=1)
    return np.column_stack([sims, gap, 1.0 / rank, gap if english else np.zeros(len(sims))])


def features(unit, ctx: QuestionContext) -> list[float]:
    """The per-candidate :data:`FEATURES` of one candidate (all but the
    :data:`SEMANTIC_FEATURES`, which :func:`semantic_features` gives).

    Args:
        unit: an :class:`assistant.compose.Unit` (text, match_text, cell,
            quantities, hit).
        ctx: the question's :class:`QuestionContext`.
    """
    q = ctx.query
    text = _fold(unit.match_text)
    w_cov, b_cov = _coverage(text, ctx)
    own, _ = _coverage(_fold(unit.text), ctx)
    kinds = {x.kind for x in unit.quantities}
    qt = q.qtype
    if qt is QuestionType.AMOUNT:
        type_cue = "money" in kinds
        asked = any(is_amount(x) for x in unit.quantities)
    elif qt is QuestionType.TARGET:
        type_cue = bool(kinds & {"count", "percent", "money"})
        asked = type_cue
    else:
        cue = TYPE_CUES.get(qt)
        type_cue = bool(cue and cue.search(unit.text))
        asked = bool(kinds & {"count", "percent", "money"})
    asked = asked and bool(ASKS_FIGURE.search(q.text.lower()))
    column = unit.cell.column if unit.cell is not None else ""
    named, other = year_agreement(unit.match_text, column, q)
    is_total = bool(unit.cell is not None and TOTAL.search(unit.cell.describe()))
    asks_total = bool(ASKS_TOTAL.search(q.text.lower()))
    matched, contradicted = agreement(ctx.slots, unit.match_text, unit.quantities, header=unit.cell is not None)
    span = len(q.years_western) >= 2
    cell = unit.cell
    whole_period = period_total_cell(cell)
    period_total = whole_period and (span or asks_total)
    one_year = span and cell is not None and not whole_period \
        and len(set(_HEADER_YEAR.findall(f"{cell.row_label} {cell.column}"))) == 1 \
        and not _HEADER_SPAN.search(f"{cell.row_label} {cell.column}")
    hit = unit.hit
    english = q.lang == "en"

    def inv(rank) -> float:
        return 1.0 / rank if rank else 0.0

    return [w_cov, b_cov, own, float(type_cue), float(asked),
            float("money" in kinds), float("count" in kinds), float("percent" in kinds),
            float(named), float(other), float(bool(q.years_western) and not named and not other),
            float(asks_total and is_total), float(is_total and not asks_total),
            float(matched), float(contradicted),
            inv(hit.fused_position), hit.score / ctx.top_score if ctx.top_score > 0 else 0.0,
            inv(hit.ranks.get("vector")), inv(hit.ranks.get("words")), inv(hit.ranks.get("bigrams")),
            float(unit.cell is not None), float(unit.cell is None and unit.hit.chunk.chunk_type == "table"),
            float(hit.expanded), math.log1p(len(unit.text)), float(english), w_cov if english else 0.0,
            inv(hit.ranks.get("vector")) if english else 0.0, float(unit.first),
            1.0 - _focus_missing(text, ctx) if ctx.focus else 0.0,
            float(narrower(ctx.slots, unit.match_text, header=unit.cell is not None)),
            float(period_total), float(one_year), rate_share(ctx.slots.rates, unit.match_text),
            float(is_total and broader(ctx.slots, unit.match_text, header=unit.cell is not None))]


#: Features of the lead candidate from which the confidence model gives
#: P(the answer is right).
CONFIDENCE_FEATURES: tuple[str, ...] = (
    "lead_score",      # the ranker's score of the lead
    "margin",          # lead score minus the best other candidate's (0 when alone)
    "word_coverage",   # the lead's word coverage
    "bigram_coverage",  # the lead's bigram coverage
    "slots_matched",   # the question slots the lead names
    "english",         # the question is in English
    "chunk_coverage",  # word coverage of the lead's whole chunk with its headings
    "missing_rare",    # idf of the rarest question word absent from that chunk / the largest idf
    "slots_missing",   # question slots the lead does not name
    "year_missing",    # the question names a year, the lead does not
    "type_cue",        # the lead holds what the question type asks for
    "doc_missing",     # idf-weighted share of the question's words that no chunk of the lead's document holds
    "focus_missing",   # idf-weighted share of the question's focus words the lead does not name
    "focus_missing_chunk",  # the same for the lead's whole chunk with its headings
    "focus_doc_missing",  # the same for every chunk of the lead's document
    "rate_missing",    # the question asks a figure per month / person / team …, the lead's chunk states none per it
    "year_after_plan",  # every year the question asks is after the lead's plan ends
    "year_before_plan",  # every year the question asks is before the lead's plan starts
    "asked_unit_missing",  # the question asks 幾/多少 of a unit (天, 支, 小時, 元 …) the lead states no figure in
    "doc_year_unnamed",  # the question names a year that no best unit of the lead's document names (Composer._names_year)
    "question_prior",  # log-odds that the question is unanswerable, from its wording (assistant.answerability)
)
_CONF_FROM_UNIT = tuple(FEATURES.index(f) for f in CONFIDENCE_FEATURES[2:6])
_MATCHED, _YEAR_NAMED, _TYPE_CUE = (FEATURES.index(f) for f in ("slots_matched", "year_named", "type_cue"))


def confidence_features(scores: np.ndarray, x: np.ndarray, lead: int, unit, ctx: QuestionContext,
                        prior: float = 0.0, doc_year_unnamed: bool = False) -> list[float]:
    """The :data:`CONFIDENCE_FEATURES` of candidate ``lead`` (``unit``) given
    every candidate's ranker ``scores`` (shape ``(n,)``), feature rows ``x``,
    the question's ``prior`` (:meth:`SelectorModel.question_prior`) and
    whether the best units of the lead's document leave an asked year
    unnamed (``doc_year_unnamed``)."""
    others = np.delete(scores, lead)
    margin = float(scores[lead] - others.max()) if len(others) else 0.0
    chunk = unit.hit.chunk
    text = _fold(" ".join([*chunk.section_path, chunk.table_title, chunk.text]))
    cov, _ = _coverage(text, ctx)
    missing = [v for k, v in ctx.words.items() if k not in text]
    top = max(ctx.words.values(), default=0.0)
    asked = len(ctx.slots.labels) + bool(ctx.slots.classifiers)
    held = ctx.held(chunk.doc_id) if ctx.held is not None else frozenset(ctx.words)
    total = sum(ctx.words.values())
    doc_missing = sum(v for k, v in ctx.words.items() if k not in held) / total if total > 0 else 0.0
    return [float(scores[lead]), margin, *(float(x[lead, k]) for k in _CONF_FROM_UNIT), cov,
            max(missing) / top if missing and top > 0 else 0.0,
            max(0.0, asked - float(x[lead, _MATCHED])),
            float(bool(ctx.query.years_western) and not x[lead, _YEAR_NAMED]), float(x[lead, _TYPE_CUE]),
            doc_missing, _focus_missing(_fold(unit.match_text), ctx), _focus_missing(text, ctx),
            _focus_missing(held, ctx), float(bool(ctx.slots.rates) and rate_share(ctx.slots.rates, text) == 0.0),
            *_outside_plan(ctx, chunk.doc_id), _asked_unit_missing(ctx, _fold(unit.match_text)),
            float(doc_year_unnamed), prior]


# Words a question asks the amount of (多少錢, 多少經費 …): any money figure answers.
_MONEY_ASK = {"錢", "經費", "預算", "金額", "獎金", "補助", "費用"}
_MONEY_FIGURE = re.compile(r"\d\s*(?:千|萬|億)?\s*元|\d\s*(?:萬|億)")


def _asked_unit_missing(ctx: QuestionContext, text: str) -> float:
    """1.0 when the question (Chinese) asks how many of a unit -- 「幾天」,
    「幾支團隊」, 「多少小時」, 「多少錢」 (its slots' ``units``) -- and
    ``text`` states no figure in it (for money, no figure in 元/萬/億)."""
    units = ctx.slots.units  # :func:`assistant.slots.asked_units`; none for English
    if not units:
        return 0.0
    for u in units:
        if u in _MONEY_ASK or u[:1] in _MONEY_ASK:
            if _MONEY_FIGURE.search(text):
                return 0.0
        elif re.search(rf"\d\s*(?:個\s*)?{re.escape(u[:1])}", text):
            return 0.0
    return 1.0


def _outside_plan(ctx: QuestionContext, doc_id: str) -> tuple[float, float]:
    """``(after, before)``: every year the question asks lies after (before)
    the plan's own period; ``(0, 0)`` when it asks none or the period is
    unknown."""
    years = ctx.query.years_western
    span = ctx.period(doc_id) if ctx.period is not None and years else None
    if span is None:
        return 0.0, 0.0
    return float(all(y > span[1] for y in years)), float(all(y < span[0] for y in years))


_ENGLISH = FEATURES.index("english")


def ranker_inputs(x: np.ndarray) -> np.ndarray:
    """The ranker's inputs from candidate feature rows ``x`` (shape ``(n,
    len(FEATURES))``): the features, then each multiplied by the
    ``english`` column, so that English questions -- whose words reach the
    plans only through the glossary and the encoder -- get weights of their
    own (shape ``(n, 2 * len(FEATURES))``)."""
    x = np.asarray(x, dtype=float)
    return np.hstack([x, x * x[:, _ENGLISH:_ENGLISH + 1]])


def relative_inputs(x: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """The tree ranker's inputs from one question's candidate feature rows
    ``x`` (shape ``(n, len(FEATURES))``): the features, each less its best
    value among the question's candidates, and each less their mean (shape
    ``(n, 3 * len(FEATURES))``) -- whether a candidate is the question's best
    by a feature matters as much as the feature's value, and a pointwise
    model sees it only this way.  Best and mean are taken over the
    ``reference`` rows (a boolean mask, default all)."""
    x = np.asarray(x, dtype=float)
    if not len(x):
        return np.zeros((0, 3 * x.shape[1] if x.ndim == 2 else 3 * len(FEATURES)))
    ref = x if reference is None or not np.any(reference) else x[np.asarray(reference)]
    return np.hstack([x, x - ref.max(axis=0), x - ref.mean(axis=0)])


@dataclass(frozen=True)
class SelectorModel:
    """A fitted candidate ranker and a confidence model.

    The **ranker** scores candidates, one of two kinds chosen by
    cross-validation in ``python -m eval fit-selector``:

    * **trees** (``trees`` set): gradient-boosted trees
      (:class:`~assistant.trees.TreeEnsemble`) over :func:`relative_inputs`,
      fitted pointwise (a candidate is right or not); the score is their
      log-odds;
    * **linear**: a linear function of the standardised
      :func:`ranker_inputs` (:data:`FEATURES`, and again for English
      questions), fitted as a pairwise logistic regression (every right
      candidate of a question against its wrong ones).

    Either way scores order the candidates of one question.  The
    **confidence model** turns the lead's score, its margin over the
    runner-up and a few of its features (:data:`CONFIDENCE_FEATURES`) into
    P(the composed answer is right), fitted on cross-validated answers.  The
    **answerability model**, over the same features, gives P(the plans
    answer the question at all) -- a logistic regression, or gradient-boosted
    trees that can weigh one signal by another (a wording that often asks
    for what plans never give, against evidence that names everything
    asked); when the fitter chose it (``answerable_coef`` or
    ``answerable_trees`` set), the abstention threshold applies to it
    instead of P(right): an
    answerable question whose answer may be wrong is answered (abstaining
    would cost a false abstention and win nothing), one the plans likely do
    not answer is not (:meth:`gate`).

    Attributes:
        mean, scale: mean and spread of each of :func:`ranker_inputs` over
            the training candidates: the linear ranker standardises by them
            (``(x - mean) / scale``); either ranker reads the means for the
            semantic features an index of another embedding model cannot give.
        coef: the linear ranker's weights on standardised inputs.
        conf_coef, conf_intercept: the confidence logistic regression over
            :data:`CONFIDENCE_FEATURES` (unstandardised).
        threshold: :meth:`gate` probability below which no answer is
            given (abstention), chosen on cross-validated dev answers.
        support_margin: runners-up scoring within this much of the lead
            may be quoted after it (chosen the same way).
        meta: how it was fitted (split, n, ranker, C, cross-validated numbers …).
        prior: the wording classifier behind the ``question_prior``
            confidence feature (:class:`~assistant.answerability.QuestionPrior`);
            ``None``: the feature reads 0.
        trees: the tree ranker; ``None``: the linear one scores.
        answerable_coef, answerable_intercept: the answerability logistic
            regression over :data:`CONFIDENCE_FEATURES` (unstandardised);
            empty: the threshold applies to P(right).
        answerable_trees: the answerability model as trees over
            :data:`CONFIDENCE_FEATURES` (their log-odds); set, it is the
            gate's model, whatever ``answerable_coef`` holds.
    """

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    conf_coef: tuple[float, ...]
    conf_intercept: float
    threshold: float
    support_margin: float
    meta: dict
    prior: QuestionPrior | None = None
    trees: TreeEnsemble | None = None
    answerable_coef: tuple[float, ...] = ()
    answerable_intercept: float = 0.0
    answerable_trees: TreeEnsemble | None = None

    def question_prior(self, question: str) -> float:
        """The ``question_prior`` confidence feature: log-odds that
        ``question`` is unanswerable from its wording (0 without a prior)."""
        return self.prior.logit(question) if self.prior is not None else 0.0

    def scores(self, x: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
        """The ranker's score per row of ``x`` (shape ``(n, len(FEATURES))``;
        higher is better, comparable within one question); the tree ranker
        reads each row against the ``reference`` rows (a boolean mask,
        default all: :func:`relative_inputs`).

        Raises:
            ValueError: ``x`` does not have one column per feature.
        """
        x = np.asarray(x, dtype=float)
        if not x.size:
            return np.zeros(0)
        if x.ndim != 2 or x.shape[1] != len(FEATURES):
            raise ValueError(f"expected {len(FEATURES)} features ({', '.join(FEATURES)}), got shape {x.shape}")
        if self.trees is not None:
            return self.trees.decision_function(relative_inputs(x, reference))
        return ((ranker_inputs(x) - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef)

    def confidence(self, signals: list[float]) -> float:
        """P(an answer is right), 0..1, from its lead's
        :func:`confidence_features`."""
        return _sigmoid(self.conf_intercept + float(np.dot(self.conf_coef, signals)))

    def gate(self, signals: list[float]) -> float:
        """The probability, 0..1, that :attr:`threshold` applies to: P(the
        plans answer the question) from the answerability model when the
        model has one, else P(the answer is right) (:meth:`confidence`);
        ``signals``: the lead's :func:`confidence_features`."""
        if self.answerable_trees is not None:
            return _sigmoid(float(self.answerable_trees.decision_function(np.asarray([signals], dtype=float))[0]))
        if not self.answerable_coef:
            return self.confidence(signals)
        return _sigmoid(self.answerable_intercept + float(np.dot(self.answerable_coef, signals)))

    def to_json(self) -> str:
        """The model as JSON (the format of :data:`MODEL_PATH`)."""
        return json.dumps({"features": list(FEATURES), "confidence_features": list(CONFIDENCE_FEATURES),
                           "mean": list(self.mean), "scale": list(self.scale), "coef": list(self.coef),
                           "conf_coef": list(self.conf_coef), "conf_intercept": self.conf_intercept,
                           "threshold": self.threshold, "support_margin": self.support_margin, "meta": self.meta,
                           "prior": self.prior.to_dict() if self.prior is not None else None,
                           "trees": self.trees.to_dict() if self.trees is not None else None,
                           "answerable_coef": list(self.answerable_coef),
                           "answerable_intercept": self.answerable_intercept,
                           "answerable_trees": self.answerable_trees.to_dict()
                           if self.answerable_trees is not None else None},
                          ensure_ascii=False, indent=1)

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> SelectorModel:
        """Read a model written by :meth:`to_json`.

        Raises:
            ValueError: the file's features are not :data:`FEATURES` and
                :data:`CONFIDENCE_FEATURES` (refit with ``python -m eval fit-selector``).
        """
        return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> SelectorModel:
    d = json.loads(Path(path).read_text(encoding="utf-8"))
    trees = TreeEnsemble.from_dict(d["trees"]) if d.get("trees") else None
    gate_trees = TreeEnsemble.from_dict(d["answerable_trees"]) if d.get("answerable_trees") else None
    if tuple(d["features"]) != FEATURES or tuple(d["confidence_features"]) != CONFIDENCE_FEATURES \
            or len(d["mean"]) != 2 * len(FEATURES) \
            or (trees is None and len(d["coef"]) != 2 * len(FEATURES)) \
            or (trees is not None and trees.n_features != 3 * len(FEATURES)) \
            or len(d.get("answerable_coef", ())) not in (0, len(CONFIDENCE_FEATURES)) \
            or (gate_trees is not None and gate_trees.n_features != len(CONFIDENCE_FEATURES)):
        raise ValueError(f"{path}: fitted on other features; refit with `python -m eval fit-selector`")
    return SelectorModel(tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]), tuple(d["conf_coef"]),
                         float(d["conf_intercept"]), float(d["threshold"]), float(d["support_margin"]),
                         d.get("meta", {}), QuestionPrior.from_dict(d["prior"]) if d.get("prior") else None, trees,
                         tuple(d.get("answerable_coef", ())), float(d.get("answerable_intercept", 0.0)), gate_trees)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


__all__ = ["CONFIDENCE_FEATURES", "FEATURES", "MODEL_PATH", "SEMANTIC_FEATURES", "QuestionContext", "SelectorModel", "confidence_features",
           "features", "is_amount", "period_total_cell", "ranker_inputs", "relative_inputs", "semantic_features", "year_agreement"]

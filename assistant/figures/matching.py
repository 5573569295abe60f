"""Match one figure of a claim against the plans' facts.

Steps (used by :func:`assistant.verify.verify`):

1. **Filter** the facts that can state the claimed figure at all:
   comparable kinds (:func:`comparable`), a compatible year
   (:func:`year_fit`) and no contradicting label (:func:`label_clash`:
   分項一 ≠ 分項二, 經常 ≠ 資本, 核定 ≠ 送審, 每年 ≠ 全程 …).
2. **Score** how well each remaining fact's context matches the claim's
   subject words (:class:`Scorer`): weighted term overlap with the fact's
   local / near / far context, minus penalties for labels the claim does not
   name (a 人事費 cell is not "the budget") and for weaker years.
3. The verdict is :mod:`assistant.figures.decision`'s (a fitted model over
   the scored candidates).

The weights and penalties below were set by hand on the first benchmark
claims (``eval/benchmark.jsonl``, kind ``claim``) and checked on claims
written separately from it (``tests/test_verify.py``).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from dataclasses import dataclass, replace
from functools import lru_cache

from ..language import ROC_OFFSET, squash
from .claims import Claim, ClaimFigure, terms_of
from .counted import counted_in, same_count
from .extract import Fact, FactBase
from .sentences import RANK_UNIT, SPAN_UNITS, YearSpan
from .dates import same_date
from .labels import ANNUAL, COMPONENT_GROUPS, IMPLIED_DOOR, TOTAL, Group, is_total_text
from .quantities import Quantity, canonical_classifier
from .units import to_decimal

# Context layer weights: a claim word in the figure's own row/column or
# clause counts fully, in its sentence/row 0.6, in its section/chunk 0.35; a
# word naming a label the fact carries (「新增預算」 for a 新增 column) 0.95,
# so that the row that spells it out wins a tie.
LAYER_WEIGHTS = {"local": 1.0, "label": 0.95, "near": 0.6, "far": 0.35}
# Words next to a figure weigh this much more than the rest of a
# multi-figure claim (「…，其中種子師資 350 人次」).
LOCAL_TERM_BOOST = 2.0
# Penalties for labels a fact carries that the claim does not name.
EXTRA_LABEL_PENALTY = {Group.PART: 0.08, Group.COST: 0.10, Group.DOOR: 0.06, Group.KIND: 0.06, Group.SUBITEM: 0.04,
                       Group.STAGE: 0.03}
# Penalties for labels the claim names and a fact lacks (a claim about 人事費
# is not about a figure that names no cost category; one about the 核定數 is
# about the figure printed as 核定, 0.04 as for 經常門/資本門).
MISSING_LABEL_PENALTY = {Group.COST: 0.12, Group.KIND: 0.06, Group.DOOR: 0.04, Group.STAGE: 0.04}
# Bonus for the figure next to a statement of the claim's previous (or next)
# figure in one sentence (「由 17.4% 提升至 50%」: 50% is the one after 17.4%).
ANCHOR_BONUS = 0.15
# Penalty for a component's amount (分項/細部計畫/子項) when the claim names
# the whole plan (its title, or 本計畫) and no component.  Amounts only: a
# plan's target is often stated only in the component that runs it
# (「本計畫全程至少要培育 140 隊 AI 產業艦隊」 is 分項一's 「全程培育至少 140
# 隊」; on the 3,563 dev claims of 2026-12-06 sparing counts and shares
# gained 1 claim and lost none).
PLAN_SCOPE_PENALTY = 0.25
# Bonus for a total (合計/小計) when the claim names no cost category.
AGGREGATE_BONUS = 0.04
# Year fit penalties: the year comes from the sentence/heading; the fact has
# no year but its chunk names the claimed year.
WEAK_YEAR_PENALTY = 0.05
MENTION_YEAR_PENALTY = 0.15
# Bonus for the retrieval rank of the fact's chunk (best rank gets all).
RANK_BONUS = 0.05
# Other facts of the evidence's document with the same year, labels and
# subject (see conflicts_of) and at least this subject score are reported as
# conflicts when they state another value.
MIN_CONFLICT = 0.15
# Share of the claim words identifying the evidence that a conflicting
# statement must repeat in its own words.
SAME_SUBJECT_SHARE = 0.67

# Scale-word units of kind "number" that are amounts in 元 (「70萬」).
_SCALED = {"萬", "億", "千", "百萬", "千萬", "十萬", "兆"}
# A scale word before a unit (億美元, 百萬美元): values are normalised, so
# units equal without it are comparable (US$135.9 billion = 1,359 億美元).
_SCALE_PREFIX = re.compile(r"^(?:十億|百萬|千萬|十萬|億|萬|千|百|兆)(?=.)")


def _base_unit(unit: str) -> str:
    return _SCALE_PREFIX.sub("", unit)


@dataclass
class Candidate:
    """A fact that may state the claimed figure.

    Attributes:
        fact: the fact.
        score: subject score after penalties and bonuses.
        year_fit: ``"exact"``, ``"weak"``, ``"section"``, ``"mention"`` or ``"any"`` (the
            claim names no year).
        match: how the fact's value agrees with the claimed one
            (:func:`value_match`: ``"exact"``, ``"rounded"``, ``"approximate"``
            or ``""``).
        follows: the fact is the comparable figure right after a statement
            of the claim's previous figure, or right before one of its next
            figure, in one sentence (:class:`Sentences`,
            :data:`ANCHOR_BONUS`).
    """

    fact: Fact
    score: float
    year_fit: str
    match: str
    follows: bool = False

    @property
    def equal(self) -> bool:
        """The fact states the claimed value (exactly, rounded or approximately)."""
        return bool(self.match)


def comparable(claimed: Quantity, stated: Quantity, *, in_table: bool = False) -> bool:
    """True when ``stated`` can state ``claimed``: money with money (or a
    scaled number 「70萬」), percent with percent, counts with the same
    classifier (名/位 = 人) or a unit-less table cell, ages and durations
    with the same unit, and bare numbers with counts or numbers."""
    ck, sk = claimed.kind, stated.kind
    if ck == "money":
        return sk == "money" or (sk == "number" and stated.unit in _SCALED)
    if ck == "percent":
        return sk == "percent"
    if ck == "count":
        if sk == "count":
            ours, theirs = canonical_classifier(claimed.classifier), canonical_classifier(stated.classifier)
            # English counts people and firms as the plans' 人次 / 家次 too
            # ("draw 400,000 participants" for 「吸引 400,000 人次參與」)
            return ours == theirs or (claimed.unit.isascii() and (ours, theirs) in _EN_TIMES)
        return sk == "number" and stated.unit == "" and in_table and float(stated.value).is_integer() \
            and "." not in stated.text
    if ck == "number":
        if claimed.unit in (*SPAN_UNITS, RANK_UNIT) or stated.unit in (*SPAN_UNITS, RANK_UNIT):
            # an age, a duration or a rank is stated only as one (「35 歲」 is no bare 50,240)
            return sk == "number" and _base_unit(stated.unit) == _base_unit(claimed.unit)
        if claimed.unit in _SCALED:
            return sk in ("number", "money", "count")
        if claimed.unit:
            # a multiple or percentage points (倍, 百分點) is stated only as one
            return sk == "number" and _base_unit(stated.unit) == _base_unit(claimed.unit)
        return sk == "count" or (sk == "number" and (stated.unit == "" or
                                                     _base_unit(stated.unit) == _base_unit(claimed.unit)))
    return ck == sk and _base_unit(claimed.unit) == _base_unit(stated.unit)


# Classifier pairs an English count noun may state: "participants" (人) for
# the plans' 人次, "companies" (家) for 家次 -- plain English has no word
# for either.
_EN_TIMES = frozenset({("人", "人次"), ("家", "家次")})

# Qualifiers that make a figure approximate (claims and plan sentences).
APPROX_QUALIFIERS = frozenset({"約", "近", "大約", "approximately", "about", "around", "nearly"})
# Significant digits kept when a normalised float becomes a Decimal: plan
# figures are printed with far fewer, so rounding to 12 removes only the
# binary noise of unit scaling (3.9 × 10^8) and nothing a plan states.
_SIG_DIGITS = 12


@lru_cache(maxsize=65536)
def exact(value: float) -> Decimal:
    """A normalised value as an exact ``Decimal`` (12 significant digits)."""
    return to_decimal(f"{value:.{_SIG_DIGITS}g}")


def printed_step(q: Quantity, *, significant_zeros: bool = False) -> Decimal | None:
    """One unit of the last printed digit of a figure, in normalised units
    (money in 元): 「約 3.5 億元」 -> 0.1 億元; 「約 360 億元」 -> 10 億元 (the
    trailing zeros of an approximate whole number are not significant), or
    1 億元 with ``significant_zeros``.  None when ``q`` prints no digits."""
    if q.unit == "成":  # 「兩成」 to the ten percent, 「兩成二」 to the percent
        return Decimal(1) if q.value % 10 else Decimal(10)
    if q.unit == "分之":  # a fraction (「2/3」, 「三分之二」) is exact: its digits are no precision
        return None
    printed = _num(q.text)
    if not printed:
        return None
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", q.text).group().replace(",", "")  # type: ignore[union-attr]
    if "." in digits:
        unit = Decimal(1).scaleb(-len(digits.split(".")[1]))
    elif significant_zeros:
        unit = Decimal(1)
    else:
        stripped = digits.rstrip("0") or "0"
        unit = Decimal(1).scaleb(len(digits) - len(stripped))
    return unit * exact(q.value) / to_decimal(digits)


def _at_last_digit(approx: Quantity, other: Quantity, roundings: tuple[str, ...]) -> bool:
    """The precise figure ``other``, rounded in one of the ``roundings``
    (``decimal`` rounding modes) at the approximate figure's last printed
    digit, gives ``approx``."""
    step = printed_step(approx)
    if step is None or step <= 0:
        return False
    units = exact(other.value) / step
    return exact(approx.value) in {units.quantize(Decimal(1), r) * step for r in roundings}


def _agrees_roughly(approx: Quantity, other: Quantity) -> bool:
    """An approximate figure agrees with a precise one when the precise one,
    rounded or cut off at the approximate figure's last significant digit,
    gives it (「約 360 億元」 for 366.24 億元: cut off; 「約 3.5 億」 for
    3.46 億: rounded) -- the two ways plans write 約."""
    return _at_last_digit(approx, other, (ROUND_HALF_UP, ROUND_DOWN))


def _rounds_to(approx: Quantity, other: Quantity) -> bool:
    """The precise figure rounded half up at the approximate one's last
    printed digit gives it: "about NT$7.08 billion" for 70.84 億元, 「約
    1.56 億元」 for 156,450 千元 -- an honest rounding, where 「約 360 億元」
    for 366.24 億元 (cut off) is not."""
    return _at_last_digit(approx, other, (ROUND_HALF_UP,))


def value_match(claimed: Quantity, stated: Quantity) -> str:
    """How the values agree: ``"exact"`` (equal after unit normalisation, in
    ``Decimal``: 3.9 億元 = 390,000 千元 = 39,000 萬元 = 390,000,000 元),
    ``"rounded"`` (the claimed figure is qualified 約/about and is the stated
    one rounded half up at its last printed digit: "about NT$7.08 billion"
    for 70.84 億元), ``"approximate"`` (one side is qualified 約/近/about and
    the other, rounded or cut off at its last significant digit, gives it:
    「約 360 億元」 for 366.24 億元) or ``""``.
    Dates agree by :func:`~assistant.figures.dates.same_date`."""
    if claimed.kind == "date":
        return "exact" if stated.kind == "date" and same_date(claimed, stated) else ""
    if (claimed.upper is None) != (stated.upper is None):
        return ""
    if exact(claimed.value) == exact(stated.value) and \
            (claimed.upper is None or exact(claimed.upper) == exact(stated.upper)):  # type: ignore[arg-type]
        return "exact"
    if claimed.upper is not None:
        return ""
    if claimed.qualifier in APPROX_QUALIFIERS and _rounds_to(claimed, stated):
        return "rounded"
    if claimed.qualifier in APPROX_QUALIFIERS and _agrees_roughly(claimed, stated):
        return "approximate"
    if stated.qualifier in APPROX_QUALIFIERS and _agrees_roughly(stated, claimed):
        return "approximate"
    return ""


def _num(text: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    return float(m.group().replace(",", "")) if m else None


def year_fit(years: YearSpan | None, whole_period: bool, fact: Fact,
             periods: frozenset[YearSpan] = frozenset()) -> tuple[bool, str, float]:
    """Whether a fact's year fits the claimed year: ``(ok, kind, penalty)``.

    * claimed year Y: the fact's own year must be Y (``"exact"``); a year it
      takes from its sentence or heading must be Y (``"weak"``); a fact with
      no year fits when it is a whole-period total and the claim names a
      span of years (``"weak"``; for a table cell, a span covering every
      year its table names), or when its chunk names Y and it is not a
      whole-period figure, or when it is not money and Y is a span of years
      that is one of ``periods`` -- the periods its plan states for itself
      (a goal stated without a year, 「關鍵成果 1：…培訓 6,540 人次」, is the
      plan's for its whole period, 112-113; an undated amount is as often a
      rule's threshold, 「整體計畫經費低於 1 億元」: dev claims), or when it
      is a 每年 figure of a span of years and Y one year of it (「107 至 110
      年每年 500 人」 fits 108) -- (``"mention"``; such a fact may support,
      never contradict); or when Y is one year and the year its section's
      lead names (:attr:`~assistant.figures.extract.Fact.section_year`:
      「本計畫前期 110 年之…成果」 for 「補助 36 家企業」 pages later;
      ``"section"``, with the same penalty, and it may contradict: on the
      3,263 dev claims of 2026-12-06, letting it did so rightly for 12
      false claims and wrongly for 1 unstated one, where letting the other
      mentions contradict cost 3 true claims).
    * no claimed year: any fact (``"any"``), except that a whole-period claim
      (全程/合計/四年…) does not fit a fact of one single year.
    """
    if years is not None:
        if fact.years is not None:
            if fact.years != years:
                # 「107 至 110 年每年 500 人」 states 108's figure too
                inside = fact.labels.get(Group.PERIOD) == ANNUAL and fact.years.lo <= years.lo <= fact.years.hi
                return (True, "mention", MENTION_YEAR_PENALTY) if inside and years.single else (False, "", 0.0)
            return (True, "exact", 0.0) if fact.strong_year else (True, "weak", WEAK_YEAR_PENALTY)
        if fact.labels.get(Group.PERIOD) == TOTAL:
            # a whole-period total fits a claim naming a span of years
            # (「107至110年…合計」), not a claim about one year, nor, for a
            # table's 合計 cell, a span short of the table's years (the 合計
            # of 107-110 is not the figure of 107-109)
            short = fact.source == "cell" and any(not years.lo <= y <= years.hi for y in fact.chunk_years)
            return (True, "weak", WEAK_YEAR_PENALTY) if not years.single and not short else (False, "", 0.0)
        if years.single and fact.section_year == years.lo:
            return True, "section", MENTION_YEAR_PENALTY
        if all(y in fact.chunk_years for y in range(years.lo, years.hi + 1)) \
                or (not years.single and years in periods and fact.quantity.kind != "money"):
            return True, "mention", MENTION_YEAR_PENALTY
        return False, "", 0.0
    if whole_period and fact.years is not None and fact.years.single and fact.strong_year \
            and fact.labels.get(Group.PERIOD) != TOTAL:
        return False, "", 0.0
    return True, "any", 0.0


def with_implied_door(labels: dict) -> dict:
    """``labels`` with the 經常/資本 class a cost category implies
    (人事費 → 經常, :data:`~assistant.figures.labels.IMPLIED_DOOR`) added."""
    out = dict(labels)
    cost = out.get(Group.COST)
    if cost in IMPLIED_DOOR and Group.DOOR not in out:
        out[Group.DOOR] = IMPLIED_DOOR[cost]
    return out


def _with_implied_part(labels: dict) -> dict:
    """``labels`` with the 分項 a 子項 number implies (子項 2.3 is part of
    分項二: the plans number a 子項 「<分項>.<n>」) added when none is named."""
    sub = labels.get(Group.SUBITEM)
    if sub and Group.PART not in labels:
        return {**labels, Group.PART: sub.split(".")[0]}
    return labels


def implied_labels(labels: dict) -> dict:
    """``labels`` with what they imply: a cost category its cost class (see
    :data:`assistant.figures.labels.IMPLIED_DOOR`), a 子項 number its 分項."""
    return _with_implied_part(with_implied_door(labels))


def label_clash(claimed: dict, stated: dict, *, implied: bool = False) -> list[Group]:
    """The groups where the claim and the fact name different labels (a cost
    category implies its cost class, see :data:`assistant.figures.labels.IMPLIED_DOOR`;
    a 子項 number its 分項, so a 子項 2.3 claim clashes with a 分項三 fact).
    ``implied``: ``claimed`` is already :func:`implied_labels` (a caller
    comparing one claim with many facts expands it once)."""
    a = claimed if implied else implied_labels(claimed)
    b = implied_labels(stated)
    return [g for g in a if g in b and a[g] != b[g]]


def _hit(alternatives: tuple[frozenset[str], ...], terms: frozenset[str]) -> bool:
    """True when all the terms of one alternative are in ``terms``."""
    return any(alt <= terms for alt in alternatives)


class ChunkTerms:
    """The far-context term sets of a claim's candidate chunks, best chunk
    first, with their postings (term -> indices of the chunks holding it),
    built once per claim: every figure's :class:`Scorer` reads the inverse
    document frequency of its terms from them.

    Example:
        >>> ct = ChunkTerms([frozenset({"分項", "經費"}), frozenset({"經費"})])
        >>> len(ct), ct.frequency((frozenset({"經費"}),)), ct.frequency((frozenset({"分項", "人數"}),))
        (2, 2, 0)
    """

    def __init__(self, sets: list[frozenset[str]]):
        self.sets = list(sets)
        self._postings: dict[str, set[int]] = {}
        for i, terms in enumerate(self.sets):
            for t in terms:
                self._postings.setdefault(t, set()).add(i)

    def __len__(self) -> int:
        return len(self.sets)

    def frequency(self, alternatives: tuple[frozenset[str], ...]) -> int:
        """How many chunks hold all the terms of at least one of the
        ``alternatives`` (what ``sum(_hit(alternatives, s) for s in sets)``
        counts)."""
        found: set[int] = set()
        for alt in alternatives:
            sets = sorted((self._postings.get(t, set()) for t in alt), key=len)
            if sets and sets[0]:
                found |= set.intersection(*sets)
        return len(found)


@lru_cache(maxsize=4096)
def group_terms(alternatives: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """A word group's alternatives (the plans' words that may write one
    claim word) as term sets (:func:`terms_of`; an alternative is written
    where all its terms are), cached: an English word's dictionary group
    holds dozens."""
    return tuple(frozenset(terms_of(a) or [a]) for a in alternatives)


def written(groups: Iterable[tuple[frozenset[str], ...]], terms: frozenset[str]) -> int:
    """How many of ``groups`` (each the term sets that may write one word,
    :func:`group_terms`) ``terms`` write: all the terms of one of them."""
    return sum(any(k <= terms for k in alts) for alts in groups)


class Scorer:
    """Subject scores of facts for one claim figure.

    Args:
        claim: the parsed claim.
        figure: the claimed figure.
        chunk_terms: the far-context term sets of the candidate chunks (for
            the inverse document frequency of the claim's terms,
            :class:`ChunkTerms`).
        scope: words that name the plan the claim is about (its full title,
            :func:`title_words`), not a subject within it: not scored.
    """

    def __init__(self, claim: Claim, figure: ClaimFigure, chunk_terms: ChunkTerms,
                 scope: frozenset[str] = frozenset()):
        n = max(1, len(chunk_terms))
        multi = len(claim.figures) > 1
        groups: dict[tuple[frozenset[str], ...], float] = {}
        for alts, boost, optional in [(g, 1.0, False) for g in claim.term_groups] + \
                [((t,), LOCAL_TERM_BOOST if multi else 1.0, False) for t in figure.local_terms] + \
                [(g, 1.0, True) for g in claim.dictionary_groups]:
            key = group_terms(alts)
            if scope and all(k <= scope for k in key):
                continue
            df = chunk_terms.frequency(key)
            if optional and not df:
                continue  # a dictionary word the plan does not use: no evidence either way
            w = math.log(1 + n / (1 + df)) * boost
            groups[key] = max(groups.get(key, 0.0), w)
        self.groups = groups
        self.total = sum(groups.values())
        # every term of the claim: a fact's layers are cut down to these first
        self.vocab = frozenset().union(*[alt for key in groups for alt in key])
        # one-word groups (most of them) are scored by set operations, the
        # others word group by word group
        self._single: dict[str, float] = {}
        # (alternatives, weight, every term of them): a fact holding none of
        # a group's terms cannot hit it, and most facts hold none
        # (its one-term alternatives as one set, its other alternatives)
        self._complex: list[tuple[float, frozenset[str], frozenset[str], tuple[frozenset[str], ...]]] = []
        for key, w in groups.items():
            if len(key) == 1 and len(key[0]) == 1:
                (t,) = key[0]
                self._single[t] = self._single.get(t, 0.0) + w
            else:
                ones = frozenset(t for alt in key if len(alt) == 1 for t in alt)
                self._complex.append((w, frozenset().union(*key), ones, tuple(a for a in key if len(a) > 1)))
        self.labels = with_implied_door(figure.labels)
        # claim words that only name a label (「細部計畫二」): matched by the label
        self.label_words = {g: (v, frozenset(claim.label_terms.get(g, ()))) for g, v in figure.labels.items()
                            if claim.label_terms.get(g)}

    def subject(self, fact: Fact) -> float:
        """Weighted share of the claim's subject words found in the fact's
        context (0..1; 0.5 when the claim has no subject words); a word in
        several layers counts in the best one, and the words naming a label
        the fact carries too (「細部計畫二」 for a fact labelled 細部計畫 2) count
        as local."""
        if not self.total:
            return 0.5
        vocab = self.vocab
        local, near, far = fact.terms("local") & vocab, fact.terms("near") & vocab, fact.terms("far") & vocab
        by_label = frozenset().union(*[ts for g, (v, ts) in self.label_words.items() if fact.labels.get(g) == v])
        if not (local or near or far or by_label):
            return 0.0
        single = self._single
        seen = local
        # fsum: the sets' order follows string hashes, and a plain sum's last
        # bit with it -- enough to break a tie differently per process
        got = math.fsum(single.get(t, 0.0) for t in local) * LAYER_WEIGHTS["local"]
        for layer, terms in (("label", by_label), ("near", near), ("far", far)):
            new = terms - seen
            if new:
                got += math.fsum(single.get(t, 0.0) for t in new) * LAYER_WEIGHTS[layer]
                seen = seen | new
        # seen: now every term the fact holds, over all layers
        for w, words, ones, multi in self._complex:
            if words.isdisjoint(seen):
                continue
            for layer, terms in (("local", local), ("label", by_label), ("near", near), ("far", far)):
                # _hit, with the one-term alternatives as one set operation
                if not ones.isdisjoint(terms) or any(alt <= terms for alt in multi):
                    got += w * LAYER_WEIGHTS[layer]
                    break
        return got / self.total

    def adjust(self, fact: Fact) -> float:
        """Label penalties and the aggregate bonus for a fact."""
        out = 0.0
        stated = with_implied_door(fact.labels)
        for g, pen in EXTRA_LABEL_PENALTY.items():
            if g in stated and g not in self.labels:
                out -= pen
        for g, pen in MISSING_LABEL_PENALTY.items():
            if g in self.labels and g not in stated:
                out -= pen
        if Group.COST not in self.labels and Group.DOOR not in self.labels and fact.aggregate:
            out += AGGREGATE_BONUS
        return out


# Words naming the whole plan.
_WHOLE_PLAN = re.compile(r"本計畫|全計畫|整體計畫|計畫總|本方案|本行動(?:計畫|方案)")
# Shortest common run of characters with a plan title that names the plan.
TITLE_RUN = 6


# A title's parts: 「晶片驅動臺灣產業創新-AI產業應用與普及發展計畫」 is named by
# either side of its dash (or colon) as well as by the whole.
_TITLE_SEPARATOR = re.compile(r"\s*[-－—–:：]\s*")


# An organ's name (…部, …署, …局 …) right before a plan's name, with an
# optional 的/之 and opening quote: the plan's owner.
_OWNER_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,6}(?:部|署|院|局|會|處|司))(?:的|之)?[「『\"“]?$")


def title_names(title: str) -> list[str]:
    """The spellings that name a plan, spaces removed: its whole title, and
    each part of a title made of parts (a slogan and a name joined by a dash
    or a colon) that is at least :data:`TITLE_RUN` characters long."""
    whole = re.sub(r"\s+", "", title)
    if not whole:
        return []
    parts = [re.sub(r"\s+", "", p) for p in _TITLE_SEPARATOR.split(title)]
    return list(dict.fromkeys([whole] + [p for p in parts if len(p) >= TITLE_RUN]))


def components_named_in(claim_text: str, names: dict[str, dict[str, dict]], titles: dict[str, str]) -> dict:
    """The 分項 / 子項 labels a claim gives by naming a component without its
    number (「「開發 AI 技術及驗證」分項的全程經費」 is 分項三's where the plan
    heads 「分項三、開發 AI 技術及驗證」): ``{Group: value}``, empty when the
    claim names none, or names that disagree.

    Args:
        claim_text: the claim's matching form (:attr:`Claim.norm`).
        names: doc_id -> that document's component names
            (:func:`~assistant.figures.extract.component_names`).
        titles: doc_id -> title; a name inside its plan's title names the
            plan (分項一 of 重點產業高階人才培訓與就業計畫 bears the plan's name).
    """
    text = squash(claim_text)
    found: dict = {}
    for doc, by_name in names.items():
        title = squash(titles.get(doc, ""))
        for name, labels in by_name.items():
            if name in text and name not in title:
                for g, v in labels.items():
                    if found.setdefault(g, v) != v:
                        return {}
    return found


def names_plan(claim_text: str, title: str) -> bool:
    """True when a claim names a whole plan: 「本計畫」/「整體計畫」…, or a run
    of at least :data:`TITLE_RUN` characters (or 60% of the title) of the
    plan's title, or one part of a title made of parts in full
    (:func:`title_names`)."""
    if _WHOLE_PLAN.search(claim_text):
        return True
    a, b = re.sub(r"\s+", "", claim_text), re.sub(r"\s+", "", title)
    if not b:
        return False
    if any(n in a for n in title_names(title)):
        return True
    # a common run of k characters: some k-character piece of the title is
    # in the claim (substring tests: a verify compares every indexed title)
    k = min(max(TITLE_RUN, int(0.6 * len(b))), len(b))
    return any(b[i:i + k] in a for i in range(len(b) - k + 1))


def title_words(claim_text: str, titles: Iterable[str]) -> frozenset[str]:
    """The words of every plan title (or title part, :func:`title_names`)
    that ``claim_text`` spells out in full (spaces ignored): 「臺灣 AI
    行動計畫四年投入約 360 億元」 names the plan by its title, so 臺灣, AI,
    行動, 計畫 say which plan, not which of its figures (:class:`Scorer` does
    not score them); so do the words of an organ named right before the
    title (its owner: 「數位發展部「AI 產業應用與普及發展計畫」」).  Empty
    when no title is in the claim."""
    a = re.sub(r"\s+", "", claim_text)
    out: set[str] = set()
    for title in titles:
        for n in title_names(title):
            i = a.find(n)
            if i < 0:
                continue
            out.update(terms_of(n))
            # the plan's owner named before its name (「數位發展部「AI 產業應用
            # 與普及發展計畫」」) says which plan too, not which row of it
            owner = _OWNER_BEFORE.search(a[:i])
            if owner:
                out.update(terms_of(owner.group(1)))
    return frozenset(out)


class Sentences:
    """The facts of each sentence (or text cell) in reading order, read from
    a :class:`~assistant.figures.extract.FactBase`'s facts by chunk, to find
    the figure printed next to an anchor.

    A claim lists its figures in the order the plan prints them
    (「8 個臺灣特色產業，產業應用驗證於 40 家企業」): a figure's neighbour in
    the sentence where the claim's previous (or next) figure is stated is
    the plan's figure for it.

    Args:
        facts: the fact base the claim's candidates come from.
    """

    def __init__(self, facts: FactBase):
        self._facts = facts
        self._sorted: dict[tuple, list[Fact]] = {}

    @staticmethod
    def key(fact: Fact) -> tuple:
        """The sentence (or text cell) a fact is stated in."""
        return fact.chunk_id, fact.cell, fact.text

    def sentence(self, fact: Fact) -> list[Fact]:
        """The facts of ``fact``'s sentence (or text cell), in reading order."""
        k = self.key(fact)
        got = self._sorted.get(k)
        if got is None:
            got = self._sorted[k] = sorted((f for f in self._facts.facts(fact.chunk_id) if self.key(f) == k),
                                           key=lambda f: f.quantity.start)
        return got

    def neighbour(self, anchor: Fact, q: Quantity, step: int) -> Fact | None:
        """The nearest fact comparable with ``q`` after (``step`` 1) or
        before (``step`` -1) ``anchor`` in its sentence, or None."""
        at = anchor.quantity.start
        side = [f for f in self.sentence(anchor) if (f.quantity.start - at) * step > 0
                and comparable(q, f.quantity, in_table=f.cell is not None)]
        if not side:
            return None
        return side[0] if step > 0 else side[-1]

    def followers(self, q: Quantity, before: list[Fact], after: list[Fact],
                  taken: frozenset[str] = frozenset()) -> frozenset[str]:
        """Keys of the facts comparable with ``q`` right after a fact of
        ``before`` (the claim's previous figure's statements) or right before
        one of ``after`` (the next figure's), less the ``taken`` keys (facts
        stating another figure of the claim: 「258 of the 326 trainees, 80%」
        against 「326名…258名就業…就業率達80%」)."""
        found = [self.neighbour(a, q, 1) for a in before] + [self.neighbour(a, q, -1) for a in after]
        return frozenset(f.key for f in found if f is not None) - taken


def with_followers(cands: list[Candidate], followers: frozenset[str]) -> list[Candidate]:
    """``cands`` with :data:`ANCHOR_BONUS` and ``follows`` for the facts in
    ``followers`` (:meth:`Sentences.followers`), best first."""
    if not followers:
        return cands
    out = [replace(c, score=c.score + ANCHOR_BONUS, follows=True) if c.fact.key in followers else c for c in cands]
    return sorted(out, key=lambda c: -c.score)


def candidates(claim: Claim, figure: ClaimFigure, facts: list[tuple[Fact, int]], n_ranks: int,
               chunk_terms: ChunkTerms, *, ignore: tuple[Group, ...] = (),
               plan_docs: frozenset[str] = frozenset(),
               scope: frozenset[str] = frozenset(),
               periods: Callable[[str], frozenset[YearSpan]] | None = None,
               ) -> tuple[list[Candidate], list[Candidate], "Scorer"]:
    """Score the facts for one claimed figure.

    Args:
        claim, figure: the claim and the figure.
        facts: ``(fact, retrieval rank)`` pairs (rank 0 = best chunk).
        n_ranks: number of ranks (for the rank bonus).
        chunk_terms: see :class:`Scorer`.
        ignore: label groups of the claim to ignore (a claim putting a cost
            category in the wrong class is matched without the class).
        plan_docs: documents whose whole plan the claim names (see
            :func:`names_plan`); their component amounts get
            :data:`PLAN_SCOPE_PENALTY` unless the claim names a component.
        scope: the words of a plan title the claim spells out
            (:func:`title_words`): not scored as subject words.
        periods: a document's own plan periods
            (:meth:`~assistant.figures.extract.FactBase.plan_periods`), for
            :func:`year_fit`.

    Returns:
        ``(candidates, stage_variants, scorer)``: the fitting facts best
        first, those that fit except for the budget stage (送審 vs 核定:
        reported as conflicts, never evidence), and the :class:`Scorer`.
    """
    scorer = Scorer(claim, figure, chunk_terms, scope)
    for g in ignore:
        scorer.labels.pop(g, None)
    labels = {g: v for g, v in figure.labels.items() if g not in ignore}
    whole = figure.years is None and labels.get(Group.PERIOD) == TOTAL
    out: list[Candidate] = []
    stage: list[Candidate] = []
    q = figure.quantity
    scoped = _names_component(labels)
    claimed_labels = implied_labels(labels)
    # the claim's years as the plans may print them bare (「107解題競賽」)
    named_years = {y for span in claim.years for y in range(span.lo, span.hi + 1)}
    named_years |= {y - ROC_OFFSET for y in named_years}
    for fact, rank in facts:
        if not comparable(q, fact.quantity, in_table=fact.cell is not None):
            continue
        if _bare_year(fact.quantity, named_years):
            continue
        ok, fit, pen = year_fit(figure.years, whole, fact, periods(fact.doc_id) if periods else frozenset())
        if not ok:
            continue
        clash = label_clash(claimed_labels, fact.labels, implied=True)
        score = scorer.subject(fact) + scorer.adjust(fact) - pen + RANK_BONUS * (1 - rank / max(1, n_ranks))
        if fact.doc_id in plan_docs and not scoped and _names_component(fact.labels) and q.kind == "money":
            score -= PLAN_SCOPE_PENALTY
        cand = Candidate(fact, score, fit, value_match(q, fact.quantity))
        if not clash:
            out.append(cand)
        elif clash == [Group.STAGE]:
            stage.append(cand)
    if plan_docs and not scoped:
        # the plan's own total for the year is its figure; a component's
        # (even one named like the plan: 「分項一:重點產業高階人才培訓與就業
        # 計畫」 in the plan of that title) is not
        whole = {c.fact.doc_id for c in out if c.fact.doc_id in plan_docs and c.fact.aggregate
                 and c.year_fit == "exact" and not _names_component(c.fact.labels)}
        out = [c for c in out if c.fact.doc_id not in whole or not _names_component(c.fact.labels)]
    out.sort(key=lambda c: -c.score)
    stage.sort(key=lambda c: -c.score)
    return out, stage, scorer


def _bare_year(q: Quantity, years: set[int]) -> bool:
    """``q`` is a bare number that is one of ``years`` (Western or 民國): a
    year the plan prints without 年 (「產出21個產業AI解決方案107解題競賽」),
    not a figure of the claim's year."""
    return q.kind == "number" and q.upper is None and q.value == int(q.value) and int(q.value) in years


def _names_component(labels: dict) -> bool:
    """``labels`` name a 分項 / 細部計畫 or a 子項."""
    return any(g in labels for g in COMPONENT_GROUPS)


def _same_place(a: Fact, b: Fact) -> bool:
    return a.chunk_id == b.chunk_id and a.cell == b.cell and a.quantity.start == b.quantity.start


def same_thing(a: Fact, b: Fact) -> bool:
    """Same document, same year and the same labels (the budget stage may
    differ)."""
    if a.doc_id != b.doc_id or a.years != b.years:
        return False
    la, lb = with_implied_door(a.labels), with_implied_door(b.labels)
    for g in (Group.PART, Group.SUBITEM, Group.DOOR, Group.COST, Group.KIND, Group.PERIOD):
        if la.get(g) != lb.get(g):
            return False
    return True


# Terms that only name a label (component numbers, totals, cost classes):
# two facts with equal labels agree on them whatever their wording.
_LABEL_TERMS = frozenset(terms_of(" ".join(
    [f"分項{n} 細部計畫{n} 子計畫{n}" for n in "一二三四五六七八九"]
    + ["子項 合計 小計 總計 總額 共計 全程 全期 累計 四年 經常支出 資本支出 經常門 資本門 人事費 材料費 其他費用"
       " 土地建築 儀器設備 新增預算 既有預算 核定數 送審數 每年 經費 預算"])))


# Qualifiers that make a figure a bound.
_BOUNDS = {"超過", "逾", "以上", "至少", "不少於", "不低於", "以下", "不超過", "未滿", "未達", "至多", "最多",
           "最少", ">", "<", "≥", "≤"}


def _row_terms(fact: Fact) -> frozenset[str]:
    return frozenset(terms_of(fact.row[:60])) - _LABEL_TERMS


def _table_ref(fact: Fact) -> str | None:
    m = re.match(r"\s*(表|圖)\s*(\d+)", fact.table or "")
    return f"{m.group(1)}{m.group(2)}" if m else None


def _cites_total(e: Fact, f: Fact) -> bool:
    """True when ``e`` is a table's grand total (total row × total column)
    and the sentence ``f`` cites that table (「如表 8」)."""
    ref = _table_ref(e)
    if not ref or f.cell is not None or not (is_total_text(e.row) and (is_total_text(e.column)
                                                                      or e.labels.get(Group.PERIOD) == TOTAL)):
        return False
    return bool(re.search(rf"{ref[0]}\s*{ref[1:]}(?!\d)", f.text))


class _SameSubject:
    """Tells whether a fact is about what evidence ``e`` is about: two cells
    need (nearly) the same row label; another figure of the same sentence
    never is; two counts in prose with one classifier are when they count
    the same thing (:func:`~assistant.figures.counted.same_count`);
    otherwise the fact's own words (:attr:`Fact.clause`) must hold
    :data:`SAME_SUBJECT_SHARE` of the claim words found in ``e``'s own
    words, label words aside.  What depends on ``e`` alone is worked out
    once, at construction (:func:`conflicts_of` asks it of every fact of a
    document)."""

    def __init__(self, e: Fact, scorer: "Scorer", plan_docs: frozenset[str] = frozenset()):
        self.e, self.plan_docs = e, plan_docs
        self.row = _row_terms(e) if e.figure_cell else None
        self.ident = [k for k in scorer.groups if _hit(k, e.terms("clause"))
                      and not all(alt <= _LABEL_TERMS for alt in k)]
        # what a count in prose counts (a cell's count is named by its row)
        self.count = counted_in(e.text, e.quantity) if e.quantity.kind == "count" and not e.figure_cell else None

    def __call__(self, f: Fact) -> bool:
        """True when ``f`` is about what the evidence is about."""
        e = self.e
        if e.figure_cell and f.figure_cell:
            if e.chunk_id == f.chunk_id or (e.table and e.table == f.table):
                return False  # other cells of one table: other rows/columns, or a parsing artefact
            a, b = self.row, _row_terms(f)
            if not a or not b:
                return a == b
            return len(a & b) / min(len(a), len(b)) >= 0.8
        if e.chunk_id == f.chunk_id and e.text == f.text and e.cell == f.cell:
            return False  # another figure of the same sentence
        if _cites_total(e, f):
            return True  # the sentence cites the evidence's table (「約 360 億元(如表 8)」)
        if self.count is not None and f.quantity.kind == "count" and f.quantity.unit == e.quantity.unit \
                and (other := counted_in(f.text, f.quantity)) is not None and same_count(self.count, other):
            return True  # 「每年 200 家合作廠商參與」 and 「每年 100 家廠商參與」 count one thing
        if not self.ident:
            # nothing but labels names it: same only when a label identifies it
            # (分項/子項, or a whole-period total)
            if e.labels.get(Group.PART) or e.labels.get(Group.SUBITEM):
                return True
            if e.labels.get(Group.PERIOD) == TOTAL and e.aggregate:
                return True
            return e.doc_id in self.plan_docs  # both about the whole plan the claim names
        own = f.terms("clause")
        return sum(1 for k in self.ident if _hit(k, own)) >= SAME_SUBJECT_SHARE * len(self.ident)


def _same_row(a: Fact, b: Fact) -> bool:
    """Two table cells can only state the same thing when their innermost
    row labels name the same row (one contains the other, spaces and
    punctuation ignored): 「其他」 is not 「C.培育及延攬人才」."""
    if a.source != "cell" or b.source != "cell" or not a.row_path or not b.row_path:
        return True
    x, y = (re.sub(r"[\W_]", "", f.row_path[-1]) for f in (a, b))
    return x in y or y in x


def conflicts_of(evidence: Candidate, pool: list[Candidate], scorer: "Scorer",
                 plan_docs: frozenset[str] = frozenset()) -> list[Candidate]:
    """Other facts stating a different value for the same thing as the
    evidence: same document, year and labels (:func:`same_thing`), the same
    subject (:class:`_SameSubject`) and a subject score of at least
    :data:`MIN_CONFLICT`."""
    out: list[Candidate] = []
    seen: set[tuple] = set()
    floor = MIN_CONFLICT
    same_subject = _SameSubject(evidence.fact, scorer, plan_docs)
    for c in pool:
        f = c.fact
        if _same_place(f, evidence.fact) or not same_thing(f, evidence.fact):
            continue
        if not comparable(evidence.fact.quantity, f.quantity, in_table=f.figure_cell):
            continue
        # a rounded statement (「約 360 億元」 for 366.24 億元) is still listed
        match = value_match(evidence.fact.quantity, f.quantity)
        if match == "exact" or c.year_fit == "mention":
            continue
        if f.quantity.qualifier in _BOUNDS:
            continue  # 「超過 13.5 億」 states a bound, not the value
        # a sentence citing a table (「約 360 億元(如表 8)」) and that table's
        # grand total, either one the evidence
        cited = _cites_total(evidence.fact, f) or _cites_total(f, evidence.fact)
        if c.score < floor and not cited:
            continue
        # the cited total, rounded in the sentence, is its subject whatever its words
        if not (same_subject(f) or cited and match == "approximate") or not _same_row(evidence.fact, f):
            continue
        key = (round(f.quantity.value, 6), f.page)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


__all__ = ["APPROX_QUALIFIERS", "Candidate", "ChunkTerms", "Scorer", "Sentences", "candidates", "comparable", "components_named_in", "conflicts_of",
           "exact", "group_terms", "label_clash", "written", "printed_step", "same_thing", "value_match", "with_followers", "year_fit"]

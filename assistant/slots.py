"""Question slots and whether a candidate answer agrees with them.

A question names *which* figure or rule it wants: a component (分項二,
子項 3.2, 細部計畫一), a cost class or category (經常支出, 人事費), a budget
stage (核定數), a period (每年 / 全程), a year, a classifier (幾家 → 家,
"how many people" → 人) and whether it asks for a total.  The same label
reader that matches claims to cells (:func:`assistant.figures.labels.find_labels`)
reads the question and the candidate, so 「分項二」 in a question and
「分項二：AI 智慧應用…」 in a row label are one slot value.

A candidate **contradicts** a slot when it names another value of the
same label group and not the asked one (a 分項一 cell for a 分項二
question), or, for a classifier, states counts only in other classifiers
(人次 when 家 was asked); such a candidate is never the answer
(:class:`assistant.compose.Composer`).

Example:
    >>> from assistant.query import analyze
    >>> s = question_slots(analyze("分項二 109 年度資本支出是多少？"))
    >>> sorted((g.value, v) for g, v in s.labels.items())
    [('door', '資本'), ('part', '2')]
    >>> agreement(s, "分項一 109 年度 資本支出：12,000 千元", [])
    (1, 1)
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .figures.labels import COMPONENT_GROUPS, Group, find_labels
from .figures.quantities import (
    COUNT_CLASSIFIERS,
    EN_CLASSIFIERS,
    Quantity,
    canonical_classifier,
)
from .figures.rates import asked_rates
from .language import english_terms
from .query import QueryAnalysis

# Label groups a question can name and a candidate can contradict (a
# candidate without the group's label neither agrees nor contradicts).
# PERIOD is left out: a per-year figure often answers a 「每年」 question
# from a table whose cells carry no period word.
SLOT_GROUPS = (Group.PART, Group.SUBITEM, Group.DOOR, Group.COST, Group.STAGE, Group.KIND)

# 「幾個小時」 asks hours (個 is its measure word); 「多少所得稅」 asks no
# 所 (schools), 「幾個月」 no 個; 「哪幾所學校」 asks which schools, not how many.
_ZH_COUNT_ASK = re.compile(r"(?:(?<!哪)幾|多少)\s*(?:個\s*(?=小時))?(?P<c>" + "|".join(COUNT_CLASSIFIERS) + ")(?!月|得)")
_EN_COUNT_ASK = re.compile(r"how many\s+(?:\w+[\s-]){0,2}?(?P<c>" + "|".join(
    re.escape(w) for w in sorted(EN_CLASSIFIERS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


# 「幾/多少 X」: the unit a Chinese question counts in, any word (天, 支,
# 小時, 錢 …; 個 before 小時/月 is its measure word); 「哪幾 X」 asks which.
_ASKED_UNIT = re.compile(r"(?:(?<!哪)幾|多少)\s*(?:個\s*(?=小時|月))?(?P<u>[\u4e00-\u9fff]{1,2})")


def asked_units(query: QueryAnalysis) -> frozenset[str]:
    """The one- or two-character words a Chinese question asks 幾/多少 of
    (「幾天年假」 → ``{"天年"}``, 「多少錢」 → ``{"錢"}``: the first character
    is the unit); empty for an English question."""
    if query.lang == "en":
        return frozenset()
    return frozenset(m.group("u") for m in _ASKED_UNIT.finditer(query.text))


@dataclass(frozen=True)
class QuestionSlots:
    """What a question pins down.

    Attributes:
        labels: label group → asked value (``{Group.PART: "2"}``), from the
            question's matching text (English glossary terms included); a
            group the question names with two values (it asks both) is no
            slot.
        classifiers: the counted units asked for (``{"家"}``; 名/位 read
            as 人); empty when the question counts nothing.
        rates: what the asked figure is per
            (:func:`assistant.figures.rates.asked_rates`).
        units: what a Chinese question asks 幾/多少 of (:func:`asked_units`).
        several: label group → the values a question names two or more of
            (「既有預算和新增預算分別是多少」 → ``{Group.KIND: {"既有", "新增"}}``):
            each is asked, and the answer quotes a candidate for each.
    """

    labels: dict = field(default_factory=dict)
    classifiers: frozenset = frozenset()
    rates: frozenset = frozenset()
    units: frozenset = frozenset()
    several: dict = field(default_factory=dict)


def named_values(text: str, *, header: bool = False) -> dict[Group, set[str]]:
    """Label group → the values ``text`` names
    (:func:`~assistant.figures.labels.find_labels`; ``header``: ``text`` is
    a table's headers, where bare 合計 / 新增 are labels)."""
    found: dict[Group, set[str]] = {}
    for lb in find_labels(text, header=header):
        found.setdefault(lb.group, set()).add(lb.value)
    return found


def question_slots(query: QueryAnalysis) -> QuestionSlots:
    """The :class:`QuestionSlots` of an analysed question."""
    named = {g: v for g, v in named_values(query.text).items() if g in SLOT_GROUPS}
    # a group named with two values (「既有預算和新增預算分別是多少」) asks both: no slot
    labels = {g: next(iter(v)) for g, v in named.items() if len(v) == 1}
    asked = [m.group("c") for m in _ZH_COUNT_ASK.finditer(query.text)]
    asked += [EN_CLASSIFIERS[m.group("c").lower()] for m in _EN_COUNT_ASK.finditer(query.question)]
    return QuestionSlots(labels, frozenset(canonical_classifier(c) for c in asked),
                         asked_rates(query.question if query.lang == "en" else query.text), asked_units(query),
                         {g: frozenset(v) for g, v in named.items() if len(v) > 1})


def agreement(slots: QuestionSlots, text: str, quantities: list[Quantity], *, header: bool = False) -> tuple[int, int]:
    """``(matched, contradicted)``: how many of the question's slots the
    candidate text names with the asked value, and how many it contradicts.

    Args:
        slots: from :func:`question_slots`.
        text: the candidate with its context (a cell's row and column
            headers and table title; a sentence's section heading).
        quantities: the candidate's quantities (for the classifier slot).
        header: ``text`` is a table's headers (bare 合計 / 新增 are labels).
    """
    found = named_values(text, header=header)
    matched = contradicted = 0
    for group, value in slots.labels.items():
        values = found.get(group, set())
        if value in values:
            matched += 1
        elif values:
            contradicted += 1
    if slots.classifiers:
        counted = {canonical_classifier(q.classifier) for q in quantities if q.kind == "count"}
        if slots.classifiers & counted:
            matched += 1
        elif counted:
            contradicted += 1
    return matched, contradicted




def unmet(slots: QuestionSlots, cells: list[tuple[str, str] | None]) -> list[bool]:
    """Which table cells leave a slot the question names unmet although
    their table tells that slot's values apart: the question names a cost
    class, cost item, budget stage or budget kind (「新增預算」, 「經常支出」,
    「核定數」), some cell of the same table names a value of that group in
    its headers, and this cell names none -- the 預算總額 column beside
    既有 / 新增, the 小計 beside 經常支出 / 資本支出, a 合計 row under the
    cost items.  Such a cell sums over the asked slot; it is never the
    answer (:class:`assistant.compose.Composer`).  Components (分項 / 子項)
    are left to :func:`broader`.

    Args:
        slots: from :func:`question_slots`.
        cells: one entry per candidate: ``(table key, headers)`` for a
            table cell (the key tells apart tables and what their cells
            measure -- a total is in its parts' unit, so 執行率 (%) beside
            執行數 (千元) sums nothing; the headers are its row and column
            headers with the table title), ``None`` for a sentence.

    Returns:
        One flag per entry (False for sentences).
    """
    asked = [g for g in slots.labels if g not in COMPONENT_GROUPS]
    if not asked:
        return [False] * len(cells)
    named = [{lb.group for lb in find_labels(c[1], header=True)} if c else set() for c in cells]
    in_table: dict[str, set] = {}
    for c, groups in zip(cells, named):
        if c:
            in_table.setdefault(c[0], set()).update(groups)
    return [c is not None and any(g in in_table[c[0]] and g not in n for g in asked) for c, n in zip(cells, named)]


def narrower(slots: QuestionSlots, text: str, *, header: bool = False) -> bool:
    """True when the question names a component (分項 / 子項) and the
    candidate ``text`` names one the question does not -- 子項 2.2's cell
    for a question about 分項二 as a whole."""
    asked = {g for g in COMPONENT_GROUPS if g in slots.labels}
    if not asked:
        return False
    return any(lb.group in COMPONENT_GROUPS and lb.group not in asked for lb in find_labels(text, header=header))


def broader(slots: QuestionSlots, text: str, *, header: bool = False) -> bool:
    """True when the question names a component (分項 / 子項) and the
    candidate ``text`` names none -- with a total, the whole plan's
    (「各額度經費合計」 for a question about 分項二)."""
    return any(g in slots.labels for g in COMPONENT_GROUPS) and \
        not any(lb.group in COMPONENT_GROUPS for lb in find_labels(text, header=header))


def unnamed_component(slots: QuestionSlots, named: frozenset) -> str | None:
    """The first component the question asks about that ``named``
    (:func:`~assistant.figures.labels.named_components` of the documents searched) lacks, as
    「group value」 (「分項 4」), or None."""
    for g in COMPONENT_GROUPS:
        v = slots.labels.get(g)
        if v is not None and (g, v) not in named:
            return f"{_COMPONENT_WORDS[g]} {v}"
    return None


_COMPONENT_WORDS = {Group.PART: "分項", Group.SUBITEM: "子項"}

# A word that asks (多少, 幾家, 什麼 …): the asked thing is named next to it.
_ASK_WORD = re.compile(r"^(?:多少|幾|什麼|甚麼|哪|誰|何時|多久|如何|是否|為何|怎麼|怎樣|嗎)")
# Words between an asking word and the asked thing that name nothing
# (「可以拿到多少」, 「最多是多少」).
_FILLERS = frozenset("""
是 為 有 可 可以 能 能夠 會 要 需 需要 得 給 拿 拿到 領 領到 到 的 了 一 每 各 共 總共 一共 合計 還 都 就 又
該 本 這 這個 此 其 之 與 和 及 或 在 於 多 最多 最高 最少 上限 約 大約 大概 實際 目前 到底 請 請問 已 將 被
家 個 名 位 人 件 次 項 筆 隊 所 校 班 場 種 年 月 天 元 萬
""".split())
# 是 / 為 right before an asking word: jieba would glue it to the word
# before (「預算是多少」 → 預 / 算是).
_COPULA = re.compile(r"(?:是|為)(?=多少|幾|什麼|甚麼|哪|誰|何時|多久)")
# A content word: two or more CJK characters, or an ASCII word.
_CONTENT = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9-]+")
# The words an English question asks about: "how much funding", "what is the maximum grant".
_EN_ASKED = re.compile(r"\b(?:how\s+(?:much|many|long)|what(?:'s|\s+is|\s+are|\s+was|\s+were)?(?:\s+the)?|which)"
                       r"\s+((?:[a-z-]+\s+){0,3}[a-z-]+)", re.IGNORECASE)
# Content words taken on each side of the asking word.
FOCUS_WINDOW = 2


def asked_focus(query: QueryAnalysis, words: Callable[[str], list[str]]) -> list[str]:
    """The words naming *what* the question asks for -- its focus: the
    content words right before and after its first asking word (「鐘點費是多少」
    → 鐘點費, 「有多少家企業出題」 → 企業 出題; at most :data:`FOCUS_WINDOW` a
    side, fillers such as 是 / 可以 / 最多 skipped, a year or number ends
    the window), or for an English question the plans' terms for the words
    after "how much / what is the …" (from the glossary).  An answer that
    names none of them often answers another question (a salary sentence for
    a housing-allowance question): the selector's ``focus_coverage`` and the
    confidence model's ``focus_missing`` read them.

    Args:
        query: the analysed question.
        words: the tokenizer (text → words), e.g.
            :meth:`ingest.tokenize.PlanTokenizer.words`.

    Returns:
        The focus words (may be empty: the question asks with no such word).
    """
    if query.lang == "en":
        m = _EN_ASKED.search(query.question)
        found = [w for t in english_terms(m.group(1)) for w in words(t) if _CONTENT.fullmatch(w)] if m else []
        return list(dict.fromkeys(found))
    toks = words(_COPULA.sub(" ", query.text))
    at = next((i for i, t in enumerate(toks) if _ASK_WORD.match(t)), None)
    if at is None:
        return []
    focus: list[str] = []
    for side in (range(at - 1, -1, -1), range(at + 1, len(toks))):
        taken = 0
        for i in side:
            t = toks[i]
            if taken == FOCUS_WINDOW or not (t in _FILLERS or _CONTENT.fullmatch(t)):
                break
            if t not in _FILLERS and not _ASK_WORD.match(t):
                focus.append(t)
                taken += 1
    return list(dict.fromkeys(focus))


__all__ = ["FOCUS_WINDOW", "SLOT_GROUPS", "QuestionSlots", "agreement", "asked_focus", "asked_units", "broader", "narrower", "question_slots", "unmet",
           "unnamed_component"]


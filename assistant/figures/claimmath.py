"""Figures of a claim that follow from its other figures by arithmetic.

A claim often states a figure the plan never prints because the writer
computed it: 「全程 4,800 人次，其中產業在職員工 4,200 人次，占比約 87.5%」
(a share), 「108 年 104.77 億元，比 107 年的 92.59 億元多出 12.18 億元」
(a difference), 「兩年合計 254 人」 (a sum), 「每年 1.7 億元，四年合計 6.8 億元」
(a multiple).  Looked up, such a figure is not found and the whole claim
with it.  :func:`derivations` finds, for each figure, the sets of the
claim's other figures it follows from; :mod:`assistant.figures.verify`
counts a figure the plan does not state as supported when every figure of
one such set is supported (never one the plan contradicts).

Arithmetic kept to what claims about plan figures do (sum of up to
:data:`MAX_PARTS` parts, difference, share in percent, the part a claimed
share gives of another figure, multiple by a number of years or 12 months
the claim names); a result agrees within half a unit
of its last printed digit (a whole unit when it is qualified 約 / 逾 …).

Example:
    >>> from assistant.figures.quantities import extract_quantities
    >>> text = "全程 4,800 人次，其中產業在職員工 4,200 人次，占比約 87.5%"
    >>> derivations(extract_quantities(text), text)
    [[], [], [frozenset({0, 1})]]
"""
from __future__ import annotations

import re
from decimal import Decimal
from itertools import combinations, permutations

from .labels import years_counted
from .matching import APPROX_QUALIFIERS, exact, printed_step
from .quantities import Quantity, canonical_classifier

#: The most figures a sum is taken over.
MAX_PARTS = 4
# Kinds that add up (a percent is only the result of a share).
_ADDITIVE = ("money", "count", "number")
# A per-period figure: its multiples by a number of years (or 12 months) are in reach.
_PER = re.compile(r"每年|每月|每人每年|per\s+(?:year|month)|a\s+(?:year|month)|each\s+year|annually|yearly|monthly",
                  re.IGNORECASE)
_YEARS_SPAN = re.compile(r"(\d{2,4})\s*(?:年)?\s*(?:至|到|~|〜|-|–)\s*(\d{2,4})\s*年")


def multipliers(text: str) -> frozenset[int]:
    """The numbers a per-period figure of ``text`` may be multiplied by: the
    number of years it names (「四年」, 「112 至 113 年」 → 2, "four years"),
    and 12 for a monthly figure; empty when it names no per-period figure."""
    if not _PER.search(text):
        return frozenset()
    out = {12} if re.search(r"每月|per\s+month|a\s+month|monthly", text, re.IGNORECASE) else set()
    for a, b in _YEARS_SPAN.findall(text):
        n = int(b) - int(a) + 1
        if 2 <= n <= 6:
            out.add(n)
    out.update(years_counted(text))
    return frozenset(out)


def _tolerance(q: Quantity) -> Decimal:
    """Half a unit of the last printed digit of ``q`` (normalised units); a
    whole unit when it is qualified as approximate."""
    step = printed_step(q, significant_zeros=True) or Decimal(0)
    return step if q.qualifier in APPROX_QUALIFIERS else step / 2


def _same_measure(a: Quantity, b: Quantity) -> bool:
    """``a`` and ``b`` add up: one additive kind, the same classifier for counts."""
    if a.kind != b.kind or a.kind not in _ADDITIVE or a.upper is not None or b.upper is not None:
        return False
    return a.kind != "count" or canonical_classifier(a.classifier or "") == canonical_classifier(b.classifier or "")


def derivations(quantities: list[Quantity], text: str) -> list[list[frozenset[int]]]:
    """For each figure of a claim, the sets of its other figures it follows
    from (module docstring); ``[]`` for a figure that follows from none.

    Args:
        quantities: the claim's figures, in order.
        text: the claim (for the number of years a per-year figure spans).

    Returns:
        One list per figure of index sets into ``quantities``.
    """
    values = [exact(q.value) for q in quantities]
    times = multipliers(text)
    out: list[list[frozenset[int]]] = []
    for i, q in enumerate(quantities):
        tol, v = _tolerance(q), values[i]
        others = [j for j in range(len(quantities)) if j != i]
        found: list[frozenset[int]] = []
        if q.kind == "percent" and q.upper is None:
            for j, k in permutations(others, 2):
                a, b = quantities[j], quantities[k]
                if _same_measure(a, b) and values[k] > 0 and abs(100 * values[j] / values[k] - v) <= tol:
                    found.append(frozenset((j, k)))
        else:
            parts = [j for j in others if _same_measure(q, quantities[j])]
            for n in range(2, min(MAX_PARTS, len(parts)) + 1):
                found += [frozenset(s) for s in combinations(parts, n) if abs(sum(values[j] for j in s) - v) <= tol]
            found += [frozenset((j, k)) for j, k in permutations(parts, 2) if abs(values[j] - values[k] - v) <= tol]
            found += [frozenset((j,)) for j in parts for m in times if abs(values[j] * m - v) <= tol
                      or abs(values[j] - v * m) <= _tolerance(quantities[j])]
            # a claimed share of another figure: 「至少 2/3 就業…，約 667 人」 of 1,000
            shares = [j for j in others if quantities[j].kind == "percent" and quantities[j].upper is None]
            found += [frozenset((j, k)) for j in shares for k in parts
                      if abs(values[k] * values[j] / 100 - v) <= tol]
        out.append(list(dict.fromkeys(found)))
    return out


# Words that present the figure after them as computed from the claim's
# others: a share, a difference, a sum (「預算總額」, 「四年共」 -- a bare 共
# also counts what the claim lists, 「分 3 梯次共培訓 1,000 名」: dev claims).
_COMPUTED_CUE = re.compile(r"(?:占|佔|比例|比率|比重|多出|多了|增加|減少|少了|相差|差距|合計|共計|累計|總計|總共|加總|預算總額|總預算|"
                           r"(?:年|全程|期間)共|"
                           r"share|percent of|more than|less than|higher than|lower than|difference|total|"
                           r"combined|in all|altogether)[^，,。；;]{0,6}$", re.IGNORECASE)


def presented_as_computed(quantities: list[Quantity], text: str) -> list[bool]:
    """For each figure of a claim, whether the claim presents it as computed
    from its other figures -- a share (「占比約 91%」), a difference
    (「多出 14.18 億元」), a total (「合計 48 個」) right before it, with another
    figure of the claim it could be computed from.  Such a figure the plan
    does not state and the arithmetic does not give (:func:`derivations`) is
    a miscomputation: it never lets the claim stand on its other figures
    (:func:`assistant.figures.decision.partly_supported`).

    Args:
        quantities: the claim's figures, in order (``start`` offsets into ``text``).
        text: the claim.
    """
    out = []
    for i, q in enumerate(quantities):
        others = [o for j, o in enumerate(quantities) if j != i]
        partners = (sum(1 for o in others if o.kind in _ADDITIVE) >= 2 if q.kind == "percent"
                    else any(_same_measure(q, o) for o in others))
        out.append(partners and bool(_COMPUTED_CUE.search(text[max(0, q.start - 12):q.start])))
    return out


# Words right before a figure that present it as the sum of what the claim
# states before it (a stricter :data:`_COMPUTED_CUE`: no share, no difference).
_SUM_CUE = re.compile(r"(?:合計|共計|總計|總共|加總|一共|累計|(?:年|全程|期間)\s*共|total(?:s|ling|led)?|combined|in all|altogether"
                      r"|add(?:s|ed)? up to)[^，,。；;]{0,6}$", re.IGNORECASE)


# The same after an English figure ("1,500 over the four years", "600 in
# total").
_SUM_AFTER = re.compile(r"\s*(?:[A-Za-z-]+\s+){0,2}?(?:in total|in all|altogether|combined"
                        r"|over (?:the |its )?(?:two|three|four|five|six|[2-6]) years"
                        r"|over the (?:whole|full|entire) (?:period|term|programme|program|plan))\b", re.IGNORECASE)


def intended_totals(quantities: list[Quantity], text: str, per_year: list[bool]) -> list[tuple[Decimal, frozenset[int]] | None]:
    """For each figure a claim presents as a total of its other figures, the
    value those figures give by the claim's own arithmetic, with the parts
    it is computed from; None for other figures.  Two structures only, both
    with a sum word right before the total (:data:`_SUM_CUE`):

    * a per-year figure and a total over the number of years the claim
      names, the claim's only two figures of that measure (「每年 1.7 億元，
      四年共 6.3 億元」 gives 6.8 億元; a per-year figure of several years
      listed, 「預計每年 5 人，2018–2021 年共 25 人」, is one figure);
    * the sum of the figures of that measure before it (since the claim's
      previous total), none of them per-year (「48,440 千元加上 43,590
      千元，合計 93,030 千元」 gives 92,030 千元).

    Args:
        quantities: the claim's figures in order (``start`` offsets into
            ``text``; a figure repeated per listed year shares its ``start``).
        text: the claim.
        per_year: for each figure, whether the claim states it per year.

    Returns:
        One ``(value, parts)`` or None per figure; ``value`` normalised as
        the quantities' (money in 元).
    """
    out: list[tuple[Decimal, frozenset[int]] | None] = []
    times = multipliers(text)
    starts_seen = [o.start for o in quantities]
    # a figure repeated for each year listed is a per-year figure
    per_year = [p or starts_seen.count(o.start) > 1 for p, o in zip(per_year, quantities)]
    totals = [bool(_SUM_CUE.search(text[max(0, q.start - 12):q.start]) or _SUM_AFTER.match(text, q.end))
              for q in quantities]
    for i, q in enumerate(quantities):
        if not totals[i]:
            out.append(None)
            continue
        same = [j for j, o in enumerate(quantities) if o.start != q.start and _same_measure(q, o)]
        starts = {quantities[j].start for j in same}
        # a sum: the figures since the claim's previous total (「5、22、19 (46
        # in all), and 3、9、9 (21 in all)」: 21 is 3 + 9 + 9)
        since = max((o.end for o, t in zip(quantities, totals) if t and o.end <= q.start), default=-1)
        before = [j for j in same if since < quantities[j].start < q.start]
        got = None
        if len(starts) == 1 and all(per_year[j] for j in same) and len(times) == 1:
            got = (exact(quantities[same[0]].value) * next(iter(times)), frozenset(same))
        elif len(before) >= 2 and len({quantities[j].start for j in before}) == len(before) \
                and not any(per_year[j] for j in same):
            got = (sum(exact(quantities[j].value) for j in before), frozenset(before))
        out.append(got)
    return out


def miscomputed(q: Quantity, value: Decimal) -> bool:
    """Whether ``q`` differs from ``value`` (what the claim's own figures
    give) by more than its printed precision allows (:func:`_tolerance`)."""
    return abs(exact(q.value) - value) > _tolerance(q)


def supporting_parts(supported: list[bool], paths: list[list]) -> list[frozenset[int] | None]:
    """For each figure that is not ``supported`` (by a looked-up fact), the
    first of its ``paths`` (:func:`derivations`) whose figures all are; None
    for a supported figure or one no supported set gives.  What counts is
    the lookups alone, never another derived figure.  Shared by
    :func:`assistant.figures.verify.with_derived` and the verdict fit
    (:mod:`eval.fit_verdict`)."""
    return [None if supported[i] else next((frozenset(p) for p in ways if all(supported[j] for j in p)), None)
            for i, ways in enumerate(paths)]


__all__ = ["MAX_PARTS", "derivations", "intended_totals", "miscomputed", "multipliers", "presented_as_computed",
           "supporting_parts"]

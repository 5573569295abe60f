"""Shares of a whole the plan does not print, checked on the amounts it
does: 「分項二全程經費 19.225 億元，約占總經費的 52%」 is 19.225 / 36.765 億元
= 52.3%; "分項二 accounts for about 47% of the programme's 2019 budget" is
350,000 / 740,000 千元 = 47.3%.

A claimed percent read as a share (:func:`is_share`: 占, "accounts for",
"makes up", "share", "% of") that the plan states nowhere is supported when
the claim's part -- an amount the claim states and the plan supports, else
the plan's best whole-period (or the claim's year's) amount for what the
claim names -- over the plan's total for the same years, rounded or cut
off at the claimed percent's last printed digit, gives it.  Only the best
part and the best whole of its document are tried, and a share is never
contradicted this way: a plan's total is found by its labels, not read
(:func:`share_parts`); a share the two amounts do not give only keeps the
claim from standing on its other figures.

Example:
    >>> from assistant.figures.quantities import Quantity
    >>> agrees(Quantity(52.0, "percent", "%", text="52%"), 19.225, 36.765)
    True
    >>> agrees(Quantity(6.8, "percent", "%", text="6.8%"), 3781, 560000)
    False
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .extract import Fact
from .labels import COMPONENT_GROUPS, TOTAL, Group, is_total_text
from .matching import Candidate, printed_step
from .quantities import Quantity
from .units import to_decimal

# Words saying a percent is a share of a whole: 「占 / 佔 總經費」, "accounts
# for", "makes up", "a share of", "28% of the budget".
_SHARE_WORDS = re.compile(r"[占佔]|\bshares?\b|\baccount(?:s|ed|ing)?\s+for\b|\bmak(?:e|es|ing)\s+up\b"
                          r"|%\s*of\b|\bpercent\s+of\b", re.IGNORECASE)
# Label groups that make an amount a part of the plan's: a whole has none.
_PART_GROUPS = (*COMPONENT_GROUPS, Group.KIND, Group.COST, Group.DOOR)


def is_share(q: Quantity, text: str) -> bool:
    """A claimed percent ``q`` (found in ``text``) that the claim says is a
    share of a whole: share words within its clause around it."""
    if q.kind != "percent":
        return False
    start = max((m.end() for m in re.finditer(r"[，。；,;]", text[:q.start])), default=0)
    ends = [m.start() for m in re.finditer(r"[，。；;]|,\s", text[q.end:])]
    return bool(_SHARE_WORDS.search(text[start:q.end + (ends[0] if ends else len(text))]))


def agrees(claimed: Quantity, part: float, whole: float) -> bool:
    """``part`` / ``whole`` in percent, rounded half up or cut off at the
    claimed percent's last printed digit, is the claimed percent."""
    if whole <= 0 or part <= 0:
        return False
    step = printed_step(claimed, significant_zeros=True)
    if step is None or step <= 0:
        return False
    ratio = to_decimal(part) / to_decimal(whole) * 100
    return any((ratio / step).quantize(Decimal(1), mode) * step == to_decimal(claimed.value)
               for mode in (ROUND_HALF_UP, ROUND_DOWN))


def _is_total(f: Fact) -> bool:
    return f.quantity.kind == "money" and (f.aggregate or f.labels.get(Group.PERIOD) == TOTAL)


def share_parts(part: Fact | None, parts: list[Candidate], wholes: list[Candidate], *,
                labels: dict | None = None, whole_period: bool = False) -> tuple[Fact, Fact] | None:
    """The part and the whole a claimed share is of, or None.

    Args:
        part: the amount another figure of the claim states, as the plan
            supports it (None when the claim states none).
        parts: scored candidates for the claim's part, best first (used
            when ``part`` is None): its whole-period or yearly totals; when
            the best names no 分項 / 子項, a table's 合計 row before the rest.
        wholes: scored candidates for the plan's total, best first: the
            first of the part's document and years that names no part
            (分項, 子項, 既有/新增, cost class), a table's 合計 / 總計 row
            before any other.
        labels: the claimed percent's labels (a 子項's amount is not the
            part of a share they give a 分項).
        whole_period: the claim names no year: the share is of the whole
            period.
    """
    labels = labels or {}
    if part is None:
        # not a 子項's amount for a 分項's share; for a share of the whole
        # period, a printed 合計 before a sum over some of its years
        totals = [c.fact for c in parts if _is_total(c.fact)
                  and not (Group.PART in labels and Group.SUBITEM not in labels and Group.SUBITEM in c.fact.labels)]
        if whole_period:
            totals.sort(key=lambda f: f.years is not None)
        if not totals:
            return None
        # a part naming no 分項 / 子項 (新增預算 of the whole plan) is its
        # table's 合計 row, not one row's
        part = totals[0] if any(g in totals[0].labels for g in COMPONENT_GROUPS) else \
            next((f for f in totals if is_total_text(f.row) and not any(g in f.labels for g in COMPONENT_GROUPS)),
                 totals[0])
    fits = [c.fact for c in wholes if _is_total(c.fact) and c.fact.doc_id == part.doc_id
            and c.fact.years == part.years and c.fact.key != part.key
            and not any(g in c.fact.labels for g in _PART_GROUPS)]
    # a table's grand total (its 合計 / 總計 row) before a row's total
    whole = next((f for f in fits if is_total_text(f.row)), fits[0] if fits else None)
    return (part, whole) if whole is not None else None


def share_fact(claimed: Quantity, part: Fact, whole: Fact) -> Fact | None:
    """The derived fact -- ``part`` over ``whole`` in percent, naming both as
    its parts -- when it gives the claimed percent (:func:`agrees`), else
    None."""
    if not agrees(claimed, part.quantity.value, whole.quantity.value):
        return None
    ratio = to_decimal(part.quantity.value) / to_decimal(whole.quantity.value) * 100
    shown = f"{ratio.quantize(Decimal('0.01'), ROUND_HALF_UP)}%"
    q = Quantity(float(ratio), "percent", "%", text=shown)
    return replace(part, quantity=q, display=shown, unit="%", source="derived", parts=(part.key, whole.key),
                   text=f"{part.text}｜{part.display} ÷ {whole.display} (p.{whole.page}) = {shown}")


__all__ = ["agrees", "is_share", "share_fact", "share_parts"]

"""Claims about a plan's own period: 「本計畫期程為 114 至 117 年，共 4 年」,
"The plan runs from 2025 to 2028".

Such a claim states no figure for :func:`assistant.figures.verify.verify_parsed`
to check -- a span of years is not a figure -- but a span the plan states
for itself in its PERIOD document facts (:mod:`assistant.figures.docfacts`:
「本計畫期程自 114 年至 117 年」, 全程期間 / 執行期間 rows, the cover's
計畫全程).  Applicants and staff ask it of every plan, and every fresh
question set written for planqa has such claims.

Rules (:func:`parse_period_claim`, :func:`decide_period`):

* A period claim names the plan's period (:data:`PERIOD_CUE`: 期程, 執行期間,
  計畫期間, 全程期間, 實施期間, 為期; "runs", "lasts", "period", "duration",
  "term") and one span of years (「114 至 117 年」 = 「2025 到 2028 年」,
  "from 2025 to 2028"), optionally its length (「共 4 年」, "four years").
  Not when it states a figure, names a 分項 / 子項 (a component's period
  is not the plan's), or names another phase (:data:`OTHER_PHASE`: 前期,
  第三期, "previous phase").
* **supported** when the span is one the plan states for itself (全程 or
  執行期間) and the length, if claimed, is its number of years;
* **contradicted** when the length is not the span's, or when the span is
  none of the plan's but overlaps its widest one (2024-2027 or 2025-2029
  for 114-117: the same period misstated); the plan's period is the
  evidence;
* **not found** otherwise (a disjoint span may be about something else).

Example:
    >>> from assistant.figures.claims import parse_claim
    >>> p = parse_period_claim(parse_claim("本計畫期程為 2025 年至 2028 年，共 4 年。"))
    >>> (p.span.lo, p.span.hi, p.years)
    (2025, 2028, 4)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import Claim
from .docfacts import DocSlot, DocumentFact
from .labels import COMPONENT_GROUPS
from .quantities import english_spans, extract_quantities
from .sentences import YearSpan

#: Words saying a claim is about a period (Traditional Chinese after
#: :func:`~assistant.figures.claims.parse_claim`'s conversion, or English).
PERIOD_CUE = re.compile(r"期程|執行期間|計畫期間|全程期間|實施期間|為期"
                        r"|\b(?:runs?|running|lasts?|spans?|period|duration|term|timeframe)\b", re.IGNORECASE)
#: Words naming a period other than the plan's own (a previous phase).
OTHER_PHASE = re.compile(r"前期|上期|第[一二三四五六\d]期|\b(?:previous|prior|earlier|last|first|second|third)\s+phase\b",
                         re.IGNORECASE)
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
               "ten": 10}
_EN_YEARS = re.compile(r"\b(\d{1,2}|" + "|".join(_EN_NUMBERS) + r")[ -]years?\b", re.IGNORECASE)


@dataclass(frozen=True)
class PeriodClaim:
    """A claim about a plan's period.

    Attributes:
        span: the claimed span, Western years.
        years: the claimed length in years (「共 4 年」), or None.
    """

    span: YearSpan
    years: int | None = None


def parse_period_claim(parsed: Claim) -> PeriodClaim | None:
    """The period a claim states for its plan (module rules), or None when
    it is no period claim."""
    text = parsed.text if parsed.lang == "en" else parsed.norm
    if parsed.figures or any(g in parsed.labels for g in COMPONENT_GROUPS) \
            or not PERIOD_CUE.search(text) or OTHER_PHASE.search(text):
        return None
    if parsed.lang == "en":
        spans = set(english_spans(text))
        lengths = {int(m.group(1)) if m.group(1).isdigit() else _EN_NUMBERS[m.group(1).lower()]
                   for m in _EN_YEARS.finditer(text)}
    else:
        qs = extract_quantities(text)
        spans = {(int(q.value), int(q.upper)) for q in qs if q.kind == "year" and q.upper is not None}
        lengths = {int(q.value) for q in qs if q.kind == "number" and q.unit == "年" and q.upper is None
                   and float(q.value).is_integer()}
    if len(spans) != 1 or len(lengths) > 1:
        return None
    (lo, hi), = spans
    return PeriodClaim(YearSpan(lo, hi), next(iter(lengths)) if lengths else None)


def decide_period(claim: PeriodClaim, facts: list[DocumentFact]) -> tuple[str, DocumentFact | None]:
    """``(verdict, evidence)`` of a period claim against one plan's document
    facts (module rules): ``"supported"``, ``"contradicted"`` or
    ``"not_found"``, with the PERIOD fact that decides it (None when not
    found)."""
    stated = [(f, YearSpan(f.year_from, f.year_to)) for f in facts
              if f.slot is DocSlot.PERIOD and f.year_from and f.year_to]
    if not stated:
        return "not_found", None
    length = claim.span.hi - claim.span.lo + 1
    same = [f for f, s in stated if s == claim.span]
    if same:
        return ("supported" if claim.years in (None, length) else "contradicted"), same[0]
    widest, span = max(stated, key=lambda fs: (fs[1].hi - fs[1].lo, -fs[1].lo))
    if claim.span.lo <= span.hi and span.lo <= claim.span.hi:
        return "contradicted", widest
    return "not_found", None


__all__ = ["OTHER_PHASE", "PERIOD_CUE", "PeriodClaim", "decide_period", "parse_period_claim"]

"""Is a quantity the same as another, or stated in a text?

Used by the citation checker (every figure of an answer sentence must be in
a cited source) and by claim matching.
"""
from __future__ import annotations

import math

from .dates import same_date
from .quantities import (_FOREIGN, _RAW_NUMBER_RE, Quantity, _arabic, canonical_classifier, _normalize, declared_money_unit,
                         extract_quantities)

def _number_dimension(q: Quantity) -> str:
    """What a kind-"number" quantity measures: its unit minus any leading
    scale word when the rest is a currency or empty ("億美元" -> "美元",
    "億" -> "", "年" -> "年", "百分點" -> "百分點")."""
    u = q.unit
    k = 0
    while k < len(u) and u[k] in "十百千萬億兆":
        k += 1
    rest = u[k:]
    if k and (rest == "" or rest in _FOREIGN):
        return rest
    return u


def _close(a: float, b: float, rel_tol: float) -> bool:
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=0.0)


def same_quantity(a: Quantity, b: Quantity, *, rel_tol: float = 1e-9) -> bool:
    """True when ``a`` and ``b`` state the same quantity.

    Same kind and equal normalised ``value`` and ``upper`` (within
    ``rel_tol``), so 3.9 億元 == 39,000 萬元 == 390,000 千元 and 108 年 ==
    2019 年.  A percent never equals money; a year never equals a count.
    Counts must also share the classifier (名/位 count as 人); kind "number"
    must share the unit (a scale word is ignored: 13 兆美元 == 130,000 億美元),
    dates compare by :func:`~assistant.figures.dates.same_date`, and
    identifiers (unit 編號) must have the same digits.  Qualifiers (約, 以上
    ...) are not compared.
    """
    if a.kind != b.kind:
        return False
    if a.kind == "date":
        return same_date(a, b)
    if (a.upper is None) != (b.upper is None):
        return False
    if a.kind == "count" and canonical_classifier(a.classifier) != canonical_classifier(b.classifier):
        return False
    if a.kind == "number":
        if _number_dimension(a) != _number_dimension(b):
            return False
        if a.unit == "編號":
            da = "".join(c for c in _normalize(a.text)[0] if "0" <= c <= "9")
            db = "".join(c for c in _normalize(b.text)[0] if "0" <= c <= "9")
            if da and db:
                return da == db
    if not _close(a.value, b.value, rel_tol):
        return False
    return a.upper is None or _close(a.upper, b.upper, rel_tol)  # type: ignore[arg-type]


def quantity_supported(q: Quantity, evidence_text: str, *,
                       default_money_unit: str | None = None) -> bool:
    """True when ``evidence_text`` states ``q``.

    Rules, in order:

    1. some quantity in the evidence is ``same_quantity`` as ``q``;
    2. ``q`` is a single value and equals an end of a range of the same
       kind in the evidence (「114-117 年」 supports 「117 年」);
    3. for kind "number" (except identifiers), the same number appears as
       a whole number token in the evidence -- 39 is found in 「39 人」 or
       「共 39」 but not inside 「390,000」 or 「0.39」.

    ``default_money_unit`` is passed to ``extract_quantities`` for the
    evidence; when None, the evidence's own 單位 line (declared_money_unit)
    is used, so a table chunk 「單位：千元 … 390,000」 supports 3.9 億元.

    Raises:
        TypeError: ``evidence_text`` is not a str.
        ValueError: unknown ``default_money_unit``.
    """
    if default_money_unit is None:
        default_money_unit = declared_money_unit(evidence_text)
    found = extract_quantities(evidence_text, default_money_unit=default_money_unit)
    for ev in found:
        if same_quantity(q, ev):
            return True
    if q.upper is None:
        single = Quantity(q.value, q.kind, q.unit, q.classifier, text=q.text)
        for ev in found:
            if ev.upper is None or ev.kind != q.kind:
                continue
            for end_value in (ev.value, ev.upper):
                if same_quantity(single, Quantity(end_value, ev.kind, ev.unit,
                                                  ev.classifier, text=ev.text)):
                    return True
    if q.kind == "number" and q.unit != "編號":
        norm, _ = _normalize(evidence_text)
        wanted = [q.value] if q.upper is None else [q.value, q.upper]
        values = [_arabic(t) for t in _RAW_NUMBER_RE.findall(norm)]
        floats = {v[0] / v[1] for v in values}
        return all(any(_close(w, f, 1e-9) for f in floats) for w in wanted)
    return False


__all__ = ["quantity_supported", "same_quantity"]

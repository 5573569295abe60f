"""Money units printed in table titles and header cells."""
from __future__ import annotations

import re

# Units in the order they must be tried (longest first, so 千元 is not read
# as 元). Source: the units the plan templates print (單位：千元/萬元/億元).
_UNITS = ("新臺幣千元", "新台幣千元", "千元", "百萬元", "萬元", "億元", "元")
_IN_HEADER = re.compile(r"[(（]\s*(" + "|".join(_UNITS) + r")\s*[)）]|(?<![\d,.])\s(" + "|".join(_UNITS) + r")(?:\s|$)")


def money_unit_in(text: str) -> str:
    """The money unit a title or header states, e.g. ``"經費(千元)"`` →
    ``"千元"``, ``"預算總額 億元"`` → ``"億元"``; ``""`` when none."""
    m = _IN_HEADER.search(text)
    if not m:
        return ""
    unit = m.group(1) or m.group(2)
    return unit.replace("新臺幣", "").replace("新台幣", "")

"""Rates a figure is stated per: 「每月」, 「每位學生」, "per team" -- the
one qualifier that makes 「6 萬元」 a monthly pay and 「105 萬元」 a yearly
subsidy per trainee, so that one never answers or contradicts the other.

Shared by the ask path (:mod:`assistant.slots`: what a question asks a
figure per) and :mod:`assistant.figures.decision` (what a claim states a
figure per, against the facts' wording).

Example:
    >>> sorted(asked_rates("每位學生每月補助多少？"))
    ['month', 'person']
    >>> names_rate("person", "每人每月 3 萬元"), names_rate("team", "每人每月 3 萬元")
    (True, False)
    >>> rate_share(frozenset({"person", "team"}), "每人每月 3 萬元")
    0.5
"""
from __future__ import annotations

import re

# Rates a figure can be stated per (「每月」, 「每位學生」, "per team"): the
# question's wording and a candidate's.  A yearly rate (每年) is left out:
# the plans' yearly targets and budget columns seldom say 每年.
_PERSON = r"(?:一\s*)?(?:位|名|人|員|生|學員|學生)"
RATES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "month": (re.compile(r"每\s*(?:個\s*)?月|\b(?:per|a|each) month\b|\bmonthly\b", re.IGNORECASE),
              re.compile(r"每\s*(?:一\s*)?(?:個\s*)?月|月薪|月支|按月|/\s*月|monthly", re.IGNORECASE)),
    "person": (re.compile(r"每\s*" + _PERSON + r"|\b(?:per|each|a) (?:[\w-]+ ){0,2}?(?:person|people|trainee|intern|student"
                          r"|participant|member|head|returnee|teacher|worker|employee)s?\b", re.IGNORECASE),
               re.compile(r"每\s*" + _PERSON + r"|/\s*人|人均")),
    "team": (re.compile(r"每\s*(?:一\s*)?(?:個\s*)?(?:團?隊|組)|\b(?:per|each|a) team\b", re.IGNORECASE),
             re.compile(r"每\s*(?:一\s*)?(?:個\s*)?(?:團?隊|組)")),
    "company": (re.compile(r"每\s*(?:一\s*)?(?:家|間|企業|廠商|公司)|\b(?:per|each|a) (?:company|firm|enterprise|business)\b",
                           re.IGNORECASE),
                re.compile(r"每\s*(?:一\s*)?(?:家|間|企業|廠商|公司)|/\s*家")),
    "case": (re.compile(r"每\s*(?:一\s*)?(?:案|件|個?計畫|項目?)|\b(?:per|each|a) (?:project|case|proposal)\b", re.IGNORECASE),
             re.compile(r"每\s*(?:一\s*)?(?:案|件|個?計畫|項目?)")),
    "hour": (re.compile(r"每\s*(?:一\s*)?(?:個\s*)?小時|時薪|鐘點|\b(?:per|an|each) hour\b|\bhourly\b", re.IGNORECASE),
             re.compile(r"每\s*(?:一\s*)?(?:個\s*)?小時|時薪|鐘點|/\s*(?:小)?時")),
}


def asked_rates(question: str) -> frozenset[str]:
    """The rates (:data:`RATES` keys) a question asks a figure per (or a
    claim states one per -- the same wording):
    「每位學生最高補助多少」 → ``{"person"}``, "how much per month" →
    ``{"month"}``."""
    return frozenset(k for k, (ask, _) in RATES.items() if ask.search(question))


def without_rates(question: str) -> str:
    """``question`` with the words that ask a figure per a rate blanked out
    (「每位學生每月補助多少」 → 「 學生 補助多少」; "the monthly stipend for
    each PhD trainee?" → "the   stipend for  ?"): what is left says what is
    asked, not per what."""
    for ask, _ in RATES.values():
        question = ask.sub(" ", question)
    return question


def names_rate(rate: str, text: str) -> bool:
    """True when ``text`` states something per ``rate`` (a :data:`RATES`
    key): 「每人每月 3 萬元」 names ``"person"`` and ``"month"``."""
    return bool(RATES[rate][1].search(text))


def rate_share(rates: frozenset[str], text: str) -> float:
    """Share of ``rates`` (:data:`RATES` keys) that ``text`` states
    something per (:func:`names_rate`); 0 when ``rates`` is empty."""
    return sum(names_rate(r, text) for r in rates) / len(rates) if rates else 0.0


__all__ = ["RATES", "asked_rates", "names_rate", "rate_share", "without_rates"]

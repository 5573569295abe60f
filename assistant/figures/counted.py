"""What a count counts: the words right after a count with a classifier
(「200 家合作廠商」 → 「合作廠商參與」) and whether a rate word comes just
before it (「每年 200 家」).

Shared by the ask path (:mod:`assistant.compose`: two quoted passages that
count the same thing differently), :mod:`assistant.figures.matching` (a
fact about what a claim's or answer's evidence counts) and
:mod:`assistant.figures.audit` (two sentences of a plan that state one
count with two values).

Example:
    >>> from assistant.figures.quantities import extract_quantities
    >>> text = "每年 200 家合作廠商參與人才培訓"
    >>> counted(text, extract_quantities(text))
    [Counted(noun='合作廠商參與', per=True, before='每年')]
    >>> same_count(Counted("合作廠商參與", True, "(二)每年"), Counted("廠商參與為計", True, "本計畫以每年"))
    True
    >>> same_count(Counted("智慧科技菁英", False), Counted("智慧應用先鋒", False))
    False
"""
from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher
from typing import NamedTuple

from .quantities import Quantity

# The words naming what a count counts: the run of letters right after it,
# this many characters at most (「項 AI 核心工具模組」 -> 「AI核心工具」).
COUNTED_CHARS = 6
# Two counts count the same thing when their words share a run of this many
# characters (「合作廠商參與」 and 「廠商參與為計」 share 「廠商參與」); a shorter
# run is a generic word (「智慧科技菁英」 and 「智慧應用先鋒」 share only 「智慧」).
COMMON_CHARS = 4
_WORDS = re.compile(r"[\w\u4e00-\u9fff]+")
# A rate word shortly before a count (「每年培訓 330 名」): a count per year
# is not the same thing as the whole period's (「全期程…培訓 1,000 名」).
_PER = re.compile(r"每(?:年|月|季|人|案|家|梯次)")
# Where a clause ends: what comes before a count is read back to one of these.
_CLAUSE_END = re.compile(r"[,，;；。:：、●•]")


class Counted(NamedTuple):
    """What one quantity counts.

    Attributes:
        noun: the words right after it (spaces dropped, at most
            :data:`COUNTED_CHARS` characters); ``""`` unless it is a count
            with a classifier.
        per: a rate word (:data:`_PER`) comes within :data:`COUNTED_CHARS`
            characters before it.
        before: the words before it in its clause (back to the last
            punctuation mark; spaces dropped): 「每年培育製造產業」 in
            「…，每年培育製造產業至少 20 隊 AI 產業艦隊」.
    """

    noun: str
    per: bool
    before: str = ""


def counted(text: str, quantities: list[Quantity]) -> list[Counted]:
    """For each of ``quantities`` (found in ``text``, offsets into it), what
    it counts (:class:`Counted`), in the same order."""
    out = []
    for q in quantities:
        m = _WORDS.match(re.sub(r"\s", "", text[q.end:q.end + 3 * COUNTED_CHARS])) if q.kind == "count" and q.unit else None
        per = bool(_PER.search(re.sub(r"\s", "", text[max(0, q.start - 3 * COUNTED_CHARS):q.start])[-COUNTED_CHARS:]))
        before = _CLAUSE_END.split(re.sub(r"\s", "", text[:q.start]))[-1]
        out.append(Counted(m.group(0)[:COUNTED_CHARS] if m else "", per, before))
    return out


def counted_in(text: str, quantity: Quantity) -> Counted | None:
    """What ``quantity`` counts where ``text`` states it (a fact's sentence,
    while its offsets are into its chunk): read at the first occurrence of
    its printed span, as fact extraction places it; ``None`` when ``text``
    does not print it."""
    i = text.find(quantity.text)
    return counted(text, [replace(quantity, start=i, end=i + len(quantity.text))])[0] if i >= 0 else None


def same_count(a: Counted, b: Counted) -> bool:
    """``a`` and ``b`` count the same thing: both name what they count, both
    or neither are rates, their words are equal or share a run of
    :data:`COMMON_CHARS` characters, and the words before one hold every
    character pair of the other's (「(二)每年」 within 「本計畫以每年」; not
    「每年培育數位經濟產業」 against 「每年培育製造產業」)."""
    if not a.noun or not b.noun or a.per != b.per:
        return False
    pa, pb = _pairs(a.before), _pairs(b.before)
    if not (pa <= pb or pb <= pa):
        return False
    if a.noun == b.noun:
        return True
    m = SequenceMatcher(None, a.noun, b.noun, autojunk=False).find_longest_match(0, len(a.noun), 0, len(b.noun))
    return m.size >= COMMON_CHARS


def _pairs(text: str) -> frozenset[str]:
    """The character pairs within each run of letters of ``text``."""
    return frozenset(run[i:i + 2] for run in _WORDS.findall(text) for i in range(len(run) - 1))

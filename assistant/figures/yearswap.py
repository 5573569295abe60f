"""A claimed value that the plan states for the same thing in another year.

A claim that puts one year's figure under another year -- 「114 年（至 8 月）
促成國際人才循環交流 59 人次」 where the plan's milestone lists read
「(三) 促成國際人才循環交流 59 人次」 under 112 年 and under 113 年, and
「(三) 促成國際人才循環交流 20 人次」 under 114 年 -- finds no fact stating
the claimed value for its year, and the plan's figure for that year often
scores too low to contradict it on its own (its year is a heading's, its
words are few).  The plan's own statement of the claimed value for another
year, worded exactly like the statement of the claimed year, says what the
claim did: it swapped years.

:func:`year_swap` finds that statement.  "Worded exactly like" is
:func:`statement_key`: a sentence with its digits masked, or a table cell's
table, row path and column header with its digits (the year) masked.

Example::

    >>> from assistant.figures.yearswap import statement_key
    >>> statement_key(fact_114) == statement_key(fact_112)   # doctest: +SKIP
    True

Measured on the 3,863 dev claims of 2026-12-06: six false claims more
contradicted, none of the other verdicts changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .extract import Fact
from .matching import Candidate, comparable, value_match
from .quantities import Quantity
from .sentences import YearSpan

_DIGITS = re.compile(r"\d[\d,.]*")
_SPACE = re.compile(r"\s+")


def statement_key(fact: Fact) -> tuple | None:
    """What a fact's statement says apart from its numbers: for a table
    cell ``("cell", doc_id, table title, row path, column header with digits
    masked)`` (None for a cell without a row path: it says nothing of what
    it counts), else ``("text", doc_id, text with digits masked and
    whitespace removed)``."""
    if fact.cell is not None:
        if not fact.row_path:
            return None
        return "cell", fact.doc_id, fact.table, tuple(fact.row_path), _DIGITS.sub("#", fact.column)
    return "text", fact.doc_id, _DIGITS.sub("#", _SPACE.sub("", fact.text))


def year_swap(claimed: Quantity, years: YearSpan, other: Candidate, doc_facts: Iterable[Fact]) -> Fact | None:
    """The plan's statement of the ``claimed`` value for another year than
    ``years``, worded like ``other`` -- the plan's statement of another
    value for ``years`` (:func:`statement_key`) -- or None.

    Args:
        claimed: the claimed figure (money in 元).
        years: the year the claim states it for.
        other: the candidate stating another value for ``years`` (the one
            that would contradict the claim,
            :func:`~assistant.figures.decision.contradicting`).
        doc_facts: the facts of ``other``'s document.

    Returns:
        A stated (not derived) fact with an exact value match
        (:func:`~assistant.figures.matching.value_match`), another year, the
        same unit and the same :func:`statement_key` as ``other``'s fact,
        that is not another figure of the same sentence or cell text
        (「送審數 112 年:280、113 年:280」 states both years in one text).
    """
    ref = other.fact
    key = statement_key(ref)
    if key is None or ref.derived:
        return None
    for f in doc_facts:
        if f.derived or f.years is None or f.years == years or f.unit != ref.unit:
            continue
        if f.chunk_id == ref.chunk_id and f.text == ref.text:
            continue
        if not comparable(claimed, f.quantity, in_table=f.cell is not None) \
                or value_match(claimed, f.quantity) != "exact":
            continue
        if statement_key(f) == key:
            return f
    return None


__all__ = ["statement_key", "year_swap"]

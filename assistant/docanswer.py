"""Answers from document-level facts: a question about the plan itself (its
full name, agency, period, cover date, review number or total budget,
:func:`assistant.figures.docquestions.doc_fact_slot`) is led by the fact
read at ingest from the cover page or the 基本資料表
(:mod:`assistant.figures.docfacts`), quoted verbatim from its chunk.

Example:
    >>> from assistant.compose import Composition
    >>> comp = Composition([], True, "no passage answers the question")
    >>> lead_with_fact(comp, [("計畫名稱:測試計畫", chunk)]).sentences[0][0]   # doctest: +SKIP
    '計畫名稱:測試計畫'
"""
from __future__ import annotations

import re

from ingest.models import Chunk

from .compose import MAX_SUPPORT, Composition
from .english import nt_dollars
from .figures.docfacts import DocumentFact, first_fact, plan_period
from .figures.docfields import DocSlot
from .figures.docquestions import doc_fact_slot
from .language import squash, to_traditional, western_to_roc

# The share of dev questions with a document-level slot whose answer led by
# the fact was right (9 of 17, python -m eval run --split dev): the least
# confidence given to such an answer.
DOC_FACT_CONFIDENCE = 0.53


def document_fact(question: str, doc_id: str, facts: list[DocumentFact]) -> DocumentFact | None:
    """The fact of ``doc_id`` that answers ``question``, when it asks for a
    document-level fact the document states in a chunk (manifest facts
    cannot be cited); else ``None``.  A fact whose label the question uses
    (全程期間 rather than 執行期間) comes first."""
    own = [f for f in facts if f.doc_id == doc_id]
    slot = doc_fact_slot(question, plan_period(own, doc_id))
    if slot is None:
        return None
    cited = [f for f in own if f.chunk_id]
    named = [f for f in cited if f.label and f.label in to_traditional(question)]
    return first_fact(named, slot) or first_fact(cited, slot)


_UNIT_NOTE = re.compile(r"\s*[(（][^)）]*元[)）]")


def fact_lead(fact: DocumentFact, lang: str) -> str:
    """The sentence an answer leads with: the verbatim span, except for the
    total budget, which reads 「{label}：{value}」 (``合計：366.24 億元``, ``經費 合計：1,880,000 千元``; the
    span is a table row of yearly figures), in English with NT$ too
    (``合計: 366.24 億元 (NT$36.624 billion)``)."""
    if fact.slot is not DocSlot.TOTAL_BUDGET or fact.amount is None:
        return fact.text
    # 「合計｜合計」 (row｜column) read once; 「經費(千元) 合計」 without the unit
    label = " ".join(dict.fromkeys(_UNIT_NOTE.sub("", fact.label).split("｜"))).strip() or "合計"
    if lang == "en":
        return f"{label}: {fact.value} ({nt_dollars(fact.amount)})"
    return f"{label}：{fact.value}"


def english_period(fact: DocumentFact) -> str | None:
    """An English lead for a plan period: its Western years with their 民國
    years, 「2025–2028 (ROC 114–117)」 (the
    citation checker finds the ROC years in the cited span; the fact's span,
    with its months, follows).  ``None`` for another slot or a period
    without years."""
    if fact.slot is not DocSlot.PERIOD or not fact.year_from or not fact.year_to:
        return None
    a, b = fact.year_from, fact.year_to
    if a == b:
        return f"{a} (ROC {western_to_roc(a)})"
    return f"{a}–{b} (ROC {western_to_roc(a)}–{western_to_roc(b)})"


def lead_with_fact(comp: Composition, lead: list[tuple[str, Chunk]], span: str = "") -> Composition:
    """``comp`` led by a document fact's sentences (``(text, chunk)``: an
    English lead first when there is one, then the fact): the composed
    sentences follow as support (at most :data:`assistant.compose.MAX_SUPPORT`,
    none repeating a lead sentence or the fact's verbatim ``span``, and
    not the composed English lead, which restated another passage); an
    abstention becomes an answer."""
    said = [squash(x) for x in [t for t, _ in lead] + [span] if x]
    rest = [(t, c) for t, c in comp.sentences[comp.lead_sentences - 1:]
            if not any(x in squash(t) or squash(t) in x for x in said)][:MAX_SUPPORT]
    return Composition([*lead, *rest], False, conflict=comp.conflict,
                       confidence=max(comp.confidence, DOC_FACT_CONFIDENCE), signals=comp.signals,
                       lead_sentences=len(lead))


__all__ = ["DOC_FACT_CONFIDENCE", "document_fact", "english_period", "fact_lead", "lead_with_fact"]

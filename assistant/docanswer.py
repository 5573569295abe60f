"""Answers from document-level facts: a question about the plan itself (its
full name, agency, period, cover date, review number or total budget,
:func:`assistant.figures.docquestions.doc_fact_slot`) is led by the fact
read at ingest from the cover page or the 基本資料表
(:mod:`assistant.figures.docfacts`), quoted verbatim from its chunk.

Example:
    >>> from assistant.compose import Composition
    >>> comp = Composition([], True, "no passage answers the question")
    >>> lead_with_fact(comp, ("計畫名稱:測試計畫", chunk)).sentences[0][0]   # doctest: +SKIP
    '計畫名稱:測試計畫'
"""
from __future__ import annotations

from ingest.models import Chunk

from .compose import MAX_SUPPORT, Composition
from .figures.docfacts import DocumentFact, first_fact
from .figures.docquestions import doc_fact_slot
from .language import to_traditional

# The share of dev questions with a document-level slot whose answer led by
# the fact was right (9 of 17, python -m eval run --split dev): the least
# confidence given to such an answer.
DOC_FACT_CONFIDENCE = 0.53


def document_fact(question: str, doc_id: str, facts: list[DocumentFact]) -> DocumentFact | None:
    """The fact of ``doc_id`` that answers ``question``, when it asks for a
    document-level fact the document states in a chunk (manifest facts
    cannot be cited); else ``None``.  A fact whose label the question uses
    (全程期間 rather than 執行期間) comes first."""
    slot = doc_fact_slot(question)
    if slot is None:
        return None
    cited = [f for f in facts if f.doc_id == doc_id and f.chunk_id]
    named = [f for f in cited if f.label and f.label in to_traditional(question)]
    return first_fact(named, slot) or first_fact(cited, slot)


def lead_with_fact(comp: Composition, lead: tuple[str, Chunk]) -> Composition:
    """``comp`` led by a document fact's ``(text, chunk)``: the composed
    sentences follow as support (at most :data:`assistant.compose.MAX_SUPPORT`,
    none repeating the fact); an abstention becomes an answer."""
    text, _ = lead
    rest = [(t, c) for t, c in comp.sentences if text not in t and t not in text][:MAX_SUPPORT]
    return Composition([lead, *rest], False, conflict=comp.conflict,
                       confidence=max(comp.confidence, DOC_FACT_CONFIDENCE), signals=comp.signals)


__all__ = ["DOC_FACT_CONFIDENCE", "document_fact", "lead_with_fact"]

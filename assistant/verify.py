"""Verify a budget or KPI claim against the indexed plans: retrieve (BM25
over words and bigrams, :data:`CLAIM_WEIGHTS`), then
decide with :func:`assistant.figures.verify.verify_parsed`.

Example:
    >>> v = verify("分項二 108 年度經費 350,000 千元")            # doctest: +SKIP
    >>> v.verdict, v.correct_value, v.evidence[0].column          # doctest: +SKIP
    ('supported', '350,000 千元', '108 年度 小計')
"""
from __future__ import annotations

from pathlib import Path

from .figures.claims import parse_claim
from .figures.decision import VerdictModel
from .figures.periodclaims import parse_period_claim
from .figures.verify import Verdict, VerdictKind, verify_parsed, verify_period
from .retrieve import Retriever

# Chunks retrieved per claim.
TOP_K = 15
#: RRF weights for a claim (per language, as
#: :attr:`assistant.retrieve.RetrievalConfig.weights`): the lexical views
#: alone.  A claim names the plan's own terms and figures; encoding it with
#: e5 cost ~30 ms of a ~50 ms verify (profiled on the shipped e5 index),
#: while the verdict model refitted on lexical retrieval is as accurate on
#: the dev claims (cross-validated; README, issue 12).  English claims keep
#: the bigram view that English questions dropped: without it the refitted
#: verdict model called 4 true dev claims contradicted instead of 2 (CV).
CLAIM_WEIGHTS = {
    "*": {Retriever.WORDS: 0.25, Retriever.BIGRAMS: 1.0},
    "en": {Retriever.WORDS: 1.0, Retriever.BIGRAMS: 1.0},
}


def verify(claim: str, *, doc_ids: list[str] | None = None, db_dir: str | Path | None = None,
           top_k: int = TOP_K, host: str | None = None, port: int | None = None,
           trace: list | None = None, model: VerdictModel | None = None) -> Verdict:
    """Check a claim about a plan figure.

    Args:
        claim: e.g. 「分項二 108 年度經費 350,000 千元」 (Traditional or
            Simplified Chinese, or English).
        doc_ids: restrict to these documents.
        db_dir: index folder (default ``$PLANQA_DB`` or ``./.planqa``).
        top_k: chunks retrieved.
        host, port: a Chroma server holding the vectors (as for
            :func:`assistant.get_assistant`).
        trace: when given, each claimed figure's feature vector is appended
            to it (:func:`~assistant.figures.verify.verify_parsed`; used to
            fit the verdict model).
        model: the verdict model (default: the shipped one).

    Returns:
        A :class:`~assistant.figures.verify.Verdict`.

    Raises:
        TypeError: ``claim`` is not a str.
        ValueError: ``claim`` is empty.
        ingest.store.StoreError: the index cannot be opened.
    """
    from . import get_assistant
    from .query import analyze

    parsed = parse_claim(claim)
    period = parse_period_claim(parsed)  # None when it states figures
    if not parsed.figures and period is None:
        return Verdict(claim, VerdictKind.NOT_FOUND, None, "", note="the claim states no figure to check")
    assistant = get_assistant(db_dir, host=host, port=port)
    hits = assistant.retriever.retrieve(analyze(claim), top_k=top_k, doc_ids=doc_ids, weights=CLAIM_WEIGHTS)
    if period is not None:
        # a claim about the plan's period: the best chunk's plan, by its document facts
        if not hits:
            return Verdict(claim, VerdictKind.NOT_FOUND, None, "", note="no passage of the plans matches the claim")
        return verify_period(parsed.text, period, hits[0].chunk.doc_id, assistant.document_facts(), assistant.titles())
    return verify_parsed(parsed, [h.chunk for h in hits], assistant.facts, assistant.titles(), trace=trace,
                         model=model)


__all__ = ["CLAIM_WEIGHTS", "TOP_K", "verify"]

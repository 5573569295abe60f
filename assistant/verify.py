"""Verify a budget or KPI claim against the indexed plans: retrieve, then
decide with :func:`assistant.figures.verify.verify_parsed`.

Example:
    >>> v = verify("分項二 108 年度經費 350,000 千元")            # doctest: +SKIP
    >>> v.verdict, v.correct_value, v.evidence[0].column          # doctest: +SKIP
    ('supported', '350,000 千元', '108 年度 小計')
"""
from __future__ import annotations

from pathlib import Path

from .figures.claims import parse_claim
from .figures.verify import Verdict, VerdictKind, verify_parsed

# Chunks retrieved per claim.
TOP_K = 15


def verify(claim: str, *, doc_ids: list[str] | None = None, db_dir: str | Path | None = None,
           top_k: int = TOP_K, host: str | None = None, port: int | None = None,
           trace: list | None = None) -> Verdict:
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
    if not parsed.figures:
        return Verdict(claim, VerdictKind.NOT_FOUND, None, "", note="the claim states no figure to check")
    assistant = get_assistant(db_dir, host=host, port=port)
    hits = assistant.retriever.retrieve(analyze(claim), top_k=top_k, doc_ids=doc_ids)
    return verify_parsed(parsed, [h.chunk for h in hits], assistant.facts, assistant.titles(), trace=trace)


__all__ = ["TOP_K", "verify"]

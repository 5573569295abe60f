"""Conflicting figures for an answer, from the fact store.

When the figure an answer leads with is stated with another value elsewhere
in the same plan (a table vs. the text, one table vs. another, 申請數 vs.
核定數 shown as the same thing), the answer keeps the best-sourced figure and
adds 「計畫書內數字不一致：…」 quoting and citing the other place.

Method: the lead sentence is read as a claim (:func:`~assistant.figures.claims.parse_claim`)
and decided against the facts of the answer's chunks
(:func:`~assistant.figures.verify.verify_parsed`); when it is supported, the
verifier's conflicts -- other facts of the same document with the same year,
labels and subject and another value (:func:`~assistant.figures.matching.conflicts_of`)
-- are the answer's conflicts.  One rule serves ``ask`` and ``verify``.
Also, a lead sentence that says what one side of an audit finding of kind
``inconsistent`` says (:mod:`assistant.figures.audit`: a sentence vs. the
tables, a cited total vs. its table, one table vs. another) -- the same
value, year and component, in that place or in another table -- gets the
finding's other places quoted: the same findings ``audit`` lists.
"""
from __future__ import annotations

from ingest.models import Chunk

from .figures.audit import Finding, FindingKind
from .figures.claims import parse_claim
from .figures.extract import FactBase
from .figures.labels import Group
from .figures.matching import exact
from .figures.sentences import figures_in
from .figures.verify import Conflict, VerdictKind, verify_parsed

def lead_conflicts(lead: str, chunks: list[Chunk], facts: FactBase, titles: dict[str, str]) -> list[Conflict]:
    """Other places of the plan stating the lead sentence's figure with
    another value.

    Args:
        lead: the answer's lead sentence (without markers), e.g.
            「分項一 109 年度 小計：390,000 千元」.
        chunks: the lead sentence's chunk first, then the retrieved chunks.
        facts: the index's facts (from the fact store).
        titles: doc_id -> title.

    Returns:
        The conflicts, one per differing value (empty when the lead states no
        figure, or the facts do not support it).
    """
    try:
        parsed = parse_claim(lead)
    except ValueError:
        return []
    if not parsed.figures:
        return []
    # the lead states its figures in its own chunk (the first): no document
    # is searched whole for them (their conflicts are, in the evidence's)
    verdict = verify_parsed(parsed, chunks, facts, titles, scan_docs=0)
    if verdict.verdict not in (VerdictKind.SUPPORTED, VerdictKind.APPROXIMATELY):
        return []
    seen: set[str] = set()
    out = []
    for c in verdict.conflicts:
        if c.value not in seen:
            seen.add(c.value)
            out.append(c)
    return out


def _statements(text: str) -> set[tuple]:
    """What a sentence or cell statement says: ``(kind, value, classifier,
    years, component)`` of each money, count or percent figure in it
    (values normalised, so 390,000 千元 in one table equals 39 億元 in
    another; a count's classifier kept, so 100 筆 is not 100 家)."""
    out = set()
    for f in figures_in(text.replace("｜", " ")):
        q = f.quantity
        if q.kind in ("money", "count", "percent"):
            out.add((q.kind, exact(q.value), q.classifier, f.years, f.labels.get(Group.PART)))
    return out


def finding_conflicts(quoted: list[tuple[str, str]], findings: list[Finding]) -> list[tuple[str, str]]:
    """The other places of the ``inconsistent`` findings that an answer's
    quoted places belong to.

    Args:
        quoted: ``(sentence text, chunk_id)`` of the sentences whose figures
            may be flagged (an answer passes its lead).
        findings: the audit findings of the answer's documents.

    Returns:
        ``(evidence text, chunk_id)`` of each other place, in finding order,
        without the places already quoted, those saying what the quoted
        sentence says (the same table printed on another page is not an
        inconsistency with it) and a second printing of a place listed.
    """
    out: list[tuple[str, str]] = []
    have = {cid for _, cid in quoted}
    saying = [_statements(text) for text, _ in quoted]
    said: list[set[tuple]] = []  # what each quoted other place says
    for f in findings:
        if f.kind is not FindingKind.INCONSISTENT:
            continue
        places = [(e, _statements(e.text)) for e in f.evidence]
        for says in saying:
            if not any(other & says for _, other in places):
                continue
            for e, other in places:
                if e.chunk_id in have or other & says or other in said:
                    continue  # quoted already, saying the same, or another printing of a quoted place
                said.append(other)
                out.append((e.text, e.chunk_id))
            break
    return out


__all__ = ["finding_conflicts", "lead_conflicts"]

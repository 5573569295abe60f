"""Decide a parsed claim against the plans' facts.

The entry point with retrieval is :func:`assistant.verify.verify`.

Method: parse the claim (:mod:`assistant.figures.claims`); take the candidate
chunks the retriever ranked (best first) and their facts from the fact store
(:mod:`assistant.figures.store`); for each claimed figure keep the facts of
a comparable kind, a fitting year and no clashing label and score them
against the claim's subject words (:mod:`assistant.figures.matching`), then
decide with the fitted verdict model (:mod:`assistant.figures.decision`).  A claim
is *contradicted* when any of its figures is, *supported* when all are, else
*not found*.  Money is compared after unit normalisation (3.9 億元 =
390,000 千元 = 39,000 萬元), so a wrong unit (350,000 萬元 for a 350,000 千元
cell) is a contradiction with the right value.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from ..enums import ValueEnum
from .claimmath import derivations, intended_totals, miscomputed, presented_as_computed, supporting_parts
from .claims import Claim, ClaimFigure, terms_of
from .extract import Fact, FactBase
from .decision import (FOLLOWS_ANCHOR, FigureDecision, OwnWords, VerdictModel, contradicting, decide, features,
                       partly_supported)
from .docfacts import DocumentFact
from .derive import yearly_average
from .labels import ANNUAL, AVERAGE, COMPONENT_GROUPS, TOTAL, Group
from .matching import (Candidate, ChunkTerms, Scorer, Sentences, candidates, components_named_in, conflicts_of, group_terms,
                       names_plan, same_thing, title_words, value_match, with_followers, written)
from .periodclaims import PeriodClaim, decide_period
from .rates import asked_rates
from .shares import is_share, share_fact, share_parts
from .quantities import Quantity
from .units import format_money
from .yearswap import year_swap

# Documents of the best-ranked chunks whose every chunk is searched too.
SCAN_DOCS = 2


class VerdictKind(ValueEnum):
    """The verdict on a claim (compares equal to its string value)."""

    SUPPORTED = "supported"
    APPROXIMATELY = "approximately"  # an approximate figure (約 …) that agrees
    CONTRADICTED = "contradicted"
    NOT_FOUND = "not_found"


@dataclass
class Evidence:
    """Where a figure is stated.

    Attributes:
        doc_id, title: the document and its title.
        page: 1-based page of the chunk.
        table: the table title (``""`` for a sentence).
        row, column: the cell's row name (the row labels that name it,
            without the 計畫策略 / 計畫性質 cells that describe it) and
            column header (``""`` for a sentence).
        text: the cell statement (「row｜column：value」, the row by its
            name) or the sentence.
        chunk_id: the chunk.
    """

    doc_id: str
    title: str
    page: int
    table: str
    row: str
    column: str
    text: str
    chunk_id: str

    def to_dict(self) -> dict:
        """JSON form (without ``chunk_id``)."""
        d = asdict(self)
        d.pop("chunk_id")
        return d


@dataclass
class Conflict:
    """Another place of the plan stating a different value for the same
    thing (same document, year and labels)."""

    value: str
    evidence: Evidence

    def to_dict(self) -> dict:
        return {"value": self.value, **self.evidence.to_dict()}


@dataclass
class Verdict:
    """The result of :func:`verify`.

    Attributes:
        claim: the claim as given.
        verdict: a :class:`VerdictKind` (``verdict == "supported"`` works).
        correct_value: the plan's value with its unit (``"350,000 千元"``;
            several figures joined with ``"；"``), None when not found.
        unit: the plan's unit of that value (``"千元"``, ``"億元"``, ``"%"``,
            ``"人次"``) or ``""``.
        evidence: the deciding cell(s) or sentence(s), one per figure.
        conflicts: other places stating a different value for the same thing.
        note: a short explanation.
    """

    claim: str
    verdict: VerdictKind
    correct_value: str | None
    unit: str
    evidence: list[Evidence] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict:
        """``{"claim", "verdict", "correct_value", "unit", "evidence": [...],
        "conflicts": [...], "note"}`` with plain strings."""
        return {"claim": self.claim, "verdict": str(self.verdict), "correct_value": self.correct_value,
                "unit": self.unit, "evidence": [e.to_dict() for e in self.evidence],
                "conflicts": [c.to_dict() for c in self.conflicts], "note": self.note}


def evidence_of(fact: Fact, titles: dict[str, str]) -> Evidence:
    """The :class:`Evidence` of a fact: a table cell named by the labels
    that name its row (:attr:`Fact.row_name <assistant.figures.extract.Fact.row_name>`),
    as answers print it."""
    return Evidence(fact.doc_id, titles.get(fact.doc_id, fact.doc_id), fact.page, fact.table,
                    fact.named_row, fact.column, fact.shown, fact.chunk_id)


def _stage_note(other: Fact, evidence: Fact) -> str:
    """「送審數, 」 when a conflicting figure is another budget stage."""
    stage = other.labels.get(Group.STAGE)
    return f"{stage}數, " if stage and stage != evidence.labels.get(Group.STAGE) else ""


def _describe(fact: Fact) -> str:
    """Where a fact is, in one line: 「table」 row × column, or the text."""
    if fact.figure_cell:
        where = f"「{fact.table or 'untitled table'}」 {fact.named_row} × {fact.column}"
    else:
        where = "text 「" + " ".join(fact.text.split())[:60] + "…」"
    return f"{fact.doc_id} p.{fact.page} {where}: {fact.display}"


def verify_parsed(parsed: Claim, chunks: list, facts: FactBase, titles: dict[str, str], *,
                  trace: list | None = None, scan_docs: int = SCAN_DOCS,
                  model: VerdictModel | None = None) -> Verdict:
    """Decide a parsed claim from its retrieved chunks.

    Args:
        parsed: the claim (:func:`~assistant.figures.claims.parse_claim`).
        chunks: the retrieved chunks, best first.
        facts: the index's facts (from the fact store).
        titles: doc_id -> title.
        scan_docs: how many of the best chunks' documents are searched
            whole (:data:`SCAN_DOCS`).
        trace: when given, each figure's feature vector
            (:func:`~assistant.figures.decision.features`) is appended to it
            (for fitting the verdict model).
        model: the verdict model (default: the shipped one,
            :meth:`~assistant.figures.decision.VerdictModel.load`).

    Returns:
        A :class:`Verdict`.
    """
    pool: list[tuple[Fact, int]] = []
    term_sets = []
    seen: set[str] = set()
    for rank, chunk in enumerate(chunks):
        fs = facts.facts(chunk)
        pool.extend((f, rank) for f in fs)
        seen.add(chunk.chunk_id)
        term_sets.append(fs[0].terms("far") if fs else frozenset())
    chunk_terms = ChunkTerms(term_sets)
    # the rest of the best documents, without the rank bonus: a table or a
    # sentence the retriever ranked lower is still a candidate
    for doc in list(dict.fromkeys(c.doc_id for c in chunks))[:scan_docs]:
        pool.extend((f, len(chunks)) for f in facts.doc_facts(doc) if f.chunk_id not in seen)
    ignore = (Group.DOOR,) if parsed.category_error else ()
    parsed = _with_named_components(parsed, facts, titles, list(dict.fromkeys(f.doc_id for f, _ in pool)))
    plan_docs = frozenset(d for d, t in titles.items() if names_plan(parsed.norm, t))
    scope = title_words(parsed.norm, [titles[d] for d in plan_docs])
    rates = asked_rates(parsed.text if parsed.lang == "en" else parsed.norm)
    decisions: list[FigureDecision] = []
    followed: list[bool] = []
    anchor = None
    used: set[str] = set()
    def scored_for(cf: ClaimFigure, among: list[tuple[Fact, int]] = pool) -> tuple[list[Candidate], list[Candidate], Scorer]:
        return candidates(parsed, cf, among, len(chunks), chunk_terms, ignore=ignore, plan_docs=plan_docs,
                          scope=scope, periods=facts.plan_periods)

    averages = None
    if any(fig.labels.get(Group.PERIOD) == AVERAGE for fig in parsed.figures):
        # a claimed yearly average is the plan's whole-period amount over its
        # years: checked on those averages alone, never on one year's figure
        averages = [(a, rank) for f, rank in pool if (a := yearly_average(f)) is not None]
    scored = [scored_for(fig, averages if fig.labels.get(Group.PERIOD) == AVERAGE else pool) for fig in parsed.figures]
    # each figure's statements, to find the plan's figure next to them
    stated = [[c.fact for c in cs if c.equal] for cs, _, _ in scored]
    sentences = Sentences(facts) if len(parsed.figures) > 1 else None
    for i, fig in enumerate(parsed.figures):
        cands, _, scorer = scored[i]
        if sentences is not None:
            before = ([anchor] if anchor is not None else []) + (stated[i - 1] if i else [])
            after = stated[i + 1] if i + 1 < len(stated) else []
            taken = frozenset(f.key for j, fs in enumerate(stated) if j != i for f in fs)
            cands = with_followers(cands, sentences.followers(fig.quantity, before, after, taken))
        q = fig.quantity
        if any(c.fact.key in used and not c.equal for c in cands):
            # a fact that states another figure of this claim is not this
            # figure's statement (unless it is the same value restated:
            # 「11.50 億元，也就是 115,000 萬元」)
            cands = [c for c in cands if c.fact.key not in used or c.equal]
        # a figure's own words (those around it in the claim) tell it apart
        # from the claim's other figures and from the plan's figures nearby
        own: OwnWords = (tuple(group_terms(alts) for alts in fig.own_words.values()) if parsed.lang == "en"
                         else tuple((frozenset((t,)),) for t in sorted(frozenset(fig.local_terms) - scope)))
        labels = {g: v for g, v in fig.labels.items() if g not in ignore}
        def decided(cands: list[Candidate]) -> tuple[list[float], FigureDecision]:
            x = features(cands, english=parsed.lang == "en", kind=q.kind, unit=q.unit, own_words=own,
                         value=q.value, figures=len(parsed.figures), labels=labels,
                         year_named=fig.years is not None, rates=rates,
                         whole_plan=bool(plan_docs))
            return x, decide(cands, x, model, labels=labels, kind=q.kind)
        x, d = decided(cands)
        if d.verdict == "contradicted":
            # the fact stating a later figure of the claim is that figure's
            # statement, not this one's contradiction (「980 人次…挑戰目標
            # 1,000 人次」 against 「原訂 980 人次…挑戰目標…1,000 人次」)
            later = {c.fact.key for cs, _, _ in scored[i + 1:] for c in cs if c.equal}
            if d.evidence.fact.key in later:
                x, d = decided([c for c in cands if c.equal or c.fact.key not in later])
        if trace is not None:
            trace.append(x)
        followed.append(x[FOLLOWS_ANCHOR] > 0)
        if d.evidence is not None and d.verdict != "contradicted":
            used.add(d.evidence.fact.key)
        if d.evidence is not None:
            # conflicts: search the evidence's document, not just the
            # retrieved chunks -- only its facts about the same thing (same
            # year and labels), the others cannot be conflicts and are not
            # scored
            ev = d.evidence.fact
            doc_pool = [(f, len(chunks)) for f in facts.year_facts(ev.doc_id, ev.years)
                        if not f.derived and same_thing(f, ev)]
            more, more_stage, _ = candidates(parsed, fig, doc_pool, len(chunks), chunk_terms, ignore=ignore,
                                             plan_docs=plan_docs, scope=scope)
            d.conflicts = conflicts_of(d.evidence, more + more_stage, scorer, plan_docs)
        decisions.append(d)
        anchor = d.evidence.fact if d.evidence is not None else None
    decisions, shares = _with_shares(parsed, decisions, lambda cf: scored_for(cf)[0])
    decisions = with_derived(parsed, mispaired(parsed, _traded(parsed, _crossed(parsed, unswapped(parsed, decisions))), facts))
    decisions = with_miscomputed(parsed, decisions)
    decisions = with_year_swaps(parsed, decisions, facts)
    notes: list[str] = [d.note for d in decisions if d.verdict in ("derived", "swapped", "miscomputed")]
    decisions = [replace(d, verdict="contradicted") if d.verdict in ("swapped", "miscomputed") else d
                 for d in decisions]
    if parsed.category_error:
        cost, door = parsed.category_error
        right = "經常" if door == "資本" else "資本"
        notes.append(f"{cost} is {right}支出, not {door}支出 (budget forms B005/A003)")
    kinds = [d.verdict for d in decisions]
    model = model or VerdictModel.load()
    computed = [c or s for c, s in zip(presented_as_computed([f.quantity for f in parsed.figures], parsed.norm),
                                        shares)]
    if partly_supported(kinds, [d.contradiction for d in decisions], model.partly_below, computed, followed):
        # nothing states another value for the figures not found: the claim
        # stands on the ones the plan supports (say which were not checked)
        unchecked = [fig.quantity.text.strip() for d, fig in zip(decisions, parsed.figures) if d.verdict == "not_found"]
        notes.append(f"not stated in the plan: {'、'.join(unchecked)} (the claim's other figures are)")
        kinds = [k for k in kinds if k != "not_found"]
    agree = ("supported", "approximately", "derived")
    if "contradicted" in kinds or (parsed.category_error and all(k in agree for k in kinds)):
        verdict = VerdictKind.CONTRADICTED
    elif all(k in ("supported", "derived") for k in kinds):
        verdict = VerdictKind.SUPPORTED
        notes.extend(d.note for d in decisions if d.verdict == "supported" and d.note)
    elif all(k in agree for k in kinds):
        verdict = VerdictKind.APPROXIMATELY
        notes.extend(d.note for d in decisions if d.verdict == "approximately")
    else:
        verdict = VerdictKind.NOT_FOUND
    shown = [d for d in decisions if d.evidence is not None]
    if verdict is VerdictKind.NOT_FOUND:
        notes.extend(d.note for d in decisions if d.verdict == "not_found" and d.note)
        return Verdict(parsed.text, verdict, None, "", [], [], "; ".join(notes))
    values = [d.evidence.fact.display for d in shown]  # type: ignore[union-attr]
    units = [d.evidence.fact.unit for d in shown]  # type: ignore[union-attr]
    evidence = [evidence_of(d.evidence.fact, titles) for d in shown]  # type: ignore[union-attr]
    conflicts = [Conflict(c.fact.display, evidence_of(c.fact, titles)) for d in shown for c in d.conflicts]
    for d, fig in zip(decisions, parsed.figures):
        if d.verdict == "contradicted" and d.evidence is not None:
            notes.append(f"claimed {fig.quantity.text.strip()}; the plan states {_describe(d.evidence.fact)}")
    if conflicts:
        others = ", ".join(f"{c.fact.display} ({_stage_note(c.fact, d.evidence.fact)}p.{c.fact.page})"  # type: ignore[union-attr]
                           for d in shown for c in d.conflicts)
        notes.append(f"the plan states different values in different places: {others}")
    return Verdict(parsed.text, verdict, "；".join(dict.fromkeys(values)), units[0] if units else "",
                   evidence, conflicts, "; ".join(dict.fromkeys(notes)))


def verify_period(text: str, claim: PeriodClaim, doc_id: str, doc_facts: list[DocumentFact],
                  titles: dict[str, str]) -> Verdict:
    """Decide a claim about the period of the plan ``doc_id`` (``text``,
    read by :func:`~assistant.figures.periodclaims.parse_period_claim` into
    ``claim``: 「本計畫期程為 114 至 117 年，共 4 年」) from its document facts.
    The evidence is the plan's PERIOD fact (its 期程 sentence, 全程期間 row
    or cover line; page 0 for a period read from the manifest)."""
    kind, fact = decide_period(claim, [f for f in doc_facts if f.doc_id == doc_id])
    if fact is None:
        return Verdict(text, VerdictKind.NOT_FOUND, None, "", note="the plan states no period for itself")
    evidence = Evidence(doc_id, titles.get(doc_id, doc_id), fact.page or 0, "", fact.label, "", fact.text,
                        fact.chunk_id)
    note = "" if kind == "supported" else f"claimed {claim.span.lo}–{claim.span.hi} ({claim.span})" + (
        f", {claim.years} years" if claim.years else "") + f"; the plan states {fact.value}"
    return Verdict(text, VerdictKind(kind), fact.value, "", [evidence], [], note)


def _with_shares(parsed: Claim, decisions: list[FigureDecision],
                 scored_for: Callable[[ClaimFigure], list[Candidate]]) -> tuple[list[FigureDecision], list[bool]]:
    """``decisions`` with each share the plan does not print but its amounts
    give (:mod:`~assistant.figures.shares`) supported: a claimed percent
    read as a share, not found, over the amount another figure of the claim
    states (as the plan supports it) or else the plan's amount for what the
    claim names (``scored_for`` a money figure with the percent's labels and
    years), and the plan's total for the same years.  Also, per figure,
    whether it is such a share with both amounts found (one they do not
    give may not be left unchecked by :func:`~assistant.figures.decision.partly_supported`)."""
    text = parsed.norm  # the figures' offsets are the normalised text's (an English claim's is its prefix)
    out = list(decisions)
    checked = [False] * len(decisions)
    for i, (fig, d) in enumerate(zip(parsed.figures, decisions)):
        if d.verdict != "not_found" or not is_share(fig.quantity, text):
            continue
        stated = next((e.evidence.fact for j, e in enumerate(decisions) if j != i and e.evidence is not None
                       and e.verdict in ("supported", "approximately") and e.evidence.fact.quantity.kind == "money"),
                      None)
        money = replace(fig.figure, quantity=Quantity(1.0, "money", "元", text=""))
        own = {g: v for g, v in fig.labels.items() if g is not Group.PERIOD}
        whole_period = {Group.PERIOD: TOTAL} if fig.years is None else {}
        parts = [] if stated else scored_for(ClaimFigure(money, fig.years, {**own, **whole_period},
                                                         list(fig.local_terms), dict(fig.own_words)))
        years = stated.years if stated is not None else fig.years
        wholes = scored_for(ClaimFigure(money, years, {Group.PERIOD: TOTAL} if years is None else {}, [], {}))
        amounts = share_parts(stated, parts, wholes, labels=fig.labels, whole_period=fig.years is None)
        checked[i] = amounts is not None
        share = share_fact(fig.quantity, *amounts) if amounts is not None else None
        if share is not None:
            out[i] = FigureDecision("supported", Candidate(share, 1.0, "any", "exact"), [], d.candidates,
                                    d.probability, contradiction=d.contradiction,
                                    note=f"a share the plan does not print: {share.text.split('｜')[-1]}")
    return out, checked


def _with_named_components(parsed: Claim, facts: FactBase, titles: dict[str, str], docs: list[str]) -> Claim:
    """``parsed`` with the component labels it gives by name
    (:func:`~assistant.figures.matching.components_named_in` over the
    component names of ``docs``) when no figure names a 分項 / 子項 by number."""
    if any(g in f.labels for f in parsed.figures for g in COMPONENT_GROUPS):
        return parsed
    named = components_named_in(parsed.norm, {d: facts.component_names(d) for d in docs}, titles)
    if not named:
        return parsed
    return replace(parsed, labels={**parsed.labels, **named},
                   figures=[replace(f, labels={**f.labels, **named}) for f in parsed.figures])


def unswapped(parsed: Claim, decisions: list[FigureDecision]) -> list[FigureDecision]:
    """``decisions`` with two figures of the claim that trade places decided
    ``"swapped"`` (a contradiction), each with the fact that sits next to its
    own words as the plan's value.

    Two figures A and B, each with a fact stating its value
    (:func:`_stating`; not both contradicted), are swapped when the words
    only A has around it (its
    :attr:`~assistant.figures.claims.ClaimFigure.own_words` less B's) are
    written more often right around B's fact than around A's, and B's words
    around A's fact more than around B's: 「種子師資 350 人次、第二專長 AI 人才
    250 人次」 against the plan's 「種子師資 250 人次、第二專長 AI 人才 350 人次」;
    "two teams won bronze and three teams won silver" against 「銀牌2隊…銅牌3
    隊」 (bronze → 銅牌 by CC-CEDICT).  Every figure is compared in the facts'
    local context (:meth:`~assistant.figures.extract.Fact.terms`, less what
    the two share: :func:`_own_context`), no weight is fitted.
    """
    out = list(decisions)
    figures = parsed.figures
    stating = [_stating(d) for d in decisions]
    for a in range(len(figures)):
        for b in range(a + 1, len(figures)):
            da, db = out[a], out[b]
            ea, eb = stating[a], stating[b]
            if ea is None or eb is None or (da.verdict == "contradicted" and db.verdict == "contradicted"):
                continue
            fa, fb = ea.fact, eb.fact
            if fa.key == fb.key or fa.quantity.kind != fb.quantity.kind or fa.quantity.value == fb.quantity.value:
                continue
            if _own_labels_agree(figures[a].labels, fa.labels, fb.labels) \
                    or _own_labels_agree(figures[b].labels, fb.labels, fa.labels):
                continue  # 「每年 5 位…全程共 20 人」: each figure's period is its own fact's
            oa, ob = figures[a].own_words, figures[b].own_words
            wa = [group_terms(alts) for w, alts in oa.items() if w not in ob]
            wb = [group_terms(alts) for w, alts in ob.items() if w not in oa]
            la, lb = _own_context(fa, fb), _own_context(fb, fa)
            if written(wa, lb) > written(wa, la) and written(wb, la) > written(wb, lb):
                _mark_swapped(out, figures, a, b, eb, ea)
    return out


def _own_context(fact: Fact, other: Fact) -> frozenset[str]:
    """The local terms of ``fact`` less the row and column labels it shares
    with ``other`` of the same table cell (「L.促成投資」 before both 「投資AI
    相關達 10 億元」 and 「AI 相關產值提升 20 億元」: it tells neither apart)."""
    if fact.chunk_id != other.chunk_id or fact.cell is None or fact.cell != other.cell:
        return fact.terms("local")
    shared = os.path.commonprefix([fact.local, other.local])
    return frozenset(terms_of(fact.local[len(shared):]))


def _crossed(parsed: Claim, decisions: list[FigureDecision]) -> list[FigureDecision]:
    """Two figures whose best facts state each other's values -- each
    outscoring any fact that states the figure's own value -- are swapped
    (``"swapped"``, with those facts as the plan's values): 「人事費 624,000
    千元、其他經常支出 116,000 千元」 against the form's 人事費 116,000 and
    其他經常支出 624,000 rows, whose labels keep each from being the other's
    candidate at all."""
    out = list(decisions)
    top = [next((c for c in d.candidates if c.year_fit != "mention" and not c.fact.derived), None)
           for d in decisions]
    figures = parsed.figures
    for a in range(len(figures)):
        for b in range(a + 1, len(figures)):
            ta, tb = top[a], top[b]
            if ta is None or tb is None or ta.equal or tb.equal or ta.fact.key == tb.fact.key \
                    or out[a].verdict == "swapped" or out[b].verdict == "swapped" \
                    or figures[a].labels.get(Group.PERIOD) != figures[b].labels.get(Group.PERIOD):
                continue  # 「每年 2,400 人次，兩年合計 4,800 人次」: a total and a year's figure are not swapped
            va, vb = sorted((figures[a].quantity.value, figures[b].quantity.value))
            if va > 0 and (vb / va) >= 2 and abs(vb / va - round(vb / va)) < 1e-9:
                continue  # nor when one is a multiple of the other, a period the parser did not label (「兩年共 60 門」)
            if value_match(figures[b].quantity, ta.fact.quantity) == "exact" \
                    and value_match(figures[a].quantity, tb.fact.quantity) == "exact":
                _mark_swapped(out, figures, a, b, ta, tb)
    return out


def _side_by_side(a: Fact, b: Fact) -> bool:
    """Two facts printed together: in one plan sentence, or in one table
    row of one chunk."""
    if a.chunk_id != b.chunk_id or a.source != b.source or a.key == b.key:
        return False
    if a.source == "sentence":
        return a.text == b.text
    return bool(a.row_path) and a.row_path == b.row_path and a.years == b.years


def _traded(parsed: Claim, decisions: list[FigureDecision]) -> list[FigureDecision]:
    """Two figures A and B whose values the plan prints side by side
    (:func:`_side_by_side`) each for the other's thing are swapped
    (``"swapped"``): a fact that can state A (same measure, classifier and
    labels scored by :func:`~assistant.figures.matching.candidates`) states
    B's value, one that can state B states A's value, and each outscores
    every fact stating the figure's own value -- 「解題團隊 46 隊，入圍 33
    案」 against the plan's 「解題團隊33隊,共計入圍46案」 (a classifier
    decides), 「既有 6.50 億元、新增 29.10 億元」 against the row's 既有
    29.10 and 新增 6.50 (a column decides).  No weight is fitted."""
    out = list(decisions)
    figures = parsed.figures
    for a in range(len(figures)):
        for b in range(a + 1, len(figures)):
            qa, qb = figures[a].quantity, figures[b].quantity
            if out[a].verdict == "swapped" or out[b].verdict == "swapped" or qa.value == qb.value \
                    or figures[a].labels.get(Group.PERIOD) != figures[b].labels.get(Group.PERIOD):
                continue
            ya = next((c for c in out[a].candidates if not c.fact.derived
                       and value_match(qb, c.fact.quantity) == "exact"), None)
            xb = next((c for c in out[b].candidates if not c.fact.derived
                       and value_match(qa, c.fact.quantity) == "exact"), None)
            if ya is None or xb is None or not _side_by_side(ya.fact, xb.fact):
                continue
            if any(c.equal and c.score >= ya.score for c in out[a].candidates) \
                    or any(c.equal and c.score >= xb.score for c in out[b].candidates):
                continue
            _mark_swapped(out, figures, a, b, ya, xb)
    return out


def _mark_swapped(out: list[FigureDecision], figures: list, a: int, b: int, for_a: Candidate,
                  for_b: Candidate) -> None:
    """Mark figures ``a`` and ``b`` of ``out`` ``"swapped"`` in place, each
    with the fact that states the plan's value for it (``for_a``,
    ``for_b``) as evidence, under one note naming both."""
    note = (f"{figures[a].quantity.text.strip()} and {figures[b].quantity.text.strip()} are swapped: "
            f"the plan states {for_a.fact.display} and {for_b.fact.display}")
    out[a] = replace(out[a], verdict="swapped", evidence=for_a, note=note)
    out[b] = replace(out[b], verdict="swapped", evidence=for_b, note=note)


def _stating(d: FigureDecision) -> Candidate | None:
    """The fact stating a figure's claimed value that :func:`unswapped`
    compares: its evidence when supported, else its best equal candidate
    (None when it has none) -- the model may contradict one figure of a
    swapped pair outright (「種子師資 350 人次」 by the 250 beside it) or find
    neither sure enough."""
    if d.verdict in ("supported", "approximately"):
        return d.evidence
    return next((c for c in d.candidates if c.equal), None)


def _own_labels_agree(claimed: dict, own: dict, other: dict) -> bool:
    """A claimed figure's labels (:mod:`~assistant.figures.labels`: 每年 /
    全程, a 分項, a budget kind …) name a value that its own fact states and
    the other figure's fact states otherwise: the two are not swapped."""
    return any(own.get(g) == v and other.get(g) not in (None, v) for g, v in claimed.items())


def _same_measure(a: Quantity, b: Quantity) -> bool:
    return a.kind == b.kind and a.unit == b.unit and a.classifier == b.classifier


def mispaired(parsed: Claim, decisions: list[FigureDecision], facts: FactBase) -> list[FigureDecision]:
    """``decisions`` with a figure that the claim pairs with the wrong
    figure of one plan sentence decided ``"swapped"`` (a contradiction), with
    the plan's figure for the pair as its evidence.

    Two figures A, B of the claim in this order, of different measures (「4
    個月培育期」, 「380 小時」), each supported by a figure of the same plan
    sentence -- or A stated there though not found (:func:`_stated_beside`)
    -- are mispaired when the plan's nearest figure of A's measure
    before B's states another value -- 「3 個月培育期(每人時數至少 380 小時)或
    4 個月培育期(每人時數至少 510 小時)」: the 380 小時 goes with 3 個月 -- and
    the plan states a figure of B's measure after A's before A's measure
    comes again (the 510 小時 that goes with 4 個月).  Positions are those of
    the facts in their chunk; no weight is fitted.
    """
    out = list(decisions)
    agree = ("supported", "approximately")
    sentences = Sentences(facts)
    for a in range(len(out) - 1):
        b = a + 1
        da, db = out[a], out[b]
        if db.verdict not in agree or db.evidence is None:
            continue
        fb = db.evidence.fact
        fa = da.evidence.fact if da.verdict in agree and da.evidence is not None else _stated_beside(da, fb)
        if fa is None or fa.source != "sentence" or fb.source != "sentence" or fa.chunk_id != fb.chunk_id \
                or fa.text != fb.text or _same_measure(fa.quantity, fb.quantity):
            continue
        sentence = sentences.sentence(fa)
        partner = [f for f in sentence if f.quantity.start < fb.quantity.start and _same_measure(f.quantity, fa.quantity)]
        if not partner or partner[-1].key == fa.key or partner[-1].quantity.value == fa.quantity.value:
            continue
        pair = None
        for f in sentence:
            if f.quantity.start <= fa.quantity.start:
                continue
            if _same_measure(f.quantity, fa.quantity):
                break
            if _same_measure(f.quantity, fb.quantity):
                pair = f
                break
        if pair is None or pair.quantity.value == fb.quantity.value:
            continue
        cand = next((c for c in db.candidates if c.fact.key == pair.key), None)
        if cand is None:
            continue
        note = (f"{parsed.figures[b].quantity.text.strip()} goes with another {parsed.figures[a].quantity.text.strip()} "
                f"in the plan: with it the plan states {pair.display}")
        out[b] = replace(db, verdict="swapped", evidence=cand, note=note)
    return out


def _stated_beside(d: FigureDecision, fact: Fact) -> Fact | None:
    """A figure not found although a fact in ``fact``'s sentence states its
    value (the neighbour of the next figure's statement outscored it,
    :class:`~assistant.figures.matching.Sentences`): that fact, else None."""
    if d.verdict != "not_found":
        return None
    return next((c.fact for c in d.candidates if c.match == "exact" and c.fact.chunk_id == fact.chunk_id
                 and c.fact.text == fact.text), None)


def with_derived(parsed: Claim, decisions: list[FigureDecision]) -> list[FigureDecision]:
    """``decisions`` with each figure the plan does not state (or is called
    contradicted by a looked-up fact) but that follows by arithmetic from
    figures of the claim the plan supports
    (:func:`~assistant.figures.claimmath.derivations`) decided ``"derived"``
    -- 「占比約 87.5%」 from a supported 4,800 and 4,200 人次.  Whether a
    figure counts is read from the lookups alone, never from another
    derived figure (:func:`~assistant.figures.claimmath.supporting_parts`)."""
    figures = parsed.figures
    out = list(decisions)
    paths = derivations([f.quantity for f in figures], parsed.text)
    for i, path in enumerate(supporting_parts([d.verdict in ("supported", "approximately") for d in decisions],
                                              paths)):
        if path is not None:
            parts = "、".join(figures[j].quantity.text.strip() for j in sorted(path))
            out[i] = FigureDecision("derived", None, candidates=decisions[i].candidates,
                                    probability=decisions[i].probability,
                                    contradiction=decisions[i].contradiction,
                                    note=f"{figures[i].quantity.text.strip()} follows from the claim's {parts}")
    return out


#: The subject score below which a fact stating a claimed total does not
#: outweigh the claim's own arithmetic (:func:`with_miscomputed`): 「每年延攬
#: 5 位…，四年共 25 人」 is not supported by a contents page's 「頁次：25」
#: (0.03).  On the 3,563 dev claims of 2026-12-06: 0.2 gained 2 claims, 0.35
#: gained 3, both losing none; 0.5 gained 3 and lost 2 true claims (called
#: contradicted).
WEAK_SUPPORT = 0.35


def with_miscomputed(parsed: Claim, decisions: list[FigureDecision]) -> list[FigureDecision]:
    """``decisions`` with each total the plan does not state (or states
    only in a fact scoring under :data:`WEAK_SUPPORT`) that the claim's own
    figures, all supported, give otherwise
    (:func:`~assistant.figures.claimmath.intended_totals`) decided
    ``"miscomputed"`` -- a contradiction by the plan's parts: 「每年 1.7 億元，
    四年共 6.3 億元」 with 1.7 億元 a year supported is 6.8 億元 over four
    years, not 6.3."""
    figures = parsed.figures
    per_year = [f.labels.get(Group.PERIOD) == ANNUAL for f in figures]
    out = list(decisions)
    for i, got in enumerate(intended_totals([f.quantity for f in figures], parsed.norm, per_year)):
        d = decisions[i]
        weak = d.verdict == "supported" and d.evidence is not None and d.evidence.score < WEAK_SUPPORT
        if got is None or (d.verdict != "not_found" and not weak):
            continue
        value, parts = got
        if not all(decisions[j].verdict == "supported" for j in parts) or not miscomputed(figures[i].quantity, value):
            continue
        shown = "、".join(dict.fromkeys(figures[j].quantity.text.strip() for j in sorted(parts)))
        out[i] = replace(decisions[i], verdict="miscomputed", evidence=None,
                         note=f"claimed {figures[i].quantity.text.strip()}; the claim's own {shown} "
                              f"(stated in the plan) give {_plain(value, figures[i].quantity)}")
    return out


def with_year_swaps(parsed: Claim, decisions: list[FigureDecision], facts: FactBase) -> list[FigureDecision]:
    """``decisions`` with each figure not found that the plan states, worded
    alike, for another year than the claimed one decided ``"swapped"`` -- a
    contradiction by the plan's figure for the claimed year
    (:func:`~assistant.figures.yearswap.year_swap`).  Only for a figure
    whose year is its own (or the only figure of the claim): a year the
    figure takes from another figure of the claim may not be its own
    (「114 年 1.4 億元，之後每年 2 億元」)."""
    out = list(decisions)
    for i, (fig, d) in enumerate(zip(parsed.figures, decisions)):
        if d.verdict != "not_found" or fig.years is None or (fig.inherited_year and len(parsed.figures) > 1) \
                or any(c.equal for c in d.candidates):
            continue
        other = contradicting(d.candidates, fig.labels, fig.quantity.kind)
        if other is None:
            continue
        stated = year_swap(fig.quantity, fig.years, other, facts.doc_facts(other.fact.doc_id))
        if stated is not None:
            out[i] = replace(d, verdict="swapped", evidence=other,
                             note=f"{fig.quantity.text.strip()} is the plan's figure for {stated.years} "
                                  f"(p.{stated.page}), not for {fig.years}")
    return out


def _plain(value, q: Quantity) -> str:
    """``value`` (normalised: money in 元) written in ``q``'s unit
    (:func:`~assistant.figures.units.format_money`; a count with its
    classifier)."""
    if q.kind == "money":
        return format_money(float(value), q.unit or "元")  # a money unit the parser read (MONEY_UNITS)
    text = f"{float(value):,.15g}"
    return f"{text} {q.classifier}" if q.classifier else text


__all__ = ["Conflict", "Evidence", "SCAN_DOCS", "Verdict", "VerdictKind", "WEAK_SUPPORT", "evidence_of", "verify_parsed",
           "with_derived", "with_miscomputed", "with_year_swaps"]

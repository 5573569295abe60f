"""The question-answering pipeline: analyse → retrieve → compose → check.

``Assistant`` holds the open index and retriever (loading them takes a
second; answering then takes milliseconds); :func:`assistant.ask` keeps one
per index folder.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ingest.config import default_db_dir, offline_env
from ingest.lsa import LSA
from ingest.models import Chunk

from .citations import CONFLICT_NOTICE, Source, check_sentence, money_unit_of
from .compose import MAX_SUPPORT, Composer, Composition
from .parts import part_question, question_parts
from .query import QuestionType, analyze
from .retrieve import Hit, HybridRetriever, RetrievalConfig, answering_order
from .selector import ASKS_FIGURE, SelectorModel

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from .followup import Turn, Understood

# Chunks passed to the composer (the eval harness reads the same 10 for hit@10).
DEFAULT_TOP_K = 10
# Closest passages listed with an abstention.
CLOSEST = 3
# Conflicting places quoted under an answer's lead figure (the rest are in
# `verify`'s output).
MAX_CONFLICTS = 2
# Default of ``Assistant.ask(generator=...)``: use the Assistant's own.
OWN_GENERATOR = object()


class GeneratorError(RuntimeError):
    """A generator (LLM back-end) that failed: time-out, connection error,
    rate limit, empty or malformed response (one-line message)."""


class AnswerGenerator(Protocol):
    """An optional LLM back-end (see :mod:`assistant.llm`).

    ``generate(question, sources)`` gets the numbered retrieved chunks
    (``[(n, chunk), ...]``, n from 1) and returns an answer whose sentences
    cite them as ``[n]``; it raises :class:`GeneratorError` on failure.
    """

    name: str

    def generate(self, question: str, sources: list[tuple[int, Chunk]]) -> str: ...


@dataclass
class Citation:
    """A numbered source of an answer; ``text`` is the chunk's document text;
    ``ocr``: the text was read by OCR from a scanned page (lower trust)."""

    marker: int
    doc_id: str
    title: str
    page: int
    section: str
    chunk_id: str
    text: str
    chunk_type: str = "text"
    table_title: str = ""
    ocr: bool = False

    @classmethod
    def of(cls, marker: int, chunk: Chunk, title: str) -> "Citation":
        """The citation numbered ``marker`` of a chunk."""
        return cls(marker, chunk.doc_id, title, chunk.page, chunk.section, chunk.chunk_id, chunk.text,
                   chunk.chunk_type, chunk.table_title, chunk.ocr)


@dataclass
class Context:
    """A retrieved passage (1-based ``rank``; ``score`` is the fused score)."""

    rank: int
    doc_id: str
    page: int
    section: str
    chunk_id: str
    score: float
    text: str
    title: str = ""


@dataclass
class Sentence:
    """An answer sentence, its citation markers and the checker's verdict."""

    text: str
    citations: list[int]
    verified: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class Answer:
    """An answer with its evidence.

    Attributes:
        question: as asked.
        answer: the answer text with ``[n]`` markers (unverified sentences
            removed).
        abstained: True when the documents do not answer the question.
        sentences: every composed sentence with its verification.
        citations: the sources the markers point to.
        contexts: the retrieved passages, best first (for an abstention, the
            closest passages).
        timings_ms: wall time per stage in milliseconds.
        mode: ``"extractive"`` or ``"llm"``.
        conflict: the documents state different figures for the thing asked.
        qtype: the question type (see :class:`assistant.query.QuestionType`).
        lang: the question's language guess.
        note: an explanation shown with the answer (abstention reason,
            fallback notice); ``""`` when none.
        confidence: P(the answer is right) from the answer selector's
            confidence model (:mod:`assistant.selector`), 0..1; for an
            abstention, that of the best candidate found (0 when none).
        understood: for a follow-up asked with ``history``, the complete
            question answered and the line saying so
            (:class:`assistant.followup.Understood`); ``None`` otherwise.
        doc_ids: the documents the question was restricted to (``[]``:
            all); a follow-up of an abstained answer keeps them.
    """

    question: str
    answer: str
    abstained: bool
    sentences: list[Sentence]
    citations: list[Citation]
    contexts: list[Context]
    timings_ms: dict[str, float]
    mode: str = "extractive"
    conflict: bool = False
    qtype: str = "other"
    lang: str = "zh-TW"
    note: str = ""
    confidence: float = 0.0
    understood: Understood | None = None
    doc_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON form (``python -m assistant ask --json``)."""
        return asdict(self)


def _source_of(chunk: Chunk) -> Source:
    return Source(chunk.text, money_unit_of(chunk.table_unit) if chunk.table_unit else None,
                  " ".join([*chunk.section_path, chunk.table_title]))


def abstention_text(lang: str, reason: str) -> str:
    """The one-sentence abstention, in the question's language."""
    if lang == "en":
        return f"The documents do not answer this question ({reason}); the closest passages are listed below."
    return "文件中找不到能回答此問題的依據，以下列出最接近的段落。"


def _selector_embed_model() -> str | None:
    """The embedding model the shipped selector was fitted with (its
    ``meta``); ``None`` when it does not say, or when the shipped file is of
    other features (being refitted: the fitter sets the similarity itself)."""
    try:
        return SelectorModel.load().meta.get("embed_model")
    except ValueError:
        return None


class Assistant:
    """Answers questions over one index.

    Args:
        db_dir: index folder (default ``$PLANQA_DB`` or ``./.planqa``).
        host, port: a Chroma server instead of the embedded store.
        config: retrieval settings.
        min_score: the composer's abstention threshold (``None``: default).
        fresh: open the embedded store anew (another process wrote it since
            this process opened it; see :class:`ingest.store.PlanIndex`).

    Raises:
        ingest.store.StoreError: the index cannot be opened.
    """

    def __init__(self, db_dir: Path | None = None, *, host: str | None = None, port: int | None = None,
                 config: RetrievalConfig | None = None, min_score: float | None = None,
                 generator: "AnswerGenerator | None" = None, fresh: bool = False):
        offline_env()
        from ingest.store import PlanIndex

        self.index = PlanIndex(Path(db_dir) if db_dir else default_db_dir(), host=host, port=port, fresh=fresh)
        self.retriever = HybridRetriever(self.index, config)
        kw = {} if min_score is None else {"min_score": min_score}
        # the selector's semantic features are cosines of the model it was
        # fitted with: another index model's cosines are read as unknown
        same_model = _selector_embed_model() in (None, self.index.embed_model() or LSA)
        self.composer = Composer(self.retriever.idf, self.retriever.max_idf, previous=self.retriever.previous,
                                 components=self._components, words_held=self.retriever.words_held,
                                 periods=self._period, similarity=self.retriever.similarity if same_model else None,
                                 **kw)
        self.generator = generator
        self._titles = {d.doc_id: d.title for d in self.index.list_documents()}
        self._store = None
        self._facts = None
        self._doc_facts = None
        self._findings: dict[str, list] = {}
        self._named: dict[str, frozenset] = {}

    @property
    def facts(self):
        """The facts of the index (:class:`~assistant.figures.extract.FactBase`),
        read from its fact store once (documents the store lacks are
        written to it first, :meth:`~assistant.figures.store.FactStore.sync`)."""
        if self._facts is None:
            self._facts = self._fact_store().fact_base()
        return self._facts

    def _fact_store(self):
        """The index's :class:`~assistant.figures.store.FactStore`, synced
        with the index once (documents it lacks are written to it first)."""
        if self._store is None:
            from .figures.store import FactStore

            self._store = FactStore.of_index(self.index.db_dir)
            self._store.sync(self.index)
        return self._store

    def _components(self, doc_id: str) -> frozenset:
        """The components (分項 / 子項) a document names, as the fact store
        read them at ingest (:meth:`~assistant.figures.store.FactStore.components`),
        once per document."""
        if doc_id not in self._named:
            self._named[doc_id] = self._fact_store().components(doc_id)
        return self._named[doc_id]

    def _period(self, doc_id: str) -> tuple[int, int] | None:
        """The plan's own period as Western ``(first, last)`` year
        (:func:`~assistant.figures.docfacts.plan_period`), ``None`` when it
        states none."""
        from .figures.docfacts import plan_period

        return plan_period(self.document_facts(), doc_id)

    def document_facts(self) -> list:
        """Every document's :class:`~assistant.figures.docfacts.DocumentFact`
        records (read from the fact store once)."""
        if self._doc_facts is None:
            self._doc_facts = self._fact_store().document_facts()
        return self._doc_facts

    def titles(self) -> dict[str, str]:
        """doc_id → title of the indexed documents (as of opening)."""
        return dict(self._titles)

    def ask(self, question: str, *, history: Sequence[Turn | Answer] | None = None,
            doc_ids: list[str] | None = None, top_k: int = DEFAULT_TOP_K,
            generator: "AnswerGenerator | None | object" = OWN_GENERATOR) -> Answer:
        """Answer ``question`` from the indexed documents.

        Args:
            question: Traditional/Simplified Chinese or English.
            history: the earlier turns of a conversation, oldest first
                (earlier :class:`Answer` s or :class:`assistant.followup.Turn` s):
                a follow-up (「那 109 年呢？」) is answered as the complete
                question :func:`assistant.followup.resolve` makes of it, in
                the previous turn's document unless it names another plan or
                ``doc_ids`` is given; ``Answer.understood`` says so.
            doc_ids: restrict retrieval to these documents.
            top_k: number of retrieved chunks considered.
            generator: for this call only, instead of the Assistant's own
                ``generator`` (``None``: extractive only); see
                :func:`assistant.llm.ask_streaming`.

        Returns:
            An :class:`Answer` (abstained when nothing answers it).
        """
        if history:
            from .followup import resolve

            understood = resolve(question, history, self._titles)
            if understood is not None:
                answer = self.ask(understood.question, doc_ids=doc_ids or understood.doc_ids or None, top_k=top_k,
                                  generator=generator)
                answer.question, answer.understood = question, understood
                return answer
        timings: dict[str, float] = {}
        parts = question_parts(question)
        retrieved = self._retrieve(question, doc_ids, top_k, timings)
        # a question that asks several things is led by its first part's slots
        query, hits, comp = self._compose(question, doc_ids, top_k, timings,
                                          slots_of=parts[0] if len(parts) > 1 else None, retrieved=retrieved)
        # the sources are listed in retrieval order (``rank``), those the
        # question's parts add after them; the answer reads them in
        # answering order (:func:`~assistant.retrieve.answering_order`)
        listed = len(hits)
        if len(parts) > 1:
            t = time.perf_counter()
            hits, comp = self._with_parts(question, parts, hits, comp, doc_ids, top_k, retrieved)
            timings["parts"] = (time.perf_counter() - t) * 1000
        titles = self.titles()
        if not comp.abstained and (query.qtype in (QuestionType.AMOUNT, QuestionType.TARGET)
                                   or ASKS_FIGURE.search(query.text.lower())):
            # a figure was asked for (「科技部負責的分項一…編了多少錢」 reads as an agency question)
            t = time.perf_counter()
            self._add_conflicts(comp, hits, titles)
            timings["conflicts"] = (time.perf_counter() - t) * 1000
        hits = sorted(hits[:listed], key=lambda h: h.rank) + hits[listed:]
        contexts = [Context(h.rank, h.chunk.doc_id, h.chunk.page, h.chunk.section, h.chunk.chunk_id,
                            round(h.score, 6), h.chunk.text, titles.get(h.chunk.doc_id, "")) for h in hits]
        t = time.perf_counter()
        answer = self._assemble(question, query, comp, contexts, titles)
        answer.confidence = round(comp.confidence, 4)
        timings["check"] = (time.perf_counter() - t) * 1000
        generator = self.generator if generator is OWN_GENERATOR else generator
        if generator is not None and not answer.abstained:
            t = time.perf_counter()
            answer = self._generated(question, query, hits, answer, titles, generator)
            timings["llm"] = (time.perf_counter() - t) * 1000
        answer.doc_ids = list(doc_ids or [])
        answer.timings_ms = {k: round(v, 2) for k, v in timings.items()}
        answer.timings_ms["total"] = round(sum(timings.values()), 2)
        return answer

    def _retrieve(self, question: str, doc_ids, top_k: int, timings: dict[str, float] | None = None,
                  encoded_as: str | None = None):
        """``(query, hits)``: ``question`` analysed and retrieved (its vector
        ranking and similarity read through the embedding of ``encoded_as``
        when given, :attr:`~assistant.query.QueryAnalysis.encoded_as`); the
        milliseconds of each step added to ``timings``."""
        timings = {} if timings is None else timings
        t = time.perf_counter()
        query = replace(analyze(question), encoded_as=encoded_as)
        timings["analyze"] = timings.get("analyze", 0.0) + (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        hits = answering_order(self.retriever.retrieve(query, top_k=top_k, doc_ids=doc_ids))
        timings["retrieve"] = timings.get("retrieve", 0.0) + (time.perf_counter() - t) * 1000
        return query, hits

    def _compose(self, question: str, doc_ids, top_k: int, timings: dict[str, float] | None = None,
                 slots_of: str | None = None, retrieved: tuple | None = None, encoded_as: str | None = None,
                 within: tuple[str, str] | None = None):
        """``(query, hits, composition)`` of one question: analysed and
        retrieved (unless ``retrieved`` is its :meth:`_retrieve`), composed
        (meeting the slots of ``slots_of``, one of its parts, when given;
        looking in the row ``within`` first,
        :meth:`~assistant.compose.Composer.compose`) and led by a document
        fact it asks for; the milliseconds of each step added to
        ``timings``."""
        timings = {} if timings is None else timings
        query, hits = retrieved or self._retrieve(question, doc_ids, top_k, timings, encoded_as)
        t = time.perf_counter()
        comp = self.composer.compose(query, hits, slots_of=analyze(slots_of) if slots_of else None, within=within)
        comp, hits = self._document_fact(question, query.lang, comp, hits, doc_ids)
        timings["compose"] = timings.get("compose", 0.0) + (time.perf_counter() - t) * 1000
        return query, hits, comp

    def _with_parts(self, question: str, parts: list[str], hits, comp, doc_ids, top_k: int, retrieved: tuple):
        """``(hits, composition)`` of a question that asks several things
        (:mod:`assistant.parts`): the whole question's composition with the
        lead of each part's own answer added after its lead (an English lead
        with the passage it restates, :attr:`Composition.lead`; a part whose
        passage it already quotes adds nothing), then its supporting sentences;
        it abstains only when the whole question and every part do.  The
        hits are the whole question's, then each part's new ones; a part
        folded into the whole question reuses its ``retrieved``
        (:meth:`_retrieve`)."""
        leads, seen = [], {h.chunk.chunk_id for h in hits}
        all_hits = list(hits)
        confidence = comp.confidence
        for i in range(len(parts)):
            asked = part_question(parts, i, self._titles)
            if asked == question and i == 0:
                continue
            # a part asked together with the first (「…是多少？其中既有預算占多少？」)
            # is composed on the whole question, meeting its own slots, in the
            # first part's row first (it names no subject of its own)
            folded = asked == question
            # read through the whole question's embedding: one encoding per
            # question (an English one with its glossary terms costs ~70 ms)
            _, part_hits, part = self._compose(asked, doc_ids, top_k, slots_of=parts[i] if folded else None,
                                               retrieved=retrieved if folded else None,
                                               encoded_as=retrieved[0].search_text,
                                               within=comp.lead_row if folded and not comp.abstained else None)
            all_hits += [h for h in part_hits if h.chunk.chunk_id not in seen]
            seen.update(h.chunk.chunk_id for h in part_hits)
            if not part.abstained and part.sentences:
                leads.append(part.lead)  # with its English lead, when it has one
                confidence = max(confidence, part.confidence)
        if not leads:
            return hits, comp
        sentences = [] if comp.abstained else comp.lead
        # the passages the leads quote (an English lead restates the one after it)
        quoted = [sentences[-1][0]] if sentences else []
        for lead in leads:
            text = lead[-1][0]
            if all(text not in q and q not in text for q in quoted):
                sentences += lead
                quoted.append(text)
        own = [] if comp.abstained else comp.support
        sentences += [s for s in own if s not in sentences][:max(0, MAX_SUPPORT + len(parts) - len(quoted))]
        first = leads[0] if comp.abstained else comp.lead
        return all_hits, Composition(sentences, False, conflict=comp.conflict, confidence=confidence,
                                     signals=comp.signals, lead_text="" if comp.abstained else comp.lead_text,
                                     lead_sentences=len(first))

    def _document_fact(self, question: str, lang: str, comp, hits, doc_ids):
        """``(composition, hits)``: ``comp`` led by the document-level fact
        the question asks for (:mod:`assistant.docanswer`), in the only
        document asked about or else the best hit's, and the fact's chunk
        first among the hits -- the fact store found it, and the answer
        stands on it; both unchanged when there is none."""
        from .docanswer import document_fact, english_period, fact_lead, lead_with_fact

        doc_id = doc_ids[0] if doc_ids and len(doc_ids) == 1 else (hits[0].chunk.doc_id if hits else None)
        if doc_id is None:
            return comp, hits
        fact = document_fact(question, doc_id, self.document_facts())
        chunk = self.retriever.chunks.get(fact.chunk_id) if fact else None
        if chunk is None:
            return comp, hits
        own = next((h for h in hits if h.chunk.chunk_id == chunk.chunk_id), None)
        first = replace(own, rank=1, fused_rank=1) if own else Hit(chunk, hits[0].score if hits else 1.0, rank=1,
                                                                   fused_rank=1)
        # first in both orders; the others keep theirs (hits are in answering order)
        others = [h for h in hits if h is not own]
        listing = {id(h): i for i, h in enumerate(sorted(others, key=lambda h: h.rank), start=2)}
        found = [first] + [replace(h, rank=listing[id(h)], fused_rank=i) for i, h in enumerate(others, start=2)]
        lead = [(fact_lead(fact, lang), chunk)]
        if lang == "en" and (english := english_period(fact)):
            lead.insert(0, (english, chunk))
        return lead_with_fact(comp, lead, fact.text), found

    def _add_conflicts(self, comp, hits, titles) -> None:
        """Add 「計畫書內數字不一致：…」 sentences to a composition whose lead
        figure the plan states differently elsewhere (:mod:`assistant.conflicts`);
        a supporting sentence that is such a place gets the notice instead."""
        from .conflicts import finding_conflicts, lead_conflicts

        lead, chunk = comp.sentences[0]
        lead = comp.lead_text or lead
        chunks = [chunk] + [h.chunk for h in hits if h.chunk.chunk_id != chunk.chunk_id]
        others = [(c.evidence.text, c.evidence.chunk_id) for c in lead_conflicts(lead, chunks, self.facts, titles)]
        # the audit's findings about the lead's figure -- not about a figure
        # a supporting sentence happens to state (most such notices quoted
        # an unrelated place: README, issue 12, thirteenth session)
        findings = self.findings(chunk.doc_id)
        others += [o for o in finding_conflicts([(lead, chunk.chunk_id)], findings) if o not in others]
        texts = [text for text, _ in comp.sentences]
        for text, chunk_id in others[:MAX_CONFLICTS]:
            other = self.retriever.chunks.get(chunk_id)
            if other is None:
                continue
            shown = self.composer.shown(text, other)
            said = next((t for t in (text, shown) if t in texts), None)
            if said is not None:
                # the other place is already a supporting sentence (as found or
                # as composed, a cell by its row's name): say what it is
                i = texts.index(said)
                if i > 0:
                    comp.sentences[i] = (f"{CONFLICT_NOTICE}{said.rstrip('。')}", comp.sentences[i][1])
                    comp.conflict = True
                continue
            comp.sentences.append((f"{CONFLICT_NOTICE}{shown.rstrip('。')}", other))
            comp.conflict = True

    def findings(self, doc_id: str) -> list:
        """The audit findings of one document (found at ingest,
        :meth:`~assistant.figures.store.FactStore.findings`), read once."""
        if doc_id not in self._findings:
            self._findings[doc_id] = self._fact_store().findings(doc_id)
        return self._findings[doc_id]

    def _generated(self, question, query, hits, extractive: Answer, titles, generator) -> Answer:
        """Ask the generator, check its answer sentence by sentence against
        the sources it cites, keep the verified sentences; fall back to the
        extractive answer (with a note) when the generator fails or nothing
        it wrote is supported."""
        from .citations import check_answer

        numbered = [(i, h.chunk) for i, h in enumerate(hits, start=1)]
        try:
            text = generator.generate(question, numbered)
        except GeneratorError as err:
            extractive.note = f"LLM unavailable ({err}); showing the extractive answer"
            return extractive
        sources = {i: _source_of(c) for i, c in numbered}
        checks = check_answer(text, sources)
        sentences = [Sentence(c.text, c.citations, c.verified, c.reasons) for c in checks]
        verified = [s for s in sentences if s.verified]
        if not verified:
            extractive.note = "the LLM answer failed the citation check; showing the extractive answer"
            extractive.sentences = extractive.sentences + [Sentence(s.text, s.citations, False, s.reasons) for s in sentences]
            return extractive
        used = sorted({m for s in verified for m in s.citations})
        by_marker = dict(numbered)
        citations = [Citation.of(m, by_marker[m], titles.get(by_marker[m].doc_id, "")) for m in used]
        dropped = len(sentences) - len(verified)
        note = f"{dropped} generated sentence(s) removed: not supported by their cited sources" if dropped else ""
        return Answer(question, "".join(s.text for s in verified), False, sentences, citations, extractive.contexts,
                      {}, mode="llm", conflict=extractive.conflict, qtype=query.qtype.value, lang=query.lang, note=note)

    def _assemble(self, question, query, comp, contexts, titles) -> Answer:
        citations: list[Citation] = []
        by_chunk: dict[str, int] = {}
        sentences: list[Sentence] = []
        sources: dict[int, Source] = {}
        for text, chunk in comp.sentences:
            if chunk.chunk_id not in by_chunk:
                by_chunk[chunk.chunk_id] = len(citations) + 1
                citations.append(Citation.of(by_chunk[chunk.chunk_id], chunk, titles.get(chunk.doc_id, "")))
                sources[by_chunk[chunk.chunk_id]] = _source_of(chunk)
            marker = by_chunk[chunk.chunk_id]
            sentence = f"{text.rstrip('。')}[{marker}]。"  # a verbatim span may end with its own 。
            check = check_sentence(sentence, sources)
            sentences.append(Sentence(sentence, [marker], check.verified, check.reasons))
        verified = [s for s in sentences if s.verified]
        abstained = comp.abstained or not verified
        note = comp.reason if comp.abstained else ("" if verified else "no composed sentence passed the citation check")
        if abstained:
            return Answer(question, abstention_text(query.lang, note or "no evidence"), True, sentences, [],
                          contexts[:CLOSEST], {}, conflict=False, qtype=query.qtype.value, lang=query.lang, note=note)
        used = {m for s in verified for m in s.citations}
        return Answer(question, "".join(s.text for s in verified), False, sentences,
                      [c for c in citations if c.marker in used], contexts, {}, conflict=comp.conflict,
                      qtype=query.qtype.value, lang=query.lang, note=note)

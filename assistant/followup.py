"""Follow-up questions: 「那 109 年呢？」, 「分項二呢？」, "And in 2020?".

A follow-up is read against the previous turn of a conversation and made
into a complete question, which the ask pipeline then answers unchanged.
A question has three **slots**, each found with its span in the text:

* **year** — 108 年度, 2019, 108-111 年, or a period (全程, 每年, "whole period");
* **subject** — 分項二, 子項 2.1, 細部計畫三, "sub-project 2", a KPI code
  with its name (D1.研究報告), a quoted name (「中小企業數位領導計畫」), or in
  a short follow-up a bare name (AI 領航推動);
* **measure** — 經費, 人事費, 資本支出, 核定數, 新增預算, 人數, 家數, KPI ….

A question is a **follow-up** when it opens or ends with a cue (那 / 那麼 /
還有 / 另外 / 至於 … 呢, 「人事費又是多少」, "and", "what about", "how about") and names
something, or when it names only a year and/or a subject and no measure
(「109 年？」, "sub-project 2?"); a total word left over (「四年合計呢」)
is no subject. A question complete on its own is never rewritten. Two ways of resolving:

* an **elliptical** follow-up (「那 109 年呢？」, "What about capital
  expenditure?") takes the previous question and replaces the slots it names,
  keeping the rest (the other slots and the question type): 「分項一 108
  年度經費是多少？」 + 「那 109 年呢？」 → 「分項一 109 年度經費是多少？」;
* a follow-up with its **own question** (「那申請資格是什麼？」, 「還有哪些
  KPI？」) keeps its words and gains the previous subject, and the previous
  year and measure where it asks for a figure.

The previous turn's document (that of its lead citation) is kept unless the
follow-up names another plan by its title. Language helpers are
:mod:`assistant.language`'s, question types
:func:`assistant.query.question_type`'s, component labels
:func:`assistant.figures.labels.find_labels`' and years
:func:`assistant.figures.quantities.extract_quantities`'.

Example:
    >>> u = resolve("那 109 年呢？", [Turn("分項一 108 年度經費是多少？", ("most-2018-phd-talent-training",))])
    >>> u.question, u.text, u.doc_ids
    ('分項一 109 年度經費是多少?', '理解為：109 年度 分項一 經費', ['most-2018-phd-talent-training'])
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .figures.labels import Group, find_labels
from .figures.quantities import extract_quantities
from .language import as_western, guess_lang, squash, to_traditional, western_to_roc
from .query import QuestionType, question_type


@dataclass(frozen=True)
class Turn:
    """An earlier turn of a conversation.

    Attributes:
        question: the complete question it answered (for a follow-up, the
            resolved question, :attr:`Understood.question`).
        doc_ids: the documents it was about: the document of its lead
            citation, else the restriction it was asked under; ``()`` when
            none.
    """

    question: str
    doc_ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, item: Turn | object) -> Turn:
        """The turn of an :class:`~assistant.answer.Answer` (a ``Turn`` is
        returned as is).

        Example:
            >>> Turn.of(Turn("分項二 108 年度經費是多少？"))
            Turn(question='分項二 108 年度經費是多少？', doc_ids=())
        """
        if isinstance(item, Turn):
            return item
        understood = getattr(item, "understood", None)
        question = understood.question if understood else item.question
        if item.citations:
            return cls(question, (item.citations[0].doc_id,))
        asked = tuple(getattr(item, "doc_ids", None) or ())
        return cls(question, asked or (tuple(understood.doc_ids) if understood else ()))


@dataclass
class Understood:
    """How a follow-up was understood (``Answer.understood``).

    Attributes:
        question: the complete question that was answered.
        text: the line shown with the answer, in the follow-up's language
            (「理解為：109 年度 分項二 經費」, "Understood as: 2020 (ROC 109)
            分項二 budget").
        doc_ids: the documents the question was restricted to (``[]``: all).
    """

    question: str
    text: str
    doc_ids: list[str] = field(default_factory=list)


YEAR, SUBJECT, MEASURE = "year", "subject", "measure"


@dataclass(frozen=True)
class Span:
    """A slot value found in a question.

    Attributes:
        start, end: offsets in :attr:`Frame.text`.
        written: the text of the span.
        zh, en: the value in Chinese and in English (``en`` is ``zh`` when
            there is no English name, e.g. for a named 工作項目).
        years: the Western years of a year span (``()`` for a period).
    """

    start: int
    end: int
    written: str
    zh: str
    en: str
    years: tuple[int, ...] = ()

    def render(self, lang: str) -> str:
        """The value for a text in ``lang``."""
        return self.en if lang == "en" else self.zh


@dataclass
class Frame:
    """The slots of one question.

    Attributes:
        text: the matching text: NFKC, Simplified → Traditional (English as
            asked); spans point into it.
        lang: ``"zh-TW"``, ``"zh-CN"`` or ``"en"``.
        slots: ``{YEAR|SUBJECT|MEASURE: [Span, ...]}`` in text order.
        cue: it opens or ends with a follow-up cue (那 … 呢, "what about").
        body: it asks its own question (什麼, 哪些, who, eligibility, …),
            beyond a figure's 多少.
        residue: the words left over once cues, slots, plan names and
            filler words are removed, as spans (a bare subject's name).
        core: :attr:`text` without its cue words (a follow-up's own question).
        docs: the documents whose titles it names.
    """

    text: str
    lang: str
    slots: dict[str, list[Span]]
    cue: bool
    body: bool
    residue: list[Span]
    core: str
    docs: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ vocabulary
_CN = "零一二三四五六七八九十"
_PART_EN = {"分項": "sub-project", "細部計畫": "detailed plan", "子計畫": "sub-plan"}
_EN_SUBJECTS = (
    (re.compile(r"\bsub-?items?\s*(?:no\.?\s*)?(\d{1,2}\.\d{1,2})\b", re.IGNORECASE), "子項 {}", "sub-item {}"),
    (re.compile(r"\b(?:sub-?projects?|components?)\s*(?:no\.?\s*)?(\d{1,2})\b(?!\.\d)", re.IGNORECASE), "分項{}", "sub-project {}"),
    (re.compile(r"\b(?:detailed|sub-?)\s*plans?\s*(?:no\.?\s*)?(\d{1,2})\b", re.IGNORECASE), "細部計畫{}", "detailed plan {}"),
)
# A KPI row's code and name, as the plans' KPI tables print them (D1.研究報告).
_KPI_CODE = re.compile(r"(?<![A-Za-z])[A-Z]\d{0,2}\s*[.．]\s*[\u3400-\u9fff]{2,12}?(?=\s|\d|的|在|目標|績效|呢|[?？,，、]|$)")
_QUOTED = re.compile(r"「([^」]{2,40})」|『([^』]{2,40})』|“([^”]{2,40})”|\"([^\"]{2,40})\"")
# (Chinese value, English value, Chinese pattern, English pattern); the
# longest match at a position wins, so specific measures beat 經費.
_MEASURES = (
    ("人事費", "personnel costs", r"人事費", r"personnel (?:costs?|expenses?)|personnel"),
    ("材料費", "material costs", r"材料費", r"materials? (?:costs?|expenses?)"),
    ("其他費用", "other costs", r"其他(?:經常|資本)?(?:費用|支出)", r"other (?:costs?|expenses?|expenditure)"),
    ("資本支出", "capital expenditure", r"資本(?:支出|門)", r"capital(?: expenditure| spending| budget)?"),
    ("經常支出", "current expenditure", r"經常(?:支出|門)",
     r"(?:current|recurrent|operating)(?: expenditure| spending| budget)?"),
    ("新增預算", "new budget", r"新增預算", r"new (?:budget|funding)"),
    ("既有預算", "existing budget", r"既有預算", r"existing (?:budget|funding)"),
    ("核定數", "approved amount", r"核定(?:數|經費|預算)?", r"approved(?: budget| amount| funding)?"),
    ("送審數", "requested amount", r"送審(?:數|經費)?", r"(?:submitted|requested)(?: budget| amount| funding)?"),
    ("法定預算", "legal budget", r"法定(?:數|預算)", r"(?:legal|statutory) budget"),
    ("執行數", "amount spent", r"執行數", r"amount spent"),
    ("人次", "person-times", r"人次", r"person-times|participations"),
    ("人數", "number of people", r"人數|(?:多少|幾)(?:人|名|位)(?!次)", r"how many (?:people|persons|trainees)|number of (?:people|persons|trainees)"),
    ("家數", "number of companies", r"家數|(?:多少|幾)家(?!次)", r"how many (?:companies|firms)|number of (?:companies|firms)"),
    ("績效指標", "KPIs", r"KPI|績效指標", r"kpis?|key performance indicators?|performance indicators?"),
    ("目標值", "target value", r"目標值", r"target values?"),
    ("產值", "output value", r"產值", r"output value|production value"),
    ("經費", "budget", r"總?經費|預算|金額|多少錢", r"budget|funding|funds|how much money|costs?"),
)
_ZH_MEASURES = tuple((zh, en, re.compile(p)) for zh, en, p, _ in _MEASURES)
_EN_MEASURES = tuple((zh, en, re.compile(rf"\b(?:{p})\b", re.IGNORECASE)) for zh, en, _, p in _MEASURES)
_ZH_PERIODS = (("全程", "the whole period", re.compile(r"全程|全期程?|計畫期間|四年")),
               ("每年", "each year", re.compile(r"每(?:一)?年度?|各年度?|歷年")))
_EN_PERIODS = (("全程", "the whole period", re.compile(r"\b(?:(?:(?:over|for|during|across) )?(?:the )?(?:whole|entire|full)[- ]"
                                                    r"(?:period|plan|term)|in total|overall|(?:four|4)[- ]years?(?: total)?)\b",
                                                    re.IGNORECASE)),
               ("每年", "each year", re.compile(r"\b(?:each|every|per) year\b|\ball years\b", re.IGNORECASE)))
_WESTERN_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_EN_ROC_YEAR = re.compile(r"\b(?:ROC|FY)\s*(?:year\s*)?(\d{2,3})\b", re.IGNORECASE)
_YEAR_DIGITS = re.compile(r"\d{2,4}(?:\s*[-–—~～至到]\s*\d{2,4})?")

# Follow-up cues: at the start (那, 還有, and, what about) or the end (呢).
_ZH_LEAD = re.compile(r"^(?:請問)?(?:那麼|那么|那|還有|另外|至於|再來|然後)[,，、\s]*")
_ZH_TAIL = re.compile(r"(?:的)?(?:呢|咧)\s*[?？]*\s*$")
# 「人事費又是多少？」: 又 before the asking words marks a follow-up too.
_ZH_AGAIN = re.compile(r"又(?:是|為|有|要|需要|該)?(?:多少|幾)")
# Words that total what the previous question asked (「四年合計呢？」): not a subject.
_TOTAL_RESIDUE = re.compile(r"合計|合计|總計|总计|總共|总共|加起來|加起来|共計|共计")
_EN_LEAD = re.compile(r"^\s*(?:(?:and|also)[,\s]+)?(?:(?:what|how) about|what of|and(?: for| in)?|same for|likewise)\b[,\s]*", re.IGNORECASE)
# Questions beyond "how much": their words are the follow-up's own question.
_ZH_ASKS = re.compile(r"什麼|甚麼|哪|誰|如何|為何|為什麼|怎麼|是否|有沒有|何時|多久")
# ("what is the budget", "how much" ask for a figure.)
_EN_ASKS = re.compile(r"\b(?:which|who|whom|whose|when|where|why)\b", re.IGNORECASE)
_BODY_TYPES = {QuestionType.ELIGIBILITY, QuestionType.AGENCY, QuestionType.PERIOD, QuestionType.LIST}
# Question types whose answer is a figure: a follow-up asking one keeps the year.
_FIGURE_TYPES = {QuestionType.AMOUNT, QuestionType.TARGET, QuestionType.OTHER}
# Words that name nothing (removed before looking for a bare name).
_ZH_FILLER = re.compile(r"請問|那麼|那|還有|另外|至於|再來|然後|是多少|多少|是否|嗎|呢|吧|啊|呀|咧|"
                        r"這個計畫|本計畫|該計畫|整個計畫|此計畫|全計畫|這個|分別|總共|一共|編列|投入|預計|"
                        r"的|是|在|為|又|則|各|共|有|和|與|及|跟|年度|年|[^\w]|_")
_EN_STOP = frozenset({"a", "an", "and", "also", "about", "again", "what", "how", "much", "many", "is", "was", "are",
                      "were", "it", "its", "they", "their", "them", "that", "those", "this", "these", "the", "of", "in",
                      "for", "to", "on", "at", "by", "with", "then", "same", "likewise", "please", "plan", "plans",
                      "programme", "program", "project", "year", "years", "roc", "fy", "as", "well", "there", "do",
                      "does", "did"})
_EN_WORD = re.compile(r"[A-Za-z][\w'-]*|\d+(?:\.\d+)?|[\u3400-\u9fff]+")


def _fold(text: str) -> tuple[str, str]:
    """``(matching text, lang)``: NFKC; Simplified converted to Traditional."""
    folded = unicodedata.normalize("NFKC", text).strip()
    lang = guess_lang(folded)
    return (to_traditional(folded) if lang == "zh-CN" else folded), lang


def _cn_number(n: int) -> str:
    return _CN[n] if 0 <= n <= 10 else str(n)


def _years_text(years: Sequence[int], western: bool) -> str:
    """``109`` / ``108-111`` (ROC) or ``2020`` / ``2019-2022``."""
    shown = [y if western else western_to_roc(y) for y in years]
    if len(shown) > 2 and shown == list(range(shown[0], shown[-1] + 1)):
        return f"{shown[0]}-{shown[-1]}"
    return ("、" if not western else ", ").join(str(y) for y in shown)


def _year_span(start: int, end: int, written: str, years: Sequence[int]) -> Span:
    return Span(start, end, written, f"{_years_text(years, western=False)} 年度", _years_text(years, western=True),
                tuple(years))


def _non_overlapping(spans: Iterable[Span]) -> list[Span]:
    """The spans that do not overlap an earlier or longer one, in text order."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if all(s.start >= o.end or s.end <= o.start for o in out):
            out.append(s)
    return sorted(out, key=lambda s: s.start)


def _years(text: str, english: bool) -> list[Span]:
    spans: list[Span] = []
    if not english:
        for q in extract_quantities(text):
            if q.kind == "year":
                spans.append(_year_span(q.start, q.end, q.text, range(int(q.value), int(q.upper or q.value) + 1)))
    else:
        for m in _EN_ROC_YEAR.finditer(text):
            spans.append(_year_span(m.start(), m.end(), m.group(), [as_western(int(m.group(1)))]))
    for m in _WESTERN_YEAR.finditer(text):
        spans.append(_year_span(m.start(), m.end(), m.group(), [int(m.group())]))
    for zh, en, pattern in (_EN_PERIODS if english else _ZH_PERIODS):
        spans += [Span(m.start(), m.end(), m.group(), zh, en) for m in pattern.finditer(text)]
    return _non_overlapping(spans)


def _subjects(text: str, english: bool, titles: Mapping[str, str]) -> list[Span]:
    spans: list[Span] = []
    if english:
        for pattern, zh, en in _EN_SUBJECTS:
            for m in pattern.finditer(text):
                n = m.group(1)
                spans.append(Span(m.start(), m.end(), m.group(), zh.format(n if "." in n else _cn_number(int(n))),
                                  en.format(n)))
    else:
        for lb in find_labels(text):
            written = text[lb.start:lb.end]
            if lb.group is Group.PART:
                kind = re.search(r"分項|細部計畫|子計畫", written).group()
                n = int(lb.value)
                spans.append(Span(lb.start, lb.end, written, f"{kind}{_cn_number(n)}", f"{_PART_EN[kind]} {n}"))
            elif lb.group is Group.SUBITEM:
                spans.append(Span(lb.start, lb.end, written, f"子項 {lb.value}", f"sub-item {lb.value}"))
    spans += [Span(m.start(), m.end(), m.group(), m.group(), m.group()) for m in _KPI_CODE.finditer(text)]
    for m in _QUOTED.finditer(text):
        name = next(g for g in m.groups() if g)
        if _named_doc(name, titles) is None:
            spans.append(Span(m.start(), m.end(), m.group(), f"「{name}」", name))
    return _non_overlapping(spans)


def _measures(text: str, english: bool) -> list[Span]:
    spans = [Span(m.start(), m.end(), m.group(), zh, en)
             for zh, en, pattern in (_EN_MEASURES if english else _ZH_MEASURES) for m in pattern.finditer(text)]
    return _non_overlapping(spans)


def _residue(text: str, english: bool, taken: list[Span]) -> list[Span]:
    """The runs of words outside ``taken`` spans that are not filler words."""
    keep = [True] * len(text)
    for s in taken:
        keep[s.start:s.end] = [False] * (s.end - s.start)
    if english:
        for m in _EN_WORD.finditer(text):
            if m.group().lower() in _EN_STOP:
                keep[m.start():m.end()] = [False] * (m.end() - m.start())
        for i, ch in enumerate(text):
            if not (ch.isalnum() or ch in "-'"):
                keep[i] = False
    else:
        for m in _ZH_FILLER.finditer(text):
            keep[m.start():m.end()] = [False] * (m.end() - m.start())
    runs: list[Span] = []
    start = None
    for i in range(len(text) + 1):
        on = i < len(text) and (keep[i] or (text[i] == " " and start is not None and i + 1 < len(text) and keep[i + 1]))
        if on and start is None:
            start = i
        elif not on and start is not None:
            word = text[start:i].strip()
            if word and not (english and word.isdigit()):
                runs.append(Span(start, i, word, word, word))
            start = None
    return runs


def _named_doc(words: str, titles: Mapping[str, str]) -> str | None:
    """The document whose title (or id) ``words`` name: the title is in the
    words, or the words (4 characters or more) are part of the title."""
    w = squash(words).lower()
    for doc_id, title in titles.items():
        t = squash(title).lower()
        if doc_id in w or (t and t in w) or (len(w) >= 4 and w in t):
            return doc_id
    return None


def parse(question: str, titles: Mapping[str, str] | None = None) -> Frame:
    """The slots of a question (see the module docstring).

    Args:
        question: Traditional or Simplified Chinese, or English.
        titles: doc_id → title of the indexed plans (quoted plan titles are
            not subjects).

    Example:
        >>> f = parse("那分项二呢？")
        >>> [s.zh for s in f.slots[SUBJECT]], f.cue, f.body
        (['分項二'], True, False)
        >>> [(s.zh, s.en) for s in parse("And in 2020?").slots[YEAR]]
        [('109 年度', '2020')]
    """
    text, lang = _fold(question)
    english = lang == "en"
    titles = titles or {}
    lead, tail = (_EN_LEAD, None) if english else (_ZH_LEAD, _ZH_TAIL)
    m_lead = lead.search(text)
    m_tail = tail.search(text) if tail else None
    core = text[m_lead.end() if m_lead else 0:m_tail.start() if m_tail else len(text)].strip()
    found = {YEAR: _years(text, english), SUBJECT: _subjects(text, english, titles), MEASURE: _measures(text, english)}
    taken = _non_overlapping(s for spans in found.values() for s in spans)
    slots = {slot: [s for s in spans if s in taken] for slot, spans in found.items()}
    masked = "".join(" " if any(s.start <= i < s.end for s in taken) else ch for i, ch in enumerate(text))
    asks = (_EN_ASKS if english else _ZH_ASKS).search(masked)
    body = bool(asks) or question_type(masked) in _BODY_TYPES
    residue, docs = [], [d for m in _QUOTED.finditer(text) if (d := _named_doc(m.group(), titles))]
    for run in _residue(text, english, taken):
        doc = _named_doc(run.written, titles)
        if doc is None:
            residue.append(run)
        elif doc not in docs:
            docs.append(doc)
    again = not english and _ZH_AGAIN.search(text)
    return Frame(text, lang, slots, bool(m_lead or m_tail or again), body, residue, core, docs)


def _replace(base: Frame, new: dict[str, list[Span]]) -> str:
    """``base.text`` with the slots in ``new`` replaced (the first span of a
    slot rewritten, its other spans removed) or, when ``base`` lacks the
    slot, added (Chinese: in front; English: at the end)."""
    edits: list[tuple[int, int, str]] = []
    added: list[str] = []
    for slot in (SUBJECT, YEAR, MEASURE):
        if not new.get(slot):
            continue
        value = " ".join(s.render(base.lang) for s in new[slot])
        old = base.slots[slot] or (_bare_subject(base) if slot == SUBJECT else [])
        if not old:
            added.append(value)
            continue
        first = old[0]
        if slot == YEAR and first.years and len(new[slot]) == 1 and new[slot][0].years:
            western = any(int(d) >= 1000 for d in re.findall(r"\d+", first.written))
            value = _YEAR_DIGITS.sub(_years_text(new[slot][0].years, western), first.written, count=1)
        edits.append((first.start, first.end, value))
        edits += [(s.start, s.end, "") for s in old[1:]]
    text = base.text
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + (value or " ") + text[end:]
    return _with(re.sub(r" {2,}", " ", text).strip(), added, base.lang)


def _bare_subject(frame: Frame) -> list[Span]:
    """The first leftover words of a question asking for a figure (「AI
    人才衝刺」 in 「AI 人才衝刺在 108 年度的既有預算是多少？」): its subject
    when it has no component label; ``[]`` for a question with its own body."""
    return [] if frame.body else frame.residue[:1]


def _with(text: str, added: list[str], lang: str) -> str:
    """``text`` with slot values added (Chinese: in front; English: after)."""
    if not added:
        return text
    if lang == "en":
        return f"{text.rstrip('?？ ')} ({', '.join(added)})?"
    return f"{' '.join(added)} {text}"


def _summary(slots: dict[str, list[Span]], lang: str) -> str:
    """The slot values, year first: 「109 年度 分項二 經費」."""
    parts = []
    for slot in (YEAR, SUBJECT, MEASURE):
        for s in slots.get(slot, []):
            if s.years and lang == "en":
                parts.append(f"{s.en} (ROC {_years_text(s.years, western=False)})")
            else:
                parts.append(s.zh if slot == SUBJECT else s.render(lang))
    return " ".join(parts)


def _line(lang: str, words: str, title: str) -> str:
    """「理解為：words（title）」 or "Understood as: words — title"."""
    if lang == "en":
        return f"Understood as: {words}" + (f" — {title}" if title else "")
    return f"{'理解为' if lang == 'zh-CN' else '理解為'}：{words}" + (f"（{title}）" if title else "")


def is_followup(frame: Frame) -> bool:
    """A follow-up: it has a cue and names something or asks something, or
    it names only a year and/or a subject (no measure, no other words)."""
    named = any(frame.slots.values()) or bool(frame.residue or frame.docs)
    if frame.cue:
        return named or frame.body
    return (not frame.body and not frame.slots[MEASURE] and not frame.residue
            and bool(frame.slots[YEAR] or frame.slots[SUBJECT]))


def resolve(question: str, history: Sequence, titles: Mapping[str, str] | None = None) -> Understood | None:
    """The complete question a follow-up asks, or ``None`` when
    ``question`` is not a follow-up (or there is no history).

    Args:
        question: the new question (Traditional/Simplified Chinese, English).
        history: the earlier turns, oldest first: :class:`Turn` objects or
            :class:`~assistant.answer.Answer` objects; the last one is the
            previous turn (it already holds what came before it).
        titles: doc_id → title of the indexed plans, to tell when the
            follow-up names another plan (and to name the plan in the line).

    Returns:
        :class:`Understood`: the resolved question, the line saying what was
        understood (in the follow-up's language) and the documents to search.

    Examples:
        >>> prev = [Turn("AI 人才衝刺在 108 年度的既有預算是多少？")]
        >>> resolve("那 AI 領航推動呢？", prev).question
        'AI 領航推動在 108 年度的既有預算是多少?'
        >>> resolve("What about sub-project 2?", [Turn("分項一 108 年度經費是多少？")]).text
        'Understood as: 2019 (ROC 108) 分項二 budget'
        >>> resolve("分項二 109 年度經費是多少？", prev) is None    # complete on its own
        True
    """
    if not history:
        return None
    titles = titles or {}
    prev = Turn.of(history[-1])
    f = parse(question, titles)
    if not is_followup(f):
        return None
    p = parse(prev.question, titles)
    doc_ids = f.docs[:1] or list(prev.doc_ids)
    title = titles.get(doc_ids[0], "") if len(doc_ids) == 1 else ""
    new = {slot: list(spans) for slot, spans in f.slots.items() if spans}
    if not f.body:
        named = [r for r in f.residue if not _TOTAL_RESIDUE.fullmatch(r.written)]
        if named and SUBJECT not in new:
            new[SUBJECT] = named[:1]
        text = _replace(p, new)
        merged = {slot: new.get(slot) or p.slots[slot] or (_bare_subject(p) if slot == SUBJECT else [])
                  for slot in (YEAR, SUBJECT, MEASURE)}
        return Understood(text, _line(f.lang, text if p.body else _summary(merged, f.lang), title), doc_ids)
    qtype = question_type(f.text)
    carried = {SUBJECT: p.slots[SUBJECT] if not f.slots[SUBJECT] else [],
               YEAR: p.slots[YEAR] if not f.slots[YEAR] and qtype in _FIGURE_TYPES else [],
               MEASURE: p.slots[MEASURE] if not f.slots[MEASURE] and qtype in (QuestionType.OTHER, question_type(p.text))
               else []}
    added = [s.render(f.lang) for slot in (SUBJECT, YEAR, MEASURE) for s in carried[slot]]
    text = _with(f.core or f.text, added, f.lang)
    return Understood(text, _line(f.lang, text, title), doc_ids)


__all__ = ["Frame", "Span", "Turn", "Understood", "is_followup", "parse", "resolve"]

"""Query analysis: script and language normalisation, years, units and the
question type.

The language steps (Simplified → Traditional, English → the plans' Chinese
terms) are :mod:`assistant.language`'s; this module adds the question type
and every year in both calendars (108 年 ↔ 2019).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from .figures.quantities import extract_quantities, western_years
from .language import english_terms, guess_lang, roc_to_western, to_traditional, western_to_roc
from .lexicon import Lexicon


class QuestionType(str, Enum):
    """What kind of answer a question asks for."""

    AMOUNT = "amount"            # money: 經費, 預算, 補助多少
    TARGET = "target"            # counts and targets: KPI, 目標值, 培育多少人
    ELIGIBILITY = "eligibility"  # who may apply, conditions
    PERIOD = "period"            # dates, durations, 期程
    AGENCY = "agency"            # responsible / implementing agency
    LIST = "list"                # 有哪些 …
    OTHER = "other"


# Cue words per type, checked in this order (first match wins); both the
# Traditional query and its English glossary expansion are searched.
_TYPE_CUES: tuple[tuple[QuestionType, re.Pattern[str]], ...] = (
    (QuestionType.ELIGIBILITY, re.compile(r"資格|誰可以|可以申請|申請對象|對象|條件|限制|需具備|須具備|能否|可否|是否可以|可不可以|eligib|who (can|may)|qualif|require")),
    (QuestionType.AGENCY, re.compile(r"哪個機關|哪一個機關|主管機關|執行機關|主辦|負責|承辦|哪個單位|哪些單位|which agency|ministry|responsible|who (runs|implements|manages)")),
    (QuestionType.PERIOD, re.compile(r"多久|何時|什麼時候|幾年|年限|多長|起訖|截止|how long|how much time|when|duration|timeline|until")),
    # a count asked in so many words (「補助多少家」 counts firms, not money)
    (QuestionType.TARGET, re.compile(r"多少人|幾人|幾名|多少名|幾位|多少位|幾家|多少家|幾組|幾案|幾項|幾個|多少個|"
                                     r"how many|number of")),
    # money words: the budget's, and what a person is paid (費 but not 免費)
    (QuestionType.AMOUNT, re.compile(r"經費|預算|金額|多少錢|補助|(?<!免)費|元|薪|獎金|津貼|獎助|budget|fund|cost|"
                                     r"how much|money|subsid|grant|salary|wage|allowance|stipend|prize|fee\b|\bpaid\b")),
    (QuestionType.TARGET, re.compile(r"kpi|績效|指標|目標|多少人|幾人|幾名|多少名|幾位|多少位|幾家|多少家|幾組|幾案|幾項|人次|家次|幾個|多少個|達成|培育多少|培訓多少|比例|普及率|%|target|goal|how many|number of|indicator|rate")),
    # a period word that may only frame the question (「培訓期間…每月多少？」)
    (QuestionType.PERIOD, re.compile(r"期程|期間|period")),
    (QuestionType.LIST, re.compile(r"有哪些|哪些|列出|包括什麼|包含哪|what are|list|which")),
)
_YEAR_RE = re.compile(r"(?:民國|中華民國)?\s*(\d{2,4})\s*(?:年度|年)")


@dataclass
class QueryAnalysis:
    """The analysed question.

    Attributes:
        question: the question as asked.
        text: the matching form — NFKC-folded, Simplified converted to
            Traditional, English glossary terms appended.
        lang: ``"zh-TW"``, ``"zh-CN"`` or ``"en"`` (a guess from the script).
        qtype: the :class:`QuestionType`.
        years_western: years mentioned, as Western years (108 年 → 2019).
        years_roc: the same years as ROC years (2019 → 108).
        money_units: money units named in the question (元/千元/萬元/億元).
        encoded_as: the text whose embedding stands for the question in the
            vector ranking and the selector's similarity, when not its own
            :attr:`search_text` (one part of a question that asks several
            things is read through the whole question's embedding:
            :attr:`vector_text`).
    """

    question: str
    text: str
    lang: str
    qtype: QuestionType
    years_western: list[int] = field(default_factory=list)
    years_roc: list[int] = field(default_factory=list)
    money_units: list[str] = field(default_factory=list)
    encoded_as: str | None = None

    @property
    def year_terms(self) -> list[str]:
        """Both calendars' forms of every year, as they appear in the plans
        (``"108"``, ``"2019"``)."""
        return [str(y) for y in self.years_roc] + [str(y) for y in self.years_western]

    @property
    def search_text(self) -> str:
        """The matching text with every year added in the other calendar."""
        return " ".join([self.text, *self.year_terms])

    @property
    def vector_text(self) -> str:
        """The text encoded for the vector ranking and the similarity:
        :attr:`encoded_as` when set, else :attr:`search_text`."""
        return self.encoded_as or self.search_text


def question_type(text: str) -> QuestionType:
    """The :class:`QuestionType` of a (Traditional or English) question."""
    low = text.lower()
    for qtype, cue in _TYPE_CUES:
        if cue.search(low):
            return qtype
    return QuestionType.OTHER


def analyze(question: str, *, lexicon: Lexicon | None = None) -> QueryAnalysis:
    """Analyse a question in Traditional or Simplified Chinese or English.

    An English question's matching text is followed by the plans' Chinese
    terms for its words: the glossary's (:func:`english_terms`) and the
    learned ``lexicon``'s (default the shipped :class:`~assistant.lexicon.Lexicon`;
    ``Lexicon({})`` for none).

    Example:
        >>> q = analyze("分项二 2020 年经费是多少？")
        >>> q.text, q.qtype.value, q.years_roc
        ('分項二 2020 年經費是多少?', 'amount', [109])
    """
    folded = unicodedata.normalize("NFKC", question).strip()
    lang = guess_lang(folded)
    text = to_traditional(folded) if lang == "zh-CN" else folded
    qtype = question_type(text)
    if lang == "en":
        lexicon = Lexicon.load() if lexicon is None else lexicon
        text = f"{text} {' '.join(english_terms(text) + lexicon.terms(text))}"
    western = western_years(folded, english=lang == "en")
    roc = [western_to_roc(y) for y in western if y > 1911]
    money = [q.unit for q in extract_quantities(folded) if q.kind == "money"]
    return QueryAnalysis(question, text, lang, qtype, western, roc, money)


__all__ = ["QueryAnalysis", "QuestionType", "analyze", "to_traditional", "guess_lang", "english_terms",
           "question_type", "roc_to_western"]

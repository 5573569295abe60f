"""Read a claim about a plan figure into its parts.

「分項二 108 年度經費 350,000 千元」 becomes: the figure (money, 3.5e8 元),
the year (108 = 2019), the labels (分項 2) and the subject words the figure is
about.  A claim may state several figures (「每年培訓 330 名…全期程培訓
1,000 名」); each gets its own year, labels and nearby words
(:class:`ClaimFigure`), and labels written before the first figure apply to
all of them.

Simplified Chinese is converted to Traditional for matching
(:func:`assistant.language.to_traditional`); English claims are matched through
the plans' Chinese terms (:func:`assistant.language.english_terms`, glossary
``assistant/data/glossary.tsv``) plus a few English label words
(:data:`EN_LABELS`).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .sentences import MAX_PLAN_YEARS, Figure, YearSpan, figures_in
from .labels import (_SPACED, ANNUAL, AVERAGE, COMPONENT_GROUPS, FINER_THAN, IMPLIED_DOOR, TOTAL, Group, find_labels,
                     years_counted)
from ..dictionary import chinese_words
from ..language import ROC_OFFSET, english_components, english_terms, glossary_matches, guess_lang, to_traditional, to_traditional_chars
from .quantities import COUNT_CLASSIFIERS, Quantity, english_spans, extract_quantities, western_years


# English label words -> the plans' label (group, value).  "per year" and
# "whole period" are the period words of English memos; the rest name the
# budget forms' columns (see assistant.figures.labels).
EN_LABELS: tuple[tuple[re.Pattern[str], Group, str], ...] = (
    (re.compile(r"\b(?:per|each|every|a) year\b|\bannual(?:ly)?\b|\byearly\b|\beach of (?=(?:FY|ROC )?\d)", re.I),
     Group.PERIOD, ANNUAL),
    (re.compile(r"\b(?:whole|entire|full) (?:period|programme|program|plan|term)\b|\b(?:two|three|four|five|six|\d)-year\b"
                r"|\bover (?:the )?(?:two|three|four|five|six|\d) years\b|\bin total\b"
                r"|\btotal\b|\bcumulative(?:ly)?\b|\boverall\b", re.I), Group.PERIOD, TOTAL),
    (re.compile(r"\bnew(?:ly added)? (?:budget|funding|money)\b", re.I), Group.KIND, "新增"),
    (re.compile(r"\bexisting (?:budget|funding|money)\b", re.I), Group.KIND, "既有"),
    # "approved" names the 核定數 of an amount ("the approved budget", "was
    # approved NT$275 million"), not of what else is approved ("approved
    # courses", "approved by the Executive Yuan")
    (re.compile(r"\bapproved\s+(?:[(（][^()（）]{0,12}[)）]\s*)?(?:(?:\w+\s+){0,2}?(?:budgets?|funding|funds|amounts?|allocations?|expenditures?"
                r"|grants?|totals?|figures?|versions?)\b|(?:at\s+|for\s+)?NT\$)"
                r"|\b(?:budgets?|funding|funds|amounts?|allocations?|grants?)\s+(?:was\s+|were\s+)?approved\b",
                re.I), Group.STAGE, "核定"),
    (re.compile(r"\b(?:requested|submitted)\b", re.I), Group.STAGE, "送審"),
    (re.compile(r"\bpersonnel\b", re.I), Group.COST, "人事費"),
    (re.compile(r"\bmaterials?\b", re.I), Group.COST, "材料費"),
    (re.compile(r"\bcapital\b", re.I), Group.DOOR, "資本"),
    (re.compile(r"\b(?:recurrent|current|operating)\b", re.I), Group.DOOR, "經常"),
)
# Characters that carry no subject meaning; bigrams containing them are
# dropped (function words of claims: 的/為/是/之/於/及/與/和/或/在/將/其/達/約).
_STOP_CHARS = set("的為是之於及與和或在將其達約了")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+\-]*")
# Latin words that say nothing about the subject.
_EN_STOP = {"the", "a", "an", "of", "to", "is", "are", "for", "in", "on", "at", "by", "and", "or", "its", "it",
            "plan", "plans", "aims", "aim", "through", "over", "whole", "period", "total", "budget", "year",
            "years", "per", "each", "at", "least", "is", "be", "will", "with", "from", "that", "this", "s",
            "programme", "program", "nt", "ntd", "twd", "usd", "thousand", "million", "billion", "roc"}


# Units and currencies are not subject words.
_UNIT_WORDS = {"千元", "萬元", "億元", "元", "新臺幣", "新台幣", "臺幣", "台幣"}


# Variant characters the plans write either way (「臺灣」 and 「台灣」, 「平台」
# next to 「平臺」 from Simplified input), and those character-level
# Simplified → Traditional conversion yields where Taiwan writes the other
# (爲 for 為, 裏 for 裡): matched as one.
_VARIANTS = str.maketrans({"臺": "台", "爲": "為", "裏": "裡"})


def terms_of(text: str) -> list[str]:
    """The matching terms of a text: CJK character bigrams (single characters
    for one-character runs; letter-spaced 「核 定 經 費」 read as 核定經費) without function-word characters, and lower-cased
    Latin words of two or more letters (``ai``, ``ipas``).  Variant
    characters are read as one (:data:`_VARIANTS`: 「平臺」 = 「平台」)."""
    out: list[str] = []
    for run in _CJK.findall(_SPACED.sub("", text.translate(_VARIANTS))):
        if len(run) == 1:
            if run not in _STOP_CHARS:
                out.append(run)
            continue
        for i in range(len(run) - 1):
            bg = run[i:i + 2]
            if not (set(bg) & _STOP_CHARS):
                out.append(bg)
    for w in _LATIN.findall(text):
        lw = w.lower()
        if len(lw) >= 2 and lw not in _EN_STOP:
            out.append(lw)
    return list(dict.fromkeys(out))


@dataclass
class ClaimFigure:
    """One figure of a claim.

    Attributes:
        figure: the :class:`~assistant.figures.Figure` (``figure.quantity``
            is the stated value; money in 元).
        years: the year it is claimed for (its own, else the claim's single
            year), or None.
        labels: group -> value (its own labels over the claim-wide ones).
        local_terms: terms of the words right around it (Chinese claims;
            empty for English).
        own_words: the words that are this figure's alone, each with the
            plans' terms that may write it (alternatives): for a Chinese
            claim each local term stands for itself; for an English claim
            each content word of its own clause part
            (:func:`english_own_words`) maps to its glossary and CC-CEDICT
            words (:func:`assistant.dictionary.chinese_words`). Read by the
            swap check (:func:`assistant.figures.verify.unswapped`).
        inherited_year: ``years`` is the claim's single year, not one named
            with the figure (「114 年 1.4 億元，之後每年 2 億元」: the 2 億元
            takes 114 from the other figure).
    """

    figure: Figure
    years: YearSpan | None
    labels: dict
    local_terms: list[str]
    own_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    inherited_year: bool = False

    @property
    def quantity(self):
        return self.figure.quantity


# Label groups that describe a budget figure (經常/資本門, a cost class, a
# stage such as 核定數, 既有/新增): a date carries none of them.
_BUDGET_GROUPS = (Group.DOOR, Group.COST, Group.STAGE, Group.KIND)


@dataclass
class Claim:
    """A parsed claim.

    Attributes:
        text: the claim as given.
        norm: the matching form (NFKC, Traditional Chinese; for English the
            glossary's Chinese terms appended).
        lang: ``"zh-TW"``, ``"zh-CN"`` or ``"en"``.
        figures: the figures, in order (empty when the claim states none).
        years: every year the claim names (Western spans).
        labels: claim-wide labels (group -> value).
        terms: the subject terms of the whole claim (figures and years
            removed), see :func:`terms_of`.
        subject: the claim text with its figures and years blanked out.
        term_groups: alternatives that count as one subject word: for an
            English claim the Chinese terms of each glossary entry it
            matches (「budget」 -> 經費 | 預算 | 千元), its 分項 number and its
            Latin words; for a Chinese claim one group per term.
        dictionary_groups: for an English claim, one group per content word
            no glossary entry covers: its CC-CEDICT words
            (:func:`english_dictionary_groups`); scored only where a
            candidate chunk holds one of them.
        label_terms: group -> the terms of the words that name the claim's
            label of that group (「細部計畫二」 -> 細部, 部計, 計畫, 畫二): a
            fact with the same label matches them whatever its wording.
        category_error: ``(cost, door)`` when the claim puts a cost category
            under the other cost class (「人事費 … 編列於資本支出」), else None.
    """

    text: str
    norm: str
    lang: str
    figures: list[ClaimFigure] = field(default_factory=list)
    years: list[YearSpan] = field(default_factory=list)
    labels: dict = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    subject: str = ""
    category_error: tuple[str, str] | None = None
    term_groups: list[tuple[str, ...]] = field(default_factory=list)
    label_terms: dict = field(default_factory=dict)
    dictionary_groups: list[tuple[str, ...]] = field(default_factory=list)


def _blank_quantities(text: str) -> str:
    """``text`` with every quantity and 年/年度 blanked (same length)."""
    for qq in sorted(extract_quantities(text), key=lambda x: -x.start):
        text = text[:qq.start] + " " * (qq.end - qq.start) + text[qq.end:]
    return re.sub(r"年度|年", "  ", text)


def english_term_groups(text: str) -> list[tuple[str, ...]]:
    """Subject word groups of an English claim (see :attr:`Claim.term_groups`):
    glossary entries, merged per English word."""
    groups: list[tuple[str, ...]] = [(t,) for t in english_terms(text) if re.fullmatch(r"分項[一二三四五六七八九]", t)]
    for terms in dict((i, zh) for i, _, _, zh in glossary_matches(text)).values():  # each matching entry once
        kept = tuple(t for t in terms if len(t) > 1 and not t.isdigit() and t not in _UNIT_WORDS)
        if kept:
            # an entry sharing a term with an earlier one widens it
            for i, g in enumerate(groups):
                if set(g) & set(kept):
                    groups[i] = tuple(dict.fromkeys(g + kept))
                    break
            else:
                groups.append(kept)
    for w in _LATIN.findall(text):
        if (w.isupper() and len(w) >= 2 or re.fullmatch(r"[a-z]+[A-Z]+[A-Za-z]*", w)) \
                and w.lower() not in _EN_STOP:
            groups.append((w.lower(),))
    # the plan's own words quoted in the claim (「the contest (AI+新銳選拔賽)」)
    quoted = " ".join(_CJK.findall(to_traditional(text)))
    groups.extend((t,) for t in terms_of(quoted) if len(t) > 1)
    return list(dict.fromkeys(groups))


def english_dictionary_groups(text: str) -> list[tuple[str, ...]]:
    """Subject word groups of an English claim beyond the glossary (see
    :attr:`Claim.dictionary_groups`): for each content word (hyphenated
    words by part, not a stop word, 3+ letters) that no glossary entry
    matches, its CC-CEDICT words (:func:`assistant.dictionary.chinese_words`)
    -- "bronze" → 銅牌 | 青銅 | …, "nationals" → 國民 | …"""
    covered = [(a, b) for _, a, b, _ in glossary_matches(text)]
    return list(dict.fromkeys(_dictionary_words(_EN_WORD.finditer(text), covered).values()))


def _dictionary_words(words: Iterable[re.Match], covered: list[tuple[int, int]]) -> dict[str, tuple[str, ...]]:
    """Content word → its CC-CEDICT words, for the English ``words`` that no
    ``covered`` span (a glossary match) holds: hyphenated words by part,
    stop words and words under 3 letters left out, as are words without
    Chinese words."""
    out: dict[str, tuple[str, ...]] = {}
    for m in words:
        if any(a <= m.start() < b for a, b in covered):
            continue
        for w in m.group(0).lower().replace("'s", "").split("-"):
            if len(w) > 2 and w not in _EN_STOP and w not in out:
                out[w] = chinese_words(w)
    return {w: alts for w, alts in out.items() if alts}


def _with_cjk_classifier(f: Figure, text: str) -> Figure:
    """An English claim's bare number with a Chinese classifier written in
    parentheses within a few words after it (「1,000 AI application talents
    (人次)」) is a count of that classifier."""
    q = f.quantity
    if q.kind != "number" or q.unit:
        return f
    m = re.match(r"[^()（）.;]{0,40}?[(（]\s*(" + "|".join(COUNT_CLASSIFIERS) + r")\s*[)）]", text[q.end:])
    if not m:
        return f
    return replace(f, quantity=replace(q, kind="count", unit=m.group(1), classifier=m.group(1)))


# What may stand between an English count and a bare number that counts
# the same thing: a rate or period and a joining word ("330 trainees a year
# and 1,200 over the whole programme", "5 people per year, 20 in total").
_SAME_COUNT_GAP = re.compile(r"[^\d()（）;.]{0,30}?(?:\band\b|\bor\b|,|，)\s*(?:(?:a|an|the|then|only|just|up to|at least|about|some)\s+)?$",
                             re.IGNORECASE)


# What follows such a bare number: no noun of its own.
_NO_NOUN_AFTER = re.compile(r"\s*(?:$|[,.;:)]|(?:over|in|for|by|a|an|per|each|every|during|across|from|to|through|until|"
                            r"altogether|combined|overall|total)\b)", re.IGNORECASE)


def _with_previous_classifier(figs: list[Figure], text: str) -> list[Figure]:
    """An English claim's bare number right after a count, joined to it by
    "and", "or" or a comma, counts what that count counts: "330 PhD-level
    trainees a year and 1,200 over the whole programme" is 1,200 trainees
    (人), so the plan's 1,000 名 may contradict it."""
    out = list(figs)
    for k in range(1, len(out)):
        prev, q = out[k - 1].quantity, out[k].quantity
        if q.kind != "number" or q.unit or q.upper is not None or prev.kind != "count" or not prev.classifier:
            continue
        if not _SAME_COUNT_GAP.match(text[prev.end:q.start]) or not _NO_NOUN_AFTER.match(text, q.end):
            continue  # (「64 shortlisted AI ideas」 counts ideas, not the teams before it)
        out[k] = replace(out[k], quantity=replace(q, kind="count", unit=prev.unit, classifier=prev.classifier))
    return out


_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"


def _is_day_of_month(text: str, q: Quantity) -> bool:
    """A bare number written as the day of an English date
    (「14 December 2017」, 「December 14, 2017」)."""
    if q.kind != "number" or q.unit or not 1 <= q.value <= 31:
        return False
    return bool(re.match(rf"\s*{_MONTHS}\b", text[q.end:]) or re.search(rf"\b{_MONTHS}\s*$", text[:q.start]))


# English words a number after which names a part, not a figure
# (「detailed plan 3」, 「Sub-item 3.2」, 「pillar 2」, 「Table 8」).
_EN_ID_WORDS = re.compile(r"\b(?:plan|sub-?items?|items?|sub-?projects?|projects?|components?|pillars?|phases?|"
                          r"tables?|figures?|annex|appendix|strategy|goal|objective|no\.?|number|round|session|"
                          r"cohort|batch|stage|part|chapter|section|kpi)\s*$", re.I)


def _is_identifier(text: str, q: Quantity) -> bool:
    """A bare number that names a part of the plan in an English claim."""
    return q.kind == "number" and not q.unit and bool(_EN_ID_WORDS.search(text[:q.start]))


# Where an English claim's clauses part: each figure's period words and
# years are read from its own clause (「NT$1.13 billion over four years,
# including NT$230 million in 2025」).
# "and" or a comma between two years ("across 2019 and 2020", "across 2023,
# 2024 and 2025") joins them, not clauses; "but" parts them ("requested
# NT$280 million … but was approved NT$275 million": each stage its figure's)
_EN_CLAUSE = re.compile(r"[;:]|,(?!\s*(?:(?:in|FY|ROC)\s*)?(?:19|20)\d\d\b)|\b(?:including|of which|with|while|whereas|but)\b"
                        r"|\band\b(?!\s+(?:(?:in|FY|ROC)\s*)?(?:19|20)\d\d\b)", re.I)


def _clause_of(text: str, start: int, end: int) -> str:
    """The clause of ``text`` around ``[start, end)`` (:data:`_EN_CLAUSE`)."""
    lo = max((m.end() for m in _EN_CLAUSE.finditer(text, 0, start)), default=0)
    m = _EN_CLAUSE.search(text, end)
    return text[lo:m.start() if m else len(text)]


# Words either side of an English figure that may be its own (before it:
# "Winning teams have 20%"; after it: "two teams won bronze").
OWN_WORDS_SPAN = 4
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def english_own_words(text: str, figs: list[Figure], k: int) -> dict[str, tuple[str, ...]]:
    """The own words of the ``k``-th figure of an English claim ``text``:
    the content words of its clause (:data:`_EN_CLAUSE`) cut at the
    neighbouring figures, at most :data:`OWN_WORDS_SPAN` either side of it,
    each with the plans' terms that may write it --
    the terms of the glossary entries matching there, and the word's
    CC-CEDICT words (:func:`assistant.dictionary.chinese_words`).

    "two teams won bronze and three teams won silver": the first figure's
    words are ``teams``, ``won``, ``bronze`` (bronze → 銅牌 …), the second's
    ``teams``, ``won``, ``silver``. Returns word → alternatives (Traditional
    Chinese), words with none left out."""
    f = figs[k]
    lo = max((m.end() for m in _EN_CLAUSE.finditer(text, 0, f.start)), default=0)
    lo = max(lo, figs[k - 1].end if k else 0)
    m = _EN_CLAUSE.search(text, f.end)
    hi = min(m.start() if m else len(text), figs[k + 1].start if k + 1 < len(figs) else len(text))
    before = list(_EN_WORD.finditer(text, lo, f.start))[-OWN_WORDS_SPAN:]
    after = list(_EN_WORD.finditer(text, f.end, hi))[:OWN_WORDS_SPAN]
    out: dict[str, tuple[str, ...]] = {}
    for side in (before, after):
        if not side:
            continue
        s0, s1 = side[0].start(), side[-1].end()
        covered: list[tuple[int, int]] = []
        entries: set[int] = set()
        for i, a, b, terms in glossary_matches(text):
            matched = text[a:b].lower()
            if s0 <= a and b <= s1 and i not in entries and not set(matched.split()) <= _EN_STOP:
                entries.add(i)  # an entry's first match in the part
                out[matched] = tuple(t for t in terms if len(t) > 1 and not t.isdigit())
                covered.append((a, b))
        out.update((w, alts) for w, alts in _dictionary_words(side, covered).items() if w not in out)
    return {w: alts for w, alts in out.items() if alts}


# Both budget kinds named (「既有及新增預算合計」, "existing and new
# funding"): the figure is their sum, of neither kind.
_BOTH_KINDS = re.compile(r"既有.{0,6}新增|新增.{0,6}既有|\bexisting\b.{0,20}\bnew\b|\bnew\b.{0,20}\bexisting\b", re.I)


# A cost class the claim says there is none of ("and has no capital
# expenditure"): it labels no figure (as 「…，無資本支出」 in Chinese).
_EN_NONE_OF = re.compile(r"\b(?:no|without|zero|nil)\s+(?:\w+\s+){0,2}?(?:expenditures?|spending|costs?|budget)\b", re.I)
# The same in Chinese: a label right after a negation (「全數為新增預算，四年合計
# 8.90 億元，無既有預算」) names what the claim says there is none of.
_ZH_NONE_OF = re.compile(r"(?:無|沒有|並無|未有|不含|未含|不包括|不包含)\s*$")


def _affirmed_labels(text: str) -> list:
    """The labels of ``text`` (:func:`find_labels`) but those right after a
    negation (:data:`_ZH_NONE_OF`): 「無既有預算」 labels no figure."""
    return [lb for lb in find_labels(text) if not _ZH_NONE_OF.search(text[max(0, lb.start - 4):lb.start])]


# Words naming an amount of money in a claim.
_MONEY_WORDS = re.compile(r"經費|预算|預算|金額|元|budget|funding|NT\$|expenditure", re.IGNORECASE)


def _zero_amounts(figs: list, text: str) -> list:
    """``figs`` with a bare zero read as 0 元 when the claim is about money
    (「資本門經費每年都是 0」): nothing is the same in every unit, and the
    plans print it as 「0.000」 in an 億元 table."""
    if not _MONEY_WORDS.search(text):
        return figs
    out = []
    for f in figs:
        q = f.quantity
        if q.kind == "number" and not q.unit and q.value == 0 and q.upper is None:
            f = replace(f, quantity=replace(q, kind="money", unit="元"))
        out.append(f)
    return out


def _without_unit_counts(figs: list) -> list:
    """``figs`` without a count of one spelled out (「一題」, "one problem")
    when the claim states an amount: it names what the amount is per
    (「每隊全程一題最高獎金可達 2,000 萬元」, "NT$200,000 for one problem"),
    it is no figure of its own."""
    if not any(f.quantity.kind == "money" for f in figs):
        return figs
    return [f for f in figs if not (f.quantity.kind == "count" and f.quantity.value == 1
                                    and not any(ch.isdigit() for ch in f.quantity.text))]


def _english_labels(text: str) -> dict[Group, str]:
    text = _EN_NONE_OF.sub(" ", text)
    out: dict[Group, str] = {}
    for pat, group, value in EN_LABELS:
        if pat.search(text):
            out.setdefault(group, value)
    return out


# 「108 與 109 年」, 「107、108、109 年」, 「108 年與 109 年」, 「112、113 兩年」:
# years listed before the last one (group 1; the last is group 2).
_ZH_YEAR_LIST = re.compile(r"(?<![\d.])(?<!\d,)(\d{2,4})\s*(?:年度|年)?\s*(?:、|與|与|和|及|跟|,|，)\s*"
                           r"(?=(?:\d{2,4}\s*(?:年度|年)?\s*(?:、|與|与|和|及|跟|,|，)\s*)*(\d{2,4})\s*(?:[兩两二三四五六]\s*)?年)")
# Chinese words saying a figure sums what the claim lists.
_ZH_SUM = re.compile(r"合計|合计|總計|总计|加總|加起來|總共|一共|共計|共")
# Chinese words saying a figure is each listed year's: 各, 每年, and 均/皆
# (「均為」: all equal, not 平均, an average), which hold even after a 合計 of
# the year's parts (「108、109 年度各額度經費合計均為 740,000 千元」).
_ZH_EACH = re.compile(r"各|每年")
_ZH_ALL_EQUAL = re.compile(r"(?<!平)均|皆|都是|都為|都为")


def _each_after_sum(text: str) -> bool:
    """True when ``text`` says 各 / 每年 with no sum word after it: 「各
    2.75 億元」, 「兩分項合計經費各為 7.4 億元」 (each year's sum of the
    parts), not 「各…合計」 (the years summed)."""
    each = [m.start() for m in _ZH_EACH.finditer(text)]
    sums = [m.start() for m in _ZH_SUM.finditer(text)]
    return bool(each) and (not sums or each[-1] > sums[-1])


def _with_listed_years(text: str, figs: list) -> list:
    """``figs`` without the bare numbers that are listed years (「108」 in
    「108 與 109 年」, both in 「112、113 兩年」), each figure after a list of
    consecutive years dated by it: with their span when 合計 (:data:`_ZH_SUM`)
    sums it (「108 與 109 年經費合計 148,000 萬元」), labelled 每年 over the
    span after 各 or 每年 with no other figure between (「112、113 年各 2.75
    億元」), or after 均 / 皆 (:data:`_ZH_EACH`, :data:`_ZH_ALL_EQUAL`);
    a lone figure is summed over the list wherever the claim says 合計."""
    found = list(_ZH_YEAR_LIST.finditer(text))
    if not found:
        return figs
    starts = {m.start(1) for m in found} | {m.start(2) for m in found}
    out = [f for f in figs if not (f.quantity.kind == "number" and f.quantity.start in starts)]
    # each list: the matches that share its last year -> its years
    lists: dict[int, list[int]] = {}
    for m in found:
        lists.setdefault(m.end(2), [int(m.group(2))]).append(int(m.group(1)))
    dated = []
    for f in out:
        ends = [e for e in lists if e <= f.quantity.start]
        end = max(ends) if ends else None
        if end is None and len(out) == 1:
            end = min(lists)  # a lone figure before its list (「經費 148,000 萬元，為 108 與 109 年合計」)
        years = sorted({y + ROC_OFFSET if y < 1000 else y for y in lists[end]}) if end is not None else []
        if not years or years != list(range(years[0], years[-1] + 1)):
            dated.append(f)
            continue
        # the figures the list dates (by its last year, or not at all): with
        # several figures, one dated otherwise (「其中 112 年 2,400 人次」, 「分別為
        # 2.80、3.10、3.00 億元」) or a whole-period total (「四年合計」) keeps its own
        last, span = YearSpan(years[-1], years[-1]), YearSpan(years[0], years[-1])
        gap = text[end:f.quantity.start] if f.quantity.start >= end else ""
        between = [g for g in out if end <= g.quantity.start < f.quantity.start]
        # after another figure, 各 must be its own (「核定經費各為 275,000 千元，
        # 比送審數各 280,000 千元」): the words since that figure
        own = text[between[-1].quantity.end:f.quantity.start] if between else gap
        # a total over as many years as listed is theirs (「2019 年和 2020 年
        # 各 3.5 亿元，两年合计 7 亿元」), a 四年合計 after two years is not
        listed_total = f.labels.get(Group.PERIOD) == TOTAL and years_counted(own)[:1] == [len(years)]
        ok = len(out) == 1 or (f.years in (None, last, span) and f.year_rule in ("", "before")
                               and (f.labels.get(Group.PERIOD) != TOTAL or listed_total))
        if ok and (_each_after_sum(own) or (not between and _ZH_ALL_EQUAL.search(gap))):
            # 「112、113 年各 2.75 億元」: the figure of each of those years (a
            # 合計 before 均 or 各 sums a year's parts, not the years: each
            # year's figure, not a total to keep whole)
            f = replace(f, years=span, year_rule=f.year_rule or "before", labels={**f.labels, Group.PERIOD: ANNUAL},
                        aggregate=f.aggregate and not (_ZH_ALL_EQUAL.search(gap) or _ZH_SUM.search(own)))
        elif ok and (_ZH_SUM.search(gap) or (len(out) == 1 and _ZH_SUM.search(text))):
            f = replace(f, years=span, year_rule=f.year_rule or "before")
        dated.append(f)
    return dated


#: The longest span of years whose every year a claim's 每年 figure is
#: checked on: a plan's period (:data:`~assistant.figures.sentences.MAX_PLAN_YEARS`).
MAX_EACH_YEAR_SPAN = MAX_PLAN_YEARS


def _each_year(cfigs: list["ClaimFigure"]) -> list["ClaimFigure"]:
    """A figure claimed for every year of a span (「115 至 117 年每年 9.5 億元」,
    「112、113 年各 2.75 億元」: labelled 每年 over a span of at most
    :data:`MAX_EACH_YEAR_SPAN` years) becomes one figure per year, each
    year's own -- so the claim is supported only when every year's figure
    is, and a year stating another value contradicts it.  Not when the
    claim has totalled that span before it (「112 至 113 年合計 6,540 人次，即
    每年 3,270 人次」: the 每年 figure is the total's average, see
    :mod:`~assistant.figures.claimmath`); 「各 3.5 億元，兩年合計 7 億元」 is
    each year's figure and their sum."""
    out: list[ClaimFigure] = []
    for k, cf in enumerate(cfigs):
        y = cf.years
        totalled = any(t.years == y and (t.figure.aggregate or t.labels.get(Group.PERIOD) == TOTAL)
                       for t in cfigs[:k])
        if y is None or y.single or cf.labels.get(Group.PERIOD) != ANNUAL or cf.figure.aggregate \
                or y.hi - y.lo + 1 > MAX_EACH_YEAR_SPAN or totalled:
            out.append(cf)
            continue
        own = {g: v for g, v in cf.labels.items() if g != Group.PERIOD}
        out.extend(ClaimFigure(cf.figure, YearSpan(year, year), dict(own), list(cf.local_terms), dict(cf.own_words))
                   for year in range(y.lo, y.hi + 1))
    return out


# "from 12.3% in 2023 to 60%", "from 32.5% (2023) to": the year of a change's
# starting value, which the value it changes to does not share.
_EN_FROM_YEAR = re.compile(r"\bfrom\s+[^,;]{1,30}?\s+(?:in\s+|as of\s+|\(\s*)((?:19|20)\d\d)\)?\s+(?:to|up to|into)\b",
                           re.IGNORECASE)
# The words between an English figure and the component it is for ("NT$390
# million for sub-project 1", "NT$5 million to Sub-project 2").
_EN_FOR_COMPONENT = re.compile(r"\s*[(,]?\s*(?:is |are |goes |go )?(?:for|to|of|under|in|allocated to|earmarked for)"
                               r"\s+(?:the\s+)?$", re.I)


def _english_component_of(text: str, f: Figure, figs: list[Figure], components: list[tuple[int, str]]) -> str:
    """The component (:func:`~assistant.language.english_components` term) an
    English figure belongs to when its claim names several: the one it is
    said to be for right after it ("NT$390 million for sub-project 1"),
    else the one named last before it ("Subproject 2 (AI) gets NT$390
    million"); ``""`` when none is (the whole: "NT$740 million: …")."""
    nxt = min((g.start for g in figs if g.start >= f.end), default=len(text))
    after = [t for at, t in components if f.end <= at < nxt and _EN_FOR_COMPONENT.match(text[f.end:at])]
    if after:
        return after[0]
    before = [t for at, t in components if at < f.start]
    return before[-1] if before else ""


# Words saying an amount is a yearly average ("averages … per year",
# "average annual funding", 「平均每年」「年均」; not an average monthly pay);
# a Chinese one within this many characters before the figure.
_EN_AVERAGE = re.compile(r"\baverag(?:e|es|ed|ing)\b(?=.*\b(?:annual(?:ly)?|yearly|(?:per|a|each) year)\b)"
                         r"|\b(?:annual(?:ly)?|yearly)\b(?=.*\baverag)", re.IGNORECASE)
_ZH_AVERAGE = re.compile(r"平均(?:每|一)年|年均")
_AVERAGE_REACH = 8

# English words saying a figure sums the years the clause names.
_EN_SUM = re.compile(r"\b(?:add(?:s|ed|ing)? up|combined|together|in total|altogether|across|sum(?:s|med)?|total(?:s|led|ling)?)\b",
                     re.IGNORECASE)


def parse_claim(text: str) -> Claim:
    """Parse a claim (Traditional/Simplified Chinese or English).

    Example:
        >>> c = parse_claim("分項二 108 年度經費為 350,000 千元。")
        >>> c.figures[0].quantity.value, str(c.figures[0].years), c.labels[Group.PART]
        (350000000.0, '108 年', '2')

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: ``text`` is empty.
    """
    if not isinstance(text, str):
        raise TypeError(f"claim must be a str, not {type(text).__name__}")
    if not text.strip():
        raise ValueError("claim is empty")
    folded = unicodedata.normalize("NFKC", text).strip()
    lang = guess_lang(folded)
    english = lang == "en"
    years_western = western_years(folded, english=english)
    years_roc = [y - ROC_OFFSET for y in years_western if y > ROC_OFFSET]
    alt_terms: list[str] = []
    if english:
        # the claim followed by the plans' Chinese terms for its English words
        norm = f"{folded} {' '.join(english_terms(_EN_NONE_OF.sub(' ', folded)))}"
        figs = _with_previous_classifier(
            [_with_cjk_classifier(f, folded) for f in figures_in(folded)
             if not (f.quantity.kind == "number" and f.quantity.upper is None
                     and (int(f.quantity.value) in years_western or int(f.quantity.value) in years_roc
                          or _is_day_of_month(folded, f.quantity) or _is_identifier(folded, f.quantity)))], folded)
        extra = norm[len(folded):]
        # each glossary word alone: 「分項」 ("sub-project") and 「三」 ("three
        # cohorts") side by side are no 分項三
        labels = {lb.group: lb.value for word in extra.split() for lb in find_labels(word)}
        labels.update(_english_labels(folded))
        labels.update((lb.group, lb.value) for lb in find_labels(folded) if lb.group is Group.ROUND)
        subject_src = extra
        claim_years = [YearSpan(y, y) for y in years_western]
    else:
        # Only Simplified input is converted: OpenCC's Taiwan phrase table
        # (s2twp) would also rewrite Traditional words (導入 -> 匯入).
        simplified = lang == "zh-CN"
        norm = to_traditional(folded) if simplified else folded
        if simplified:
            alt_terms = terms_of(_blank_quantities(to_traditional_chars(folded)))
        affirmed = _affirmed_labels(norm)
        figs = _with_listed_years(norm, figures_in(norm, labels=affirmed))
        first = figs[0].start if figs else len(norm)
        labels = {lb.group: lb.value for lb in affirmed if lb.end <= first}
        subject_src = norm
        claim_years = sorted({f.years for f in figs if f.years} |
                             {YearSpan(y, y) for y in years_western if not any(f.years for f in figs)},
                             key=lambda s: (s.lo, s.hi))
    figs = _zero_amounts(_without_unit_counts(figs), norm)
    # the subject: the claim without its quantities (figures, years, durations)
    subject = subject_src if lang == "en" else _blank_quantities(subject_src)
    cfigs: list[ClaimFigure] = []
    # a figure without a year of its own takes the claim's only year -- not a
    # year attached to another figure (「由 12.3%(2023 年)提升至 60%」)
    attached = {f.years for f in figs if f.years and f.year_rule == "paren"}
    from_years = [(m.start(), m.end(), int(m.group(1))) for m in _EN_FROM_YEAR.finditer(folded)] if english else []
    attached |= {YearSpan(y, y) for _, _, y in from_years}
    loose = [y for y in claim_years if y not in attached]
    single_year = loose[0] if len(loose) == 1 else None
    components = english_components(folded) if english else []
    for k, f in enumerate(figs):
        lab = dict(labels)
        years = f.years
        inherited = False
        if english:
            # period words and years of its own clause are the figure's own
            # (label words before the first figure apply to all, as in Chinese)
            clause = _clause_of(folded, f.start, f.end)
            if len(figs) > 1:
                for g in _english_labels(folded):
                    lab.pop(g, None)
                lab.update(_english_labels(folded[:figs[0].start]))
            own = _english_labels(clause)
            lab.update(own)
            own_period = own.get(Group.PERIOD)
            if len({t for _, t in components}) > 1:
                # several components: each figure is its own one's
                for g in COMPONENT_GROUPS:
                    lab.pop(g, None)
                named = _english_component_of(folded, f, figs, components)
                if named:
                    lab.update({lb.group: lb.value for lb in find_labels(named)})
            found = sorted(western_years(clause, english=True))
            # "from 12.3% in 2023 to 60%": 2023 is the 12.3%'s, not the 60%'s
            own = [fy for start, end, fy in from_years if start <= f.start < end]
            found = own or [y for y in found if not any(y == fy and f.start >= end for _, end, fy in from_years)]
            years = YearSpan(found[0], found[0]) if len(found) == 1 else None
            summed = found if len(found) > 1 else (sorted(years_western) if not found and len(figs) == 1 else [])
            if len(summed) > 1 and summed == list(range(summed[0], summed[-1] + 1)) \
                    and (_EN_SUM.search(clause) or lab.get(Group.PERIOD) == TOTAL
                         or english_spans(clause) == [(summed[0], summed[-1])]):
                # "2019 and 2020 … add up to / combined", "full term
                # (2021–2025) …", "for 2021 through August 2025": the sum over that span
                years = YearSpan(summed[0], summed[-1])
            elif len(found) > 1 and found == list(range(found[0], found[-1] + 1)) \
                    and lab.get(Group.PERIOD) == ANNUAL:
                # "NT$390 million a year in 2019 and 2020": each of those years'
                years = YearSpan(found[0], found[-1])
            if years is not None and years.lo == years.hi and lab.get(Group.PERIOD) == TOTAL:
                lab.pop(Group.PERIOD)  # "a total of X for 2019": that year's total, as in Chinese
        else:
            own_period = f.labels.get(Group.PERIOD)
            if f.years and f.year_rule != "paren" and lab.get(Group.PERIOD) == TOTAL:
                lab.pop(Group.PERIOD)  # 「四年合計 X，其中 114 年度 Y」: Y is a year's
            lab.update(f.labels)
            for fine, coarse in FINER_THAN.items():
                if coarse in f.labels and fine not in f.labels:
                    lab.pop(fine, None)  # the claim's finer label was another figure's
        if k and years is None and single_year is not None and lab.get(Group.PERIOD) == TOTAL \
                and own_period != TOTAL:
            # 「108 年度計畫總經費 104.77 億元，其中新增預算 30 億元」, "For 2019
            # the plan's total funding is …, of which NT$3.0 billion is new
            # budget": the total named before the first figure is the year's,
            # and so is the figure after it (not the whole period's)
            lab.pop(Group.PERIOD)
        local = f.before + " " + f.after
        local_terms = [] if lang == "en" else terms_of(re.sub(r"年度|年", " ", local))
        # a total (四年合計, over four years, full term) is not the figure of a
        # year the claim names elsewhere (「全程 10 個模型，114 年 3 個」, also
        # when the 3 is a word the parser does not read as a figure)
        is_total = lab.get(Group.PERIOD) == TOTAL or f.aggregate
        if f.quantity.kind == "date":
            years = None  # a date holds its own year: it takes none of the claim's
            # nor its budget labels: "approved on 29 June" names no 核定數
            lab = {g: v for g, v in lab.items() if g not in _BUDGET_GROUPS}
        elif years is None and not is_total:
            years = single_year
            inherited = years is not None
        if f.quantity.kind == "money" and not is_total \
                and (_EN_AVERAGE.search(folded[figs[k - 1].end if k else 0:f.start] + _clause_of(folded, f.start, f.end))
                     if english
                     else _ZH_AVERAGE.search(f.before[-_AVERAGE_REACH:])):
            # "averages about NT$156 million per year", 「平均每年約 2.8 億元」:
            # checked on the yearly average of the plan's whole-period amount
            lab[Group.PERIOD] = AVERAGE
        own_words = english_own_words(folded, figs, k) if english else {t: (t,) for t in local_terms}
        cfigs.append(ClaimFigure(f, years, lab, local_terms, own_words, inherited))
    cfigs = _each_year(cfigs)
    if _BOTH_KINDS.search(norm):
        for cf in cfigs:
            cf.labels.pop(Group.KIND, None)
        labels.pop(Group.KIND, None)
    all_labels = dict(labels)
    for cf in cfigs:
        for g, v in cf.labels.items():
            all_labels.setdefault(g, v)
    # a cost category put under the other cost class -- by one figure's own
    # labels: 「人事費 X、…，無資本支出」 puts no 人事費 under 資本
    error = None
    for cf in cfigs:
        cost, door = cf.labels.get(Group.COST), cf.labels.get(Group.DOOR)
        if cost in IMPLIED_DOOR and door and IMPLIED_DOOR[cost] != door:
            error = (cost, door)
            break
    terms = list(dict.fromkeys([t for t in terms_of(subject) + alt_terms if lang != "en" or len(t) > 1]))
    groups = english_term_groups(folded) if lang == "en" else [(t,) for t in terms]
    label_terms: dict = {}
    if lang != "en":
        for lb in find_labels(norm):
            if all_labels.get(lb.group) == lb.value:
                label_terms.setdefault(lb.group, set()).update(terms_of(norm[lb.start:lb.end]))
    return Claim(text=text, norm=norm, lang=lang, term_groups=groups, label_terms=label_terms, figures=cfigs, years=claim_years, labels=all_labels,
                 terms=terms, subject=" ".join(subject.split()), category_error=error,
                 dictionary_groups=english_dictionary_groups(folded) if lang == "en" else [])


__all__ = ["Claim", "ClaimFigure", "EN_LABELS", "parse_claim", "terms_of"]

"""Which document-level fact a question asks for (the plan's full name, its
agency, period, cover date, review number or total budget), so that the
answer composer can answer it from :meth:`FactStore.document_facts
<assistant.figures.store.FactStore.document_facts>`.

Example:
    >>> doc_fact_slot("本計畫的總經費是多少？")
    <DocSlot.TOTAL_BUDGET: 'total_budget'>
    >>> doc_fact_slot("分項二 108 年度經費是多少？") is None       # a component's, a year's budget
    True
    >>> doc_fact_slot("这个计划由哪个机关负责？")
    <DocSlot.AGENCY: 'agency'>
    >>> doc_fact_slot("What is the full name of the plan?")
    <DocSlot.TITLE: 'title'>

Rules (conservative: ``None`` unless a cue names the slot):

* Simplified Chinese is converted to Traditional first
  (:func:`assistant.language.to_traditional`; OpenCC writes 发布 as 釋出
  and 公布 as 公佈, so both spellings are cues); English is matched case
  insensitively.
* A question naming a component -- 分項, 子項, 細部計畫, 子計畫, 工作項目,
  主軸, sub-project, component, detailed plan, pillar -- asks about the
  component, never the plan: ``None``.  So does a question about who may
  apply (申請資格, 補助對象, 可以申請, eligible …) unless it names an
  agency label (主管機關 …).
* TOTAL_BUDGET: a total cue (總經費, 全程經費, 總預算, 經費總額, total
  budget …) or the plan's budget asked as an amount (計畫經費是多少, 計畫要
  花多少錢, 總共…多少經費, how much does the plan cost, how much … invest
  … in total); never with years (``108 年度``, ``106-109 年``, ``2019``:
  that period's budget -- except a span that is the plan's own whole
  period, when the caller gives it), per year, a cost
  category or class (人事費, 資本門), 既有/新增 budget, a share (比例, 占),
  information security (資安) or an organ (「經濟部產業技術司四年經費合計」:
  that organ's part).
* PERIOD: a period label (執行期間, 計畫期程, 全程期間 …) or the plan with
  多久/幾年/何時開始 … (how long / how many years does … the plan run,
  what is the plan's period), unless the question asks for a quantity
  (多少家, 幾人, how many but years: 「整個計畫期間要協助多少家企業」).
* AGENCY: an agency label, or 哪個/什麼 機關/單位/部會 with a verb of running
  it (主管, 主辦, 負責, 執行, 推動, 提出 …; 「與哪些單位合作」 is not).
* COVER_DATE: when the plan was published (公布, 發布, 出版, 印製, 封面日期);
  an approval date (何時核定) is not the cover date.
* REVIEW_NUMBER: 審議編號, 文號, 計畫編號 …; TITLE: 全名, 全稱, 正式名稱,
  計畫名稱是什麼, 叫什麼 ….
* Slots are tried in the order TOTAL_BUDGET, PERIOD, AGENCY, COVER_DATE,
  REVIEW_NUMBER, TITLE: a question may name the plan by its title
  (「計畫名稱為…的總經費」) while asking for something else.

A question naming another plan (a sub-plan by its own title: 「中小企業數位
領導計畫由哪些單位執行」) is not told apart here: the caller compares the
plan it names with the document's TITLE facts.
"""
from __future__ import annotations

import re

from ..language import guess_lang, to_traditional
from .docfields import DocSlot, organ_names

_COMPONENT = re.compile(r"分項|子項|細部計畫|子計畫|分支計畫|工作項目|主軸|sub-?projects?|components?|sub-?items?"
                        r"|detailed plans?|work items?|sub-?plans?|pillars?", re.IGNORECASE)
_ELIGIBILITY = re.compile(r"申請資格|申請對象|補助對象|資格|可以申請|可申請|能申請|誰能|誰可以|參加|參與"
                          r"|who can apply|eligib|apply for|qualif", re.IGNORECASE)
_AGENCY_LABEL = re.compile(r"主管機關|主辦機關|執行機關|申請機關|承辦機關|負責機關")
# Budget questions about a part of the budget: a year or span of years, per
# year, a cost category or class, 既有/新增 budget, a share, an organ's part.
_PART_OF_BUDGET = re.compile(
    r"\d{2,4}\s*(?:年|[-–~～至到]\s*\d)|\b(?:19|20)\d\d\b|每年|每一年|年均|各年|逐年|人事費|材料費|業務費|設備|經常門"
    r"|資本門|經常支出|資本支出|差旅|其他費用|資安|資訊|既有|新增|比例|占|佔|分到|分配"
    r"|annual|per year|each year|yearly|personnel|equipment|capital|recurrent|security|existing|brand-new"
    r"|new budget|share|percent|proportion|allocat", re.IGNORECASE)
# A question asking for a quantity (not a time): 多少家, 幾人, how many.
_QUANTITY_ASK = re.compile(r"多少(?!年|時間)|幾(?:家|人|個|項|件|名|位|場|次|億|萬|千|成|%)|how many(?! years| months)|how much",
                           re.IGNORECASE)
_RUN_VERB = r"(?:主管|主辦|負責|執行|推動|提出|辦理|主導|管理|督導|主責|承辦)"

_CUES: tuple[tuple[DocSlot, re.Pattern[str]], ...] = (
    (DocSlot.TOTAL_BUDGET, re.compile(
        r"總經費|全程經費|全程所需經費|總預算|經費總額|預算總額|經費總計|經費合計"
        r"|(?:計畫|本案)(?:的|總共|一共|共)?(?:經費|預算)(?:是|為|共|總共|一共)?多少"
        r"|(?:計畫|本案)\S{0,4}?(?:需要|要|編列|投入)多少(?:經費|預算)"
        r"|(?:總共|一共|共|要)?花(?:了|費)?多少錢|(?:總共|一共|合計)\S{0,6}?多少(?:經費|預算|錢)"
        r"|total (?:[\w-]+ )?(?:budget|cost|funding|amount|spending|expenditure)|overall (?:budget|cost)"
        r"|(?:whole|entire) budget|budget in total|how much (?:money |funding )?(?:does|will|did) (?:the |this )?"
        r"(?:plan|program|programme|project|it) (?:cost|spend)"
        r"|how much .{0,60}\b(?:invest|spend|cost|budget|commit|allocat|fund)\w*\b.{0,30}\b(?:in total|altogether|overall)"
        r"|how much (?:money|funding) (?:in total|altogether|overall)", re.IGNORECASE)),
    (DocSlot.PERIOD, re.compile(
        r"執行期間|執行期程|計畫期程|計畫期間|全程期間|實施期間|期程|起訖|起迄|起止|為期"
        r"|(?:計畫|本案)\S{0,4}?(?:多久|幾年|哪幾年|何時開始|何時結束|什麼時候開始|什麼時候結束|從哪一?年)"
        r"|(?:what|which) (?:period|years)|duration|time ?frame|implementation period|period of the|start and end"
        r"|how long (?:does|will|is|did) (?:the |this )?(?:[\w'’-]+ ){0,8}?(?:plan|program|programme|project|initiative"
        r"|scheme|it)\b(?! (?:office|team|budget|fund))"
        r"|how many years (?:does|will|did) (?:the |this )?(?:[\w'’-]+ ){0,8}?(?:plan|program|programme|project"
        r"|initiative|scheme|it) (?:run|last|cover|span)"
        r"|what(?: is|'s) the (?:[\w'’-]+ ){0,3}?(?:plan|program|programme|project)(?:'s)? (?:period|duration|timeline"
        r"|term)\b"
        r"|when does (?:the |this )?(?:plan|program|programme|project|it) (?:start|begin|end|run|finish)",
        re.IGNORECASE)),
    (DocSlot.AGENCY, re.compile(
        r"主管機關|主辦機關|執行機關|申請機關|承辦機關|負責機關|主辦單位|執行單位|承辦單位|負責單位"
        rf"|(?:(?:哪|那)(?:個|一個|些)?|什麼|何)(?:政府)?(?:機關|部會|單位|部門)\S{{0,4}}?{_RUN_VERB}"
        rf"|{_RUN_VERB}\S{{0,4}}?(?:(?:哪|那)(?:個|一個|些)?|什麼|何)(?:政府)?(?:機關|部會|單位|部門)"
        rf"|由誰{_RUN_VERB}|誰{_RUN_VERB}"
        r"|(?:which|what) (?:government )?(?:agency|ministry|department|body)"
        r"|who (?:runs|manages|leads|administers|implements|oversees|is responsible|is in charge|is behind)"
        r"|lead agency|implementing agency|competent authority|responsible agency|executing agency", re.IGNORECASE)),
    (DocSlot.COVER_DATE, re.compile(
        r"(?:何時|什麼時候|哪一天|哪天|哪一?年|幾月|何年)\S{0,6}?(?:公布|公佈|發布|發佈|釋出|公告|出版|印製|發表)"
        r"|(?:公布|公佈|發布|發佈|釋出|出版|發表)(?:的)?(?:日期|時間)|封面日期|文件日期|計畫書日期"
        r"|when was (?:the |this )?(?:plan|program|programme|document|it)\b.*"
        r"(?:published|released|issued|announced|written|dated)"
        r"|publication date|date of publication|release date|issue date|cover date", re.IGNORECASE)),
    (DocSlot.REVIEW_NUMBER, re.compile(
        r"審議編號|核定文號|文號|字號|案號|(?:計畫|本案|審議|核定)(?:的)?編號"
        r"|review number|approval number|reference number|plan number|document number|case number"
        r"|project number|letter number", re.IGNORECASE)),
    (DocSlot.TITLE, re.compile(
        r"計畫全名|全名|全稱|正式名稱|完整名稱|計畫(?:的)?名稱(?:是|為)?(?:什麼|甚麼|為何|何|\?|？|$)"
        r"|(?:叫|稱為|名為)(?:什麼|甚麼|何)|什麼名字"
        r"|full name|official name|full title|official title|name of (?:the |this )?(?:plan|program|programme|project)"
        r"|(?:plan|program|programme|project)'?s name|what is (?:the plan|this plan|it) called"
        r"|what'?s (?:the plan|it) called|title of (?:the |this )?(?:plan|program|programme|project|document)",
        re.IGNORECASE)),
)


# A span of years: 「106-109 年」, 「2018~2021」, 「107 年至 110 年」.
_YEAR_SPAN = re.compile(r"(?<!\d)(\d{2,4})\s*年?\s*(?:[-–~～至到]|to)\s*(\d{2,4})(?!\d)\s*年?")


def _without_own_period(q: str, period: tuple[int, int] | None) -> str:
    """``q`` without the spans of years that are exactly the plan's own
    ``period`` (Western ``(first, last)``; 民國 years read as ROC): the
    whole-period budget asked with its years is still the total budget."""
    if period is None:
        return q

    def western(y: str) -> int:
        n = int(y)
        return n + 1911 if n < 1911 else n

    return _YEAR_SPAN.sub(lambda m: " " if (western(m.group(1)), western(m.group(2))) == period else m.group(), q)


def doc_fact_slot(text: str, period: tuple[int, int] | None = None) -> DocSlot | None:
    """The document-level slot a question asks for, or ``None`` (see the
    module docstring for the rules).

    Args:
        text: the question (Traditional, Simplified or English).
        period: the plan's own period as Western ``(first year, last
            year)``, when known: a span of exactly those years
            (「2018-2021 年」, 「106 至 109 年」) does not make a total budget
            question one about a part of the period.

    Raises:
        TypeError: ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    q = to_traditional(text) if guess_lang(text) == "zh-CN" else text
    if _COMPONENT.search(q) or (_ELIGIBILITY.search(q) and not _AGENCY_LABEL.search(q)):
        return None
    for slot, cue in _CUES:
        if not cue.search(q):
            continue
        if slot is DocSlot.TOTAL_BUDGET and (_PART_OF_BUDGET.search(_without_own_period(q, period))
                                             or organ_names(q)):
            continue
        if slot is DocSlot.PERIOD and _QUANTITY_ASK.search(q):
            continue
        return slot
    return None


__all__ = ["doc_fact_slot"]

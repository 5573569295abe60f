"""Find and normalise quantities (money, percent, counts, years) in plan text.

The scanner of :mod:`assistant.figures`; unit conversion is in
:mod:`assistant.figures.units`, comparison in :mod:`assistant.figures.compare`.

planqa's citation checker and budget-claim verifier both compare figures
between an answer and the chunk it cites.  This module finds the figures in
Traditional/Simplified Chinese or English text and normalises them, so that
``3.9 億元 == 39,000 萬元 == 390,000 千元``.  Pure Python, standard library
only (it must import in a few milliseconds).

Normalised values (``Quantity.value`` / ``Quantity.upper``):

* ``money``   -- New Taiwan dollars in 元 (``390,000 千元`` -> 390000000.0).
  Foreign currencies (美元, 歐元, 韓幣 ...) are *not* money: they come back as
  kind ``number`` with the currency in ``unit`` (``486 億美元`` -> 4.86e10,
  unit ``億美元``), so they never equal an amount in 元.
* ``percent`` -- the number of percent (``50%`` / ``百分之五十`` / ``五成`` -> 50.0).
* ``count``   -- the count (``39.3 萬人`` -> 393000.0), classifier in
  ``Quantity.classifier``.
* ``year``    -- the Western year (``108 年度`` / ``民國108年`` -> 2019.0).
* ``number``  -- everything else, with ``unit`` telling what it is:
  ``""`` bare number, ``"萬"``/``"億"`` a scaled bare number, ``"年"``,
  ``"年期"``, ``"個月"``, ``"月"``, ``"日"`` ... durations and dates,
  ``"倍"`` multiples, ``"百分點"`` percentage points, ``"第"`` ordinals,
  ``"編號"`` identifiers (審議編號 ``108-1901-06-20-01``, phone numbers
  ``02-2737-7945``, ``第 1070172174 號``), ``"美元"`` etc. foreign money.

Rules (each one is a decision, documented here and tested):

* Text is NFKC-normalised character by character (full-width digits,
  ``％``, ``～``, ideographic space); the few Simplified characters the
  grammar needs (万 亿 两 个 项 场 ...) are mapped to Traditional.  Offsets
  in ``Quantity.start/end`` always point into the ORIGINAL text.
* Year vs duration: ``N 年``/``N 年度`` is a year when ``民國``/``中華民國``
  precedes it (1 <= N <= 200), when 1900 <= N <= 2200 (Western), or when
  60 <= N <= 200 (ROC 60 = 1971, older than anything these plans cite;
  ROC 200 = 2111).  Anything else (``3 年``, ``三年``, ``1.5 年``) and every
  ``N 年期`` is a duration: kind ``number``, unit ``年``/``年期``.
* Month and day (``6 月 11 日``) are kind ``number`` with unit ``月``/``日``
  (never counts, never money).
* Chinese numerals (零〇一二兩三四五六七八九十百千萬億兆, positional 一〇八)
  are read only when a unit or classifier follows (``三年``, ``一千名``,
  ``萬人``, ``百家``, ``一百零五萬元``); a bare Chinese numeral is skipped,
  so words like 統一 / 一般 / 百工百業 give nothing.  A bare scale word
  before 元 or 年 is a unit label, not an amount (``單位：千元``, ``百年``).
  Vague amounts (``數十萬``, ``幾百人``, ``上百家``) are skipped.
  Limits: no 廿/卅/貳/參 (大寫數字).
* Fractions are shares, kind ``percent`` with unit ``"分之"``: ``三分之一``
  = 33.33…, ``至少 2/3`` = 66.67 (qualifier 至少), ``一半`` / ``半數`` /
  "at least half" = 50, "two-thirds", "a quarter" (:data:`_FRACTION_RE`).
  A share in 成 is ten percent each (``六成`` = 60, also before 為:
  ``3 成為現金支出``).
* Mixed forms are read as one numeral: ``3 兆 1 千 5 百億元`` = 3.15e12 元,
  ``2 千萬`` = 2e7, ``2.9 萬億`` = 2.9e12.
* Ranges ``1~3 億元``, ``5 萬至 10 萬元``, ``30-50%``, ``114-117 年``,
  ``114 年至 117 年``: the low end inherits the high end's unit and, when the
  low end has no scale word of its own, its scale (``1~3 億元`` = 1e8..3e8).
  A range needs low < high.
* Not quantities: list markers (``1.`` / ``2、`` / ``3)`` after a line start
  or a space, ``(2)``, section labels ``1-2`` at a line start), digits glued to
  ASCII letters (``A007``, ``5G``, ``COVID-19``), circled numbers (①),
  words starting with 零 (零組件).  Figure/table labels (``如表 2``, ``圖 7``,
  ``附件 1``) are plain numbers (unit ``""``), never counts or years.
* A unit may follow its number across one PDF line break only for money and
  percent (``100⏎ 億元``); a classifier or 年 on the next line is taken to be
  a new table cell.  ``-5%`` (a ``-`` glued to the digits, not after a digit
  or letter) is negative.
* English: ``NT$``/``NTD``/``TWD`` with thousand/million/billion/trillion,
  ``percent``, a few count nouns (people, companies, projects ... mapped to
  人, 家, 案 ...), ``at least``/``more than``/``about`` ... (mapped to 至少,
  超過, 約 ...), and a bare 1900-2100 after in/by/since/from/until ... is a
  year; ``2018-2021`` (both ends 1900-2100) is a year range.
* Bare numbers (no unit, no scale word) become money in
  ``default_money_unit`` when one is given, e.g. ``"千元"`` from a table's
  單位 line (see :func:`declared_money_unit`).
"""

from __future__ import annotations

import functools

import math
import re
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from ..language import ROC_OFFSET

__all__ = [
    "COUNT_CLASSIFIERS",
    "EN_CLASSIFIERS",
    "MONEY_UNITS",
    "canonical_classifier",
    "Kind",
    "Quantity",
    "declared_money_unit",
    "english_spans",
    "extract_quantities",
    "money_unit_factor",
    "western_years",
]

Kind = Literal["money", "percent", "count", "year", "number", "date"]  # "date": assistant.figures.dates


# Money units in 元.  Place values of Chinese numerals as used in Taiwan
# (教育部《重編國語辭典修訂本》: 萬 = 10^4, 億 = 10^8, 兆 = 10^12 -- not the
# 10^6 of some mainland scientific usage).  The compound scales (百萬元,
# 千萬元, 百億元 ...) are the headings budget tables actually use.
MONEY_UNITS: MappingProxyType[str, int] = MappingProxyType(
    {
        "元": 1,
        "千元": 10**3,
        "萬元": 10**4,
        "十萬元": 10**5,
        "百萬元": 10**6,
        "千萬元": 10**7,
        "億元": 10**8,
        "十億元": 10**9,
        "百億元": 10**10,
        "千億元": 10**11,
        "兆元": 10**12,
    }
)

# Count classifiers (量詞) next to KPI targets in corpus/sources/*.txt
# (「4,800 人次」「30 家次」「2 案」「1 式」「47 人年」「67 人月」「12 小時」
# 「20 校」「22 縣市」「20 題」) plus the common ones from the brief.  Longest first, so
# 人次 wins over 人; 個月 (a duration) is matched before 個.
COUNT_CLASSIFIERS: tuple[str, ...] = (
    "位人次", "人次", "人年", "人月", "家次", "場次", "梯次", "小時", "縣市",
    "人", "名", "位", "家", "案", "個", "項", "件", "場", "所", "門", "隊",
    "式", "次", "校", "篇", "套", "座", "處", "組", "班", "堂", "種", "筆",
    "份", "張", "題",
)

# 名 and 位 count persons exactly as 人 does (「330 名」 = 「330 人」), 位人次
# person-times as 人次 does (「挑戰目標訂為促成培育400 位人次」), and 組 teams
# as 隊 does (「推動解題團隊 40 組」), so same_quantity treats them as one
# classifier; every other classifier only equals itself.
_CLASSIFIER_CANON = {"名": "人", "位": "人", "位人次": "人次", "組": "隊"}
# A team after the general classifier (「19 個新創團隊」, 「5 個解題團隊」):
# the count is of 隊.
_TEAM_AFTER = re.compile(r"[^\d，。、；,;\s]{0,4}?團?隊")

# English count nouns -> the Chinese classifier they translate.
EN_CLASSIFIERS = {
    # 人次 / 家次 (person-times, company-times: the plans' 「人次」「家次」)
    "person-times": "人次", "person-time": "人次", "person times": "人次", "participant-times": "人次",
    "trainee-times": "人次", "company-times": "家次", "firm-times": "家次", "enterprise-times": "家次",
    "company participations": "家次", "company-participations": "家次", "firm participations": "家次",
    "enterprise participations": "家次", "business participations": "家次",
    "people": "人", "person": "人", "persons": "人", "participant": "人",
    "participants": "人", "trainee": "人", "trainees": "人",
    "company": "家", "companies": "家", "firm": "家", "firms": "家",
    "enterprise": "家", "enterprises": "家", "businesses": "家",
    "startup": "家", "startups": "家", "start-up": "家", "start-ups": "家",
    "project": "案", "projects": "案", "case": "案", "cases": "案",
    "item": "項", "items": "項", "session": "場", "sessions": "場",
    "event": "場", "events": "場", "hour": "小時", "hours": "小時",
    "team": "隊", "teams": "隊", "school": "所", "schools": "所",
    "model": "個", "models": "個",  # 「10 個模型」: 個, the general classifier
    # 「吸引 40 萬人次」: a visit or attendance is a person-time
    "visit": "人次", "visits": "人次", "participant-visits": "人次", "attendances": "人次",
    "course": "門", "courses": "門",  # 「42 門數位課程」
    "factory": "家", "factories": "家", "sme": "家", "smes": "家", "manufacturer": "家", "manufacturers": "家",
    "university": "所", "universities": "所", "college": "所", "colleges": "所",
    "patent": "件", "patents": "件", "workshop": "場", "workshops": "場", "seminar": "場", "seminars": "場",
    "problem": "題", "problems": "題",  # 「每個產業出題 20 題」
    "center": "個", "centers": "個", "centre": "個", "centres": "個",  # 「4 個 AI 創新研究中心」
    "km": "公里", "kilometres": "公里", "kilometers": "公里",  # 「完成 6 萬公里資料蒐集」
}

# English scale words (short scale, as in English-language TW government
# releases: "NT$1.2 billion") -> factor and the equivalent Chinese money unit.
_EN_SCALES = {
    "thousand": (10**3, "千元"),
    "million": (10**6, "百萬元"),
    "billion": (10**9, "十億元"),
    "trillion": (10**12, "兆元"),
}

# Foreign currencies seen in the corpus (「486 億美元」「1 兆韓幣」) and their
# usual synonyms; amounts in them are kind "number", never money in 元.
_FOREIGN = ("美元", "美金", "歐元", "日圓", "日元", "韓元", "韓幣", "人民幣",
            "英鎊", "港幣")
_FOREIGN_CANON = {"美金": "美元", "日元": "日圓", "韓元": "韓幣"}

# Digits of Chinese numerals (零/〇 zero, 兩 = 2).
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"萬": 10**4, "億": 10**8, "兆": 10**12}

# Simplified -> Traditional for the characters the grammar reads, and dash /
# wave variants that NFKC leaves alone.  One character each, so offsets hold.
_PRE_MAP = str.maketrans({
    "万": "萬", "亿": "億", "两": "兩", "个": "個", "项": "項", "场": "場",
    "门": "門", "队": "隊", "时": "時", "币": "幣", "约": "約", "过": "過",
    "满": "滿", "国": "國", "华": "華", "岁": "歲", "周": "週", "笔": "筆",
    "种": "種", "处": "處", "组": "組", "张": "張", "余": "餘", "点": "點",
    "内": "內", "单": "單", "于": "於", "达": "達", "欧": "歐", "韩": "韓",
    "镑": "鎊", "级": "級", "‐": "-", "‑": "-", "‒": "-", "–": "-",
    "—": "-", "―": "-", "−": "-", "〜": "~",
})

# Years: see the module docstring for the rule.
_ROC_MIN, _ROC_MAX = 60, 200          # bare ROC years: 民國 60 (1971) .. 200
_ROC_PREFIXED_MAX = 200               # after 民國/中華民國: 1 .. 200
_WESTERN_MIN, _WESTERN_MAX = 1900, 2200
_EN_YEAR_MAX = 2100                   # bare English "in 2019": 1900 .. 2100

_MARKER_MAX = 99                      # list markers are 1-2 digit numbers

# ---------------------------------------------------------------- regexes

class _LazyRe:
    """A regex compiled on first use, so importing this module stays cheap
    (compiling all patterns up front costs ~10 ms)."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str):  # search, match, finditer, findall
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)


_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_CN = "零〇一二兩三四五六七八九十百千萬億兆"
_GAP = r"[ \t]{0,2}\n?[ \t]{0,2}"  # PDF text breaks lines inside 「100\n 億元」
_RUN_RE = _LazyRe(
    rf"(?:{_ARABIC}|[{_CN}]+)(?:{_GAP}[十百千萬億兆]+"
    rf"(?:{_GAP}(?:{_ARABIC}|[{_CN}]+))?)*"
)
_TOKEN_RE = _LazyRe(r"[0-9][0-9,]*(?:\.[0-9]+)?|[零〇一二兩三四五六七八九]|[十百千萬億兆]")

# Identifiers: 審議編號 108-1901-06-20-01, phones 02-2737-7945(轉6513),
# (02)2737-7945, 02-27377945, dates 107/6/29, section numbers 1.2.3, and
# 第 1070172174 號.  Reported as kind "number", unit "編號".
_ID_RE = _LazyRe(
    r"(?<![0-9A-Za-z.])(?:"
    r"[0-9]+(?:-[0-9]+){2,}(?:轉[0-9]+)?"
    r"|0[0-9]{1,3}-[0-9]{6,8}(?:轉[0-9]+)?"
    r"|\(0[0-9]{1,3}\)[ ]?[0-9]{3,4}-?[0-9]{4}(?:轉[0-9]+)?"
    r"|[0-9]+(?:/[0-9]+){2}"
    r"|[0-9]+(?:\.[0-9]+){2,}"
    r"|[0-9]+[ ]?號"
    r")(?![0-9A-Za-z])"
)

# Fractions, read as a percent share (2/3 -> 66.67%): 「三分之二」「十分之一」,
# 「2/3」 (one digit over one digit, not inside a date or an identifier:
# those are masked first), 「一半」「半數」, and English "half" (after "one",
# "a" or a qualifier, or before "of"; not "the first half"), "one-third",
# "two-thirds", "a quarter", "three quarters".  The plans state shares this
# way (「媒合至少 2/3 就業」「不少於三分之一」「超過一半(50%)」) and claims
# restate them either way.
_FRACTION_RE = _LazyRe(
    r"(?P<den>[二三四五六七八九十]|10|[2-9])\s*分之\s*(?P<num>[一二三四五六七八九]|[1-9])"
    r"|(?<![\d/.,:-])(?P<dnum>[1-9])\s?/\s?(?P<dden>[2-9])(?![\d/.,:-])"
    r"|(?P<half>一半|半數)"
    r"|(?i:(?P<enhalf>\b(?:one|a)[ -]half\b|(?:(?<=least )|(?<=than )|(?<=over )|(?<=about )|(?<=nearly )|(?<=roughly )|(?<=almost )|(?<=under ))half\b"
    r"|(?<!first )(?<!second )(?<!latter )(?<!former )\bhalf(?= of\b))(?![ -](?:a )?(?:years?|days?|months?|hours?|time|way)\b))"
    r"|(?i:\b(?P<ennum>one|two|a|three)[ -](?P<enden>thirds?|quarters?)\b(?=\s+(?:of|or|and|for|to)\b|\s*[,.;)(]|$))"
)
_EN_FRACTION_WORDS = {"one": 1, "a": 1, "two": 2, "three": 3, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}


def _fraction(m: re.Match[str]) -> tuple[int, int] | None:
    """``(numerator, denominator)`` of a :data:`_FRACTION_RE` match, or None
    when it is not a proper fraction (4/3, 3 分之 5)."""
    if m.group("half") or m.group("enhalf"):
        return 1, 2
    if m.group("ennum"):
        num, den = _EN_FRACTION_WORDS[m.group("ennum").lower()], _EN_FRACTION_WORDS[m.group("enden").lower()]
    else:
        raw_num, raw_den = m.group("num") or m.group("dnum"), m.group("den") or m.group("dden")
        num = int(raw_num) if raw_num.isdigit() else _CN_DIGITS.get(raw_num, 0)
        den = int(raw_den) if raw_den.isdigit() else (10 if raw_den == "十" else _CN_DIGITS.get(raw_den, 0))
    return (num, den) if 0 < num < den else None


_UNIT_RE = _LazyRe(
    r"(?P<foreign>" + "|".join(_FOREIGN) + r")"
    r"|(?P<money>元)(?![件素宇旦首])"
    r"|(?P<pct>\\?%)"  # LaTeX remnants write 60.9\%
    r"|(?P<pp>個?百分點)"
    # 「3 成為現金支出」 is 30%; 「兩成二」 22% (a tenth's digit after 成)
    r"|(?P<cheng>成(?:[一二三四五六七八九](?![一二三四五六七八九十百千萬億\d個家人名位案件項次成]))?)"
    r"(?![功長立果本員熟效績交形就真型份分])"
    r"|(?P<yterm>年期)"
    r"|(?P<year>年度|年)"
    r"|(?P<dur>個月|週|天|歲|月|日)(?![本治圓元])"
    r"|(?P<count>" + "|".join(
        {"人": "人(?!工智|事|力|文)", "家": "家(?!庭|長)", "名": "名(?!稱|單)",
         "位": "位(?!數|置|於)", "處": "處(?!理)", "門": "門(?!檻|戶)",
         "所": "所(?!以|有|得|需|屬|示|述|列|載|提|稱|謂|分析)",
         "場": "場(?!域|景|館|地|合|址)", "份": "份(?!子)"}.get(c, c)
        for c in COUNT_CLASSIFIERS) + r")"
    r"|(?P<times>倍)"
)

_EN_UNIT_RE = _LazyRe(
    r"(?i)(?:(?P<scale>thousand|million|billion|trillion)\b[ ]?)?"
    r"(?:(?P<money>NTD|TWD|NT\$|(?:new )?(?:NT|Taiwan) dollars?)"
    r"|(?P<usd>USD|US dollars?)"
    r"|(?P<pct>percent|per cent)\b"
    # a count noun after at most two modifiers ("40 AI startups", "500 new
    # trainees"), not across a function word ("2 of the projects")
    r"|(?:(?!(?:of|to|the|a|an|in|on|at|for|by|with|and|or|per|from|than|each|every|its|their)\b)"
    r"[A-Za-z][A-Za-z-]*[ ]){0,2}"
    r"(?P<cls>" + "|".join(sorted(EN_CLASSIFIERS, key=len, reverse=True)) + r")\b"
    # a count noun that modifies the counted one ("5,500 university students")
    r"(?![ -](?:students?|applications?|workers?|graduates?|teachers?|staff|employees?|members?)\b)"
    r"|-?(?P<dur>years?|months?)\b"  # "a 3-month period" as "3 months"
    # a multiple (倍): "1,700 times a US household", "a 10-fold gain"; not
    # a frequency ("3 times a year")
    r"|(?P<times>-?fold\b|times\b(?!\s+(?:a|per|each|every)\s+(?:year|month|week|day|quarter)\b)))?"
)

# Words before a number.  Longest first; 約 not inside 合約/契約..., 近 not
# inside 最近/附近.
_PREFIX_RE = _LazyRe(
    r"(?:(?P<cur>新[臺台]幣|[臺台]幣|NT\$|NTD|TWD)"
    r"|(?P<foreign>US\$|USD)"
    r"|(?P<roc>中華民國|民國|(?<![\u4e00-\u9fff])民)"
    r"|(?P<label>附件|附錄|附表|(?:(?<![\u4e00-\u9fff])|(?<=[如見詳依參據]))[圖表])"
    r"|(?P<pct>百分之)"
    r"|(?P<ord>第)"
    r"|(?P<vague>[數幾])"
    r"|(?P<upward>上)"
    r"|(?P<q>不超過|不少於|不低於|不多於|不高於|不到|未滿|未達|至少|至多|最多|最少"
    r"|超過|多於|少於|高於|低於|大約|將近|接近|(?<![合契條公節制預簽])約[占佔]?|逾"
    r"|(?<![最附])近|≥|≤|≦|≧|(?<![A-Za-z\"'/=-])(?:>=|<=|>|<))"
    r"|(?P<enq>(?i:\b(?:at least|at most|more than|fewer than|less than|(?<!add )(?<!adds )(?<!added )(?<!adding )"
    r"(?<!sum )(?<!sums )(?<!summing )(?<!come )(?<!comes )(?<!coming )up to"
    r"|approximately|roughly|about|around|nearly|almost|over|under))))"
    r"[ \t]*\Z"
)
_EN_QUALIFIERS = {
    "at least": "至少", "at most": "至多", "more than": "超過", "over": "超過",
    "fewer than": "未滿", "less than": "未滿", "under": "未滿", "up to": "最多",
    "approximately": "約", "roughly": "約", "about": "約", "around": "約", "nearly": "近",
    "almost": "近",
}
_EN_YEAR_CTX_RE = _LazyRe(
    r"(?i)\b(?:in|by|since|from|until|till|through|to|before|after|during|of"
    r"|year|fy)[ ]+\Z"
)
_HIGH_CURRENCY_RE = _LazyRe(r"(?:新[臺台]幣|NT\$)[ \t]*")  # 「5 億至新臺幣 8 億元」
_POST_QUAL_RE = _LazyRe(r"[ \t]*(\(含\)以上|\(含\)以下|以上|以下|以內|左右)")
_RAW_NUMBER_RE = _LazyRe(
    r"(?<![0-9.,])(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?(?![0-9])"
)
_DECLARED_RE = _LazyRe(
    r"單位\s*:?\s*(?:新[臺台]幣|NT\$)?\s*(千萬元|千元|百萬元|萬元|億元|元)"
    r"|\(\s*(?:新[臺台]幣)?\s*(千萬元|千元|百萬元|萬元|億元|元)\s*\)"
)

_LINE_BULLETS = " \t•●▪◦·*-"


# ------------------------------------------------------------- the record

@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text.

    Attributes:
        value: normalised value -- money in 元 (New Taiwan dollars), percent
            as the number of percent, counts as the count, years as the
            Western year; for kind "number" the plain number (scaled by any
            萬/億 written with it).
        kind: "money", "percent", "count", "year" or "number" (and "date",
            made by :mod:`assistant.figures.dates`, never by this module).
        unit: canonical spelling of the unit as written: "千元", "億元",
            "%", "成", "人次", "萬人", "年", "年度", "月", "編號", "億美元",
            "" for a bare number (full-width / Simplified forms are given in
            their NFKC / Traditional spelling; ``text`` keeps the verbatim span).
        classifier: for counts the 量詞 (人, 人次, 家, 名 ...), else None.
        qualifier: 以上, 以下, 至少, 逾, 約, 超過, 不超過, 未滿, 餘, 多, <, > ...
            (the one before the number wins over the one after it), or None.
        upper: the high end of a range (same normalisation as ``value``), or None.
        start, end: character offsets into the ORIGINAL text (end exclusive).
        text: ``original[start:end]``, the matched span with its prefixes
            (新臺幣, 約 ...) and qualifiers.
    """

    value: float
    kind: Kind
    unit: str
    classifier: str | None = None
    qualifier: str | None = None
    upper: float | None = None
    start: int = 0
    end: int = 0
    text: str = ""


# --------------------------------------------------------- normalisation

_NORM_CACHE: dict[str, str] = {}


def _norm_char(c: str) -> str:
    """NFKC + _PRE_MAP for one character; circled/parenthesised numbers → •."""
    cached = _NORM_CACHE.get(c)
    if cached is None:
        o = ord(c)
        if 0x2460 <= o <= 0x24FF or 0x2776 <= o <= 0x2793 or 0x3220 <= o <= 0x32FF:
            cached = "•"  # ① ⑴ ❶ ㈠ ㊀ are list markers, not numbers
        else:
            cached = unicodedata.normalize("NFKC", c).translate(_PRE_MAP)
            if "\u2044" in cached:  # ½ -> 1⁄2: keep vulgar fractions opaque
                cached = c
        _NORM_CACHE[c] = cached
    return cached


def _normalize(text: str) -> tuple[str, list[int] | None]:
    """Return (normalised text, offsets); offsets[i] is the original index of
    normalised char i (plus a final entry len(text)), or None when the mapping
    is the identity."""
    if text.isascii():
        return text, None
    pieces = [c if c < "\x80" else _norm_char(c) for c in text]
    norm = "".join(pieces)
    if len(norm) == len(text):
        return norm, None
    offs: list[int] = []
    for i, p in enumerate(pieces):
        offs.extend([i] * len(p))
    offs.append(len(text))
    return norm, offs


# ------------------------------------------------------ numeral parsing

def _rat_add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    n, d = a[0] * b[1] + b[0] * a[1], a[1] * b[1]
    g = math.gcd(n, d) or 1
    return n // g, d // g


def _arabic(tok: str) -> tuple[int, int]:
    s = tok.replace(",", "")
    if "." in s:
        ip, fp = s.split(".")
        return int(ip + fp), 10 ** len(fp)
    return int(s), 1


class _Numeral:
    """A parsed numeral run: exact value num/den plus what it was made of."""

    __slots__ = ("raw", "num", "den", "has_digit", "has_arabic", "has_big", "has_unit",
                 "trailing", "arabic_only", "cn_only")

    def __init__(self, run: str) -> None:
        self.raw = run
        toks = _TOKEN_RE.findall(run)
        total, section = (0, 1), (0, 1)
        digit: tuple[int, int] | None = None
        prev_cn_digit = prev_big = False
        last: tuple[int, int] | None = None
        self.has_digit = self.has_arabic = self.has_big = self.has_unit = False
        for t in toks:
            if "0" <= t[0] <= "9":
                digit, prev_cn_digit, prev_big = _arabic(t), False, False
                self.has_digit = self.has_arabic = True
            elif t in _CN_DIGITS:
                d = _CN_DIGITS[t]
                digit = (digit[0] * 10 + d, 1) if prev_cn_digit and digit else (d, 1)
                prev_cn_digit, prev_big, self.has_digit = True, False, True
            elif t in _SMALL_UNITS:
                mult = digit or (1, 1)
                section = _rat_add(section, (mult[0] * _SMALL_UNITS[t], mult[1]))
                digit, prev_cn_digit, prev_big, self.has_unit = None, False, False, True
            else:
                u = _BIG_UNITS[t]
                self.has_unit = self.has_big = True
                if prev_big and last is not None:  # 萬億 = 10^12
                    total = _rat_add(total, (last[0] * (u - 1), last[1]))
                    last = (last[0] * u, last[1])
                else:
                    sec = _rat_add(section, digit or (0, 1))
                    if sec[0] == 0 and digit is None:
                        sec = (1, 1)
                    last = (sec[0] * u, sec[1])
                    total = _rat_add(total, last)
                    section, digit = (0, 1), None
                prev_big, prev_cn_digit = True, False
        total = _rat_add(_rat_add(total, section), digit or (0, 1))
        self.num, self.den = total
        self.arabic_only = len(toks) == 1 and self.has_arabic
        self.cn_only = not self.has_arabic
        # trailing scale word (e.g. "億" in "3.9 億", "千萬" in "2 千萬"); only
        # when it is a real scale, not the 十 of 三十.
        stripped = run.replace(" ", "").replace("\t", "")
        k = len(stripped)
        while k and stripped[k - 1] in "十百千萬億兆":
            k -= 1
        tail = stripped[k:]
        if tail and (self.has_arabic and k and "0" <= stripped[k - 1] <= "9"
                     or any(c in _BIG_UNITS for c in tail)) and k:
            self.trailing = tail
        else:
            self.trailing = ""

    @property
    def is_int(self) -> bool:
        return self.num % self.den == 0

    def value(self) -> float:
        return self.num / self.den


def _scale_of(tail: str) -> int:
    """Scale factor of a pure scale word ("億" -> 10^8, "千萬" -> 10^7)."""
    n = _Numeral(tail)
    return n.num // n.den


def _money_unit_name(trailing: str) -> str:
    """Money unit for a trailing scale word: longest tail of it in MONEY_UNITS."""
    for i in range(len(trailing) + 1):
        if trailing[i:] + "元" in MONEY_UNITS:
            return trailing[i:] + "元"
    return "元"  # pragma: no cover - "" + 元 is always present


# ---------------------------------------------------------- the scanner

class _Prefix:
    __slots__ = ("start", "currency", "foreign", "roc", "pct", "ordinal", "label",
                 "vague", "upward", "qualifier", "negative", "en_year")

    def __init__(self) -> None:
        self.currency = self.foreign = self.roc = self.pct = False
        self.ordinal = self.vague = self.upward = self.negative = False
        self.label = False
        self.en_year = False
        self.qualifier: str | None = None
        self.start = 0


# Prefix pattern group -> the _Prefix flag it sets.
_PREFIX_FLAGS = {"cur": "currency", "foreign": "foreign", "roc": "roc", "pct": "pct", "ord": "ordinal",
                 "label": "label", "vague": "vague", "upward": "upward"}


def _read_prefix(norm: str, s: int, cn_run: bool) -> _Prefix:
    """Read the words before the number at ``s`` (qualifier, currency, 民國,
    百分之, 第, and -- for Chinese-numeral runs -- the vague 數/幾/上)."""
    p = _Prefix()
    i = s
    if i and norm[i - 1] == "-" and (i < 2 or not (norm[i - 2].isalnum()
                                                    or norm[i - 2] in ")]%")):
        p.negative, i = True, i - 1
    p.start = i
    for step in range(3):
        window = norm[max(0, i - 24):i]
        m = _PREFIX_RE.search(window)
        if not m:
            break
        g = m.lastgroup
        if g in _ADJACENT_ONLY and (step or p.negative):
            break
        if g in ("vague", "upward") and not cn_run:
            break  # 「家數 98%」「人數 50 人」: 數 ends a word, not a vague amount
        if g in _PREFIX_FLAGS:
            setattr(p, _PREFIX_FLAGS[g], True)
        elif g == "q":
            q = m.group("q")
            p.qualifier = p.qualifier or ("約" if q in ("約占", "約佔") else q)  # 「約占兩成」: 約
        elif g == "enq":
            p.qualifier = p.qualifier or _EN_QUALIFIERS[m.group("enq").lower()]
        i = i - (len(window) - m.start())
        p.start = i
        if g in _ADJACENT_ONLY:
            break
    if not p.negative:
        p.en_year = bool(_EN_YEAR_CTX_RE.search(norm[max(0, s - 12):s]))
    return p


# Prefixes that only count right before the number (nothing in between).
_ADJACENT_ONLY = frozenset({"pct", "ord", "vague", "upward", "roc", "label"})


def _skip_ws(norm: str, i: int) -> int:
    """Skip spaces/tabs and at most one line break."""
    n, newlines = len(norm), 0
    while i < n and norm[i] in " \t\r\n":
        if norm[i] == "\n":
            newlines += 1
            if newlines > 1:
                break
        i += 1
    return i


class _Unit:
    __slots__ = ("cat", "text", "classifier", "end", "en_scale", "en_scale_unit")

    def __init__(self, cat: str, text: str, end: int, classifier: str | None = None,
                 en_scale: int = 1, en_scale_unit: str = "") -> None:
        self.cat, self.text, self.end, self.classifier = cat, text, end, classifier
        self.en_scale, self.en_scale_unit = en_scale, en_scale_unit


def _read_unit(norm: str, j: int) -> _Unit | None:
    m = _UNIT_RE.match(norm, j)
    if m:
        g = m.lastgroup
        t = m.group(g)
        if g == "count":
            # 「19 個新創團隊」 counts teams as 「33 隊」 does
            team = t == "個" and _TEAM_AFTER.match(norm, m.end())
            return _Unit("count", t, m.end(), classifier="隊" if team else t)
        return _Unit(g, t, m.end())
    m = _EN_UNIT_RE.match(norm, j)
    if m and m.end() > j:
        scale = m.group("scale")
        factor, sunit = _EN_SCALES[scale.lower()] if scale else (1, "")
        end = m.end()
        if m.group("money"):
            return _Unit("en_money", m.group("money"), end, None, factor, sunit)
        if m.group("usd"):
            return _Unit("foreign", "美元", end, None, factor)
        if m.group("pct"):
            return _Unit("pct", "%", end)
        if m.group("cls"):
            word = m.group("cls").lower()
            return _Unit("count", word, end, EN_CLASSIFIERS[word], factor)
        if m.group("times"):
            return _Unit("times", "倍", end)
        if m.group("dur"):
            return _Unit("dur", "年" if m.group("dur").lower().startswith("y") else "個月",
                         end)
        if scale:
            return _Unit("en_scale", scale.lower(), m.end("scale"), None, factor, sunit)
    return None


# Units that may follow their number across a PDF line break (「100⏎ 億元」);
# a classifier or 年 on the next line is usually a new table cell.
_CROSS_LINE_UNITS = frozenset({"money", "foreign", "pct", "en_money"})


def _unit_after(norm: str, e: int) -> tuple[_Unit | None, str | None]:
    """The unit after a number ending at ``e`` and the 餘/多 between them."""
    j = _skip_ws(norm, e)
    infix = None
    unit = _read_unit(norm, j)
    if unit is None and j < len(norm) and norm[j] in "餘多":
        unit = _read_unit(norm, _skip_ws(norm, j + 1))
        infix = norm[j] if unit is not None else None
    if unit is not None and "\n" in norm[e:j] and unit.cat not in _CROSS_LINE_UNITS:
        return None, None
    return unit, infix


class _Reading:
    """One end of a quantity: kind, value, unit, classifier."""

    __slots__ = ("kind", "value", "unit", "classifier")

    def __init__(self, kind: str, value: float, unit: str,
                 classifier: str | None = None) -> None:
        self.kind, self.value, self.unit, self.classifier = kind, value, unit, classifier


def _year_reading(n: _Numeral, unit_text: str, roc_prefix: bool) -> _Reading:
    """Apply the year-vs-duration rule (module docstring) to ``n 年/年度``."""
    if n.is_int and not n.has_big:
        y = n.num // n.den
        if roc_prefix and 1 <= y <= _ROC_PREFIXED_MAX:
            return _Reading("year", float(y + ROC_OFFSET), unit_text)
        if _WESTERN_MIN <= y <= _WESTERN_MAX:
            return _Reading("year", float(y), unit_text)
        if _ROC_MIN <= y <= _ROC_MAX:
            return _Reading("year", float(y + ROC_OFFSET), unit_text)
    return _Reading("number", n.value(), unit_text)


def _reading(n: _Numeral, unit: _Unit | None, pre: _Prefix, *, scale_from: str = "",
             default: tuple[str, int] | None = None) -> _Reading | None:
    """Decide kind/value/unit for numeral ``n`` followed by ``unit``.

    ``scale_from`` is a scale word inherited from the high end of a range.
    Returns None when the numeral is not a quantity.
    """
    num, den = n.num, n.den
    trailing = n.trailing
    if scale_from:
        num *= _scale_of(scale_from)
        trailing = scale_from
    value = num / den
    if pre.pct:
        return _Reading("percent", value, "%")
    if pre.ordinal:
        return _Reading("number", value, "第")
    if unit is None:
        if pre.currency:
            return _Reading("money", value, _money_unit_name(trailing))
        if pre.foreign:
            return _Reading("number", value, trailing + "美元")
        if pre.roc:
            return _year_reading(n, "", True)
        if n.cn_only:
            return None
        if trailing and n.has_big:
            return _Reading("number", value, trailing)
        if n.has_unit:
            return _Reading("number", value, "")
        if (pre.en_year and n.arabic_only and n.is_int and "," not in n.raw
                and _WESTERN_MIN <= value <= _EN_YEAR_MAX):
            return _Reading("year", value, "")
        if default is not None:
            return _Reading("money", value * default[1], default[0])
        return _Reading("number", value, "")
    cat = unit.cat
    if cat == "money":
        if pre.foreign:
            return _Reading("number", value, trailing + "美元")
        return _Reading("money", value, _money_unit_name(trailing))
    if cat == "en_money" or (cat == "en_scale" and pre.currency):
        money_unit = unit.en_scale_unit or _money_unit_name(trailing)
        return _Reading("money", value * unit.en_scale, money_unit)
    if cat == "en_scale":
        if pre.foreign:
            return _Reading("number", value * unit.en_scale, "美元")
        return _Reading("number", value * unit.en_scale, unit.text)
    if cat == "foreign":
        cur = _FOREIGN_CANON.get(unit.text, unit.text)
        return _Reading("number", value * unit.en_scale, trailing + cur)
    if cat == "pct":
        return _Reading("percent", value, "%")
    if cat == "cheng":
        if value > 10 or n.has_big:
            return None
        return _Reading("percent", value * 10 + _CN_DIGITS.get(unit.text[1:], 0), "成")
    if cat == "pp":
        return _Reading("number", value, "百分點")
    if cat == "year":
        return _year_reading(n, unit.text, pre.roc)
    if cat == "yterm":
        return _Reading("number", value, "年期")
    if cat == "dur":
        return _Reading("number", value, unit.text)
    if cat == "times":
        return _Reading("number", value, "倍")
    # count
    scale_word = trailing if n.has_big or scale_from else ""
    return _Reading("count", value * unit.en_scale, scale_word + unit.text,
                    unit.classifier)


def _is_line_start(norm: str, s: int) -> bool:
    ls = norm.rfind("\n", max(0, s - 12), s) + 1
    if ls == 0 and s > 12:
        return False
    return norm[ls:s].strip(_LINE_BULLETS) == ""


def _is_marker(norm: str, s: int, e: int, n: _Numeral) -> bool:
    """List markers: '(2)', '1.' / '2、' / '3)' after a line start or a space."""
    if not (n.arabic_only and n.is_int and n.num <= _MARKER_MAX):
        return False
    before = norm[s - 1] if s else "\n"
    after = norm[e] if e < len(norm) else ""
    if before == "(" and after == ")":
        return True
    if after in (".", "、", ")"):
        nxt = norm[e + 1] if e + 1 < len(norm) else ""
        if nxt == "" or nxt == "\n" or "0" <= nxt <= "9":
            return False
        return before in " \t\n•●▪。;:,，" or _is_line_start(norm, s)
    return False


class _Scanner:
    """Walks a normalised text and yields Quantity objects."""

    def __init__(self, text: str, default: tuple[str, int] | None) -> None:
        self.text = text
        self.norm, self.offs = _normalize(text)
        self.default = default
        self.mask = bytearray(len(self.norm))
        self.found: list[Quantity] = []

    # -- helpers
    def _orig(self, i: int) -> int:
        return i if self.offs is None else self.offs[i]

    def _emit(self, s: int, e: int, r: _Reading, *, upper: float | None = None,
              qualifier: str | None = None) -> None:
        a, b = self._orig(s), self._orig(e - 1) + 1 if e > s else self._orig(s)
        self.found.append(Quantity(
            value=r.value, kind=r.kind, unit=r.unit, classifier=r.classifier,
            qualifier=qualifier, upper=upper, start=a, end=b, text=self.text[a:b]))

    def _run_ok(self, m: re.Match[str]) -> bool:
        s, e = m.span()
        norm = self.norm
        if any(self.mask[s:e]):
            return False
        if "0" <= norm[s] <= "9":
            prev = norm[s - 1] if s else ""
            if prev and prev.isascii() and (prev.isalpha() or prev in "._"):
                return False
            if prev == "-" and s >= 2 and norm[s - 2].isascii() and norm[s - 2].isalpha():
                return False
        last = norm[e - 1]
        if "0" <= last <= "9":
            nxt = norm[e] if e < len(norm) else ""
            if nxt and nxt.isascii() and (nxt.isalpha() or nxt == "_"):
                return False
        return True

    # -- main
    def scan(self) -> list[Quantity]:
        norm = self.norm
        for m in _ID_RE.finditer(norm):
            s, e = m.span()
            self.mask[s:e] = b"\x01" * (e - s)
            digits = "".join(c for c in m.group() if "0" <= c <= "9")
            self._emit(s, e, _Reading("number", float(int(digits)), "編號"))
        for m in _FRACTION_RE.finditer(norm):
            s, e = m.span()
            share = _fraction(m)
            if share is None or any(self.mask[s:e]):
                continue
            self.mask[s:e] = b"\x01" * (e - s)
            pre = _read_prefix(norm, s, False)
            self._emit(pre.start if pre.qualifier else s, e,
                       _Reading("percent", 100.0 * share[0] / share[1], "分之"), qualifier=pre.qualifier)
        pos = 0
        while True:
            m = _RUN_RE.search(norm, pos)
            if m is None:
                break
            pos = max(m.end(), self._read(m))
        self.found.sort(key=lambda q: (q.start, q.end))
        return self.found

    def _read(self, m: re.Match[str]) -> int:
        """Read one quantity starting at run ``m``; return where to go on."""
        norm = self.norm
        s, e = m.span()
        if not self._run_ok(m):
            return e
        n = _Numeral(m.group())
        scale_only = not n.has_digit and not m.group().startswith("十")
        pre = _read_prefix(norm, s, not ("0" <= norm[s] <= "9"))
        if pre.vague and n.cn_only or pre.upward and scale_only:
            return e
        if n.cn_only and norm[s] in "零〇":
            return e  # 零組件, 零售: 零 starting a word is not a number
        if pre.label:  # 「表 8」「圖 7」「附件 2」: a label, never a count or year
            if n.cn_only:
                return e
            self._emit(pre.start, e, _Reading("number", n.value(), ""))
            return e
        if pre.negative:
            n.num = -n.num
        # unit (with optional 餘/多 between number and unit)
        unit, infix = _unit_after(norm, e)
        if scale_only and not pre.pct and (unit is None or unit.cat != "count"):
            return e
        if n.cn_only and unit is None and not pre.pct:
            return e
        end = unit.end if unit else e
        # range?
        rng = self._try_range(n, unit, pre, s, end)
        if rng is not None:
            return rng
        r = _reading(n, unit, pre, default=self.default)
        if r is None:
            return e
        if unit is None and not (pre.currency or pre.foreign or pre.roc or pre.pct
                                 or pre.ordinal or pre.qualifier or pre.negative):
            if _is_marker(norm, s, e, n):
                return e
        qual = pre.qualifier or infix
        pq = _POST_QUAL_RE.match(norm, end)
        if pq:
            qual = qual or pq.group(1)
            end = pq.end()
        self._emit(pre.start, end, r, qualifier=qual)
        return end

    def _try_range(self, n: _Numeral, unit: _Unit | None, pre: _Prefix,
                   s: int, end: int) -> int | None:
        norm = self.norm
        k = _skip_ws(norm, end)
        if k < len(norm) and norm[k] == "起" and unit is not None and unit.cat == "year":
            k = _skip_ws(norm, k + 1)  # 「自 114 年起至 117 年」
        if k >= len(norm) or norm[k] not in "~-至到":
            return None
        sep = norm[k]
        p = _skip_ws(norm, k + 1)
        high_pre = _Prefix()
        cm = _HIGH_CURRENCY_RE.match(norm, p)
        if cm:
            high_pre.currency = True
            p = cm.end()
        m2 = _RUN_RE.match(norm, p)
        if m2 is None or not self._run_ok(m2):
            return None
        if sep == "-" and not ("0" <= norm[p] <= "9" and not n.cn_only):
            return None
        n2 = _Numeral(m2.group())
        if not n2.has_digit and not m2.group().startswith("十"):
            return None
        unit2, infix = _unit_after(norm, m2.end())
        if unit is not None and (unit2 is None or unit2.cat != unit.cat
                                 or (unit.text != unit2.text and unit.cat != "year")):
            return None
        high_pre.currency = high_pre.currency or pre.currency
        high_pre.foreign, high_pre.roc = pre.foreign, pre.roc
        high_pre.pct = pre.pct
        inherit = ""
        if unit is None and n2.trailing and not n.has_unit and unit2 is not None:
            inherit = n2.trailing
        elif unit is None and unit2 is None and n2.trailing and not n.has_unit and (
                pre.currency or pre.foreign):
            inherit = n2.trailing
        low_unit = unit if unit is not None else unit2
        # line-start section labels "1-2 ", "3-3 人口"
        if (sep == "-" and unit is None and n.arabic_only and n2.arabic_only
                and n.num <= _MARKER_MAX and n2.num <= _MARKER_MAX and n.is_int
                and n2.is_int and _is_line_start(norm, s)):
            if unit2 is None or n.num >= n2.num:
                return m2.end()  # a section label: skip both numbers
        if (n.cn_only and unit is None) and unit2 is None:
            return None
        if unit2 is None and not (pre.currency or pre.foreign or pre.pct):
            # bare range: years "2018-2021" or plain numbers
            lo, hi = n.value(), n2.value()
            if not (n.is_int and n2.is_int and lo < hi):
                return None
            if (n.arabic_only and n2.arabic_only and _WESTERN_MIN <= lo
                    and hi <= _EN_YEAR_MAX):
                r_lo = _Reading("year", lo, "")
                r_hi = _Reading("year", hi, "")
            else:
                r_lo = _reading(n, None, pre, scale_from=inherit, default=self.default)
                r_hi = _reading(n2, None, pre, default=self.default)
        else:
            r_lo = _reading(n, low_unit, pre, scale_from=inherit, default=self.default)
            r_hi = _reading(n2, unit2, high_pre, default=self.default)
        if r_lo is None or r_hi is None or r_lo.kind != r_hi.kind:
            return None
        if not r_lo.value < r_hi.value:
            return None
        if r_lo.kind == "count" and canonical_classifier(r_lo.classifier) != canonical_classifier(r_hi.classifier):
            return None
        end2 = unit2.end if unit2 is not None else m2.end()
        qual = pre.qualifier or infix
        pq = _POST_QUAL_RE.match(norm, end2)
        if pq:
            qual = qual or pq.group(1)
            end2 = pq.end()
        low = _Reading(r_hi.kind, r_lo.value, r_hi.unit, r_hi.classifier)
        self._emit(pre.start, end2, low, upper=r_hi.value, qualifier=qual)
        return end2


def canonical_classifier(c: str | None) -> str | None:
    """The classifier ``c`` counts with: 名 and 位 are 人 (see
    :data:`_CLASSIFIER_CANON`); ``None`` stays ``None``."""
    return _CLASSIFIER_CANON.get(c, c) if c is not None else None



# ------------------------------------------------------------ public API

def money_unit_factor(unit: str) -> tuple[str, int]:
    """The canonical name of a money unit and its factor in 元:
    ``money_unit_factor("新臺幣 億元")`` -> ``("億元", 100000000)``.

    Accepts the keys of :data:`MONEY_UNITS` after 新臺幣/新台幣/NT$,
    full-width or Simplified forms, and English thousand/million/billion/NTD.

    Raises:
        TypeError: ``unit`` is not a str.
        ValueError: unknown unit (the message lists the valid ones).
    """
    if not isinstance(unit, str):
        raise TypeError(f"unit must be a str, not {type(unit).__name__}")
    u = "".join(_norm_char(c) if c >= "\x80" else c for c in unit)
    u = u.replace(" ", "").replace("\t", "")
    for cur in ("新臺幣", "新台幣", "臺幣", "台幣", "NT$"):
        if u.startswith(cur):
            u = u[len(cur):] or "元"
            break
    low = u.lower()
    if low in _EN_SCALES:
        u = _EN_SCALES[low][1]
    elif low in ("ntd", "twd", "nt$"):
        u = "元"
    if u not in MONEY_UNITS:
        raise ValueError(
            f"unknown money unit {unit!r}; valid units: {', '.join(MONEY_UNITS)}")
    return u, MONEY_UNITS[u]


def extract_quantities(text: str, *,
                       default_money_unit: str | None = None) -> list[Quantity]:
    """Find every quantity in ``text``, in order of position.

    Args:
        text: Traditional/Simplified Chinese or English text (full-width
            forms allowed).
        default_money_unit: when given (e.g. "千元" from a table's 單位 line),
            bare numbers -- no unit, no scale word, not a year, marker or
            identifier -- become money in that unit (``390,000`` -> 3.9e8 元).

    Returns:
        ``Quantity`` objects sorted by ``start``; offsets index ``text``.
        See the module docstring for the rules (years vs durations, Chinese
        numerals, ranges, what is skipped).

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: ``default_money_unit`` is not a key of MONEY_UNITS (the
            message lists them).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return list(_extract_cached(text, default_money_unit))


@functools.lru_cache(maxsize=8192)
def _extract_cached(text: str, default_money_unit: str | None) -> tuple[Quantity, ...]:
    # Chunk texts are scanned again and again (every answer sentence is
    # checked against its cited chunks); Quantity is frozen, so results can
    # be shared.
    default = money_unit_factor(default_money_unit) if default_money_unit else None
    return tuple(_Scanner(text, default).scan())


def declared_money_unit(text: str) -> str | None:
    """The money unit a table declares, e.g. 「單位：新臺幣千元」 -> "千元".

    Recognises 「單位：千元」, 「單位:新臺幣 億元」, 「(單位：新臺幣千元)」
    and column headings like 「經費(千元)」「成本(億元)」.  Returns the unit
    of the first declaration (a key of MONEY_UNITS) or None when there is none.
    """
    norm, _ = _normalize(text)
    m = _DECLARED_RE.search(norm)
    if m is None:
        return None
    return m.group(1) or m.group(2)




# A bare Western year in English text (「in 2019」 is found by the scanner;
# 「FY2019」, 「2019-2021」 ends are not always).
_BARE_WESTERN = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


# An ROC year in English text: 「In 109,」 「for 108」 「(106)」 「ROC 110」.
_EN_ROC_YEAR = re.compile(r"(?:\b(?:in|for|by|of|year|FY|ROC)\s+|\()(\d{2,3})(?=\)|[\s,.;:?!]|$)", re.I)


# Quantity kinds whose number is never a year in :func:`western_years`.
_NOT_YEAR_KINDS = frozenset({"count", "money", "percent"})

_EN_ROC_PAIR = re.compile(r"(?<!\d)(\d{2,3})\s*(?:and|&|to|through|-|–|~)\s*(\d{2,3})(?![\d.,]*\d)", re.I)


# The longest span of years read as one (plan periods run a few years;
# 「1990-2030」 in a chart axis is not a period of the plan).
_MAX_SPAN = 12
# An English span of years: 「Jan 2021–Aug 2025」, 「from 2019 to 2022」,
# 「between 2019 and 2022」, 「2021 through August 2025」, 「ROC 110-114」,
# 「ROC years 106–109」 (a bare 「2019 and 2022」 names two years, not the
# span; a bare 「2023 to」 may be a rise's start: 「from 12.3% in 2023 to 50%」).
_MONTH = r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?"
_EN_SPAN = re.compile(
    r"(?:\bfrom\s+" + _MONTH + r"(19[5-9]\d|20\d\d)\s*(?:to|through|until|till|-|–|—|~)\s*"
    r"|\bbetween\s+" + _MONTH + r"(19[5-9]\d|20\d\d)\s*and\s*"
    r"|\b" + _MONTH + r"(19[5-9]\d|20\d\d)\s*(?:-|–|—|~|through|thru|until|till)\s*)" + _MONTH
    + r"(19[5-9]\d|20\d\d)(?!\d)", re.I)
_EN_ROC_SPAN = re.compile(r"\bROC(?:\s+years?)?\s+(\d{2,3})\s*(?:-|–|—|~|to|through)\s*(\d{2,3})(?!\d)", re.I)


def western_years(text: str, *, english: bool = False) -> list[int]:
    """Every year a text names, as sorted Western years: year quantities
    (ranges expanded: 「108-110 年」 -> 2019, 2020, 2021) and, for English
    text, every bare 1950-2099 number and every 60-200 after in/for/by/of/
    year/FY/ROC or in parentheses (an ROC year, :data:`_ROC_MIN`..:data:`_ROC_MAX`),
    and every year of a span (:data:`_EN_SPAN`, :data:`_EN_ROC_SPAN`; at most
    :data:`_MAX_SPAN` years long)."""
    out: set[int] = set()
    quantities = extract_quantities(text)
    for q in quantities:
        if q.kind == "year":
            out.update(range(int(q.value), int(q.upper or q.value) + 1))
    if english:
        out.update(int(y) for y in _BARE_WESTERN.findall(text))
        # 「validated in 80 companies」, "of 100 million": a number the
        # grammar reads as a count, an amount or a share is not an ROC year
        counted = [(q.start, q.end) for q in quantities if q.kind in _NOT_YEAR_KINDS or (q.kind == "number" and q.unit)]
        out.update(int(m.group(1)) + ROC_OFFSET for m in _EN_ROC_YEAR.finditer(text)
                   if _ROC_MIN <= int(m.group(1)) <= _ROC_MAX
                   and not any(a <= m.start(1) < b for a, b in counted))
        for a, b in _EN_ROC_PAIR.findall(text):  # 「in 112 and 113」: the second is a year too
            if int(a) + ROC_OFFSET in out and _ROC_MIN <= int(b) <= _ROC_MAX:
                out.add(int(b) + ROC_OFFSET)
        for lo, hi in english_spans(text):  # 「Jan 2021–Aug 2025」, 「ROC 110-114」: every year of the span
            out.update(range(lo, hi + 1))
    return sorted(out)


def english_spans(text: str) -> list[tuple[int, int]]:
    """The spans of years an English text names as spans, as Western
    ``(first, last)`` in text order: 「Jan 2021–Aug 2025」, 「2021 through
    August 2025」, 「from 2019 to 2022」, 「between 2019 and 2022」
    (:data:`_EN_SPAN`), 「ROC 110-114」 (:data:`_EN_ROC_SPAN`); at most
    :data:`_MAX_SPAN` years long."""
    out: list[tuple[int, int, int]] = []
    for m in _EN_SPAN.finditer(text):
        lo, hi = int(next(g for g in m.groups()[:3] if g)), int(m.group(4))
        if lo < hi <= lo + _MAX_SPAN:
            out.append((m.start(), lo, hi))
    for m in _EN_ROC_SPAN.finditer(text):
        lo, hi = int(m.group(1)), int(m.group(2))
        if _ROC_MIN <= lo < hi <= min(lo + _MAX_SPAN, _ROC_MAX):
            out.append((m.start(), lo + ROC_OFFSET, hi + ROC_OFFSET))
    return [(lo, hi) for _, lo, hi in sorted(out)]

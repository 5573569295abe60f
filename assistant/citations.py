"""Citation checking: is every sentence of an answer supported by the
chunks it cites?

A sentence is *verified* when

1. it cites at least one source, and every marker ``[n]`` names a real one;
2. every quantity in it (money with unit and scale normalised — 3.9 億元 =
   39,000 萬元 = 390,000 千元 —, percentages, counts, years in either
   calendar, bare numbers) occurs in at least one cited chunk
   (:func:`assistant.figures.compare.quantity_supported`; a table chunk's unit line
   gives its bare figures their unit);
3. at least :data:`MIN_COVERAGE` of its content words (jieba words, minus
   stop words and the answer templates' own words) occur in the cited
   chunks or the headings they sit under -- the words the answer frames a
   quoted sentence with (:data:`FRAMINGS`, 「計畫書內數字不一致：」) aside.

The same checker gates extractive answers and LLM answers.

Example:
    >>> src = {1: Source("單位:千元\\n分項二\\t350,000", "千元")}
    >>> check_sentence("分項二為 350,000 千元[1]。", src).verified
    True
    >>> check_sentence("分項二為 360,000 千元[1]。", src).verified
    False
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.tokenize import PlanTokenizer

from .english import LEAD_WORDS
from .figures.compare import quantity_supported
from .figures.quantities import MONEY_UNITS, declared_money_unit, extract_quantities
from .language import squash

#: The notice an answer puts before another place stating its figure with
#: another value (:mod:`assistant.conflicts`, issue 12).
CONFLICT_NOTICE = "計畫書內數字不一致："
#: The composer's words before a supporting sentence stating another value
#: (:mod:`assistant.compose`).
OTHER_VALUE = "另有不同數值："
#: Words the answer frames a quoted sentence with: its own, not the source's,
#: so not among the words checked against the source.
FRAMINGS = (CONFLICT_NOTICE, OTHER_VALUE)


MARKER_RE = re.compile(r"\[(\d{1,3})\]")
# Share of a sentence's content words that must occur in its cited chunks.
# Calibrated on the benchmark: faithful extractive sentences score 1.0, LLM
# paraphrases of cited passages ≥ 0.8, sentences about other facts < 0.5.
MIN_COVERAGE = 0.7
# Words that carry no claim of their own: function words, question words and
# the words the answer templates add around quotes. Source: jieba output on
# the benchmark's answers; kept short on purpose.
STOP_WORDS = frozenset("""
的 了 是 為 及 與 和 或 在 於 之 其 並 等 則 即 由 以 可 有 無 各 每 該 此 這 那 將 被 對 從 到 也 都 而 但 如 若 約 共 計 中 內 上 下
根據 依據 文件 資料 計畫書 顯示 指出 提到 說明 所示 記載 載明 列 列於 表中 另 另有 不同 數值 數字 來源 答案 問題 請問 什麼 哪些 哪個 多少 幾 嗎 呢
單位 年度 合計 如下 包括 包含 相關 部分 分別 其中 為止 以下 以上 是否 可以 需要 應 須
""".split())
_DIGITS = re.compile(r"^[\d.,%]+$")


@dataclass(frozen=True)
class Source:
    """A citable chunk text and the money unit its bare figures are in.

    Attributes:
        text: the chunk's document text.
        money_unit: e.g. ``"千元"`` for a table under 「單位：千元」; ``None``
            when the text has no unit line.
        context: the headings the chunk sits under (section path, table
            title); they count for word coverage — a sentence may name the
            section it quotes from — but never for figures.
    """

    text: str
    money_unit: str | None = None
    context: str = ""


@dataclass
class SentenceCheck:
    """The verdict on one sentence.

    Attributes:
        text: the sentence as given (markers included).
        citations: the markers it carries, in order.
        verified: True when all three rules of the module docstring hold.
        unsupported: quantities (as written) no cited chunk contains.
        coverage: share (0–1) of content words found in the cited chunks.
        reasons: why it failed, in words (empty when verified).
    """

    text: str
    citations: list[int]
    verified: bool
    unsupported: list[str] = field(default_factory=list)
    coverage: float = 1.0
    reasons: list[str] = field(default_factory=list)


_tok = PlanTokenizer()


def money_unit_of(table_unit: str) -> str | None:
    """The money unit (a key of ``MONEY_UNITS``) in a table's unit text
    (``"新臺幣千元"`` → ``"千元"``), or ``None``."""
    for unit in sorted(MONEY_UNITS, key=len, reverse=True):
        if table_unit.endswith(unit) or table_unit.endswith(unit.rstrip("元")):
            return unit if table_unit.endswith(unit) else None
    return None


def strip_markers(text: str) -> str:
    """The sentence without its ``[n]`` markers."""
    return MARKER_RE.sub("", text).strip()


_STOP_CHARS = "".join(w for w in STOP_WORDS if len(w) == 1)


def content_words(text: str) -> list[str]:
    """Words that carry the sentence's claim: jieba words minus
    :data:`STOP_WORDS`, the English lead's template words
    (:data:`assistant.english.LEAD_WORDS`), numbers and single Latin letters, with single-
    character stop words trimmed from their ends (jieba glues 為 to 二 in
    「分項二為」); quantities are left to the figure check."""
    for q in reversed(extract_quantities(text)):
        text = text[: q.start] + " " + text[q.end:]
    out = []
    for w in _tok.words(text):
        w = w.strip(_STOP_CHARS) if len(w) > 1 else w
        if w and w not in STOP_WORDS and w not in LEAD_WORDS and not _DIGITS.match(w) and not (len(w) == 1 and w.isascii()):
            out.append(w)
    return out


def check_sentence(sentence: str, sources: dict[int, Source]) -> SentenceCheck:
    """Check one answer sentence against the sources it cites.

    Args:
        sentence: the sentence with its ``[n]`` markers.
        sources: marker number → :class:`Source` for every real source.

    Returns:
        A :class:`SentenceCheck`.
    """
    markers = [int(m) for m in MARKER_RE.findall(sentence)]
    body = strip_markers(sentence)
    reasons: list[str] = []
    if not markers:
        reasons.append("no citation")
    bad = [m for m in markers if m not in sources]
    if bad:
        reasons.append("cites sources that do not exist: " + ", ".join(f"[{m}]" for m in bad))
    cited = [sources[m] for m in markers if m in sources]
    unsupported = []
    for q in extract_quantities(body):
        if not any(quantity_supported(q, s.text, default_money_unit=s.money_unit or declared_money_unit(s.text)) for s in cited):
            unsupported.append(q.text)
    if unsupported:
        reasons.append("figures not in the cited passages: " + ", ".join(unsupported))
    words = content_words(next((body[len(f):] for f in FRAMINGS if body.startswith(f)), body))
    joined = "".join(squash(s.context + s.text).lower() for s in cited)
    coverage = sum(1 for w in words if w in joined) / len(words) if words else 1.0
    if cited and coverage < MIN_COVERAGE:
        reasons.append(f"only {coverage:.0%} of its content words are in the cited passages")
    return SentenceCheck(sentence, markers, not reasons, unsupported, coverage, reasons)


def split_answer(answer: str) -> list[str]:
    """Split a free-text answer into sentences (after 。!?;！？； or a line
    break), keeping each sentence's trailing markers with it."""
    parts = re.split(r"(?<=[。!?！？;；])(?!\s*\[\d)|\n+", answer)
    return [p.strip() for p in parts if p and p.strip()]


def check_answer(answer: str, sources: dict[int, Source]) -> list[SentenceCheck]:
    """Check every sentence of a free-text answer (see :func:`check_sentence`)."""
    return [check_sentence(s, sources) for s in split_answer(answer)]

"""Questions that ask two things at once: 「分項三 2025 年拿多少錢？四年合計呢？」,
"How is the grant paid out, and what must be met before the second
payment?".

A question is split where it asks again: after a question mark (？ ?), a
full stop or a semicolon, before ", and how/what/which …", and before a
「，另外/還有/以及 …」 that asks again.  A piece that asks nothing (no
question mark, no question word: 「我是博士生。」) is context and stays with
the part after it.  A part is kept only when it holds at least :data:`MIN_PART_CHARS`
characters of words (a closing 「對嗎？」 is not a question of its own).  The
first part is complete; a later one is asked on its own when it is long
enough to name its own subject, else — often elliptical: 「人事費又是多少？」,
「上限是多少？」 — as a follow-up of the first
(:func:`assistant.followup.resolve`) when it reads as one, else together
with the first part, so that it keeps the first part's subject
(:func:`part_question`).

Example:
    >>> question_parts("培訓單位可以編列管理費嗎？上限是多少？")
    ['培訓單位可以編列管理費嗎？', '上限是多少？']
    >>> question_parts("分項二 108 年度經費是多少？")
    ['分項二 108 年度經費是多少？']
"""
from __future__ import annotations

import re

from .followup import SUBJECT, YEAR, Turn, parse, resolve
from .query import QuestionType, question_type

# Fewest word characters (CJK characters and Latin letters) in a part that
# asks a question of its own: 「上限是多少」 has 5, 「對嗎」 2.
MIN_PART_CHARS = 4
# Word characters from which a later part is asked on its own (it names
# its own subject: 「第二期款的請撥條件是什麼」 has 12), below which it is
# asked after the first part (「上限是多少」).
OWN_SUBJECT_CHARS = 8
# The same for an English part, in words ("what do they have to meet before
# the second payment" has 10; "how many were approved" 4).
OWN_SUBJECT_WORDS = 6
_CONJUNCTION = re.compile(r"^(?:and|also)\s+|^(?:另外|還有|还有|以及|同時|同时)[，,\s]*", re.IGNORECASE)
# Where a question asks again: after ？/?/。/；/; (kept with the part before),
# and before "and how/what/which …" or 「，另外/還有/以及 …多少」 (the
# conjunction starts the next part).
_BREAK = re.compile(r"(?<=[？?。；;])\s*|,?\s+(?=and (?:how|what|which|who|when|where|whether|is|are|does|do|did|can|"
                    r"will|must)\b)|[，,]\s*(?=(?:另外|還有|还有|以及|同時|同时)\S*?(?:多少|幾|几|什麼|什么|哪|如何|嗎|吗))",
                    re.IGNORECASE)
# Words that ask a total over years: such a part keeps no year of the first.
_TOTALS = re.compile(r"合計|合计|總計|总计|總共|总共|一共|加起來|加起来|共計|共计|累計|累计|全程|全期|四年|"
                     r"\b(?:total|overall|whole|entire|cumulative|combined|altogether|all years|(?:two|three|four|five)-year)\b",
                     re.IGNORECASE)
_HOW_MUCH = re.compile(r"多少|幾|几|\bhow (?:much|many)\b", re.IGNORECASE)
_WORD_CHARS = re.compile(r"[\u3400-\u9fffA-Za-z]")
# A piece that asks: a question mark, or a question word (Chinese, English).
_QUESTION = re.compile(r"[？?]|多少|幾|几|什麼|什么|甚麼|哪|誰|谁|如何|怎麼|怎么|為何|为何|嗎|吗|呢|是否|有沒有|有没有|能否|可否"
                       r"|\b(?:how|what|which|who|when|where|why|whether)\b"
                       r"|^\s*(?:and\s+)?(?:is|are|can|could|may|does|do|did|will|must|should)\b", re.IGNORECASE)


def question_parts(question: str) -> list[str]:
    """The questions ``question`` asks, in order (itself alone when it asks
    one); a part too short to ask anything joins the one before.

    Raises:
        TypeError: ``question`` is not a str.
    """
    if not isinstance(question, str):
        raise TypeError(f"question must be a str, not {type(question).__name__}")
    parts: list[str] = []
    context = ""
    for piece in _BREAK.split(question.strip()):
        if not piece:
            continue
        if not _asks(piece):
            context += piece  # 「我是博士生。」: what the next part asks about
        elif parts and len(_WORD_CHARS.findall(piece)) < MIN_PART_CHARS:
            parts[-1] += context + piece
            context = ""
        else:
            parts.append(context + piece)
            context = ""
    if context:
        if not parts:
            return [question]
        parts[-1] += context
    if len(parts) > 1 and len(_WORD_CHARS.findall(parts[0])) < MIN_PART_CHARS:
        parts[:2] = [parts[0] + parts[1]]
    return parts or [question]


def _asks(piece: str) -> bool:
    """``piece`` asks something: it ends with a question mark or holds a
    question word; a statement (「我是博士生。」) is context for the next part."""
    return bool(_QUESTION.search(piece))


def _names_own_subject(part: str) -> bool:
    """``part`` is long enough to name its own subject: :data:`OWN_SUBJECT_CHARS`
    CJK characters, or :data:`OWN_SUBJECT_WORDS` English words."""
    if re.search(r"[\u3400-\u9fff]", part):
        return len(_WORD_CHARS.findall(part)) >= OWN_SUBJECT_CHARS
    return len(part.split()) >= OWN_SUBJECT_WORDS


def _names_nothing(part: str) -> bool:
    """``part`` names no subject of its own, however long: no 分項/子項,
    KPI code or quoted name, no plan, and no word of three characters or
    more besides years, measures and question words
    (:func:`assistant.followup.parse`) -- "and how much of that is for
    2025?", 「第一年（114年度）是多少？」 ask about the first part's subject."""
    frame = parse(part)
    return not (frame.slots[SUBJECT] or frame.docs or any(len(w.written) >= 3 for w in frame.residue))


def part_question(parts: list[str], i: int, titles: dict[str, str] | None = None) -> str:
    """The question to ask for part ``i`` of ``parts``: the first as it is;
    a later one alone (without its leading "and"/「另外」) when it names its
    own subject (:func:`_names_own_subject`, unless :func:`_names_nothing`),
    else resolved as a follow-up of the first when it reads as one
    (「四年合計呢？」, 「人事費又是多少？」),
    else after the first (so that 「上限是多少？」 keeps 「管理費」)."""
    if i == 0:
        return parts[0]
    own = _CONJUNCTION.sub("", parts[i]).strip()
    if _names_own_subject(own) and not _names_nothing(parts[i]):
        return _dated(own, parts[0])
    understood = resolve(parts[i], [Turn(parts[0])], titles)
    if understood is not None:
        return understood.question
    return f"{parts[0]} {own}" if parts[0].isascii() else f"{parts[0]}{own}"


def _dated(part: str, first: str) -> str:
    """``part`` asked in the first part's year when it asks a figure, names
    no year or period and totals nothing ("In 2021, how much existing
    budget and how much new budget does …" → "In 2021, how much new budget
    does …"); else ``part`` as it is."""
    asks_figure = question_type(part) in (QuestionType.AMOUNT, QuestionType.TARGET) or _HOW_MUCH.search(part)
    if not asks_figure or _TOTALS.search(part) or parse(part).slots[YEAR]:
        return part
    years = parse(first).slots[YEAR]
    if not years:
        return part
    return f"In {years[0].en}, {part}" if part.isascii() else f"{years[0].zh}{part}"


__all__ = ["MIN_PART_CHARS", "OWN_SUBJECT_CHARS", "OWN_SUBJECT_WORDS", "part_question", "question_parts"]

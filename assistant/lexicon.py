"""A bilingual lexicon learned from English questions and the Chinese
passages that answer them: English word → the plans' Chinese words.

English questions reach the Chinese plans through the hand-written glossary
(:func:`assistant.language.english_terms`) and the multilingual encoder.
Both miss the plans' own wording of many things an applicant asks about
("deadline" → 截止 / 收件, "foreign" → 稅額 / 所得 in the prize rules,
"students" → 在校 / 碩一).  This lexicon is counted from the dev split's
English questions and their gold evidence spans, a co-occurrence model in
the spirit of a word-translation table (IBM model 1 without EM):

* an English word ``e`` (lower-cased, a final ``s`` dropped, function words
  left out) and a Chinese word ``z`` (:meth:`ingest.tokenize.PlanTokenizer.words`
  of the evidence, CJK, 2+ characters) co-occur when a question holds ``e``
  and its evidence ``z``;
* ``z`` is kept for ``e`` when they co-occur in at least :data:`MIN_PAIRS`
  questions, in at least :data:`MIN_SHARE` of the questions holding ``e``,
  and ``z`` is rare in the indexed chunks (idf ≥ :data:`MIN_IDF`); the
  :data:`MAX_TERMS` best by share × idf are kept.

The four settings were set before any measurement and not tuned.  Fitted by
``python -m eval fit-lexicon`` (:mod:`eval.fit_lexicon`), which records in
``meta`` the English retrieval hit@5 / MRR with and without it, each dev
question set (one writer's questions) scored by a lexicon fitted on the
others.  :func:`assistant.query.analyze` adds an English question's terms
to its matching text, as it adds the glossary's.

Example:
    >>> lex = Lexicon.fit([("When is the deadline?", ["收件截止日期"]),
    ...                    ("What deadline applies?", ["截止收件"])],
    ...                   words=lambda t: ["收件", "截止"], idf=lambda w: 3.0)
    >>> lex.terms("Is there a deadline?")
    ['截止', '收件']
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).parent / "data" / "lexicon.json"

#: Questions in which an English word and a Chinese word must co-occur.
MIN_PAIRS = 2
#: Share of the questions holding the English word whose evidence holds the
#: Chinese word.
MIN_SHARE = 0.3
#: Least idf (ln(chunks / (1 + chunks holding it))) of a kept Chinese word:
#: words on every page (計畫, 經費) say nothing.
MIN_IDF = 1.5
#: Chinese words kept per English word.
MAX_TERMS = 3

# Function words and the words of every question (plan, year, how much …).
_STOP = frozenset("""the a an of to in for and or is are was were be been by on at with as what which who whom how
does do did this that these those plan plans program programme project its it their there any much many per each
year years can may will would should from about under than more most into over i we our you your my me they them
has have had not no yes if when where why all also such only other""".split())
_EN_WORD = re.compile(r"[a-z][a-z\-]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def english_words(text: str) -> set[str]:
    """The content words of English ``text``: lower-cased, a final ``s``
    dropped ("students" → "student"), function words and words of two
    letters or fewer left out."""
    return {w.rstrip("s") for w in _EN_WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


@dataclass(frozen=True)
class Lexicon:
    """English word → the plans' Chinese words (see the module docstring).

    Attributes:
        entries: ``{english word: (chinese word, …)}``, best first.
        meta: how it was fitted (split, questions, cross-validated numbers).
    """

    entries: dict[str, tuple[str, ...]]
    meta: dict = field(default_factory=dict)

    def terms(self, text: str) -> list[str]:
        """The Chinese words of the English words of ``text``, without
        repeats, in order of the sorted English words."""
        out: dict[str, None] = {}
        for w in sorted(english_words(text)):
            out.update(dict.fromkeys(self.entries.get(w, ())))
        return list(out)

    @classmethod
    def fit(cls, pairs: Iterable[tuple[str, Iterable[str]]], *, words: Callable[[str], list[str]],
            idf: Callable[[str], float], meta: dict | None = None) -> Lexicon:
        """Count a lexicon from ``(English question, evidence spans)`` pairs.

        Args:
            pairs: each English question with the Chinese passages that
                answer it.
            words: the Chinese tokenizer (the index's word view).
            idf: a Chinese word's idf in the indexed chunks.
            meta: stored with the lexicon.
        """
        n_e: Counter = Counter()
        n_ez: Counter = Counter()
        for question, spans in pairs:
            e_words = english_words(question)
            z_words = {w for s in spans for w in words(s) if len(w) >= 2 and _CJK.search(w)}
            n_e.update(e_words)
            n_ez.update((e, z) for e in e_words for z in z_words)
        scored: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for (e, z), n in n_ez.items():
            share = n / n_e[e]
            if n < MIN_PAIRS or share < MIN_SHARE:
                continue
            weight = idf(z)
            if weight >= MIN_IDF:
                scored[e].append((share * weight, z))
        entries = {e: tuple(z for _, z in sorted(v, key=lambda t: (-t[0], t[1]))[:MAX_TERMS])
                   for e, v in sorted(scored.items())}
        return cls(entries, dict(meta or {}))

    def to_json(self) -> str:
        """The lexicon as JSON (the format of :data:`LEXICON_PATH`)."""
        return json.dumps({"entries": {e: list(z) for e, z in self.entries.items()}, "meta": self.meta},
                          ensure_ascii=False, indent=1)

    @classmethod
    def load(cls, path: str | Path = LEXICON_PATH) -> Lexicon:
        """Read a lexicon written by :meth:`to_json`; an empty one when the
        file does not exist (a checkout before the first fit)."""
        return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> Lexicon:
    p = Path(path)
    if not p.exists():
        return Lexicon({})
    d = json.loads(p.read_text(encoding="utf-8"))
    return Lexicon({e: tuple(z) for e, z in d["entries"].items()}, d.get("meta", {}))


__all__ = ["LEXICON_PATH", "Lexicon", "english_words"]

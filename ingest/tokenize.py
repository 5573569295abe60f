"""Chinese tokenization shared by ingestion (BM25, LSA) and query analysis.

Two lexical views of a text:

* **words** — jieba segmentation (HMM on) with a user dictionary of plan terms
  (``ingest/data/userdict.txt``: 計畫, 分項, 經常門, 資本門, 前瞻基礎建設,
  績效指標, 關鍵成果 …, which jieba's bundled dictionary lacks), lower-cased,
  punctuation and whitespace dropped;
* **bigrams** — overlapping character bigrams within runs of CJK characters
  (robust to segmentation errors; on these documents they retrieve about as
  well as words, and the two views fuse well).

Numbers lose their thousands separators first (``350,000`` → ``350000``) so
that a figure is one token whichever way it is written.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

USER_DICT = Path(__file__).parent / "data" / "userdict.txt"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_KEEP = re.compile(r"[\w%]", re.UNICODE)
_lock = threading.Lock()


def normalize_for_tokens(text: str) -> str:
    """NFKC fold, drop thousands separators in numbers, lower-case."""
    text = unicodedata.normalize("NFKC", text)
    return _THOUSANDS.sub("", text).lower()


@lru_cache(maxsize=4)
def _jieba(user_dict: str):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(user_dict)
    return tk


class PlanTokenizer:
    """Tokenizer for plan text (see the module docstring for the views).

    Example:
        >>> tok = PlanTokenizer()
        >>> tok.words("分項二 109 年度經費 350,000 千元")
        ['分項', '二', '109', '年度', '經費', '350000', '千元']

    Args:
        user_dict: path of a jieba user dictionary (``word freq tag`` lines).
    """

    def __init__(self, user_dict: Path | str = USER_DICT):
        self.user_dict = str(user_dict)

    def words(self, text: str) -> list[str]:
        """jieba words of ``text`` (a list of str; no punctuation/space)."""
        text = normalize_for_tokens(text)
        with _lock:  # jieba tokenizers are not thread-safe
            toks = _jieba(self.user_dict).lcut(text, HMM=True)
        return [t for t in (t.strip() for t in toks) if t and _KEEP.search(t)]

    @staticmethod
    def bigrams(text: str) -> list[str]:
        """Overlapping CJK character bigrams (single characters for runs of
        length 1) of ``text``, plus its ASCII words and numbers."""
        text = normalize_for_tokens(text)
        out: list[str] = []
        for run in _CJK_RUN.findall(text):
            out.extend(run[i:i + 2] for i in range(max(1, len(run) - 1)))
        out.extend(re.findall(r"[a-z0-9][a-z0-9.%]*", _CJK_RUN.sub(" ", text)))
        return out

"""The benchmark's splits: **dev** (tune on it) and **test** (confirm on it).

* ``dev`` — ``eval/benchmark.jsonl``: written alongside the pipeline; every
  rule, weight and threshold may be chosen by looking at its results.
* ``test`` — ``eval/test.jsonl``: written from the PDFs alone by people who
  had not read the pipeline's code or its answers, and frozen: its SHA-256 is
  recorded in :data:`FROZEN_SHA256` and checked by the tests. No rule, weight
  or threshold is chosen by looking at its results. Changing it needs a new
  file name (a new split entry) and a note why in ``eval/README.md``.

Example::

    >>> [s.name for s in resolve("all")]
    ['dev', 'test']
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent


class SplitName(str, Enum):
    """The split choices of ``python -m eval run --split``."""

    DEV = "dev"
    TEST = "test"
    ALL = "all"

    @classmethod
    def parse(cls, value: str) -> "SplitName":
        """The member named ``value``.

        Raises:
            ValueError: ``value`` is not a split name (the message lists them).
        """
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown split {value!r}; valid: {', '.join(m.value for m in cls)}") from None


#: The split files, relative to ``eval/``.
SPLIT_FILES = {SplitName.DEV: "benchmark.jsonl", SplitName.TEST: "test.jsonl"}
#: SHA-256 of each frozen split file, as committed. The test split is frozen
#: from its first commit on.
FROZEN_SHA256 = {
    SplitName.TEST: "0eab5137b30794e18bb02541b5355bb6fc9e320b798ad1e36b9f17a28ffa353f",
}


@dataclass(frozen=True)
class Split:
    """One question file scored as a unit.

    Attributes:
        name: ``dev``, ``test`` or, for a file given with ``--questions``, its stem.
        path: the JSONL file.
    """

    name: str
    path: Path

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the file's bytes (printed by every run)."""
        return file_sha256(self.path)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes.

    Raises:
        FileNotFoundError: no such file.
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def question_set(item_id: str) -> str:
    """The question set (one writer's batch) an item belongs to: its id's
    prefix before the first ``-`` (``"d34-q002"`` → ``"d34"``).  The fitters
    cross-validate by it, so that no writer's wording is both fitted on and
    scored (:mod:`eval.fit_lexicon`, :mod:`eval.fit_reranker`)."""
    return item_id.split("-")[0]


def resolve(split: str | SplitName) -> list[Split]:
    """The splits ``split`` names (``all`` → dev then test).

    Raises:
        ValueError: an unknown split name.
    """
    name = split if isinstance(split, SplitName) else SplitName.parse(split)
    names = [SplitName.DEV, SplitName.TEST] if name is SplitName.ALL else [name]
    return [Split(n.value, EVAL_DIR / SPLIT_FILES[n]) for n in names]

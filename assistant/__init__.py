"""planqa assistant: retrieval, answers, citation checking and budget-claim
verification.

The public entry points are :func:`ask` (with ``history=`` for follow-up
questions, :mod:`assistant.followup`), :func:`assistant.verify.verify` and
:func:`assistant.audit.audit` (no package-level aliases: the submodules have
those names); heavy modules are imported lazily so that the CLI starts fast.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from .answer import Answer, Assistant
    from .followup import Turn

_assistants: dict[tuple, tuple["Assistant", str]] = {}  # key -> (assistant, index version it opened)


def get_assistant(db_dir: str | Path | None = None, *, host: str | None = None, port: int | None = None) -> "Assistant":
    """The shared :class:`~assistant.answer.Assistant` of an index (opened
    once per process and index location, and opened again once another
    process has published a new version of the index -- :mod:`ingest.version`
    -- with no write of it still in progress)."""
    from ingest.config import default_db_dir
    from ingest.journal import pending
    from ingest.version import version

    from .answer import Assistant

    key = (str(Path(db_dir) if db_dir else default_db_dir()), host, port)
    now = version(key[0])
    held = _assistants.get(key)
    if held is None or (held[1] != now and pending(key[0]) is None):
        held = _assistants[key] = (Assistant(Path(key[0]), host=host, port=port, fresh=held is not None), now)
    return held[0]


def reset_assistants() -> None:
    """Forget the opened assistants (after the index changed on disk)."""
    _assistants.clear()


def ask(question: str, *, history: Sequence[Turn | Answer] | None = None, doc_ids: list[str] | None = None,
        top_k: int = 10, db_dir: str | Path | None = None) -> "Answer":
    """Answer a question from the indexed plans.

    Example:
        >>> a = ask("分項二 108 年度經費是多少？")          # doctest: +SKIP
        >>> a.answer, a.citations[0].page                    # doctest: +SKIP
        >>> b = ask("那 109 年呢？", history=[a])             # doctest: +SKIP
        >>> b.understood.text                                # doctest: +SKIP
        '理解為：109 年度 分項二 經費（重點產業高階人才培訓與就業計畫）'

    Args:
        question: Traditional/Simplified Chinese or English.
        history: the earlier turns of the conversation, oldest first
            (earlier answers or :class:`~assistant.followup.Turn` s); a
            follow-up is resolved against the last one
            (:mod:`assistant.followup`).
        doc_ids: restrict to these documents.
        top_k: number of retrieved chunks considered.
        db_dir: index folder (default ``$PLANQA_DB`` or ``./.planqa``).

    Returns:
        :class:`~assistant.answer.Answer`.
    """
    return get_assistant(db_dir).ask(question, history=history, doc_ids=doc_ids, top_k=top_k)


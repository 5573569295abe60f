"""The write journal: what a writer is in the middle of, so that a write cut
off at any point (``kill -9``, power loss, a full disk) is rolled back or
completed the next time the index is written or repaired.

A writer (:mod:`ingest.pipeline`, holding the write lock of
:mod:`ingest.lock`) records one :class:`Entry` per document before it
touches a batch of documents (their new chunks go to Chroma in one ``add``)
and clears the journal when every document's chunks, registry record and
facts are written.  The entries are written atomically (a temporary file,
``fsync``, then ``os.replace``), so the journal is either the old entries,
the new ones, or absent -- never half a file.  Each entry is recovered on
its own: a batch cut off midway leaves some documents written (completed
again, which changes nothing) and the others rolled back or completed.

Recovery (:func:`ingest.pipeline.recover`) reads the entry and the index:

* **write** of a document: if none of the chunks it replaces has been
  deleted yet, the new chunks are deleted again (the index is as it was
  *before*); if the deletion had begun, the new chunks are all in (they are
  added first), so the registry record is written (*after*).  A new
  document whose chunks are not all in is removed.
* **remove** of a document: finished.
* **refit** of an LSA index (its model file already rewritten, the vectors
  of the other chunks not yet): refitted again over the chunks there are.

The BM25 views and the fact store heal themselves against Chroma and the
registry (a fingerprint of the chunk ids; the stored content hash per
document), and an LSA index is refitted over the chunks that remain.

Example:
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> begin(d, Entry("remove", "doc-a", ["c1"], []))
    >>> pending(d).doc_id
    'doc-a'
    >>> clear(d); pending(d) is None
    True
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: The journal file inside an index folder.
JOURNAL_NAME = ".journal.json"
#: The actions a journal entry records.
ACTIONS = ("write", "remove", "refit")


@dataclass
class Entry:
    """One document being written or removed (a batch records one each).

    Attributes:
        action: ``"write"``, ``"remove"`` or ``"refit"`` (:data:`ACTIONS`).
        doc_id: the document (``""`` for a refit).
        old_ids: its chunk ids before (sorted).
        new_ids: its chunk ids after (sorted; empty for a removal).
        record: the registry record to write (``DocumentRecord`` fields) for
            a write; None for a removal.
    """

    action: str
    doc_id: str
    old_ids: list[str]
    new_ids: list[str]
    record: dict | None = field(default=None)

    def __post_init__(self):
        if self.action not in ACTIONS:
            raise ValueError(f"unknown journal action {self.action!r}; valid: {', '.join(ACTIONS)}")


def _path(db_dir: str | Path) -> Path:
    return Path(db_dir) / JOURNAL_NAME


def begin(db_dir: str | Path, entry: Entry | list[Entry]) -> None:
    """Record ``entry`` -- or the entries of a batch of documents
    (atomically; replaces any entries)."""
    path = _path(db_dir)
    tmp = path.with_name(path.name + ".tmp")
    entries = entry if isinstance(entry, list) else [entry]
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump([asdict(e) for e in entries], f)  # ASCII: a file name that is not UTF-8 keeps its escapes
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def clear(db_dir: str | Path) -> None:
    """Remove the entry (the write it recorded is complete)."""
    _path(db_dir).unlink(missing_ok=True)


def pending_all(db_dir: str | Path) -> list[Entry]:
    """The entries of a write that did not complete (empty: none).

    An unreadable journal (which :func:`begin`'s atomic replace never
    leaves) counts as none; a journal of one entry written before batches
    (a JSON object, not a list) is read too."""
    try:
        got = json.loads(_path(db_dir).read_text(encoding="utf-8"))
        return [Entry(**d) for d in (got if isinstance(got, list) else [got])]
    except (OSError, ValueError, TypeError):
        return []


def pending(db_dir: str | Path) -> Entry | None:
    """The first entry of a write that did not complete, or None
    (:func:`pending_all` gives them all)."""
    entries = pending_all(db_dir)
    return entries[0] if entries else None


__all__ = ["ACTIONS", "Entry", "JOURNAL_NAME", "begin", "clear", "pending", "pending_all"]

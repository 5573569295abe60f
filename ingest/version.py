"""The published version of an index: a stamp every completed write renews.

A writer (:mod:`ingest.pipeline`) calls :func:`publish` once a run has
written whole documents and its journal is clear; readers that keep an index
open (the UI's :func:`assistant.get_assistant`) compare :func:`version` with
the one they opened and reopen when it changed -- so a running UI keeps
answering from the index it has while an ingest runs and switches to the new
one when the ingest completes, never to a half-written one.

Example:
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> version(d)
    ''
    >>> publish(d) != ""
    True
"""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

#: The stamp file inside an index folder.
VERSION_NAME = ".version"


def version(db_dir: str | Path) -> str:
    """The index's current version stamp (``""`` when never published)."""
    try:
        return (Path(db_dir) / VERSION_NAME).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def publish(db_dir: str | Path) -> str:
    """Write a new version stamp (atomically) and return it."""
    stamp = f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {uuid.uuid4().hex[:12]}"
    path = Path(db_dir) / VERSION_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(stamp, encoding="utf-8")
    os.replace(tmp, path)
    return stamp


__all__ = ["VERSION_NAME", "publish", "version"]

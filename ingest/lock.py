"""One writer at a time: an exclusive lock on an index folder.

Every path that writes an index -- ``python -m ingest`` (add, ``--remove``),
the UI's upload and remove, the eval harness's first ingest -- goes through
:func:`ingest.pipeline.ingest_paths` or :func:`ingest.pipeline.remove_document`,
which hold :class:`WriteLock` while they write.  Readers (the retriever, the
UI answering questions) never take it and never wait.

The lock is a ``filelock.FileLock`` on ``<db>/.write.lock`` (an OS lock:
released by the kernel when the holder dies, ``kill -9`` included, so a
crashed writer never leaves the index locked).  Beside it, the holder writes
``<db>/.write.lock.json`` -- pid, host, command, start time -- so that a
second writer can say who it is waiting for.

Example:
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with WriteLock(d):
    ...     holder(d)["pid"] == os.getpid()
    True
"""
from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Callable

from filelock import FileLock, Timeout

#: The lock file inside an index folder.
LOCK_NAME = ".write.lock"
#: Who holds the lock (JSON), next to it.
HOLDER_NAME = ".write.lock.json"
_LOCKS: dict[str, FileLock] = {}


class IndexBusyError(Exception):
    """Another process is writing the index and the caller would not wait.

    ``str(err)`` is one line naming the index folder and the holder.
    """


def holder(db_dir: str | Path) -> dict | None:
    """``{"pid", "host", "command", "since"}`` of the process holding (or
    that last held) the write lock of ``db_dir``, or None when unknown."""
    try:
        return json.loads((Path(db_dir) / HOLDER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def describe_holder(db_dir: str | Path) -> str:
    """The holder in words: 「pid 123 on host (python -m ingest corpus/pdf,
    since 2026-12-02T03:01:00)」, or 「another process」."""
    h = holder(db_dir)
    if not h:
        return "another process"
    return f"pid {h.get('pid')} on {h.get('host')} ({h.get('command')}, since {h.get('since')})"


class WriteLock:
    """Exclusive write lock on an index folder (module docstring).

    Args:
        db_dir: the index folder (created if missing).
        wait: wait for the current writer (True) or raise
            :class:`IndexBusyError` at once (False).
        on_wait: called once with a one-line message when the lock is held by
            another process and this one starts waiting (default: print it to
            stderr).
        timeout: seconds to wait at most (None: no limit); past it,
            :class:`IndexBusyError`.

    The lock is re-entrant within a process (``filelock`` counts nested
    acquisitions), so a caller holding it may call the pipeline's functions,
    which take it again.
    """

    def __init__(self, db_dir: str | Path, *, wait: bool = True, on_wait: Callable[[str], None] | None = None,
                 timeout: float | None = None):
        self.db_dir = Path(db_dir)
        self.wait = wait
        self.on_wait = on_wait or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self.timeout = timeout
        self.db_dir.mkdir(parents=True, exist_ok=True)
        path = str((self.db_dir / LOCK_NAME).resolve())
        # one FileLock per index folder and process: nested WriteLocks count
        # up on it instead of blocking on their own file handle
        self._lock = _LOCKS.setdefault(path, FileLock(path))

    def __enter__(self) -> "WriteLock":
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            if not self.wait:
                raise IndexBusyError(f"{self.db_dir}: the index is being written by {describe_holder(self.db_dir)}; "
                                     "try again when it is done") from None
            self.on_wait(f"{self.db_dir}: waiting for {describe_holder(self.db_dir)} to finish writing the index")
            try:
                self._lock.acquire(timeout=-1 if self.timeout is None else self.timeout)
            except Timeout:
                raise IndexBusyError(f"{self.db_dir}: still written by {describe_holder(self.db_dir)} after "
                                     f"{self.timeout:g} s") from None
        if self._lock.lock_counter == 1:
            record = {"pid": os.getpid(), "host": socket.gethostname(), "command": " ".join(sys.argv)[:200],
                      "since": time.strftime("%Y-%m-%dT%H:%M:%S")}
            (self.db_dir / HOLDER_NAME).write_text(json.dumps(record), encoding="utf-8")
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return self._lock.is_locked


__all__ = ["HOLDER_NAME", "IndexBusyError", "LOCK_NAME", "WriteLock", "describe_holder", "holder"]

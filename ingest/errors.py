"""The one error type ingestion raises for bad input."""
from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested.

    ``str(err)`` is one line, ``"<path>: <reason>"``, fit to print to a user.

    Args:
        path: the offending file, as given.
        reason: why it was rejected, in plain words.
    """

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

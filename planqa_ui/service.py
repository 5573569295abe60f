"""The operations behind the UI, without Gradio: ask, list/ingest/remove
documents, verify claims and audit, a plan's overview, over one index folder.

One :class:`PlanService` per app. Questions never wait for a write: they
are answered by the cached :class:`~assistant.answer.Assistant`, which holds
its chunks and lexical indexes in memory; after the UI's own change it is
dropped (:func:`assistant.reset_assistants`), after another process's it is
reopened once that write is published (:mod:`ingest.version`), and the next
question sees the new index.  The UI's own writes take a lock among
themselves and the index's write lock (:mod:`ingest.lock`).
"""
from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ingest.config import offline_env

# Per-file upload limit.
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# Longest question accepted (characters); plan questions are one sentence.
MAX_QUESTION_CHARS = 500
# Longest claim accepted by the Verify tab.
MAX_CLAIM_CHARS = 500
# Folder (inside the index folder) where uploaded files are kept, so that a
# document's source_path stays valid after Gradio's temporary files are gone.
UPLOADS = "uploads"


class EmptyIndexError(RuntimeError):
    """No documents are indexed, so there is nothing to answer from."""


@dataclass
class Upload:
    """A file handed to :meth:`PlanService.ingest_uploads`.

    Attributes:
        path: where the file is now (Gradio's temporary copy).
        name: the name the user gave it (its base name is used).
    """

    path: Path
    name: str


@dataclass
class IngestOutcome:
    """What :meth:`PlanService.ingest_uploads` did, one line per file.

    Attributes:
        lines: ``(ok, "name: what happened")`` per file, in upload order.
        changed: True when the index was written (documents added/updated).
    """

    lines: list[tuple[bool, str]] = field(default_factory=list)
    changed: bool = False


@dataclass
class Verification:
    """The verification tools, or why they are missing.

    Attributes:
        verify: ``assistant.verify.verify`` or ``None``.
        audit: ``assistant.figures.audit.audit`` or ``None``.
        reason: why ``verify`` is missing (one line), ``""`` when present.
        audit_reason: why ``audit`` is missing, ``""`` when present.
    """

    verify: Callable | None
    audit: Callable | None
    reason: str = ""
    audit_reason: str = ""

    @property
    def available(self) -> bool:
        """True when claims can be verified."""
        return self.verify is not None


def _import_error_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


def load_verification() -> Verification:
    """Import ``assistant.verify.verify`` and ``assistant.figures.audit.audit`` now
    (each call tries again, so a module installed while the app runs is
    picked up); a failed import is reported, never faked."""
    verify = audit = None
    reason = audit_reason = ""
    try:
        from assistant.verify import verify  # type: ignore[no-redef]
    except Exception as exc:  # noqa: BLE001 - ImportError, or the module's own errors
        verify, reason = None, _import_error_line(exc)
    try:
        from assistant.figures.audit import audit  # type: ignore[no-redef]
    except Exception as exc:  # noqa: BLE001
        audit, audit_reason = None, _import_error_line(exc)
    return Verification(verify, audit, reason, audit_reason)


def check_upload(path: Path, name: str) -> str | None:
    """Why an uploaded file is refused (one line, starting with its name),
    or ``None`` when it may be ingested: unsupported type, empty, or larger
    than :data:`MAX_UPLOAD_MB` MB."""
    from ingest.loaders import SUPPORTED_SUFFIXES

    base = Path(name).name or Path(path).name
    suffix = Path(base).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return f"{base}: unsupported file type '{suffix or '(none)'}' (supported: {supported})"
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        return f"{base}: cannot read the uploaded file ({exc.strerror or exc})"
    if size > MAX_UPLOAD_BYTES:
        return f"{base}: file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_UPLOAD_MB} MB per file"
    if size == 0:
        return f"{base}: empty file (0 bytes)"
    return None


def _checked_text(value: str | None, what: str, limit: int) -> str:
    """``value`` stripped.

    Raises:
        ValueError: empty, or longer than ``limit`` characters.
    """
    value = (value or "").strip()
    if not value:
        raise ValueError(f"empty {what}")
    if len(value) > limit:
        raise ValueError(f"{what} too long ({len(value)} characters; at most {limit})")
    return value


class PlanService:
    """The UI's operations over the index in ``db_dir``.

    Args:
        db_dir: the index folder (created when missing).
        generator: optional LLM back-end (``None``: extractive answers only).
    """

    def __init__(self, db_dir: str | Path, generator=None):
        offline_env()
        self.db_dir = Path(db_dir)
        #: optional LLM back-end (:func:`assistant.llm.make_generator`); its
        #: answers are checked sentence by sentence, see assistant.answer
        self.generator = generator
        # the UI's own writes (upload, remove) one at a time; readers
        # (questions, claims, overview) never take it
        self.lock = threading.RLock()
        self._index = None

    # -- index ------------------------------------------------------------
    @property
    def index(self):
        """The open :class:`~ingest.store.PlanIndex` (opened on first use)."""
        if self._index is None:
            from ingest.store import PlanIndex

            self._index = PlanIndex(self.db_dir)
        return self._index

    def documents(self):
        """The indexed documents (:class:`~ingest.store.DocumentRecord`), by
        title."""
        return sorted(self.index.list_documents(), key=lambda r: (r.title, r.doc_id))

    def titles(self) -> dict[str, str]:
        """doc_id → title."""
        return {r.doc_id: r.title for r in self.documents()}

    def _changed(self) -> None:
        from assistant import reset_assistants

        reset_assistants()

    def ingest_paths(self, paths: Iterable[str | Path], progress: Callable[[Iterable], Iterable] | None = None,
                     embed_progress: bool = False):
        """Ingest files/folders (see :func:`ingest.pipeline.ingest_paths`;
        ``embed_progress``: a progress bar on stderr while chunks are
        encoded) and drop the cached assistant when anything changed.

        Returns:
            The :class:`~ingest.pipeline.IngestReport`.
        """
        from ingest.pipeline import ingest_paths

        with self.lock:
            report = ingest_paths(list(paths), self.index, progress=progress, embed_progress=embed_progress)
            if report.added or report.updated:
                self._changed()
        return report

    def ingest_uploads(self, uploads: list[Upload],
                       progress: Callable[[Iterable], Iterable] | None = None) -> IngestOutcome:
        """Check, keep (in ``DB/uploads/``) and ingest uploaded files.

        Files that fail :func:`check_upload` or ingestion get one error line
        each; the others are ingested in one batch (``progress`` wraps the
        file iterable, e.g. ``gr.Progress().tqdm``).

        Raises:
            ingest.lock.IndexBusyError: another process (``python -m
                ingest``) is writing the index; nothing was copied.
        """
        from ingest.loaders import doc_id_for
        from ingest.lock import WriteLock

        out = IngestOutcome()
        accepted: list[tuple[str, Path]] = []
        lines: dict[str, tuple[bool, str]] = {}
        order: list[str] = []
        folder = self.db_dir / UPLOADS
        # a web request does not queue behind a long ingest: it says who is writing
        with self.lock, WriteLock(self.db_dir, wait=False):
            for up in uploads:
                base = Path(up.name).name or Path(up.path).name
                order.append(base)
                error = check_upload(Path(up.path), base)
                if error:
                    lines[base] = (False, error)
                    continue
                folder.mkdir(parents=True, exist_ok=True)
                dest = folder / base
                if dest.exists():  # the indexed version stays until the new one is in
                    dest.replace(dest.with_name(dest.name + ".prev"))
                shutil.copyfile(up.path, dest)
                accepted.append((base, dest))
            if not accepted:
                out.lines = [lines[b] for b in dict.fromkeys(order)]
                return out
            report = self.ingest_paths([d for _, d in accepted], progress=progress)
            failed = {}
            for line in report.errors:
                path, _, reason = line.partition(": ")
                failed[path] = reason
            for base, dest in accepted:
                prev = dest.with_name(dest.name + ".prev")
                if str(dest) in failed:
                    lines[base] = (False, f"{base}: {failed[str(dest)]}")
                    dest.unlink(missing_ok=True)
                    if prev.exists():
                        prev.replace(dest)
                    continue
                prev.unlink(missing_ok=True)
                doc_id = doc_id_for(dest)
                rec = self.index.get_document(doc_id)
                what = ("added" if doc_id in report.added else "updated" if doc_id in report.updated
                        else "unchanged (already indexed)")
                detail = f" — {rec.title} (pages: {rec.pages}, chunks: {rec.chunks})" if rec else ""
                notes = [w.partition(": ")[2] for w in report.warnings if w.startswith(f"{dest}: ")]
                warn = ("; " + "; ".join(notes)) if notes else ""
                lines[base] = (True, f"{base}: {what}{detail} (id {doc_id}){warn}")
            out.changed = bool(report.added or report.updated)
        out.lines = [lines[b] for b in dict.fromkeys(order)]
        return out

    def remove(self, doc_id: str) -> str:
        """Remove a document; returns a one-line result.

        Raises:
            ingest.errors.IngestError: ``doc_id`` is not indexed.
            ingest.lock.IndexBusyError: another process is writing the index.
        """
        from ingest.pipeline import remove_document

        with self.lock:
            rec = self.index.get_document(doc_id)
            n = remove_document(self.index, doc_id, wait=False)
            self._changed()
        upload = self.db_dir / UPLOADS
        if rec and Path(rec.source_path).parent.resolve() == upload.resolve():
            Path(rec.source_path).unlink(missing_ok=True)
        return f"removed {rec.title if rec else doc_id} ({doc_id}, {n} chunks)"

    # -- questions ----------------------------------------------------------
    def assistant(self):
        """The cached :class:`~assistant.answer.Assistant` of the index."""
        from assistant import get_assistant

        assistant = get_assistant(self.db_dir)
        assistant.generator = self.generator
        return assistant

    def ask(self, question: str, doc_ids: list[str] | None = None, history: list | None = None):
        """Answer ``question`` (restricted to ``doc_ids`` when given); a
        follow-up (「那 109 年呢？」) is read against ``history``, the
        conversation's earlier turns (:class:`assistant.followup.Turn` s or
        answers), see :meth:`assistant.answer.Assistant.ask`.

        Raises:
            EmptyIndexError: nothing is indexed.
            ValueError: an empty or over-long question.
        """
        question = _checked_text(question, "question", MAX_QUESTION_CHARS)
        known = {r.doc_id for r in self.index.list_documents()}
        if not known:
            raise EmptyIndexError("no documents are indexed")
        ids = [d for d in (doc_ids or []) if d in known] or None
        return self.assistant().ask(question, history=history, doc_ids=ids)

    def warm_up(self) -> None:
        """Open the assistant and answer one question, so that the first
        user's question does not pay for loading (no-op on an empty index)."""
        try:
            self.ask("計畫經費")
        except EmptyIndexError:
            pass

    # -- verification -------------------------------------------------------
    def verify(self, claim: str, doc_ids: list[str] | None = None):
        """Verify a claim with ``assistant.verify.verify``.

        Returns:
            ``(verification, verdict)``: the loaded tools, and the verdict
            (``None`` when verification is not available).

        Raises:
            ValueError: an empty or over-long claim.
        """
        claim = _checked_text(claim, "claim", MAX_CLAIM_CHARS)
        tools = load_verification()
        if not tools.available:
            return tools, None
        return tools, tools.verify(claim, doc_ids=doc_ids or None, db_dir=self.db_dir)

    def audit(self, doc_ids: list[str] | None = None):
        """Audit documents with ``assistant.audit.audit``.

        Returns:
            ``(verification, findings)`` (findings ``None`` when the audit
            is not available).
        """
        tools = load_verification()
        if tools.audit is None:
            return tools, None
        return tools, tools.audit(doc_ids=doc_ids or None, db_dir=self.db_dir)

    # -- overview -------------------------------------------------------------
    def overview(self, doc_id: str):
        """The plan overview of one document
        (:func:`assistant.figures.overview.overview`: total, budget by year ×
        分項 as printed (千元, 億元) with pages, KPI targets, eligibility
        quotes).

        Raises:
            ValueError: an empty index or an unknown ``doc_id`` (the message
                lists the indexed ids).
        """
        from assistant.figures.overview import overview

        return overview(doc_id, db_dir=self.db_dir)

"""One writer at a time (ingest/lock.py): a second writer waits, saying for
whom, or fails at once with --no-wait; readers never wait; two ingests
started together both land and leave a consistent index."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT, run_cli
from ingest.lock import IndexBusyError, WriteLock, holder
from ingest.store import PlanIndex


def _holding(db, seconds: float) -> subprocess.Popen:
    """A process that holds the write lock of ``db`` for ``seconds``
    (it prints "held" once it has it)."""
    code = (f"import time; from ingest.lock import WriteLock\n"
            f"with WriteLock({str(db)!r}):\n    print('held', flush=True); time.sleep({seconds})\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=os.environ.copy())
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_fails_at_once_with_no_wait_and_readers_do_not_wait(tmp_path, small_docs):
    db = tmp_path / "db"
    assert run_cli(str(small_docs["aigo"]), "--db", str(db), "--embed-model", "lsa").returncode == 0
    proc = _holding(db, 60)
    try:
        t = time.perf_counter()
        out = run_cli(str(small_docs["phd"]), "--db", str(db), "--no-wait")
        assert out.returncode == 2 and time.perf_counter() - t < 30
        (line,) = out.stderr.strip().splitlines()
        assert "being written by pid" in line and str(proc.pid) in line and "Traceback" not in out.stderr
        out = run_cli("--remove", "aigo", "--db", str(db), "--no-wait")
        assert out.returncode == 2 and "being written" in out.stderr
        # a reader does not wait for the writer
        out = run_cli("--list", "--json", "--db", str(db))
        assert out.returncode == 0 and '"aigo"' in out.stdout
    finally:
        proc.kill()
        proc.wait()
    # the killed holder's lock is gone with it (an OS lock): the next writer goes ahead
    assert run_cli(str(small_docs["phd"]), "--db", str(db), "--no-wait").returncode == 0
    assert {d.doc_id for d in PlanIndex(db, fresh=True).list_documents()} == {"aigo", "phd"}


def test_a_second_writer_waits_and_says_for_whom(tmp_path, small_docs):
    db = tmp_path / "db"
    proc = _holding(db, 3)
    try:
        out = run_cli(str(small_docs["aigo"]), "--db", str(db), "--embed-model", "lsa")
    finally:
        proc.wait()
    assert out.returncode == 0, out.stderr
    assert f"waiting for pid {proc.pid}" in out.stderr
    assert [d.doc_id for d in PlanIndex(db, fresh=True).list_documents()] == ["aigo"]


def test_two_ingests_started_together_both_land(tmp_path, small_docs):
    db = tmp_path / "db"
    run_cli(str(small_docs["aigo"]), "--db", str(db), "--embed-model", "lsa")  # the index and its model
    procs = [subprocess.Popen([sys.executable, "-m", "ingest", str(small_docs[name]), "--db", str(db), "--quiet"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=os.environ.copy()) for name in ("phd", "phd")]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    index = PlanIndex(db, fresh=True)
    docs = {d.doc_id: d for d in index.list_documents()}
    assert set(docs) == {"aigo", "phd"}
    for doc_id, rec in docs.items():  # the document list and Chroma agree
        assert len(index.chunk_ids(doc_id)) == rec.chunks


def test_the_lock_in_process(tmp_path):
    db = tmp_path / "db"
    with WriteLock(db) as lock:
        assert lock.held and holder(db)["pid"] == os.getpid()
        with WriteLock(db, wait=False):  # re-entrant within the process
            pass
        assert lock.held
    assert not lock.held
    proc = _holding(db, 60)
    try:
        with pytest.raises(IndexBusyError, match=f"pid {proc.pid}"):
            with WriteLock(db, wait=False):
                pass
        messages: list[str] = []
        with pytest.raises(IndexBusyError, match="after 0.5 s"):
            with WriteLock(db, on_wait=messages.append, timeout=0.5):
                pass
        assert len(messages) == 1 and "waiting for" in messages[0]
    finally:
        proc.kill()
        proc.wait()


def test_a_running_reader_switches_to_the_new_index_when_a_write_completes(tmp_path, small_docs):
    from assistant import get_assistant
    from ingest import journal
    from ingest.version import publish, version

    db = tmp_path / "db"
    assert run_cli(str(small_docs["aigo"]), "--db", str(db), "--embed-model", "lsa").returncode == 0
    first = get_assistant(db)
    assert get_assistant(db) is first and {d.doc_id for d in first.index.list_documents()} == {"aigo"}
    stamp = version(db)
    assert run_cli(str(small_docs["phd"]), "--db", str(db)).returncode == 0  # another process writes
    assert version(db) != stamp
    second = get_assistant(db)
    assert second is not first and "phd" in second.titles()
    ans = second.ask("分項二 108 年度經費是多少？", doc_ids=["phd"])
    assert not ans.abstained and {c.doc_id for c in ans.citations} == {"phd"}
    # while a write is in progress (journal pending) the reader keeps what it has
    journal.begin(db, journal.Entry("write", "phd", [], []))
    publish(db)
    assert get_assistant(db) is second
    journal.clear(db)
    assert get_assistant(db) is not second

"""Client/server at 1×: a Chroma server (``chroma run``) holds the vectors,
two ``python app.py`` processes on different ports answer from it, and an
ingest adds a plan while both serve -- every answer stays right throughout,
and both apps answer from the new plan once its version is published
(README "Scaling out").  The plans are ingested from their source texts
(the same corpus; reading PDFs is tested elsewhere and would only slow this
down)."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from browser.appserver import AppServer
from conftest import CORPUS_SOURCES

BUDGET_Q = "分項二「AI 智慧應用暨新世代人才培育推動」108 年度編列多少經費？"
LATE_DOC = "moda-2025-ai-industry-adoption"
LATE_Q = "「AI產業應用與普及發展計畫」全程總經費是多少？"
# Safety net for the background ingest (not a performance assertion).
INGEST_DEADLINE_S = 600


def _ingest(paths, db, host, port) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ingest", *map(str, paths), "--db", str(db), "--embed-model", "lsa",
                             "--chroma-host", host, "--chroma-port", str(port), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_apps_on_one_chroma_server_keep_answering_while_a_plan_is_added(tmp_path, chroma_server):
    from gradio_client import Client

    host, port = chroma_server
    db = tmp_path / "db"
    first = sorted(p for p in CORPUS_SOURCES.glob("*.txt") if p.stem != LATE_DOC)
    proc = _ingest(first, db, host, port)
    out, err = proc.communicate(timeout=INGEST_DEADLINE_S)
    assert proc.returncode == 0, err
    assert not (db / "chroma").exists(), "the vectors live on the server"
    server = ("--chroma-host", host, "--chroma-port", str(port))
    with AppServer(db, tmp_path / "app1", *server) as app1, AppServer(db, tmp_path / "app2", *server) as app2:
        clients = [Client(app1.url, verbose=False), Client(app2.url, verbose=False)]
        for c in clients:
            late = c.predict(LATE_Q, None, api_name="/ask")
            assert all(cit["doc_id"] != LATE_DOC for cit in late["citations"])
        answers: list[tuple[int, dict]] = []
        errors: list[str] = []
        stop = threading.Event()

        def serve(i: int) -> None:
            while not stop.is_set():
                try:
                    answers.append((i, clients[i].predict(BUDGET_Q, None, api_name="/ask")))
                except Exception as exc:  # noqa: BLE001 - any failure is the finding
                    errors.append(f"app{i + 1}: {exc}")

        threads = [threading.Thread(target=serve, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        try:
            writer = _ingest([CORPUS_SOURCES / f"{LATE_DOC}.txt"], db, host, port)
            _, err = writer.communicate(timeout=INGEST_DEADLINE_S)
            time.sleep(1)  # a few more answers after the write
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=120)
        assert writer.returncode == 0, err
        assert errors == []
        assert {i for i, _ in answers} == {0, 1}, "both apps answered while the plan was added"
        for _, res in answers:
            assert res["abstained"] is False and "350,000" in res["answer"], res["answer"]
        for c in clients:
            late = c.predict(LATE_Q, None, api_name="/ask")
            assert "36.765" in late["answer"]
            assert late["citations"] and late["citations"][0]["doc_id"] == LATE_DOC
        assert "error" not in (app1.log() + app2.log()).lower()

"""The UI's operations without Gradio (:mod:`planqa_ui.service`): first-launch
ingestion, upload limits, ingest/ask/remove round trip, verification
loading. Runs on a small real index (the AI GO deck's source text)."""
from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from planqa_ui import render
from planqa_ui.cli import ingest_corpus
from planqa_ui.service import (MAX_UPLOAD_BYTES, UPLOADS, EmptyIndexError, PlanService, Upload, check_upload,
                               load_verification)
from tests.browser.appserver import XSS_NAME, XSS_QUESTION, XSS_TEXT

ROOT = Path(__file__).resolve().parents[1]
AIGO_SOURCE = ROOT / "corpus" / "sources" / "moeaidb-2019-aigo-intro.txt"


@pytest.fixture(scope="module")
def first_launch(tmp_path_factory):
    """A service whose empty index was filled by the first-launch ingestion
    (:func:`planqa_ui.cli.ingest_corpus`) from a one-document corpus
    folder; yields ``(service, report, console output)``."""
    tmp = tmp_path_factory.mktemp("ui-service")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copyfile(AIGO_SOURCE, corpus / "aigo.txt")
    service = PlanService(tmp / "db")
    out = io.StringIO()
    report = ingest_corpus(service, corpus, out=out)
    return service, report, out.getvalue()


def test_first_launch_ingests_the_corpus_with_progress(first_launch):
    service, report, console = first_launch
    assert report.added == ["aigo"] and not report.errors
    assert "is empty; ingesting the shipped corpus" in console
    assert "ingesting" in console and "1/1" in console and "100%" in console
    assert console.index("100%") < console.index("writing the index")
    assert [d.doc_id for d in service.documents()] == ["aigo"]
    again = io.StringIO()
    assert ingest_corpus(service, Path("/nonexistent"), out=again) is None  # not empty any more: no ingest
    assert again.getvalue() == ""


def test_check_upload_limits(tmp_path):
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:  # sparse: no 50 MB written to disk
        fh.truncate(MAX_UPLOAD_BYTES + 1)
    assert check_upload(big, "big.pdf") == "big.pdf: file is 50.0 MB; the limit is 50 MB per file"
    edge = tmp_path / "edge.pdf"
    with open(edge, "wb") as fh:
        fh.truncate(MAX_UPLOAD_BYTES)
    assert check_upload(edge, "edge.pdf") is None
    docx = tmp_path / "notes.docx"
    docx.write_bytes(b"PK\x03\x04")
    assert check_upload(docx, "notes.docx") == "notes.docx: unsupported file type '.docx' (supported: .md, .pdf, .txt)"
    bare = tmp_path / "README"
    bare.write_text("text", encoding="utf-8")
    assert "unsupported file type '(none)'" in check_upload(bare, "README")
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert check_upload(empty, "empty.md") == "empty.md: empty file (0 bytes)"
    good = tmp_path / "Plan.TXT"
    good.write_text("計畫內容", encoding="utf-8")
    assert check_upload(good, "Plan.TXT") is None
    # the user's name decides, not the temporary file's; folders in it are dropped
    assert check_upload(good, "../../etc/evil.exe").startswith("evil.exe: unsupported file type '.exe'")


def test_upload_ask_remove_round_trip(first_launch, tmp_path):
    service, _, _ = first_launch
    # Gradio hands over temporary copies; the user's names are what count
    gradio_tmp = tmp_path / "gradio"
    gradio_tmp.mkdir()
    xss = gradio_tmp / XSS_NAME
    xss.write_text(XSS_TEXT, encoding="utf-8")
    broken = gradio_tmp / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not a PDF body")
    docx = gradio_tmp / "notes.docx"
    docx.write_bytes(b"PK\x03\x04")
    seen = []

    def progress(files):
        for f in files:
            seen.append(Path(f).name)
            yield f

    outcome = service.ingest_uploads([Upload(xss, XSS_NAME), Upload(broken, "broken.pdf"), Upload(docx, "notes.docx")],
                                     progress=progress)
    assert outcome.changed
    ok, line = outcome.lines[0]
    assert ok and line.startswith(f"{XSS_NAME}: added — <script>alert(1)</script> 網頁安全測試說明")
    ok, line = outcome.lines[1]
    assert not ok and line.startswith("broken.pdf: corrupt or unreadable PDF")
    assert str(gradio_tmp) not in line and str(service.db_dir) not in line
    ok, line = outcome.lines[2]
    assert not ok and line.startswith("notes.docx: unsupported file type")
    assert all("\n" not in text for _, text in outcome.lines)
    assert sorted(seen) == ["broken.pdf", XSS_NAME]  # the progress wrapper saw the accepted files
    kept = sorted(p.name for p in (service.db_dir / UPLOADS).iterdir())
    assert kept == [XSS_NAME], "only files that are in the index are kept"

    answer = service.ask(XSS_QUESTION)
    assert not answer.abstained
    assert answer.citations[0].doc_id == "xss-test"
    assert "資訊安全推動小組" in answer.answer

    # uploading the same file again changes nothing
    again = service.ingest_uploads([Upload(xss, XSS_NAME)])
    assert not again.changed and "unchanged" in again.lines[0][1]

    message = service.remove("xss-test")
    assert message.startswith("removed <script>alert(1)</script> 網頁安全測試說明 (xss-test, 1 chunks)")
    assert "xss-test" not in {d.doc_id for d in service.documents()}
    assert not (service.db_dir / UPLOADS / XSS_NAME).exists()
    after = service.ask(XSS_QUESTION)  # the assistant was reset: the document is gone
    assert all(c.doc_id != "xss-test" for c in after.citations + after.contexts)


def test_remove_unknown_document_raises(first_launch):
    from ingest.errors import IngestError

    service, _, _ = first_launch
    with pytest.raises(IngestError, match="no such document"):
        service.remove("no-such-doc")


def test_ask_rejects_empty_and_overlong_questions(first_launch):
    service, _, _ = first_launch
    with pytest.raises(ValueError, match="empty question"):
        service.ask("   ")
    with pytest.raises(ValueError, match="question too long"):
        service.ask("經費" * 300)
    with pytest.raises(ValueError, match=r"question too long \(100000 characters; at most 500\)"):
        service.ask("經" * 100_000)
    # control characters are only characters: answered or abstained on, never an error
    assert service.ask("AI GO\x00\x1b[31m 獎金\x07是多少？").answer


def test_ask_ignores_unknown_document_ids(first_launch):
    service, _, _ = first_launch
    answer = service.ask("AI GO 計畫的補助上限是多少？", ["no-such-doc"])
    assert {c.doc_id for c in answer.contexts} <= {"aigo"}


def test_empty_index_refuses_questions(tmp_path):
    with pytest.raises(EmptyIndexError):
        PlanService(tmp_path / "empty").ask("分項二 108 年度經費是多少？")


def test_verification_missing_is_said_plainly(monkeypatch, first_launch):
    service, _, _ = first_launch
    monkeypatch.setitem(sys.modules, "assistant.verify", None)  # import fails as if the module were absent
    monkeypatch.setitem(sys.modules, "assistant.figures.audit", None)
    tools = load_verification()
    assert not tools.available and tools.audit is None
    assert "assistant.verify" in tools.reason
    loaded, verdict = service.verify("分項二 108 年度經費為 350,000 千元")
    assert verdict is None and not loaded.available
    loaded, findings = service.audit()
    assert findings is None
    notice = render.verification_notice_html(tools)
    assert "Verification is not available" in notice and "pq-warn" in notice
    with pytest.raises(ValueError, match="empty claim"):
        service.verify("  ")


def test_verification_is_used_when_installed():
    import importlib.util

    if importlib.util.find_spec("assistant.verify") is None:
        pytest.skip("assistant.verify is not installed")
    from assistant.verify import verify

    tools = load_verification()
    assert tools.available and tools.verify is verify
    assert "pq-info" in render.verification_notice_html(tools)


def test_upload_reports_a_page_without_text_layer(first_launch, tmp_path):
    """A PDF with a text page and an image-only (here: blank) page is indexed
    with its text page, and the upload line says which page has no text."""
    from pypdf import PdfReader, PdfWriter

    from tests.conftest import build_pdf

    service, _, _ = first_launch
    text_pdf = build_pdf(tmp_path / "text.pdf", [("h", "壹、計畫緣起"), ("p", "本計畫培育博士級產業人才，共三年。")])
    writer = PdfWriter()
    writer.append(PdfReader(str(text_pdf)))
    writer.add_blank_page(width=595, height=842)
    mixed = tmp_path / "mixed-scan.pdf"
    writer.write(str(mixed))
    outcome = service.ingest_uploads([Upload(mixed, "mixed-scan.pdf")])
    ok, line = outcome.lines[0]
    assert ok and line.startswith("mixed-scan.pdf: added")
    assert "page 2: no text layer" in line and "\n" not in line
    assert service.remove("mixed-scan").startswith("removed")


def test_upload_and_remove_while_another_process_writes_say_so(first_launch, tmp_path):
    from ingest.lock import IndexBusyError
    from tests.test_write_lock import _holding

    service, _, _ = first_launch
    before = {d.doc_id for d in service.documents()}
    up = tmp_path / "late.txt"
    up.write_text(AIGO_SOURCE.read_text(encoding="utf-8")[:2000], encoding="utf-8")
    proc = _holding(service.db_dir, 60)
    try:
        with pytest.raises(IndexBusyError, match=f"being written by pid {proc.pid}"):
            service.ingest_uploads([Upload(up, "late.txt")])
        with pytest.raises(IndexBusyError):
            service.remove(next(iter(before)))
        assert {d.doc_id for d in service.documents()} == before  # nothing written, nothing copied
        assert not (service.db_dir / UPLOADS / "late.txt").exists()
        assert service.ask("AI GO 解題競賽的獎金是多少？").answer  # readers never wait
    finally:
        proc.kill()
        proc.wait()

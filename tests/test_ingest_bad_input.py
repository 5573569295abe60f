"""Bad input: every rejected file gives one line naming it and the reason,
the rest of the batch still ingests, and the existing index is untouched —
through the Python API and through ``python -m ingest``."""
from __future__ import annotations

import os
import random
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import run_cli
from hostile_inputs import HOSTILE_PDFS, write_hostile_pdfs
from ingest.cli import main
from ingest.errors import IngestError
from ingest.loaders import TEXT_ENCODINGS, load_document
from ingest.pipeline import ingest_paths
from ingest.store import PlanIndex

# name → the reason (regular expression) the loader must give.
EXPECTED = {
    "encrypted.pdf": r"encrypted PDF \(password required\)",
    "truncated.pdf": r"corrupt or unreadable PDF",
    "random-bytes.pdf": r"corrupt or unreadable PDF",
    "zero-bytes.pdf": r"empty file \(0 bytes\)",
    "zero-bytes.txt": r"empty file \(0 bytes\)",
    "rectangle-only.pdf": r"no page has a text layer \(image-only or scanned PDF\); (OCR read no text|cannot OCR it)",
    "png-only.pdf": r"no page has a text layer \(image-only or scanned PDF\); (OCR read no text|cannot OCR it)",
    "report.docx": r"unsupported file type '\.docx'",
    "budget.xlsx": r"unsupported file type '\.xlsx'",
    "unknown-encoding.txt": r"unknown text encoding",
    "private-use.txt": r"text extracts as garbage \(\d+% private-use/replacement characters\)",
    **HOSTILE_PDFS,  # issue 14
}


def _random_undecodable(n: int = 4000) -> bytes:
    data = random.Random(20240607).randbytes(n)
    for encoding in TEXT_ENCODINGS:  # the precondition: no supported encoding decodes it
        with pytest.raises(UnicodeDecodeError):
            data.decode(encoding)
    return data


@pytest.fixture
def bad_files(tmp_path, plan_pdf) -> dict[str, Path]:
    """One file per kind of bad input, in ``tmp_path/bad``."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    bad = tmp_path / "bad"
    bad.mkdir()
    good = plan_pdf.read_bytes()
    files = {name: bad / name for name in EXPECTED}

    writer = PdfWriter(clone_from=PdfReader(plan_pdf))
    writer.encrypt("secret")
    writer.write(files["encrypted.pdf"])
    files["truncated.pdf"].write_bytes(good[: len(good) // 2])
    files["random-bytes.pdf"].write_bytes(random.Random(7).randbytes(6000))
    files["zero-bytes.pdf"].write_bytes(b"")
    files["zero-bytes.txt"].write_bytes(b"")

    c = canvas.Canvas(str(files["rectangle-only.pdf"]), pagesize=A4)
    c.rect(100, 400, 300, 200, fill=1)
    c.showPage()
    c.save()
    png = tmp_path / "scan.png"
    Image.new("RGB", (120, 80), (240, 240, 240)).save(png)
    c = canvas.Canvas(str(files["png-only.pdf"]), pagesize=A4)
    c.drawImage(str(png), 72, 500, 240, 160)
    c.showPage()
    c.drawImage(str(png), 72, 500, 240, 160)
    c.showPage()
    c.save()

    with zipfile.ZipFile(files["report.docx"], "w") as z:
        z.writestr("word/document.xml", "<w:document>計畫書</w:document>")
    with zipfile.ZipFile(files["budget.xlsx"], "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    files["unknown-encoding.txt"].write_bytes(_random_undecodable())
    # What a PDF converter writes for fonts without a Unicode map: private-use
    # code points, with a few real characters (page numbers, a title).
    garbage = "".join(chr(0xE000 + (i * 37) % 0x1800) for i in range(900))
    files["private-use.txt"].write_text("計畫書 1\n" + garbage + "\n- 2 -\n", encoding="utf-8")
    write_hostile_pdfs(files)
    return files


def _one_line(msg: str) -> bool:
    return "\n" not in msg and "Traceback" not in msg


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loader_rejects_with_one_line_naming_file_and_reason(bad_files, name):
    path = bad_files[name]
    with pytest.raises(IngestError) as info:
        load_document(path)
    err = info.value
    assert err.path == str(path)
    assert str(err).startswith(f"{path}: ")
    assert _one_line(str(err))
    assert re.search(EXPECTED[name], err.reason), err.reason


def test_garbage_is_checked_on_real_text_too(tmp_path):
    # A text with enough real characters but mostly private-use ones.
    path = tmp_path / "half.txt"
    path.write_text("重點產業高階人才培訓與就業計畫經費需求說明" + "\ue001\ue002\ue003" * 40, encoding="utf-8")
    with pytest.raises(IngestError, match="garbage"):
        load_document(path)


def test_big5_text_loads(tmp_path):
    text = "壹、計畫緣起\n本計畫培育人工智慧人才，分項二經費為 350,000 千元。\n"
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("cp950"))
    doc = load_document(path)
    assert doc.pages[0].text == text


def test_batch_skips_bad_files_and_leaves_the_index_untouched(tmp_path, bad_files, small_docs):
    index = PlanIndex(tmp_path / "db")
    first = ingest_paths([small_docs["aigo"]], index)
    assert first.errors == [] and first.added == ["aigo"]
    ids_before = sorted(index.chunk_ids())
    count_before = index.chunks.count()
    records_before = [(r.doc_id, r.content_hash, r.chunks) for r in index.list_documents()]

    # Only bad files: nothing changes.
    missing = tmp_path / "no-such-plan.pdf"
    report = ingest_paths([*bad_files.values(), missing], index)
    assert report.added == report.updated == report.unchanged == []
    assert len(report.errors) == len(bad_files) + 1
    assert sorted(index.chunk_ids()) == ids_before
    assert index.chunks.count() == count_before
    assert [(r.doc_id, r.content_hash, r.chunks) for r in index.list_documents()] == records_before

    # Bad files mixed with a good one: the good one is added, one line per bad file.
    report = ingest_paths([bad_files["encrypted.pdf"], small_docs["phd"], missing,
                           bad_files["unknown-encoding.txt"], small_docs["aigo"]], index)
    assert report.added == ["phd"] and report.unchanged == ["aigo"]
    assert len(report.errors) == 3 and all(_one_line(e) for e in report.errors)
    assert sorted(e.split(": ", 1)[0] for e in report.errors) == sorted(
        str(p) for p in (bad_files["encrypted.pdf"], missing, bad_files["unknown-encoding.txt"]))
    assert f"{missing}: no such file or folder" in report.errors
    assert set(ids_before) <= set(index.chunk_ids())
    assert sorted(index.chunk_ids("aigo")) == ids_before
    assert index.chunks.count() == count_before + report.chunks


def test_cli_reports_each_bad_file_on_one_line(tmp_path, bad_files, small_docs):
    db = tmp_path / "db"
    missing = tmp_path / "missing.txt"
    proc = run_cli(str(small_docs["phd"]), str(bad_files["encrypted.pdf"].parent), str(missing), "--db", str(db))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    skipped = [ln for ln in lines if ln.startswith("skipped ")]
    assert len(skipped) == len(bad_files) + 1, proc.stderr
    for name, path in bad_files.items():
        [line] = [ln for ln in skipped if ln.startswith(f"skipped {path}: ")]
        assert re.search(EXPECTED[name], line), line
    assert f"skipped {missing}: no such file or folder" in skipped
    assert "1 added" in proc.stdout and f"{len(bad_files) + 1} failed" in proc.stdout

    # The index holds the good file only.
    assert [d.doc_id for d in PlanIndex(db).list_documents()] == ["phd"]


def test_cli_usage_and_index_errors_are_one_line(tmp_path, capsys):
    assert main(["--remove", "no-such-doc", "--db", str(tmp_path / "db")]) == 2
    assert capsys.readouterr().err == "error: no-such-doc: no such document in the index (see --list)\n"
    assert main(["--db", str(tmp_path / "db")]) == 2
    assert "give files/folders to ingest" in capsys.readouterr().err


def test_a_file_name_that_is_not_utf8_is_ingested_and_printed_safely(tmp_path, small_docs):
    folder = tmp_path / "odd"
    folder.mkdir()
    raw = os.fsencode(str(folder)) + b"/plan-\xff\xfe-\x1b[31m.txt"  # invalid UTF-8 and an escape sequence
    with open(raw, "wb") as f:
        f.write(small_docs["aigo"].read_bytes())
    out = run_cli(str(folder), "--db", str(tmp_path / "db"), "--json")
    assert out.returncode == 0 and "Traceback" not in out.stderr
    docs = PlanIndex(tmp_path / "db", fresh=True).list_documents()
    assert len(docs) == 1 and docs[0].chunks > 0

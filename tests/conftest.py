"""Shared test setup: an offline environment, a builder for small plan PDFs,
and the shipped corpus ingested once per session.

Everything here runs without network: ``HF_HUB_OFFLINE=1`` makes a model-hub
name fail at once instead of retrying, and Chroma/Gradio telemetry is off.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` puts tests/, not the root, on sys.path
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from browser.appserver import free_port  # noqa: E402,F401 - re-exported for the tests

CORPUS_PDF = ROOT / "corpus" / "pdf"
CORPUS_SOURCES = ROOT / "corpus" / "sources"

# ---------------------------------------------------------------- PDF builder
# The built-in (non-embedded) CID font of reportlab for Traditional Chinese.
CID_FONT = "MSung-Light"

# Blocks of a test document: (kind, value) with kind one of
#   "p"       a paragraph (value: text)
#   "h"       a heading (value: text, e.g. "壹、計畫緣起")
#   "table"   a grid table (value: list of rows, each a list of cell strings)
#   "break"   a page break (value ignored)
Block = tuple[str, object]

# The standard test plan: nested headings 壹、/一、/(一) over two pages and a
# budget table with caption, unit line, header row and two rows.
PLAN_BLOCKS: list[Block] = [
    ("p", "測試計畫書"),
    ("h", "壹、計畫緣起"),
    ("h", "一、背景說明"),
    ("p", "本計畫旨在培育人工智慧人才，強化產業應用能力，並推動跨領域合作。"),
    ("break", None),
    ("h", "貳、計畫內容"),
    ("h", "一、經費規劃"),
    ("h", "(一)經費需求"),
    ("p", "本計畫各分項之經費需求如下表所示。"),
    ("p", "表 1、經費需求表"),
    ("p", "單位：千元"),
    ("table", [["分項", "108 年度", "109 年度"],
               ["分項一", "390,000", "400,000"],
               ["分項二", "350,000", "365,000"]]),
    ("h", "(二)人力配置"),
    ("p", "本計畫人力配置以專任研究人員為主，每年約需二十人。"),
]


def build_pdf(path: Path, blocks: Sequence[Block], title: str = "測試計畫") -> Path:
    """Render ``blocks`` (see :data:`PLAN_BLOCKS`) into an A4 PDF at ``path``
    with reportlab and the CID font ``MSung-Light``.

    Like the shipped corpus (``corpus/README.md``), every page gets a footer
    ``- N -`` and tables are grid tables, one Paragraph per cell, with cell
    padding large enough that pypdf's layout mode puts a blank line between
    rows (9 pt text, 11.25 pt leading, 4 pt top/bottom padding: rows are
    19.25 pt apart, more than two font heights).

    Returns:
        ``path``.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    body = ParagraphStyle("body", fontName=CID_FONT, fontSize=10.5, leading=15, wordWrap="CJK")
    head = ParagraphStyle("head", fontName=CID_FONT, fontSize=13, leading=18, spaceBefore=6, spaceAfter=4,
                          wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=CID_FONT, fontSize=9, leading=11.25, wordWrap="CJK")
    grid = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ])

    story = []
    for kind, value in blocks:
        if kind == "p":
            story.append(Paragraph(str(value), body))
        elif kind == "h":
            story.append(Paragraph(str(value), head))
        elif kind == "break":
            story.append(PageBreak())
            continue
        elif kind == "table":
            table = Table([[Paragraph(c, cell) for c in row] for row in value])  # type: ignore[union-attr]
            table.setStyle(grid)
            story.append(table)
        else:
            raise ValueError(f"unknown block kind {kind!r}")
        story.append(Spacer(1, 4))

    def footer(canvas, doc):
        canvas.setFont(CID_FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 1 * cm, f"- {doc.page} -")

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm, title=title, author="測試機關")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    """``make_pdf(name, blocks, title=...)`` writes a PDF into the test's
    temporary folder (see :func:`build_pdf`) and returns its path."""

    def make(name: str, blocks: Sequence[Block] = PLAN_BLOCKS, title: str = "測試計畫") -> Path:
        return build_pdf(tmp_path / name, blocks, title)

    return make


@pytest.fixture
def plan_pdf(make_pdf) -> Path:
    """The standard two-page test plan (:data:`PLAN_BLOCKS`) as ``plan.pdf``."""
    return make_pdf("plan.pdf")


# ------------------------------------------------------------ small text docs
def source_excerpt(doc_id: str, start: str, stop: str) -> str:
    """The lines of a shipped source text from the first line that starts
    with ``start`` up to (not including) the next line that starts with
    ``stop``: real plan text for small, fast ingests."""
    lines = (CORPUS_SOURCES / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith(start) and "\t" not in ln and "....." not in ln)
    j = next(k for k in range(i + 1, len(lines)) if lines[k].startswith(stop))
    return "\n".join(lines[i:j]) + "\n"


@pytest.fixture
def small_docs(tmp_path: Path) -> dict[str, Path]:
    """Two small real plan texts in ``tmp_path/docs``: ``aigo.txt`` (the whole
    AI GO deck source) and ``phd.txt`` (the budget part of the MOST plan,
    with its 單位：千元 table)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    aigo = folder / "aigo.txt"
    aigo.write_text((CORPUS_SOURCES / "moeaidb-2019-aigo-intro.txt").read_text(encoding="utf-8"), encoding="utf-8")
    phd = folder / "phd.txt"
    phd.write_text(source_excerpt("most-2018-phd-talent-training", "參、人力配置", "肆、儀器設備需求"), encoding="utf-8")
    return {"aigo": aigo, "phd": phd}


# ---------------------------------------------------------------- subprocess
def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run ``python -m ingest ARGS`` in a subprocess from the repository root
    (offline environment inherited) and return the completed process."""
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=os.environ.copy())


def run_python(code: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run a Python snippet in a fresh interpreter from the repository root."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=os.environ.copy())


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    """A Chroma server (``chroma run``) on 127.0.0.1 and a free port, with its
    data in a temporary folder; yields ``(host, port)`` once its heartbeat
    answers and terminates it afterwards."""
    from browser.appserver import ChromaServer

    try:
        server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    except FileNotFoundError:
        pytest.skip("the chroma CLI is not installed")
    try:
        with server as address:
            yield address
    except RuntimeError as exc:
        pytest.fail(str(exc))


# ------------------------------------------------------------- shipped corpus
@dataclass
class CorpusIndex:
    """The shipped corpus ingested into a temporary index.

    Attributes:
        db: the ``--db`` folder.
        index: the open :class:`~ingest.store.PlanIndex`.
        report: the :class:`~ingest.pipeline.IngestReport` of the ingest.
        docs: the loaded :class:`~ingest.models.SourceDocument` of each
            document, by doc_id (recorded while the pipeline loaded them).
        chunks: every chunk read back from Chroma, in (doc_id, position) order.
    """

    db: Path
    index: object
    report: object
    docs: dict = field(default_factory=dict)
    chunks: list = field(default_factory=list)

    def doc_chunks(self, doc_id: str) -> list:
        """The chunks of one document, in order."""
        return [c for c in self.chunks if c.doc_id == doc_id]


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> CorpusIndex:
    """Ingest ``corpus/pdf`` once per session into a temporary Chroma folder
    (the default embedding model, whose vectors the user's vector cache keeps
    across sessions; BM25). Tests must not modify it."""
    from ingest import pipeline
    from ingest.store import PlanIndex

    db = tmp_path_factory.mktemp("corpus-db")
    index = PlanIndex(db)
    docs: dict = {}
    real_load = pipeline.load_document

    def recording_load(path, *args):
        doc = real_load(path, *args)
        docs[doc.doc_id] = doc
        return doc

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "load_document", recording_load)
        report = pipeline.ingest_paths([CORPUS_PDF], index)
    chunks = [c for c, _ in index.all_chunks()]
    return CorpusIndex(db=db, index=index, report=report, docs=docs, chunks=chunks)

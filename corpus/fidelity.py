"""How much of a source text's CJK content a PDF text extraction recovers, in order.

Usage (prints the ratio per document for pypdf's default and layout modes)::

    python -m corpus.fidelity
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# CJK Unified Ideographs Extension A + URO (U+3400–U+9FFF), CJK Compatibility
# Ideographs (U+F900–U+FAFF), Extensions B–F and Compatibility Supplement
# (U+20000–U+2FFFF).  CJK punctuation (U+3000–U+303F) and full-width forms are
# deliberately not counted: converters and fonts change them freely.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FFFF),
)

# Look-ahead of the greedy matcher, in CJK characters.  Large enough to step
# over a misplaced table cell or a page footer, small enough that one spurious
# hit cannot skip a whole page of real matches.
DEFAULT_WINDOW = 200


def is_cjk(ch: str) -> bool:
    """True if the single character ``ch`` is in one of :data:`CJK_RANGES`."""
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in CJK_RANGES)


def cjk_only(text: str) -> str:
    """The CJK characters of ``text`` (see :data:`CJK_RANGES`), in order."""
    return "".join(ch for ch in text if is_cjk(ch))


def in_order_recall(source: str, extracted: str, window: int = DEFAULT_WINDOW) -> float:
    """Fraction of ``source``'s CJK characters found in order in ``extracted``.

    Greedy in-order matcher: for each CJK character of ``source``, search the
    CJK sequence of ``extracted`` from the current position up to ``window``
    characters ahead; on a hit count it and move just past the hit, on a miss
    stay put.  The count is a lower bound on the longest common subsequence.

    Returns a float in [0, 1]; 1.0 when ``source`` has no CJK character.
    Raises ValueError if ``window`` < 1.
    """
    if window < 1:
        raise ValueError("window must be >= 1")
    src = cjk_only(source)
    ext = cjk_only(extracted)
    if not src:
        return 1.0
    pos = hits = 0
    for ch in src:
        j = ext.find(ch, pos, pos + window)
        if j >= 0:
            hits += 1
            pos = j + 1
    return hits / len(src)


def extract_text(pdf_path: Path, mode: str = "plain") -> str:
    """pypdf text of every page of ``pdf_path`` joined by newlines.

    ``mode`` is pypdf's ``extraction_mode`` ("plain" is pypdf's default).
    """
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    return "\n".join(page.extract_text(extraction_mode=mode) for page in reader.pages)


def main() -> int:
    """Print the in-order recall of every manifest document, both modes."""
    corpus = Path(__file__).resolve().parent
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest:
        source = (corpus / entry["source_text"]).read_text(encoding="utf-8")
        ratios = [in_order_recall(source, extract_text(corpus / entry["file"], mode))
                  for mode in ("plain", "layout")]
        print(f"{entry['doc_id']:34s} plain={ratios[0]:.4f} layout={ratios[1]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""OCR for PDF pages without a text layer (scans), through Tesseract.

Used only when Tesseract is installed with Traditional Chinese (Debian
``tesseract-ocr`` + ``tesseract-ocr-chi-tra``) and PyPI ``pytesseract`` is
importable; otherwise :func:`ocr_available` says why and the page is reported,
not indexed. OCR'd text is marked (``PageText.ocr``, ``Chunk.ocr``) so that
citations can show it with lower trust.

Example::

    >>> ok, why = ocr_available()                      # doctest: +SKIP
    >>> texts = ocr_pdf_pages(Path("scan.pdf"), [1, 2])  # doctest: +SKIP
"""
from __future__ import annotations

import re
import shutil
from functools import lru_cache
from pathlib import Path

#: Tesseract languages: Traditional Chinese plus English (plans mix in
#: English terms and figures). Debian packs each as tesseract-ocr-<lang>.
OCR_LANGS = "chi_tra+eng"
#: Page segmentation mode 4, "a single column of text of variable sizes"
#: (Tesseract's manual, ``--psm``): plan pages are one column; the default
#: (3, fully automatic) dropped a heading line of a test scan that mode 4 reads.
OCR_CONFIG = "--psm 4"
#: Render resolution (dpi). Tesseract's documentation recommends at least
#: 300 dpi for body text ("Improving the quality of the output").
OCR_DPI = 300
#: Tesseract puts spaces between CJK characters; removed between two CJK
#: characters (U+3000–U+9FFF, U+F900–U+FAFF, full-width forms U+FF00–U+FFEF).
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]) +(?=[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef])")


@lru_cache(maxsize=1)
def ocr_available() -> tuple[bool, str]:
    """``(True, "")`` when pages can be OCR'd, else ``(False, reason)``."""
    if not shutil.which("tesseract"):
        return False, "Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-tra)"
    try:
        import pytesseract
    except ImportError:
        return False, "pytesseract is not installed (pip install pytesseract)"
    try:
        langs = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # noqa: BLE001 - pytesseract wraps subprocess errors in several types
        return False, f"Tesseract does not run ({type(exc).__name__})"
    missing = [lang for lang in OCR_LANGS.split("+") if lang not in langs]
    if missing:
        return False, f"Tesseract lacks language data {missing} (Debian: tesseract-ocr-chi-tra)"
    return True, ""


def tidy_ocr_text(text: str) -> str:
    """Tesseract output → plain lines: spaces between CJK characters removed,
    trailing spaces stripped, runs of blank lines collapsed to one."""
    lines = [_CJK_SPACE.sub("", ln).rstrip() for ln in text.replace("\f", "").split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


def ocr_pdf_pages(path: Path, page_numbers: list[int]) -> dict[int, str]:
    """OCR some pages (1-based) of a PDF, opening it once.

    Returns:
        ``{page number: text}`` (:func:`tidy_ocr_text`; ``""`` when nothing
        was read).

    Raises:
        RuntimeError: OCR is not available (:func:`ocr_available`'s reason).
    """
    ok, why = ocr_available()
    if not ok:
        raise RuntimeError(why)
    import pdfplumber
    import pytesseract

    out = {}
    with pdfplumber.open(str(path)) as pdf:
        for n in page_numbers:
            image = pdf.pages[n - 1].to_image(resolution=OCR_DPI).original
            out[n] = tidy_ocr_text(pytesseract.image_to_string(image, lang=OCR_LANGS, config=OCR_CONFIG))
    return out

"""Is there usable text? Checks shared by the file loaders and the PDF page
reader: extraction garbage, and pages without a text layer."""
from __future__ import annotations

#: Text where more than this share of the non-space characters are
#: private-use or U+FFFD replacement characters is extraction garbage (CID
#: fonts without a ToUnicode map, pypdf#2295), not a document.
MAX_GARBAGE_SHARE = 0.3
#: A page with fewer letters/digits than this has no text layer: a scanned
#: page may carry a stray page number drawn as text, nothing more.
MIN_PAGE_TEXT_CHARS = 5


def garbage_share(text: str) -> float:
    """Share (0–1) of non-space characters that are private-use (U+E000–
    U+F8FF) or the replacement character U+FFFD."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if c == "\ufffd" or "\ue000" <= c <= "\uf8ff")
    return bad / len(chars)


def page_needs_ocr(text: str) -> bool:
    """True when a page's extracted text is empty, a bare number or garbage
    (then the page is an image: OCR it or report it)."""
    return garbage_share(text) > MAX_GARBAGE_SHARE or sum(1 for c in text if c.isalnum()) < MIN_PAGE_TEXT_CHARS

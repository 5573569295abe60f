"""Validate planqa benchmark files (JSONL, one question or claim per line).

Usage::

    python -m eval.validate eval/parts/part_a.jsonl [more.jsonl ...] [--sources DIR]

Prints one line per error (prefixed with the item id) and a summary of counts
by kind / category / lang / difficulty / doc; exits 1 when any error is found.

The item schema is the one written down in the benchmark brief:

* question: ``id, kind="question", doc, category, lang, difficulty, question,
  answer, must_include (list of lists of str), evidence (list of str)``
* claim: ``id, kind="claim", doc, category, lang, claim,
  verdict ("supported"|"contradicted"|"not_found"), correct_value, evidence``
  (a ``not_found`` claim -- a figure no plan states -- has ``correct_value``
  null and no evidence)

Matching rule (shared with the evaluation harness): texts are compared after
:func:`normalize_for_match` -- NFKC, all whitespace and commas removed -- so
"350,000 千元" in an answer matches "350000千元" in a source.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES_DIR = REPO_ROOT / "corpus" / "sources"

KINDS = ("question", "claim")
CATEGORIES = ("budget", "kpi", "eligibility", "fact", "unanswerable")
LANGS = ("zh-TW", "zh-CN", "en")
DIFFICULTIES = ("easy", "medium", "hard")
#: A claim's gold verdict: ``not_found`` is a figure no plan states (neither
#: the value nor another value for the same thing).
VERDICTS = ("supported", "contradicted", "not_found")

QUESTION_KEYS = ("id", "kind", "doc", "category", "lang", "difficulty",
                 "question", "answer", "must_include", "evidence")
CLAIM_KEYS = ("id", "kind", "doc", "category", "lang", "claim", "verdict",
              "correct_value", "evidence")
#: Keys an item may carry besides the required ones.  ``tags`` is a list of
#: labels from :data:`TAGS`.
OPTIONAL_KEYS = ("tags",)
#: ``inconsistent``: the question asks for a figure that the document states
#: differently in two places (e.g. a table and the text); a good answer gives
#: the figure and flags the disagreement (issue 10, "share of questions about
#: inconsistently stated figures whose answer flags the inconsistency").
TAGS = ("inconsistent",)

#: Evidence span length bounds in characters, from the brief; counted with all
#: whitespace removed, since spans may legitimately cross line breaks or tabs.
EVIDENCE_MIN_CHARS = 8
EVIDENCE_MAX_CHARS = 60
#: Most evidence spans an item may carry (brief: "1-3 spans").
EVIDENCE_MAX_SPANS = 3

_DROP = {ord(","): None, ord("*"): None}
# Markup of the plans' source texts that a PDF never prints: HTML tags of
# their table cells (「<p>本計畫以每年100家…</p>」); markdown emphasis
# (「**70萬**」) is dropped with the commas.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def normalize_for_match(text: str) -> str:
    """Return ``text`` normalised for substring matching.

    NFKC (full-width digits/commas/parentheses become ASCII), then HTML tags
    (``<p>``, ``</td>``) are removed, and every whitespace character, every
    comma (``,`` -- after NFKC this also covers the full-width ``，``) and
    every ``*`` (markdown emphasis).  The source texts that evidence spans
    are copied from carry that markup; the PDFs' text does not.  Used both
    for evidence spans and for ``must_include`` alternatives, and by the
    evaluation harness on answers.

    >>> normalize_for_match("３５０，０００ 千元")
    '350000千元'
    >>> normalize_for_match("每隊最高獎金達**70萬** <p>以上</p>")
    '每隊最高獎金達70萬以上'
    """
    t = _TAG.sub("", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in t if not ch.isspace()).translate(_DROP)


def load_sources(directory: Path | str = DEFAULT_SOURCES_DIR) -> dict[str, str]:
    """Map doc_id -> text for every ``<doc_id>.txt`` in ``directory``.

    Raises ``FileNotFoundError`` when the directory does not exist.
    """
    d = Path(directory)
    if not d.is_dir():
        raise FileNotFoundError(f"sources directory not found: {d}")
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(d.glob("*.txt"))}


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_item(item: dict, norm_sources: dict[str, str]) -> list[str]:
    """Errors for one item (ids not included -- the caller prefixes them)."""
    errs: list[str] = []
    kind = item.get("kind")
    if kind not in KINDS:
        return [f"kind {kind!r} not in {KINDS}"]
    keys = QUESTION_KEYS if kind == "question" else CLAIM_KEYS
    missing = [k for k in keys if k not in item]
    extra = sorted(set(item) - set(keys) - set(OPTIONAL_KEYS))
    if missing:
        errs.append(f"missing keys {missing}")
    if extra:
        errs.append(f"unexpected keys {extra}")

    tags = item.get("tags", [])
    if not (_is_str_list(tags) and set(tags) <= set(TAGS)):
        errs.append(f"tags must be a list drawn from {TAGS}, got {tags!r}")
    doc = item.get("doc")
    if doc not in norm_sources:
        errs.append(f"unknown doc {doc!r}")
    category = item.get("category")
    if category not in CATEGORIES:
        errs.append(f"category {category!r} not in {CATEGORIES}")
    if item.get("lang") not in LANGS:
        errs.append(f"lang {item.get('lang')!r} not in {LANGS}")

    text_key = "question" if kind == "question" else "claim"
    if not (isinstance(item.get(text_key), str) and item[text_key].strip()):
        errs.append(f"{text_key} must be a non-empty string")

    evidence = item.get("evidence", [])
    if not _is_str_list(evidence):
        errs.append("evidence must be a list of strings")
        evidence = []
    if len(evidence) > EVIDENCE_MAX_SPANS:
        errs.append(f"{len(evidence)} evidence spans (max {EVIDENCE_MAX_SPANS})")
    src = norm_sources.get(doc, "") if isinstance(doc, str) else ""

    for span in evidence:
        n = len("".join(span.split()))
        if not EVIDENCE_MIN_CHARS <= n <= EVIDENCE_MAX_CHARS:
            errs.append(f"evidence span has {n} chars (need {EVIDENCE_MIN_CHARS}-"
                        f"{EVIDENCE_MAX_CHARS}): {span!r}")
        if src and normalize_for_match(span) not in src:
            errs.append(f"evidence span not found in {doc}: {span!r}")

    if kind == "question":
        if item.get("difficulty") not in DIFFICULTIES:
            errs.append(f"difficulty {item.get('difficulty')!r} not in {DIFFICULTIES}")
        if not (isinstance(item.get("answer"), str) and item["answer"].strip()):
            errs.append("answer must be a non-empty string")
        groups = item.get("must_include", [])
        if not (isinstance(groups, list) and all(_is_str_list(g) for g in groups)):
            errs.append("must_include must be a list of lists of strings")
            groups = []
        if category == "unanswerable":
            if groups:
                errs.append("unanswerable question must have empty must_include")
            if evidence:
                errs.append("unanswerable question must have empty evidence")
        else:
            if not groups:
                errs.append("answerable question needs at least one must_include group")
            if not evidence:
                errs.append("answerable question needs at least one evidence span")
        for g in groups:
            if not g or not any(a.strip() for a in g):
                errs.append(f"empty must_include group {g!r}")
            elif src and not any(normalize_for_match(a) and normalize_for_match(a) in src
                                 for a in g):
                errs.append(f"no alternative of must_include group found in {doc}: {g!r}")
    else:
        if item.get("verdict") not in VERDICTS:
            errs.append(f"verdict {item.get('verdict')!r} not in {VERDICTS}")
        cv = item.get("correct_value")
        if category == "unanswerable":
            errs.append("claims cannot have category 'unanswerable'")
        if item.get("verdict") == "not_found":
            if cv is not None or evidence:
                errs.append("a not_found claim has correct_value null and empty evidence")
        else:
            if not (isinstance(cv, str) and cv.strip()):
                errs.append("correct_value must be a non-empty string")
            if not evidence:
                errs.append("claim needs at least one evidence span")
    return errs


def validate_items(items: list[dict], sources: dict[str, str]) -> list[str]:
    """Check benchmark ``items`` against ``sources`` (doc_id -> raw text).

    Returns human-readable error strings, each starting with the item id (or
    its position when it has no id); an empty list means every item is valid.
    Ids must be unique across the whole ``items`` list.
    """
    norm_sources = {k: normalize_for_match(v) for k, v in sources.items()}
    errors: list[str] = []
    seen: Counter[str] = Counter()
    for pos, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append(f"[item #{pos}] not a JSON object")
            continue
        iid = item.get("id")
        label = iid if isinstance(iid, str) and iid else f"item #{pos}"
        if not (isinstance(iid, str) and iid):
            errors.append(f"[{label}] missing or empty id")
        else:
            seen[iid] += 1
            if seen[iid] == 2:
                errors.append(f"[{iid}] duplicate id")
        errors.extend(f"[{label}] {e}" for e in _check_item(item, norm_sources))
    return errors


def read_jsonl(path: Path | str) -> tuple[list[dict], list[str]]:
    """Parse a JSONL file; returns (items, parse errors).  Blank lines are skipped."""
    items: list[dict] = []
    errs: list[str] = []
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errs.append(f"[{path}:{lineno}] invalid JSON: {exc}")
    return items, errs


def summarize(items: Iterable[dict]) -> str:
    """Multi-line count summary by kind, category, lang, difficulty and doc."""
    items = list(items)
    lines = [f"{len(items)} items"]
    for field in ("kind", "category", "lang", "difficulty", "doc", "verdict"):
        c = Counter(str(i.get(field)) for i in items if field in i)
        if c:
            lines.append(f"  {field}: " + ", ".join(f"{k}={v}" for k, v in sorted(c.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit status (0 valid, 1 errors)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", help="benchmark JSONL files")
    ap.add_argument("--sources", default=str(DEFAULT_SOURCES_DIR),
                    help="directory of <doc_id>.txt source texts")
    args = ap.parse_args(argv)
    sources = load_sources(args.sources)
    items: list[dict] = []
    errors: list[str] = []
    for f in args.files:
        got, errs = read_jsonl(f)
        items.extend(got)
        errors.extend(errs)
    errors.extend(validate_items(items, sources))
    for e in errors:
        print(e)
    print(summarize(items))
    print(f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""Tests for eval.validate: the shipped benchmark passes, broken items are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.validate import (
    load_sources,
    main,
    normalize_for_match,
    read_jsonl,
    validate_items,
)

REPO = Path(__file__).resolve().parent.parent
PARTS = [REPO / "eval" / "benchmark.jsonl"]

SOURCES = {"doc-x": "分項二\t108年度\n經費為 350,000 千元，計畫期程 3 年。"}


def _question(**over):
    item = {
        "id": "t-q001", "kind": "question", "doc": "doc-x", "category": "budget",
        "lang": "zh-TW", "difficulty": "easy", "question": "分項二108年經費？",
        "answer": "350,000 千元", "must_include": [["350,000", "3.5億"]],
        "evidence": ["108年度經費為 350,000 千元"],
    }
    item.update(over)
    return item


def _claim(**over):
    item = {
        "id": "t-c001", "kind": "claim", "doc": "doc-x", "category": "budget",
        "lang": "zh-TW", "claim": "分項二108年度經費為350,000千元",
        "verdict": "supported", "correct_value": "350,000 千元",
        "evidence": ["經費為 350,000 千元"],
    }
    item.update(over)
    return item


def test_normalize_for_match_nfkc_whitespace_commas():
    assert normalize_for_match("３５０，０００ 千元\n") == "350000千元"
    assert normalize_for_match("a, b\tc") == "abc"


def test_normalize_for_match_drops_the_source_texts_markup():
    # evidence copied from the source texts carries markdown emphasis and
    # table-cell HTML that the PDFs' text never shows
    assert normalize_for_match("每隊全程一題最高獎金達**70萬**") == "每隊全程一題最高獎金達70萬"
    assert normalize_for_match("<p>本計畫以每年100家廠商參與</p>\t<p>後續</p>") == "本計畫以每年100家廠商參與後續"
    # comparisons and a lone bracket are text, not tags
    assert normalize_for_match("比率 <5% 且 > 3") == "比率<5%且>3"


def test_valid_items_pass():
    assert validate_items([_question(), _claim()], SOURCES) == []


def test_evidence_may_cross_whitespace():
    # source has a tab between 分項二 and 108年度; span written with a space
    assert validate_items([_question(evidence=["分項二 108年度經費"])], SOURCES) == []


@pytest.mark.parametrize("item, needle", [
    (_question(evidence=["經費為 999,000 千元"]), "not found"),
    (_question(evidence=["千元"]), "chars"),
    (_question(evidence=["經" * 61]), "chars"),
    (_question(must_include=[["123,456", "9億"]]), "must_include"),
    (_question(doc="no-such-doc"), "unknown doc"),
    (_question(category="budgets"), "category"),
    (_question(lang="zh"), "lang"),
    (_question(difficulty="trivial"), "difficulty"),
    (_question(category="unanswerable"), "unanswerable"),
    (_question(must_include=[]), "must_include"),
    (_claim(verdict="maybe"), "verdict"),
    (_claim(correct_value=""), "correct_value"),
    (_claim(evidence=[]), "evidence"),
    ({k: v for k, v in _question().items() if k != "answer"}, "missing keys"),
    (_question(extra_field=1), "unexpected keys"),
    (_question(kind="quiz"), "kind"),
])
def test_broken_items_are_reported(item, needle):
    errors = validate_items([item], SOURCES)
    assert errors, item
    assert any(needle in e for e in errors), errors
    assert all(e.startswith(f"[{item['id']}]") for e in errors)


def test_duplicate_ids_reported():
    errors = validate_items([_question(), _question()], SOURCES)
    assert any("duplicate id" in e for e in errors)


def test_unanswerable_valid_when_empty():
    item = _question(category="unanswerable", answer="文件未提及",
                     must_include=[], evidence=[])
    assert validate_items([item], SOURCES) == []


def test_real_benchmark_parts_are_valid():
    assert PARTS, "eval/benchmark.jsonl missing"
    sources = load_sources()
    items, parse_errors = [], []
    for p in PARTS:
        got, errs = read_jsonl(p)
        items += got
        parse_errors += errs
    assert parse_errors == []
    assert items
    assert validate_items(items, sources) == []


def test_cli_exit_status(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    bad = tmp_path / "bad.jsonl"
    src = tmp_path / "src"
    src.mkdir()
    (src / "doc-x.txt").write_text(SOURCES["doc-x"], encoding="utf-8")
    import json
    good.write_text(json.dumps(_question(), ensure_ascii=False) + "\n", encoding="utf-8")
    bad.write_text(json.dumps(_question(id="t-q002", evidence=["不存在的證據文字"]),
                              ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    assert main([str(good), "--sources", str(src)]) == 0
    assert main([str(good), str(bad), "--sources", str(src)]) == 1
    out = capsys.readouterr().out
    assert "[t-q002]" in out and "invalid JSON" in out

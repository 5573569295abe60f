"""The learned English→Chinese lexicon: counting, thresholds, the shipped
file, and its use in question analysis."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.lexicon import LEXICON_PATH, Lexicon, english_words
from assistant.query import analyze

REPO = Path(__file__).resolve().parent.parent


def _words(text: str) -> list[str]:
    return re.findall(r"[\u4e00-\u9fff]{2}", text)


def test_english_words_are_content_words_without_plural_s():
    assert english_words("How many students can the plan train per year?") == {"student", "train"}


def test_fit_keeps_repeated_rare_pairs_only():
    pairs = [("When is the proposal deadline?", ["收件截止"]),
             ("Is there a deadline for the proposal?", ["截止收件計畫"]),
             ("What is the deadline of round two?", ["第二截止"]),
             ("Who runs the plan?", ["計畫機關"])]
    idf = {"收件": 3.0, "截止": 3.0, "計畫": 0.2, "第二": 3.0, "機關": 3.0}.get
    lex = Lexicon.fit(pairs, words=_words, idf=lambda w: idf(w, 0.0))
    # 截止 follows "deadline" in 3 of 3 questions, 收件 in 2 of 3; 第二 once;
    # 計畫 is on every page (idf below MIN_IDF); "runs" occurs once
    assert lex.entries["deadline"] == ("截止", "收件")
    assert lex.entries["proposal"] == ("截止", "收件")
    assert "run" not in lex.entries and all("計畫" not in z for z in lex.entries.values())
    assert lex.terms("deadline of the proposal?") == ["截止", "收件"]   # each term once
    assert lex.terms("nothing known here") == []


def test_round_trip_and_a_missing_file(tmp_path):
    lex = Lexicon({"deadline": ("截止",)}, {"split": "dev"})
    path = tmp_path / "lex.json"
    path.write_text(lex.to_json(), encoding="utf-8")
    assert Lexicon.load(path) == lex
    assert Lexicon.load(tmp_path / "none.json").entries == {}


def test_the_shipped_lexicon_was_fitted_on_dev_with_plan_words():
    lex = Lexicon.load()
    meta = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))["meta"]
    assert meta["split"] == "dev" and meta["questions"] > 0 and meta["entries"] == len(lex.entries) > 0
    assert {"cv_hit@5_with", "cv_hit@5_without", "cv_mrr_with", "cv_mrr_without"} <= set(meta)
    corpus = "".join(p.read_text(encoding="utf-8") for p in (REPO / "corpus" / "sources").glob("*.txt"))
    corpus = re.sub(r"\s+", "", corpus)
    terms = {z for zs in lex.entries.values() for z in zs}
    assert sum(z in corpus for z in terms) / len(terms) > 0.95   # the plans' own words


def test_analyze_adds_the_lexicons_terms_to_english_questions_only():
    lex = Lexicon({"zebra": ("斑馬",)})
    assert analyze("Is there a zebra?", lexicon=lex).text.endswith("斑馬")
    assert "斑馬" not in analyze("Is there a zebra?", lexicon=Lexicon({})).text
    assert "斑馬" not in analyze("Is there a horse?", lexicon=lex).text
    assert analyze("申請有斑馬嗎？", lexicon=lex).text == "申請有斑馬嗎?"


@pytest.mark.slow
def test_fit_lexicon_cross_validates_by_writer(corpus_index, tmp_path):
    from eval.fit_lexicon import fit

    out = tmp_path / "lexicon.json"
    meta = fit(corpus_index.db, out)
    assert meta["cv"].startswith("leave one question set") and meta["questions"] > 100
    assert 0.0 <= meta["cv_hit@5_without"] <= 1.0 and 0.0 <= meta["cv_hit@5_with"] <= 1.0
    assert Lexicon.load(out).entries

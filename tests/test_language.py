"""The English → Chinese glossary (``assistant/data/glossary.tsv``) that lets
English questions and claims reach the plans' words."""
from __future__ import annotations

import re

import pytest

from assistant.language import english_terms, glossary
from conftest import CORPUS_SOURCES


def test_every_glossary_term_is_a_word_the_shipped_plans_print():
    text = re.sub(r"\s+", "", "".join(p.read_text(encoding="utf-8") for p in CORPUS_SOURCES.glob("*.txt")))
    entries = glossary()
    assert len(entries) > 300
    missing = [(p.pattern, t) for p, terms in entries for t in terms if re.sub(r"\s+", "", t) not in text]
    assert not missing, missing[:10]


@pytest.mark.parametrize("question, expected, absent", [
    ("How many job openings did companies provide?", "職缺", ()),
    ("What is the review number of the plan?", "審議編號", ()),
    ("Who is the lead agency?", "主辦機關", ()),
    ("Is there an age cap for PhDs recruited back?", "歲", ()),
    ("How much tax is withheld from the prize?", "代扣", ()),
    # a word inside a longer word does not fire its entry ("intern" in "international")
    ("Which international exhibitions does the plan join?", "國際", ("實習",)),
    # nor an entry inside a word: "operating" in "cooperating", "ratio" in "cooperation"
    ("How many cooperating companies per year does the sub-project target?", "企業", ("經常支出",)),
    ("How many students through industry-academia cooperation?", "產學", ("比例",)),
])
def test_english_words_bring_the_plans_terms(question, expected, absent):
    terms = english_terms(question)
    assert expected in terms
    assert not set(absent) & set(terms)


@pytest.mark.parametrize("word, chinese", [
    ("bronze", "銅牌"), ("silver", "銀牌"), ("foreign", "外籍"), ("teams", "團隊"),
    ("winning", "優勝"), ("semiconductor", "半導體"),
])
def test_cc_cedict_gives_chinese_words_for_english_words(word, chinese):
    from assistant.dictionary import chinese_words

    assert chinese in chinese_words(word)


def test_cc_cedict_gives_nothing_for_function_and_unknown_words():
    from assistant.dictionary import base_forms, chinese_words

    assert chinese_words("the") == chinese_words("of") == ()
    assert chinese_words("qwzxv") == ()
    assert base_forms("teams") == ["teams", "team"]
    assert "win" in base_forms("winning") and "study" in base_forms("studies")


def test_each_english_figure_has_its_own_words():
    from assistant.figures.claims import parse_claim

    c = parse_claim("In the first round, two teams won bronze and three teams won silver.")
    first, second = (f.own_words for f in c.figures)
    assert "bronze" in first and "bronze" not in second and "銅牌" in first["bronze"]
    assert "silver" in second and "silver" not in first
    assert "round" not in first  # before a clause break: every figure's


def test_english_words_beyond_the_glossary_become_dictionary_groups():
    from assistant.figures.claims import parse_claim

    c = parse_claim("Two teams won bronze in the first round.")
    words = {w for g in c.dictionary_groups for w in g}
    assert "銅牌" in words
    # a word the glossary covers is not looked up again ("teams" → 團隊 | 成員)
    assert any("團隊" in g for g in c.term_groups)
    assert not any("團隊" in g for g in c.dictionary_groups)
    assert parse_claim("分項二獲得銅牌 2 隊。").dictionary_groups == []

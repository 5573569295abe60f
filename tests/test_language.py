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
])
def test_english_words_bring_the_plans_terms(question, expected, absent):
    terms = english_terms(question)
    assert expected in terms
    assert not set(absent) & set(terms)

"""Exact unit equivalence of plan figures (issue 12): a value written in
another unit is the same value; only an approximate figure (約 …) gets a
tolerance, and only the one its own printed precision allows.  Property
tests with hypothesis over values and unit pairs, on the real parser."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.figures.matching import comparable, value_match
from assistant.figures.quantities import MONEY_UNITS, extract_quantities
from assistant.figures.units import to_decimal, to_yuan_decimal

# The money units budget tables and prose use (MONEY_UNITS has them all).
UNITS = ["元", "千元", "萬元", "百萬元", "千萬元", "億元"]


def one(text: str):
    qs = [q for q in extract_quantities(text) if q.kind in ("money", "percent", "count")]
    assert len(qs) == 1, (text, qs)
    return qs[0]


def written(value: Decimal, unit: str) -> str:
    """``value`` (in 元) written in ``unit`` exactly, with thousands separators."""
    v = to_decimal(value / MONEY_UNITS[unit])
    return f"{v:,f} {unit}"


# Amounts in 元 with at most 4 significant digits above 千元 (what plans print).
amounts = st.builds(lambda m, e: Decimal(m) * Decimal(10) ** e,
                    st.integers(min_value=1, max_value=9999), st.integers(min_value=3, max_value=9))


@settings(max_examples=300, deadline=None)
@given(amounts, st.sampled_from(UNITS), st.sampled_from(UNITS))
def test_the_same_amount_in_any_two_units_is_exact(value, a, b):
    qa, qb = one(written(value, a)), one(written(value, b))
    assert to_yuan_decimal(written(value, a).split()[0], a) == value
    assert value_match(qa, qb) == "exact" and value_match(qb, qa) == "exact"


@settings(max_examples=300, deadline=None)
@given(amounts, st.sampled_from(UNITS), st.sampled_from(UNITS), st.integers(min_value=1, max_value=9))
def test_a_different_amount_never_matches(value, a, b, bump):
    step = Decimal(10) ** (len(str(int(value))) - 4)  # a change in the 4th significant digit
    other = value + bump * step
    assert value_match(one(written(value, a)), one(written(other, b))) == ""


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99).filter(lambda n: n % 10), st.sampled_from(["億元", "萬元"]))
def test_approximate_figures_agree_only_within_their_last_digit(n, unit):
    # 「約 N 億元」 vs N.4 億元: cut off or rounded at the last significant digit
    # (N without trailing zeros: those widen the step, see test_the_plan_examples)
    approx = one(f"約 {n} {unit}")
    # the claimed 約 N is N.4 rounded half up: an honest rounding
    assert value_match(approx, one(f"{n}.4 {unit}")) == "rounded"
    # N.6 rounds to N + 1: N is N.6 cut off, approximate only
    assert value_match(approx, one(f"{n}.6 {unit}")) == "approximate"
    # the plan's own 約 N for a claimed N.4 stays approximate
    assert value_match(one(f"{n}.4 {unit}"), approx) == "approximate"
    assert value_match(approx, one(f"{n + 2} {unit}")) == ""
    # without 約 the same pair is simply different
    assert value_match(one(f"{n} {unit}"), one(f"{n}.4 {unit}")) == ""


def test_the_plan_examples():
    # ey-2018: 「約 360 億元」 (text) for 表 8's 366.24 億元 -- cut off at 10 億
    assert value_match(one("約 360 億元"), one("366.24 億元")) == "approximate"
    # "about NT$7.08 billion" for 表 8's 70.84 億元: rounded half up at its last digit
    assert value_match(one("about NT$7.08 billion"), one("70.84 億元")) == "rounded"
    assert value_match(one("約 1.56 億元"), one("156,450 千元")) == "rounded"
    assert value_match(one("360 億元"), one("366.24 億元")) == ""
    # most-2018: 3.9 億元 = 390,000 千元 = 39,000 萬元; 4 億元 is not 390,000 千元
    assert value_match(one("3.9 億元"), one("390,000 千元")) == "exact"
    assert value_match(one("39,000 萬元"), one("390,000 千元")) == "exact"
    assert value_match(one("4 億元"), one("390,000 千元")) == ""
    assert value_match(one("NT$390 million"), one("390,000 千元")) == "exact"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=9))
def test_percent_and_cheng(n):
    assert value_match(one(f"{n}成"), one(f"{n * 10}%")) == "exact"
    assert value_match(one(f"{n}成"), one(f"{n * 10 + 1}%")) == ""


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=100000))
def test_persons_in_any_classifier_spelling(n):
    assert value_match(one(f"{n:,} 名"), one(f"{n} 人")) == "exact"
    assert value_match(one(f"{n} 位"), one(f"{n:,}人")) == "exact"


def test_foreign_currency_in_any_scale_is_comparable():
    (usd,) = extract_quantities("US$135.9 billion")
    (yi,) = extract_quantities("1,359 億美元")
    (ntd,) = extract_quantities("1,359 億元")
    assert comparable(usd, yi) and value_match(usd, yi) == "exact"
    assert not comparable(usd, ntd)  # US dollars are not New Taiwan dollars


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=900000))
def test_english_people_and_firms_may_be_the_plans_times(n):
    """Plain English has no word for 人次 / 家次: "participants" and
    "companies" may state them; a Chinese 人 is never a 人次."""
    assert comparable(one(f"{n:,} participants"), one(f"{n:,} 人次"))
    assert comparable(one(f"{n:,} companies"), one(f"{n:,} 家次"))
    assert not comparable(one(f"{n:,} 人"), one(f"{n:,} 人次"))
    assert not comparable(one(f"{n:,} companies"), one(f"{n:,} 人次"))


def test_a_share_agrees_at_the_claimed_precision():
    """A computed share, rounded or cut off at the claimed percent's last
    printed digit (assistant/figures/shares.py)."""
    from assistant.figures.shares import agrees, is_share

    assert agrees(one("52%"), 19.225, 36.765)           # 52.29%
    assert agrees(one("30.7%"), 11.3, 36.765)           # 30.74%
    assert agrees(one("0.68%"), 3781, 560000)           # 0.675%: rounded
    assert not agrees(one("6.8%"), 3781, 560000)
    assert not agrees(one("53%"), 19.225, 36.765)
    text = "分項二全程經費 19.225 億元，約占總經費的 52%。"
    (pct,) = [q for q in extract_quantities(text) if q.kind == "percent"]
    assert is_share(pct, text)
    english = "New funding makes up roughly 28% of the four-year budget."
    (pct,) = [q for q in extract_quantities(english) if q.kind == "percent"]
    assert is_share(pct, english)
    growth = "AI adoption rises from 32.5% to 50%."
    assert not any(is_share(q, growth) for q in extract_quantities(growth) if q.kind == "percent")

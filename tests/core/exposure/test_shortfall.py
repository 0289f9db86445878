"""core.exposure.shortfall: the three rules, by hand, and the invariants they share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.exposure import (
    shortfall_losses,
)
from core.validation import DealDeskInputError
from tests.core.exposure.cases import FUND, HAND, TERMS


def _lost(**kw):
    t = shortfall_losses(HAND, funding=FUND, terms=TERMS, **kw)
    t = t[t["year"] == 2026].set_index("deal")
    assert (t["paid"] + t["lost"]).tolist() == pytest.approx(t["committed"].tolist())
    return t["lost"].to_dict()


def test_pro_rata_spreads_the_shortfall_by_share_of_commitments():
    lost = _lost(rule="pro_rata")
    assert lost == pytest.approx({"A": 6 * 4 / 12, "B": 4 * 4 / 12, "D": 2 * 4 / 12})


def test_seniority_pays_the_earliest_contract_first():
    # Pay 8: B (2025) 4 in full, then A 4 of its 6, then D nothing (ties in table order).
    assert _lost(rule="seniority") == pytest.approx({"A": 2.0, "B": 0.0, "D": 2.0})


def test_priority_pays_in_the_analysts_order():
    # R first (2), then P (6): 8 used up; Q (not named) last, loses its 4.
    assert _lost(rule="priority", priority=["R", "P"]) == pytest.approx({"A": 0.0, "B": 4.0, "D": 0.0})
    # A deal name works as well as a provider name, and one name may be given alone.
    assert _lost(rule="priority", priority="B") == pytest.approx({"A": 2.0, "B": 0.0, "D": 2.0})


def test_no_shortfall_when_funding_exactly_covers_commitments():
    fund = [
        {"customer": "C", "year": 2026, "item": "revenue", "value": 9.0},
        {"customer": "C", "year": 2026, "item": "funding", "value": 2.0},
    ]
    for rule, priority in (("pro_rata", None), ("seniority", None), ("priority", ["Q"])):
        t = shortfall_losses(HAND, funding=fund, terms=TERMS, rule=rule, priority=priority)
        assert t["lost"].max() == 0.0  # 9 + 2 + 1 = 12 = commitments


def test_cash_pool_carries_forward_and_surplus_revenue_does_not():
    # 2026: owes 6 from revenue 10 (surplus 4 is not kept), funding 3 kept; 2027: owes 14 from
    # revenue 10 + pool 3: loses 1.
    deals = [
        {"deal": "X", "provider": "P", "customer": "C", "value": 6, "start": "2026-01-01", "term_years": 1},
        {"deal": "Y", "provider": "Q", "customer": "C", "value": 14, "start": "2027-01-01", "term_years": 1},
    ]
    fund = [
        {"customer": "C", "year": 2026, "item": "revenue", "value": 10.0},
        {"customer": "C", "year": 2026, "item": "funding", "value": 3.0},
    ]
    terms = [
        {"customer": "C", "revenue_share": 1.0, "opening_cash": 0.0, "growth_after": 0.0, "volatility": 0.0}
    ]
    t = shortfall_losses(deals, funding=fund, terms=terms).set_index(["deal", "year"])["lost"]
    assert t[("X", 2026)] == 0.0
    assert t[("Y", 2027)] == pytest.approx(1.0)


def test_rule_errors_name_the_argument():
    with pytest.raises(DealDeskInputError, match=r"rule must be one of .*'pro_rata'.* got 'fifo'"):
        shortfall_losses(HAND, funding=FUND, terms=TERMS, rule="fifo")
    with pytest.raises(DealDeskInputError, match=r"priority must list providers or deals"):
        shortfall_losses(HAND, funding=FUND, terms=TERMS, rule="priority")
    with pytest.raises(
        DealDeskInputError, match=r"priority must name providers or deals of the portfolio .* got 'Z'"
    ):
        shortfall_losses(HAND, funding=FUND, terms=TERMS, rule="priority", priority=["Z"])
    with pytest.raises(DealDeskInputError, match=r"priority must be left out unless rule is 'priority'"):
        shortfall_losses(HAND, funding=FUND, terms=TERMS, priority=["P"])


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    values=st.lists(st.floats(0.5, 50.0), min_size=2, max_size=4),
    offsets=st.lists(st.integers(0, 700), min_size=4, max_size=4),
    revenue=st.floats(0.1, 60.0),
    funding=st.floats(0.0, 30.0),
)
def test_every_rule_loses_the_same_shortfall_and_never_more_than_owed(values, offsets, revenue, funding):
    # The rules only decide who loses: per customer and year, the losses add up to the shortfall,
    # each contract loses between 0 and what it is owed, and the total is the same under every rule.
    deals = [
        {
            "deal": f"D{i}",
            "provider": f"P{i % 2}",
            "customer": "C",
            "value": v,
            "start": pd.Timestamp("2025-06-01") + pd.Timedelta(days=offsets[i]),
            "term_years": 2,
        }
        for i, v in enumerate(values)
    ]
    fund = [
        {"customer": "C", "year": 2026, "item": "revenue", "value": revenue},
        {"customer": "C", "year": 2026, "item": "funding", "value": funding},
    ]
    totals = []
    for rule, priority in (("pro_rata", None), ("seniority", None), ("priority", ["P1"])):
        t = shortfall_losses(deals, funding=fund, terms=TERMS, rule=rule, priority=priority)
        assert (t["lost"] >= -1e-12).all() and (t["lost"] <= t["committed"] + 1e-12).all()
        totals.append(t.groupby("year")["lost"].sum().to_numpy())
    assert np.allclose(totals[0], totals[1], atol=1e-9) and np.allclose(totals[0], totals[2], atol=1e-9)

"""Every numeric input's rule at its boundaries, written out by hand.

The rules are the ones the Inputs sheet shows (``core.assumptions.INPUTS``), copied
here as an analyst reads them: each bound is tried exactly (accepted, or refused
where the rule is strict) and just beyond (refused, with the message naming the
input, the rule and the value). A bound moved in the code, a ``>=`` turned into
``>`` or a strict minimum dropped fails here. The defaults are the sourced figures
of the reference case (AWS–OpenAI, FACTS.md), written out for the same reason.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from core.assumptions import INPUTS, Assumptions, InputSpec
from core.validation import DealDeskInputError

#: name: (rule in words, values accepted, values refused, other inputs the values need).
RULES: dict[str, tuple[str, list[float], list[float], dict[str, float]]] = {
    "contract_value": ("a number > 0", [1e-9, 1e6], [0.0, -1.0], {}),
    "term_years": ("a number > 0 and <= 30", [1 / 12, 30.0], [0.0, 30.000001], {}),
    "initial_rate": ("a number >= 0 and <= 1", [0.0, 1.0], [-1e-9, 1.000001], {}),
    "fiscal_year_end": ("a whole number >= 1 and <= 12", [1, 12], [0, 13], {}),
    "realisation": ("a number > 0 and <= 1", [1e-9, 1.0], [0.0, 1.000001], {}),
    "delay_quarters": ("a number >= 0 and <= 20", [0.0, 20.0], [-1e-9, 20.000001], {}),
    "base_revenue": ("a number >= 0.001", [0.001], [0.000999], {}),
    "base_year": ("a whole number >= 2000 and <= 2100", [2000, 2100], [1999, 2101], {}),
    "base_growth": ("a number >= -0.5 and <= 2", [-0.5, 2.0], [-0.500001, 2.000001], {}),
    "base_margin": ("a number >= -1 and <= 1", [-1.0, 1.0], [-1.000001, 1.000001], {}),
    "deal_margin_override": ("a number >= -1 and <= 1, or blank", [-1.0, 1.0], [-1.000001, 1.000001], {}),
    "reported_backlog": ("a number >= 0", [0.0], [-1e-9], {}),
    "price_per_gpu_hour": ("a number >= 0.01 and <= 1000", [0.01, 1000.0], [0.009999, 1000.000001], {}),
    "billable_share": ("a number >= 0.01 and <= 1", [0.01, 1.0], [0.009999, 1.000001], {}),
    "fleet_gpus": ("a number > 0, or blank", [1e-9], [0.0, -1.0], {}),
    "fleet_it_mw": ("a number > 0, or blank", [1e-9], [0.0, -1.0], {}),
    "gpus_per_rack": ("a number >= 1", [1.0], [0.999999], {}),
    "kw_per_rack": ("a number > 0", [1e-9], [0.0], {}),
    "pue": ("a number >= 1 and <= 3", [1.0, 3.0], [0.999999, 3.000001], {}),
    "rack_price_musd": ("a number > 0", [1e-9], [0.0], {}),
    "facility_musd_per_mw": ("a number >= 0", [0.0], [-1e-9], {}),
    "power_usd_per_mwh": ("a number >= 0", [0.0], [-1e-9], {}),
    "us_consumption_twh": ("a number > 0", [1e-9], [0.0], {}),
    "useful_life_years": ("a number > 0 and <= 30", [1e-9, 30.0], [0.0, 30.000001], {}),
    "server_life_extension_years": ("a number >= 0 and <= 20", [0.0, 20.0], [-1e-9, 20.000001], {}),
    "facility_life_years": ("a number > 0 and <= 50", [1e-9, 50.0], [0.0, 50.000001], {}),
    "other_opex_share": ("a number >= 0 and <= 1", [0.0, 1.0], [-1e-9, 1.000001], {}),
    "committed_capex_share": ("a number >= 0 and <= 1", [0.0, 1.0], [-1e-9, 1.000001], {}),
    "capex_lead_years": ("a number >= 0 and <= 5", [0.0, 5.0], [-1e-9, 5.000001], {}),
    "tax_rate": ("a number >= 0 and <= 1", [0.0, 1.0], [-1e-9, 1.000001], {}),
    "discount_rate": ("a number >= 0 and <= 1", [0.0, 1.0], [-1e-9, 1.000001], {}),
    "capex_2026": ("a number >= 0", [0.0], [-1e-9], {}),
    "customer_revenue_start": ("a number > 0", [1e-9], [0.0], {}),
    # The start year must come before the target year (a rule between the two), so each
    # is tried with the other at the far end of its own range.
    "customer_revenue_start_year": (
        "a whole number >= 2000 and <= 2100",
        [2000, 2099],
        [1999, 2101],
        {"customer_target_year": 2100},
    ),
    "customer_revenue_target": ("a number > 0", [1e-9], [0.0], {}),
    "customer_growth_after": ("a number >= -0.5 and <= 1", [-0.5, 1.0], [-0.500001, 1.000001], {}),
    "customer_target_year": (
        "a whole number >= 2000 and <= 2100",
        [2001, 2100],
        [1999, 2101],
        {"customer_revenue_start_year": 2000},
    ),
    "shares_outstanding": ("a number > 0", [1e-9], [0.0], {}),
    "prior_close": ("a number > 0", [1e-9], [0.0], {}),
    "move_pct": ("a number > -1 and <= 10", [-0.999999, 10.0], [-1.0, 10.000001], {}),
    "market_move_pct": ("a number > -1 and <= 10", [-0.999999, 10.0], [-1.0, 10.000001], {}),
    "market_value_target": ("a number >= 0", [0.0], [-1e-9], {}),  # 0: no threshold, the test does not apply
    "market_value_growth": ("a number >= -0.5 and <= 1", [-0.5, 1.0], [-0.500001, 1.000001], {}),
    "apply_cloud_shock": ("a whole number >= 0 and <= 1", [0, 1], [-1, 2], {}),
    "cloud_shock": ("a number >= -1 and <= 1", [-1.0, 1.0], [-1.000001, 1.000001], {}),
}

#: The reference case's inputs (AWS–OpenAI, signed 2025-11-03), on the latest public data: deal
#: terms from the announcement; AWS FY2025 ($128.7B, 35.4%, +19.6%: Amazon release 2026-02-05) and
#: OpenAI ($13.1B in 2025 to >$280B in 2030: CNBC 2026-02-20) from EVIDENCE_2026.md; market and
#: other provider figures from FACTS.md; cost and price inputs the central values of their evidence
#: tables (tests/core/test_evidence.py works them out); the rest analyst assumptions as labelled in INPUTS.
DEFAULTS = {
    "deal_name": "AWS–OpenAI",
    "provider": "Amazon (AWS)",
    "customer": "OpenAI",
    "contract_value": 38.0,
    "start_date": dt.date(2025, 11, 3),
    "signing_date": dt.date(2025, 11, 3),
    "term_years": 7.0,
    "profile": "linear",
    "full_at": dt.date(2026, 12, 31),
    "initial_rate": 0.0,
    "frequency": "year",
    "fiscal_year_end": 12,
    "realisation": 0.925,
    "delay_quarters": 0.0,
    "delay_mode": "extend",
    "base_revenue": 128.7,
    "base_year": 2025,
    "base_growth": round(128.7 / 107.6 - 1, 10),
    "base_margin": 0.354,
    "deal_margin_override": None,
    "reported_backlog": 200.0,
    "booking": "full",
    "booking_date": None,
    "price_per_gpu_hour": 2.83,
    "billable_share": 1.0,
    "fleet_gpus": None,
    "fleet_it_mw": None,
    "gpus_per_rack": 72.0,
    "kw_per_rack": 120.0,
    "pue": 1.3,
    "rack_price_musd": 4.45,
    "facility_musd_per_mw": 16.3,
    "power_usd_per_mwh": 81.0,
    "us_consumption_twh": 4097.0,
    "useful_life_years": 5.0,
    "server_life_extension_years": 0.0,
    "facility_life_years": 15.0,
    "other_opex_share": 0.055,
    "committed_capex_share": 0.3,
    "capex_lead_years": 1.0,
    "tax_rate": 0.21,
    "discount_rate": 0.09,
    "capex_2026": 200.0,
    "customer_revenue_start": 13.1,
    "customer_revenue_start_year": 2025,
    "customer_revenue_target": 280.0,
    "customer_target_year": 2030,
    "customer_growth_after": 0.0,
    "shares_outstanding": 10.690216011,
    "prior_close": 244.22,
    "move_pct": 0.058,
    "market_move_pct": 0.0,
    "market_value_target": 3000.0,
    "market_value_growth": 0.0,
    "apply_cloud_shock": 0,
    "cloud_shock": -0.15,
    "scenario": "base",
}


def test_every_numeric_input_has_its_rule_written_here() -> None:
    numeric = {s.name for s in INPUTS if s.kind in ("number", "integer", "fraction")}
    assert set(RULES) == numeric


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_in_words(name: str) -> None:
    spec = next(s for s in INPUTS if s.name == name)
    assert spec.rule == RULES[name][0]


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_bound_accepted_exactly_as_the_rule_says(name: str) -> None:
    _, accepted, _, others = RULES[name]
    for value in accepted:
        assert getattr(Assumptions(**others, **{name: value}), name) == value


@pytest.mark.parametrize("name", sorted(RULES))
def test_just_beyond_each_bound_is_refused_naming_the_input(name: str) -> None:
    rule, _, refused, others = RULES[name]
    # The message states the bounds; "whole" and "or blank" are said by their own messages.
    rule = rule.replace("whole number", "number").removesuffix(", or blank")
    for value in refused:
        with pytest.raises(
            DealDeskInputError, match=rf"^{name} must be {re.escape(rule)}, got {re.escape(repr(value))}$"
        ):
            Assumptions(**others, **{name: value})


def test_defaults_are_the_reference_case() -> None:
    a = Assumptions()
    assert dict(a.to_pairs()) == DEFAULTS


@pytest.mark.parametrize("name", sorted(n for n, r in RULES.items() if r[0].startswith("a whole number")))
def test_whole_number_inputs_refuse_a_fraction(name: str) -> None:
    _, accepted, _, others = RULES[name]
    with pytest.raises(
        DealDeskInputError, match=rf"^{name} must be a whole number, got {accepted[0] + 0.5!r}$"
    ):
        Assumptions(**others, **{name: accepted[0] + 0.5})


@pytest.mark.parametrize("name", sorted(n for n, r in RULES.items() if r[0].endswith(", or blank")))
def test_optional_inputs_may_be_left_blank(name: str) -> None:
    for blank in (None, "", "  "):
        assert getattr(Assumptions(**{name: blank}), name) is None


def test_a_rule_without_bounds_is_just_the_kind():
    assert InputSpec("x", "X", "US$ bn", 1.0, "number", "test", "Deal").rule == "a number"
    assert InputSpec("x", "X", "US$ bn", 1, "integer", "test", "Deal", optional=True).rule == (
        "a whole number, or blank"
    )


def test_a_blank_cell_in_a_pasted_range_keeps_the_default_but_a_blank_name_of_a_deal_is_refused():
    # Number and choice inputs left blank take their default; a text input must say something.
    a = Assumptions.from_pairs([("contract_value", "  "), ("profile", ""), ("realisation", None)])
    assert (a.contract_value, a.profile, a.realisation) == (38.0, "linear", 0.925)
    with pytest.raises(DealDeskInputError, match=r"^deal_name must be non-empty text, got ''$"):
        Assumptions.from_pairs([("deal_name", "")])

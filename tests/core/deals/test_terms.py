"""One deal as model inputs: its own terms, the name matched loosely, a base's other inputs kept,
and every compute deal of the library giving valid inputs."""

from __future__ import annotations

import datetime as dt

import pytest

from core.assumptions import Assumptions
from core.deals import (
    PROVIDER_INPUTS,
    deal_assumptions,
    deal_terms,
    load_deals,
)
from core.validation import DealDeskInputError
from tests.core.deals.cases import _MODELLED


def test_the_signing_date_is_the_announcement():
    assert deal_assumptions("Oracle–OpenAI").signing_date == dt.date(2025, 9, 10)  # reported date
    assert deal_assumptions("Microsoft–Nebius").signing_date == dt.date(2025, 9, 8)
    assert deal_terms("AWS–OpenAI").assumptions == Assumptions()  # the reference deal is the defaults


def test_the_note_states_each_assumption():
    terms = deal_terms("Microsoft–OpenAI")
    # FACTS: "term not disclosed", no start stated: announcement date and 5 years are assumed.
    assert (
        terms.sources["start_date"]
        == "analyst default: start assumed at announcement (2025-10-28); term assumed 5 years (not disclosed)"
    )
    assert terms.assumed == (
        "start_date",
        "term_years",
        "profile",
        "full_at",
        "price_per_gpu_hour",
        "rack_price_musd",
        "customer_growth_after",
    )
    assert (terms.assumptions.start_date, terms.assumptions.term_years) == (dt.date(2025, 10, 28), 5.0)


def test_the_name_is_matched_ignoring_case_accents_and_dash():
    assert deal_assumptions("microsoft-nebius") == deal_assumptions("Microsoft–Nebius")
    assert deal_assumptions("  META — google cloud ") == deal_assumptions("Meta–Google Cloud")


def test_a_base_carries_its_other_inputs_and_ramp():
    base = Assumptions().replace(tax_rate=0.3, full_at=dt.date(2026, 11, 2))  # a 364-day ramp
    terms = deal_terms("Microsoft–IREN", base=base)
    assert terms.assumptions.tax_rate == 0.3
    assert (terms.assumptions.full_at - terms.assumptions.start_date).days == 364
    assert (
        terms.sources["full_at"]
        == "analyst default: full run-rate 364 days after start as in the reference deal AWS–OpenAI"
    )


def test_unknown_deal_lists_the_deals_that_can_be_modelled():
    with pytest.raises(
        DealDeskInputError, match=r"deal must be a compute deal of the library .*'AWS–OpenAI'.*got 'Nope'"
    ) as info:
        deal_assumptions("Nope")
    assert "Nvidia–OpenAI" not in str(info.value)
    with pytest.raises(DealDeskInputError, match=r"got 38"):
        deal_assumptions(38)  # type: ignore[arg-type]


def test_a_bad_base_is_refused():
    with pytest.raises(DealDeskInputError, match="base must be an Assumptions, got dict"):
        deal_assumptions("AWS–OpenAI", base={})  # type: ignore[arg-type]


def test_an_analysts_library_is_used():
    library = load_deals()
    library.loc[library["deal"] == "Microsoft–IREN", "value_usd_bn"] = 12.0
    assert deal_assumptions("Microsoft–IREN", deals=library).contract_value == 12.0


def test_a_provider_missing_from_the_company_library_is_all_analyst_defaults():
    library = load_deals()
    library.loc[library["deal"] == "Microsoft–IREN", "provider"] = "Acme Compute"
    terms = deal_terms("Microsoft–IREN", deals=library)
    assert set(PROVIDER_INPUTS) <= set(terms.assumed)
    assert "Acme Compute (not in the company library)" in terms.note
    assert terms.assumptions.prior_close != Assumptions().prior_close


@pytest.mark.parametrize("name", _MODELLED)
def test_every_compute_deal_gives_valid_inputs(name):
    a = deal_assumptions(name)
    row = load_deals().set_index("deal").loc[name]
    assert a.contract_value == float(row["value_usd_bn"])
    assert a.start_date <= a.full_at
    assert Assumptions.from_pairs(a.to_pairs()) == a  # every value passes the inputs' rules

"""Which deals of the library can be modelled: the others are refused with the reason, and listed."""

from __future__ import annotations

import pytest

from core.deals import (
    deal_terms,
    unmodelled_deals,
)
from core.validation import DealDeskInputError


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "Nvidia–OpenAI",
            r"is an investment \(up to \$100B investment, per GW deployed; non-binding letter of intent\), not a cloud compute purchase",
        ),
        (
            "AMD–OpenAI",
            r"is a chip-supply deal \(\"tens of billions\" revenue; .*\), not a cloud compute purchase",
        ),
        ("Broadcom–OpenAI", r"is a chip-supply deal \(not disclosed\), not a cloud compute purchase"),
        (
            "Google–Anthropic",
            r"has no disclosed value \(\"tens of billions\"\); it cannot be modelled without one",
        ),
    ],
)
def test_deals_that_are_not_compute_purchases_or_have_no_value_are_refused(name, words):
    with pytest.raises(DealDeskInputError, match=rf"^deal '{name}' {words}"):
        deal_terms(name)


def test_the_unmodelled_deals_are_listed_with_their_reasons():
    table = unmodelled_deals()
    assert table["deal"].tolist() == ["Google–Anthropic", "Nvidia–OpenAI", "AMD–OpenAI", "Broadcom–OpenAI"]
    assert (
        table.set_index("deal")
        .loc["Nvidia–OpenAI", "reason"]
        .startswith("deal 'Nvidia–OpenAI' is an investment")
    )

"""Assumptions report every bad input at once, each naming the input and its rule."""

from __future__ import annotations

import pytest

from core.assumptions import Assumptions
from core.validation import DealDeskInputError


def test_one_bad_input_gives_its_own_message():
    with pytest.raises(DealDeskInputError, match=r"^realisation must be a number > 0 and <= 1, got 95$"):
        Assumptions(realisation=95)


def test_every_bad_input_is_listed_in_one_error():
    # A JSON/YAML inputs file with two mistakes: the analyst sees both, in INPUTS order.
    with pytest.raises(DealDeskInputError) as caught:
        Assumptions.from_pairs([("realisation", 95), ("contract_value", -5)])
    assert str(caught.value) == (
        "contract_value must be a number > 0, got -5; realisation must be a number > 0 and <= 1, got 95"
    )

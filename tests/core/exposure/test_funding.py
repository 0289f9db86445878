"""core.exposure.funding: customers' revenue and funding paths."""

from __future__ import annotations

import pytest

from core.exposure import (
    funding_paths,
)
from core.validation import DealDeskInputError


def test_funding_path_interpolates_geometrically_between_stated_years():
    p = funding_paths(["OpenAI"], [2026, 2028, 2031])
    g = (200 / 62) ** (1 / 3)
    assert p["revenue"]["OpenAI"].tolist() == pytest.approx([30.0, 62 * g, 200.0], rel=1e-12)
    with pytest.raises(DealDeskInputError, match=r"customer 'Nobody' must have a stated revenue path"):
        funding_paths(["Nobody"], [2026])

"""core.exposure.funding: customers' revenue and funding paths."""

from __future__ import annotations

import pytest

from core.exposure import (
    funding_paths,
)
from core.validation import DealDeskInputError


def test_funding_path_interpolates_geometrically_between_stated_years():
    # OpenAI's one revenue path: $13.1B in 2025 (2026-02-20) to its >$280B target for 2030, flat after.
    p = funding_paths(["OpenAI"], [2026, 2028, 2031])
    g = (280 / 13.1) ** (1 / 5)
    assert p["revenue"]["OpenAI"].tolist() == pytest.approx([13.1 * g, 13.1 * g**3, 280.0], rel=1e-12)
    with pytest.raises(DealDeskInputError, match=r"customer 'Nobody' must have a stated revenue path"):
        funding_paths(["Nobody"], [2026])

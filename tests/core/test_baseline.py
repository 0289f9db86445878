"""core.baseline on its own: the growth cap's rule on libraries missing figures, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from core.baseline import growth_cap
from core.companies import load_companies


def _without(*pairs: tuple[str, str]) -> pd.DataFrame:
    """The shipped library less the segment revenue of each (company, period starting with) pair."""
    table = load_companies()
    for name, period in pairs:
        table = table[
            ~(
                (table["company"] == name)
                & (table["field"] == "segment_revenue")
                & table["period"].str.startswith(period)
            )
        ]
    return table


def test_the_cap_is_the_fastest_segment_with_two_years_to_grow_between():
    # The library: AWS 107.6 -> 128.7 (+19.6%), Intelligent Cloud 87.464 -> 106.265 (+21.5%), Google
    # Cloud 43.229 -> 58.705 (+35.8%): the cap is Google Cloud's.
    rate, text = growth_cap()
    assert rate == pytest.approx(58.705 / 43.229 - 1, abs=1e-10)
    assert text.endswith("Alphabet FY2025 (Google Cloud) +35.8%")
    # A segment with one figure left (AWS's FY2025) or whose last two are not a year apart (Google
    # Cloud's FY2023 and FY2025) has no growth and is passed over, not an error.
    rate, text = growth_cap(_without(("Alphabet", "FY2024"), ("Amazon", "FY2024")))
    assert rate == pytest.approx(106.265 / 87.464 - 1, abs=1e-10)
    assert text.endswith("Microsoft FY2025 (Intelligent Cloud) +21.5%")
    # None left with a year's growth (Intelligent Cloud's FY2023 and FY2025 too): no cap to read, flat.
    none = _without(("Alphabet", "FY2024"), ("Amazon", "FY2024"), ("Microsoft", "FY2024"))
    assert growth_cap(none) == (0.0, "no hyperscale cloud segment growth in the library: flat")

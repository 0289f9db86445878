"""core.baseline on its own: the growth cap's rule on libraries missing figures, and the customer's path (what
was public on the day, years only, its annualised rate), worked by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.baseline import PATH_FIELDS, customer_path, growth_cap
from core.companies import load_companies
from core.deals import deal_terms


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


# --------------------------------------------------------------------------- the customer's path


def _path(path) -> tuple:
    return (path.start_year, path.start, path.target_year, path.target)


def test_the_path_uses_what_was_public_on_the_day_a_figure_on_that_day_and_not_the_day_after():
    # OpenAI's 2025 revenue, $13.1B, and its >$280B 2030 target were both reported on 2026-02-20 (CNBC/
    # Reuters via fintool.com): the day before, the path ran from 2024's $3.7B to the newest target then,
    # the article's $50B by 2027 (2025-11-03).
    assert _path(customer_path("OpenAI", as_of=dt.date(2026, 2, 19))) == (2024, 3.7, 2027, 50.0)
    assert _path(customer_path("OpenAI", as_of=dt.date(2026, 2, 20))) == (2025, 13.1, 2030, 280.0)


def test_a_run_rate_or_a_quarter_public_before_the_signing_never_moves_the_path():
    # Anthropic on the Anthropic–AWS signing day (2026-04-20): the $30B run-rate (2026-04-07) and $14B
    # (Feb 2026) were public; the path is still 2025's $4.7B (Nov-2025 projection) to 2028's $70B.
    before = customer_path("Anthropic", as_of=dt.date(2026, 4, 6))
    after = customer_path("Anthropic", as_of=dt.date(2026, 4, 20))
    assert _path(before) == _path(after) == (2025, 4.7, 2028, 70.0)
    # So is every surface's: the deal's signing-day terms read the same path.
    a = deal_terms("Anthropic–AWS", as_of="2026-04-20").assumptions
    assert (a.customer_revenue_start_year, a.customer_revenue_start) == (2025, 4.7)
    assert (a.customer_target_year, a.customer_revenue_target) == (2028, 70.0)


def test_only_years_make_the_path_the_same_figure_as_a_year_would_move_it():
    # The rule can fail: the $30B of 2026-04-07 filed as a year's revenue of 2026 would become the start.
    table = load_companies()
    run_rate = (table["company"] == "Anthropic") & (table["field"] == "run_rate_revenue")
    as_year = table[run_rate & (table["value"] == 30.0)].assign(field="revenue", as_of=dt.date(2026, 12, 31))
    mixed = pd.concat([table, as_year], ignore_index=True)
    assert _path(customer_path("Anthropic", as_of=dt.date(2026, 4, 20), companies=mixed)) == (
        2026,
        30.0,
        2028,
        70.0,
    )
    assert PATH_FIELDS == {"start": "revenue", "target": "revenue_target"}


@pytest.mark.parametrize(
    ("day", "year", "share"),
    [
        # 2025-07-01 → 2026-04-07: Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28 +
        # Mar 31 + 6 = 280 of the 365 days to 2026-07-01.
        ("2026-04-07", 2025, 280 / 365),
        # 1 July is the year's own total; 30 June the last day before the next.
        ("2026-07-01", 2026, 0.0),
        ("2026-06-30", 2025, 364 / 365),
        # 2025-07-01 → 2025-12-31: 183 days.
        ("2025-12-31", 2025, 183 / 365),
    ],
)
def test_the_paths_annualised_rate_on_a_day_by_hand(day, year, share):
    # Anthropic's signing-day path: R(t) = 4.7 × (70 ÷ 4.7)^((t − 2025) ÷ 3) up to 2028, so the rate is
    # R(year) × (R(year + 1) ÷ R(year))^share = 4.7 × (70 ÷ 4.7)^((year − 2025 + share) ÷ 3).
    path = customer_path("Anthropic", as_of=dt.date(2026, 4, 20))
    expected = 4.7 * (70 / 4.7) ** ((year - 2025 + share) / 3)
    assert path.rate_on(dt.date.fromisoformat(day)) == pytest.approx(expected, rel=1e-12)


def test_the_rate_is_held_after_the_target_year():
    # After 2028 the path is flat at $70B, so every day from 1 July 2028 on has a rate of 70.
    path = customer_path("Anthropic", as_of=dt.date(2026, 4, 20))
    assert path.rate_on(dt.date(2029, 3, 1)) == pytest.approx(70.0, rel=1e-12)
    assert path.rate_on(dt.date(2028, 1, 1)) < 70.0


def test_the_april_2025_projection_is_the_coreweave_may_25_signing_day_target():
    # CoreWeave–OpenAI (May-25), dated 2025-05-01: OpenAI's Apr-2025 projections (The Information, public
    # 2025-04-30) were out, so the path runs to the farthest of that day's years, $174B in 2030; no OpenAI
    # revenue was public yet, so the start is the earliest the library holds (2024's $3.7B, an analyst rule).
    # The day before, no projection was public: 2024's $3.7B held one year (no growth to carry).
    assert _path(customer_path("OpenAI", as_of=dt.date(2025, 4, 29))) == (2024, 3.7, 2025, 3.7)
    assert _path(customer_path("OpenAI", as_of=dt.date(2025, 4, 30))) == (2024, 3.7, 2030, 174.0)
    terms = deal_terms("CoreWeave–OpenAI (May-25)", as_of="2025-05-01")
    a = terms.assumptions
    assert (a.customer_revenue_start, a.customer_target_year, a.customer_revenue_target) == (3.7, 2030, 174.0)
    assert "customer_revenue_start" in terms.assumed and "customer_revenue_target" not in terms.assumed

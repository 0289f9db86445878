"""The library's exposure table is built once per set of arguments (a template asks for it in 40 cells)."""

from __future__ import annotations

import pandas as pd

from core.exposure import portfolio as exposure


def test_the_same_request_is_served_from_one_build():
    exposure._cached_library_table.cache_clear()
    first = exposure.exposure_table(as_of_year=2026)
    second = exposure.exposure_table(as_of_year=2026)
    info = exposure._cached_library_table.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    pd.testing.assert_frame_equal(first, second)
    # Oracle's reported ~$300B from OpenAI starts in 2027: all of it is backlog in 2026.
    assert float(first.set_index("provider").loc["Oracle", "OpenAI"]) == 300.0


def test_a_caller_changing_its_table_does_not_change_the_next_one():
    exposure._cached_library_table.cache_clear()
    first = exposure.exposure_table(as_of_year=2026)
    first.loc[:, "total"] = -1.0
    assert (exposure.exposure_table(as_of_year=2026)["total"] > 0).all()


def test_other_arguments_are_other_tables():
    exposure._cached_library_table.cache_clear()
    later = exposure.exposure_table(as_of_year=2030)
    earlier = exposure.exposure_table(as_of_year=2026)
    assert exposure._cached_library_table.cache_info().misses == 2
    # Backlog counted from 2030 leaves out 2026-2029's commitments: less for every provider.
    assert (later["total"].to_numpy() <= earlier["total"].to_numpy()).all()
    assert later["total"].sum() < earlier["total"].sum()


def test_a_portfolio_or_a_list_of_customers_is_not_cached():
    exposure._cached_library_table.cache_clear()
    exposure.exposure_table(customers=["OpenAI"], as_of_year=2026)
    assert exposure._cached_library_table.cache_info().currsize == 0

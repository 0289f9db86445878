"""The benchmarks table: the deal's gross, EBITDA and operating margins beside reported GPU-rental margins."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.benchmarks import BENCHMARK_COLUMNS, benchmark_findings, benchmark_table, deal_margins, part_years
from core.evidence import MARGIN_EVIDENCE
from core.model import MODEL_TABLES, model_table, run_model


def _economics(revenue, depreciation, power, other, first_year=2025):
    years = list(range(first_year, first_year + len(revenue)))
    return pd.DataFrame(
        {
            "year": years,
            "revenue": revenue,
            "depreciation": depreciation,
            "power_cost": power,
            "other_opex": other,
        }
    )


def test_the_three_margins_by_hand():
    # Year 1: revenue 10, depreciation 3, power 1, other 2 -> gross 6/10, EBITDA 7/10, operating 4/10.
    # Year 2: revenue 20, depreciation 3, power 2, other 4 -> 15/20, 14/20, 11/20.
    # Life: revenue 30, depreciation 6, power 3, other 6 -> 21/30, 21/30, 15/30. A year with no
    # revenue (capex spent ahead) has no margin and is not a row.
    econ = _economics([0.0, 10.0, 20.0], [0.0, 3.0, 3.0], [0.0, 1.0, 2.0], [0.0, 2.0, 4.0], first_year=2024)
    t = deal_margins(econ).set_index("row")
    assert list(t.index) == ["FY2025", "FY2026", "life"]
    assert t.loc["FY2025", ["gross_margin", "ebitda_margin", "operating_margin"]].tolist() == pytest.approx(
        [0.6, 0.7, 0.4]
    )
    assert t.loc["FY2026"].iloc[1:].tolist() == pytest.approx([0.75, 0.7, 0.55])
    assert t.loc["life"].iloc[1:].tolist() == pytest.approx([21 / 30, 21 / 30, 15 / 30])


def test_readings_say_above_inside_or_below_each_reported_range():
    # Life gross margin exactly 20% sits inside Oracle's GPU-rental range (<10% to >20%, read 10%–20%)
    # and below its 30–40% guide; 20.1% is above the rentals' range.
    def reading(gross):  # noqa: ANN001, ANN202
        econ = _economics([100.0], [100.0 - 100 * gross], [0.0], [0.0])
        table = benchmark_table(econ, provider="P", base_margin=0.37).set_index("row")
        return (
            table.loc["Oracle: Nvidia GPU rentals, 3 months to Aug-25", "reading"],
            table.loc["Oracle: AI infrastructure guide, over contract life", "reading"],
        )

    rentals, guide = reading(0.20)
    assert rentals == "the deal (life, 20.0%) is inside this gross margin (14.0%; 10.0% to 20.0%)"
    assert guide.startswith("the deal (life, 20.0%) is below this gross margin (35.0%; 30.0% to 40.0%)")
    assert reading(0.201)[0].startswith("the deal (life, 20.1%) is above")
    assert reading(0.099)[0].startswith("the deal (life, 9.9%) is below")


def test_the_table_holds_the_deal_the_provider_and_every_reported_margin():
    econ = _economics([10.0, 20.0], [3.0, 3.0], [1.0, 2.0], [2.0, 4.0])
    table = benchmark_table(econ, provider="Amazon (AWS)", base_margin=0.37, partial=frozenset({2025}))
    assert tuple(table.columns) == BENCHMARK_COLUMNS
    assert table["kind"].tolist() == ["deal"] * 3 + ["provider"] + ["reported"] * len(MARGIN_EVIDENCE)
    assert table["period"].tolist()[:3] == ["FY2025, part year", "FY2026", "contract life"]
    provider = table.set_index("row").loc["provider"]
    assert provider["operating_margin"] == 0.37 and provider["source"].startswith("Amazon (AWS)'s own")
    # Each reported row carries one measure, its range and its source with the confidence.
    reported = table[table["kind"] == "reported"]
    filled = reported[["gross_margin", "ebitda_margin", "operating_margin"]].notna().sum(axis=1)
    assert (filled == 1).all()
    assert reported["source"].str.contains("confidence (?:high|medium|low)").all()
    assert table["row"].is_unique  # DEAL.TABLE finds each row by its first column


def test_findings_in_words_name_what_sits_outside():
    # Life: gross 21/30 = 70.0%, above both Oracle figures; operating 50.0%, above every reported
    # operating margin and above a provider's 37%: no dilution. The part year is read apart.
    econ = _economics([10.0, 20.0], [3.0, 3.0], [1.0, 2.0], [2.0, 4.0])
    findings = benchmark_findings(
        benchmark_table(econ, provider="P", base_margin=0.37, partial=frozenset({2025}))
    )
    gross, ebitda, operating, own = findings
    assert gross.startswith(
        "Gross margin (revenue less depreciation, refresh included, and power): the deal earns 70.0% over its "
        "life (75.0% in its full years; part years FY2025 60.0%): above Oracle: Nvidia GPU rentals"
    )
    assert "below" not in gross and "inside" not in gross
    assert ebitda.startswith("EBITDA margin") and "inside" not in ebitda
    assert operating.startswith(
        "Operating margin (gross margin less other operating costs): the deal earns 50.0%"
    )
    assert (
        own
        == "Against P's own operating margin, 37.0% in its base year, the deal's 50.0% over its life is above: "
        "the deal does not dilute the segment."
    )


def test_part_years_are_the_fiscal_years_the_contract_does_not_cover_whole():
    # A contract from 2025-11-03 to 2032-11-02 on calendar years: 2025 and 2032 are part years.
    assert part_years(list(range(2025, 2033)), dt.date(2025, 11, 3), dt.date(2032, 11, 2), 12) == {2025, 2032}
    # From a fiscal year's first day to another's last: none (June year-end: FY2026 = Jul-25..Jun-26).
    assert part_years([2026, 2027], dt.date(2025, 7, 1), dt.date(2027, 6, 30), 6) == set()
    assert part_years([2026, 2027], dt.date(2025, 7, 2), dt.date(2027, 6, 29), 6) == {2026, 2027}


def test_the_model_table_is_the_cost_stack_and_deal_table_finds_it():
    # DEAL.TABLE(Inputs, "base", "benchmarks", "FY2026", "gross_margin"): (revenue − depreciation − power)
    # ÷ revenue of the economics table's FY2026.
    assert "benchmarks" in MODEL_TABLES
    econ = run_model().tables["economics"].set_index("year").loc[2026]
    gross = (econ["revenue"] - econ["depreciation"] - econ["power_cost"]) / econ["revenue"]
    assert model_table(None, "benchmarks", "FY2026", "gross_margin") == pytest.approx(gross)
    assert model_table(None, "benchmarks", "FY2026", "operating_margin") == pytest.approx(econ["deal_margin"])
    assert model_table(None, "benchmarks", "life", "operating_margin") == pytest.approx(
        run_model().outputs["deal_margin_life"]
    )

"""One world: the same contract, company and customer give the same figure on every surface.

The model (``run_model``), the report, portfolio exposure (core and ``dealdesk exposure``) and the
template evaluated headless, side by side; the DEAL functions' side is in
``tests/addin/test_one_world_udf.py``.
Each identity was broken once (a straight-line exposure beside a ramped report, a flat base in
one place and a grown one in another, two customer paths, a scenario applied twice).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from core.assumptions import Assumptions, scenario_assumptions
from core.deals import deal_assumptions
from core.exposure import exposure_table, funding_paths, outsized_providers, provider_effect
from core.model import run_model
from tests.core.exposure.cases import AWS, AWS_OPENAI, on_ramp
from workbook import spec as S
from workbook.cli import main
from workbook.evaluate import Evaluation
from workbook.report import build_report
from workbook.template import DEFAULT_TEMPLATE

REL = 1e-9


@pytest.fixture(scope="module")
def reference() -> object:
    return run_model()


# ------------------------------------------------------------------ a contract: AWS's OpenAI backlog


def test_awss_openai_backlog_at_the_end_of_2025_is_one_figure(reference, template_evaluation: Evaluation):
    # By hand (tests/core/exposure/cases.py): $38B booked at signing, less the 59 days of ramp
    # revenue recognised in 2025 at 92.5%: 38 × (1 − 0.925 × 59² ÷ (2 × 423 × 2557) ÷ (1 − 423/5114)).
    assert AWS == pytest.approx(38 * (1 - 0.925 * on_ramp(59, 2557)))
    backlog = reference.tables["backlog"].set_index("period")
    assert backlog.loc["FY2025Q4", "ending"] == pytest.approx(AWS, rel=REL)  # the report's roll-forward
    core = exposure_table().set_index("provider")
    # Exposure adds the expansion's $62B, signed later, to what OpenAI owes Amazon.
    assert core.loc["Amazon (AWS)", "OpenAI"] == pytest.approx(AWS_OPENAI, rel=REL)  # exposure
    # DEAL.EXPOSURE: tests/addin/test_one_world_udf.py.
    # The template's Exposure sheet: the matrix cell of AWS × OpenAI.
    p, c = S.EXPOSURE_PROVIDERS.index("Amazon (AWS)"), S.EXPOSURE_CUSTOMERS.index("OpenAI")
    wanted = S.exposure_matrix_formula(p, c)
    ws = openpyxl.load_workbook(DEFAULT_TEMPLATE)[S.EXPOSURE_SHEET]
    coordinate = next(c.coordinate for r in ws.iter_rows() for c in r if c.value == wanted)
    assert template_evaluation.cell(S.EXPOSURE_SHEET, coordinate) == pytest.approx(AWS_OPENAI, rel=REL)


def test_dealdesk_exposure_json_shows_the_same_backlog(capsys: pytest.CaptureFixture[str]):
    assert main(["exposure", "--draws", "200", "--seed", "1", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["providers"]["Amazon (AWS)"]["backlog_by_customer"]["OpenAI"] == pytest.approx(
        AWS_OPENAI, rel=REL
    )
    # As of 2025-12-31 the expansion (announced 2026-02-27) was not public: AWS–OpenAI's backlog alone.
    assert main(["exposure", "--draws", "200", "--seed", "1", "--json", "--as-of", "2025-12-31"]) == 0
    then = json.loads(capsys.readouterr().out)["providers"]["Amazon (AWS)"]
    assert then["backlog_by_customer"]["OpenAI"] == pytest.approx(AWS, rel=REL)
    assert main(["exposure", "--draws", "200", "--as-of", "2025-12-32"]) == 2
    assert "--as-of must be a date" in capsys.readouterr().err


def test_microsoft_openai_earns_on_the_ramp_not_50bn_a_year_from_day_one():
    # $250B, no disclosed term: 5 years assumed from the announcement (2025-10-28), on the reference ramp.
    # Its 65 days of 2025 are on the ramp: 250 × 0.925 × 65² ÷ (2 × 423 × 1826) ÷ (1 − 423/3652) ≈ 0.7,
    # where the straight line put 250 × 65 ÷ 1826 = 8.9 in Nov–Dec 2025.
    expected = 250 * 0.925 * on_ramp(65, 1826)
    spend = run_model(deal_assumptions("Microsoft–OpenAI")).tables["schedule"].set_index("period")
    assert spend.loc["FY2026", "revenue"] > 0  # Microsoft's fiscal year: Nov–Dec 2025 is in FY2026
    from core.exposure import commitments_by_year

    assert commitments_by_year().loc["Microsoft–OpenAI", 2025] == pytest.approx(expected, rel=REL)
    assert expected < 1.0 < 250 * 65 / 1826


# ------------------------------------------------------------------ a customer: OpenAI's revenue


def test_openais_2027_revenue_is_one_figure(reference, template_evaluation: Evaluation):
    # OpenAI's one path: $13.1B in 2025 to $280B in 2030, geometric: 13.1 × (280/13.1)^(2/5) in 2027.
    expected = 13.1 * (280 / 13.1) ** (2 / 5)
    model = reference.tables["counterparty"].set_index("year")
    assert model.loc[2027, "revenue"] == pytest.approx(expected, rel=REL)
    exposure = funding_paths(["OpenAI"], [2027])["revenue"]["OpenAI"]
    assert float(exposure.iloc[0]) == pytest.approx(expected, rel=REL)
    # DEAL.COUNTERPARTY: tests/addin/test_one_world_udf.py.
    years = template_evaluation.name("cp_year")[0]
    revenue = template_evaluation.name("cp_customer_revenue")[0]
    assert revenue[list(years).index(2027)] == pytest.approx(expected, rel=REL)  # yearly periods: 12 months


def test_openais_revenue_after_its_target_year_is_held_not_extrapolated(reference, template_evaluation):
    # After 2030 the path holds at $280B (growth after the target: 0), in the model and the template.
    model = reference.tables["counterparty"].set_index("year")
    assert model.loc[2032, "revenue"] == pytest.approx(280.0)
    years = list(template_evaluation.name("cp_year")[0])
    revenue = template_evaluation.name("cp_customer_revenue")[0]
    assert revenue[years.index(2032)] == pytest.approx(280.0, rel=REL)  # a yearly period: 12 months


# ------------------------------------------------------------------ a company: AWS's base revenue


def test_awss_base_revenue_is_one_path(reference, template_evaluation: Evaluation):
    # AWS FY2025 $128.7B growing 128.7 ÷ 107.6 a year: FY2027 = 128.7 × (128.7 / 107.6)².
    g = round(128.7 / 107.6 - 1, 10)
    expected = 128.7 * (1 + g) ** 2
    margin = reference.tables["margin"].set_index("period")
    assert margin.loc["FY2027", "base_revenue"] == pytest.approx(expected, rel=REL)
    effect = provider_effect(pd.DataFrame({"provider": ["Amazon (AWS)"], "year": [2027], "lost": [0.0]}))
    assert effect["revenue"].iloc[0] == pytest.approx(expected, rel=REL)
    years = list(template_evaluation.name("mg_fiscal_year")[0])
    base = template_evaluation.name("mg_base_revenue")[0]
    assert base[years.index(2027)] == pytest.approx(expected, rel=REL)


def test_nebiuss_revenue_multiple_is_one_figure():
    # The report's caveat and exposure's flag read the same ratio: peak deal revenue ÷ the baseline.
    from core.margin import peak_deal_ratio

    run = run_model(deal_assumptions("Microsoft–Nebius"))
    margin = run.tables["margin"]
    report_ratio = peak_deal_ratio(margin["deal_revenue"], margin["base_revenue"])
    exposure_ratio = outsized_providers().set_index("provider").loc["Nebius", "peak_ratio"]
    assert report_ratio == pytest.approx(exposure_ratio, rel=REL)


# ------------------------------------------------------------------ a scenario, applied once


def test_a_bear_report_shows_base_bull_and_bear_each_applied_once(tmp_path: Path):
    base = Assumptions()
    bear = scenario_assumptions(base, "bear")
    path = build_report(bear, tmp_path / "bear.xlsx", simulation_draws=0, scenario_base=base)
    ws = openpyxl.load_workbook(path)["Scenarios"]
    header = next(r for r in ws.iter_rows(values_only=True) if r and "Base" in r and "Bear" in r)
    npv_row = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "Deal NPV")
    cols = {name: header.index(name.capitalize()) for name in ("base", "bull", "bear")}
    assert npv_row[cols["base"]] == pytest.approx(run_model(base).outputs["npv"], rel=REL)
    assert npv_row[cols["bear"]] == pytest.approx(run_model(bear).outputs["npv"], rel=REL)
    assert npv_row[cols["bull"]] == pytest.approx(
        run_model(scenario_assumptions(base, "bull")).outputs["npv"]
    )


def test_a_scenario_report_without_its_base_is_refused(tmp_path: Path):
    from core.validation import DealDeskInputError

    with pytest.raises(
        DealDeskInputError, match=r"a report of the 'bear' scenario needs the inputs it was applied to"
    ):
        build_report(scenario_assumptions(None, "bear"), tmp_path / "x.xlsx", simulation_draws=0)


# ------------------------------------------------------------------ the analyst's loop: claims and watch list


def _sheet_rows(evaluation: Evaluation, sheet: str, columns: tuple, rows: int) -> list[dict]:
    """The Claims or Watch sheet's rows as evaluated headless, by the core table's column names."""
    from openpyxl.utils import get_column_letter

    out = []
    for k in range(rows):
        row = S.LAYOUT.table_header_row + 1 + k
        values = {
            column: evaluation.cell(sheet, f"{get_column_letter(j)}{row}")
            for j, (column, _, _) in enumerate(columns, start=1)
        }
        if values[columns[0][0]] not in (None, "", "–"):
            out.append(values)
    return out


def test_the_templates_claims_are_the_commands(template_evaluation: Evaluation, capsys):
    assert main(["claims", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    sheet = _sheet_rows(template_evaluation, S.CLAIMS_SHEET, S.CLAIM_SHEET_COLUMNS, S.CLAIM_SHEET_ROWS)
    assert [r["claim"] for r in sheet] == [r["claim"] for r in cli]
    for mine, theirs in zip(sheet, cli, strict=True):
        for column in ("model", "needed"):
            if theirs[column] is None:
                assert mine[column] in (None, ""), (mine["claim"], column)
            else:
                assert mine[column] == pytest.approx(theirs[column], rel=REL), (mine["claim"], column)
        assert mine["verdict"] == theirs["verdict"]
    # The margin claim's price gives -50 bps in run_model (the one model behind every surface).
    margin = next(r for r in sheet if r["claim"].startswith("Margin compression"))
    assert run_model(Assumptions(price_per_gpu_hour=margin["needed"])).outputs[
        "margin_bps_year2"
    ] == pytest.approx(-50, abs=1e-5)


def test_the_templates_watch_list_is_the_commands(template_evaluation: Evaluation, capsys):
    assert main(["watch", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    sheet = _sheet_rows(template_evaluation, S.WATCH_SHEET, S.WATCH_SHEET_COLUMNS, S.WATCH_SHEET_ROWS)
    assert len(cli) <= S.WATCH_SHEET_ROWS and len(sheet) == len(cli)
    for mine, theirs in zip(sheet, cli, strict=True):
        assert (mine["figure"], mine["period"], mine["source"]) == (
            theirs["figure"],
            theirs["period"],
            theirs["source"],
        )
        for column in ("model", "reported", "variance"):
            if theirs[column] is None:
                assert mine[column] in (None, ""), (mine["figure"], column)
            else:
                assert mine[column] == pytest.approx(theirs[column], rel=REL), (mine["figure"], column)
    backlog = next(r for r in sheet if (r["figure"], r["period"]) == ("Provider backlog", "Q4 2025"))
    assert backlog["reported"] == 244.0  # Amazon, 2026-02-05 (company library)
    # The customer's later figures are on the sheet with their sources: OpenAI's 2025 exit rate (>$20B, CFO
    # blog 2026-01-18) and its Q1-26 adjusted margin (−122%, AsiaICT 2026-05-29), which has no model figure.
    rows = {(r["figure"], r["period"]): r for r in sheet}
    exit_rate = rows[("Customer run-rate (annualised)", "end-2025 (exit rate)")]
    assert (exit_rate["reported"], exit_rate["source"]) == (
        20.0,
        "CFO Friar blog 2026-01-18 (via AIPressa/Glance; aihola.com)",
    )
    margin = rows[("Customer quarter adjusted operating margin", "Q1 2026")]
    assert (margin["reported"], margin["source"]) == (-1.22, "AsiaICT 2026-05-29; TheDailyScout")
    assert margin["model"] in (None, "")


def test_every_library_deals_watch_list_fits_the_templates_watch_sheet():
    from core.deals import load_deals, unmodelled_deals
    from core.watch import watch_list

    modelled = set(load_deals()["deal"]) - set(unmodelled_deals()["deal"])
    longest = max(len(watch_list(deal)) for deal in modelled)
    assert longest <= S.WATCH_SHEET_ROWS

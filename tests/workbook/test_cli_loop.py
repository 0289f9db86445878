"""``dealdesk solve``, ``claims``, ``watch`` and ``report --as-of``: the analyst's loop on the command line.

Expected values come from ``run_model`` run at the answer (never from the solver itself), from the
company library's cited figures, or from the date rule.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest

from core.assumptions import Assumptions, scenario_assumptions
from core.model import run_model
from workbook.cli import main


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


# --------------------------------------------------------------------------- solve


def test_solve_gives_a_price_at_which_run_model_gives_minus_50_bps(capsys):
    # The done-when: the value printed, put back into run_model, gives -50 bps.
    found = _json(
        capsys, ["solve", "margin_bps_year2", "--target", "-50", "--vary", "price_per_gpu_hour", "--json"]
    )
    assert {"output", "target", "input", "value", "achieved", "range"} <= set(found)
    assert (found["output"], found["target"], found["input"]) == (
        "margin_bps_year2",
        -50.0,
        "price_per_gpu_hour",
    )
    again = run_model(Assumptions(price_per_gpu_hour=found["value"])).outputs["margin_bps_year2"]
    assert again == pytest.approx(-50, abs=1e-5)
    assert found["achieved"] == pytest.approx(again, abs=1e-12)
    assert found["range"] == [0.01, 1000.0]  # the input's own rule (core.assumptions.INPUTS)
    # A cheaper GPU-hour than the evidence's $2.83: more GPUs, more capex for the same revenue.
    assert found["value"] < 2.83


def test_solve_brackets_inside_a_scenario_and_says_so_in_words(capsys):
    found = _json(
        capsys,
        ["solve", "npv", "--target", "0", "--vary", "price_per_gpu_hour", "--scenario", "bear", "--json"],
    )
    bear = scenario_assumptions(None, "bear").replace(price_per_gpu_hour=found["value"])
    assert run_model(bear).outputs["npv"] == pytest.approx(0, abs=1e-7)
    assert main(["solve", "margin_bps_year2", "--target", "-50", "--vary", "price_per_gpu_hour"]) == 0
    text = capsys.readouterr().out
    assert "needs Price per GPU-hour at 2.29 US$ per GPU-hour" in text and "price_per_gpu_hour" not in text


def test_no_value_in_range_exits_1_with_one_line_naming_the_range_and_both_ends(capsys):
    # Even paid in full the reference deal's NPV is below zero: no realisation in (0, 1] reaches 0.
    full = run_model(Assumptions(realisation=1.0)).outputs["npv"]
    nothing = run_model(Assumptions(realisation=1e-9)).outputs["npv"]
    assert main(["solve", "npv", "--target", "0", "--vary", "realisation"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "dealdesk solve: no value of realisation in its range [1e-09, 1] gives npv = 0: "
        f"npv is {nothing:,.6g}, {full:,.6g} at the two ends\n"
    )


def test_bad_solve_inputs_exit_2(capsys):
    assert main(["solve", "npv", "--target", "0", "--vary", "profile"]) == 2
    assert "bad input: input must be a numeric input" in capsys.readouterr().err
    assert main(["solve", "nope", "--target", "0", "--vary", "realisation"]) == 2
    assert "bad input: output must be one of" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse: the target must be a number
        main(["solve", "npv", "--target", "soon", "--vary", "realisation"])


def test_solve_as_of_uses_the_figures_public_then(capsys):
    # As of the signing day AWS's newest year was FY2024 ($107.6B at 37.0%): another base, another answer.
    then = _json(
        capsys,
        [
            "solve",
            "margin_bps_year2",
            "--target",
            "-50",
            "--vary",
            "price_per_gpu_hour",
            "--as-of",
            "2025-11-03",
            "--json",
        ],
    )
    assert then["as_of"] == "2025-11-03"
    from core.deals import deal_assumptions

    a = deal_assumptions("AWS–OpenAI", as_of="2025-11-03").replace(price_per_gpu_hour=then["value"])
    assert (a.base_revenue, a.base_margin) == (107.6, 0.37)
    assert run_model(a).outputs["margin_bps_year2"] == pytest.approx(-50, abs=1e-5)


# --------------------------------------------------------------------------- claims


def test_claims_json_rows_and_the_margin_claims_needed_price(capsys):
    rows = _json(capsys, ["claims", "--json"])
    assert len(rows) == 9 and set(rows[0]) == {
        "claim",
        "article",
        "model",
        "unit",
        "input",
        "needed",
        "evidence",
        "verdict",
    }
    margin = next(r for r in rows if r["claim"].startswith("Margin compression"))
    at = run_model(Assumptions(price_per_gpu_hour=margin["needed"])).outputs["margin_bps_year2"]
    assert at == pytest.approx(-50, abs=1e-5)
    assert margin["model"] == pytest.approx(run_model(Assumptions()).outputs["margin_bps_year2"])
    # OpenAI's commitments: the library's compute contracts, 38 + 62 + 250 + 300 + 11.9 + 4 + 6.5.
    commitments = next(r for r in rows if r["claim"].startswith("OpenAI's infrastructure"))
    assert commitments["model"] == pytest.approx(672.4)
    # As of 2025-12-31 the expansion (2026-02-27) is not yet in them, and no 2026 capex guide was out.
    early = _json(capsys, ["claims", "--json", "--as-of", "2025-12-31"])
    assert next(r for r in early if r["claim"].startswith("OpenAI's infra"))["model"] == pytest.approx(610.4)
    capex = next(r for r in early if r["claim"].startswith("A 2026 capex"))
    assert capex["model"] is None and capex["verdict"] == "Open: no guide yet"


def test_claims_about_companies_a_deal_does_not_involve_are_left_out(capsys):
    rows = _json(capsys, ["claims", "--deal", "Microsoft–Nebius", "--json"])
    names = {r["claim"] for r in rows}
    assert not any("Amazon" in n or "OpenAI" in n for n in names)
    assert "Margin compression of 50–100 bps near term" in names
    assert main(["claims"]) == 0
    text = capsys.readouterr().out
    assert "Price per GPU-hour of 2.29 US$ per GPU-hour" in text and "price_per_gpu_hour" not in text


# --------------------------------------------------------------------------- watch


def test_watch_as_of_shows_nothing_reported_after_that_date(capsys):
    assert _json(capsys, ["watch", "--as-of", "2025-12-31", "--json"]) == []
    assert main(["watch", "--as-of", "2025-12-31"]) == 0
    assert "Nothing about this deal's companies was reported" in capsys.readouterr().out
    rows = _json(capsys, ["watch", "--as-of", "2026-02-05", "--json"])
    assert rows and all(r["reported_on"] <= "2026-02-05" for r in rows)
    assert {"figure", "period", "model", "reported", "reported_on", "source"} <= set(rows[0])
    everything = _json(capsys, ["watch", "--json"])
    assert len(everything) > len(rows)


def test_watch_sets_the_reported_backlog_beside_the_model(capsys):
    rows = _json(capsys, ["watch", "--json"])
    backlog = {r["period"]: r for r in rows if r["figure"] == "Provider backlog"}
    # Amazon reported $244B (Q4-25, 2026-02-05) and $364B (Q1-26, 2026-04-29; excluding Anthropic).
    assert (backlog["Q4 2025"]["reported"], backlog["Q4 2025"]["reported_on"]) == (244.0, "2026-02-05")
    assert backlog["Q1 2026"]["reported"] == 364.0
    assert backlog["Q4 2025"]["variance"] == pytest.approx(244.0 - backlog["Q4 2025"]["model"])
    # The expansion: $38B then, $100B on the lower reading of the conflict ($62B more).
    expansion = next(r for r in rows if r["figure"] == "Contracts with the customer")
    assert (expansion["model"], expansion["reported"], expansion["confidence"]) == (38.0, 100.0, "conflict")


# --------------------------------------------------------------------------- report --as-of


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("asof")
    out = {"latest": folder / "latest.xlsx", "then": folder / "then.xlsx"}
    assert main(["report", "--out", str(out["latest"])]) == 0
    assert main(["report", "--out", str(out["then"]), "--as-of", "2025-12-31"]) == 0
    return out


def _texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def _assumption(ws, name: str) -> object:
    """An input's value on the Assumptions page (its rows: name, label, unit, value, ...)."""
    for row in ws.iter_rows():
        if row[0].value == name:
            return row[3].value
    raise AssertionError(name)


def test_report_as_of_cuts_the_baseline_the_claims_and_the_watch_list(reports):
    latest, then = openpyxl.load_workbook(reports["latest"]), openpyxl.load_workbook(reports["then"])
    for book in (latest, then):
        names = book.sheetnames
        assert names[:2] == ["Summary", "Claims"]
        assert names.index("Watch list") == names.index("Assumptions") - 1
    # AWS's FY2025 revenue ($128.7B) was reported 2026-02-05: as of 2025-12-31 the base is FY2024's $107.6B.
    assert _assumption(latest["Assumptions"], "base_revenue") == 128.7
    assert _assumption(then["Assumptions"], "base_revenue") == 107.6
    # Nothing about AWS or OpenAI was reported between the signing and 2025-12-31.
    assert any("Nothing about this deal's companies" in t for t in _texts(then["Watch list"]))
    assert "2026-02-05" not in " ".join(_texts(then["Watch list"]))
    assert any(
        isinstance(c.value, dt.date) and c.value == dt.datetime(2026, 4, 29)
        for row in latest["Watch list"].iter_rows()
        for c in row
    )
    assert "As of 2025-12-31" in then["Claims"]["A2"].value
    assert "figures public on 2025-12-31" in then["Claims"]["A2"].value


def _row(ws, label: str) -> list:
    for row in ws.iter_rows(values_only=True):
        if row and row[0] == label:
            return list(row)
    raise AssertionError(label)


def test_report_as_of_counts_only_the_customers_contracts_public_then(reports):
    # OpenAI's 2027 commitments on the Counterparty page, each contract on its report's schedule (a
    # linear ramp to full run-rate 423 days after its start, over the norm 1 − x_f/2, 92.5% realised).
    # AWS (N 2557), Microsoft and CoreWeave's three (N 1826) are past their ramps all 2027; Oracle (from
    # 2027-01-01) is on its ramp all year. As of 2025-12-31 the AWS expansion (announced 2026-02-27) is
    # not public; in the latest view it adds $62B from 2026-01-01 over 2922 days, leaving its ramp in 2027.
    def after_ramp(n: int) -> float:
        return 365 / n / (1 - 423 / n / 2)

    oracle = (365 / 1826) ** 2 / (2 * 423 / 1826) / (1 - 423 / 1826 / 2)
    expansion = ((730 - 423 / 2) - 365**2 / (2 * 423)) / 2922 / (1 - 423 / 2922 / 2)
    known = 38 * after_ramp(2557) + (250 + 11.9 + 4 + 6.5) * after_ramp(1826) + 300 * oracle
    latest, then = openpyxl.load_workbook(reports["latest"]), openpyxl.load_workbook(reports["then"])
    years = _row(then["Counterparty"], "Figure")
    at = years.index(2027)
    assert _row(then["Counterparty"], "Compute commitments")[at] == pytest.approx(0.925 * known)
    assert _row(latest["Counterparty"], "Compute commitments")[at] == pytest.approx(
        0.925 * (known + 62 * expansion)
    )


def test_claims_page_values_against_the_model(reports):
    ws = openpyxl.load_workbook(reports["latest"])["Claims"]
    rows = {r[0].value: r for r in ws.iter_rows() if isinstance(r[0].value, str)}
    margin = rows["Margin compression of 50–100 bps near term"]
    assert margin[2].value == pytest.approx(run_model(Assumptions()).outputs["margin_bps_year2"])
    assert margin[4].value == "Price per GPU-hour of 2.29 US$ per GPU-hour"
    # The market value claim: $244.22 × 1.058 × 10.690216011bn shares after the news, held flat to 2027.
    market = rows["Amazon's market value could pass $3T by 2027"]
    assert market[2].value == pytest.approx(244.22 * 1.058 * 10.690216011)
    # No identifiers on the page: inputs and figures by their labels.
    assert re.search(r"\b[a-z]+_[a-z_]+\b", " ".join(_texts(ws))) is None

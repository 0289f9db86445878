"""The headless report: values only, the core's figures, formats, charts, print set-up, checks."""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.assumptions import INPUTS, Assumptions
from core.deals import deal_assumptions
from core.model import OUTPUTS, run_model
from core.validation import DealDeskInputError
from workbook.report import (
    FORMATS,
    build_report,
    default_report_path,
    load_assumptions,
    read_inputs_file,
    report_checks,
)


@pytest.fixture(scope="module")
def base_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(None, tmp_path_factory.mktemp("report") / "base.xlsx")


@pytest.fixture(scope="module")
def book(base_report: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(base_report)


def _cover_figures(ws) -> dict[str, tuple[object, str]]:
    """Key figure label -> (value, number format) from the cover's figure table."""
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Key figure")
    found = {}
    for r in range(header + 1, ws.max_row + 1):
        label, cell = ws.cell(r, 1).value, ws.cell(r, 2)
        if label is not None and ws.cell(r, 3).value is not None:
            found[label] = (cell.value, cell.number_format)
    return found


def _summary_values(ws) -> dict[str, object]:
    """Label (column A) -> value (column C) of the summary page's one-value rows."""
    return {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def test_sheets_cover_every_area_of_the_model(book: openpyxl.Workbook) -> None:
    names = book.sheetnames
    assert names[:6] == ["Summary", "Claims", "Key figures", "Charts", "Sensitivity", "Tornado"]
    for sheet in (
        "Schedule",
        "Straight line vs ramp",
        "Backlog",
        "Margin",
        "Scenarios",
        "Assumptions",
        "Checks",
    ):
        assert sheet in names
    # One sheet per table of the model run, plus twelve: Summary, Claims, Key figures, Charts, Sensitivity,
    # Tornado, Margin bridge, Monte Carlo, Scenarios, Watch list, Assumptions, Checks.
    extra = [
        "Summary",
        "Claims",
        "Key figures",
        "Charts",
        "Sensitivity",
        "Tornado",
        "Margin bridge",
        "Monte Carlo",
        "Scenarios",
        "Watch list",
        "Assumptions",
        "Checks",
    ]
    assert set(extra) <= set(names)
    assert len(names) == len(run_model().tables) + len(extra)


def test_no_cell_needs_recalculation(book: openpyxl.Workbook) -> None:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} holds a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("="), f"{ws.title}!{cell.coordinate}: {cell.value!r}"


def test_pandas_reads_every_value_back(base_report: Path) -> None:
    sheets = pd.read_excel(base_report, sheet_name=None, header=None)
    result = run_model()
    gap = sheets["Straight line vs ramp"]
    header = gap.index[gap.iloc[:, 0].eq("Figure")][0]
    expected = result.tables["gap"]
    # Fiscal years across the columns (from the third), one figure a row.
    assert gap.iloc[header, 2:].dropna().tolist() == expected["period"].tolist()
    rows = {label: r for r, label in gap.iloc[:, 0].items()}
    straight = gap.iloc[rows["Straight line"], 2:].dropna().astype(float)
    ramp = gap.iloc[rows["Ramp"], 2:].dropna().astype(float)
    assert straight.tolist() == pytest.approx(expected["straight"].tolist(), rel=1e-12)
    assert ramp.tolist() == pytest.approx(expected["ramp"].tolist(), rel=1e-12)
    # The straight line of a $38B contract sums to $38B (the brief's headline).
    assert straight.sum() == pytest.approx(38.0, rel=1e-12)
    for name, frame in sheets.items():
        if name == "Charts":
            continue
        assert frame.notna().to_numpy().sum() > 2, f"sheet {name} is empty"


def test_cover_figures_equal_the_core(book: openpyxl.Workbook) -> None:
    figures = _cover_figures(book["Key figures"])
    outputs = run_model().outputs
    for spec in OUTPUTS:
        value, number_format = figures[spec.label]
        assert value == pytest.approx(outputs[spec.name], rel=1e-12, abs=1e-12), spec.name
        assert number_format == FORMATS[spec.fmt], spec.name
    # Golden: $38B over 7 years is $5.43B a year on the straight line (38 / 7, the brief).
    assert figures["Straight-line revenue a year"][0] == pytest.approx(38 / 7, rel=1e-12)


def test_cover_shows_the_headline_areas(book: openpyxl.Workbook) -> None:
    groups = {spec.group for spec in OUTPUTS}
    column_a = {c.value for c in book["Key figures"]["A"] if c.value}
    assert groups <= column_a
    summary = _summary_values(book["Summary"])
    assert summary["Provider"] == "Amazon (AWS)" and summary["Contract value (US$ bn)"] == 38.0
    assert summary["Model checks"] == f"All {len(report_checks(run_model()))} checks pass"


def test_number_formats(book: openpyxl.Workbook) -> None:
    # Finance formats: thousands separators, negatives in parentheses, a dash for anything that
    # shows as zero (below half the last digit shown: 0.005 at two decimals, 0.05% for a percent).
    assert FORMATS["usd_bn"] == '[>=0.005]#,##0.00_);[<=-0.005](#,##0.00);"–"_)'
    assert FORMATS["pct"] == '[>=0.0005]0.0%_);[<=-0.0005](0.0%);"–"_)'
    # No unit in the number: every page shows it beside the number (Unit column or header).
    assert FORMATS["bps"] == '[>=0.5]#,##0_);[<=-0.5](#,##0);"–"_)'
    # Growth in points too: a small provider's runs to thousands of pp (2,584.71, not 2584.71).
    assert FORMATS["pp"] == '[>=0.005]#,##0.00_);[<=-0.005](#,##0.00);"–"_)'

    def row_of(ws, label: str) -> int:
        return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)

    gap = book["Straight line vs ramp"]
    assert gap.cell(row_of(gap, "Start"), 3).number_format == "yyyy-mm-dd"
    assert gap.cell(row_of(gap, "Straight line"), 3).number_format == FORMATS["usd_bn"]
    assert gap.cell(row_of(gap, "Straight line"), 2).value == "US$ bn"
    margin = book["Margin"]
    assert margin.cell(row_of(margin, "Blended operating margin"), 3).number_format == FORMATS["pct"]
    assert margin.cell(row_of(margin, "Margin change from the deal"), 3).number_format == FORMATS["bps"]
    assumptions = book["Assumptions"]
    row = next(r for r in range(5, assumptions.max_row + 1) if assumptions.cell(r, 1).value == "realisation")
    assert assumptions.cell(row, 4).value == pytest.approx(0.925)
    assert assumptions.cell(row, 4).number_format == FORMATS["pct"]


def test_frozen_headers_and_print_setup(book: openpyxl.Workbook) -> None:
    for ws in book.worksheets:
        assert ws.page_setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        if ws.title in ("Summary", "Key figures", "Charts"):
            continue
        assert ws.page_setup.orientation == "landscape", ws.title
        if ws.title in ("Sensitivity", "Margin bridge"):  # a small table, its note and chart on one page
            assert ws.page_setup.fitToHeight == 1
            continue
        # Several tables with their own headers (the Benchmarks page: margins, then the evidence): none
        # repeated on every page.
        if ws.title in ("Monte Carlo", "Benchmarks"):
            assert ws.freeze_panes is not None and ws.freeze_panes.endswith("5"), ws.title
            assert ws.print_title_rows is None
            continue
        if ws.title == "Scenarios":  # the long last table's header tops its continuation pages
            key = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Key figure")
            assert ws.print_title_rows.replace("$", "") == f"{key}:{key}"
            continue
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("5"), ws.title
        assert ws.print_title_rows.replace("$", "") == "4:4", ws.title


def test_native_charts(base_report: Path, book: openpyxl.Workbook) -> None:
    with zipfile.ZipFile(base_report) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = "".join(z.read(n).decode("utf-8") for n in charts)
    # Summary 2 (ramp, NPV histogram), Charts 7, Sensitivity 1, Tornado 1, Margin bridge 1.
    assert len(charts) == 12
    for title in ("straight line vs ramp", "Backlog roll-forward", "Margin bridge", "Scenarios"):
        assert title in xml
    # Every series refers to cells of this workbook that hold numbers.
    refs = re.findall(r"<val><numRef><f>'?([^'!<]+)'?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)</f>", xml)
    assert refs
    for sheet, col, first, last in refs:
        ws = book[sheet]
        values = [ws[f"{col}{r}"].value for r in range(int(first), int(last) + 1)]
        # A blank only where a bar is left out on purpose: the bridge's base, its zero.
        blanks = [v for v in values if v is None]
        assert all(isinstance(v, (int, float)) for v in values if v is not None), (sheet, col)
        assert not blanks or (sheet == "Margin bridge" and values[0] is None and len(blanks) == 1)


def test_assumptions_sheet_lists_every_input_with_source(book: openpyxl.Workbook) -> None:
    ws = book["Assumptions"]
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    assert [spec.name for spec in INPUTS] == list(rows)
    for spec in INPUTS:
        r = rows[spec.name]
        assert ws.cell(r, 2).value == spec.label
        assert ws.cell(r, 6).value == spec.source
    start = ws.cell(rows["start_date"], 4).value
    assert start.date() == dt.date(2025, 11, 3)


def test_checks_sheet_passes_for_the_base_case(book: openpyxl.Workbook) -> None:
    ws = book["Checks"]
    results = [ws.cell(r, 5).value for r in range(5, ws.max_row + 1)]
    assert results and set(results) == {"PASS"}


def test_a_broken_identity_fails_its_check() -> None:
    result = run_model()
    broken = result.tables["gap"].copy()
    broken.loc[0, "ramp"] += 0.5  # the ramp no longer sums to value × realisation
    tampered = type(result)(result.assumptions, result.outputs, {**result.tables, "gap": broken})
    checks = report_checks(tampered).set_index("check")
    assert checks.loc["Ramp sums to contract value × realisation", "result"] == "FAIL"
    assert checks.loc["Straight line sums to the contract value", "result"] == "PASS"


def test_failed_check_shows_on_the_cover(tmp_path: Path) -> None:
    result = run_model()
    backlog = result.tables["backlog"].copy()
    backlog.loc[len(backlog) - 1, "ending"] = 1.0
    tampered = type(result)(result.assumptions, result.outputs, {**result.tables, "backlog": backlog})
    path = build_report(result.assumptions, tmp_path / "broken.xlsx", result=tampered)
    summary = _summary_values(openpyxl.load_workbook(path)["Summary"])
    # An ending balance of 1 breaks two identities: the roll-forward and "ends at zero".
    assert summary["Model checks"] == f"2 of {len(report_checks(result))} checks FAIL: see Checks"


def test_scenarios_sheet_matches_core_runs(book: openpyxl.Workbook) -> None:
    from core.assumptions import scenario_assumptions

    ws = book["Scenarios"]
    header = [c.value for c in ws[4]]
    bear = run_model(scenario_assumptions(scenario="bear")).outputs
    row = next(
        r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "Straight-line overstatement, 2 years"
    )
    assert ws.cell(row, header.index("Bear") + 1).value == pytest.approx(bear["overstatement_2y"], rel=1e-12)


def test_other_inputs_change_the_figures(tmp_path: Path) -> None:
    a = Assumptions().replace(contract_value=76.0)
    book = openpyxl.load_workbook(build_report(a, tmp_path / "double.xlsx"))
    figures = _cover_figures(book["Key figures"])
    # Doubling the contract doubles the straight line: 76 / 7.
    assert figures["Straight-line revenue a year"][0] == pytest.approx(76 / 7, rel=1e-12)


def test_report_path_must_be_xlsx(tmp_path: Path) -> None:
    with pytest.raises(DealDeskInputError, match=r"report path must end in \.xlsx, got 'r\.pdf'"):
        build_report(None, tmp_path / "r.pdf")


# --------------------------------------------------------------------------- inputs


def test_default_report_path_names_deal_and_scenario() -> None:
    assert default_report_path(Assumptions()) == Path("reports/dealdesk-aws-openai-base.xlsx")
    bear = load_assumptions(scenario="bear")
    assert default_report_path(bear, "out").as_posix() == "out/dealdesk-aws-openai-bear.xlsx"


def test_json_and_yaml_inputs(tmp_path: Path) -> None:
    json_file = tmp_path / "in.json"
    json_file.write_text('{"contract_value": 40, "start_date": "2025-12-01", "deal_name": "Test deal"}')
    a = read_inputs_file(json_file)
    assert (a.contract_value, a.start_date, a.deal_name) == (40.0, dt.date(2025, 12, 1), "Test deal")
    yaml_file = tmp_path / "in.yaml"
    yaml_file.write_text("realisation: 0.9\nterm_years: 5\n")
    b = read_inputs_file(yaml_file)
    assert (b.realisation, b.term_years, b.contract_value) == (0.9, 5.0, 38.0)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.json", "{not json", r"bad\.json is not valid JSON: .* at line 1"),
        ("list.json", "[1, 2, 3]", r"list\.json must hold a mapping of input names to values"),
        (
            "unknown.json",
            '{"contract_valu": 38}',
            r"unknown input name\(s\) in unknown\.json: contract_valu; did you mean 'contract_value'\?",
        ),
        (
            "pct.yaml",
            "realisation: 95%",
            r"realisation in pct\.yaml is percent text '95%'; write the fraction 0\.95 instead",
        ),
        ("rule.json", '{"realisation": 95}', r"realisation must be a number > 0 and <= 1, got 95"),
        ("bad.yaml", "a: [1,\n", r"bad\.yaml is not valid YAML"),
        ("inputs.csv", "a,b", r"--inputs must be a template copy \(\.xlsx, \.xlsm\) or a JSON/YAML file"),
    ],
)
def test_bad_inputs_files_name_the_problem(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(DealDeskInputError, match=message):
        read_inputs_file(path)


def test_missing_inputs_file(tmp_path: Path) -> None:
    with pytest.raises(DealDeskInputError, match=r"--inputs file not found: .*nothere\.json"):
        read_inputs_file(tmp_path / "nothere.json")


def test_a_library_deal_gives_the_core_inputs() -> None:
    # The terms and what they assume are core.deals' (tested there); the command only looks them up.
    assert load_assumptions(deal="oracle-openai") == deal_assumptions("Oracle–OpenAI")
    assert load_assumptions(deal="AWS–OpenAI") == deal_assumptions("AWS–OpenAI")


def test_unknown_or_undisclosed_deal_is_refused() -> None:
    with pytest.raises(
        DealDeskInputError, match=r"deal must be a compute deal of the library .*'AWS–OpenAI'.*got 'Nope'"
    ):
        load_assumptions(deal="Nope")
    with pytest.raises(DealDeskInputError, match=r"deal 'Google–Anthropic' has no disclosed value"):
        load_assumptions(deal="Google–Anthropic")


def test_deal_plus_json_overrides(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    path.write_text('{"realisation": 0.95}')
    a = load_assumptions(deal="Microsoft–Nebius", inputs=path, scenario=None)
    assert (a.deal_name, a.contract_value, a.realisation) == ("Microsoft–Nebius", 17.4, 0.95)
    assert math.isclose(load_assumptions(deal="Microsoft–Nebius", scenario="bear").realisation, 0.9)


def test_cover_shows_the_monte_carlo_probabilities(book: openpyxl.Workbook) -> None:
    from core.simulation import risk_questions, simulate

    ws = book["Summary"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    # Same draws and seed as the report's defaults (10,000 draws, seed 0): same probabilities.
    expected = risk_questions(simulate(Assumptions(), draws=10_000, seed=0, workers=1))
    for question, probability in zip(expected["question"], expected["probability"], strict=True):
        cell = ws.cell(rows[question], 3)
        assert cell.value == pytest.approx(probability, abs=1e-12)
        assert cell.number_format == FORMATS["pct"]
    assert "Monte Carlo" in book.sheetnames


def test_monte_carlo_can_be_left_out(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(build_report(None, tmp_path / "nomc.xlsx", simulation_draws=0))
    assert "Monte Carlo" not in book.sheetnames
    assert "Key risks (Monte Carlo)" not in {c.value for c in book["Summary"]["A"]}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=st.floats(1.0, 500.0),
    term_months=st.integers(12, 120),
    realisation=st.floats(0.5, 1.0),
    delay_quarters=st.sampled_from([0.0, 1.0, 2.5, 4.0]),
    delay_mode=st.sampled_from(["extend", "compress", "forfeit"]),
    profile=st.sampled_from(["straight", "linear", "scurve", "front", "back"]),
)
def test_every_check_passes_for_any_valid_deal(
    value: float, term_months: int, realisation: float, delay_quarters: float, delay_mode: str, profile: str
) -> None:
    # A compressed delay must leave part of the term (core.schedule refuses a delay as long as the term).
    assume(delay_mode != "compress" or delay_quarters * 3 < term_months)
    a = Assumptions().replace(
        contract_value=value,
        term_years=term_months / 12,
        realisation=realisation,
        delay_quarters=delay_quarters,
        delay_mode=delay_mode,
        profile=profile,
    )
    checks = report_checks(run_model(a))
    assert checks["result"].eq("PASS").all(), checks[checks["result"] != "PASS"].to_string()

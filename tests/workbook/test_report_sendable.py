"""A report an analyst can send as it is: no code on any page, the base case marked, units everywhere.

Rules on formats, labels and structure, not on today's figures (the model's economics move):
every analyst page of three library deals' reports (AWS–OpenAI, Oracle–OpenAI,
Microsoft–Nebius) is scanned for module paths, identifiers, "None" and yes/no figures
summarised as statistics; the sensitivity grid holds and marks the base case; the tornado
says its units; a threshold that does not apply is not shown as a result.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from core.assumptions import SCENARIOS, Assumptions
from core.deals import deal_assumptions, deal_terms
from core.simulation import DEFAULT_DISTRIBUTIONS
from workbook.report import build_report
from workbook.report.risk import summary_rows
from workbook.report.whatif import BASE_FILL, grid_values
from workbook.sources import source_note
from workbook.styles import NUMBER_FORMATS

DEALS = ("AWS–OpenAI", "Oracle–OpenAI", "Microsoft–Nebius")
#: What no analyst page may show: a module path, an identifier, Python's words for nothing or truth.
MODULE_PATH = re.compile(r"\b(?:core|addin|workbook)\.[a-z_]+")
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
PYTHON_WORDS = re.compile(r"\b(?:None|nan|NaN|True|False)\b")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, openpyxl.Workbook]:
    out = tmp_path_factory.mktemp("sendable")
    built = {}
    for deal in DEALS:
        a = deal_assumptions(deal)
        path = build_report(
            a,
            out / f"{len(built)}.xlsx",
            source_note=source_note(a, deal=deal),
            sources=deal_terms(deal).sources_for(a),
            simulation_draws=2_000,
        )
        built[deal] = openpyxl.load_workbook(path)
    return built


def _texts(wb: openpyxl.Workbook):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield ws, cell


def test_the_patterns_catch_what_they_are_for() -> None:
    # Each pattern finds its defect and lets an analyst's words pass.
    assert MODULE_PATH.search("core.model.run_model") and not MODULE_PATH.search("the core model.")
    assert IDENTIFIER.search("analyst defaults: full_at") and not IDENTIFIER.search("full run-rate, US$ 2.68")
    assert PYTHON_WORDS.search("(None when never)") and not PYTHON_WORDS.search("n/a when never")


@pytest.mark.parametrize("deal", DEALS)
def test_no_code_on_any_analyst_page(books: dict[str, openpyxl.Workbook], deal: str) -> None:
    found = []
    for ws, cell in _texts(books[deal]):
        text = cell.value
        # The Assumptions sheet's first column is the name an inputs file uses: the point is the identifier.
        if ws.title == "Assumptions" and cell.column == 1:
            continue
        for pattern in (MODULE_PATH, IDENTIFIER, PYTHON_WORDS):
            if pattern.search(text):
                found.append(f"{ws.title}!{cell.coordinate}: {text[:80]}")
        if "FACTS" in text:  # an internal file's name, not a source a reader can look up
            found.append(f"{ws.title}!{cell.coordinate}: {text[:80]}")
    assert found == []


@pytest.mark.parametrize("deal", DEALS)
def test_no_yes_no_figure_is_summarised_as_a_statistic(
    books: dict[str, openpyxl.Workbook], deal: str
) -> None:
    # On the Monte Carlo sheet a yes/no figure is the share of draws where it holds: no statistic
    # column (mean, spread, percentiles) carries the Yes/No format, and no cell says "Yes".
    ws = books[deal]["Monte Carlo"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "Mean")
    stats = range(4, 11)
    for row in range(header + 1, ws.max_row + 1):
        if ws.cell(row, 1).value is None:
            break
        for col in stats:
            cell = ws.cell(row, col)
            assert cell.number_format != NUMBER_FORMATS["flag"], cell.coordinate
            assert cell.value not in ("Yes", "No"), cell.coordinate


def test_summary_rows_share_of_draws_and_constants() -> None:
    # By hand: a yes/no figure held in 3 of 8 draws has a mean of 0.375: its row shows that share
    # and nothing else; a figure whose minimum is its maximum is named once, not given a row.
    stats = {"mean": 0.375, "stdev": 0.5, "se_mean": 0.18, "min": 0.0, "p5": 0.0, "p25": 0.0}
    stats |= {"p50": 0.0, "p75": 1.0, "p95": 1.0, "max": 1.0}
    flat = dict.fromkeys(stats, 5.43) | {"stdev": 0.0, "se_mean": 0.0}
    npv = {"mean": 4.0, "stdev": 1.0, "se_mean": 0.01, "min": -1.0, "p5": 2.0, "p25": 3.0}
    npv |= {"p50": 4.1, "p75": 5.0, "p95": 6.0, "max": 9.0}
    summary = pd.DataFrame(
        [
            {"output": "market_value_passes", **stats},
            {"output": "straight_line_annual", **flat},
            {"output": "npv", **npv},
        ]
    )
    rows, constant = summary_rows(summary, {"npv": 4.04, "market_value_passes": 0.0})
    assert constant == ["straight_line_annual"]
    share, value = rows
    assert share.stats["mean"] == 0.375 and share.fmt == "pct" and share.unit == "% of draws"
    assert [share.stats[k] for k in ("stdev", "p5", "p50", "p95")] == [None] * 4
    assert share.label == "Market value passes the threshold (share of draws)"
    assert value.base == 4.04 and value.stats["p50"] == 4.1 and value.label == "Deal NPV"


@pytest.mark.parametrize("deal", DEALS)
def test_the_monte_carlo_page_shows_the_inputs_drawn_and_why_a_median_moves(
    books: dict[str, openpyxl.Workbook], deal: str
) -> None:
    ws = books[deal]["Monte Carlo"]
    column_a = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "Inputs drawn (every other input stays at its base case)" in column_a
    assert "Why a median differs from its base case" in column_a
    assert "Base case (no draws)" in column_a and "All inputs drawn" in column_a
    # The eleven default risks of core.simulation, each in words: one row per
    # input drawn, e.g. "normal: mean ...".
    header = column_a.index("Inputs drawn (every other input stays at its base case)")
    words = [c.value for c in ws["D"] if isinstance(c.value, str)]
    assert len(DEFAULT_DISTRIBUTIONS) == 11
    assert sum(w.startswith(("normal:", "triangular:", "one of ")) for w in words) == 11
    assert header >= 0
    assert any(t.startswith("The same in every draw") for t in column_a)  # constants named, not listed


@pytest.mark.parametrize("deal", DEALS)
def test_the_sensitivity_grid_holds_and_marks_the_base_case(
    books: dict[str, openpyxl.Workbook], deal: str
) -> None:
    a = deal_assumptions(deal)
    ws = books[deal]["Sensitivity"]
    # The price per GPU-hour sizes the fleet unless the deal discloses it (Oracle's 4.5 GW): then
    # the columns are the discount rate and there is no price to explain.
    priced = a.fleet_gpus is None and a.fleet_it_mw is None
    assert ws.cell(4, 2).value == ("Price per GPU-hour →" if priced else "Discount rate →")
    heads = [ws.cell(5, c).value for c in range(1, 7)]
    bases = [h for h in heads[1:] if h.endswith("(base)")]
    assert len(bases) == 1
    if priced:  # a price says its currency
        assert all(h.startswith("US$ ") for h in heads[1:])
        assert bases[0] == f"US$ {a.price_per_gpu_hour:.2f} (base)"
    else:
        assert bases[0] == f"{a.discount_rate:.1%} (base)"
    labels = [ws.cell(r, 1).value for r in range(6, 11)]
    base_row = next(i for i, v in enumerate(labels) if v.endswith("(base)"))
    assert labels[base_row] == f"{a.realisation:.1%} (base)"
    base_col = heads.index(bases[0]) + 1
    cell = ws.cell(6 + base_row, base_col)
    assert cell.font.bold and cell.fill.fgColor.rgb == BASE_FILL.fgColor.rgb
    assert cell.border.left.style == "thin"
    # The rest of the base row and the base column are shaded like it; a cell on neither is not.
    for r in range(6, 11):
        for c in range(2, 7):
            shaded = ws.cell(r, c).fill.fgColor.rgb == BASE_FILL.fgColor.rgb
            assert shaded is (r == 6 + base_row or c == base_col), (r, c)
        assert bool(ws.cell(r, 1).font.bold) is (r == 6 + base_row)  # the base row's label in bold
    notes = [
        c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Why a higher price")
    ]
    assert len(notes) == (1 if priced else 0)  # why a higher price raises the NPV: the price sizes the fleet


def test_grid_values_always_hold_the_base_case() -> None:
    # Fractions in 2.5-point steps within the rule (realisation > 0 and <= 1), others x0.8..x1.2.
    assert grid_values(Assumptions(realisation=0.925), "realisation") == ([0.875, 0.9, 0.925, 0.95, 0.975], 2)
    assert grid_values(Assumptions(realisation=1.0), "realisation") == ([0.9, 0.925, 0.95, 0.975, 1.0], 4)
    assert grid_values(Assumptions(realisation=0.03), "realisation") == ([0.005, 0.03, 0.055, 0.08, 0.105], 1)
    values, at = grid_values(Assumptions(price_per_gpu_hour=2.5), "price_per_gpu_hour")
    assert values == pytest.approx([2.0, 2.25, 2.5, 2.75, 3.0]) and values[at] == 2.5


def test_a_disclosed_fleet_takes_the_price_out_of_the_grid(tmp_path: Path) -> None:
    # With the fleet disclosed the price sizes nothing: the grid's columns are the next choice.
    report = build_report(Assumptions(fleet_gpus=250_000.0), tmp_path / "f.xlsx", simulation_draws=0)
    ws = openpyxl.load_workbook(report)["Sensitivity"]
    assert ws.cell(4, 2).value == "Discount rate →"
    assert not any(isinstance(c.value, str) and c.value.startswith("Why a higher price") for c in ws["A"])


@pytest.mark.parametrize("deal", DEALS)
def test_the_tornado_says_its_units_and_moves_counts_whole(
    books: dict[str, openpyxl.Workbook], deal: str
) -> None:
    ws = books[deal]["Tornado"]
    heads = [ws.cell(4, c).value for c in range(1, 9)]
    assert heads[:2] == ["Input", "Unit"]
    assert heads[5:] == [
        "Deal NPV at the low value (US$ bn)",
        "Deal NPV at the high value (US$ bn)",
        "Range (US$ bn)",
    ]
    rows = {ws.cell(r, 1).value: r for r in range(5, 15) if ws.cell(r, 1).value}
    if "GPUs per rack" in rows:
        r = rows["GPUs per rack"]
        assert ws.cell(r, 2).value == "GPUs"
        assert all(float(ws.cell(r, c).value).is_integer() for c in (3, 4, 5))
    assert all(ws.cell(r, 2).value for r in rows.values())  # every input says its unit (or %)


def test_the_tornado_axis_is_under_the_bars(tmp_path: Path) -> None:
    import zipfile

    report = build_report(None, tmp_path / "t.xlsx", simulation_draws=0)
    with zipfile.ZipFile(report) as z:
        xml = next(
            t
            for n in z.namelist()
            if n.startswith("xl/charts/") and "at its low and high value" in (t := z.read(n).decode())
        )
    # The value axis crosses the reversed category axis at its last category: at the bottom.
    assert re.search(r"<(?:c:)?valAx>.*?<(?:c:)?crosses val=\"max\"", xml, re.S)


@pytest.mark.parametrize("deal", DEALS)
def test_the_scenarios_page_says_what_bull_and_bear_change(
    books: dict[str, openpyxl.Workbook], deal: str
) -> None:
    ws = books[deal]["Scenarios"]
    assert [ws.cell(3, 1).value, *[ws.cell(4, c).value for c in range(1, 6)]] == [
        "What each scenario changes",
        "Input",
        "Unit",
        "Base",
        "Bull",
        "Bear",
    ]
    changed = {name for overrides in SCENARIOS.values() for name in overrides}
    labels = []
    for r in range(5, 5 + len(changed)):
        labels.append(ws.cell(r, 1).value)
    rows = dict(zip(labels, range(5, 5 + len(changed)), strict=True))
    # SCENARIOS: bull realisation 0.95, bear 0.90 and a two-quarter delay and the cloud shock.
    assert ws.cell(rows["Realisation (utilisation)"], 4).value == 0.95
    assert ws.cell(rows["Realisation (utilisation)"], 5).value == 0.90
    assert ws.cell(rows["Delivery delay"], 5).value == 2.0
    assert ws.cell(rows["Cloud shock in the market-value path"], 5).value == 1
    assert ws.cell(rows["Cloud shock in the market-value path"], 5).number_format == NUMBER_FORMATS["flag"]
    # The revenue table has its own header; the key figures' header is the one repeated on each page.
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    revenue = column_a.index("Revenue by fiscal year") + 2
    assert [ws.cell(revenue, c).value for c in (1, 2)] == ["Figure", "Unit"]
    assert str(ws.cell(revenue, 3).value).startswith("FY")
    key = column_a.index("Key figure") + 1
    assert ws.print_title_rows.replace("$", "") == f"{key}:{key}"


@pytest.mark.parametrize("deal", ["Oracle–OpenAI", "Microsoft–Nebius"])
def test_a_threshold_that_does_not_apply_is_not_shown_as_a_result(
    books: dict[str, openpyxl.Workbook], deal: str
) -> None:
    ws = books[deal]["Summary"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, str)}
    question = next(q for q in rows if q.startswith("P(market value above the threshold"))
    assert ws.cell(rows[question], 3).value == "not applicable"
    figures = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(5, ws.max_row + 1)}
    figures = books[deal]["Key figures"]
    values = {figures.cell(r, 1).value: figures.cell(r, 2).value for r in range(5, figures.max_row + 1)}
    assert values["Market value passes the threshold"] == "n/a"
    assert values["Market value growth needed"] == "n/a"


def test_the_reference_deal_keeps_its_threshold(books: dict[str, openpyxl.Workbook]) -> None:
    ws = books["AWS–OpenAI"]["Summary"]
    question = next(
        r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("P(market value above")
    )
    assert isinstance(ws.cell(question, 3).value, float)


@pytest.mark.parametrize("deal", DEALS)
def test_wrapped_text_has_room_on_the_assumptions_page(
    books: dict[str, openpyxl.Workbook], deal: str
) -> None:
    # A source longer than its column must have a row tall enough for its lines (13 pt a line at
    # 10 pt): without it the text prints over the next row. Column widths: label 30, source 70.
    ws = books[deal]["Assumptions"]
    for r in range(5, ws.max_row + 1):
        source, label = ws.cell(r, 6).value or "", ws.cell(r, 2).value or ""
        lines = max(-(-len(source) // 75), -(-len(label) // 31))
        if lines > 1:
            assert ws.row_dimensions[r].height >= 13 * lines, (r, source[:40])
        assert ws.cell(r, 6).alignment.wrap_text and ws.cell(r, 2).alignment.wrap_text


def test_the_checks_flag_is_filled_across_its_text(books: dict[str, openpyxl.Workbook]) -> None:
    ws = books["AWS–OpenAI"]["Summary"]
    row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Model checks")
    merged = [str(m) for m in ws.merged_cells.ranges if m.min_row == row]
    assert merged == [f"C{row}:E{row}"]

"""The benchmark's spreadsheet baseline: the model as native formulas, one draw per row, recalculated by
LibreOffice.

:func:`spreadsheet_model` writes the default simulation as formulas (the
schedule at fiscal-year edges, margin by year, RPO, capacity, the cash-flow
table and NPV, valuation); :func:`write_workbook` lays one draw per row with
openpyxl; :func:`bench_spreadsheet` has a headless LibreOffice load,
recalculate and save it through UNO (``tests/libreoffice_recalc.py``), each
step timed, and compares the values read back with the engine's, draw by
draw. Run by ``python -m tests.bench``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from core.assumptions import Assumptions
from core.economics import depreciation_weights
from core.simulation import DEFAULT_DISTRIBUTIONS, sample_inputs, simulate
from core.simulation.inputs import _max_delay_days
from core.simulation.plan import _plan

#: Outputs read back from the spreadsheet and compared with the engine.
CHECKED = ("ramp_year2", "gap_year2", "margin_bps_peak", "current_rpo", "gpus", "npv", "market_value_passes")


def _col(k: int) -> str:
    name = ""
    k += 1
    while k:
        k, rem = divmod(k - 1, 26)
        name = chr(65 + rem) + name
    return name


class _Sheet:
    """Columns of one row of formulas; ``{name}`` in a formula becomes that column's cell in the row."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.formulas: list[str | None] = []

    def add(self, name: str, formula: str | None) -> None:
        self.names.append(name)
        self.formulas.append(formula)

    def compile(self) -> list[str | None]:
        """Each formula with its column references resolved, the row left as ``§``."""
        letters = {name: _col(k) for k, name in enumerate(self.names)}
        out: list[str | None] = []
        for f in self.formulas:
            if f is not None:
                for name in sorted(self.names, key=len, reverse=True):
                    f = f.replace("{" + name + "}", letters[name] + "§")
            out.append(f)
        return out


#: The simulated inputs of the spreadsheet model, in its first columns (the default distributions).
SPREADSHEET_INPUTS = (
    ("u", "realisation"),
    ("dq", "delay_quarters"),
    ("p", "price_per_gpu_hour"),
    ("os", "other_opex_share"),
    ("r", "initial_rate"),
    ("base", "base_revenue"),
    ("g", "market_value_growth"),
    ("rp", "rack_price_musd"),
    ("fm", "facility_musd_per_mw"),
    ("pw", "power_usd_per_mwh"),
    ("pue", "pue"),
)


def spreadsheet_model(a: Assumptions) -> _Sheet:
    """The model of the default simulation as native formulas, one draw per row.

    Inputs in the first columns (``SPREADSHEET_INPUTS``); every other input is a
    constant, as in the engine. Linear profile, ``extend`` delays, full booking,
    no margin override and no disclosed fleet.
    """
    plan = _plan(a, _max_delay_days(a, DEFAULT_DISTRIBUTIONS))
    if a.profile != "linear" or a.delay_mode != "extend" or a.booking != "full":
        raise ValueError(
            "the spreadsheet benchmark models the linear profile, extend delays and full booking"
        )
    if a.deal_margin_override is not None or a.fleet_gpus is not None or a.fleet_it_mw is not None:
        raise ValueError("the spreadsheet benchmark models the cost stack and a fleet sized from the price")
    fx = {k: float(v) for k, v in plan.fixed.items()}
    total, xf = float(plan.total), float(plan.linear_xf)
    V = fx["contract_value"]
    s = _Sheet()
    for short, _ in SPREADSHEET_INPUTS:
        s.add(short, None)
    s.add("d", "=ROUND({dq}*365.25/4,0)")
    s.add("H", f"={total!r}+{{d}}")
    s.add("norm", f"={xf!r}*(1+{{r}})/2+(1-{xf!r})")

    def cdf(tag: str, x_formula: str) -> None:
        """Two columns: contract time x and the linear profile's cumulative share F(x)."""
        s.add("x" + tag, "=" + x_formula)
        x = "{x" + tag + "}"
        s.add(
            "F" + tag,
            f"=({{r}}*MIN({x},{xf!r})+(1-{{r}})*MIN({x},{xf!r})^2/(2*{xf!r})+MAX({x}-{xf!r},0))/{{norm}}",
        )

    def delayed(t: float | str) -> str:
        return f"MAX(0,MIN(1,(MIN({t},{{H}})-{{d}})/{total!r}))"

    def cells(prefix: str, count: int) -> str:
        return ",".join(f"{{{prefix}{k}}}" for k in range(count))

    edges = list(plan.year_of_quarter) + [plan.q_edges.size - 1]
    for k in edges:  # the schedule at the fiscal years' quarter boundaries (what the engine computes)
        cdf(f"q{k}", delayed(float(plan.q_edges[k])))
    ny = len(edges) - 1
    for j in range(ny):
        s.add(f"Y{j}", f"={V!r}*{{u}}*({{Fq{edges[j + 1]}}}-{{Fq{edges[j]}}})")
    s.add("ramp_year2", "={Y1}")
    s.add("gap_year2", f"={float(V * plan.straight_frac[1])!r}-{{Y1}}")
    # Current RPO at the first quarter end: contractual next 12 months, capped at the backlog left.
    t = plan.rpo_t
    cdf("t", delayed(t))
    cdf("t12", delayed(t + plan.rpo_12))
    cdf("h", delayed("{H}"))
    s.add("left", f"={V!r}-{V!r}*{{u}}*{{Ft}}-IF({t!r}>={{H}},MAX({V!r}-{V!r}*{{u}}*{{Fh}},0),0)")
    s.add("current_rpo", f"=MIN({V!r}*({{Ft12}}-{{Ft}}),{{left}})")
    # The fleet sells the peak run-rate of the undelayed contractual schedule at the price.
    npl = plan.plan_edges.size - 1
    for k, e in enumerate(plan.plan_edges):
        cdf(f"p{k}", f"{float(e) / total!r}")
    for k in range(npl):
        s.add(f"R{k}", f"={V!r}*({{Fp{k + 1}}}-{{Fp{k}}})*{float(plan.plan_annualise[k])!r}")
    s.add("peak", f"=MAX({cells('R', npl)})")
    gpr, kw = fx["gpus_per_rack"], fx["kw_per_rack"]
    s.add("gpus", f"={{peak}}*1E9/({{p}}*8760*{fx['billable_share']!r})")
    s.add("itcap", f"={{gpus}}/{gpr!r}*{{rp}}/1000")
    s.add("faccap", f"={{gpus}}/{gpr!r}*{kw!r}/1000*{{fm}}/1000")
    s.add("power_cost", f"={{gpus}}/{gpr!r}*{kw!r}/1000*{{pue}}*8760*{{pw}}/1E9")
    s.add("share", "=MIN(IF({peak}>0,{power_cost}/{peak},0),1)")
    # Capacity in service follows the highest run-rate so far: the committed share on the plan,
    # the rest on the delayed schedule, whose run-rate is its contractual revenue by fiscal year
    # over its own contract days (rounding noise below 1e-9 of the peak ignored).
    bounds = plan.year_bounds
    for k in range(ny):
        lo, hi = float(bounds[k]), float(bounds[k + 1])
        live = f"MAX(MIN({hi!r},{{H}})-{lo!r},0)"
        s.add(f"L{k}", f"=IF({live}>0,{V!r}*({{Fq{edges[k + 1]}}}-{{Fq{edges[k]}}})*365.25/{live},0)")
    s.add("Lpeak", f"=MAX({cells('L', ny)})")
    for tag, rate, top, count in (("", "R", "peak", npl), ("l", "L", "Lpeak", ny)):
        for k in range(count):
            s.add(f"{tag}M{k}", f"={{{rate}0}}" if k == 0 else f"=MAX({{{tag}M{k - 1}}},{{{rate}{k}}})")
        for k in range(count):
            step = f"{{{tag}M0}}" if k == 0 else f"{{{tag}M{k}}}-{{{tag}M{k - 1}}}"
            s.add(f"{tag}A{k}", f"=IF({step}<1E-9*{{{top}}},0,{step})")
        s.add(f"{tag}Asum", f"=SUM({cells(tag + 'A', count)})")
    c = fx["committed_capex_share"]
    for k in range(ny):
        on_plan = f"{{A{k}}}/{{Asum}}" if k < npl else "0"
        late = f"IF({{lAsum}}>0,{{lA{k}}}/{{lAsum}},{on_plan})"
        s.add(f"S{k}", f"={c!r}*{on_plan}+{1.0 - c!r}*{late}")
    # Economics table: capacity in service by table year for each asset class, bought again when its
    # life ends by the last year (refresh); capex ahead by the lead, IT and facility depreciation
    # over their lives; the table ends with the realised schedule's last fiscal year, where the
    # undepreciated book value comes back as the residual value.
    starts = " + ".join(f"({float(y)!r}<={{H}}-1)" for y in plan.year_starts)
    s.add("last", f"={starts}-1+{int(plan.table_rev_index[0])}")
    rev_of = {int(j): k for k, j in enumerate(plan.table_rev_index)}
    tax, os_ = fx["tax_rate"], "{os}"
    n_t = plan.n_table
    lives = {
        "it": ("itcap", depreciation_weights(a.useful_life_years + a.server_life_extension_years)),
        "fac": ("faccap", depreciation_weights(a.facility_life_years)),
    }
    for tag, (_, weights) in lives.items():
        for k in range(n_t):
            first = f"{{S{k - plan.pad}}}" if k >= plan.pad else "0"
            again = f"+IF({k}<={{last}},{{U{tag}{k - weights.size}}},0)" if k >= weights.size else ""
            s.add(f"U{tag}{k}", f"={first}{again}")
    first_row = plan.first_capex_row  # no capex before the signing year: what lands earlier is spent in it
    growth = fx["base_growth"]
    for j in range(n_t):
        cap = "+".join(
            f"{{{cost}}}*{{U{tag}{k + ahead}}}*{share!r}"
            for k in ([j] if j > first_row else range(j + 1) if j == first_row else [])
            for tag, (cost, _) in lives.items()
            for ahead, share in plan.lead_shares
            if k + ahead < n_t
        )
        dep = "+".join(
            f"{{{cost}}}*{{U{tag}{k}}}*{float(weights[j - k])!r}"
            for tag, (cost, weights) in lives.items()
            for k in range(max(0, j - weights.size + 1), j + 1)
        )
        s.add(f"X{j}", f"={cap or '0'}")
        s.add(f"D{j}", f"=IF({j}<={{last}},{dep or '0'},0)")
        rev = f"{{Y{rev_of[j]}}}" if j in rev_of else "0"
        s.add(f"P{j}", f"={rev}-{{D{j}}}-{{share}}*{rev}-{os_}*{rev}")
        # The provider's baseline path (the base year's revenue grown at the base growth); the
        # peak is read on full fiscal years (C), every year shown (Z) only when there is none.
        b = f"{{base}}*{1.0 + growth!r}^{float(plan.base_table[j])!r}"
        shown = f"AND({j}<={{last}},OR({rev}>0,{{D{j}}}>0))"
        s.add(
            f"Z{j}",
            f"=IF({shown},(({b}*{fx['base_margin']!r}+{{P{j}}})/({b}+{rev})-{fx['base_margin']!r})*10000,1E+300)",
        )
        lo, hi = float(plan.table_lo[j]), float(plan.table_hi[j])
        s.add(f"C{j}", f"=IF(AND({lo!r}>=0,{hi!r}<={{H}}),{{Z{j}}},1E+300)")
    s.add("Cmin", f"=MIN({cells('C', n_t)})")
    s.add("margin_bps_peak", f"=IF({{Cmin}}<1E+299,{{Cmin}},MIN({cells('Z', n_t)}))")
    dep_all = "+".join(f"{{D{j}}}" for j in range(n_t))
    ever = "+".join(f"{{{cost}}}*SUM({cells('U' + tag, n_t)})" for tag, (cost, _) in lives.items())
    s.add("residual", f"={ever}-({dep_all})")
    s.add("latecap", "=" + "+".join(f"IF({j}>{{last}},{{X{j}}},0)" for j in range(n_t)))
    for j in range(plan.n_table):
        rev = f"{{Y{rev_of[j]}}}" if j in rev_of else "0"
        s.add(
            f"K{j}",
            f"=IF({j}<={{last}},{rev}-{{share}}*{rev}-{os_}*{rev}-{tax!r}*{{P{j}}}-{{X{j}}}"
            f"+IF({j}={{last}},{{residual}}-{{latecap}},0),0)",
        )
    rate = fx["discount_rate"]
    s.add(
        "npv",
        "="
        + "+".join(f"{{K{j}}}*{1.0 + rate!r}^-{float(tau)!r}" for j, tau in enumerate(plan.discount_years)),
    )
    # Valuation: market value after the news (less the shock when applied) grown to the threshold year.
    after = fx["prior_close"] * (1 + fx["move_pct"]) * fx["shares_outstanding"]
    after *= 1 + fx["cloud_shock"] * a.apply_cloud_shock
    s.add("mv", f"={after!r}*(1+{{g}})^{plan.mv_span}")
    s.add("market_value_passes", f"=IF({{mv}}>={fx['market_value_target']!r},1,0)")
    return s


def write_workbook(path: Path, draws: dict[str, np.ndarray]) -> tuple[_Sheet, int]:
    """Write the spreadsheet model with one draw per row; returns the sheet layout and formula count."""
    import openpyxl

    sheet = spreadsheet_model(Assumptions())
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Draws")
    ws.append(sheet.names)
    inputs = tuple(name for _, name in SPREADSHEET_INPUTS)
    n = len(next(iter(draws.values())))
    templates = sheet.compile()
    formulas = 0
    for i in range(n):
        row = [None if f is None else f.replace("§", str(i + 2)) for f in templates]
        for k, name in enumerate(inputs):
            row[k] = float(draws[name][i])
        formulas += sum(1 for f in row[len(inputs) :] if f is not None)
        ws.append(row)
    wb.save(path)
    return sheet, formulas


#: Pythons that may have LibreOffice's ``uno`` module: this one, LibreOffice's own, the system's.
_UNO_PYTHONS = (sys.executable, "/usr/lib/libreoffice/program/python", "/usr/bin/python3")


def uno_python() -> str | None:
    """A Python that can ``import uno`` (Debian: ``python3-uno`` for ``/usr/bin/python3``), or None."""
    for candidate in dict.fromkeys(_UNO_PYTHONS):
        if not Path(candidate).exists():
            continue
        probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=60)
        if probe.returncode == 0:
            return candidate
    return None


def bench_spreadsheet(rows: int, seed: int = 1) -> dict[str, Any] | None:
    """LibreOffice loading, recalculating (``calculateAll`` through UNO) and saving the model; None without it.

    The workbook is written by openpyxl (no cached values), opened by a headless
    LibreOffice started once (``tests/libreoffice_recalc.py``), fully
    recalculated, read back and saved as .xlsx; each step is timed on its own.
    The per-draw rate and the engine ratio are taken on the recalculation alone.
    """
    if shutil.which("soffice") is None:
        return None
    python = uno_python()
    if python is None:
        return {"skipped": "no Python with LibreOffice's uno module (Debian: apt-get install python3-uno)"}
    draws = sample_inputs(DEFAULT_DISTRIBUTIONS, draws=rows, seed=seed)
    with tempfile.TemporaryDirectory(prefix="dealdesk-bench-") as tmp:
        root = Path(tmp)
        model = root / "model.xlsx"
        start = time.perf_counter()
        sheet, formulas = write_workbook(model, draws)
        written = time.perf_counter() - start
        columns = [sheet.names.index(name) for name in CHECKED]
        driver = Path(__file__).with_name("libreoffice_recalc.py")
        done = subprocess.run(
            [
                python,
                str(driver),
                str(model),
                str(root / "saved.xlsx"),
                "--columns",
                ",".join(map(str, columns)),
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        office = json.loads(done.stdout)
    engine = simulate(None, DEFAULT_DISTRIBUTIONS, draws=rows, seed=seed, outputs=CHECKED)
    worst = 0.0
    for name, col in zip(CHECKED, columns, strict=True):
        got, want = np.asarray(office["values"][str(col)], dtype=float), engine.values[name]
        worst = max(worst, float(np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)))))
    return {
        "rows": rows,
        "formulas": formulas,
        "formulas_per_row": formulas // rows,
        "seconds_write_openpyxl": written,
        "seconds_startup": office["seconds_startup"],
        "seconds_load": office["seconds_load"],
        "seconds_recalc": office["seconds_recalc"],
        "seconds_save": office["seconds_save"],
        "draws_per_second": rows / office["seconds_recalc"],
        "max_relative_difference_vs_engine": worst,
        "version": office["version"],
    }

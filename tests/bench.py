"""Benchmark of the Monte Carlo engine, the Excel call path and the evaluator, with honest baselines.

Run ``python -m tests.bench [--quick] [--json PATH]``. It is not a test module
(pytest only imports it for doctests; nothing runs at import).

All in one run, on the reference deal with the default distributions of
:mod:`core.simulation`:

* the vectorised engine (:func:`core.simulation.simulate`, every simulated
  output) at 10^4, 10^5 and 10^6 draws, the median of several runs; its
  peak traced memory (``tracemalloc``) at 10^6 draws and, beside it, the
  peak resident memory (RSS) of a fresh interpreter running the same
  simulation, and of one running the largest run (10^7 draws, the risk
  questions' outputs);
* the same model as a plain-Python loop over draws, as a competent analyst
  writes it: plain floats, the calendar and every constant computed once,
  depreciation from running totals of capacity in service (as the engine);
  the schedule only at the fiscal years' edges; every output of every draw is
  checked against the engine (1e-12 relative);
* the same model written as native spreadsheet formulas, one draw per row
  (the schedule at fiscal-year edges, margin by year, RPO, capacity, the cash-flow
  table and NPV, valuation), opened by a headless LibreOffice through UNO
  (``tests/libreoffice_recalc.py``), which times loading, a full
  recalculation (``calculateAll``) and saving separately; the values are
  read back and compared with the engine's, draw by draw, and the ratio is
  taken on the recalculation alone;
* custom functions through xlwings' Office.js call path, ``dealdesk
  evaluate`` on the template (a fresh process, and other inputs once the
  template is compiled) and ``dealdesk batch`` with one and two jobs.

Results are ratios of per-draw throughput: ``speedup_vs_python_loop`` and
``speedup_vs_spreadsheet`` (null without LibreOffice), beside the absolute
figures; the machine's load average before and after is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

from core.assumptions import Assumptions
from core.economics import depreciation_weights
from core.simulation import DEFAULT_DISTRIBUTIONS, RISK_QUESTIONS, sample_inputs, simulate
from core.simulation.inputs import _max_delay_days
from core.simulation.plan import _plan
from core.simulation.run import kernel_available
from tests.bench_loop import fair_loop

#: Outputs read back from the spreadsheet and compared with the engine.
CHECKED = ("ramp_year2", "gap_year2", "margin_bps_peak", "current_rpo", "gpus", "npv", "market_value_passes")


def _times(fn: Any, repeats: int) -> list[float]:
    """Wall times of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _median_time(fn: Any, repeats: int) -> float:
    return statistics.median(_times(fn, repeats))


def bench_engine(
    sizes: list[int], repeats: int, seed: int = 1, engine: str = "numpy"
) -> list[dict[str, Any]]:
    """Wall time of ``simulate`` (all outputs) on ``engine`` at each size: median and minimum of the runs.

    The first call (10^4 draws) is a warm-up: for the compiled kernel it loads the cached
    machine code (or compiles it, once per machine), which is timed apart as ``first_call_s``.
    """
    start = time.perf_counter()
    simulate(None, DEFAULT_DISTRIBUTIONS, draws=10_000, seed=seed, engine=engine)  # warm-up
    first = time.perf_counter() - start
    rows = []
    for n in sizes:
        reps = repeats if n <= 100_000 else max(3, repeats // 2)
        times = _times(
            lambda n=n: simulate(None, DEFAULT_DISTRIBUTIONS, draws=n, seed=seed, engine=engine), reps
        )
        t = statistics.median(times)
        rows.append(
            {
                "engine": engine,
                "draws": n,
                "seconds": t,
                "seconds_min": min(times),
                "draws_per_second": n / t,
                "runs": reps,
                "first_call_s": first,
            }
        )
    return rows


def engines_present() -> list[str]:
    """The engines this machine can run: numpy always, the compiled kernel when numba is installed."""
    return ["numpy", "numba"] if kernel_available() else ["numpy"]


def peak_memory_mib(draws: int, seed: int = 1) -> float:
    """Peak memory traced while the numpy engine simulates ``draws`` draws (numpy reports its buffers to
    tracemalloc; the compiled kernel's are not traced, so its memory is measured as RSS only)."""
    tracemalloc.start()
    simulate(None, DEFAULT_DISTRIBUTIONS, draws=draws, seed=seed, engine="numpy")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench_python_loop(draws: int, seed: int = 1) -> dict[str, Any]:
    """Per-draw rate of the careful plain-Python loop (:mod:`tests.bench_loop`; min and median of 5),
    checked draw by draw against the engine.

    Every output the engine simulates is compared on every draw:
    ``|loop − engine| <= 1e-12 × max(|engine|, 1)`` (relative, absolute below 1);
    the largest difference found is reported and a larger one stops the benchmark.
    """
    a = Assumptions()
    fair_loop(a, DEFAULT_DISTRIBUTIONS, 10, seed)  # warm-up
    times = _times(lambda: fair_loop(a, DEFAULT_DISTRIBUTIONS, draws, seed), 5)
    got = fair_loop(a, DEFAULT_DISTRIBUTIONS, draws, seed)
    engine = simulate(a, DEFAULT_DISTRIBUTIONS, draws=draws, seed=seed, engine="numpy")
    worst = 0.0
    for name, want in engine.values.items():
        diff = np.abs(np.asarray(got[name]) - want) / np.maximum(np.abs(want), 1.0)
        worst = max(worst, float(diff.max()))
    if not worst <= 1e-12:
        raise AssertionError(f"the plain-Python loop differs from the engine by {worst:.2e} (relative)")
    seconds = statistics.median(times)
    return {
        "draws": draws,
        "seconds": seconds,
        "seconds_min": min(times),
        "draws_per_second": draws / seconds,
        "us_per_draw": seconds / draws * 1e6,
        "us_per_draw_min": min(times) / draws * 1e6,
        "outputs_checked": len(engine.values),
        "varying_outputs_checked": sum(1 for x in engine.values.values() if x.strides != (0,)),
        "max_relative_difference_vs_engine": worst,
    }


# --------------------------------------------------------------------------- the spreadsheet model


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


# --------------------------------------------------------------------------- memory, call path, evaluator, batch

#: Outputs kept in the largest run: the risk questions' (exact percentiles keep the draws of
#: every output asked for, 8 bytes a draw each; these are the ones the questions read).
LARGEST_RUN_OUTPUTS = tuple(dict.fromkeys(output for _, output, _, _ in RISK_QUESTIONS))

#: Root of the repository (the benchmark's child processes run there).
ROOT = Path(__file__).resolve().parent.parent

_RSS_CHILD = """
import json, resource, sys, time
from pathlib import Path
from core.simulation import simulate
def status(field):
    # Linux: VmHWM is this process's own peak (ru_maxrss also counts the parent's memory
    # at fork time, which survives exec); elsewhere fall back to ru_maxrss.
    path = Path("/proc/self/status")
    if path.exists():
        for line in path.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def rss():
    return status("VmHWM")
outputs = [name for name in sys.argv[2].split(",") if name] or None
engine = sys.argv[3]
simulate(draws=1_000, seed=1, outputs=["npv"], engine=engine)
before = status("VmRSS")
start = time.perf_counter()
simulate(draws=int(sys.argv[1]), seed=1, outputs=outputs, engine=engine)
seconds = time.perf_counter() - start
print(json.dumps({"baseline_mib": before, "peak_mib": rss(), "seconds": seconds}))
"""


def _child(code: str, *args: str, env: dict[str, str] | None = None, timeout: float = 3600) -> Any:
    """Run ``code`` in a fresh interpreter at the repository root; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_rss(draws: int, outputs: tuple[str, ...] = (), engine: str = "numpy") -> dict[str, Any]:
    """Peak resident memory (ru_maxrss) of a fresh interpreter simulating ``draws`` draws.

    Every simulated output is kept unless ``outputs`` names some. ``baseline_mib``
    is the resident memory of the interpreter with numpy, pandas and the model
    loaded (after a 1,000-draw warm-up), before the run; ``peak_mib`` the
    process's peak (``VmHWM`` on Linux). RSS counts everything the process
    holds, which tracemalloc does not (the interpreter, libraries).
    """
    result = _child(_RSS_CHILD, str(draws), ",".join(outputs), engine)
    return {"draws": draws, "outputs": list(outputs) or "all", "engine": engine, **result}


_UDF_CHILD = """
import json, statistics, time
from tests.addin.officejs import call
def median_ms(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter(); fn(); times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, min(times) * 1e3
args = ([[38]], [[45964]], [[7]])
schedule = lambda: call("deal_schedule", *args)
capacity = [[float(k % 17 + 1)] for k in range(3000)]
one_range = lambda: call("deal_schedule", *args, [["capacity"]], *[None] * 11, capacity)
longs = [[0.001 * (k % 13 - 6)] for k in range(3000)]
shorts = [[0.0007 * (k % 11 - 5)] for k in range(3000)]
two_ranges = lambda: call("deal_hedge_ratio", longs, shorts)
for fn in (schedule, one_range, two_ranges):
    fn()
out = {}
for key, fn, runs in (("schedule", schedule, 300), ("range_3000", one_range, 50), ("hedge_2x3000", two_ranges, 50)):
    out[key + "_ms"], out[key + "_min_ms"] = median_ms(fn, runs)
print(json.dumps(out))
"""


def bench_udf() -> dict[str, float]:
    """Custom functions through xlwings' Office.js call path (``tests/addin/officejs.py``), in ms.

    ``schedule``: ``=DEAL.SCHEDULE(38, DATE(2025,11,3), 7)`` (median of 300
    calls); ``range_3000``: the same with the capacity profile and a
    3,000-cell column of capacity levels (median of 50); ``hedge_2x3000``:
    ``DEAL.HEDGE_RATIO`` on two 3,000-cell columns (median of 50). Each call
    is what xlwings Server runs for one cell: argument conversion, the
    function, the result's conversion, in a fresh event loop.
    """
    env = {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    return _child(_UDF_CHILD, env=env)


_EVALUATE_WARM_CHILD = """
import json, shutil, sys, tempfile, time
from pathlib import Path
from tests.workbook.template_copies import edited_copy
from workbook.evaluate import evaluate_workbook
from workbook.template import DEFAULT_TEMPLATE
start = time.perf_counter()
evaluate_workbook(DEFAULT_TEMPLATE)
first = time.perf_counter() - start
times = []
with tempfile.TemporaryDirectory() as tmp:
    for k, value in enumerate((40.0, 45.0, 50.0)):
        path = edited_copy(Path(tmp), f"copy{k}.xlsx", contract_value=value)
        start = time.perf_counter()
        evaluate_workbook(path)
        times.append(time.perf_counter() - start)
print(json.dumps({"first_s": first, "other_inputs_s": sorted(times)}))
"""

_EVALUATE_CLI_CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from workbook.cli import main
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["evaluate", sys.argv[1]])
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"code": code, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime}))
"""


def bench_evaluate(runs: int) -> dict[str, Any]:
    """``dealdesk evaluate`` on the template in a fresh interpreter (compiles), and other inputs in one process.

    ``cli_s``: the command from import to exit, median of ``runs`` fresh
    processes (``cli_cpu_s`` its CPU time); ``warm_s``: evaluating a copy
    of the template with another contract value in a process that already
    compiled the template (median of three copies).
    """
    from workbook.template import DEFAULT_TEMPLATE

    cli = [_child(_EVALUATE_CLI_CHILD, str(DEFAULT_TEMPLATE)) for _ in range(runs)]
    if any(run["code"] != 0 for run in cli):
        raise RuntimeError(f"dealdesk evaluate failed: {cli}")
    warm = _child(_EVALUATE_WARM_CHILD)
    return {
        "cli_s": statistics.median(run["wall_s"] for run in cli),
        "cli_min_s": min(run["wall_s"] for run in cli),
        "cli_cpu_s": statistics.median(run["cpu_s"] for run in cli),
        "runs": runs,
        "first_in_process_s": warm["first_s"],
        "warm_s": statistics.median(warm["other_inputs_s"]),
    }


def bench_batch() -> dict[str, Any]:
    """``run_batch`` over every usable library deal (no PDF) with one and with two worker processes.

    Wall time of each, and the CPU time all processes spent (this process and
    its workers): the batch is CPU-bound, so two jobs can only beat one by the
    CPU that is free while it runs. ``jobs1_wait_s``: how long the one-job
    run (it builds in this process) waited for a CPU while ready to run
    (Linux ``/proc/self/schedstat``; None elsewhere), the wall time that is
    neither its CPU time nor I/O. ``jobs_note``: what ``dealdesk batch --jobs 2``
    would print about scaling on this machine at the time.
    """
    from workbook.batch import batch_items, plan_jobs, run_batch

    def waited() -> float | None:
        try:
            return int(Path("/proc/self/schedstat").read_text().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return None

    items = batch_items()
    out: dict[str, Any] = {"items": len(items), "jobs_note": plan_jobs(len(items), 2)[1]}
    waits: dict[float, float] = {}
    for jobs in (1, 2, 1, 2):
        before_self = resource.getrusage(resource.RUSAGE_SELF)
        before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        before_wait = waited()
        with tempfile.TemporaryDirectory(prefix="dealdesk-batch-") as tmp:
            start = time.perf_counter()
            run_batch(items, tmp, jobs=jobs, progress=False)
            wall = time.perf_counter() - start
        after_wait = waited()
        after_self = resource.getrusage(resource.RUSAGE_SELF)
        after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = sum(
            getattr(a, f) - getattr(b, f)
            for a, b in ((after_self, before_self), (after_children, before_children))
            for f in ("ru_utime", "ru_stime")
        )
        key = f"jobs{jobs}"
        out.setdefault(key + "_s", []).append(wall)
        out.setdefault(key + "_cpu_s", []).append(cpu)
        if jobs == 1 and before_wait is not None and after_wait is not None:
            waits[wall] = after_wait - before_wait
    for key in [k for k in out if k.endswith("_s")]:
        out[key] = min(out[key])
    out["jobs1_wait_s"] = waits.get(out["jobs1_s"])  # of the fastest one-job run
    out["speedup_2_jobs"] = out["jobs1_s"] / out["jobs2_s"]
    return out


# --------------------------------------------------------------------------- report


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run(quick: bool) -> dict[str, Any]:
    load_before = _load()
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    engines = engines_present()
    by_engine = {name: bench_engine(sizes, repeats=3 if quick else 7, engine=name) for name in engines}
    tops = {name: rows[-1] for name, rows in by_engine.items()}
    fastest = max(tops, key=lambda name: tops[name]["draws_per_second"])
    top = tops[fastest]
    loop = bench_python_loop(300 if quick else 3_000)
    sheet = bench_spreadsheet(1_000 if quick else 10_000)
    memory_draws = 100_000 if quick else 1_000_000
    memory = peak_memory_mib(memory_draws)
    rss = peak_rss(memory_draws)
    largest_draws = 1_000_000 if quick else 10_000_000
    largest = {name: peak_rss(largest_draws, LARGEST_RUN_OUTPUTS, engine=name) for name in engines}
    udf = bench_udf()
    evaluate = bench_evaluate(1 if quick else 3)
    batch = bench_batch()
    recalc = sheet if sheet is not None and "draws_per_second" in sheet else None

    def figures(row: dict[str, Any], prefix: str) -> dict[str, Any]:
        rate = row["draws_per_second"]
        return {
            f"{prefix}draws_per_second": rate,
            f"{prefix}seconds_1e6_draws": 1e6 / rate,
            f"{prefix}speedup_vs_python_loop": rate / loop["draws_per_second"],
            f"{prefix}speedup_vs_spreadsheet": None if recalc is None else rate / recalc["draws_per_second"],
        }

    return {
        "quick": quick,
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "numba": _numba_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_before": load_before,
            "load_average_after": _load(),
        },
        "engines": by_engine,
        "engine": fastest,
        **figures(top, ""),
        "draws_for_rate": top["draws"],
        "python_loop_us_per_draw": loop["us_per_draw"],
        **figures(tops["numpy"], "numpy_"),
        "python_loop": loop,
        "spreadsheet": sheet,
        "peak_memory_mib": memory,
        "peak_memory_draws": memory_draws,
        "peak_rss_mib": rss["peak_mib"],
        "rss_baseline_mib": rss["baseline_mib"],
        "largest_run_draws": largest_draws,
        "largest_run_outputs": list(LARGEST_RUN_OUTPUTS),
        "largest_run": largest,
        "rss_mib_largest_run": max(run["peak_mib"] for run in largest.values()),
        "udf": udf,
        "udf_schedule_ms": udf["schedule_ms"],
        "udf_range_3000_ms": udf["range_3000_ms"],
        "evaluate": evaluate,
        "evaluate_s": evaluate["cli_s"],
        "batch": batch,
    }


def _numba_version() -> str | None:
    try:
        import numba
    except ImportError:
        return None
    return str(numba.__version__)


def table(result: dict[str, Any]) -> str:
    """The results as a Markdown table."""
    lines = ["| measure | value |", "|---|---|"]
    names = {"numpy": "numpy engine", "numba": "compiled kernel"}
    for engine, rows in result["engines"].items():
        for row in rows:
            lines.append(
                f"| {names[engine]}, {row['draws']:,} draws, every output (min / median of {row['runs']}) | "
                f"{row['seconds_min']:.3f} s / {row['seconds']:.3f} s, {row['draws_per_second']:,.0f} draws/s |"
            )
        lines.append(
            f"| {names[engine]}, first call (10,000 draws; loads the kernel) | {rows[0]['first_call_s']:.2f} s |"
        )
    loop = result["python_loop"]
    lines.append(
        f"| careful plain-Python loop, {loop['draws']:,} draws (min / median of 5) | "
        f"{loop['us_per_draw_min']:.1f} / {loop['us_per_draw']:.1f} µs a draw, {loop['draws_per_second']:,.0f} draws/s |"
    )
    sheet = result["spreadsheet"]
    if sheet is None:
        lines.append("| LibreOffice | not installed |")
    elif "skipped" in sheet:
        lines.append(f"| LibreOffice | skipped: {sheet['skipped']} |")
    else:
        lines.append(
            f"| LibreOffice, {sheet['rows']:,} rows × {sheet['formulas_per_row']} formulas: load / recalculate / save "
            f"| {sheet['seconds_load']:.1f} s / {sheet['seconds_recalc']:.2f} s / {sheet['seconds_save']:.1f} s "
            f"(start-up {sheet['seconds_startup']:.1f} s); recalculation {sheet['draws_per_second']:,.0f} draws/s |"
        )
        lines.append(
            f"| spreadsheet vs engine, largest relative difference | "
            f"{sheet['max_relative_difference_vs_engine']:.1e} |"
        )
    for prefix, label in (("", names[result["engine"]] + " (fastest)"), ("numpy_", "numpy engine")):
        lines.append(
            f"| {label}: 10^6 draws / vs the loop / vs LibreOffice | {result[prefix + 'seconds_1e6_draws']:.3f} s / "
            f"{result[prefix + 'speedup_vs_python_loop']:,.0f}× / "
            + (
                "n/a |"
                if result[prefix + "speedup_vs_spreadsheet"] is None
                else f"{result[prefix + 'speedup_vs_spreadsheet']:,.0f}× |"
            )
        )
    lines.append(
        f"| peak traced memory (tracemalloc), {result['peak_memory_draws']:,} draws | "
        f"{result['peak_memory_mib']:.0f} MiB |"
    )
    lines.append(
        f"| peak RSS, {result['peak_memory_draws']:,} draws (fresh process; {result['rss_baseline_mib']:.0f} MiB "
        f"before the run) | {result['peak_rss_mib']:.0f} MiB |"
    )
    for engine, run_ in result["largest_run"].items():
        lines.append(
            f"| peak RSS, {run_['draws']:,} draws, {names[engine]}, outputs {', '.join(result['largest_run_outputs'])} "
            f"| {run_['peak_mib']:.0f} MiB ({run_['seconds']:.1f} s) |"
        )
    udf = result["udf"]
    lines.append(f"| DEAL.SCHEDULE through the Office.js call path (median) | {udf['schedule_ms']:.2f} ms |")
    lines.append(
        f"| DEAL.SCHEDULE with a 3,000-cell range argument (median) | {udf['range_3000_ms']:.1f} ms |"
    )
    lines.append(f"| DEAL.HEDGE_RATIO on two 3,000-cell ranges (median) | {udf['hedge_2x3000_ms']:.1f} ms |")
    ev = result["evaluate"]
    lines.append(
        f"| `dealdesk evaluate` on the template, fresh process (median of {ev['runs']}) | "
        f"{ev['cli_s']:.1f} s ({ev['cli_cpu_s']:.1f} s CPU) |"
    )
    lines.append(f"| evaluating a copy with other inputs, template compiled | {ev['warm_s']:.2f} s |")
    batch = result["batch"]
    lines.append(
        f"| batch, {batch['items']} reports: 1 job / 2 jobs (best of 2) | {batch['jobs1_s']:.1f} s / "
        f"{batch['jobs2_s']:.1f} s ({batch['speedup_2_jobs']:.2f}×); CPU {batch['jobs1_cpu_s']:.1f} s / "
        f"{batch['jobs2_cpu_s']:.1f} s |"
    )
    m = result["machine"]
    lines.append(
        f"| machine | {m['cpus']} CPUs, Python {m['python']}, numpy {m['numpy']}; load average "
        f"{m['load_average_before'][0]} before, {m['load_average_after'][0]} after |"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- exposure on Dask


def bench_exposure(sizes: list[int], workers: int = 2, repeats: int = 3, seed: int = 1) -> dict[str, Any]:
    """Exposure Monte Carlo draws/s: one thread, threads of one process, and a local Dask cluster.

    The cluster has ``workers`` single-threaded worker processes on 127.0.0.1; its
    start-up is timed apart, and each size is run once on it before timing.
    Every cluster run is checked equal, bit for bit, to the one-thread run.
    """
    from distributed import Client, LocalCluster

    from core.exposure import simulate_exposure

    rows = []
    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, silence_logs=40
        ) as cluster,
        Client(cluster) as client,
    ):
        startup = time.perf_counter() - start
        executor = client.get_executor()
        for n in sizes:
            one = simulate_exposure(draws=n, seed=seed, workers=1)
            same = simulate_exposure(draws=n, seed=seed, executor=executor)
            assert np.array_equal(one.pair_loss, same.pair_loss), "cluster run differs from the local run"
            t_one = _median_time(lambda n=n: simulate_exposure(draws=n, seed=seed, workers=1), repeats)
            t_threads = _median_time(lambda n=n: simulate_exposure(draws=n, seed=seed), repeats)
            t_dask = _median_time(
                lambda n=n: simulate_exposure(draws=n, seed=seed, executor=executor), repeats
            )
            rows.append(
                {
                    "draws": n,
                    "one_thread_draws_per_second": n / t_one,
                    "threads_draws_per_second": n / t_threads,
                    "dask_draws_per_second": n / t_dask,
                    "dask_seconds_with_startup": t_dask + startup,
                    "one_thread_seconds": t_one,
                }
            )
    return {"workers": workers, "cluster_startup_seconds": startup, "cpus": os.cpu_count(), "sizes": rows}


def exposure_table(result: dict[str, Any]) -> str:
    """The exposure benchmark as a Markdown table."""
    w = result["workers"]
    lines = [
        f"| draws | one thread | threads, one process | Dask, {w} worker processes | one thread, s | Dask incl. start-up, s |",
        "|---|---|---|---|---|---|",
    ]
    for r in result["sizes"]:
        lines.append(
            f"| {r['draws']:,} | {r['one_thread_draws_per_second']:,.0f}/s | {r['threads_draws_per_second']:,.0f}/s "
            f"| {r['dask_draws_per_second']:,.0f}/s | {r['one_thread_seconds']:.2f} | {r['dask_seconds_with_startup']:.2f} |"
        )
    lines.append(f"\ncluster start-up {result['cluster_startup_seconds']:.1f} s; {result['cpus']} CPUs")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes; runs in a few minutes")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON here")
    parser.add_argument(
        "--exposure",
        action="store_true",
        help="only the exposure Monte Carlo: one process vs a local Dask cluster",
    )
    args = parser.parse_args(argv)
    if args.exposure:
        result = bench_exposure([100_000, 500_000] if args.quick else [100_000, 1_000_000, 2_000_000])
        print(exposure_table(result))
    else:
        result = run(args.quick)
        print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

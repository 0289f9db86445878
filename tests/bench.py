"""Benchmark of the Monte Carlo engine against a plain-Python loop and a spreadsheet.

Run ``python -m tests.bench [--quick] [--json PATH]``. It is not a test module
(pytest only imports it for doctests; nothing runs at import).

All in one run, on the reference deal with ``core.simulation.DEFAULT_DISTRIBUTIONS``:

* the vectorised engine (:func:`core.simulation.simulate`, every simulated
  output) at 10^4, 10^5 and 10^6 draws, the median of several runs, and its
  peak traced memory (``tracemalloc``, in a separate run) at 10^6 draws;
* the same model as a plain-Python loop (:func:`core.simulation.simulate_reference`)
  on a subsample, as a per-draw rate;
* the same model written as native spreadsheet formulas, one draw per row
  (about 200 formulas a row: the quarterly schedule, margin by year, RPO,
  capacity, the cash-flow table and NPV, valuation), recalculated by
  LibreOffice in a headless conversion; LibreOffice's start-up, measured on
  an empty workbook in the same run, is subtracted. The recalculated values
  are read back and compared with the engine's, draw by draw.

Results are ratios of per-draw throughput: ``speedup_vs_python_loop`` and
``speedup_vs_spreadsheet`` (null without LibreOffice).
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
from core.simulation import (
    DEFAULT_DISTRIBUTIONS,
    _max_delay_days,
    _plan,
    sample_inputs,
    simulate,
    simulate_reference,
)

#: Outputs read back from the spreadsheet and compared with the engine.
CHECKED = ("ramp_year2", "gap_year2", "margin_bps_peak", "current_rpo", "gpus", "npv", "market_value_passes")


def _median_time(fn: Any, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_engine(sizes: list[int], repeats: int, seed: int = 1) -> list[dict[str, float]]:
    """Median wall time of ``simulate`` (all outputs) at each size."""
    simulate(None, DEFAULT_DISTRIBUTIONS, draws=10_000, seed=seed)  # warm-up
    rows = []
    for n in sizes:
        reps = repeats if n <= 100_000 else max(3, repeats // 2)
        t = _median_time(lambda n=n: simulate(None, DEFAULT_DISTRIBUTIONS, draws=n, seed=seed), reps)
        rows.append({"draws": n, "seconds": t, "draws_per_second": n / t, "runs": reps})
    return rows


def peak_memory_mib(draws: int, seed: int = 1) -> float:
    """Peak memory traced while simulating ``draws`` draws (numpy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    simulate(None, DEFAULT_DISTRIBUTIONS, draws=draws, seed=seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench_python_loop(draws: int, seed: int = 1) -> dict[str, float]:
    """Per-draw rate of the plain-Python reference loop on ``draws`` draws."""
    simulate_reference(None, DEFAULT_DISTRIBUTIONS, draws=10, seed=seed)  # warm-up
    t = _median_time(lambda: simulate_reference(None, DEFAULT_DISTRIBUTIONS, draws=draws, seed=seed), 3)
    return {"draws": draws, "seconds": t, "draws_per_second": draws / t}


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

    for k, e in enumerate(plan.q_edges):  # the quarterly schedule
        cdf(f"q{k}", delayed(float(e)))
    edges = list(plan.year_of_quarter) + [plan.q_edges.size - 1]
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
    gpr, kw, pue = fx["gpus_per_rack"], fx["kw_per_rack"], fx["pue"]
    s.add("gpus", f"={{peak}}*1E9/({{p}}*8760*{fx['billable_share']!r})")
    s.add("itcap", f"={{gpus}}/{gpr!r}*{fx['rack_price_musd']!r}/1000")
    s.add("faccap", f"={{gpus}}/{gpr!r}*{kw!r}/1000*{fx['facility_musd_per_mw']!r}/1000")
    s.add("power_cost", f"={{gpus}}/{gpr!r}*{kw!r}/1000*{pue!r}*8760*{fx['power_usd_per_mwh']!r}/1E9")
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
    # Economics table: capex ahead by the lead, IT and facility depreciation over their lives; the
    # table ends with the realised schedule's last fiscal year, where the undepreciated book value
    # comes back as the residual value.
    starts = " + ".join(f"({float(y)!r}<={{H}}-1)" for y in plan.year_starts)
    s.add("last", f"={starts}-1+{int(plan.table_rev_index[0])}")
    rev_of = {int(j): k for k, j in enumerate(plan.table_rev_index)}
    tax, os_ = fx["tax_rate"], "{os}"
    for j in range(plan.n_table):
        cap = "+".join(
            f"{{S{i}}}*{float(plan.capex_map[i, j])!r}" for i in np.flatnonzero(plan.capex_map[:, j])
        )
        dep = "+".join(
            f"{{S{i}}}*({{itcap}}*{float(plan.dep_map_it[i, j])!r}+{{faccap}}*{float(plan.dep_map_facility[i, j])!r})"
            for i in np.flatnonzero(plan.dep_map_it[:, j] + plan.dep_map_facility[:, j])
        )
        s.add(f"X{j}", f"=({{itcap}}+{{faccap}})*({cap or '0'})")
        s.add(f"D{j}", f"=IF({j}<={{last}},{dep or '0'},0)")
        rev = f"{{Y{rev_of[j]}}}" if j in rev_of else "0"
        s.add(f"P{j}", f"={rev}-{{D{j}}}-{{share}}*{rev}-{os_}*{rev}")
        s.add(
            f"C{j}",
            f"=IF(AND({j}<={{last}},OR({rev}>0,{{D{j}}}>0)),"
            f"(({{base}}*{fx['base_margin']!r}+{{P{j}}})/({{base}}+{rev})-{fx['base_margin']!r})*10000,1E+300)",
        )
    s.add("margin_bps_peak", f"=MIN({cells('C', plan.n_table)})")
    dep_all = "+".join(f"{{D{j}}}" for j in range(plan.n_table))
    cap_live = "+".join(f"IF({j}<={{last}},{{X{j}}},0)" for j in range(plan.n_table))
    s.add("residual", f"={{itcap}}+{{faccap}}-({dep_all})")
    s.add("latecap", f"={{itcap}}+{{faccap}}-({cap_live})")
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


def _soffice(path: Path, outdir: Path, profile: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=3600,
    )
    return time.perf_counter() - start


def bench_spreadsheet(rows: int, seed: int = 1) -> dict[str, Any] | None:
    """LibreOffice recalculating the spreadsheet model, start-up subtracted; None without LibreOffice."""
    if shutil.which("soffice") is None:
        return None
    import openpyxl

    draws = sample_inputs(DEFAULT_DISTRIBUTIONS, draws=rows, seed=seed)
    with tempfile.TemporaryDirectory(prefix="dealdesk-bench-") as tmp:
        root = Path(tmp)
        profile = root / "profile"
        empty = root / "empty.xlsx"
        wb = openpyxl.Workbook()
        wb.active["A1"] = 1
        wb.save(empty)
        model = root / "model.xlsx"
        sheet, formulas = write_workbook(model, draws)
        _soffice(empty, root / "warm", profile)  # first start creates the profile
        startup = statistics.median(_soffice(empty, root / f"e{i}", profile) for i in range(3))
        total = _soffice(model, root / "out", profile)
        values = openpyxl.load_workbook(root / "out" / "model.xlsx", read_only=True, data_only=True)["Draws"]
        got = {name: [] for name in CHECKED}
        index = {name: sheet.names.index(name) for name in CHECKED}
        for row in values.iter_rows(min_row=2, values_only=True):
            for name in CHECKED:
                got[name].append(row[index[name]])
    engine = simulate(None, DEFAULT_DISTRIBUTIONS, draws=rows, seed=seed, outputs=CHECKED)
    worst = 0.0
    for name in CHECKED:
        a, b = np.asarray(got[name], dtype=float), engine.values[name]
        worst = max(worst, float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b)))))
    calc = max(total - startup, 1e-9)
    return {
        "rows": rows,
        "formulas": formulas,
        "formulas_per_row": formulas // rows,
        "seconds_total": total,
        "seconds_startup": startup,
        "seconds_recalc": calc,
        "draws_per_second": rows / calc,
        "max_relative_difference_vs_engine": worst,
        "version": subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip(),
    }


# --------------------------------------------------------------------------- report


def run(quick: bool) -> dict[str, Any]:
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    engine = bench_engine(sizes, repeats=3 if quick else 7)
    top = engine[-1]
    loop = bench_python_loop(300 if quick else 3_000)
    sheet = bench_spreadsheet(1_000 if quick else 10_000)
    memory = peak_memory_mib(100_000 if quick else 1_000_000)
    return {
        "quick": quick,
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "engine": engine,
        "draws_per_second": top["draws_per_second"],
        "draws_for_rate": top["draws"],
        "python_loop": loop,
        "speedup_vs_python_loop": top["draws_per_second"] / loop["draws_per_second"],
        "spreadsheet": sheet,
        "speedup_vs_spreadsheet": None
        if sheet is None
        else top["draws_per_second"] / sheet["draws_per_second"],
        "peak_memory_mib": memory,
        "peak_memory_draws": 100_000 if quick else 1_000_000,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def table(result: dict[str, Any]) -> str:
    """The results as a Markdown table."""
    lines = ["| measure | value |", "|---|---|"]
    for row in result["engine"]:
        lines.append(
            f"| engine, {row['draws']:,} draws (median of {row['runs']}) | {row['seconds']:.3f} s, "
            f"{row['draws_per_second']:,.0f} draws/s |"
        )
    loop = result["python_loop"]
    lines.append(
        f"| plain-Python loop, {loop['draws']:,} draws | {loop['seconds']:.2f} s, "
        f"{loop['draws_per_second']:,.0f} draws/s |"
    )
    sheet = result["spreadsheet"]
    if sheet is None:
        lines.append("| LibreOffice | not installed |")
    else:
        lines.append(
            f"| LibreOffice recalculation, {sheet['rows']:,} rows × {sheet['formulas_per_row']} formulas "
            f"| {sheet['seconds_recalc']:.1f} s after {sheet['seconds_startup']:.1f} s start-up, "
            f"{sheet['draws_per_second']:,.0f} draws/s |"
        )
        lines.append(
            f"| spreadsheet vs engine, largest relative difference | "
            f"{sheet['max_relative_difference_vs_engine']:.1e} |"
        )
    lines.append(f"| speed-up vs plain-Python loop (per draw) | {result['speedup_vs_python_loop']:,.0f}× |")
    if result["speedup_vs_spreadsheet"] is not None:
        lines.append(f"| speed-up vs spreadsheet (per draw) | {result['speedup_vs_spreadsheet']:,.0f}× |")
    lines.append(
        f"| peak traced memory, {result['peak_memory_draws']:,} draws | {result['peak_memory_mib']:.0f} MiB |"
    )
    m = result["machine"]
    lines.append(f"| machine | {m['cpus']} CPUs, Python {m['python']}, numpy {m['numpy']} |")
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
    parser.add_argument("--quick", action="store_true", help="smaller sizes; runs in under a minute")
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

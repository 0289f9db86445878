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
  (:mod:`tests.bench_spreadsheet`; the schedule at fiscal-year edges, margin
  by year, RPO, capacity, the cash-flow table and NPV, valuation), opened by a
  headless LibreOffice through UNO
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
from core.simulation import DEFAULT_DISTRIBUTIONS, RISK_QUESTIONS, simulate
from core.simulation.run import kernel_available
from tests.bench_loop import fair_loop
from tests.bench_spreadsheet import bench_spreadsheet


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
        # Every size ``repeats`` runs, a million draws too (a median of three moved with one slow run).
        times = _times(
            lambda n=n: simulate(None, DEFAULT_DISTRIBUTIONS, draws=n, seed=seed, engine=engine), repeats
        )
        t = statistics.median(times)
        rows.append(
            {
                "engine": engine,
                "draws": n,
                "seconds": t,
                "seconds_min": min(times),
                "draws_per_second": n / t,
                "runs": repeats,
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

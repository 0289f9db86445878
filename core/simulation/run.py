"""Running a simulation: checking the request, choosing the engine, chunking and threads, the reference loop."""

from __future__ import annotations

import importlib.util
import math
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import INPUTS, Assumptions, as_assumptions
from core.blocks import map_tasks, worker_count
from core.distributions import (
    Distribution,
)
from core.model import (
    OUTPUTS,
    NoValueError,
    profile_params,
    run_model,
)
from core.schedule import (
    delay_days_from_quarters,
)
from core.simulation.arrays import _Work
from core.simulation.engine import _ECONOMICS_OUTPUTS, _EVAL_DRAWS, SIMULATED_OUTPUTS, _evaluate
from core.simulation.inputs import (
    SIMULATION_INPUTS,
    _bounds,
    _check_distributions,
    _max_delay_days,
    check_longest_delay,
    default_distributions,
)
from core.simulation.plan import _Plan, _plan
from core.simulation.results import SimulationResult
from core.simulation.sampling import BLOCK_DRAWS, _Sampler, sample_inputs
from core.validation import DealDeskInputError, check_choice, check_number

#: Engines a simulation may run on: ``"numpy"`` (the reference, and the only one in Pyodide),
#: ``"numba"`` (the compiled kernel, ``pip install dealdesk[fast]``) or ``"auto"``.
ENGINES = ("auto", "numpy", "numba")

#: Draws from which ``engine="auto"`` uses the compiled kernel when numba is installed. Once
#: loaded, the kernel saves about 0.35 µs a draw against the numpy engine (10^6 draws on two
#: threads, 0.26 against 0.62 s on a quiet 2-CPU machine), so from a million draws it saves a
#: third of a second a run. A process's first kernel run also loads numba and the cached machine
#: code (0.5–1.5 s, quiet to busy): a process that runs one simulation (a fresh command) gains
#: from about three million draws; one that runs several (the server, a session) from the second.
KERNEL_MIN_DRAWS = 1_000_000


def kernel_available() -> bool:
    """Whether the compiled kernel can run here (numba is installed; never in Pyodide)."""
    try:
        return importlib.util.find_spec("numba") is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules: import refused
        return False


def _engine(engine: Any, draws: int) -> str:
    """The engine a run of ``draws`` draws uses: ``"numpy"`` or ``"numba"``."""
    name = check_choice("engine", engine, ENGINES)
    if name == "numba" and not kernel_available():
        raise DealDeskInputError(
            "engine 'numba' needs numba, which is not installed; install dealdesk[fast] or use engine 'numpy'"
        )
    if name == "auto":
        return "numba" if draws >= KERNEL_MIN_DRAWS and kernel_available() else "numpy"
    return name


def _outputs(outputs: Any) -> tuple[str, ...]:
    if outputs is None:
        return SIMULATED_OUTPUTS
    try:
        names = (outputs,) if isinstance(outputs, str) else tuple(outputs)
    except TypeError:  # not a name and not a list of them
        raise DealDeskInputError(
            f"outputs must be an output name or a list of names, got {type(outputs).__name__} {outputs!r:.40}"
        ) from None
    for name in names:
        if name not in SIMULATED_OUTPUTS:
            raise DealDeskInputError(f"output must be one of {', '.join(SIMULATED_OUTPUTS)}; got {name!r}")
    return names


#: Outputs with no value when an input is 0 in the plan (0: not disclosed), as in run_model.
_UNDEFINED_AT_ZERO = {
    "backlog_increase_pct": "reported_backlog",
    "backlog_deal_share": "reported_backlog",
    "deal_capex_share_2026": "capex_2026",
    "market_value_passes": "market_value_target",
    "market_value_required_growth": "market_value_target",
}


_MISSING = {spec.name: spec.missing for spec in OUTPUTS}


def _defined(plan: _Plan, names: tuple[str, ...], *, asked: bool) -> tuple[str, ...]:
    """``names`` without the outputs that have no value for this plan (refused when ``asked`` for)."""
    for name, source in _UNDEFINED_AT_ZERO.items():
        if name in names and getattr(plan.a, source) == 0:
            if asked:
                raise NoValueError(f"{name}: {source} is 0, so no draw has this figure ({_MISSING[name]})")
            names = tuple(n for n in names if n != name)
    if plan.other_commitments > 0 or plan.own_in_target or "coverage_target_year" not in names:
        return names
    if asked:
        raise NoValueError(
            "coverage_target_year: the customer has no commitment spend in the target year "
            f"{plan.a.customer_target_year}, so no draw has a coverage ratio"
        )
    return tuple(n for n in names if n != "coverage_target_year")


def _prepare(
    a: Any, distributions: Any, draws: Any, seed: Any
) -> tuple[Assumptions, dict[str, Distribution], int, int]:
    a = as_assumptions("a", a)
    profile_params(a)  # refuses profiles the model cannot run
    dists = _check_distributions(default_distributions(a) if distributions is None else distributions)
    n = int(check_number("draws", draws, minimum=1, maximum=100_000_000, integer=True))
    s = int(check_number("seed", seed, minimum=0, maximum=2**63 - 1, integer=True))
    return a, dists, n, s


def simulate(
    a: Assumptions | None = None,
    distributions: Mapping[str, Any] | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    outputs: Iterable[str] | str | None = None,
    chunk_size: int = BLOCK_DRAWS,
    keep_inputs: bool = False,
    workers: int | None = None,
    engine: str = "auto",
) -> SimulationResult:
    """Monte Carlo over the whole model, vectorised over draws.

    Parameters
    ----------
    a : Assumptions, optional
        Values of the inputs that do not vary (defaults: the AWS–OpenAI base case).
    distributions : mapping, optional
        Input name (one of ``SIMULATION_INPUTS``) -> :class:`Distribution`
        (or ``(kind, params...)``); default ``DEFAULT_DISTRIBUTIONS``.
    draws : int, keyword-only
        Number of draws (1 .. 10^8).
    seed : int, keyword-only
        Seed (>= 0); the same seed gives the same draws whatever ``chunk_size``.
    outputs : names, keyword-only
        Outputs to keep (``SIMULATED_OUTPUTS`` by default). Memory is 8 bytes a
        draw for each kept output that varies (exact percentiles need every
        draw); ask only for the outputs you need in very large runs.
    chunk_size : int, keyword-only
        Draws drawn at once per thread (the working memory besides the kept
        outputs: a few MB per thread); results do not depend on it.
    keep_inputs : bool, keyword-only
        Keep the input draws too.
    workers : int, keyword-only
        Threads evaluating chunks in parallel (numpy releases the GIL); default
        the number of CPUs, at most 4, and 1 under Pyodide (xlwings Lite), which
        has no threads. Results do not depend on it.
    engine : str, keyword-only
        ``"numpy"`` (the reference engine), ``"numba"`` (the compiled kernel:
        ``pip install dealdesk[fast]``) or ``"auto"`` (the default: the kernel
        for runs of at least ``KERNEL_MIN_DRAWS`` draws when numba is
        installed, else numpy). Both give the same draws (to 1e-12 relative).

    Returns
    -------
    SimulationResult

    Examples
    --------
    How likely is AWS's FY2026 revenue from the deal to fall short of the straight line?

    >>> r = simulate(draws=2_000, seed=7, outputs=["gap_year2"])
    >>> r.probability("gap_year2", above=0.0)
    1.0
    """
    a, dists, n, s = _prepare(a, distributions, draws, seed)
    chosen = _engine(engine, n)
    names = _outputs(outputs)
    chunk = int(check_number("chunk_size", chunk_size, minimum=1, integer=True))
    threads = worker_count(workers)
    plan = _plan(a, _max_delay_days(a, dists))
    names = _defined(plan, names, asked=outputs is not None)
    # An output that no simulated input moves is one number, not one per draw: a two-draw
    # probe finds them (the engine returns a stride-0 view for them), and the result holds
    # a read-only view of that number. Only the other asked outputs get an array of draws.
    probe = _evaluate(plan, sample_inputs(dists, draws=2, seed=s), 2, outputs=names)
    constant = {name: float(probe[name][0]) for name in names if probe[name].strides == (0,)}
    kept = [name for name in names if name not in constant]
    store = np.empty((len(kept), n))  # one row of draws per kept output, written in place
    values = {name: store[row] for row, name in enumerate(kept)}
    inputs = {name: np.empty(n) for name in dists} if keep_inputs else {}

    if chosen == "numba":
        _run_kernel(plan, dists, s, n, chunk, threads, names, store, kept, inputs)
    else:
        _run_numpy(plan, dists, s, n, chunk, threads, names, values, inputs)
    every = {
        name: values[name] if name in values else np.broadcast_to(constant[name], (n,)) for name in names
    }
    return SimulationResult(values=every, inputs=inputs, draws=n, seed=s)


def _run_numpy(
    plan: _Plan,
    dists: Mapping[str, Distribution],
    seed: int,
    n: int,
    chunk: int,
    threads: int,
    names: tuple[str, ...],
    values: dict[str, np.ndarray],
    inputs: dict[str, np.ndarray],
) -> None:
    """The numpy engine over chunks of draws on ``threads`` threads, into ``values`` and ``inputs``."""
    local = threading.local()  # each thread's working arrays, reused chunk after chunk

    def run(first: int) -> None:
        work = getattr(local, "work", None)
        if work is None:
            work = local.work = _Work()
        last = min(first + chunk, n)
        sampler = _Sampler(seed, dists)  # one per chunk: its block cache is not shared between threads
        v = {name: sampler.draws(name, first, last) for name in dists}
        for lo in range(first, last, _EVAL_DRAWS):
            hi = min(lo + _EVAL_DRAWS, last)
            into = {name: kept[lo:hi] for name, kept in values.items()}
            _evaluate(plan, {k: x[lo - first : hi - first] for k, x in v.items()}, hi - lo, work, names, into)
        for name in inputs:
            inputs[name][first:last] = v[name]

    map_tasks(run, range(0, n, chunk), workers=threads)


def _run_kernel(
    plan: _Plan,
    dists: Mapping[str, Distribution],
    seed: int,
    n: int,
    chunk: int,
    threads: int,
    names: tuple[str, ...],
    store: np.ndarray,
    kept: list[str],
    inputs: dict[str, np.ndarray],
) -> None:
    """The compiled kernel (:mod:`core.simulation.kernel`) over chunks of draws on ``threads`` threads;
    the outputs are written straight into ``store``'s rows (one a ``kept`` output).

    Each thread takes a whole chunk at a time: it draws the chunk's inputs, runs the kernel on them
    and writes the chunk's outputs (so the threads share the drawing and the first touch of
    ``store``'s pages, not only the model). A thread runs the kernel on its own (numba's thread
    count set to 1 on it): numba's threads would wait for the drawing between chunks. numba's
    ``workqueue`` threading layer cannot run a kernel on two threads at once: there the chunks run
    one after another, each on numba's threads.
    """
    import numba

    from core.simulation.kernel import TriangularRows, run_kernel, varied_inputs

    economics = not _ECONOMICS_OUTPUTS.isdisjoint(names)
    names_drawn = varied_inputs(dists)
    triangular = TriangularRows(dists, names_drawn)
    local = threading.local()  # each thread's rows of input draws, reused chunk after chunk

    def run(span: tuple[int, int]) -> None:
        first, last = span
        rows = getattr(local, "rows", None)
        if rows is None or rows.shape[1] != last - first:
            rows = local.rows = np.empty((max(len(names_drawn), 1), last - first))
        # One sampler per chunk (its block cache is not shared between threads); triangular inputs
        # come as their uniforms, turned into their draws on this thread.
        sampler = _Sampler(seed, dists, triangular.names)
        # Each input's draws written straight into its row of the kernel's input array.
        v = {name: sampler.draws(name, first, last, out=rows[k]) for k, name in enumerate(names_drawn)}
        triangular.apply(rows)
        run_kernel(plan, v, last - first, store, kept, first, economics=economics, varied=rows)
        for name in inputs:
            inputs[name][first:last] = v[name]

    def alone(span: tuple[int, int]) -> None:
        numba.set_num_threads(1)  # thread-local: this thread's kernel runs on this thread
        run(span)

    spans = [(first, min(first + chunk, n)) for first in range(0, n, chunk)]
    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))  # type: ignore[attr-defined]
    try:
        # The first draw alone here: it starts numba's threading layer, which says whether kernels
        # may run on several threads at once (the rest of its chunk stays one task, on one block).
        run((0, 1))
        spans[0] = (1, spans[0][1])
        if spans[0][0] == spans[0][1]:
            spans.pop(0)
        if threads > 1 and len(spans) > 1 and numba.threading_layer() != "workqueue":
            map_tasks(alone, spans, workers=threads)
        else:
            for span in spans:
                run(span)
    finally:
        numba.set_num_threads(before)


def evaluate(
    a: Assumptions | None, values: Mapping[str, Any], *, outputs: Iterable[str] | str | None = None
) -> dict[str, np.ndarray]:
    """The vectorised model at given input values, row by row (no randomness).

    Parameters
    ----------
    a : Assumptions
        Values of the inputs not in ``values``.
    values : mapping
        Input name (one of ``SIMULATION_INPUTS``) -> a 1-D array of values, all
        the same length; values outside an input's rule are refused.
    outputs : names, keyword-only
        Outputs to return (``SIMULATED_OUTPUTS`` by default).

    Returns
    -------
    dict
        Output name -> array, one value per row.

    Examples
    --------
    FY2026 deal revenue at 90%, 92.5% and 95% realisation scales with it:

    >>> r = evaluate(None, {"realisation": [0.9, 0.925, 0.95]}, outputs="ramp_year2")["ramp_year2"]
    >>> bool(np.allclose(r / [0.9, 0.925, 0.95], r[0] / 0.9))
    True
    """
    a = as_assumptions("a", a)
    names = _outputs(outputs)
    arrays: dict[str, np.ndarray] = {}
    for key, column in values.items():
        name = str(key)
        if name not in SIMULATION_INPUTS:
            raise DealDeskInputError(
                f"cannot vary {name!r}; inputs that may vary: {', '.join(SIMULATION_INPUTS)}"
            )
        rule = next(s for s in INPUTS if s.name == name).rule
        try:
            x = np.atleast_1d(np.asarray(column, dtype=float))
        except (TypeError, ValueError):
            raise DealDeskInputError(f"{name} values must be numbers, each {rule}") from None
        if x.size == 0:
            raise DealDeskInputError(f"{name} needs at least one value, each {rule}")
        low, high = _bounds(name)
        if x.ndim != 1 or not np.all(np.isfinite(x)) or np.any(x < low) or np.any(x > high):
            raise DealDeskInputError(f"{name} values must each be {rule}, got {x.ravel()[:5].tolist()}")
        arrays[name] = x
    sizes = {x.size for x in arrays.values()}
    if len(sizes) > 1:
        raise DealDeskInputError(f"values must all have the same length, got {sorted(sizes)}")
    n = sizes.pop() if sizes else 1
    delay = a.delay_days
    if "delay_quarters" in arrays:
        longest = float(arrays["delay_quarters"].max())
        check_longest_delay(a, longest, "delay_quarters values reach")
        delay = delay_days_from_quarters(longest)
    plan = _plan(a, delay)
    names = _defined(plan, names, asked=outputs is not None)
    result = _evaluate(plan, arrays, n, outputs=names)
    return {name: result[name] for name in names}


def simulation_summary(
    a: Assumptions | None = None,
    distributions: Mapping[str, Any] | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    outputs: Iterable[str] | str | None = None,
    percentiles: Iterable[float] = (5, 50, 95),
    engine: str = "auto",
) -> pd.DataFrame:
    """Run :func:`simulate` (on ``engine``, as there) and return its summary table (one row per output).

    Columns: ``output``, ``mean``, ``stdev``, ``se_mean``, ``min``, the
    percentiles, ``max``, ``p_below_zero`` (share of draws below 0) and
    ``p_positive`` (share above 0).

    >>> t = simulation_summary(draws=1_000, seed=4, outputs=["ramp_year2", "npv"])
    >>> t["output"].tolist(), bool((t["p5"] <= t["p95"]).all())
    (['ramp_year2', 'npv'], True)
    """
    result = simulate(a, distributions, draws=draws, seed=seed, outputs=outputs, engine=engine)
    table = result.summary(percentiles)
    table["p_below_zero"] = [float(np.mean(result.values[n] < 0)) for n in table["output"]]
    table["p_positive"] = [float(np.mean(result.values[n] > 0)) for n in table["output"]]
    return table


# --------------------------------------------------------------------------- reference loop


def simulate_reference(
    a: Assumptions | None = None,
    distributions: Mapping[str, Any] | None = None,
    *,
    draws: int = 100,
    seed: int = 0,
    outputs: Iterable[str] | str | None = None,
    first: int = 0,
) -> SimulationResult:
    """The same Monte Carlo as :func:`simulate`, one :func:`core.model.run_model` per draw.

    The model's own definition, draw by draw: the reference the vectorised
    engine must equal. ``first`` starts at a later draw (so a sample of a large
    run can be checked).

    >>> v = simulate(draws=5, seed=3, outputs="npv").values["npv"]
    >>> w = simulate_reference(draws=5, seed=3, outputs="npv").values["npv"]
    >>> bool(np.allclose(v, w, rtol=1e-12, atol=1e-12))
    True
    """
    a, dists, n, s = _prepare(a, distributions, draws, seed)
    names = _outputs(outputs)
    plan = _plan(a, _max_delay_days(a, dists))
    names = _defined(plan, names, asked=outputs is not None)
    drawn = sample_inputs(dists, draws=n, seed=s, first=first)
    values: dict[str, list[float]] = {name: [] for name in names}
    for i in range(n):
        o = run_model(a.replace(**{k: float(x[i]) for k, x in drawn.items()})).outputs
        for name in names:
            value = o[name]
            values[name].append(math.nan if value is None else float(value))
    return SimulationResult(
        values={k: np.asarray(x, dtype=float) for k, x in values.items()}, inputs=drawn, draws=n, seed=s
    )

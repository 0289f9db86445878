"""The exposure's Monte Carlo: customers' revenue paths drawn at random, each provider's revenue at risk.

Each customer's revenue path (:mod:`core.exposure.funding`) is multiplied by
``exp(σ × (z_1 + … + z_t))``, a lognormal random walk with median on the
stated path; ``z`` are standard normals, correlated between customers through
the Cholesky factor of ``correlation`` (a Gaussian copula). Each draw's losses
follow the shortfall rule (:func:`core.exposure.shortfall.lost_revenue`).
Draw ``i`` comes from block ``i // BLOCK_DRAWS`` of a generator seeded with
``SeedSequence(seed, spawn_key=(block,))`` (:mod:`core.blocks`), and each block
is evaluated and summed alone, so results are bit for bit the same whatever the
chunk size, threads, or executor (a Dask cluster included). Money is in US$ billions.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np
import pandas as pd

from core.blocks import block_generator, map_tasks
from core.exposure.portfolio import DEFAULT_AS_OF_YEAR
from core.exposure.shortfall import ShortfallPlan, lost_revenue, shortfall_plan, shortfall_rule
from core.validation import MAX_DRAWS as _MAX_DRAWS
from core.validation import DealDeskInputError, check_draws, check_number

__all__ = [
    "BLOCK_DRAWS",
    "MAX_DRAWS",
    "RISK_COLUMNS",
    "ExposureResult",
    "exposure_risk",
    "simulate_exposure",
]

#: Draws per random block: the unit in which random numbers are drawn and summed.
BLOCK_DRAWS = 4_096
#: Most draws one run may ask for: the one limit of every Monte Carlo,
#: ``core.validation.MAX_DRAWS`` (raise it with the environment variable DEALDESK_MAX_DRAWS).
MAX_DRAWS = _MAX_DRAWS
#: Columns of :func:`exposure_risk` (the summary at the default percentiles 50, 95, 99).
RISK_COLUMNS = (
    "provider",
    "ai_backlog",
    "mean_at_risk",
    "p50_at_risk",
    "p95_at_risk",
    "p99_at_risk",
    "mean_share_of_backlog",
    "p_loss_above_threshold",
    "top_customer",
)


def _volatility(plan: ShortfallPlan, volatility: Mapping[str, float] | None) -> ShortfallPlan:
    """``plan`` with the customers' volatility overridden by ``volatility`` (customer -> σ)."""
    if volatility is None:
        return plan
    vol = plan.volatility.copy()
    customers = list(plan.customers)
    for name, value in dict(volatility).items():
        if name not in customers:
            raise DealDeskInputError(
                f"volatility must be given for customers of the portfolio ({', '.join(customers)}), got {name!r}"
            )
        vol[customers.index(name)] = check_number(f"volatility ({name})", value, minimum=0, maximum=5)
    return dataclasses.replace(plan, volatility=vol)


def _correlation(correlation: Any, customers: Sequence[str]) -> np.ndarray:
    k = len(customers)
    if isinstance(correlation, (int, float, np.integer, np.floating)) and not isinstance(correlation, bool):
        rho = check_number("correlation", correlation, minimum=-1.0 / max(k - 1, 1), maximum=1.0)
        matrix = np.full((k, k), rho)
        np.fill_diagonal(matrix, 1.0)
    else:
        frame = pd.DataFrame(correlation)
        try:
            matrix = frame.loc[list(customers), list(customers)].to_numpy(dtype=float)
        except (KeyError, ValueError, TypeError):
            raise DealDeskInputError(
                f"correlation must be a number or a matrix labelled by the customers ({', '.join(customers)})"
            ) from None
        if (
            not np.allclose(matrix, matrix.T)
            or not np.allclose(np.diag(matrix), 1.0)
            or np.any(np.abs(matrix) > 1)
        ):
            raise DealDeskInputError(
                "correlation matrix must be symmetric with 1 on the diagonal and entries in [-1, 1]"
            )
    # A perfectly correlated matrix is only semi-definite: nudge the diagonal so Cholesky exists.
    try:
        return np.linalg.cholesky(matrix + np.eye(k) * 1e-12)
    except np.linalg.LinAlgError:
        raise DealDeskInputError(
            "correlation must be a valid correlation matrix (positive semi-definite)"
        ) from None


def _shocked(plan: ShortfallPlan, chol: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Revenue paths for standard normals ``z`` (draws × years × customers), without BLAS.

    ``chol`` is the lower Cholesky factor of the customers' correlation (:func:`_correlation`).
    """
    k = len(plan.customers)
    log_factor = np.zeros(z.shape[:2] + (k,))
    for a in range(k):
        for b in range(a + 1):
            if chol[a, b] != 0.0:
                log_factor[:, :, a] += chol[a, b] * z[:, :, b]
    log_factor *= plan.volatility
    np.cumsum(log_factor, axis=1, out=log_factor)
    return plan.revenue[None, :, :] * np.exp(log_factor).transpose(0, 2, 1)


def _block_normals(seed: int, block: int, plan: ShortfallPlan) -> np.ndarray:
    rng = block_generator(seed, block)
    return rng.standard_normal((BLOCK_DRAWS, len(plan.years), len(plan.customers)))


def _run_block(
    plan: ShortfallPlan, chol: np.ndarray, seed: int, block: int, draws: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One block: per-draw loss by (provider, customer) pair, sum of losses by provider × year, counts."""
    first = block * BLOCK_DRAWS
    m = min(BLOCK_DRAWS, draws - first)
    z = _block_normals(seed, block, plan)[:m]
    lost = lost_revenue(plan, _shocked(plan, chol, z))
    pair_loss = np.empty((m, len(plan.pairs)))
    for j, index in enumerate(plan.pair_deals):
        pair_loss[:, j] = lost[:, index, :].sum(axis=(1, 2))
    by_year = np.empty((len(plan.providers), len(plan.years)))
    hit = np.empty((len(plan.providers), len(plan.years)), dtype=np.int64)
    for p, index in enumerate(plan.provider_deals):
        yearly = lost[:, index, :].sum(axis=1)
        by_year[p] = yearly.sum(axis=0)
        hit[p] = (yearly > 1e-12).sum(axis=0)
    return pair_loss, by_year, hit


def _run_chunk(
    plan: ShortfallPlan, chol: np.ndarray, seed: int, draws: int, blocks: Sequence[int]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Blocks ``blocks`` one after another (the unit sent to a thread or a worker)."""
    return [_run_block(plan, chol, seed, b, draws) for b in blocks]


@dataclasses.dataclass
class ExposureResult:
    """Simulated exposure: per-draw losses by (provider, customer) and sums by provider and year.

    ``pair_loss`` is draws × pairs (US$ bn over the analysis years);
    ``mean_by_year`` and ``p_loss_by_year`` are providers × years.
    """

    providers: tuple[str, ...]
    customers: tuple[str, ...]
    years: tuple[int, ...]
    pairs: tuple[tuple[int, int], ...]
    backlog: np.ndarray
    pair_backlog: np.ndarray
    pair_loss: np.ndarray
    mean_by_year: np.ndarray
    p_loss_by_year: np.ndarray
    draws: int
    seed: int
    rule: str
    threshold: float

    def provider_loss(self) -> np.ndarray:
        """Per-draw revenue at risk by provider (draws × providers, US$ bn)."""
        out = np.zeros((self.draws, len(self.providers)))
        for j, (p, _) in enumerate(self.pairs):
            out[:, p] += self.pair_loss[:, j]
        return out

    def summary(self, percentiles: Iterable[float] = (50, 95, 99)) -> pd.DataFrame:
        """Per provider: AI backlog, revenue at risk (mean, percentiles), P(loss > threshold), top customer."""
        pcts = [float(p) for p in percentiles]
        loss = self.provider_loss()
        drivers = self.drivers()
        rows = []
        for p, name in enumerate(self.providers):
            x = loss[:, p]
            backlog = float(self.backlog[p])
            q = np.percentile(x, pcts) if pcts else []
            mine = drivers[drivers["provider"] == name].sort_values("mean_loss", ascending=False)
            top = mine["customer"].iloc[0] if not mine.empty and mine["mean_loss"].iloc[0] > 0 else ""
            rows.append(
                [
                    name,
                    backlog,
                    float(x.mean()),
                    *map(float, q),
                    float(x.mean()) / backlog if backlog > 0 else 0.0,
                    float(np.mean(x > self.threshold * backlog)),
                    top,
                ]
            )
        cols = [
            "provider",
            "ai_backlog",
            "mean_at_risk",
            *[f"p{p:g}_at_risk" for p in pcts],
            "mean_share_of_backlog",
            "p_loss_above_threshold",
            "top_customer",
        ]
        return pd.DataFrame(rows, columns=cols)

    def by_year(self) -> pd.DataFrame:
        """Mean revenue lost by provider and year (US$ bn), and the share of draws with a loss."""
        y = len(self.years)
        return pd.DataFrame(
            {
                "provider": np.repeat(self.providers, y),
                "year": np.tile(self.years, len(self.providers)),
                "lost": self.mean_by_year.ravel(),
                "p_loss": self.p_loss_by_year.ravel(),
            }
        )

    def drivers(self, tail: float = 95.0) -> pd.DataFrame:
        """Per provider and customer: backlog, mean loss, its share of the provider's mean loss, and its
        share of the provider's loss in the tail (the draws where the provider loses at least its
        ``tail`` percentile, and more than nothing)."""
        means = self.pair_loss.mean(axis=0) if self.draws else np.zeros(len(self.pairs))
        loss = self.provider_loss()
        totals = np.zeros(len(self.providers))
        for j, (p, _) in enumerate(self.pairs):
            totals[p] += means[j]
        rows = []
        for j, (p, c) in enumerate(self.pairs):
            cut = np.percentile(loss[:, p], tail)
            in_tail = (loss[:, p] >= cut) & (loss[:, p] > 0)
            tail_total = loss[in_tail, p].sum()
            rows.append(
                (
                    self.providers[p],
                    self.customers[c],
                    float(self.pair_backlog[j]),
                    float(means[j]),
                    float(means[j] / totals[p]) if totals[p] > 0 else 0.0,
                    float(self.pair_loss[in_tail, j].sum() / tail_total) if tail_total > 0 else 0.0,
                )
            )
        columns = ["provider", "customer", "backlog", "mean_loss", "share_of_loss", "share_of_tail_loss"]
        return pd.DataFrame(rows, columns=columns)


def simulate_exposure(
    portfolio: Any = None,
    *,
    customers: Iterable[str] | str | None = None,
    rule: str = "pro_rata",
    priority: Sequence[str] | None = None,
    funding: Any = None,
    terms: Any = None,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
    draws: int = 10_000,
    seed: int = 0,
    volatility: Mapping[str, float] | None = None,
    correlation: Any = 0.0,
    threshold: float = 0.10,
    chunk_size: int = 16 * BLOCK_DRAWS,
    workers: int | None = None,
    executor: Executor | None = None,
) -> ExposureResult:
    """Monte Carlo over customers' revenue paths: each provider's revenue at risk.

    Parameters
    ----------
    portfolio : DataFrame or list of mappings, optional
        Contracts; default :func:`~core.exposure.portfolio.exposure_portfolio` (the library's).
    customers : str or list of str, keyword-only
        Without ``portfolio``: the library's contracts of these customers (default all).
    rule, priority, funding, terms, as_of_year : keyword-only
        As in :func:`~core.exposure.shortfall.shortfall_losses`.
    draws : int, keyword-only
        Number of draws, 1 to ``MAX_DRAWS`` (2,000,000, the limit of every Monte Carlo;
        the environment variable DEALDESK_MAX_DRAWS raises it).
    seed : int, keyword-only
        Seed (>= 0); the same seed gives the same numbers whatever
        ``chunk_size``, ``workers`` or ``executor``.
    volatility : mapping, keyword-only
        Customer -> σ of yearly log revenue growth (fraction), overriding
        ``terms``.
    correlation : float or DataFrame, keyword-only
        Correlation of customers' growth shocks: one number for every pair,
        or a matrix labelled by customer (default 0, independent).
    threshold : float, keyword-only
        Loss as a share of the provider's AI backlog for
        ``p_loss_above_threshold`` (default 0.10).
    chunk_size : int, keyword-only
        Draws per task, rounded up to whole blocks of ``BLOCK_DRAWS``.
    workers : int, keyword-only
        Threads when no ``executor`` is given (default the CPUs, at most 4).
    executor : concurrent.futures.Executor, keyword-only
        Runs the chunks instead (for example a Dask client's
        ``get_executor()``); its ``map`` must return results in order.

    Returns
    -------
    ExposureResult

    Examples
    --------
    >>> r = simulate_exposure(draws=2_000, seed=1)
    >>> s = r.summary().set_index("provider")
    >>> bool(s.loc["Oracle", "mean_at_risk"] >= 0), s.loc["Oracle", "top_customer"]
    (True, 'OpenAI')
    """
    n = check_draws("draws", draws)  # before any work: the limit bounds the time and memory
    name, order = shortfall_rule(rule, priority)
    plan = shortfall_plan(
        portfolio,
        customers=customers,
        funding=funding,
        terms=terms,
        rule=name,
        priority=order,
        as_of_year=as_of_year,
    )
    plan = _volatility(plan, volatility)
    chol = _correlation(correlation, plan.customers)
    s = int(check_number("seed", seed, minimum=0, maximum=2**63 - 1, integer=True))
    x = check_number("threshold", threshold, minimum=0, maximum=1)
    chunk = int(check_number("chunk_size", chunk_size, minimum=1, integer=True))
    per_task = max(1, math.ceil(chunk / BLOCK_DRAWS))
    blocks = list(range(math.ceil(n / BLOCK_DRAWS)))
    tasks = [blocks[i : i + per_task] for i in range(0, len(blocks), per_task)]
    run = functools.partial(_run_chunk, plan, chol, s, n)
    results = map_tasks(run, tasks, workers=workers, executor=executor)
    parts = [part for chunk_result in results for part in chunk_result]
    pair_loss = np.concatenate([p[0] for p in parts], axis=0)
    sums = np.stack([p[1] for p in parts]).sum(axis=0)
    hits = np.stack([p[2] for p in parts]).sum(axis=0)
    pair_backlog = np.array([plan.deal_backlog[index].sum() for index in plan.pair_deals])
    return ExposureResult(
        providers=plan.providers,
        customers=plan.customers,
        years=plan.years,
        pairs=plan.pairs,
        backlog=plan.backlog,
        pair_backlog=pair_backlog,
        pair_loss=pair_loss,
        mean_by_year=sums / n,
        p_loss_by_year=hits / n,
        draws=n,
        seed=s,
        rule=name,
        threshold=x,
    )


def exposure_risk(
    customers: Iterable[str] | str | None = None,
    *,
    rule: str = "pro_rata",
    priority: Sequence[str] | None = None,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
    draws: int = 10_000,
    seed: int = 0,
    threshold: float = 0.10,
    correlation: float = 0.0,
) -> pd.DataFrame:
    """Simulated revenue at risk of the library's providers, one row per provider (the spreadsheet's table).

    Runs :func:`simulate_exposure` on the library's contracts of ``customers``
    (default all) and returns :meth:`ExposureResult.summary`: ``ai_backlog``,
    ``mean_at_risk``, ``p50_at_risk``, ``p95_at_risk``, ``p99_at_risk`` (US$ bn),
    ``mean_share_of_backlog``, ``p_loss_above_threshold`` and ``top_customer``.

    >>> t = exposure_risk("OpenAI", draws=1_000, seed=3)
    >>> t["provider"].tolist(), tuple(t.columns) == RISK_COLUMNS
    (['Amazon (AWS)', 'Microsoft (Azure)', 'Oracle', 'CoreWeave'], True)
    """
    # A sheet asks for many cells of one table: one simulation per set of arguments.
    key = (
        _hashable(customers),
        rule,
        _hashable(priority),
        as_of_year,
        draws,
        seed,
        threshold,
        correlation,
    )
    try:
        hash(key)
    except TypeError:
        return _risk_table(*key)
    return _cached_risk_table(*key).copy()


def _hashable(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return tuple(value) if isinstance(value, Iterable) else value


def _risk_table(
    customers: Any,
    rule: Any,
    priority: Any,
    as_of_year: Any,
    draws: Any,
    seed: Any,
    threshold: Any,
    correlation: Any,
) -> pd.DataFrame:
    result = simulate_exposure(
        customers=customers,
        rule=rule,
        priority=priority,
        as_of_year=as_of_year,
        draws=draws,
        seed=seed,
        threshold=threshold,
        correlation=correlation,
    )
    return result.summary()


_cached_risk_table = functools.lru_cache(maxsize=8)(_risk_table)

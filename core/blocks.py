"""Monte Carlo blocks: the seeding and the thread (or executor) map both simulations share.

The model's Monte Carlo (:mod:`core.simulation`) and the exposure's
(:mod:`core.exposure.montecarlo`) draw their random numbers in fixed blocks, each
from its own generator ``Generator(PCG64(SeedSequence(seed, spawn_key=key)))``,
so a draw's value depends only on the seed and its block's key, never on the
chunk size, the threads or the executor that evaluate it. Chunks of blocks run
one after another, on threads, or on any ``concurrent.futures.Executor``
(a Dask client's included), with results in task order.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from core.validation import check_number

__all__ = ["block_generator", "default_workers", "map_tasks", "worker_count"]

_T = TypeVar("_T")
_R = TypeVar("_R")


def block_generator(seed: int, *key: int) -> np.random.Generator:
    """The generator of one block: ``seed`` (>= 0) and the block's ``key`` (spawn key), nothing else.

    The same seed and key give the same numbers; a different key gives an
    independent stream.

    >>> a = block_generator(7, 0, 3).standard_normal(2)
    >>> bool((a == block_generator(7, 0, 3).standard_normal(2)).all())
    True
    >>> bool((a == block_generator(7, 0, 4).standard_normal(2)).any())
    False
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def default_workers() -> int:
    """CPUs to use by default: at most 4, and 1 where threads cannot start (Pyodide)."""
    if sys.platform == "emscripten":
        return 1
    return min(os.cpu_count() or 1, 4)


def worker_count(workers: int | None) -> int:
    """Threads to use: ``workers`` (1 to 64) or, when None, :func:`default_workers`.

    >>> worker_count(2)
    2
    >>> worker_count(0)
    Traceback (most recent call last):
    core.validation.DealDeskInputError: workers must be a number >= 1 and <= 64, got 0
    """
    if workers is None:
        return default_workers()
    return int(check_number("workers", workers, minimum=1, maximum=64, integer=True))


def map_tasks(
    run: Callable[[_T], _R],
    tasks: Sequence[_T],
    *,
    workers: int | None = None,
    executor: Executor | None = None,
) -> list[_R]:
    """``run`` over ``tasks``, results in task order: on ``executor`` when given, else on
    :func:`worker_count` threads (in this thread when that is 1 or there is one task).

    >>> map_tasks(lambda x: x * x, [1, 2, 3], workers=2)
    [1, 4, 9]
    """
    if executor is not None:
        return list(executor.map(run, tasks))
    threads = worker_count(workers)
    if threads == 1 or len(tasks) == 1:
        return [run(t) for t in tasks]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, tasks))

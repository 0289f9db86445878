"""Where the DEAL functions run in ``dealdesk serve``: bounded thread pools, off the event loop.

xlwings Server calls a plain custom function on its event loop, so one call of
several seconds (``DEAL.EXPOSURE_RISK`` with two million draws) held every
other request: ``GET /`` waited 5.7 s and six such calls ran one after
another. Here each function is handed to xlwings as an async one that runs on
a :class:`CallPool` of ``CALL_THREADS`` threads (DEALDESK_CALL_THREADS), with
at most ``MAX_QUEUED_CALLS`` more calls waiting (DEALDESK_MAX_QUEUED_CALLS);
a call beyond that is a 503 the add-in retries. Heavy functions (Monte Carlo:
those that take ``draws``; grids: ``DEAL.SENSITIVITY`` and ``DEAL.TORNADO``, up to
``core.scenarios.MAX_MODEL_RUNS`` model runs each) have a pool of their own
(:class:`CallLanes`), so a light call never waits behind them.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from core.validation import limit

__all__ = [
    "CALL_THREADS",
    "MAX_QUEUED_CALLS",
    "Busy",
    "CallLanes",
    "CallPool",
    "MANY_RUNS",
    "is_heavy",
    "off_the_loop",
]

#: Threads that run DEAL functions, per pool (DEALDESK_CALL_THREADS).
CALL_THREADS = 2
#: Calls that may wait for a thread, per pool (DEALDESK_MAX_QUEUED_CALLS); one more is a 503.
MAX_QUEUED_CALLS = 32


class Busy(Exception):
    """Every thread is busy and the queue is full."""


class CallPool:
    """A bounded pool of threads for the custom functions.

    ``threads`` calls run at once and ``queued`` more wait; :meth:`run` raises
    :class:`Busy` beyond that. A call holds its place until its thread is done,
    even if the client went away, so the bound holds for the work really done.
    """

    def __init__(self, threads: int | None = None, queued: int | None = None) -> None:
        self.threads = threads if threads is not None else limit("CALL_THREADS", CALL_THREADS)
        waiting = queued if queued is not None else limit("MAX_QUEUED_CALLS", MAX_QUEUED_CALLS)
        self.places = self.threads + waiting
        self._executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="dealdesk-call")
        self._lock = threading.Lock()
        self._taken = 0

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``function(*args, **kwargs)`` on a pool thread (with this task's context variables)."""
        with self._lock:
            if self._taken >= self.places:
                raise Busy(f"{self._taken} calls are running or waiting")
            self._taken += 1
        context = contextvars.copy_context()
        try:
            future = self._executor.submit(context.run, functools.partial(function, *args, **kwargs))
        except BaseException:
            self._release()
            raise
        future.add_done_callback(lambda _: self._release())
        return await asyncio.wrap_future(future)

    def _release(self) -> None:
        with self._lock:
            self._taken -= 1


#: Functions that run the whole model once per cell of a grid (seconds to a minute of work).
MANY_RUNS = frozenset({"deal_sensitivity", "deal_tornado"})


def is_heavy(function: Callable[..., Any]) -> bool:
    """True for a call of seconds: Monte Carlo draws (2,000,000 at most) or a grid of model runs.

    A Monte Carlo function takes ``draws``; a grid function is in :data:`MANY_RUNS`
    (two ``DEAL.SENSITIVITY`` grids of IRRs, 144 runs each, made a ``DEAL.SCHEDULE``
    call wait 38 s when they shared its pool).
    """
    if getattr(function, "__name__", "") in MANY_RUNS:
        return True
    try:
        return "draws" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


class CallLanes:
    """Two :class:`CallPool` of the same size: one for heavy calls (:func:`is_heavy`), one for the others.

    A Monte Carlo call (``DEAL.SIMULATE``, ``DEAL.EXPOSURE_RISK``: a ``draws``
    argument) takes seconds; sharing one pool, six of them made a
    ``DEAL.SCHEDULE`` call wait 34 s. On its own lane a light call waits only
    for light calls.
    """

    def __init__(self, threads: int | None = None, queued: int | None = None) -> None:
        self.heavy = CallPool(threads, queued)
        self.other = CallPool(threads, queued)

    def pool_for(self, function: Callable[..., Any]) -> CallPool:
        return self.heavy if is_heavy(function) else self.other


class _OffTheLoop:
    """A custom-functions module whose plain functions run on :class:`CallLanes` (everything else as is)."""

    def __init__(self, module: Any, lanes: CallLanes) -> None:
        self._module, self._lanes = module, lanes

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._module, name)
        if (
            not callable(attr)
            or not hasattr(attr, "__xlfunc__")
            or inspect.iscoroutinefunction(attr)
            or inspect.isasyncgenfunction(attr)
        ):
            return attr
        pool = self._lanes.pool_for(attr)

        @functools.wraps(attr)  # keeps __xlfunc__ and the signature xlwings reads
        async def offloaded(*args: Any, **kwargs: Any) -> Any:
            return await pool.run(attr, *args, **kwargs)

        return offloaded


def off_the_loop(module: Any, lanes: CallLanes) -> Any:
    """``module`` as xlwings reads it, each custom function an async one that runs on its lane's pool.

    xlwings awaits an async custom function; a plain one it calls on the event
    loop, where a call of several seconds stopped every other request.
    """
    return _OffTheLoop(module, lanes)

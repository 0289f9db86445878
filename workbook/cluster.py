"""Dask scale-out for the exposure Monte Carlo (optional extra: ``pip install .[dask]``).

:func:`core.exposure.simulate_exposure` takes any ``concurrent.futures``
executor; this module opens one on a Dask cluster: an existing scheduler
(``address``, e.g. ``tcp://10.0.0.5:8786``) or a local cluster of ``workers``
processes on the loopback interface. Chunks of draws go to the workers; the
numbers are bit for bit those of a local run with the same seed, since each
block of draws has its own seed and is summed alone.

The core never imports Dask; only this module does, when it is called.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Executor

from core.validation import DealDeskInputError, check_number

__all__ = ["dask_executor", "dask_available"]


def dask_available() -> bool:
    """True when ``dask.distributed`` can be imported (the ``dask`` extra is installed)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def dask_executor(
    *, address: str | None = None, workers: int | None = None, processes: bool = True
) -> Iterator[Executor]:
    """An executor that runs tasks on a Dask cluster; the cluster it started is closed on exit.

    Parameters
    ----------
    address : str, keyword-only
        Scheduler address of a running cluster (``tcp://host:8786``).
    workers : int, keyword-only
        Otherwise: start a local cluster of this many workers (1 thread each)
        on 127.0.0.1, without a dashboard.
    processes : bool, keyword-only
        Local cluster workers as processes (default) or as threads of this
        process (quicker to start; used by the tests).

    Raises
    ------
    DealDeskInputError
        Neither or both of ``address`` and ``workers``, a bad worker count, or
        Dask not installed (the message says which extra to install).
    """
    if (address is None) == (workers is None):
        raise DealDeskInputError(
            "give exactly one of address (a Dask scheduler) or workers (a local cluster)"
        )
    if not dask_available():
        raise DealDeskInputError("the Dask scale-out needs the dask extra: pip install 'dealdesk[dask]'")
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    if address is not None:
        if not isinstance(address, str) or not address.strip():
            raise DealDeskInputError(
                f"address must be a Dask scheduler address such as tcp://host:8786, got {address!r}"
            )
        with Client(address.strip(), timeout=30) as client:
            yield client.get_executor()
        return
    n = int(check_number("workers", workers, minimum=1, maximum=256, integer=True))
    # The workers' scratch space is ours, removed however the run ends (Dask's default,
    # <tmp>/dask-scratch-space, stayed behind); the workers ignore Ctrl+C, which reaches the
    # whole process group: this process stops them itself (each used to print a traceback).
    import dask

    scratch = tempfile.mkdtemp(prefix="dealdesk-dask-")
    try:
        with dask.config.set({"temporary-directory": scratch}), _workers_ignore_ctrl_c():
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=processes,
                protocol="tcp",  # also for thread workers, so they too listen on the loopback
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # a worker losing the scheduler as a run stops logs an ERROR
                local_directory=scratch,
            )
        with cluster, Client(cluster) as client:
            yield client.get_executor()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Ignore SIGINT while worker processes start, so they inherit that (an ignored signal stays
    ignored across exec); this process's own Ctrl+C handling comes back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)

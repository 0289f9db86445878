"""core.blocks: the seeding and the thread (or executor) map both Monte Carlos share."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from core import blocks
from core.validation import DealDeskInputError


def test_pyodide_runs_single_threaded(monkeypatch):
    # xlwings Lite runs Python in Pyodide (sys.platform "emscripten"), which cannot start threads.
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert blocks.default_workers() == 1
    monkeypatch.setattr(sys, "platform", "linux")
    assert 1 <= blocks.default_workers() <= 4


def test_a_block_is_numpys_generator_for_the_seed_and_its_key():
    # The documented seeding, written out with numpy: PCG64 of SeedSequence(seed, spawn_key=key).
    expected = np.random.Generator(np.random.PCG64(np.random.SeedSequence(5, spawn_key=(2, 9))))
    assert np.array_equal(blocks.block_generator(5, 2, 9).random(8), expected.random(8))


def test_worker_count_bounds():
    # Rule: 1 to 64 threads; None means the default.
    assert blocks.worker_count(1) == 1 and blocks.worker_count(64) == 64
    for bad in (0, 65):
        with pytest.raises(
            DealDeskInputError, match=rf"^workers must be a number >= 1 and <= 64, got {bad}$"
        ):
            blocks.worker_count(bad)
    with pytest.raises(DealDeskInputError, match=r"^workers must be a whole number, got 1.5$"):
        blocks.worker_count(1.5)
    assert blocks.worker_count(None) == blocks.default_workers()


def test_map_tasks_keeps_task_order_on_threads_and_on_an_executor():
    seen: set[str] = set()

    def square(x: int) -> int:
        seen.add(threading.current_thread().name)
        return x * x

    tasks = list(range(20))
    expected = [x * x for x in tasks]
    assert blocks.map_tasks(square, tasks, workers=1) == expected
    assert seen == {threading.current_thread().name}  # one worker: in this thread
    assert blocks.map_tasks(square, tasks, workers=3) == expected
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert blocks.map_tasks(square, tasks, workers=0, executor=pool) == expected  # workers unused

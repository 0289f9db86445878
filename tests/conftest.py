"""Test-wide settings.

Property tests explore new examples on a developer's machine (random seed,
example database kept) but are reproducible in CI: when the ``CI``
environment variable is set, hypothesis runs derandomized (the same examples
every run) and keeps no example database. Every bug a property test found is
pinned as an explicit ``@example`` next to the property, so CI checks it on
every run whatever the profile.
"""

from __future__ import annotations

import pytest
from hypothesis import settings

from tests.ci import IN_CI, skip_unless_ci

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if IN_CI else "dev")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "requires(available, reason): skip locally when a tool is missing, fail in CI (CI installs it)",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers(name="requires"):
        available, reason = mark.args
        if not available:
            skip_unless_ci(reason)

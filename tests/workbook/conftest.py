"""Shared fixtures of the workbook tests.

The template is compiled by the formula engine once per test session: the
first evaluation compiles it (``template_evaluation``), and every later
evaluation of the template or of a copy with other inputs typed in reuses
that compiled model (``workbook.evaluate`` keeps it, keyed on the workbook's
structure).
"""

from __future__ import annotations

import pytest

from workbook.evaluate import Evaluation, evaluate_workbook
from workbook.template import DEFAULT_TEMPLATE


@pytest.fixture(scope="session")
def template_evaluation() -> Evaluation:
    """The committed template evaluated with its own inputs (compiled once for the session)."""
    return evaluate_workbook(DEFAULT_TEMPLATE)

"""One world, the DEAL functions' side: called as Office.js calls them, they give the figures the
model, exposure and the template give (``tests/workbook/test_one_world.py``)."""

from __future__ import annotations

import pytest

from tests.addin.officejs import call, cell
from tests.core.exposure.cases import AWS_OPENAI

REL = 1e-9


def test_deal_exposure_shows_awss_openai_backlog_as_the_report_does():
    # $38B booked at signing less the 59 days of ramp revenue recognised in 2025, plus the $62B expansion
    # (cases.py, by hand).
    table = call("deal_exposure", cell(2026))
    aws = next(r for r in table[1:] if r[0] == "Amazon (AWS)")
    assert aws[table[0].index("OpenAI")] == pytest.approx(AWS_OPENAI, rel=REL)


def test_deal_counterparty_gives_openais_2027_revenue_on_its_one_path():
    expected = 13.1 * (280 / 13.1) ** (2 / 5)  # $13.1B (2025) to $280B (2030), geometric
    table = call("deal_counterparty", cell(13.1), cell(280), cell(2025), cell(2030))
    row = next(r for r in table[1:] if r[0] == 2027)
    assert row[table[0].index("revenue")] == pytest.approx(expected, rel=REL)

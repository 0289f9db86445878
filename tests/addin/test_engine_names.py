"""The headless formula engine finds the DEAL functions under their Excel names
even when the Office.js decorators ran (their ``__xlfunc__["name"]`` is the Python name)."""

from __future__ import annotations

import addin.functions as functions
from workbook.evaluate import deal_functions


def test_office_js_decorated_functions_keep_their_excel_names():
    # conftest sets XLWINGS_ON_SERVER, so these are the Office.js decorators' records.
    assert functions.deal_schedule.__xlfunc__["name"] == "deal_schedule"
    names = deal_functions(functions)
    assert names["DEAL.SCHEDULE"] is functions.deal_schedule
    assert names["DEAL_SCHEDULE"] is functions.deal_schedule
    assert not any(name.startswith("DEAL.DEAL_") for name in names)

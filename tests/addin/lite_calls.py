"""One valid call of every DEAL function, as Office.js sends it, for the xlwings Lite runtime tests.

Each argument is what the add-in's JavaScript posts for one cell or range (a
2-D list; an omitted optional argument ``None``). Monte Carlo calls use a few
hundred draws so the calls stay quick inside Pyodide. :func:`request` builds
the body xlwings' runtime hands to ``xlwings.server.custom_functions_call``,
:func:`expected` makes the same call on the development tree and :func:`same`
compares two results cell by cell.
"""

from __future__ import annotations

import asyncio
import importlib.util
import math
from pathlib import Path
from typing import Any

import xlwings

# The template's Inputs table for the AWS–OpenAI base case: $38B from 2025-11-03 (serial 45964), 7 years.
INPUTS = [["name", "value"], ["contract_value", 38], ["start_date", 45964], ["term_years", 7]]
START = [[45964]]

#: (Python name, arguments) for every DEAL function; the last call is refused by its rule.
CALLS: list[tuple[str, list[Any]]] = [
    ("deal_backlog", [[[38]], START, [[7]]]),
    ("deal_backlog_effect", [[[200]], [[38]]]),
    ("deal_capacity", [[[38 / 7]], [[3]], [[0.9]]]),
    ("deal_claims", [[["Microsoft–Nebius"]]]),
    ("deal_company", [[["Oracle"]], [["fiscal_year_end"]]]),
    ("deal_counterparty", [[[3.5]], [[50]], [[2025]], [[2027]]]),
    ("deal_deals", []),
    ("deal_economics", [[[38]], START, [[7]], [[20]]]),
    ("deal_event_study", [[[258.38]], [[10690216011]], [[38]], [[0.058]]]),
    ("deal_exposure", [[[2026]]]),
    ("deal_exposure_risk", [[["seniority"]], None, [[400]], [[1]]]),
    (
        "deal_hedge_ratio",
        [[[0.01], [-0.02], [0.015], [0.003], [-0.007]], [[0.012], [-0.018], [0.02], [0.001], [-0.01]]],
    ),
    ("deal_margin_bridge", [[[130]], [[0.35]], [[5.4]], [[0.15]]]),
    ("deal_margin_by_period", [[[0.88], [5.42], [5.42]], [[107.6]], [[0.37]], [[0.15]]]),
    ("deal_npv_irr", [[[38]], START, [[7]], [[20]], [[0.09]]]),
    ("deal_output", [INPUTS, [["npv"]]]),
    ("deal_outputs", [INPUTS]),
    ("deal_pair_legs", [[[100]], [["beta"]], [["long"]], [[0.9]], [[1.5]]]),
    ("deal_pair_pnl", [[[100]], [[100]], [[-0.15]], [[0.9]], [[1.5]]]),
    ("deal_portfolio", [[["OpenAI"]]]),
    ("deal_profile_weights", [START, [[7]]]),
    ("deal_rpo", [[[38]], START, [[7]], [[46022]]]),
    ("deal_scenario", [INPUTS, [["bear"]], [["margin_bps_peak"]]]),
    ("deal_schedule", [[[38]], START, [[7]]]),
    (
        "deal_sensitivity",
        [INPUTS, [["npv"]], [["price_per_gpu_hour"]], [[2], [2.68]], [["realisation"]], [[0.9, 1]]],
    ),
    ("deal_simulate", [INPUTS, None, [[400]], [[3]]]),
    ("deal_solve", [[["margin_bps_year2"]], [[-50]], [["price_per_gpu_hour"]], INPUTS]),
    ("deal_sotp", [[["AWS", 1125], ["Rest", 1500]], [[50]]]),
    # Full run-rate at 2026-12-31 (serial 46387).
    ("deal_straightline_gap", [[[38]], START, [[7]], [["linear"]], None, None, None, None, None, [[46387]]]),
    ("deal_table", [INPUTS, [["base"]], [["economics"]], [[2026]], [["deal_margin"]]]),
    ("deal_threshold", [[[2762.14]], [[3000]], [[0.05]], [[2025]], [[2027]]]),
    ("deal_tornado", [INPUTS, [["npv"]]]),
    ("deal_watch", [[["AWS–OpenAI"]], [["2026-02-05"]]]),
    ("deal_schedule", [[[38]], START, [[0]]]),
]
#: The refusal the last call gets, as the cell's error flag shows it.
REFUSAL = "DEAL.SCHEDULE: term_years must be a number > 0 and <= 100, got 0.0"
#: The functions that read the template's two-column Inputs range (they build an Assumptions).
INPUTS_FUNCTIONS = {name for name, args in CALLS if args and args[0] is INPUTS}


def request(name: str, args: list[Any]) -> dict[str, Any]:
    """The body the add-in's JavaScript posts for one cell (runtime 1.2: dates as plain serials)."""
    return {
        "func_name": name,
        "args": args,
        "version": xlwings.__version__,
        "client": "Office.js",
        "runtime": "1.2",
        "culture_info_name": "en-US",
        "date_format": "m/d/yyyy",
        "caller_address": "Sheet1!A1",
    }


def expected(name: str, args: list[Any]) -> dict[str, Any]:
    """The same call on the development tree through the same xlwings function: ``{"value"}`` or ``{"error"}``."""
    from xlwings.server import custom_functions_call  # licensed part: the tests' noncommercial key

    from tests.addin.officejs import MODULE

    try:
        return {"value": asyncio.run(custom_functions_call(request(name, args), MODULE))}
    except Exception as error:
        return {"error": str(error)}


def wasm_runtime_folder() -> Path:
    """xlwings Server's ``wasm`` folder (``wasm_runtime.py``, ``config.py``): the server extra installs it."""
    spec = importlib.util.find_spec("xlwings_server")
    assert spec is not None and spec.origin, "xlwings Server is needed: pip install -e '.[server]'"
    return Path(spec.origin).parent / "wasm"


def same(a: Any, b: Any, *, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    """Equal cell by cell; numbers within ``rel`` (relative) or ``abs_`` (absolute)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, rel=rel, abs_=abs_) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], rel=rel, abs_=abs_) for k in a)
    numbers = (int, float)
    if (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
    return a == b

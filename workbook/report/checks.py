"""Identities every report run must satisfy, each PASS or FAIL (shown on the Checks sheet and the summary)."""

from __future__ import annotations

import math

import pandas as pd

from core.assumptions import Assumptions
from core.model import ModelResult

__all__ = ["TOLERANCE", "failed_count", "report_checks"]

#: Relative tolerance of every check.
TOLERANCE = 1e-9


def _close(a: float, b: float) -> bool:
    """Equal within ``TOLERANCE``; an infinite or NaN figure is never close (inf − inf is no match)."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def report_checks(result: ModelResult) -> pd.DataFrame:
    """Identities a model run must satisfy, each with the figures compared and PASS/FAIL.

    Returns a DataFrame with ``check``, ``expected``, ``actual``, ``difference``
    and ``result`` (``"PASS"`` or ``"FAIL"``); the comparisons use a relative
    tolerance of 1e-9.

    >>> from core.model import run_model
    >>> report_checks(run_model())["result"].eq("PASS").all()
    np.True_
    """
    a = result.assumptions
    rows: list[tuple[str, float, float]] = []
    gap = result.tables.get("gap")
    if gap is not None and {"straight", "ramp"} <= set(gap.columns):
        rows.append(
            ("Straight line sums to the contract value", a.contract_value, float(gap["straight"].sum()))
        )
        if a.delay_mode != "forfeit" or a.delay_days == 0:
            rows.append(
                (
                    "Ramp sums to contract value × realisation",
                    a.contract_value * a.realisation,
                    float(gap["ramp"].sum()),
                )
            )
    schedule = result.tables.get("schedule")
    if schedule is not None and gap is not None and "revenue" in schedule.columns:
        rows.append(
            (
                "Schedule total equals the ramp total",
                float(gap["ramp"].sum()),
                float(schedule["revenue"].sum()),
            )
        )
    backlog = result.tables.get("backlog")
    roll = ("beginning", "bookings", "recognised", "derecognised", "ending")
    if backlog is not None and set(roll) <= set(backlog.columns) and len(backlog):
        moved = backlog["beginning"] + backlog["bookings"] - backlog["recognised"] - backlog["derecognised"]
        worst = float((moved - backlog["ending"]).abs().max(skipna=False))  # a NaN break is a break
        rows.append(("Backlog rolls forward (largest break)", 0.0, worst))
        rows.append(("Backlog ends at zero", 0.0, float(backlog["ending"].iloc[-1])))
        if len(backlog) > 1:
            carried = float(
                (backlog["beginning"].iloc[1:].to_numpy() - backlog["ending"].iloc[:-1].to_numpy())
                .__abs__()
                .max()
            )
            rows.append(("Each period begins where the last ended (largest break)", 0.0, carried))
    # None is the model's "no value" for a few figures (a payback year that never comes); it
    # shows as n/a. NaN, an infinity or a non-number is an error.
    numbers = sum(
        1 for v in result.outputs.values() if v is None or (isinstance(v, (int, float)) and math.isfinite(v))
    )
    rows.append(("Every key figure is a number (or n/a)", float(len(result.outputs)), float(numbers)))
    round_trip = Assumptions.from_pairs(a.to_pairs()) == a
    rows.append(("Assumptions read back unchanged from name/value pairs", 1.0, 1.0 if round_trip else 0.0))
    table = pd.DataFrame(rows, columns=["check", "expected", "actual"])
    table["difference"] = table["actual"] - table["expected"]
    table["result"] = [
        "PASS" if _close(e, x) else "FAIL" for e, x in zip(table["expected"], table["actual"], strict=True)
    ]
    return table


def failed_count(checks: pd.DataFrame) -> int:
    """How many checks of :func:`report_checks` did not pass.

    >>> from core.model import run_model
    >>> failed_count(report_checks(run_model()))
    0
    """
    return int((checks["result"] != "PASS").sum())

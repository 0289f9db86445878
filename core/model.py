"""The whole model: one set of assumptions in, every key figure and table out.

``run_model(a)`` composes the topic modules (schedule, backlog, margin,
capacity, economics, counterparty, valuation, pairs) on one
:class:`~core.assumptions.Assumptions` and returns a :class:`ModelResult`:
named scalar key figures in ``outputs`` (described once in ``OUTPUTS``) and
the tables behind them in ``tables``. ``model_output(a, name)`` answers one
figure by name, which is what the spreadsheet's ``DEAL.OUTPUT`` asks for.

Composition choices, stated once:

* The straight line is the headline view: contract value ÷ term, by actual
  days, no realisation discount and no delay. The ramp is the modelled
  schedule (profile, realisation, delay). Both are laid on fiscal years of
  the provider (``fiscal_year_end``); "year 1" is the fiscal year holding the
  signing date (FY2025 for the reference deal, a 59-day stub) and "year 2"
  the next one (FY2026, the first full year).
* Growth contribution in percentage points is the change in deal revenue
  from the prior fiscal year ÷ the provider's base revenue × 100.

Number-format hints in ``OutputSpec.fmt`` (the template and reports map
them to cell formats): ``usd_bn`` money in US$ billions, ``usd`` money per
unit in US dollars, ``pct`` a fraction shown as a percent, ``pp``
percentage points, ``bps`` basis points, ``count`` a whole count, ``mw``
megawatts, ``twh`` terawatt-hours, ``year`` a calendar or fiscal year,
``ratio`` a plain multiple, ``flag`` 1 (true) or 0 (false).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from core.assumptions import Assumptions
from core.schedule import contract_schedule, near_term_overstatement, straightline_gap
from core.validation import DealDeskInputError

__all__ = [
    "FORMAT_HINTS",
    "OUTPUTS",
    "OutputSpec",
    "ModelResult",
    "check_output_name",
    "output_names",
    "profile_params",
    "run_model",
    "model_output",
]

#: The number-format hints an output may carry.
FORMAT_HINTS = ("usd_bn", "usd", "pct", "pp", "bps", "count", "mw", "twh", "year", "ratio", "flag")


@dataclasses.dataclass(frozen=True)
class OutputSpec:
    """Description of one named key figure of the model.

    ``fmt`` is one of ``FORMAT_HINTS``; ``group`` names the topic (the part
    of the brief) that computes it.
    """

    name: str
    label: str
    unit: str
    fmt: str
    description: str
    group: str


def _out(name: str, label: str, unit: str, fmt: str, description: str, group: str) -> OutputSpec:
    assert fmt in FORMAT_HINTS, fmt
    return OutputSpec(name, label, unit, fmt, description, group)


#: Every named key figure, in the order reports show them. Names are stable:
#: new figures are added, none renamed.
OUTPUTS: tuple[OutputSpec, ...] = (
    # 1. Straight line vs ramp
    _out("straight_line_annual", "Straight-line revenue a year", "US$ bn a year", "usd_bn",
         "Contract value ÷ term: the headline view of the deal's annual revenue.", "Schedule"),
    _out("expected_revenue_total", "Expected deal revenue", "US$ bn", "usd_bn",
         "Contract value × realisation: revenue the ramp expects over the whole term.", "Schedule"),
    _out("unused_commitment", "Unused commitment", "US$ bn", "usd_bn",
         "Contract value × (1 − realisation): committed value the customer is expected not to use.",
         "Schedule"),
    _out("straight_year1", "Straight line, fiscal year 1", "US$ bn", "usd_bn",
         "Straight-line revenue in the fiscal year holding the signing date.", "Schedule"),
    _out("ramp_year1", "Ramp, fiscal year 1", "US$ bn", "usd_bn",
         "Modelled (ramp) revenue in the fiscal year holding the signing date.", "Schedule"),
    _out("straight_year2", "Straight line, fiscal year 2", "US$ bn", "usd_bn",
         "Straight-line revenue in the fiscal year after signing (the first full year).", "Schedule"),
    _out("ramp_year2", "Ramp, fiscal year 2", "US$ bn", "usd_bn",
         "Modelled (ramp) revenue in the fiscal year after signing (the first full year).", "Schedule"),
    _out("overstatement_2y", "Straight-line overstatement, 2 years", "US$ bn", "usd_bn",
         "Straight line minus ramp over the first two fiscal years.", "Schedule"),
    _out("overstatement_2y_pct", "Straight-line overstatement, 2 years, %", "fraction of ramp", "pct",
         "Two-year overstatement ÷ ramp revenue of the same two years.", "Schedule"),
    _out("growth_pp_straight_year2", "Growth contribution, straight line, year 2", "pp", "pp",
         "Change in straight-line deal revenue from year 1 to year 2 ÷ base revenue, in points.",
         "Schedule"),
    _out("growth_pp_ramp_year2", "Growth contribution, ramp, year 2", "pp", "pp",
         "Change in ramp deal revenue from year 1 to year 2 ÷ base revenue, in points.", "Schedule"),
    _out("growth_pp_gap_year2", "Growth overstatement, year 2", "pp", "pp",
         "Straight-line minus ramp growth contribution in year 2, in percentage points.", "Schedule"),
)

_OUTPUT_NAMES = tuple(spec.name for spec in OUTPUTS)


def output_names() -> tuple[str, ...]:
    """Names of every key figure, in ``OUTPUTS`` order.

    >>> output_names()[0]
    'straight_line_annual'
    """
    return _OUTPUT_NAMES


@dataclasses.dataclass(frozen=True)
class ModelResult:
    """What one model run produces.

    ``outputs`` maps every name in ``OUTPUTS`` to a float (units as described
    there); ``tables`` maps a topic (``"schedule"``, ``"gap"``, ...) to its
    DataFrame.
    """

    assumptions: Assumptions
    outputs: dict[str, float]
    tables: dict[str, pd.DataFrame]

    def output_table(self) -> pd.DataFrame:
        """The key figures as a table: name, label, value, unit, fmt (``OUTPUTS`` order)."""
        rows = [(s.name, s.label, self.outputs[s.name], s.unit, s.fmt) for s in OUTPUTS]
        return pd.DataFrame(rows, columns=["name", "label", "value", "unit", "fmt"])


def profile_params(a: Assumptions) -> dict[str, Any]:
    """Profile parameters the assumptions carry for their revenue profile.

    ``linear`` takes ``full_at`` and ``initial_rate``; ``straight``,
    ``scurve``, ``front`` and ``back`` use their defaults; ``custom`` and
    ``capacity`` need per-year weights that the assumptions do not hold.

    >>> sorted(profile_params(Assumptions()))
    ['full_at', 'initial_rate']
    """
    if a.profile == "linear":
        return {"full_at": a.full_at, "initial_rate": a.initial_rate}
    if a.profile in ("custom", "capacity"):
        raise DealDeskInputError(
            f"profile {a.profile!r} needs per-period weights, which the model inputs do not hold; "
            "use 'straight', 'linear', 'scurve', 'front' or 'back' in a model run"
        )
    return {}


def _schedule_kwargs(a: Assumptions) -> dict[str, Any]:
    return {
        "profile": a.profile,
        "fiscal_year_end": a.fiscal_year_end,
        "realisation": a.realisation,
        "delay_days": a.delay_days,
        "delay_mode": a.delay_mode,
        **profile_params(a),
    }


def _schedule_block(a: Assumptions, out: dict[str, float], tables: dict[str, pd.DataFrame]) -> None:
    kwargs = _schedule_kwargs(a)
    schedule = contract_schedule(
        a.contract_value, a.start_date, a.term_years, frequency=a.frequency, **kwargs
    )
    gap = straightline_gap(
        a.contract_value, a.start_date, a.term_years, frequency="year", base_revenue=a.base_revenue, **kwargs
    )
    tables["schedule"] = schedule
    tables["gap"] = gap
    out["straight_line_annual"] = a.contract_value / a.term_years
    out["expected_revenue_total"] = a.contract_value * a.realisation
    out["unused_commitment"] = a.contract_value * (1.0 - a.realisation)
    first_two = gap.iloc[:2]
    for i, (_, row) in enumerate(first_two.iterrows(), start=1):
        out[f"straight_year{i}"] = float(row["straight"])
        out[f"ramp_year{i}"] = float(row["ramp"])
    over = near_term_overstatement(gap, periods=2)
    out["overstatement_2y"] = float(over["gap"])
    # A ramp that earns nothing in two years (a long delay) has no finite
    # overstatement ratio; report the whole straight line as overstated (1 = 100%
    # of itself) rather than NaN.
    out["overstatement_2y_pct"] = float(over["gap_pct"]) if over["gap_pct"] is not None else 1.0
    second = gap.iloc[1]
    out["growth_pp_straight_year2"] = float(second["growth_pp_straight"])
    out["growth_pp_ramp_year2"] = float(second["growth_pp_ramp"])
    out["growth_pp_gap_year2"] = float(second["growth_pp_gap"])


def run_model(a: Assumptions | None = None) -> ModelResult:
    """Run the whole model on one set of assumptions.

    Parameters
    ----------
    a : Assumptions, optional
        The inputs; defaults reproduce the AWS–OpenAI base case.

    Returns
    -------
    ModelResult
        ``outputs`` (every ``OUTPUTS`` name -> float) and ``tables``.

    Examples
    --------
    The $38B, 7-year deal read as a straight line is about $5.43B a year:

    >>> r = run_model()
    >>> round(r.outputs["straight_line_annual"], 2)
    5.43
    """
    a = Assumptions() if a is None else a
    if not isinstance(a, Assumptions):
        raise DealDeskInputError(f"a must be an Assumptions, got {type(a).__name__}")
    outputs: dict[str, float] = {}
    tables: dict[str, pd.DataFrame] = {}
    _schedule_block(a, outputs, tables)
    ordered = {name: float(outputs[name]) for name in _OUTPUT_NAMES}
    return ModelResult(assumptions=a, outputs=ordered, tables=tables)


def check_output_name(name: Any) -> str:
    """Return ``name`` if it is a key figure of the model, else raise listing the valid names."""
    if not isinstance(name, str) or name.strip() not in _OUTPUT_NAMES:
        raise DealDeskInputError(
            f"output must be one of {', '.join(_OUTPUT_NAMES)}; got {name!r}"
        )
    return name.strip()


def model_output(a: Assumptions | None, name: str) -> float:
    """One key figure of the model, by name.

    Raises
    ------
    DealDeskInputError
        ``name`` is not in ``OUTPUTS``; the message lists the valid names.

    Examples
    --------
    How much of the first two fiscal years the straight line overstates (US$ bn):

    >>> round(model_output(None, "overstatement_2y"), 2)
    3.12
    """
    key = check_output_name(name)
    return run_model(a).outputs[key]

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
from core.backlog import backlog_effect, backlog_rollforward, current_rpo
from core.margin import margin_by_period
from core.schedule import contract_schedule, near_term_overstatement, profile_weights, straightline_gap
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
    "staged_tranches",
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
    # 2. Margin
    _out("margin_bps_year2", "Margin change, first full year", "bps", "bps",
         "Change of the provider's operating margin caused by the deal in fiscal year 2 (mix effect; "
         "negative = dilution).", "Margin"),
    _out("margin_bps_peak", "Margin change, peak", "bps", "bps",
         "The largest change (by size, with its sign) of the provider's margin in any fiscal year.",
         "Margin"),
    _out("blended_margin_year2", "Blended margin, first full year", "fraction", "pct",
         "Provider operating margin with the deal in fiscal year 2.", "Margin"),
    # 4. Backlog
    _out("backlog_added", "Backlog added at the first quarter end", "US$ bn", "usd_bn",
         "Contract value booked into backlog (RPO) by the end of the signing quarter.", "Backlog"),
    _out("backlog_after_deal", "Backlog after the deal", "US$ bn", "usd_bn",
         "Reported backlog before the deal plus the backlog the deal adds.", "Backlog"),
    _out("backlog_increase_pct", "Backlog increase", "fraction", "pct",
         "Backlog added ÷ reported backlog before the deal.", "Backlog"),
    _out("backlog_deal_share", "Deal share of backlog", "fraction", "pct",
         "Backlog added ÷ backlog after the deal: the customer concentration.", "Backlog"),
    _out("current_rpo", "Current RPO at the first quarter end", "US$ bn", "usd_bn",
         "Contractual revenue of the deal scheduled in the 12 months after the signing quarter's end.",
         "Backlog"),
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


def _margin_block(a: Assumptions, out: dict[str, float], tables: dict[str, pd.DataFrame]) -> None:
    # The deal's ramp revenue by fiscal year against a flat base revenue (the
    # provider's last reported year): the mix effect of the margin bridge.
    ramp = tables["gap"].set_index("period")["ramp"]
    margin = margin_by_period(ramp, a.base_revenue, base_margin=a.base_margin, deal_margin=a.deal_margin)
    tables["margin"] = margin
    change = margin["change_bps"].to_numpy(dtype=float)
    out["margin_bps_year2"] = float(change[1])
    out["margin_bps_peak"] = float(change[abs(change).argmax()])
    out["blended_margin_year2"] = float(margin["blended_margin"].iloc[1])


def staged_tranches(a: Assumptions) -> list[tuple[Any, float]]:
    """Tranches of a staged booking: each contract year's contractual share, booked on its first day.

    The inputs hold no tranche dates, so a staged booking books every contract
    year's share of the value (the undelayed profile) on the anniversary that
    opens it: backlog builds up ahead of the revenue it covers.

    >>> t = staged_tranches(Assumptions(booking="staged"))
    >>> len(t), round(sum(v for _, v in t), 9)
    (7, 38.0)
    """
    weights = profile_weights(a.start_date, a.term_years, profile=a.profile, **profile_params(a))
    return [(row.start, a.contract_value * row.share) for row in weights.itertuples()]


def _backlog_block(a: Assumptions, out: dict[str, float], tables: dict[str, pd.DataFrame]) -> None:
    kwargs = _schedule_kwargs(a)
    del kwargs["fiscal_year_end"]
    tranches = staged_tranches(a) if a.booking == "staged" else None
    roll = backlog_rollforward(
        a.contract_value,
        a.start_date,
        a.term_years,
        booking=a.booking,
        tranches=tranches,
        frequency="quarter",
        fiscal_year_end=a.fiscal_year_end,
        **kwargs,
    )
    tables["backlog"] = roll
    first = roll.iloc[0]
    added = float(first["bookings"])
    effect = backlog_effect(a.reported_backlog, added) if a.reported_backlog > 0 else None
    out["backlog_added"] = added
    out["backlog_after_deal"] = a.reported_backlog + added
    # No reported backlog: the deal is all of it (an increase without a finite ratio is shown as 1).
    out["backlog_increase_pct"] = effect["increase_fraction"] if effect else 1.0
    out["backlog_deal_share"] = effect["share_of_new"] if effect else 1.0
    rpo = current_rpo(
        a.contract_value, a.start_date, a.term_years, as_of=first["end"], booking=a.booking,
        tranches=tranches, **kwargs,
    )
    out["current_rpo"] = float(rpo["current"])


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
    _margin_block(a, outputs, tables)
    _backlog_block(a, outputs, tables)
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

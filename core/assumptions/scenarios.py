"""Named scenarios: overrides of the base case (``SCENARIOS``), fixed or moved like Excel's EDATE (``Shift``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from core.assumptions.values import Assumptions
from core.validation import as_date, check_choice, check_number


@dataclasses.dataclass(frozen=True)
class Shift:
    """A scenario override relative to the base case: a date input moved by whole months.

    The move follows Excel's ``EDATE``: the same day of the month ``months``
    later (earlier when negative), clipped to the month's last day, so a
    scenario means the same thing for every deal whatever its dates, and the
    template can replicate it as ``=EDATE(name, months)``.

    Parameters
    ----------
    months : int
        Months to move the base value by (negative = earlier).

    Examples
    --------
    The bull case reaches full run-rate one quarter earlier than the base case:

    >>> Shift(-3).apply(dt.date(2026, 12, 31))
    datetime.date(2026, 9, 30)
    >>> Shift(-3).excel_formula("full_at")
    '=EDATE(full_at,-3)'
    """

    months: int

    def __post_init__(self) -> None:
        check_number("months", self.months, integer=True)

    def apply(self, value: Any) -> dt.date:
        """The base value ``value`` (a date) moved by ``months``, as Excel's ``EDATE`` moves it."""
        base = as_date("value", value)
        index = base.year * 12 + base.month - 1 + int(self.months)
        year, month = divmod(index, 12)
        month += 1
        next_first = dt.date(year + month // 12, month % 12 + 1, 1)
        last_day = (next_first - dt.timedelta(days=1)).day
        return dt.date(year, month, min(base.day, last_day))

    def excel_formula(self, name: str) -> str:
        """The same move as an Excel formula on the defined name ``name``."""
        return f"=EDATE({name},{int(self.months)})"


#: Named scenarios as overrides on the base assumptions, as the article frames
#: them: the bull case is faster adoption (full run-rate one quarter earlier,
#: 95% realisation) and a market value that passes $3 trillion by 2027 (10% a
#: year from $2.76T); the bear case is slower build-outs (two quarters of delay,
#: full run-rate one quarter later, 90% realisation: the article's 5–10%
#: utilisation discount at its wide end) and the cloud sector's −15% shock in
#: the market-value path. Growth rates and delays are analyst assumptions. A
#: value is either the input's value in the scenario or a :class:`Shift` of the
#: base value, so a scenario means the same thing for every deal whatever its dates.
SCENARIOS: dict[str, dict[str, Any]] = {
    "base": {},
    "bull": {"realisation": 0.95, "full_at": Shift(-3), "market_value_growth": 0.10},
    "bear": {"realisation": 0.90, "delay_quarters": 2.0, "full_at": Shift(3), "apply_cloud_shock": 1},
}


def scenario_assumptions(base: Any = None, scenario: str | None = None) -> Any:
    """Apply a named scenario's overrides to ``base`` (defaults when omitted).

    Fixed values replace the base's; a :class:`Shift` moves the base's value.

    >>> scenario_assumptions(scenario="bear").realisation
    0.9
    >>> scenario_assumptions(scenario="bull").full_at.isoformat()
    '2026-09-30'
    """
    base = Assumptions() if base is None else base
    name = check_choice("scenario", scenario or base.scenario, SCENARIOS)
    changes = {
        key: value.apply(getattr(base, key)) if isinstance(value, Shift) else value
        for key, value in SCENARIOS[name].items()
    }
    return base.replace(**changes, scenario=name)

"""One typed set of model assumptions, with sourced defaults and named scenarios.

Every input of the whole model is a field here, described once by an
:class:`InputSpec` (name, label, unit, default, rule, source). The template's
Inputs sheet, the reports and the two-column ``name | value`` ranges that
Excel passes to model-level functions all use these names.

Money is in US$ billions unless the unit says otherwise; rates and margins
are fractions.
"""

from __future__ import annotations

from core.assumptions.inputs import INPUTS
from core.assumptions.scenarios import SCENARIOS, Shift, scenario_assumptions
from core.assumptions.spec import InputSpec
from core.assumptions.values import Assumptions, as_assumptions

__all__ = [
    "Assumptions",
    "InputSpec",
    "INPUTS",
    "SCENARIOS",
    "Shift",
    "as_assumptions",
    "scenario_assumptions",
]

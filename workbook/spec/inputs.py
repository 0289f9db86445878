"""The Inputs and Scenarios sheets: each input's check formula, and the live (scenario-selected) names.

An input's defined name is the analyst's typed value; an input that a named scenario overrides
also has a live value, ``live_<name>``, which :func:`live_formula` puts in every calculation.
"""

from __future__ import annotations

import re
from typing import Any

from core.assumptions import INPUTS, SCENARIOS, InputSpec

#: Inputs with a fixed list of accepted values (data-validation lists).
CHOICE_INPUTS: tuple[str, ...] = tuple(s.name for s in INPUTS if s.kind == "choice")


#: Defined names of the live (scenario-selected) value of an overridden input are ``live_<name>``.
LIVE_NAME_PREFIX = "live_"

#: Inputs that some named scenario overrides, in Inputs-sheet order: the calculations read their live value.
SCENARIO_INPUTS: tuple[str, ...] = tuple(
    s.name for s in INPUTS if any(s.name in overrides for overrides in SCENARIOS.values())
)

_STRING_RE = re.compile(r'("[^"]*")')
_LIVE_RE = re.compile(r"(?<![\w.])(" + "|".join(SCENARIO_INPUTS) + r")(?![\w.(])") if SCENARIO_INPUTS else None


def live_name(name: str) -> str:
    """Defined name of the live value of an input (the value under the selected scenario).

    >>> live_name("realisation")
    'live_realisation'
    """
    return LIVE_NAME_PREFIX + name


def live_formula(formula: str) -> str:
    """A calculation formula reading the live value of every input a scenario overrides.

    Names inside strings, function names and ``{row}`` references stay as they are.

    >>> live_formula('=IF(delay_mode="extend",contract_value*realisation,0)')
    '=IF(delay_mode="extend",contract_value*live_realisation,0)'
    """
    if _LIVE_RE is None:
        return formula
    parts = _STRING_RE.split(formula)
    return "".join(
        part if part.startswith('"') else _LIVE_RE.sub(lambda m: live_name(m.group(1)), part) for part in parts
    )


def _num(value: float) -> str:
    return repr(float(value)) if value != int(value) else str(int(value))


def input_check_formula(spec: InputSpec) -> str:
    """The Inputs sheet's per-row check: TRUE when the value meets the input's rule.

    >>> input_check_formula(next(s for s in INPUTS if s.name == "realisation"))
    '=IFERROR(AND(ISNUMBER(realisation),realisation>0,realisation<=1),FALSE)'
    >>> input_check_formula(next(s for s in INPUTS if s.name == "fleet_gpus"))
    '=IFERROR(OR(ISBLANK(fleet_gpus),AND(ISNUMBER(fleet_gpus),fleet_gpus>0)),FALSE)'
    """
    n = spec.name
    if spec.kind == "choice":
        return "=IFERROR(OR(" + ",".join(f'{n}="{c}"' for c in spec.choices) + "),FALSE)"
    if spec.kind == "text":
        return f"=IFERROR(LEN(TRIM({n}))>0,FALSE)"
    if spec.kind == "date":
        dated = f"AND(ISNUMBER({n}),{n}>=1)"
        return f"=IFERROR(OR(ISBLANK({n}),{dated}),FALSE)" if spec.optional else f"=IFERROR({dated},FALSE)"
    parts = [f"ISNUMBER({n})"]
    if spec.kind == "integer":
        parts.append(f"{n}=INT({n})")
    if spec.minimum is not None:
        parts.append(f"{n}{'>' if spec.strict_min else '>='}{_num(spec.minimum)}")
    if spec.maximum is not None:
        parts.append(f"{n}<={_num(spec.maximum)}")
    if spec.optional:  # blank: the model derives the figure
        return f"=IFERROR(OR(ISBLANK({n}),AND(" + ",".join(parts) + ")),FALSE)"
    return "=IFERROR(AND(" + ",".join(parts) + "),FALSE)"


def scenario_rows() -> list[tuple[str, dict[str, Any]]]:
    """Inputs that any named scenario overrides, with each scenario's value (absent: the input's)."""
    return [(n, {sc: o[n] for sc, o in SCENARIOS.items() if n in o}) for n in SCENARIO_INPUTS]

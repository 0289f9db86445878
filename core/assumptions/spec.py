"""``InputSpec``: how one input is described (name, label, unit, default, kind, rule, source) and checked."""

from __future__ import annotations

import dataclasses
from typing import Any

from core.validation import DealDeskInputError, as_date, check_choice, check_number


@dataclasses.dataclass(frozen=True)
class InputSpec:
    """Description of one model input.

    ``kind`` is ``"number"``, ``"integer"``, ``"fraction"``, ``"date"``, ``"text"``
    or ``"choice"``; ``minimum``/``maximum`` bound numbers; ``choices`` lists
    the accepted values of a choice. An ``optional`` input may be left blank
    (``None``): the model then derives the figure (its label says from what).
    """

    name: str
    label: str
    unit: str
    default: Any
    kind: str
    source: str
    group: str
    minimum: float | None = None
    maximum: float | None = None
    strict_min: bool = False
    choices: tuple[str, ...] = ()
    optional: bool = False

    @property
    def rule(self) -> str:
        """The rule a value must meet, in words (used in error messages)."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "date":
            return "a date" + (", or blank" if self.optional else "")
        if self.kind == "text":
            return "text"
        parts = ["a whole number" if self.kind == "integer" else "a number"]
        if self.minimum is not None:
            parts.append(f"{'>' if self.strict_min else '>='} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"<= {self.maximum:g}")
        rule = " ".join(parts[:1]) + (" " + " and ".join(parts[1:]) if len(parts) > 1 else "")
        return rule + (", or blank" if self.optional else "")

    def coerce(self, value: Any) -> Any:
        """Validate ``value`` against this spec and return it in its Python type (``None`` if optional and blank)."""
        if self.optional and (value is None or (isinstance(value, str) and not value.strip())):
            return None
        if self.kind == "date":
            return as_date(self.name, value)
        if self.kind == "choice":
            return check_choice(self.name, value, self.choices)
        if self.kind == "text":
            if not isinstance(value, str) or not value.strip():
                raise DealDeskInputError(f"{self.name} must be non-empty text, got {value!r}")
            return value.strip()
        number = check_number(
            self.name,
            value,
            minimum=self.minimum,
            maximum=self.maximum,
            strict_min=self.strict_min,
            integer=self.kind == "integer",
        )
        return int(number) if self.kind == "integer" else number

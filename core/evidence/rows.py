"""The rows of the evidence tables: one public point, one table, one reported margin (see :mod:`core.evidence`)."""

from __future__ import annotations

import dataclasses
import statistics

from core.validation import DealDeskInputError

__all__ = [
    "CONFIDENCE_LEVELS",
    "Evidence",
    "EvidenceTable",
    "MARGIN_MEASURES",
    "MarginEvidence",
    "NVL72_GPUS",
    "NVL72_KW",
    "REFERENCE_GENERATION",
    "generations",
]

CONFIDENCE_LEVELS = ("high", "medium", "low")
#: GB200 / GB300 NVL72 rack: 72 GPUs (+36 Grace CPUs), ~120 kW up to 132 kW (vendor specs via
#: introl, digitimes 2024-11-18; FACTS). Used to turn a rack's figures into per-GPU and per-MW ones.
NVL72_GPUS = 72.0
NVL72_KW = 120.0
#: The reference deal's GPUs: AWS–OpenAI names "GB200/GB300" (Amazon/OpenAI announcement 2025-11-03).
REFERENCE_GENERATION = "GB200/GB300"
#: Generation words of the deal library and the table generations they cover.
_FAMILIES = {"Blackwell": ("GB200", "GB300")}


@dataclasses.dataclass(frozen=True)
class Evidence:
    """One public point behind a default, in its table's unit (see the module docstring)."""

    what: str
    value: float
    period: str
    source: str
    confidence: str
    generation: str = ""  # GPU generation the figure is for ("" = any)
    company: str = ""  # the company whose own figure it is ("" = market-wide)
    low: float | None = None  # the source's own range, when it gives one
    high: float | None = None
    independent: bool = True
    comparable: bool = True
    note: str = ""

    def __post_init__(self) -> None:
        if self.confidence not in CONFIDENCE_LEVELS:
            raise DealDeskInputError(
                f"evidence confidence must be one of {CONFIDENCE_LEVELS}, got {self.confidence!r}"
            )

    @property
    def counted(self) -> bool:
        """Whether the row sets the central value: independent, comparable, medium or high confidence."""
        return self.independent and self.comparable and self.confidence != "low"

    @property
    def span(self) -> tuple[float, float]:
        """The row's lowest and highest value (its own range, else its value)."""
        return (self.value if self.low is None else self.low, self.value if self.high is None else self.high)


@dataclasses.dataclass(frozen=True)
class EvidenceTable:
    """The public points for one quantity, and how they become an input's default.

    ``input`` is the model input the table sets (``None`` for a cross-check
    table); ``to_input`` converts the table's unit to the input's
    (``input_unit``); ``digits`` rounds the central value in the input's unit;
    ``monte_carlo`` says whether the table's range is the input's default
    Monte Carlo spread (a server life changes the model's time structure, so
    the simulation holds it fixed).
    """

    title: str
    unit: str
    rows: tuple[Evidence, ...]
    input: str | None
    input_unit: str
    digits: int
    to_input: float = 1.0
    conversion: str = ""  # the conversion in words, when there is one
    monte_carlo: bool = True  # the range is the input's default Monte Carlo spread (core.simulation)

    def median(self, rows: list[Evidence] | None = None) -> float:
        """The median of ``rows`` (default: every counted row) in the input's unit, rounded."""
        chosen = [r for r in self.rows if r.counted] if rows is None else rows
        return round(statistics.median(r.value for r in chosen) * self.to_input, self.digits)


def generations(label: str | None) -> tuple[str, ...]:
    """The table generations a deal's GPU words cover ("" or None: the reference deal's).

    >>> generations("GB200/GB300"), generations("Blackwell"), generations("GB300")
    (('GB200', 'GB300'), ('GB200', 'GB300'), ('GB300',))
    """
    text = (label or REFERENCE_GENERATION).strip()
    out: list[str] = []
    for part in text.split("/"):
        out.extend(_FAMILIES.get(part.strip(), (part.strip(),)))
    return tuple(dict.fromkeys(out))


#: The margins a deal is compared with: ``gross`` (revenue less cost of revenue), ``ebitda``
#: (before depreciation) and ``operating``.
MARGIN_MEASURES = ("gross", "ebitda", "operating")


@dataclasses.dataclass(frozen=True)
class MarginEvidence:
    """A reported margin on GPU rental (a fraction, one of ``MARGIN_MEASURES``), with its period and source."""

    company: str
    what: str
    measure: str
    value: float
    period: str
    source: str
    confidence: str
    low: float | None = None
    high: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.measure not in MARGIN_MEASURES:
            raise DealDeskInputError(f"margin measure must be one of {MARGIN_MEASURES}, got {self.measure!r}")

    @property
    def span(self) -> tuple[float, float]:
        """The reported range (the value alone when none is given)."""
        return (self.value if self.low is None else self.low, self.value if self.high is None else self.high)

"""Where a run's inputs come from: a template copy, a JSON/YAML file or the deal library.

:func:`load_assumptions` is what the report, batch and simulate commands call;
:func:`read_inputs_file` reads one inputs file; :func:`default_report_path`
names the report of a run so that two different inputs never share a name.

A JSON/YAML inputs file is a mapping of input names (``core.assumptions.INPUTS``)
to values, for example::

    deal_name: My deal
    contract_value: 5e1        # any number spelling: 50, 50.0, 5e1
    realisation: 0.95          # fractions as decimals, not "95%"
    start_date: 2026-01-01
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from core.assumptions import INPUTS, Assumptions, InputSpec, scenario_assumptions
from core.deals import deal_assumptions, deal_terms
from core.validation import DealDeskInputError, as_date

__all__ = [
    "INPUT_SUFFIXES",
    "default_report_path",
    "did_you_mean",
    "input_rows",
    "load_assumptions",
    "load_structured",
    "read_inputs_file",
    "slug",
    "source_note",
]

#: Input file suffixes ``--inputs`` accepts.
INPUT_SUFFIXES = (".xlsx", ".xlsm", ".json", ".yaml", ".yml")

_SPECS = {spec.name: spec for spec in INPUTS}
_NUMERIC_KINDS = ("number", "integer", "fraction")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d[\d_]*\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_PERCENT_TEXT = re.compile(r"^\s*([+-]?(\d+\.?\d*|\.\d+))\s*%\s*$")


def slug(text: str) -> str:
    """File-name friendly lower-case form of a name.

    >>> slug("AWS–OpenAI")
    'aws-openai'
    """
    dashed = re.sub(r"[\u2010-\u2015\u2212]", "-", str(text))
    ascii_text = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "deal"


def default_report_path(
    assumptions: Assumptions,
    directory: str | os.PathLike[str] = "reports",
    *,
    inputs: str | os.PathLike[str] | None = None,
) -> Path:
    """``<directory>/dealdesk-<deal>-<scenario>.xlsx``; a custom inputs file adds its own name.

    Two runs with different inputs files never write to the same report: the
    file's stem goes into the name (``dealdesk-<deal>-<file>-<scenario>.xlsx``).

    >>> default_report_path(Assumptions()).as_posix()
    'reports/dealdesk-aws-openai-base.xlsx'
    >>> default_report_path(Assumptions(), inputs="my_case.yaml").as_posix()
    'reports/dealdesk-aws-openai-my-case-base.xlsx'
    """
    parts = [slug(assumptions.deal_name)]
    if inputs is not None:
        parts.append(slug(Path(inputs).stem))
    parts.append(slug(assumptions.scenario))
    return Path(directory) / f"dealdesk-{'-'.join(parts)}.xlsx"


def load_structured(path: Path) -> Any:
    """The data of a JSON or YAML file, parsed safely within limits (:func:`workbook.inputs.load_structured`)."""
    from workbook.inputs import load_structured as load

    return load(path)


def did_you_mean(name: str, choices: Any) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or ``""`` when none is close.

    >>> did_you_mean("contract_valu", ["contract_value", "term_years"])
    "; did you mean 'contract_value'?"
    >>> did_you_mean("zzz", ["contract_value"])
    ''
    """
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _number_spelling(spec: InputSpec, value: Any, file: str) -> Any:
    """A numeric input given as text: any number spelling is read, percent text is refused with a hint.

    YAML reads ``5e1`` (no dot) as text; JSON has no such case, but a quoted
    number is text there too.

    >>> _number_spelling(_SPECS["contract_value"], "5e1", "f.yaml")
    50.0
    """
    if spec.kind not in _NUMERIC_KINDS or not isinstance(value, str):
        return value
    text = value.strip()
    percent = _PERCENT_TEXT.match(text)
    if percent:
        hint = float(percent.group(1)) / 100
        raise DealDeskInputError(
            f"{spec.name} in {file} is percent text {value!r}; write the fraction {hint:g} instead"
        )
    if _NUMBER_TEXT.match(text):
        return float(text.replace("_", ""))
    return value


def read_inputs_file(path: str | os.PathLike[str], *, base: Assumptions | None = None) -> Assumptions:
    """Assumptions from a template copy (.xlsx/.xlsm) or a JSON/YAML ``name: value`` file.

    A JSON/YAML file holds a mapping of input names to values (a list is
    refused); names not given keep ``base`` (default: the reference defaults). Every value is validated by ``core.assumptions``;
    numbers may be written in any spelling (``50``, ``50.0``, ``5e1``).

    Raises
    ------
    DealDeskInputError
        Missing file, unknown suffix, unreadable content, unknown input name
        (with the closest known name), percent text (with the fraction to
        write) or a value that breaks its rule; the message names the problem.
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise DealDeskInputError(
            f"--inputs must be a template copy (.xlsx, .xlsm) or a JSON/YAML file (.json, .yaml, .yml); "
            f"got {source.name!r}"
        )
    from workbook.inputs import check_input_file

    check_input_file("--inputs file", source)
    if suffix in (".xlsx", ".xlsm"):
        if base is not None and base != Assumptions():
            raise DealDeskInputError(
                "--inputs from a template already holds the deal; do not combine it with --deal"
            )
        from workbook.inputs import read_inputs

        return read_inputs(source)
    data = load_structured(source)
    if not isinstance(data, Mapping):  # a list, even of [name, value] pairs, is not an inputs file
        kind = type(data).__name__
        shown = {"list": "a list", "str": "text", "NoneType": "nothing"}.get(kind, kind)
        raise DealDeskInputError(
            f"{source.name} must hold a mapping of input names to values (for example contract_value: 38), "
            f"got {shown}"
        )
    pairs = dict(data)
    merged: dict[str, Any] = dict((base or Assumptions()).to_pairs())
    unknown = sorted(str(k)[:60] for k in pairs if k not in merged)
    if unknown:
        hints = "".join(did_you_mean(k, merged) for k in unknown[:1])
        more = f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else ""
        raise DealDeskInputError(
            f"unknown input name(s) in {source.name}: {', '.join(unknown[:10])}{more}{hints} "
            f"(`dealdesk inputs` lists every name)"
        )
    for name, value in pairs.items():
        spec = _SPECS.get(str(name))
        merged[name] = value if spec is None else _number_spelling(spec, value, source.name)
    return Assumptions.from_pairs(merged)


def as_of_date(value: Any) -> dt.date | None:
    """A command's ``--as-of`` by the one date rule (:func:`core.validation.as_date`); None when not given.

    >>> as_of_date("2025-12-31"), as_of_date(None)
    (datetime.date(2025, 12, 31), None)
    """
    return None if value is None else as_date("--as-of", value)


def load_assumptions(
    *,
    inputs: str | os.PathLike[str] | None = None,
    deal: str | None = None,
    scenario: str | None = None,
    as_of: dt.date | None = None,
) -> Assumptions:
    """The assumptions a command asks for: a deal, an inputs file, a scenario, or the base case.

    ``deal`` gives the headline terms; ``inputs`` (JSON/YAML) overrides on
    top of it, or a template copy gives everything; ``scenario`` applies a
    named scenario's overrides last. ``as_of`` builds the deal (the reference
    deal when none is named) from the libraries as public on that day.

    >>> load_assumptions(scenario="bear").realisation
    0.9
    >>> load_assumptions(as_of=dt.date(2025, 11, 3)).base_revenue  # AWS's FY2024, the newest then
    107.6
    """
    for flag, given in (("--deal", deal), ("--scenario", scenario)):
        if given is not None and not str(given).strip():
            raise DealDeskInputError(f"{flag} must name one; got an empty name")
    if as_of is not None:
        a = deal_assumptions(deal or Assumptions().deal_name, as_of=as_of)
    else:
        a = deal_assumptions(deal) if deal else Assumptions()
    if inputs is not None:
        a = read_inputs_file(inputs, base=a)
    if scenario:
        a = scenario_assumptions(a, scenario)
    return a


def source_note(
    a: Assumptions,
    *,
    inputs: str | os.PathLike[str] | None = None,
    deal: str | None = None,
    as_of: dt.date | None = None,
) -> str:
    """One line saying where a run's inputs came from (shown on every report page).

    A library deal's line is the note of :func:`core.deals.deal_terms` as of ``as_of``: the analyst defaults of
    the inputs the run uses (a figure not yet reported on that day is one).

    >>> source_note(Assumptions())
    'Amazon (AWS) – OpenAI; inputs: core defaults; base scenario'
    >>> source_note(Assumptions(), as_of=dt.date(2025, 12, 31))
    'Amazon (AWS) – OpenAI; inputs: core defaults; base scenario; figures public on 2025-12-31'
    """
    origin = (
        f"inputs: {Path(inputs).name}"
        if inputs
        else deal_terms(deal, as_of=as_of).note
        if deal
        else "inputs: core defaults"
    )
    cut = f"; figures public on {as_of.isoformat()}" if as_of else ""
    return f"{a.provider} – {a.customer}; {origin}; {a.scenario} scenario{cut}"


def _shown(spec: InputSpec, value: Any) -> str:
    if value is None:
        return "blank"
    if spec.kind == "fraction" or (spec.kind == "number" and spec.unit == "fraction"):
        return f"{value:g}"
    return str(value)


def input_rows() -> list[tuple[str, str, str, str, str, str]]:
    """Every input as (name, label, unit, rule, default, source), in ``INPUTS`` order.

    >>> input_rows()[0][0]
    'deal_name'
    """
    return [(s.name, s.label, s.unit, s.rule, _shown(s, s.default), s.source) for s in INPUTS]

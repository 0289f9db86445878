"""Read the assumptions back from any copy of the template (an analyst's edited copy included).

:func:`read_inputs` finds every input by its defined name (the Inputs sheet's
layout may move; the names stay), validates each value against its rule in
``core.assumptions.INPUTS`` and returns an :class:`~core.assumptions.Assumptions`.
Every bad value is reported, not only the first: one
:class:`WorkbookInputError` lists each as ``<sheet>!<cell> (term_years): must be
a number > 0 and <= 30; got 0``.

A workbook is untrusted input. Before openpyxl opens it, :func:`check_workbook_file`
refuses:

* a file larger than ``MAX_FILE_BYTES`` on disk;
* a file that is not a zip archive (every .xlsx/.xlsm is one);
* an archive with more than ``MAX_MEMBERS`` entries, whose entries would
  expand beyond ``MAX_UNCOMPRESSED_BYTES`` in total, or any entry compressed
  more than ``MAX_COMPRESSION_RATIO`` to 1 (a zip bomb);
* an archive without a workbook part.

XML is parsed through defusedxml (openpyxl uses it automatically when it is
installed, which ``openpyxl.DEFUSEDXML`` reports; DealDesk depends on it), so
entity-expansion and external-entity attacks are refused by the parser. Files
are opened ``read_only=True`` (sheets streamed, not held in memory) with
``data_only=True`` (cached values; no formula is evaluated) and
``keep_vba=False`` / ``keep_links=False``: a macro-enabled .xlsm is read for its
values only and no macro, link or embedded object is ever run or followed.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from core.assumptions import INPUTS, Assumptions, InputSpec
from core.validation import DealDeskInputError

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "MAX_MEMBERS",
    "MAX_UNCOMPRESSED_BYTES",
    "WorkbookInputError",
    "check_workbook_file",
    "read_input_values",
    "read_inputs",
]

#: Largest workbook read, bytes on disk (the template is about 50 kB).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest total size of the archive's entries once expanded, bytes.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Largest ratio of an entry's expanded size to its compressed size.
MAX_COMPRESSION_RATIO = 100.0
#: Most entries an archive may hold.
MAX_MEMBERS = 2_000
_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


class WorkbookInputError(DealDeskInputError):
    """A workbook cannot be read, or some of its inputs break their rules; the message lists each."""


def _mb(n: float) -> str:
    return f"{n / (1024 * 1024):.1f} MB ({int(n):,} bytes)"


def _root_cause(error: BaseException) -> str:
    """The innermost exception's name and text (openpyxl wraps the XML parser's refusal)."""
    seen = error
    while seen.__cause__ is not None or seen.__context__ is not None:
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
    text = " ".join(f"{type(seen).__name__}: {seen}".split())
    return text if len(text) <= 300 else text[:297] + "..."


def check_workbook_file(path: str | Path) -> Path:
    """Refuse a file that is too large, not a workbook archive, or a zip bomb; return its path.

    Raises
    ------
    WorkbookInputError
        The message names the file and the limit it breaks.
    """
    source = Path(path)
    if not source.is_file():
        raise WorkbookInputError(f"workbook not found: {source}")
    if source.suffix.lower() not in _SUFFIXES:
        raise WorkbookInputError(
            f"{source.name}: not an Excel workbook; expected one of {', '.join(_SUFFIXES)}"
        )
    size = source.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookInputError(
            f"{source.name} is {_mb(size)}; the limit is {_mb(MAX_FILE_BYTES)} (MAX_FILE_BYTES)"
        )
    if not zipfile.is_zipfile(source):
        raise WorkbookInputError(f"{source.name} is not a valid .xlsx/.xlsm file (not a zip archive)")
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise WorkbookInputError(f"{source.name} is not a valid .xlsx/.xlsm file: {error}") from error
    if len(members) > MAX_MEMBERS:
        raise WorkbookInputError(
            f"{source.name} holds {len(members)} archive entries; the limit is {MAX_MEMBERS} (MAX_MEMBERS)"
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookInputError(
            f"{source.name} would expand to {_mb(total)}; the limit is {_mb(MAX_UNCOMPRESSED_BYTES)} "
            "(MAX_UNCOMPRESSED_BYTES): refusing a possible zip bomb"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise WorkbookInputError(
                f"{source.name}: entry {member.filename} is compressed {ratio:.0f} to 1; the limit is "
                f"{MAX_COMPRESSION_RATIO:g} to 1 (MAX_COMPRESSION_RATIO): refusing a possible zip bomb"
            )
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise WorkbookInputError(f"{source.name} is not a valid .xlsx/.xlsm file: it has no xl/workbook.xml")
    return source


def _locate(wb: Any, name: str) -> tuple[str, str] | None:
    """(sheet title, coordinate) of a one-cell defined name, or None."""
    defined = wb.defined_names.get(name)
    if defined is None:
        return None
    destinations = list(defined.destinations)
    if len(destinations) != 1:
        return None
    sheet, ref = destinations[0]
    ref = ref.replace("$", "")
    if ":" in ref or sheet not in wb.sheetnames:
        return None
    return sheet, ref


def _value_for(spec: InputSpec, value: Any) -> Any:
    """A cell value as the input's Python value before validation (serial numbers to dates).

    Anything else is passed on as it is: a number typed as text is refused by
    the input's rule, and the message names the cell.
    """
    if spec.kind == "date" and isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return value
        return converted.date() if isinstance(converted, dt.datetime) else converted
    if isinstance(value, dt.datetime) and spec.kind == "date":
        return value.date()
    return value


def read_input_values(path: str | Path) -> dict[str, tuple[str, str, Any]]:
    """Raw input values of a template copy: name -> (sheet, coordinate, cell value).

    Inputs whose defined name is missing are left out (:func:`read_inputs`
    reports them).
    """
    from openpyxl import load_workbook

    source = check_workbook_file(path)
    try:
        wb = load_workbook(source, read_only=True, data_only=True, keep_vba=False, keep_links=False)
    except Exception as error:  # openpyxl's own error for a damaged part, named with the file
        raise WorkbookInputError(
            f"{source.name} cannot be read as a workbook: {_root_cause(error)}"
        ) from error
    try:
        out: dict[str, tuple[str, str, Any]] = {}
        for spec in INPUTS:
            where = _locate(wb, spec.name)
            if where is None:
                continue
            sheet, ref = where
            out[spec.name] = (sheet, ref, wb[sheet][ref].value)
        return out
    finally:
        wb.close()


def read_inputs(path: str | Path) -> Assumptions:
    """The assumptions held by a copy of the template, validated.

    Parameters
    ----------
    path : str or Path
        A copy of ``workbook/DealDesk.xlsx`` (.xlsx or .xlsm), possibly edited.

    Returns
    -------
    Assumptions

    Raises
    ------
    WorkbookInputError
        The file is refused (size, zip bomb, not a workbook), or inputs are
        missing or break their rules: one message lists every problem with
        its sheet, cell, input name and rule.

    Examples
    --------
    The committed template holds the AWS–OpenAI base case:

    >>> from workbook.template import DEFAULT_TEMPLATE
    >>> read_inputs(DEFAULT_TEMPLATE).contract_value
    38.0
    """
    source = Path(path)
    raw = read_input_values(source)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in INPUTS:
        if spec.name not in raw:
            problems.append(f"defined name {spec.name!r} is missing (the Inputs sheet must name every input)")
            continue
        sheet, ref, cell = raw[spec.name]
        where = f"{sheet}!{ref} ({spec.name})"
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            if spec.optional:  # blank: the model derives the figure
                values[spec.name] = None
                continue
            problems.append(f"{where}: is blank; it must be {spec.rule}")
            continue
        if isinstance(cell, str) and cell.startswith("#"):
            problems.append(f"{where}: holds the error {cell}; it must be {spec.rule}")
            continue
        try:
            values[spec.name] = spec.coerce(_value_for(spec, cell))
        except DealDeskInputError as error:
            problems.append(f"{where}: must be {spec.rule}; got {cell!r} ({error})")
    if not problems:
        try:
            return Assumptions(**values)
        except DealDeskInputError as error:  # rules across inputs (target year after start year)
            problems.append(str(error))
    count = len(problems)
    raise WorkbookInputError(
        f"{source.name}: {count} input{'s' if count > 1 else ''} cannot be used:\n- " + "\n- ".join(problems)
    )

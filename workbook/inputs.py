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

JSON and YAML inputs files are untrusted too. :func:`load_structured` refuses a
file over ``MAX_INPUT_BYTES`` before reading it, text that is not UTF-8 (UTF-16
included), nesting deeper than ``MAX_DEPTH``, numbers of more than
``MAX_NUMBER_DIGITS`` digits, a key given twice, YAML aliases (so a
"billion laughs" file cannot expand) and text a workbook cannot hold (control
characters, lone surrogates). Each limit is named in its message and can be
raised with the environment variable ``DEALDESK_<LIMIT>``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from core.assumptions import INPUTS, Assumptions, InputSpec
from core.validation import DealDeskInputError, check_text, limit

__all__ = [
    "check_input_file",
    "MAX_COMPRESSION_RATIO",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INPUT_BYTES",
    "MAX_MEMBERS",
    "MAX_NUMBER_DIGITS",
    "MAX_UNCOMPRESSED_BYTES",
    "WorkbookInputError",
    "check_workbook_file",
    "load_structured",
    "open_workbook",
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
#: Largest JSON/YAML inputs file, bytes (an inputs file is a few kB); DEALDESK_MAX_INPUT_BYTES.
MAX_INPUT_BYTES = 1024 * 1024
#: Deepest nesting of lists and mappings in a JSON/YAML file; DEALDESK_MAX_DEPTH.
MAX_DEPTH = 32
#: Most digits of a number in a JSON/YAML file; DEALDESK_MAX_NUMBER_DIGITS.
MAX_NUMBER_DIGITS = 40
# A YAML date with no time of day.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A JSON string (skipped) or a bracket: enough to measure nesting before parsing.
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


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


def check_input_file(what: str, path: str | os.PathLike[str]) -> Path:
    """``path`` if it is a regular file (or a link to one); else one line saying what it is.

    A directory, a named pipe (reading it would wait for a writer), a device
    such as ``/dev/zero`` (reading it would never end) or a socket is not an
    inputs file; a link that leads nowhere is named as such.

    >>> check_input_file("--inputs file", "/")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: --inputs file / is a directory, not a file
    >>> check_input_file("--inputs file", "nothere.json")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: --inputs file not found: nothere.json
    """
    source = Path(path)
    try:
        mode = source.stat().st_mode  # through a link: what it leads to
    except FileNotFoundError:
        if source.is_symlink():
            raise DealDeskInputError(
                f"{what} {source} is a link to {os.readlink(source)}, which does not exist"
            ) from None
        raise DealDeskInputError(f"{what} not found: {source}") from None
    except OSError as error:
        raise DealDeskInputError(f"{what} {source} cannot be read: {error.strerror or error}") from None
    if stat.S_ISREG(mode):
        return source
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    through = f" (a link to {os.path.realpath(source)})" if source.is_symlink() else ""
    raise DealDeskInputError(f"{what} {source} is {kind}{through}, not a file")


def check_workbook_file(path: str | Path) -> Path:
    """Refuse a file that is too large, not a workbook archive, or a zip bomb; return its path.

    Raises
    ------
    WorkbookInputError
        The message names the file and the limit it breaks.
    """
    source = Path(path)
    try:
        check_input_file("workbook", source)
    except DealDeskInputError as error:
        raise WorkbookInputError(str(error)) from None
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


class _Refused(Exception):
    """A structured file breaks a rule; the loader adds the file's name."""


def _depth_of_brackets(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def _digits(text: str) -> str:
    maximum = limit("MAX_NUMBER_DIGITS", MAX_NUMBER_DIGITS)
    count = sum(c.isdigit() for c in text)
    if count > maximum:
        raise _Refused(
            f"holds a number of {count:,} digits; the limit is {maximum} (MAX_NUMBER_DIGITS, "
            "raise it with DEALDESK_MAX_NUMBER_DIGITS)"
        )
    return text


def _unique_pairs(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"gives the key {str(key)[:60]!r} twice")
        out[key] = value
    return out


def _check_tree(data: Any) -> None:
    """Depth and text rules over the parsed data (iterative: no recursion on deep input)."""
    maximum = limit("MAX_DEPTH", MAX_DEPTH)
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= maximum:
                raise _Refused(
                    f"is nested deeper than {maximum} levels (MAX_DEPTH, raise it with DEALDESK_MAX_DEPTH)"
                )
            children = list(item.items()) if isinstance(item, dict) else [(None, v) for v in item]
            for key, value in children:
                if isinstance(key, str):
                    stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(item, str):
            try:
                check_text("text", item)
            except DealDeskInputError as error:
                detail = str(error).split("; ", 1)[-1]
                raise _Refused(f"holds text a workbook cannot hold ({detail}): {item[:40]!r}") from None


def _yaml_loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """Safe YAML without aliases (no billion laughs), duplicate keys or huge numbers."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise _Refused(
                    f"uses the YAML alias *{event.anchor} at line {event.start_mark.line + 1}; "
                    "inputs files take plain values (aliases could expand without bound)"
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    repeated = key in seen
                except TypeError:
                    continue  # an unhashable key: SafeLoader refuses it itself
                if repeated:
                    raise _Refused(
                        f"gives the key {str(key)[:60]!r} twice (line {key_node.start_mark.line + 1})"
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

        def construct_yaml_int(self, node: Any) -> Any:
            _digits(str(node.value))
            return super().construct_yaml_int(node)

        def construct_yaml_float(self, node: Any) -> Any:
            _digits(str(node.value))
            return super().construct_yaml_float(node)

        def construct_yaml_timestamp(self, node: Any) -> Any:
            # A plain date is a date; anything more (a time of day) stays the text it was, so
            # core's one date rule (core.validation.as_date) refuses it as it refuses that JSON text.
            text = str(node.value)
            if _ISO_DAY.fullmatch(text.strip()):
                try:
                    return super().construct_yaml_timestamp(node)
                except ValueError:  # 2025-02-30: the date rule says what is wrong
                    return text
            return text

    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    Loader.add_constructor("tag:yaml.org,2002:float", Loader.construct_yaml_float)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
    return Loader


def load_structured(path: str | Path) -> Any:
    """The data of a JSON file (``.json``) or else a YAML file, parsed safely within limits.

    Raises
    ------
    DealDeskInputError
        The file is too large, not UTF-8, nested too deep, holds a huge number,
        a repeated key, a YAML alias or text a workbook cannot hold, or is not
        valid JSON/YAML; the message names the file, the rule and the limit.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.json").write_text('{"term_years": 7, "term_years": 8}')
    >>> load_structured(folder / "a.json")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: a.json gives the key 'term_years' twice
    """
    source = Path(path)
    name = source.name
    maximum = limit("MAX_INPUT_BYTES", MAX_INPUT_BYTES)
    try:
        size = source.stat().st_size
        if size > maximum:
            raise DealDeskInputError(
                f"{name} is {_mb(size)}; the limit for an inputs file is {_mb(maximum)} "
                "(MAX_INPUT_BYTES, raise it with DEALDESK_MAX_INPUT_BYTES)"
            )
        with source.open("rb") as fh:
            data = fh.read(maximum + 1)
    except OSError as error:
        raise DealDeskInputError(f"{name} cannot be read: {error.strerror or error}") from None
    if len(data) > maximum:
        raise DealDeskInputError(
            f"{name} is larger than {_mb(maximum)} (MAX_INPUT_BYTES, raise it with DEALDESK_MAX_INPUT_BYTES)"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DealDeskInputError(f"{name} is UTF-16 text; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DealDeskInputError(
            f"{name} is not UTF-8 text (byte {error.start + 1} cannot be decoded); save it as UTF-8"
        ) from None
    depth = limit("MAX_DEPTH", MAX_DEPTH)
    try:
        if _depth_of_brackets(text) > depth:
            raise _Refused(
                f"is nested deeper than {depth} levels (MAX_DEPTH, raise it with DEALDESK_MAX_DEPTH)"
            )
        if source.suffix.lower() == ".json":
            try:
                parsed = json.loads(
                    text,
                    object_pairs_hook=_unique_pairs,
                    parse_int=lambda t: int(_digits(t)),
                    parse_float=lambda t: float(_digits(t)),
                )
            except json.JSONDecodeError as exc:
                raise DealDeskInputError(
                    f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}"
                ) from None
        else:
            import yaml

            try:
                parsed = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" at line {mark.line + 1}" if mark is not None else ""
                problem = " ".join(str(getattr(exc, "problem", None) or exc).split())[:200]
                raise DealDeskInputError(f"{name} is not valid YAML{where}: {problem}") from None
        _check_tree(parsed)
    except _Refused as refused:
        raise DealDeskInputError(f"{name} {refused}") from None
    except (RecursionError, MemoryError):
        raise DealDeskInputError(
            f"{name} is nested too deep or too large to read (MAX_DEPTH is {depth}, MAX_INPUT_BYTES {_mb(maximum)})"
        ) from None
    return parsed


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


def open_workbook(source: Path, **options: Any) -> Any:
    """``openpyxl.load_workbook(source, **options)``; a part it cannot parse is one line naming the file.

    openpyxl refuses XML that declares entities (an external entity reading a
    local file, or "billion laughs") through defusedxml, and a damaged part, with
    its own exception; both become ``<file> cannot be read as a workbook: <why>``.
    """
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    try:
        return load_workbook(source, **options)
    except Exception as error:  # openpyxl's own error for a damaged or refused part
        why = _root_cause(error)
        inner = error
        while inner.__cause__ is not None or inner.__context__ is not None:
            inner = inner.__cause__ or inner.__context__  # type: ignore[assignment]
        if isinstance(inner, DefusedXmlException):
            why = (
                "its XML declares entities, which are refused (they can read other files "
                "or expand without end)"
            )
        raise WorkbookInputError(f"{source.name} cannot be read as a workbook: {why}") from error


def read_input_values(path: str | Path) -> dict[str, tuple[str, str, Any]]:
    """Raw input values of a template copy: name -> (sheet, coordinate, cell value).

    Inputs whose defined name is missing are left out (:func:`read_inputs`
    reports them).
    """
    source = check_workbook_file(path)
    wb = open_workbook(source, read_only=True, data_only=True, keep_vba=False, keep_links=False)
    try:
        out: dict[str, tuple[str, str, Any]] = {}
        for spec in INPUTS:
            where = _locate(wb, spec.name)
            if where is None:
                continue
            sheet, ref = where
            # Read-only sheets are parsed lazily: a damaged sheet fails here, not at load.
            out[spec.name] = (sheet, ref, wb[sheet][ref].value)
        return out
    except Exception as error:  # a damaged sheet part, named with the file
        raise WorkbookInputError(
            f"{source.name} cannot be read as a workbook: {_root_cause(error)}"
        ) from error
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

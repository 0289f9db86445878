"""Safe, reproducible writing of workbooks: atomic replace, fixed bytes, text that stays text.

Four promises every report build keeps:

* **Atomic**: the workbook is written to a temporary file in the target
  directory and moved over the target with ``os.replace``; an interrupted
  build leaves no partial file and leaves any previous file untouched.
* **Reproducible**: the same inputs give the same bytes. openpyxl stamps the
  save time into ``docProps/core.xml``; :func:`normalise_xlsx` sets the
  created/modified stamps to a given constant and rewrites the zip with fixed
  entry timestamps and attributes, entries in the order openpyxl wrote them.
* **No formula injection**: text that came from inputs (deal names, sources)
  and starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) is stored
  as a plain string cell with Excel's quote prefix, so it stays text even when
  a user edits the cell (:func:`write_text`); characters no workbook can hold
  (control characters, lone surrogates) are replaced by U+FFFD.
* **Saved values stand**: the workbook records the calculation engine of
  current Excel (:data:`CALC_ID`) as the one that computed its values.
  Excel recalculates every formula on open when a file's ``calcId`` is below
  its own engine's (ECMA-376 Part 1, 18.2.2 calcPr; MS-XLS 2.4.215 RecalcId);
  openpyxl writes 124519, Excel 2007's, so every Excel since would recompute
  the file on open, and a DEAL formula computed before the add-in loads shows
  ``#NAME?``. With :data:`CALC_ID` Excel shows the saved values and
  recalculates a cell only when something it depends on changes.

An interrupted write (a crash, ``kill -9``) can leave its temporary file
behind; the next write to the same target removes such stale siblings. A
temporary file in use holds an exclusive lock, so a concurrent writer's file
is never taken for a stale one.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

__all__ = [
    "CALC_ID",
    "FIXED_TIMESTAMP",
    "FORMULA_PREFIXES",
    "OutputPathError",
    "MAX_NAME_BYTES",
    "atomic_write",
    "check_not_same_file",
    "check_output_name",
    "formula_values",
    "normalise_xlsx",
    "remove_stale_temporaries",
    "save_workbook_reproducibly",
    "set_value",
    "write_text",
]

#: The calculation engine id Excel 2019 and Microsoft 365 write into ``calcPr`` (an Excel release
#: with a newer engine would write a larger one; a workbook that has one keeps it).
CALC_ID = 191029
#: Stamp written as created/modified when the caller gives none (the reference deal's signing day).
FIXED_TIMESTAMP = dt.datetime(2025, 11, 3, 0, 0, 0)
#: First characters that make Excel (or LibreOffice) read text as a formula or a DDE call.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Earliest time a zip entry can carry (DOS epoch); fixed so bytes do not depend on the clock.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_CORE_XML = "docProps/core.xml"
_STAMP_RE = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)([^<]*)(</dcterms:\2>)")
# Characters no .xlsx can hold (openpyxl refuses C0 controls; a lone surrogate cannot be encoded).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Characters of the target's name kept in its temporary file's name (file names hold 255 bytes).
_TMP_NAME_CHARS = 40
# Without file locks (Windows), a temporary file this old is taken as stale, seconds.
_STALE_AFTER_S = 3600.0


class OutputPathError(OSError):
    """The output cannot be written (locked, read-only, disk full, or it is the input itself)."""


# --------------------------------------------------------------------------- cells


def writable_text(text: str) -> str:
    """``text`` with the characters no .xlsx can hold (controls, lone surrogates) replaced by U+FFFD.

    >>> writable_text("AWS" + chr(0xD800) + chr(1) + "–OpenAI") == "AWS" + "\ufffd" * 2 + "–OpenAI"
    True
    """
    return _UNWRITABLE.sub("\ufffd", text)


def write_text(cell: Any, value: Any) -> Any:
    """Put ``value`` in ``cell``; strings are always stored as text, never as a formula.

    openpyxl treats any string starting with ``=`` as a formula; this sets the
    cell's type to string after assignment, so ``=HYPERLINK(...)`` from a deal
    name is shown as those characters and never evaluated.

    >>> from openpyxl import Workbook
    >>> c = Workbook().active["A1"]
    >>> _ = write_text(c, '=HYPERLINK("http://x")')
    >>> c.value, c.data_type, c.quotePrefix
    ('=HYPERLINK("http://x")', 's', True)
    >>> _ = write_text(c, "bad\\x00name"); c.value
    'bad\ufffdname'
    """
    if isinstance(value, str):
        value = writable_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    return cell


def set_value(ws: Any, row: int, column: int, value: Any, *, number_format: str | None = None) -> Any:
    """Write one value (text safely via :func:`write_text`) and optionally its number format."""
    cell = ws.cell(row=row, column=column)
    write_text(cell, value)
    if number_format is not None:
        cell.number_format = number_format
    return cell


# --------------------------------------------------------------------------- paths


def check_not_same_file(out: str | os.PathLike[str], *inputs: str | os.PathLike[str] | None) -> Path:
    """Return ``out`` resolved; refuse it when it is one of ``inputs`` (after resolving links).

    >>> check_not_same_file("a.xlsx", "a.xlsx")
    Traceback (most recent call last):
    ...
    workbook.xlsxio.OutputPathError: refusing to overwrite the input file a.xlsx: choose another --out
    """
    target = Path(out).expanduser().resolve()
    for item in inputs:
        if item is None:
            continue
        source = Path(item).expanduser().resolve()
        same = source == target
        if not same and source.exists() and target.exists():
            try:
                same = os.path.samefile(source, target)
            except OSError:  # pragma: no cover - defensive
                same = False
        if same:
            raise OutputPathError(f"refusing to overwrite the input file {Path(out)}: choose another --out")
    return target


#: Longest file name most file systems hold, bytes (the name alone, not the folder).
MAX_NAME_BYTES = 255


def check_output_name(
    flag: str, out: str | os.PathLike[str], *, suffixes: tuple[str, ...] = (".xlsx",)
) -> Path:
    """Refuse an output name with another suffix or too long for the file system; returns it as a Path.

    The suffix rule holds for the file really written too: a link named
    ``values.xlsx`` that leads to ``notes.txt`` (or to ``~/.bashrc``) is refused,
    since the write would replace that file.

    >>> check_output_name("--out", "report.txt")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: --out must end in .xlsx, got 'report.txt'
    """
    from core.validation import DealDeskInputError

    path = Path(out)
    if path.suffix.lower() not in suffixes:
        raise DealDeskInputError(f"{flag} must end in {' or '.join(suffixes)}, got {path.name[:80]!r}")
    real = Path(os.path.realpath(path))  # through every link, even one that leads nowhere yet
    if real.suffix.lower() not in suffixes:
        raise DealDeskInputError(
            f"{flag} {path.name[:80]!r} is a link to {str(real)[:120]!r}, which does not end in "
            f"{' or '.join(suffixes)}: refusing to overwrite it"
        )
    size = len(os.fsencode(path.name))
    if size > MAX_NAME_BYTES:
        raise DealDeskInputError(
            f"{flag} file name is {size} bytes long; the limit is {MAX_NAME_BYTES} (choose a shorter name)"
        )
    return path


def _describe_os_error(exc: OSError, path: Path) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"cannot write {path}: the disk is full ({exc.strerror})"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"cannot write {path}: permission denied or the file is locked "
            "(close it in Excel, or choose another --out)"
        )
    if isinstance(exc, IsADirectoryError):
        return f"cannot write {path}: it is a directory"
    return f"cannot write {path}: {exc.strerror or exc}"


def _tmp_prefix(target: Path) -> str:
    return f".{target.name[:_TMP_NAME_CHARS]}."


def _lock(fd: int) -> bool:
    """Hold an exclusive lock on an open file (released by the system if the process dies)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: stale files are recognised by age
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_stale_temporaries(target: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files an interrupted write of ``target`` left next to it; returns them.

    A temporary file is stale when no process holds its lock (the writer died);
    where file locks are not available, when it is older than an hour.
    """
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    removed: list[Path] = []
    try:
        candidates = list(directory.glob(_glob_escape(_tmp_prefix(target)) + "*.tmp"))
    except OSError:
        return removed
    for candidate in candidates:
        try:
            fd = os.open(candidate, os.O_RDONLY)
        except OSError:
            continue
        try:
            stale = _lock(fd) if _has_locks() else time.time() - os.fstat(fd).st_mtime > _STALE_AFTER_S
            if stale:
                candidate.unlink(missing_ok=True)
                removed.append(candidate)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _has_locks() -> bool:
    try:
        import fcntl  # noqa: F401
    except ImportError:  # pragma: no cover - Windows
        return False
    return True


def _glob_escape(text: str) -> str:
    """``text`` with glob's special characters escaped."""
    import glob

    return glob.escape(text)


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], object]) -> Path:
    """Write a file atomically: ``write(fh)`` fills a temp file that then replaces ``path``.

    The temporary file lives in the target directory (so ``os.replace`` is a
    rename on one file system), is flushed and fsynced, and is removed if
    ``write`` raises; the previous ``path``, if any, is then untouched.

    Raises
    ------
    OutputPathError
        The directory cannot be created or written, the target is locked or
        read-only, or the disk is full; the message names the path.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputPathError(f"cannot write {target}: it is a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        fd, tmp_name = tempfile.mkstemp(prefix=_tmp_prefix(target), suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputPathError(_describe_os_error(exc, target)) from exc
    tmp = Path(tmp_name)
    locked = _lock(fd)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
            # Keep the permissions a newly created file would get (mkstemp makes 0600).
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            if locked:  # replace while the lock is held: no other writer takes it for stale
                os.replace(tmp, target)
        if not locked:
            os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputPathError(_describe_os_error(exc, target)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


# --------------------------------------------------------------------------- reproducible bytes


def _stamp(moment: dt.datetime | dt.date) -> str:
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def normalise_xlsx(data: bytes, *, timestamp: dt.datetime | dt.date = FIXED_TIMESTAMP) -> bytes:
    """Make an .xlsx byte-for-byte reproducible.

    Sets ``dcterms:created`` and ``dcterms:modified`` in ``docProps/core.xml``
    to ``timestamp`` (UTC) and rewrites the zip with the DOS-epoch time, fixed
    attributes and deflate on every entry, keeping the entries' order.
    """
    stamp = _stamp(timestamp)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == _CORE_XML:
                text = body.decode("utf-8")
                text = _STAMP_RE.sub(lambda m: m.group(1) + stamp + m.group(4), text)
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body, compresslevel=6)
    return out.getvalue()


def formula_values(data: bytes, parts: Mapping[str, Iterable[str]], error: str) -> bytes:
    """The .xlsx ``data`` with the Excel error ``error`` saved as the value of formula cells.

    ``parts`` maps a worksheet's part (``xl/worksheets/sheet1.xml``) to cell
    coordinates. openpyxl writes a formula without a value (``<f>..</f><v/>``),
    so a viewer that does not recalculate shows nothing; with this it shows
    ``error`` and Excel still computes the formula. Use as ``finish`` of
    :func:`save_workbook_reproducibly`.
    """

    def saved(wanted: set[str]) -> Callable[[re.Match[str]], str]:
        def replace(m: re.Match[str]) -> str:
            if m["ref"] not in wanted:
                return m.group(0)
            attrs = re.sub(r'\s+t="[^"]*"', "", m["attrs"])
            return f'<c r="{m["ref"]}"{attrs} t="e">{m["f"]}<v>{error}</v></c>'

        return replace

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in parts:
                text = _FORMULA_CELL.sub(saved(set(parts[info.filename])), body.decode("utf-8"))
                body = text.encode("utf-8")
            dst.writestr(info, body)
    return out.getvalue()


# A formula cell as openpyxl writes it: <c r="A1" s="3"><f>B1+1</f><v /></c>.
_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]{1,3}[0-9]+)"(?P<attrs>[^>]*)>'
    r"(?P<f><f\b[^>]*/>|<f\b[^>]*>.*?</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>",
    re.DOTALL,
)


def save_workbook_reproducibly(
    wb: Any,
    path: str | os.PathLike[str],
    *,
    timestamp: dt.datetime | dt.date = FIXED_TIMESTAMP,
    finish: Callable[[bytes], bytes] | None = None,
) -> Path:
    """Save an openpyxl workbook atomically with reproducible bytes; returns the path written.

    The workbook records at least :data:`CALC_ID` as the engine that calculated it. ``finish``, if
    given, edits the saved .xlsx bytes before they are normalised and written (what openpyxl cannot
    write itself, such as a formula's cached value).
    """
    wb.calculation.calcId = max(wb.calculation.calcId or 0, CALC_ID)
    wb.properties.created = _naive(timestamp)
    wb.properties.modified = _naive(timestamp)
    for field in ("title", "subject", "creator", "description", "keywords", "category", "lastModifiedBy"):
        value = getattr(wb.properties, field, None)
        if isinstance(value, str):  # document properties carry deal names too
            setattr(wb.properties, field, _UNWRITABLE.sub("\ufffd", value))
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue() if finish is None else finish(buffer.getvalue())
    data = normalise_xlsx(data, timestamp=timestamp)
    return atomic_write(path, lambda fh: fh.write(data))


def _naive(moment: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment.replace(tzinfo=None, microsecond=0)
    return dt.datetime(moment.year, moment.month, moment.day)

"""Formula cells that carry their values: the template opens with numbers, add-in or not.

Excel and LibreOffice show a formula cell's *cached* value until they
recalculate it. openpyxl writes formulas without one, so a viewer without
the DealDesk add-in shows ``#NAME?`` in every cell that depends on a DEAL
function. :func:`write_cached_values` puts the headless evaluation
(:func:`workbook.evaluate.evaluate_workbook`) into the file, next to each
formula, and turns the "recalculate everything on load" flag off so that a
viewer keeps those values until an input changes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import zipfile
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from workbook.evaluate import EXCEL_ERRORS, Evaluation, evaluate_workbook
from workbook.xlsxio import atomic_write

__all__ = ["cached_cell_xml", "evaluate_into", "write_cached_values"]

_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]{1,3}[0-9]+)"(?P<attrs>(?: (?!t=)[a-z]+="[^"]*")*)(?: t="[a-z]+")?>'
    r"(?P<f><f(?: [^>]*)?>.*?</f>)(?:<v\s*/>|<v>[^<]*</v>)?</c>",
    re.S,
)
_SHEET = re.compile(r'<sheet [^>]*?name="(?P<name>[^"]+)"[^>]*?r:id="(?P<rid>rId\d+)"')
_REL = re.compile(r"<Relationship\b[^>]*>")
_CUSTOM = re.compile(r"\bDEAL[._][A-Z]")
_CALC_FULL = re.compile(r'(<calcPr\b[^>]*?) fullCalcOnLoad="1"')


def _unescape(text: str) -> str:
    return (
        text.replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def cached_cell_xml(ref: str, attrs: str, formula: str, value: Any) -> str:
    """The XML of one formula cell with its cached value (type set as Excel writes it).

    >>> cached_cell_xml("A1", ' s="3"', "<f>1+1</f>", 2.0)
    '<c r="A1" s="3"><f>1+1</f><v>2</v></c>'
    >>> cached_cell_xml("A2", "", "<f>x</f>", True)
    '<c r="A2" t="b"><f>x</f><v>1</v></c>'
    >>> cached_cell_xml("A3", "", "<f>x</f>", "#N/A")
    '<c r="A3" t="e"><f>x</f><v>#N/A</v></c>'
    >>> cached_cell_xml("A4", "", "<f>x</f>", "a<b")
    '<c r="A4" t="str"><f>x</f><v>a&lt;b</v></c>'
    """
    if isinstance(value, bool):
        kind, text = "b", "1" if value else "0"
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if not math.isfinite(number):
            kind, text = "e", "#NUM!"
        else:
            kind, text = "", repr(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    elif isinstance(value, (dt.date, dt.datetime)):
        from openpyxl.utils.datetime import to_excel

        kind, text = "", repr(float(to_excel(value)))
    elif value is None:
        kind, text = "str", ""
    elif str(value) in EXCEL_ERRORS:
        kind, text = "e", str(value)
    else:
        kind, text = "str", escape(str(value))
    typed = f' t="{kind}"' if kind else ""
    return f'<c r="{ref}"{attrs}{typed}>{formula}<v>{text}</v></c>'


def _sheet_parts(files: dict[str, bytes]) -> dict[str, str]:
    """Sheet title -> its part name in the package (``xl/worksheets/sheet1.xml``)."""
    rels: dict[str, str] = {}
    for tag in _REL.findall(files["xl/_rels/workbook.xml.rels"].decode("utf-8")):
        rid = re.search(r'Id="([^"]+)"', tag)
        target = re.search(r'Target="([^"]+)"', tag)
        if rid and target:
            path = target.group(1)
            rels[rid.group(1)] = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    workbook = files["xl/workbook.xml"].decode("utf-8")
    return {_unescape(m["name"]): rels[m["rid"]] for m in _SHEET.finditer(workbook) if m["rid"] in rels}


def write_cached_values(
    path: str | os.PathLike[str], evaluation: Evaluation, out: str | os.PathLike[str] | None = None
) -> Path:
    """Write ``path`` (or ``out``) with every formula cell's value from ``evaluation`` cached next to it.

    Entries keep their order, time stamps and attributes, so a reproducible
    file stays reproducible. Returns the path written.
    """
    source = Path(path)
    with zipfile.ZipFile(source) as z:
        infos = z.infolist()
        files = {i.filename: z.read(i.filename) for i in infos}
    for title, part in _sheet_parts(files).items():
        if part not in files:
            continue
        text = files[part].decode("utf-8")

        def cache(m: re.Match[str], sheet: str = title) -> str:
            value = evaluation.cell(sheet, m["ref"])
            if value in ("", None) and _CUSTOM.search(m["f"]):
                # LibreOffice recalculates a formula whose cached text is empty (or blank), which
                # turns a DEAL function into #NAME? without the add-in: a dash says "no value".
                value = "–"
            return cached_cell_xml(m["ref"], m["attrs"], m["f"], value)

        files[part] = _FORMULA_CELL.sub(cache, text).encode("utf-8")
    files["xl/workbook.xml"] = _CALC_FULL.sub(r"\1", files["xl/workbook.xml"].decode("utf-8")).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as dst:
        for info in infos:
            dst.writestr(info, files[info.filename], compresslevel=6)
    data = buffer.getvalue()

    def write(fh: IO[bytes]) -> None:
        fh.write(data)

    return atomic_write(out if out is not None else source, write)


def evaluate_into(path: str | os.PathLike[str]) -> Path:
    """Evaluate a workbook headless and cache every formula's value in the file itself."""
    return write_cached_values(path, evaluate_workbook(Path(path)))

"""The template's DEAL calls as Excel sends them to xlwings Server when the cells are (re-)entered.

Each formula of the committed template that calls a DEAL function gives one
request per call, with the arguments Excel passes: a defined name or a cell
reference becomes the values saved in the file (a 2-D list; a date as its
serial number, as Office.js sends it), a text or number literal its value, an
argument left out ``None``; the list is padded with ``None`` up to the
function's parameters, as the add-in's JavaScript does.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.cell import range_boundaries

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "workbook" / "DealDesk.xlsx"
_CALL = re.compile(r"(?<![\w.])DEAL\.([A-Z_]+)\(([^()]*)\)")
_CELL = re.compile(r"^\$?[A-Z]{1,3}\$?\d+$")
_EPOCH = dt.datetime(1899, 12, 30)


def _office(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (value - _EPOCH).days
    if isinstance(value, dt.date):
        return (value - _EPOCH.date()).days
    return value


def _block(ws: Any, ref: str) -> list[list[Any]]:
    left, top, right, bottom = range_boundaries(ref.replace("$", ""))
    return [[_office(ws.cell(r, c).value) for c in range(left, right + 1)] for r in range(top, bottom + 1)]


def _argument(text: str, sheet: Any, book: Any) -> Any:
    text = text.strip()
    if not text:
        return None
    if text.startswith('"'):
        return [[text[1:-1]]]
    if re.fullmatch(r"-?[\d.]+", text):
        return [[float(text) if "." in text else int(text)]]
    if _CELL.match(text):
        return _block(sheet, text)
    ((title, ref),) = book.defined_names[text].destinations
    return _block(book[title], ref)


def template_calls(path: Path = TEMPLATE) -> list[dict[str, Any]]:
    """One ``{"cell", "function", "args"}`` per DEAL call in the template's formulas, in sheet order."""
    formulas = openpyxl.load_workbook(path)
    saved = openpyxl.load_workbook(path, data_only=True)
    calls = []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                code = "".join(cell.value.split('"')[0::2])  # DEAL names inside strings are text
                if "DEAL." not in code:
                    continue
                for name, args in _CALL.findall(cell.value):
                    calls.append(
                        {
                            "cell": f"{ws.title}!{cell.coordinate}",
                            "function": f"DEAL_{name}",
                            "args": [_argument(a, saved[ws.title], saved) for a in args.split(",")],
                        }
                    )
    return calls


def request(call: dict[str, Any], parameters: int, version: str) -> dict[str, Any]:
    """The body the add-in's JavaScript posts for ``call`` (runtime 1.4, every parameter positional)."""
    args = call["args"] + [None] * (parameters - len(call["args"]))
    return {
        "client": "Office.js",
        "func_name": call["function"].lower(),
        "args": args,
        "caller_address": f"[DealDesk.xlsx]{call['cell']}",
        "session_id": "0123456789abcdef",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "version": version,
        "runtime": "1.4",
    }

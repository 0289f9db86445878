"""Copies of the committed template with inputs typed in, for the workbook tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl

from workbook.template import DEFAULT_TEMPLATE


def edited_copy(tmp: Path, name: str = "copy.xlsx", **values: Any) -> Path:
    """A copy of the committed template with some inputs typed in (by defined name)."""
    target = tmp / name
    shutil.copyfile(DEFAULT_TEMPLATE, target)
    wb = openpyxl.load_workbook(target)
    for key, value in values.items():
        sheet, ref = next(iter(wb.defined_names[key].destinations))
        wb[sheet][ref.replace("$", "")].value = value
    wb.save(target)
    return target

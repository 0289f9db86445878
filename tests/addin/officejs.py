"""Drive the custom functions the way Excel on Office.js does, through xlwings' own code.

``call`` builds the request body that the xlwings add-in's JavaScript posts
for one cell (every argument a 2-D list, an omitted optional argument
``None``) and hands it to ``xlwings.server.custom_functions_call``, the code
xlwings Server and xlwings Lite run. The body's keys are the ones that
function reads: ``func_name``, ``args``, ``version``, ``client``, ``runtime``
(custom-functions requirement set: 1.4 writes dates as formatted numbers,
older sets as plain serials), ``culture_info_name``, ``date_format`` and
``caller_address``. It goes through ``addin.errors.custom_functions_call``,
which checks the request's shape and then calls xlwings' function.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import xlwings

import addin.functions
from addin.errors import custom_functions_call

MODULE = addin.functions


def deal_functions() -> dict[str, Any]:
    """Every custom function of the module, by Python name (new ones are found automatically)."""
    return {
        name: obj for name, obj in inspect.getmembers(MODULE) if callable(obj) and hasattr(obj, "__xlfunc__")
    }


def cell(value: Any) -> list[list[Any]]:
    """One cell as Office.js sends it."""
    return [[value]]


def call(func_name: str, *args: Any, runtime: str = "1.4") -> Any:
    """Result of ``=func(args...)`` as the add-in would receive it."""
    data = {
        "func_name": func_name,
        "args": list(args),
        "version": xlwings.__version__,
        "client": "Office.js",
        "runtime": runtime,
        "culture_info_name": "en-US",
        "date_format": "m/d/yyyy",
        "caller_address": "Sheet1!A1",
    }
    return asyncio.run(custom_functions_call(data, MODULE))


def serial(value: Any) -> Any:
    """The serial number inside a date cell written for runtime 1.4 (plain values pass through)."""
    if isinstance(value, dict) and value.get("type") == "FormattedNumber":
        return value["basicValue"]
    return value

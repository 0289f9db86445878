"""Load ``addin.functions`` under classic xlwings' decorators and report what Excel would get.

Run in a fresh interpreter (``python -m tests.addin.classic_probe``) without
``XLWINGS_ON_SERVER``: classic xlwings is Windows-only, so this stands in
for pywin32 with stub modules and then does what ``xlwings/__init__.py``
does on Windows with pywin32 — bind ``xlwings.func``/``arg``/``ret`` to
``xlwings.udfs``' classic decorators — before the add-in module is imported.
It prints one JSON object: the VBA module ``xlwings.udfs.generate_vba_wrapper``
writes for "Import Functions", each function's registered name and docs, and
the error a bad call raises (as classic's COM server would pass it to VBA).
"""

from __future__ import annotations

import io
import json
import os
import sys
import types


class COMException(Exception):
    """Stand-in for ``win32com.server.exception.COMException`` (same keyword arguments)."""

    def __init__(self, description=None, scode=None, source=None, helpfile=None, helpContext=None):
        super().__init__(description)
        self.description = description
        self.scode = scode


def _stub_pywin32() -> None:
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pythoncom.IID_IDispatch = None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *args, **kwargs: None
    server = types.ModuleType("win32com.server")
    exception = types.ModuleType("win32com.server.exception")
    exception.COMException = COMException
    win32com.client, win32com.server, server.exception = client, server, exception
    sys.modules.update(
        {
            "pythoncom": pythoncom,
            "pywintypes": pywintypes,
            "win32com": win32com,
            "win32com.client": client,
            "win32com.server": server,
            "win32com.server.exception": exception,
        }
    )


class FakeWorkbook:
    """The one attribute ``generate_vba_wrapper`` reads from the Excel workbook."""

    Name = "DealDesk.xlsm"


def main() -> None:
    if os.environ.get("XLWINGS_ON_SERVER"):
        raise SystemExit("run without XLWINGS_ON_SERVER: it selects the Office.js decorators")
    _stub_pywin32()
    import xlwings
    import xlwings.udfs as udfs

    xlwings.func, xlwings.arg, xlwings.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret

    import addin.functions as module
    from addin.errors import is_classic

    buffer = io.StringIO()
    udfs.generate_vba_wrapper("addin.functions", module, buffer, FakeWorkbook())
    functions = {
        name: {
            "registered_name": obj.__xlfunc__["name"],
            "category": obj.__xlfunc__["category"],
            "doc": obj.__xlfunc__["ret"]["doc"],
            "arg_docs": [arg["doc"] for arg in obj.__xlfunc__["args"]],
            "arg_options": [arg["options"] for arg in obj.__xlfunc__["args"]],
        }
        for name, obj in vars(module).items()
        if hasattr(obj, "__xlfunc__")
    }
    try:
        module.deal_schedule(-1, 45964, 7)
        error = None
    except COMException as raised:
        error = {"type": "COMException", "description": raised.description}
    except Exception as raised:  # reported, so the test shows what went wrong
        error = {"type": type(raised).__name__, "description": str(raised)}
    print(
        json.dumps(
            {"classic": is_classic(), "vba": buffer.getvalue(), "functions": functions, "error": error}
        )
    )


if __name__ == "__main__":
    main()

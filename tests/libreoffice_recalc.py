"""Time LibreOffice loading, recalculating and saving a workbook, through UNO.

Run by the benchmark (``tests/bench_spreadsheet.py``) with a Python that has LibreOffice's
``uno`` module (Debian's ``python3-uno`` for the system ``python3``)::

    python3 tests/libreoffice_recalc.py MODEL.xlsx OUT.xlsx --columns 3,17,40

It starts a headless ``soffice`` with a fresh profile listening on a pipe,
connects, and times separately: loading the file, a full recalculation
(``calculateAll``: every formula of every sheet, whether or not it is dirty)
and saving it as .xlsx. The values of the asked columns of the first sheet
(from the second row on) are read back after the recalculation. One JSON
object is printed: ``seconds_startup``, ``seconds_load``, ``seconds_recalc``,
``seconds_save``, ``rows``, ``values`` (column index -> list) and ``version``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _connect(pipe: str, timeout: float) -> Any:
    import uno
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _property(name: str, value: Any) -> Any:
    import uno

    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name, prop.Value = name, value
    return prop


def run(model: Path, out: Path, columns: list[int]) -> dict[str, Any]:
    import uno

    with tempfile.TemporaryDirectory(prefix="dealdesk-uno-") as tmp:
        pipe = f"dealdesk_bench_{os.getpid()}"
        profile = Path(tmp) / "profile"
        start = time.perf_counter()
        office = subprocess.Popen(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            context = _connect(pipe, timeout=120)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            startup = time.perf_counter() - start

            start = time.perf_counter()
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(str(model)), "_blank", 0, (_property("Hidden", True),)
            )
            load = time.perf_counter() - start

            start = time.perf_counter()
            doc.calculateAll()
            recalc = time.perf_counter() - start

            sheet = doc.Sheets.getByIndex(0)
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            last_row = cursor.RangeAddress.EndRow
            values = {}
            for col in columns:
                data = sheet.getCellRangeByPosition(col, 1, col, last_row).getDataArray()
                values[str(col)] = [row[0] for row in data]

            start = time.perf_counter()
            doc.storeToURL(
                uno.systemPathToFileUrl(str(out)), (_property("FilterName", "Calc MS Excel 2007 XML"),)
            )
            save = time.perf_counter() - start
            doc.close(True)
            try:
                desktop.terminate()
            except Exception:  # the office closes the bridge as it quits
                pass
        finally:
            try:
                office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                office.kill()
    version = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "seconds_startup": startup,
        "seconds_load": load,
        "seconds_recalc": recalc,
        "seconds_save": save,
        "rows": last_row,
        "values": values,
        "version": version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--columns", default="", help="zero-based column indices to read back, comma-separated"
    )
    args = parser.parse_args(argv)
    columns = [int(c) for c in args.columns.split(",") if c.strip()]
    print(json.dumps(run(args.model.resolve(), args.out.resolve(), columns)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

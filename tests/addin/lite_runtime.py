"""Run main.py the way xlwings' own Pyodide runtime does, under CPython (a child process of the tests).

Usage::

    python lite_runtime.py <work folder> <runtime folder> <first main.py> [<main.py run next>] < calls.json

The runtime folder is xlwings Server's ``wasm`` folder (``wasm_runtime.py``,
``config.py``). As in the browser, the first ``main.py`` is the module
``custom_functions`` the runtime imports when it starts; then the runtime runs
a ``main.py`` again, from its text, for the functions' metadata and again for
their JavaScript code (the second file if one is given: an edit), and every
call goes through the module it imported first. Only the browser's modules are
stand-ins: ``js`` (``console.log``, ``Object.fromEntries``) and
``pyodide.ffi`` (``to_js`` hands Python values back unchanged). Prints one
JSON line: the registered names, the functions the code associates, whether
the modules were kept, and each call's result (``{"value": ...}`` or the
runtime's ``{"error": ...}``).
"""

from __future__ import annotations

import asyncio
import importlib.machinery
import json
import os
import shutil
import sys
import types
from pathlib import Path


def _browser_stand_ins() -> None:
    js = types.ModuleType("js")
    js.console = types.SimpleNamespace(log=lambda *a: print(*a, file=sys.stderr))  # type: ignore[attr-defined]
    js.Object = types.SimpleNamespace(fromEntries=dict)  # type: ignore[attr-defined]
    pyodide = types.ModuleType("pyodide")
    pyodide.__spec__ = importlib.machinery.ModuleSpec("pyodide", None, is_package=True)
    pyodide.__path__ = []  # type: ignore[attr-defined]
    ffi = types.ModuleType("pyodide.ffi")
    ffi.__spec__ = importlib.machinery.ModuleSpec("pyodide.ffi", None)

    class JsNull:  # what xlwings checks blank cells against in the browser; nothing here is one
        pass

    ffi.JsNull = JsNull  # type: ignore[attr-defined]
    ffi.to_js = lambda value, dict_converter=None: value  # type: ignore[attr-defined]
    pyodide.ffi = ffi  # type: ignore[attr-defined]
    sys.modules.update({"js": js, "pyodide": pyodide, "pyodide.ffi": ffi})


class _JsObject(dict):
    """A request as the runtime receives it from JavaScript (it calls ``to_py()``)."""

    def to_py(self) -> dict:
        return dict(self)


def main() -> None:
    work, runtime_dir, first, *rest = sys.argv[1:]
    work_path, runtime_path = Path(work), Path(runtime_dir)
    first_text = Path(first).read_text(encoding="utf-8")
    next_text = Path(rest[0]).read_text(encoding="utf-8") if rest else first_text
    shutil.copy(runtime_path / "config.py", work_path / "config.py")
    (work_path / "custom_functions.py").write_text(first_text, encoding="utf-8")
    (work_path / "custom_scripts.py").write_text("", encoding="utf-8")
    os.chdir(work_path)
    sys.path.insert(0, str(work_path))
    _browser_stand_ins()

    runtime: dict = {"__name__": "wasm_runtime"}
    exec(
        compile((runtime_path / "wasm_runtime.py").read_text(encoding="utf-8"), "wasm_runtime.py", "exec"),
        runtime,
    )
    first_modules = sys.modules["addin.functions"]
    meta = runtime["custom_functions_meta"](next_text)
    code = runtime["custom_functions_code"](next_text)
    calls = json.loads(sys.stdin.read())
    results = []
    for request in calls:
        answer = asyncio.run(runtime["custom_functions_call"](_JsObject(request)))
        failed = isinstance(answer, dict) and "error" in answer  # the runtime's answer to a failed call
        results.append({"error": answer["error"]} if failed else {"value": answer})
    custom_functions = sys.modules["custom_functions"]
    print(
        json.dumps(
            {
                "names": sorted(f["name"] for f in meta["functions"]),
                "associated": sorted(
                    line.split('"')[1] for line in code.splitlines() if "CustomFunctions.associate" in line
                ),
                "first_is_not_main": custom_functions is not sys.modules["main"],
                "modules_kept": sys.modules["addin.functions"] is first_modules,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()

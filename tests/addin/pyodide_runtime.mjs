// Runs main.py inside real Pyodide under Node, through xlwings' own Pyodide runtime code.
//
// Usage: node pyodide_runtime.mjs <pyodide dir> <packages dir> <wasm runtime dir> <main.py> <calls.json> <wheel>...
//   pyodide dir:   the npm package `pyodide` (interpreter, standard library, pyodide-lock.json)
//   packages dir:  Pyodide's own builds (numpy, pandas, their dependencies, micropip), already
//                  checked against the lock file by the caller; loaded from there, never downloaded
//   wasm runtime:  xlwings Server's `wasm` folder (wasm_runtime.py, config.py)
//   wheels:        Lite's pure-Python requirements (xlwings, numpy-financial), installed by micropip
// Prints one JSON line: versions, registered names, associated functions, the module the calls
// went through, and each call's answer ({"value": ...} or the runtime's {"error": ...}).
//
// What the browser does, in order: load Pyodide and the packages, write the Python files, run
// wasm_runtime.py (it imports main.py as `custom_functions`), ask it for the functions' metadata
// and code (each runs main.py again from its text), then call each function from JavaScript with
// the request object the add-in builds; every call goes through the module imported first.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, packagesDir, runtimeDir, mainFile, callsFile, ...wheels] = process.argv.slice(2);
const log = (message) => process.stderr.write(`${message}\n`);

// Nothing may come from the network: the packages are the checked files, the wheels are local.
const nodeFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
  const url = String(resource?.url ?? resource);
  if (/^https?:/i.test(url)) throw new Error(`network access refused in this test: ${url}`);
  return nodeFetch(resource, options);
};

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: `${pyodideDir}/`,
  packageCacheDir: `${packagesDir}/`,
  env: { XLWINGS_LICENSE_KEY: "noncommercial" }, // xlwings.server: this noncommercial test suite
  stdout: log,
  stderr: log,
});
const loaded = [];
await pyodide.loadPackage(["numpy", "pandas", "micropip"], {
  messageCallback: (message) => loaded.push(message),
  errorCallback: log,
});

// Lite's requirements.txt: micropip installs xlwings and numpy-financial (local copies of PyPI's wheels).
pyodide.FS.mkdirTree("/wheels");
for (const wheel of wheels) pyodide.FS.writeFile(`/wheels/${path.basename(wheel)}`, fs.readFileSync(wheel));
const micropip = pyodide.pyimport("micropip");
await micropip.install(wheels.map((wheel) => `emfs:/wheels/${path.basename(wheel)}`));

// The project files the runtime imports: main.py as the functions' module, no scripts.
const home = "/home/pyodide";
const mainText = fs.readFileSync(mainFile, "utf8");
pyodide.FS.writeFile(`${home}/config.py`, fs.readFileSync(path.join(runtimeDir, "config.py"), "utf8"));
pyodide.FS.writeFile(`${home}/custom_functions.py`, mainText);
pyodide.FS.writeFile(`${home}/custom_scripts.py`, "");
pyodide.runPython(`import os, sys\nos.chdir("${home}")\nsys.path.insert(0, "${home}")`);
await pyodide.runPythonAsync(fs.readFileSync(path.join(runtimeDir, "wasm_runtime.py"), "utf8"));
pyodide.runPython(`first_functions_module = sys.modules["addin.functions"]`);

const meta = pyodide.globals.get("custom_functions_meta")(mainText);
const code = pyodide.globals.get("custom_functions_code")(mainText);
const call = pyodide.globals.get("custom_functions_call");
const results = [];
for (const request of JSON.parse(fs.readFileSync(callsFile, "utf8"))) {
  const answer = await call(request); // a plain JS object, as the add-in passes it
  const failed = answer && !Array.isArray(answer) && typeof answer === "object" && "error" in answer;
  results.push(failed ? { error: answer.error } : { value: answer ?? null });
}

const facts = JSON.parse(
  pyodide.runPython(`
import json, pathlib, sys, micropip, numpy, pandas, xlwings
root = pathlib.Path("/tmp/dealdesk")
json.dumps({
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "numpy": numpy.__version__,
    "pandas": pandas.__version__,
    "xlwings": xlwings.__version__,
    "installed": sorted(micropip.list()),
    "functions_file": sys.modules["addin.functions"].__file__,
    "files": sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts),
    "first_is_not_main": sys.modules["custom_functions"] is not sys.modules["main"],
    "modules_kept": sys.modules["addin.functions"] is first_functions_module,
})
`),
);
process.stdout.write(
  `${JSON.stringify({
    ...facts,
    loaded,
    names: meta.functions.map((f) => f.name).sort(),
    associated: [...code.matchAll(/CustomFunctions\.associate\("([^"]+)"/g)].map((m) => m[1]).sort(),
    results,
  })}\n`,
);

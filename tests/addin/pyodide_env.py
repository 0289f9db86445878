"""Where the real-Pyodide test finds its pieces, and the check of Pyodide's wheels against the lock file.

Three pieces, none of them in the repository:

* the interpreter, the npm package ``pyodide@<release>``, which ``bash .ci/setup``
  unpacks into ``.cache/pyodide-<release>``;
* Lite's pure-Python requirements (xlwings, numpy-financial), PyPI's wheels that
  ``bash .ci/setup`` downloads into ``.cache/lite-wheels`` (``pip download --no-deps``);
* Pyodide's own builds of numpy and pandas (with their dependencies and
  micropip), which no reachable registry carries: the project keeps the official
  files of the release in ``shared/pyodide-<release>`` beside the repository
  (``../shared`` from its root), with the release's ``pyodide-lock.json``.

``DEALDESK_CACHE_DIR`` and ``DEALDESK_PYODIDE_PACKAGES`` point elsewhere. A
missing piece skips the test locally, with the reason, and fails it in CI.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from addin.lite import PYODIDE_RUN
from tests.ci import skip_unless_ci

ROOT = Path(__file__).resolve().parents[2]
RELEASE = PYODIDE_RUN["release"]
#: What the functions need from Pyodide's own builds: numpy, pandas and their dependencies, and
#: micropip (with its dependency) to install Lite's other requirements.
PYODIDE_PACKAGES = ("numpy", "pandas", "python-dateutil", "pytz", "six", "micropip", "packaging")


class WheelRefused(RuntimeError):
    """A package file is missing or its sha256 is not the lock file's."""


def cache_folder() -> Path:
    """What ``bash .ci/setup`` fills: ``$DEALDESK_CACHE_DIR``, else ``.cache`` in the repository."""
    return Path(os.environ.get("DEALDESK_CACHE_DIR") or ROOT / ".cache")


def packages_folder() -> Path:
    """Pyodide's builds: ``$DEALDESK_PYODIDE_PACKAGES``, else ``../shared/pyodide-<release>`` from the root."""
    return Path(os.environ.get("DEALDESK_PYODIDE_PACKAGES") or ROOT.parent / "shared" / f"pyodide-{RELEASE}")


def interpreter_folder() -> Path:
    """The npm package ``pyodide@<release>``, unpacked: ``pyodide.mjs``, the wasm, the standard library."""
    folder = cache_folder() / f"pyodide-{RELEASE}"
    if not (folder / "pyodide.mjs").is_file():
        skip_unless_ci(f"{folder} is missing: bash .ci/setup fetches npm pyodide@{RELEASE}")
    return folder


def requirement_wheels() -> list[Path]:
    """PyPI's xlwings and numpy-financial wheels (one of each), as micropip would fetch them."""
    folder = cache_folder() / "lite-wheels"
    found = [sorted(folder.glob(f"{name}-*-py3-none-any.whl")) for name in ("xlwings", "numpy_financial")]
    if not all(len(wheels) == 1 for wheels in found):
        skip_unless_ci(
            f"{folder} must hold one xlwings and one numpy-financial wheel: bash .ci/setup downloads them"
        )
    return [wheels[0] for wheels in found]


def checked_packages(source: Path, target: Path) -> dict:
    """Copy the lock file and the wheels of :data:`PYODIDE_PACKAGES` from ``source`` to ``target``, checked.

    Each copied wheel's sha256 must be the one ``pyodide-lock.json`` gives, and
    the lock file must be the release's (:data:`addin.lite.PYODIDE_RUN`); the
    copies are what Pyodide loads, so the bytes checked are the bytes run.
    Returns the lock file's content.

    Raises
    ------
    WheelRefused
        A file is missing, or a wheel's hash or the lock file's release differs.
    """
    lock_path = source / "pyodide-lock.json"
    if not lock_path.is_file():
        raise WheelRefused(f"{lock_path} is missing")
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    if lock["info"]["version"] != RELEASE:
        raise WheelRefused(f"{lock_path} is Pyodide {lock['info']['version']}'s, expected {RELEASE}")
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_PACKAGES:
        entry = lock["packages"][name]
        copy = target / entry["file_name"]
        if not (source / entry["file_name"]).is_file():
            raise WheelRefused(f"{source / entry['file_name']} is missing ({name} {entry['version']})")
        shutil.copyfile(source / entry["file_name"], copy)
        digest = hashlib.sha256(copy.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            raise WheelRefused(
                f"{entry['file_name']}: sha256 {digest} is not the lock file's {entry['sha256']}; refused"
            )
    shutil.copyfile(lock_path, target / "pyodide-lock.json")
    return lock


def pyodide_packages(target: Path) -> dict:
    """:func:`checked_packages` from :func:`packages_folder`; skipped locally (failed in CI) if absent."""
    source = packages_folder()
    if not source.is_dir():
        skip_unless_ci(
            f"{source} is missing: Pyodide {RELEASE}'s numpy and pandas builds are kept in the project's "
            "shared folder beside the repository (or set DEALDESK_PYODIDE_PACKAGES)"
        )
    return checked_packages(source, target)

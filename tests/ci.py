"""Whether the tests run in CI, and skips that CI must not swallow."""

from __future__ import annotations

import os

import pytest

#: True when the ``CI`` environment variable is set to anything but "", "0" or "false".
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_unless_ci(reason: str) -> None:
    """Skip the test locally, but fail it in CI, where everything it needs is installed.

    A skip in CI would hide a test that never ran; CI installs LibreOffice and
    the optional extras, so a missing tool there is a broken setup, not a reason to skip.
    """
    if IN_CI:
        pytest.fail(f"{reason} (CI installs it, so this is a broken CI setup, not a skip)")
    pytest.skip(reason)

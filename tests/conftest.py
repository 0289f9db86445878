"""Test-wide settings.

Property tests explore new examples on a developer's machine (random seed,
example database kept) but are reproducible in CI: when the ``CI``
environment variable is set, hypothesis runs derandomized (the same examples
every run) and keeps no example database. Every bug a property test found is
pinned as an explicit ``@example`` next to the property, so CI checks it on
every run whatever the profile.
"""

from __future__ import annotations

from hypothesis import settings

from tests.ci import IN_CI

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if IN_CI else "dev")

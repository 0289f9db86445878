"""Test set-up for the custom functions.

xlwings chooses its decorators when it is first imported: with
``XLWINGS_ON_SERVER=true`` it binds ``xw.func`` to the Office.js
implementation (``xlwings.server``), which is what xlwings Server and xlwings
Lite run. ``xlwings.server`` is PolyForm Noncommercial code; the key
``noncommercial`` enables it for this noncommercial test suite only — it is
never set by the product. Both variables must be set before anything imports
xlwings, so they are set here, at import time of the tests' conftest.
"""

import os

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

"""A mutation check: do the tests notice when the code is wrong?

Each mutant below is one small, deliberate bug (a flipped comparison, a changed
constant, a dropped clause) written as a text patch of one source line. The
script copies the project to a temporary folder, applies one mutant at a
time there (the working tree is never touched), runs only the tests for that
module (plus the module's doctests) and records whether they failed
("killed") or still passed ("survived"). The score is killed ÷ applied.

Run from the repository root::

    .venv/bin/python -m tests.mutants                 # every mutant, one at a time
    .venv/bin/python -m tests.mutants --check         # only check that every patch still applies
    .venv/bin/python -m tests.mutants --module core/backlog.py --jobs 2
    .venv/bin/python -m tests.mutants --only B3 R1    # chosen mutants
    .venv/bin/python -m tests.mutants --random 24 --module core/assumptions/  # a sample of one package
    .venv/bin/python -m tests.mutants --list          # the mutants, without running them
    .venv/bin/python -m tests.mutants --new --per-module 12 --seed 27  # a fresh sample of each new module

A mutant whose ``old`` text is no longer found exactly once is reported as
``stale`` (the code moved on; update or drop the entry) and is not scored. When
a module has been moved, the patch is looked for in the other files of its
package. The tests run with ``CI=true`` so property tests are derandomized and
the score is reproducible. The exit status is 1 when the score (or, with
``--per-module``, any module's score) is below ``--target`` (0.9 by default).

The copy holds the files git tracks or would track (``git ls-files --cached
--others --exclude-standard``: nothing ignored, as a clone holds them once
committed), plus a link to the ignored ``.cache/`` that ``bash .ci/setup``
fills (the real Pyodide test reads it): without that link every add-in mutant
would be "killed" by a missing cache rather than by a test. A missing cache is
not hidden: the tests run with ``CI=true``, so a test that needs it fails.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import dataclasses
import io
import keyword
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Ignored folders the copy links to (the tests need them; ``bash .ci/setup`` fills them).
LINKED = (".cache",)


@dataclasses.dataclass(frozen=True)
class Mutant:
    """One deliberate bug: replace ``old`` (found exactly once in ``path``) by ``new``."""

    id: str
    path: str
    old: str
    new: str
    what: str


M = Mutant

#: Tests run for a mutant of each module (the module's doctests run as well); a key ending in
#: "/" is a package whose every file is one module (its rooms share their tests).
TESTS: dict[str, tuple[str, ...]] = {
    "core/validation.py": (
        "tests/core/test_validation.py", "tests/core/test_validation_edges.py", "tests/core/test_input_rules.py",
        "tests/core/test_input_bounds.py",
    ),
    "core/assumptions/": (
        "tests/core/test_input_bounds.py", "tests/core/test_assumptions_errors.py", "tests/core/test_input_rules.py",
        "tests/core/test_model.py",
    ),
    "core/distributions.py": ("tests/core/test_distributions.py",),
    "core/pairs.py": ("tests/core/test_pairs.py",),
    "core/counterparty.py": ("tests/core/test_counterparty.py",),
    "core/valuation.py": ("tests/core/test_valuation.py",),
    "core/backlog.py": ("tests/core/test_backlog.py",),
    "core/schedule.py": ("tests/core/test_schedule.py",),
    "core/margin.py": ("tests/core/test_margin.py", "tests/core/test_margin_rules.py"),
    "core/capacity.py": ("tests/core/test_capacity.py", "tests/core/test_capacity_billable.py"),
    "core/simulation/results.py": ("tests/core/test_simulation.py", "tests/core/test_first_full_year.py"),
    "core/simulation/arrays.py": ("tests/core/test_simulation.py", "tests/core/test_simulation_memory.py"),
    "workbook/inputs.py": ("tests/workbook/test_inputs.py",),
    "workbook/evaluate_calls.py": ("tests/workbook/test_evaluate.py", "tests/addin/test_engine_names.py"),
    "workbook/report/": (
        "tests/workbook/test_report_checks.py",
        "tests/workbook/test_report_rules.py",
        "tests/workbook/test_report.py",
        "tests/workbook/test_report_readability.py",
        "tests/workbook/test_report_sendable.py",
        "tests/workbook/test_report_benchmarks.py",
    ),
    "core/exposure/": ("tests/core/exposure", "tests/core/test_exposure_rules.py"),
    "core/companies.py": ("tests/core/test_companies.py", "tests/core/test_company_rules.py"),
    "core/deals.py": ("tests/core/test_deals.py",),
    "core/evidence/rows.py": ("tests/core/test_evidence.py",),
    "core/evidence/__init__.py": ("tests/core/test_evidence.py",),
    "core/economics.py": ("tests/core/test_economics.py", "tests/core/test_economics_fiscal.py"),
    "core/benchmarks.py": ("tests/core/test_benchmarks.py",),
    "addin/converters.py": ("tests/addin/test_converters.py", "tests/addin/test_converter_rules.py"),
    "addin/functions/": ("tests/addin/test_officejs.py", "tests/addin/test_udf_backlog_margin_capacity_economics.py"),
    "workbook/xlsxio.py": ("tests/workbook/test_report_io.py",),
    "workbook/spec/": ("tests/workbook/test_template.py",),
    "workbook/template/": ("tests/workbook/test_template.py",),
    "core/model/": ("tests/core/test_model.py", "tests/core/test_first_full_year.py"),
    "core/baseline.py": (
        "tests/core/test_baseline.py", "tests/core/test_deals.py", "tests/core/test_counterparty.py", "tests/core/exposure/test_effects.py",
    ),
    "core/contracts.py": (
        "tests/core/test_contracts.py", "tests/core/test_model.py", "tests/core/exposure",
        "tests/core/test_counterparty.py",
    ),
    "core/solve.py": ("tests/core/test_solve.py",),
    "core/claims.py": ("tests/core/test_watch_claims.py",),
    "core/watch.py": ("tests/core/test_watch_claims.py",),
    "addin/server_guard.py": (
        "tests/addin/test_server_guard.py", "tests/addin/test_server_rules.py", "tests/addin/test_server_hostile.py",
    ),
    "workbook/engine_guard.py": ("tests/workbook/test_evaluate_hostile.py",),
}

MUTANTS: tuple[Mutant, ...] = (
    # ---------------------------------------------------------------- core/validation.py
    M("V1", "core/validation.py", "too_high = maximum is not None and number > maximum",
      "too_high = maximum is not None and number >= maximum", "maximum made exclusive"),
    M("V2", "core/validation.py", "(number <= minimum if strict_min else number < minimum)",
      "(number < minimum if strict_min else number < minimum)", "strict minimum accepts the bound"),
    M("V3", "core/validation.py", "low_ok = number >= 0 if allow_zero else number > 0",
      "low_ok = number >= 0", "allow_zero=False ignored"),
    M("V4", "core/validation.py", "if not low_ok or number > 1:", "if not low_ok or number >= 1:",
      "fraction 1 refused"),
    M("V5", "core/validation.py", "    return value.strip().lower()\n", "    return value.strip()\n",
      "choices not lower-cased"),
    M("V6", "core/validation.py", "abs(months - round(months)) > 1e-6:", "abs(months - round(months)) > 0.5:",
      "term in part-months accepted"),
    M("V7", "core/validation.py", "if length is not None and array.size != length:",
      "if length is not None and array.size > length:", "too few weights accepted"),
    M("V8", "core/validation.py", "minimum=1900, maximum=2200, integer=True", "minimum=1900, maximum=2300, integer=True",
      "year limit moved"),
    M("V9", "core/validation.py", "np.any(value <= floor) if strict", "np.any(value < floor) if strict",
      "check_numbers strict bound made inclusive"),
    M("V10", "core/validation.py", "or np.any(array < 0):\n", "or np.any(array < -1):\n",
      "negative quantities accepted"),
    M("V11", "core/validation.py", "    if value is pd.NaT or (", "    if value is None and (",
      "NaT passes as a date"),
    # ---------------------------------------------------------------- core/distributions.py
    M("D1", "core/distributions.py", "return (p[0] + p[1] + p[2]) / 3", "return (p[0] + p[1] + p[2]) / 2",
      "triangular mean"),
    M("D2", "core/distributions.py", "/ (p[3] + 2)", "/ (p[3] + 1)", "PERT mean denominator"),
    M("D3", "core/distributions.py", "sigma2 = math.log1p((p[1] / p[0]) ** 2)", "sigma2 = math.log1p(p[1] / p[0])",
      "lognormal sigma"),
    M("D4", "core/distributions.py", "beta = 1 + lamb * (high - mode) / (high - low)",
      "beta = 1 + lamb * (mode - low) / (high - low)", "PERT beta shape"),
    M("D5", "core/distributions.py", "    if hi < lo:\n", "    if hi <= lo:\n", "uniform with equal bounds refused"),
    M("D6", "core/distributions.py", "if abs(sum(probs) - 1.0) > 1e-9:", "if abs(sum(probs) - 1.0) > 0.2:",
      "probabilities need not sum to 1"),
    M("D7", "core/distributions.py", "while args and (args[-1] is None or", "while args and (args[-1] is None and",
      "blank trailing text parameters kept"),
    M("D8", "core/distributions.py", '"pert": (3, 4),', '"pert": (3, 3),', "PERT lamb parameter refused"),
    M("D9", "core/distributions.py", "        return max(self.params)\n", "        return min(self.params)\n",
      "discrete upper bound"),
    # ---------------------------------------------------------------- core/pairs.py
    M("P1", "core/pairs.py", "if len(frame) < _MIN_OBSERVATIONS:", "if len(frame) <= _MIN_OBSERVATIONS:",
      "minimum observations off by one"),
    M("P2", "core/pairs.py", "if variance <= 1e-300:", "if variance < 0:", "constant benchmark accepted"),
    M("P3", "core/pairs.py", 'ratio = b_long / b_short if how == "beta" else 1.0',
      'ratio = b_short / b_long if how == "beta" else 1.0', "beta-neutral ratio inverted"),
    M("P4", "core/pairs.py", "long = amount / (1.0 + ratio)", "long = amount / (2.0 + ratio)", "gross sizing"),
    M("P5", "core/pairs.py", "return np.maximum(beta * shock + specific, -1.0)", "return beta * shock + specific",
      "leg loss not capped at -100%"),
    M("P6", "core/pairs.py", "both_pandas = isinstance(returns, (pd.Series, pd.DataFrame)) and isinstance(",
      "both_pandas = isinstance(returns, (pd.Series, pd.DataFrame)) or isinstance(",
      "earlier survivor: alignment and -> or"),
    # ---------------------------------------------------------------- core/counterparty.py
    M("C1", "core/counterparty.py", "    if last <= first:\n", "    if last < first:\n",
      "earlier survivor: equal start and target year accepted"),
    M("C2", "core/counterparty.py", "g = 1.0 + required_cagr(start, target, years=last - first)",
      "g = 1.0 + required_cagr(start, target, years=last - first + 1)", "growth over one year too many"),
    M("C3", "core/counterparty.py", "spend = spend[spend > 0]", "spend = spend[spend >= 0]",
      "years without commitments kept"),
    M("C4", "core/counterparty.py", "ratio, growth = rev / spent, spent / rev - 1.0", "ratio, growth = rev / spent, spent / rev",
      "required growth off by one"),
    M("C5", "core/counterparty.py", "np.any(values < 0):", "np.any(values < -1):", "negative commitments accepted"),
    M("C6", "core/counterparty.py", "** (offset - last),", "** (offset - last - 1),", "growth after the target"),
    # ---------------------------------------------------------------- core/valuation.py
    M("VA1", "core/valuation.py", 'return restore(checked["price"] / (1.0 + checked["move"]))',
      'return restore(checked["price"] * (1.0 - checked["move"]))', "prior close approximated"),
    M("VA2", "core/valuation.py", '- (a + b * checked["market_return"]))', '- (b * checked["market_return"]))',
      "alpha dropped"),
    M("VA3", "core/valuation.py", '"abnormal_value_added": abnormal * value_before,',
      '"abnormal_value_added": abnormal * after * count / unit,', "abnormal value on the wrong base"),
    M("VA4", "core/valuation.py", "_FIRST_YEAR_HORIZON = 1_000", "_FIRST_YEAR_HORIZON = 10_000",
      "earlier survivor: horizon x10"),
    M("VA5", "core/valuation.py", "    if value >= level:\n", "    if value > level:\n",
      "earlier survivor: value equal to the threshold"),
    M("VA6", "core/valuation.py", 'and not (isinstance(value, float) and math.isnan(value)) and value != ""',
      'and not (isinstance(value, float) and math.isnan(value))', "earlier survivor: blank segment counted"),
    M("VA7", "core/valuation.py", "** (wanted - first)\n", "** (wanted - first + 1)\n", "path compounds a year early"),
    M("VA8", "core/valuation.py", '"passes": bool(at_target >= level),', '"passes": bool(at_target > level),',
      "passing exactly at the threshold"),
    M("VA9", "core/valuation.py", "if has_value == has_product:", "if has_value and has_product:",
      "segment with neither value nor metric accepted"),
    # ---------------------------------------------------------------- core/backlog.py
    M("B1", "core/backlog.py", "if not start <= day <= last_day:", "if not start <= day:",
      "earlier survivor: tranche dates after the end accepted"),
    M("B2", "core/backlog.py", "derecognised = unused * min(contractual(t) / contractual(horizon), 1.0)",
      "derecognised = 0.5 * unused * min(contractual(t) / contractual(horizon), 1.0)",
      "earlier survivor: current_rpo prorata halved"),
    M("B3", "core/backlog.py", "derecognised = unused if t >= horizon else 0.0",
      "derecognised = unused if t > horizon else 0.0", "earlier survivor: >= -> > on the last day"),
    M("B4", "core/backlog.py", "    if new <= 0:\n", "    if new < 0:\n", "earlier survivor: zero backlog accepted"),
    M("B5", "core/backlog.py", "if abs(total - amount) > 1e-6 * max(1.0, amount):",
      "if abs(total - amount) > 1e-1 * max(1.0, amount):", "tranches need not add up"),
    M("B6", "core/backlog.py", "booked = sum(a for d, a in pairs if d <= day)",
      "booked = sum(a for d, a in pairs if d < day)", "booking on as_of missed"),
    M("B7", "core/backlog.py", "year_later = (pd.Timestamp(day) + pd.DateOffset(months=12)).date()",
      "year_later = (pd.Timestamp(day) + pd.DateOffset(months=11)).date()", "current RPO window"),
    M("B8", "core/backlog.py", "years = (days[:-1] - t0 + 0.5) / DAYS_PER_YEAR",
      "years = (days[:-1] - t0 + 1.0) / DAYS_PER_YEAR", "remaining life not mid-day"),
    M("B9", "core/backlog.py", "        derecognised[-1] = unused\n", "        derecognised[0] = unused\n",
      "unused commitment lapses at the start"),
    M("B10", "core/backlog.py", "derecognised = unused * shape / shape.sum()",
      "derecognised = unused * recognised / max(earned, 1e-300)", "the subnormal prorata bug back"),
    M("B11", "core/backlog.py", "amount / len(items)))", "amount / (len(items) + 1)))", "equal tranches"),
    # ---------------------------------------------------------------- core/schedule.py
    M("S1", "core/schedule.py", 'params.get("midpoint", 0.5)', 'params.get("midpoint", 0.4)',
      "earlier survivor: S-curve midpoint"),
    M("S2", "core/schedule.py", 'if mode == "compress" and delay >= total_days:',
      'if mode == "compress" and delay > total_days:', "compress delay as long as the term"),
    M("S3", "core/schedule.py", 'params.get("steepness", 10.0)', 'params.get("steepness", 8.0)',
      "S-curve steepness"),
    M("S4", "core/schedule.py", "return lambda x: 1.0 - (1.0 - np.clip(x, 0.0, 1.0)) ** (p + 1)",
      "return lambda x: 1.0 - (1.0 - np.clip(x, 0.0, 1.0)) ** p", "front-loaded power"),
    M("S5", "core/schedule.py", "return day.year + 1 if day.month > fiscal_year_end else day.year",
      "return day.year + 1 if day.month >= fiscal_year_end else day.year", "fiscal year label"),
    M("S6", "core/schedule.py", "norm = r + (1 - r) / (2 * x_f)", "norm = r + (1 - r) / x_f",
      "unfinished ramp not normalised"),
    M("S7", "core/schedule.py", "if not EARLIEST_START <= start_date <= LATEST_START:",
      "if not EARLIEST_START <= start_date:", "start after 2199 accepted"),
    M("S8", "core/schedule.py", 'params.get("initial_rate", 0.0)', 'params.get("initial_rate", 0.1)',
      "ramp starts above zero"),
    # ---------------------------------------------------------------- core/margin.py, capacity.py, simulation.py
    M("MG1", "core/margin.py", '"change_bps": (blended - base_margin) * BPS_PER_UNIT,',
      '"change_bps": (blended - base_margin) * 1000,', "bps factor"),
    M("CP1", "core/capacity.py", "return ((whole, 1 - part), (whole + 1, part)) if part else ((whole, 1 - part),)",
      "return ((whole, part), (whole + 1, 1 - part)) if part else ((whole, 1 - part),)",
      "earlier survivor: fractional lead shares swapped"),
    M("CP2", "core/capacity.py", "        / MUSD_PER_BN\n", "        / 1e2\n", "facility capex unit"),
    M("SM1", "core/simulation/results.py", "np.mean(x < below) if below is not None", "np.mean(x <= below) if below is not None",
      "earlier survivor: probability boundary"),
    # ---------------------------------------------------------------- workbook/inputs.py
    M("I1", "workbook/inputs.py", "if ratio > MAX_COMPRESSION_RATIO:", "if ratio > MAX_COMPRESSION_RATIO * 10:",
      "earlier survivor: zip ratio limit x10"),
    M("I2", "workbook/inputs.py", "if len(destinations) != 1:", "if len(destinations) < 1:",
      "earlier survivor: multi-area name accepted"),
    M("I3", "workbook/inputs.py", 'if isinstance(cell, str) and cell.startswith("#"):', "if False:",
      "earlier survivor: Excel error values not refused"),
    M("I4", "workbook/inputs.py", "if total > MAX_UNCOMPRESSED_BYTES:", "if total > MAX_UNCOMPRESSED_BYTES * 10:",
      "expanded size limit x10"),
    M("I5", "workbook/inputs.py", 'if ":" in ref or sheet not in wb.sheetnames:', "if sheet not in wb.sheetnames:",
      "range name read from its first cell"),
    M("I6", "workbook/inputs.py", "if cell is None or (isinstance(cell, str) and not cell.strip()):",
      "if cell is None:", "blank text cell not reported as blank"),
    # ---------------------------------------------------------------- workbook/report.py
    M("R1", "workbook/report.py", "return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))",
      "return abs(a - b) <= 1e-3 * max(1.0, abs(a), abs(b))", "earlier survivor: check tolerance"),
    M("R2", "workbook/report.py", 'rows.append(("Backlog ends at zero", 0.0, float(backlog["ending"].iloc[-1])))',
      'rows.append(("Backlog ends at zero", 0.0, 0.0 * float(backlog["ending"].iloc[-1])))',
      "earlier survivor: backlog-ends-at-zero check vacuous"),
    M("R3", "workbook/report.py", "    year = margin.iloc[1]\n", "    year = margin.iloc[0]\n",
      "earlier survivor: bridge on the partial first year"),
    M("R4", "workbook/report.py", 'return pd.DataFrame({"chart_label": words, "chart_bps": [None, change, change]})',
      'return pd.DataFrame({"chart_label": words, "chart_bps": [0.0, change, change]})',
      "the bridge's base drawn as a bar"),
    M("R5", "workbook/report.py", "if (k + 1) % _L.charts_per_page == 0 and k + 1 < len(charts):",
      "if (k + 1) % 2 == 0 and k + 1 < len(charts):", "earlier survivor: extra page break"),
    M("R6", "workbook/report.py", 'worst = float((moved - backlog["ending"]).abs().max(skipna=False))',
      'worst = float((moved - backlog["ending"]).abs().min(skipna=False))', "roll-forward check reads the best period"),
    M("R7", "workbook/report.py", "math.floor(low / step + 1e-9) * step - (step if low < 0 else 0.0)",
      "math.floor(low / step + 1e-9) * step", "no room under a dilution's bar for its label"),
    M("R8", "workbook/report.py", "chosen = sorted(sorted(allowed, key=lambda v: (abs(v - base), v))[:GRID_VALUES])",
      "chosen = sorted(allowed)[:GRID_VALUES]", "sensitivity grid no longer centred on the base case"),
    M("R9", "workbook/report.py", 'if rec["min"] == rec["max"]:', 'if rec["min"] == rec["max"] and False:',
      "figures no draw moves padded into the Monte Carlo table"),
    M("R10", "workbook/report.py", 'if found.fmt == "flag":  # a yes/no figure: the share of draws where it holds',
      'if False:', "a yes/no figure summarised as a statistic"),
    M("R11", "workbook/report.py", 'if name == "price_per_gpu_hour" and (a.fleet_gpus is not None or a.fleet_it_mw is not None):',
      'if False:', "a price that sizes nothing in the sensitivity grid"),
    # ---------------------------------------------------------------- a second sample, written blind
    M("DL1", "core/deals.py", "if not np.isfinite(number) or number <= 0:", "if not np.isfinite(number) or number < 0:",
      "zero deal value accepted"),
    M("DL2", "core/deals.py", "(np.isnan(value) or high < value)", "(np.isnan(value) or high <= value)",
      "high value equal to the value refused"),
    M("DL3", "core/deals.py", "        if end < start:\n", "        if end <= start:\n", "one-day contract refused"),
    M("DL4", "core/deals.py", 'if deal["end"] is not None and deal["end"] > start:',
      'if deal["end"] is not None and deal["end"] >= start:', "end on the start day used for the term"),
    M("DL5", "core/deals.py", "term = max(1, round(days / (DAYS_PER_YEAR / 12))) / 12",
      "term = max(1, int(days / (DAYS_PER_YEAR / 12))) / 12", "term from dates truncated"),
    M("DL6", "core/deals.py", 'if undisclosed and record["value_note"] == "":', "if False:",
      "undisclosed value without its words"),
    M("CV1", "addin/converters.py", "if not 1 <= day <= _SERIAL_MAX or day == 60:", "if not 1 <= day <= _SERIAL_MAX:",
      "the fictitious 1900-02-29 accepted"),
    M("CV2", "addin/converters.py", "    if day < 60:", "    if day < 59:", "leap-year bug shift off by one"),
    M("CV3", "addin/converters.py", "return serial - 1 if serial < 61 else serial",
      "return serial - 1 if serial <= 61 else serial", "1900-03-01 serial"),
    M("X1", "workbook/xlsxio.py", '        cell.data_type = "s"\n', "        pass\n", "text starting with = becomes a formula"),
    M("CN1", "core/counterparty.py", '"funding_gap": spent - rev,', '"funding_gap": np.maximum(spent - rev, 0.0),',
      "a covered year shows no surplus"),
    M("SC1", "core/schedule.py", "index = day.year * 12 + day.month - 1 + months",
      "index = day.year * 12 + day.month + months", "month arithmetic"),
    M("BL1", "core/backlog.py", "days = np.arange(max(t0, 0), horizon + 1)", "days = np.arange(max(t0, 0), horizon)",
      "remaining life misses the last day"),
    # ---------------------------------------------------------------- a third sample, written blind
    M("T1", "core/schedule.py", "if not minimum <= x <= maximum:", "if not minimum <= x:", "date fraction above its maximum"),
    M("T2", "core/schedule.py", "if mass.sum() <= 0:", "if mass.sum() < 0:", "custom shape with no mass"),
    M("T3", "core/schedule.py", "level0 = levels[before[-1]] if before.size else 0.0",
      "level0 = levels[before[0]] if before.size else 0.0", "custom level before the start"),
    M("T4", "core/schedule.py", '"year": 12}[freq]', '"year": 6}[freq]', "a year of six months"),
    M("T5", "core/schedule.py", "fye = int(check_number(\"fiscal_year_end\", fiscal_year_end, minimum=1, maximum=12,",
      "fye = int(check_number(\"fiscal_year_end\", fiscal_year_end, minimum=1, maximum=13,",
      "fiscal year end month 13"),
    M("T6", "core/valuation.py", '"value_added_to_contract": added / contract,',
      '"value_added_to_contract": value_before / contract,', "value added per contract dollar"),
    M("T7", "core/pairs.py", "if x.shape[1] != 1:", "if x.shape[1] > 2:", "two benchmark columns accepted"),
    M("T8", "core/pairs.py", "if array.ndim != 1:", "if array.ndim > 3:", "3-D returns accepted"),
    M("T9", "core/pairs.py", 'floor = 0.0 if how == "beta" else None', "floor = None", "negative betas in beta sizing"),
    M("T10", "core/counterparty.py", "wide.index.max() + 1)", "wide.index.max())", "last commitment year dropped"),
    M("T11", "core/counterparty.py", 'if not {"year", "commitments"} <= set(commitments.columns):', "if False:",
      "commitments table without its columns"),
    M("T12", "core/backlog.py", "t = (day - start_date).days + 1  # days elapsed by the end of as_of",
      "t = (day - start_date).days  # days elapsed by the end of as_of", "as_of day itself not counted"),
    M("T13", "core/backlog.py", "dmode) - 1)", "dmode))", "last contract day one late"),
    M("T14", "core/validation.py", "if not math.isfinite(number):", "if math.isnan(number):", "infinity accepted"),
    M("T15", "core/validation.py", "return dt.date.fromisoformat(value.strip())",
      "return dt.date.fromisoformat(value)", "padded date text refused"),
    M("T16", "core/distributions.py", "if p[0] == p[2]:", "if p[0] == p[1]:", "degenerate triangular test"),
    M("T17", "workbook/inputs.py", 'if not any(m.filename == "xl/workbook.xml" for m in members):', "if False:",
      "zip without a workbook part"),
    M("T18", "addin/converters.py", "day = math.floor(serial)", "day = math.ceil(serial)", "time of day rounds up"),
    M("T19", "core/deals.py", "if not np.isnan(term) and contract_end(start, term) != end:",
      "if np.isnan(term) and contract_end(start, term) != end:", "end inconsistent with the term"),
    M("T20", "workbook/report.py", 'if a.delay_mode != "forfeit" or a.delay_days == 0:',
      'if a.delay_mode != "forfeit":', "ramp check skipped without a delay"),
    # ---------------------------------------------------------------- evidence, refresh, benchmarks
    M("EV1", "core/evidence/rows.py", 'return self.independent and self.comparable and self.confidence != "low"',
      'return self.comparable and self.confidence != "low"', "overlapping rows counted twice"),
    M("EV2", "core/evidence/rows.py", 'return self.independent and self.comparable and self.confidence != "low"',
      "return self.independent and self.comparable", "low-confidence rows counted"),
    M("EV3", "core/evidence/__init__.py", 'own = [r for r in rows if company and r.company == company]',
      "own = []", "a provider's own point ignored"),
    M("EV4", "core/evidence/__init__.py", "spans = [r.span for r in _of_generation(table, generation) if r.comparable]",
      "spans = [r.span for r in _of_generation(table, generation) if r.counted]", "range of the counted rows only"),
    M("RF1", "core/economics.py", "if out[i] and years[i] + span <= last_year:",
      "if out[i] and years[i] + span < last_year:", "no refresh in the contract's last year"),
    M("RF2", "core/economics.py", "if out[i] and years[i] + span <= last_year:", "if False:", "no refresh at all"),
    M("RF3", "core/simulation/arrays.py", "out[k] += out[k - span] * live[k]", "out[k] += out[k - span]",
      "engine refreshes after the draw's last year"),
    M("BM1", "core/benchmarks.py", "if value > high + 5e-4:", "if value >= high - 5e-4:",
      "a margin at the top of a range read as above it"),
    M("BM2", "core/benchmarks.py", "gross = revenue - yearly[\"depreciation\"].to_numpy() - yearly[\"power\"].to_numpy()",
      "gross = revenue - yearly[\"depreciation\"].to_numpy()", "gross margin without power"),
)


#: Comparison and boolean operators and what a mutant swaps them for.
_SWAPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==", "and": "or", "or": "and"}


#: The modules written last, sampled by ``--new`` (a key ending in "/" is a package of rooms).
NEW_MODULES = (
    "core/exposure/",
    "core/companies.py",
    "core/deals.py",
    "core/economics.py",
    "core/capacity.py",
    "core/margin.py",
    "workbook/report/",
    "addin/converters.py",
    # written the round before: the one baseline, contracts, the solver, claims and the watch list,
    # the server's and the formula engine's guards
    "core/baseline.py",
    "core/contracts.py",
    "core/solve.py",
    "core/claims.py",
    "core/watch.py",
    "addin/server_guard.py",
    "workbook/engine_guard.py",
)


def module_of(path: str) -> str:
    """The module a file is scored under: its package when the package is one entry of ``TESTS``."""
    for key in TESTS:
        if key.endswith("/") and path.startswith(key):
            return key
    return path


def _test_files(path: str, root: Path = ROOT) -> tuple[str, ...]:
    """Tests for a module: the table above, else ``tests/<package>/test_<module>.py`` if it exists."""
    key = module_of(path)
    if key in TESTS:
        return TESTS[key]
    package, name = path.split("/")[0], Path(path).stem
    candidate = f"tests/{package}/test_{name}.py"
    return (candidate,) if (root / candidate).is_file() else ()


def _bump(number: str) -> str | None:
    """A changed constant: an integer plus one, a float doubled (0 becomes 1)."""
    text = number.replace("_", "").lower()
    if text.startswith(("0x", "0o", "0b")) or text.endswith("j"):
        return None
    if text.isdigit():
        return str(int(text) + 1)
    value = float(text)
    return "1.0" if value == 0 else repr(value * 2)


#: Arithmetic a mutant swaps (a term's sign, a unit multiplied instead of divided).
_ARITHMETIC = {"+": "-", "-": "+", "*": "/", "/": "*"}
#: Tokens after which ``+ - * /`` is a binary operator (not ``*args``, ``-x`` or ``f(*a)``).
_OPERAND_ENDS = {")", "]", "}"}


def _is_operand_end(tok: tokenize.TokenInfo | None) -> bool:
    if tok is None:
        return False
    if tok.type == tokenize.NAME:
        return not keyword.iskeyword(tok.string) or tok.string in ("True", "False", "None")
    return tok.type in (tokenize.NUMBER, tokenize.STRING) or (
        tok.type == tokenize.OP and tok.string in _OPERAND_ENDS
    )


def _files_of(module: str | None) -> list[Path]:
    """The source files of ``module`` (a file, or a package ending in "/"), else of every tested module."""
    if module:
        target = ROOT / module
        return sorted(target.rglob("*.py")) if module.endswith("/") else [target]
    files = []
    for package in ("core", "addin", "workbook"):
        files += sorted((ROOT / package).rglob("*.py"))
    return [f for f in files if _test_files(f.relative_to(ROOT).as_posix())]


def candidate_mutants(file: Path, root: Path = ROOT) -> dict[str, list[Mutant]]:
    """Every one-token mutant of ``file``, by kind: ``compare`` (a comparison or ``and``/``or``
    swapped: a boundary moved, a condition loosened), ``arithmetic`` (``+``/``-``, ``*``/``/``:
    a term's sign, a unit confused), ``number`` (a constant changed: a limit, a unit, an index)
    and ``key`` (a column or key read under the file's next subscript name: a wrong key).

    Numbers are changed only in ``core`` and the add-in's converters (elsewhere they are mostly
    layout: column widths, font sizes). Each patch is widened line by line until it is unique.
    """
    rel = file.relative_to(root).as_posix()
    text = file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(text).readline)
        if t.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    ]
    subscript = [
        k
        for k in range(1, len(tokens) - 1)
        if tokens[k].type == tokenize.STRING
        and tokens[k - 1].string == "["
        and tokens[k + 1].string == "]"
        and tokens[k].string[:1] in "\"'"
    ]
    keys = sorted({tokens[k].string for k in subscript})
    numbers_here = rel.startswith("core/") or rel == "addin/converters.py"
    pools: dict[str, list[Mutant]] = {"compare": [], "arithmetic": [], "number": [], "key": []}
    for k, tok in enumerate(tokens):
        before = tokens[k - 1] if k else None
        after = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.type in (tokenize.OP, tokenize.NAME) and tok.string in _SWAPS:
            kind, replacement = "compare", _SWAPS[tok.string]
        elif (
            tok.type == tokenize.OP
            and tok.string in _ARITHMETIC
            and _is_operand_end(before)
            and after is not None
            and after.string not in ("=", ")")
        ):
            kind, replacement = "arithmetic", _ARITHMETIC[tok.string]
        elif tok.type == tokenize.NUMBER and numbers_here:
            kind, replacement = "number", _bump(tok.string)
        elif k in subscript and len(keys) > 1:
            kind, replacement = "key", keys[(keys.index(tok.string) + 1) % len(keys)]
        else:
            continue
        (row, col), (end_row, end_col) = tok.start, tok.end
        if replacement is None or row != end_row:
            continue
        line = lines[row - 1]
        old, new, n = line, line[:col] + replacement + line[end_col:], row
        while text.count(old) != 1 and n < len(lines):  # widen until the patch is unique
            old, new, n = old + lines[n], new + lines[n], n + 1
        if text.count(old) == 1:
            name = rel.removesuffix(".py").split("/", 1)[1]
            what = f"line {row}: {tok.string} -> {replacement}"
            pools[kind].append(Mutant(f"{name}:{row}:{col}", rel, old, new, what))
    return pools


def random_mutants(count: int, seed: int, module: str | None = None) -> list[Mutant]:
    """A fresh sample of ``count`` one-token mutants drawn at random (with ``seed``).

    The kinds of :func:`candidate_mutants` take turns (each pool shuffled with ``seed``), so a
    sample mixes moved boundaries, swapped arithmetic, changed constants and wrong keys. Only
    modules with tests are sampled; with ``module`` (a file or a package ending in "/"), only it.
    """
    pools: dict[str, list[Mutant]] = {}
    for file in _files_of(module):
        for kind, found in candidate_mutants(file).items():
            pools.setdefault(kind, []).extend(found)
    rng = random.Random(seed)
    order = [kind for kind in ("compare", "arithmetic", "number", "key") if pools.get(kind)]
    for kind in order:
        rng.shuffle(pools[kind])
    chosen: list[Mutant] = []
    while len(chosen) < count and any(pools[kind] for kind in order):
        for kind in order:
            if pools[kind] and len(chosen) < count:
                chosen.append(pools[kind].pop())
    return chosen


def _locate(root: Path, mutant: Mutant) -> tuple[Path, str] | str:
    """The file holding ``mutant.old`` exactly once and its text, or why it cannot be applied."""
    first = root / mutant.path
    candidates = [first] if first.is_file() else []
    package = root / mutant.path.split("/")[0]
    candidates += [p for p in sorted(package.rglob("*.py")) if p != first and "__pycache__" not in p.parts]
    for path in candidates:
        text = path.read_text(encoding="utf-8")
        count = text.count(mutant.old)
        if count == 1:
            return path, text
        if count > 1:
            return f"stale: the patch matches {count} places in {path.relative_to(root)}"
    return "stale: the patch no longer matches the code"


def _tests_for(root: Path, mutant: Mutant, where: Path) -> list[str]:
    tests = [t for t in _test_files(mutant.path, root) if (root / t).exists()]
    return [*tests, str(where.relative_to(root))]  # the module's doctests too


def tracked_files(root: Path = ROOT) -> list[str]:
    """The files git tracks or would track (not ignored): what a clone holds once they are committed."""
    command = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    out = subprocess.run(command, cwd=root, capture_output=True, check=True).stdout
    return [name for name in out.decode("utf-8").split("\0") if name]


def copy_tree(target: Path, root: Path = ROOT) -> Path:
    """A copy of the tracked files of ``root`` in ``target``, with links to its ``LINKED`` folders."""
    for name in tracked_files(root):
        source = root / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for name in LINKED:
        if (root / name).exists():
            (target / name).symlink_to((root / name).resolve(), target_is_directory=True)
    return target


def _pytest(root: Path, paths: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true", "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow", *paths]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)


def _baseline(root: Path, mutants: list[Mutant], timeout: float) -> None:
    """Run every test file the mutants use on the unmutated copy: a mutant only counts against green tests."""
    paths: list[str] = []
    for m in mutants:
        found = _locate(root, m)
        if not isinstance(found, str):
            paths += [p for p in _tests_for(root, m, found[0]) if p not in paths]
    if paths:
        proc = _pytest(root, paths, timeout)
        if proc.returncode != 0:
            tail = "\n".join(proc.stdout.strip().splitlines()[-15:])
            raise SystemExit(f"the tests fail without any mutant; fix them first:\n{tail}")


def _run_one(root: Path, mutant: Mutant, timeout: float) -> dict[str, object]:
    found = _locate(root, mutant)
    if isinstance(found, str):
        return {"id": mutant.id, "status": found, "seconds": 0.0}
    path, text = found
    started = time.monotonic()
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
    try:
        proc = _pytest(root, _tests_for(root, mutant, path), timeout)
        if proc.returncode == 0:
            status = "survived"
        elif proc.returncode == 1:
            status = "killed"
        else:  # 2-5: the run itself broke (collection error: the mutant does not even import)
            status = "killed (error)"
    except subprocess.TimeoutExpired:
        status = "killed (timeout)"
    finally:
        path.write_text(text, encoding="utf-8")
    return {"id": mutant.id, "status": status, "seconds": time.monotonic() - started}


def run(mutants: list[Mutant], *, jobs: int = 1, timeout: float = 600.0) -> list[dict[str, object]]:
    """Apply each mutant in its own copy of the project and run its tests; one result dict per mutant."""
    with tempfile.TemporaryDirectory(prefix="dealdesk-mutants-") as tmp:
        roots = [copy_tree(Path(tmp) / f"copy{k}") for k in range(max(1, jobs))]
        _baseline(roots[0], mutants, timeout)
        free = list(roots)
        results: dict[str, dict[str, object]] = {}

        def work(mutant: Mutant) -> dict[str, object]:
            root = free.pop()
            try:
                return _run_one(root, mutant, timeout)
            finally:
                free.append(root)

        with cf.ThreadPoolExecutor(max_workers=len(roots)) as pool:
            for result in pool.map(work, mutants):
                results[str(result["id"])] = result
                m = next(m for m in mutants if m.id == result["id"])
                print(
                    f"{m.id:>5} {result['status']:<18} {float(result['seconds']):6.1f}s  {m.path}: {m.what}",
                    flush=True,
                )
    return [results[m.id] for m in mutants]


def summary(mutants: list[Mutant], results: list[dict[str, object]]) -> dict[str, tuple[int, int, list[str]]]:
    """Per module: (killed, applied, survivors' ids); stale mutants are not scored."""
    out: dict[str, tuple[int, int, list[str]]] = {}
    for m, r in zip(mutants, results, strict=True):
        status = str(r["status"])
        if status.startswith("stale"):
            continue
        killed, applied, survived = out.get(module_of(m.path), (0, 0, []))
        out[module_of(m.path)] = (
            killed + status.startswith("killed"),
            applied + 1,
            survived + ([m.id] if status == "survived" else []),
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutants")
    parser.add_argument(
        "--random",
        type=int,
        metavar="N",
        help="instead of the list, a fresh sample of N random one-token mutants",
    )
    parser.add_argument(
        "--per-module",
        type=int,
        metavar="N",
        help="instead of the list, a fresh sample of N random mutants of each module (with --new or --module)",
    )
    parser.add_argument(
        "--new", action="store_true", help="the modules written last: " + ", ".join(NEW_MODULES)
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the random samples (default 0)")
    parser.add_argument(
        "--module", nargs="+", help="only the mutants of these modules, e.g. core/backlog.py core/exposure/"
    )
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds before a test run counts as a hang"
    )
    parser.add_argument("--target", type=float, default=0.9, help="score below which the exit status is 1")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--check", action="store_true", help="only check that each patch applies")
    args = parser.parse_args(argv)

    modules = list(args.module or ()) + (list(NEW_MODULES) if args.new else [])
    if args.per_module:
        source = [
            m for module in modules or NEW_MODULES for m in random_mutants(args.per_module, args.seed, module)
        ]
    elif args.random:
        source = [m for module in modules or [None] for m in random_mutants(args.random, args.seed, module)]
    else:
        source = list(MUTANTS)
    chosen = [
        m
        for m in source
        if (not args.only or m.id in args.only)
        and (not modules or m.path in modules or module_of(m.path) in modules)
    ]
    if args.list or args.check:
        bad = 0
        for m in chosen:
            found = _locate(ROOT, m)
            state = found if isinstance(found, str) else f"applies to {found[0].relative_to(ROOT)}"
            bad += isinstance(found, str)
            print(f"{m.id:>5}  {m.path}: {m.what}" + (f"  [{state}]" if args.check else ""))
        return 1 if args.check and bad else 0

    results = run(chosen, jobs=args.jobs, timeout=args.timeout)
    applied = [r for r in results if not str(r["status"]).startswith("stale")]
    killed = [r for r in applied if str(r["status"]).startswith("killed")]
    survived = [r["id"] for r in applied if r["status"] == "survived"]
    stale = [r["id"] for r in results if str(r["status"]).startswith("stale")]
    score = len(killed) / len(applied) if applied else 0.0
    per_module = summary(chosen, results)
    print("\nper module (killed of applied):")
    for module, (k, n, left) in per_module.items():
        print(
            f"  {module:<24} {k:>3} of {n:<3} {k / n:5.0%}"
            + (f"  survived: {', '.join(left)}" if left else "")
        )
    print(
        f"\nmutation score: {len(killed)} of {len(applied)} killed ({score:.0%}); "
        f"survived: {', '.join(map(str, survived)) or 'none'}; stale: {', '.join(map(str, stale)) or 'none'}"
    )
    low = [module for module, (k, n, _) in per_module.items() if args.per_module and k / n < args.target]
    return 0 if score >= args.target and not low else 1


if __name__ == "__main__":
    raise SystemExit(main())

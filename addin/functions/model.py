"""DEAL functions of the whole model: OUTPUT(S), TABLE, SCENARIO, SENSITIVITY, TORNADO, SIMULATE.

They take the template's two-column Inputs range and run the DealDesk model (core.model,
core.scenarios, core.simulation). Then the analyst's loop: SOLVE (core.solve), CLAIMS and
WATCH (core.claims, core.watch: a library deal against the article and what was reported).
"""

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from addin.functions._args import CATEGORY, CELL, DOCS_LOOP, DOCS_WHOLE, RANGE, quoted
from core.claims import deal_claims as claims_of_deal
from core.model import MODEL_TABLES, model_output, run_model
from core.scenarios import scenario_output, scenario_table, sensitivity, tornado
from core.simulation import simulation_summary
from core.solve import solve
from core.watch import watch_list

#: Figures DEAL.SIMULATE summarises when none are named: the article's risk questions.
SIMULATE_DEFAULT_OUTPUTS = ["ramp_year2", "gap_year2", "margin_bps_peak", "npv", "market_value_target_year"]


@xw.func(name="OUTPUT", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("name", doc=DOCS_WHOLE["name"], **CELL)
@excel_errors
def deal_output(inputs, name):
    """One key figure of the whole model, by name, from the two-column Inputs range.

    Example: =DEAL.OUTPUT(Inputs, "straight_line_annual") gives 38 / 7 = 5.43 for the AWS-OpenAI base case.
    """
    return cv.cell_out(model_output(cv.assumptions("inputs", inputs), cv.text("name", name)))


@xw.func(name="OUTPUTS", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@excel_errors
def deal_outputs(inputs):
    """Every key figure of the whole model: a table of name, label, value, unit and number format.

    Example: =DEAL.OUTPUTS(Inputs) lists straight_line_annual 5.43, backlog_after_deal 238, value_added ~151.
    """
    return cv.table(run_model(cv.assumptions("inputs", inputs)).output_table())


@xw.func(name="TABLE", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("scenario", doc=DOCS_WHOLE["scenario"] + ' Blank: "base".', **CELL)
@xw.arg("table", doc=f"Table of the model run: {quoted(tuple(MODEL_TABLES))} (any case).", **CELL)
@xw.arg(
    "key",
    doc="Row to read: a value of the table's first column (a fiscal year such as 2026). "
    "Blank with column blank: the whole table.",
    **CELL,
)
@xw.arg(
    "column", doc="Column to read, by its header (for example deal_margin). Blank: the whole table.", **CELL
)
@xw.arg(
    "if_missing",
    doc="Value to return when key is not in the table (as XLOOKUP's if_not_found); only with key and "
    "column (refused for the whole table). Blank: an error naming the keys there are.",
    **CELL,
)
@excel_errors
def deal_table(inputs, scenario=None, table=None, key=None, column=None, if_missing=None):
    """A table of the whole model under a scenario (economics, margin, schedule, backlog, ...), or one value of it.

    Example: =DEAL.TABLE(Inputs, "base", "economics", 2026, "deal_margin") gives the deal's FY2026 operating margin.
    """
    return cv.table_or_cell(
        scenario_table(
            cv.assumptions("inputs", inputs),
            cv.text("scenario", scenario, default=None),
            cv.text("table", table),
            **cv.present(
                key=cv.any_cell("key", key, default=None),
                column=cv.text("column", column, default=None),
                if_missing=cv.any_cell("if_missing", if_missing, default=None),
            ),
        )
    )


@xw.func(name="SCENARIO", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("scenario", doc=DOCS_WHOLE["scenario"], **CELL)
@xw.arg("name", doc=DOCS_WHOLE["name"], **CELL)
@excel_errors
def deal_scenario(inputs, scenario, name):
    """One key figure under a named scenario (base, bull, bear), its overrides applied to the Inputs range.

    Example: =DEAL.SCENARIO(Inputs, "bear", "margin_bps_year2") gives about -40 bps.
    """
    return cv.cell_out(
        scenario_output(
            cv.assumptions("inputs", inputs), cv.text("scenario", scenario), cv.text("name", name)
        )
    )


@xw.func(name="SENSITIVITY", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("output", doc=DOCS_WHOLE["name"], **CELL)
@xw.arg("row_input", doc=DOCS_WHOLE["row_input"], **CELL)
@xw.arg("row_values", doc=DOCS_WHOLE["row_values"], **RANGE)
@xw.arg("col_input", doc=DOCS_WHOLE["col_input"], **CELL)
@xw.arg("col_values", doc=DOCS_WHOLE["col_values"], **RANGE)
@excel_errors
def deal_sensitivity(inputs, output, row_input, row_values, col_input, col_values):
    """Two-way sensitivity grid of one key figure over two inputs: row values down, column values across.

    Example: =DEAL.SENSITIVITY(Inputs, "npv", "price_per_gpu_hour", {2;2.68;3.5}, "realisation", {0.9,0.95,1}).
    """
    return cv.table(
        sensitivity(
            cv.assumptions("inputs", inputs),
            cv.text("output", output),
            cv.text("row_input", row_input),
            cv.vector("row_values", row_values),
            cv.text("col_input", col_input),
            cv.vector("col_values", col_values),
            flat=True,
        )
    )


@xw.func(name="TORNADO", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("output", doc=DOCS_WHOLE["name"], **CELL)
@xw.arg("input_names", doc=DOCS_WHOLE["input_names"], **RANGE)
@xw.arg("swing", doc=DOCS_WHOLE["swing"], **CELL)
@excel_errors
def deal_tornado(inputs, output, input_names=None, swing=None):
    """Tornado table: each input moved alone to a low and a high value, sorted by how far it moves the figure.

    Example: =DEAL.TORNADO(Inputs, "npv") puts the price per GPU-hour and realisation on top.
    """
    return cv.table(
        tornado(
            cv.assumptions("inputs", inputs),
            cv.text("output", output),
            cv.names("input_names", input_names, default=None),
            **cv.present(swing=cv.number("swing", swing, default=None)),
        )
    )


@xw.func(name="SIMULATE", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("distributions", doc=DOCS_WHOLE["distributions"], **RANGE)
@xw.arg("draws", doc=DOCS_WHOLE["draws"], **CELL)
@xw.arg("seed", doc=DOCS_WHOLE["seed"], **CELL)
@xw.arg("outputs", doc=DOCS_WHOLE["outputs"], **RANGE)
@excel_errors
def deal_simulate(inputs, distributions=None, draws=None, seed=None, outputs=None):
    """Monte Carlo of the whole model: mean, spread, percentiles and the share of draws below or above zero.

    Example: =DEAL.SIMULATE(Inputs, Risks, 100000, 1) summarises FY2026 revenue, the margin hit and the NPV.
    """
    return cv.table(
        simulation_summary(
            cv.assumptions("inputs", inputs),
            cv.distribution_rows("distributions", distributions, default=None),
            draws=cv.draws("draws", draws, default=10_000),
            seed=cv.number("seed", seed, default=0),
            outputs=cv.names("outputs", outputs, default=SIMULATE_DEFAULT_OUTPUTS),
        )
    )


# --------------------------------------------------------------------------- the analyst's loop


@xw.func(name="SOLVE", category=CATEGORY)
@xw.arg("output", doc=DOCS_WHOLE["name"] + " The figure to bring to target.", **CELL)
@xw.arg("target", doc="The value wanted, in the figure's unit (-50 for 50 bps of margin dilution).", **CELL)
@xw.arg(
    "input",
    doc="Numeric input to vary, for example price_per_gpu_hour or realisation; searched within its own "
    "rule (see dealdesk inputs).",
    **CELL,
)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("scenario", doc=DOCS_WHOLE["scenario"] + ' Blank: "base".', **CELL)
@excel_errors
def deal_solve(output, target, input, inputs=None, scenario=None):  # noqa: A002 - the name the analyst knows
    """What you would need to believe: the value of input at which the key figure output equals target; an error naming the range and the figure at both ends if none.

    Example: =DEAL.SOLVE("margin_bps_year2", -50, "price_per_gpu_hour") gives about 2.29 (US$ per GPU-hour).
    """
    return cv.cell_out(
        solve(
            cv.assumptions("inputs", inputs, default=None),
            cv.text("output", output),
            cv.number("target", target),
            cv.text("input", input),
            scenario=cv.text("scenario", scenario, default=None),
        ).value
    )


@xw.func(name="CLAIMS", category=CATEGORY)
@xw.arg("deal", doc=DOCS_LOOP["deal"], **CELL)
@xw.arg("as_of", doc=DOCS_LOOP["as_of"], **CELL)
@excel_errors
def deal_claims(deal=None, as_of=None):
    """The article's claims checked for a library deal: claim, article, model, unit, input, needed (the input value that makes it true), evidence and verdict.

    Example: =DEAL.CLAIMS() lists the nine claims for AWS–OpenAI; the margin claim needs about 2.29 a GPU-hour.
    """
    return cv.table(
        claims_of_deal(cv.text("deal", deal, default=None), as_of=cv.date("as_of", as_of, default=None)),
        empty_text=True,
    )


@xw.func(name="WATCH", category=CATEGORY)
@xw.arg("deal", doc=DOCS_LOOP["deal"], **CELL)
@xw.arg("as_of", doc=DOCS_LOOP["as_of"] + " Figures reported after it are not shown.", **CELL)
@excel_errors
def deal_watch(deal=None, as_of=None):
    """The watch list: the model as it stood on the signing day beside each figure reported since (figure, period, model, reported, variance, unit, date, source, confidence, cause).

    Example: =DEAL.WATCH("AWS–OpenAI") shows AWS backlog Q4 2025: model 237.9, reported 244. A customer's run-rate is labelled annualised and set against the revenue path's annualised rate on its day: =DEAL.WATCH("Anthropic–AWS") shows Anthropic's Apr–May 2026 run-rate, 45.5 against 10.7.
    """
    return cv.table(
        watch_list(
            **cv.present(
                deal=cv.text("deal", deal, default=None),
                as_of=cv.date("as_of", as_of, default=None),
            )
        ),
        empty_text=True,
    )

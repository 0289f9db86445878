"""Monte Carlo risk engine: distributions over inputs -> the whole model, vectorised over draws.

``simulate(a, distributions, draws=..., seed=...)`` draws the named inputs
(distributions from :mod:`core.distributions`, re-exported here),
runs the model for every draw at once with numpy (chunked, so memory stays
bounded) and returns a :class:`SimulationResult`: the draws of each output
(for histograms), summaries (mean, standard deviation, percentiles) and
probabilities of thresholds.

The vectorised model is the same composition as :func:`core.model.run_model`
(schedule by quarter with delay and realisation, backlog, margin, capacity,
economics, counterparty, valuation), written as array formulas. Every output
in ``SIMULATED_OUTPUTS`` equals ``run_model`` on the same inputs (the tests
prove it draw by draw), and :func:`simulate_reference` is the same model as
a plain-Python loop over draws.

Conventions, stated once:

* Randomness: draw ``i`` of input ``k`` comes from block ``i // BLOCK_DRAWS``
  of a numpy ``Generator`` seeded with ``SeedSequence(seed,
  spawn_key=(k, block))``, where ``k`` is the CRC-32 of the input's name.
  The same seed gives the same numbers whatever the chunk size, and an
  input's draws do not change when other inputs are added to the simulation
  or to the model.
* A draw outside an input's rule is clipped to its bounds (a normal
  realisation above 1 becomes 1).
* Inputs that change the model's time structure stay fixed: term, dates,
  fiscal calendar, profile, delay mode, booking, useful lives and capex
  lead; so do the optional inputs (a disclosed fleet, a margin override).
* The IRR and payback year are not simulated (no closed-form vector
  solution, and no value at all for some draws; use the NPV). The coverage
  ratio of a target year in which the customer has no commitments does not
  exist (``None`` in ``run_model``): it is left out of a default run and
  refused when asked for.

Rooms of the package (every public name is importable from ``core.simulation``):

* ``inputs``: what may vary, the input rules and the default risks;
* ``sampling``: the seeded block draws;
* ``plan``: the fixed structure of a run (calendar, lives, discounting);
* ``arrays`` and ``engine``: the numpy engine, the reference (and the only
  engine in Pyodide);
* ``kernel`` and ``kernel_loop``: the optional compiled kernel (numba,
  ``pip install .[fast]``), imported only when a run uses it;
* ``results``: the draws, summaries and the risk questions;
* ``run``: ``simulate``, ``evaluate``, the engine choice, chunks and threads,
  and the reference loop.
"""

from core.distributions import (
    DISTRIBUTION_KINDS,
    Distribution,
    discrete,
    distribution,
    lognormal,
    normal,
    pert,
    triangular,
    uniform,
)
from core.simulation.engine import SIMULATED_OUTPUTS
from core.simulation.inputs import (
    DEFAULT_DISTRIBUTIONS,
    SIMULATION_INPUTS,
    default_distributions,
)
from core.simulation.results import RISK_QUESTIONS, SimulationResult, risk_questions
from core.simulation.run import evaluate, simulate, simulate_reference, simulation_summary
from core.simulation.sampling import BLOCK_DRAWS, sample_inputs

__all__ = [
    "BLOCK_DRAWS",
    "DEFAULT_DISTRIBUTIONS",
    "default_distributions",
    "DISTRIBUTION_KINDS",
    "Distribution",
    "RISK_QUESTIONS",
    "SIMULATED_OUTPUTS",
    "SIMULATION_INPUTS",
    "SimulationResult",
    "discrete",
    "distribution",
    "evaluate",
    "lognormal",
    "normal",
    "pert",
    "risk_questions",
    "sample_inputs",
    "simulate",
    "simulate_reference",
    "simulation_summary",
    "triangular",
    "uniform",
]

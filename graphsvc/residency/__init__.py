"""The residency planner: match applicants with host places across the border.

* :mod:`~graphsvc.residency.model`: hosts, applicants, options, plans (plain data);
* :mod:`~graphsvc.residency.csvio`: the CSV templates, read and checked, and the plan as CSV;
* :mod:`~graphsvc.residency.solve`: the optimal and stable solvers (pure functions);
* :mod:`~graphsvc.residency.explain`: reasons rendered in the user's language;
* :mod:`~graphsvc.residency.problems`: problems of the files and locks, with codes, rendered
  in the user's language;
* :mod:`~graphsvc.residency.graphio`: the graph side (organisations, proximity, saving plans).

See ``docs/residency.md``.
"""

from graphsvc.residency.csvio import Inputs, read_inputs
from graphsvc.residency.explain import render_reason, render_why
from graphsvc.residency.model import (
    Applicant,
    Assignment,
    Host,
    Options,
    Pair,
    Plan,
    Reason,
    Unmatched,
    Weights,
)
from graphsvc.residency.solve import plan

__all__ = [
    "Applicant",
    "Assignment",
    "Host",
    "Inputs",
    "Options",
    "Pair",
    "Plan",
    "Reason",
    "Unmatched",
    "Weights",
    "plan",
    "read_inputs",
    "render_reason",
    "render_why",
]

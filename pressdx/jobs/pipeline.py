"""Transitional names, in their former shapes, for callers not yet moved to the job steps.

Import from the step modules instead: ``pressdx.jobs.run.run`` (the whole run), ``pressdx.jobs.pull``,
``pressdx.jobs.take_in``, ``pressdx.jobs.build``, ``pressdx.jobs.notify``, ``pressdx.jobs.publish``.
Everything here goes through those steps; delete this module once ``pressdx.cli`` and ``bench/`` import
them.
"""

from __future__ import annotations

from ingest.sources import Config, Incoming
from pressdx.jobs import pull
from pressdx.jobs.build import check_through, default_through
from pressdx.jobs.pull import load_cursors
from pressdx.jobs.run import RunSummary, run
from pressdx.jobs.take_in import incoming_from_landing, intake, register_units

__all__ = ["RunSummary", "check_through", "default_through", "intake", "load_cursors", "pull_all",
           "register_units", "run"]


def pull_all(cfg: Config, progress=None, states: dict[str, dict] | None = None
             ) -> tuple[list[Incoming], dict[str, str]]:
    """Every source pulled into the landing store (``pressdx.jobs.pull.pull_all``), its files as read back."""
    pulled, errors = pull.pull_all(cfg, states=states if states is not None else {}, progress=progress)
    return incoming_from_landing(pulled, cfg), errors

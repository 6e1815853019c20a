"""``audit.runs``: one row per run, saying how it truly ended.

A run starts ``running`` (with the pid and host of its process) and ends as one of:

- ``built``: its intake and the build after it finished (``through_period`` says through which period);
- ``up_to_date``: its intake found nothing that changes the marts, so it built nothing
  (``pressdx.warehouse.build_inputs``);
- ``taken_in``: its intake finished and it did not build (``pressdx run --no-build``, Airflow's take-in task);
- ``failed``: an error stopped it; ``interrupted``: Ctrl-C or SIGTERM stopped it;
- ``abandoned``: it was found ``running`` by a later run while that run held the warehouse's run lock
  (``pressdx.warehouse.lock``). Every writing run holds the lock while its row says ``running``, so a row
  still ``running`` when another run holds the lock belongs to a process that ended without a word
  (kill -9, power loss): nothing is alive to finish it.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from pressdx.warehouse.connection import Warehouse, WarehouseURL

RUNNING, BUILT, UP_TO_DATE, TAKEN_IN, FAILED, INTERRUPTED, ABANDONED = (
    "running", "built", "up_to_date", "taken_in", "failed", "interrupted", "abandoned")


def outcome_of(error: BaseException) -> str:
    """``interrupted`` for Ctrl-C and SIGTERM (``KeyboardInterrupt``, ``SystemExit``), else ``failed``."""
    return INTERRUPTED if isinstance(error, KeyboardInterrupt | SystemExit) else FAILED


def start(wh: Warehouse, run_id: str, sources_file: str | None, started_at: datetime | None = None) -> None:
    """Record run ``run_id`` as ``running`` by this process."""
    wh.insert_rows("audit.runs", ("run_id", "started_at", "sources_file", "outcome", "pid", "host"),
                   [(run_id, started_at or datetime.now(UTC), sources_file, RUNNING, os.getpid(),
                     socket.gethostname())])


def finish(wh: Warehouse, run_id: str, outcome: str, through: str | None = None) -> None:
    """Record how run ``run_id`` ended (``through``: the period its build went through, when it built)."""
    wh.execute("update audit.runs set outcome = ?, finished_at = ?, through_period = coalesce(?, through_period) "
               "where run_id = ?", (outcome, datetime.now(UTC), through, run_id))


def abandon_dead(wh: Warehouse, keep: str | None = None) -> int:
    """Mark ``abandoned`` every run still ``running`` but ``keep``; call it holding the run lock only."""
    if not wh.table_exists("audit", "runs"):
        return 0
    rows = wh.query("select run_id from audit.runs where outcome = ? and run_id <> ?", (RUNNING, keep or ""))
    if rows:
        wh.execute("update audit.runs set outcome = ?, finished_at = ? where outcome = ? and run_id <> ?",
                   (ABANDONED, datetime.now(UTC), RUNNING, keep or ""))
    return len(rows)


def finish_run(url: WarehouseURL, run_id: str, outcome: str, through: str | None = None) -> None:
    """``finish`` on a connection of its own (the run's may be gone with the error that ended it)."""
    with Warehouse(url) as wh:
        finish(wh, run_id, outcome, through)

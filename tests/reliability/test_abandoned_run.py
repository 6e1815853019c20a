"""A run killed with SIGKILL in the middle of its intake is marked ``abandoned`` by the next run, which builds."""

from __future__ import annotations

import subprocess
import time

import pytest

from pressdx.jobs.run import run
from pressdx.warehouse.connection import Warehouse
from tests.reliability.conftest import kill9, python

pytestmark = [pytest.mark.slow]

RUN = ("import sys; from pressdx.jobs.run import run\n"
       "run(sys.argv[1], sys.argv[2], '2025-Q4', build=False, progress=lambda m: print(m, flush=True))\n")


def test_a_killed_run_is_abandoned_and_the_next_one_built(engine_url, small_inbox, data_dir):
    proc = python(RUN, str(small_inbox / "sources.yml"), engine_url.url, stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.startswith("parsed "):  # inside intake: its run is recorded, files are being judged
            break
    time.sleep(0.5)
    assert proc.poll() is None, "the run ended before it could be killed"
    kill9(proc)
    with Warehouse(engine_url) as wh:
        killed = wh.query("select run_id, outcome, pid, host from audit.runs")
        half = wh.query("select count(*) from raw.submissions")[0][0]
    assert len(killed) == 1 and killed[0][1] == "running" and killed[0][2] == proc.pid and killed[0][3]
    summary = run(small_inbox / "sources.yml", engine_url.url, "2025-Q4")
    with Warehouse(engine_url) as wh:
        rows = dict(wh.query("select run_id, outcome from audit.runs"))
        through = wh.query("select through_period from audit.runs where run_id = ?", (summary.run_id,))[0][0]
        total = wh.query("select count(*) from raw.submissions")[0][0]
        events = wh.query("select count(*) from audit.intake_events where outcome = 'accepted'")[0][0]
    assert rows == {killed[0][0]: "abandoned", summary.run_id: "built"}
    assert through == "2025-Q4"
    assert total == half + len(summary.intake.accepted) == events  # nothing lost, nothing twice

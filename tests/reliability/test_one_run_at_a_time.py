"""One run at a time per warehouse, and no audit event twice even if two runs met.

The run lock (``pressdx.warehouse.lock``) makes a second run wait, or stop with one line (exit 2); the
unique index on the audit events' run-independent key makes a duplicate event impossible, lock or not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime

import pytest

from pressdx.cli import main
from pressdx.warehouse import lock
from pressdx.warehouse.connection import AUDIT_DDL, Warehouse, WarehouseURL
from tests.reliability.conftest import python

pytestmark = [pytest.mark.slow]


def _events(url: WarehouseURL) -> dict[str, int]:
    with Warehouse(url) as wh:
        return dict(wh.query("select outcome, count(*) from audit.intake_events group by 1"))


def test_a_second_run_stops_with_one_line_while_the_lock_is_held(engine_url, small_inbox, data_dir, capsys,
                                                                 monkeypatch):
    monkeypatch.setenv(lock.WAIT_ENV, "0.5")
    with lock.hold(engine_url):
        proc = subprocess.run([sys.executable, "-m", "pressdx.cli", "run", "--sources",
                               str(small_inbox / "sources.yml"), "--warehouse", engine_url.url, "--no-build"],
                              capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip()
    assert "\n" not in line and "Traceback" not in proc.stderr
    assert line.startswith("pressdx: another pressdx run holds the warehouse")
    assert f"{lock.holder_text()}, since " in line  # who holds it, since when


def test_the_lock_is_reentrant_and_waits(engine_url, monkeypatch):
    with lock.hold(engine_url), lock.hold(engine_url):
        assert lock.held(engine_url)
    assert not lock.held(engine_url)
    # held by another process for 2 s: a run allowed to wait 60 s gets it once that process lets go
    code = ("import sys, time; from pressdx.warehouse import lock; from pressdx.warehouse.connection import "
            "WarehouseURL\nwith lock.hold(WarehouseURL.parse(sys.argv[1])):\n    print('held', flush=True)\n"
            "    time.sleep(2)\n")
    proc = python(code, engine_url.url, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    started = time.monotonic()
    with pytest.raises(lock.WarehouseBusy, match="another pressdx run holds the warehouse"), \
            lock.hold(engine_url, wait=0):
        pass
    with lock.hold(engine_url, wait=60):
        waited = time.monotonic() - started
    proc.wait(timeout=30)
    assert 0.5 < waited < 30


def test_two_runs_at_once_record_every_event_once(engine_url, small_inbox, data_dir, monkeypatch):
    cmd = [sys.executable, "-m", "pressdx.cli", "run", "--sources", str(small_inbox / "sources.yml"),
           "--warehouse", engine_url.url, "--no-build"]
    env_wait = {lock.WAIT_ENV: "600"}
    procs = [subprocess.Popen(cmd, env={**os.environ, **env_wait}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=900) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [r[1][-500:] for r in results]
    once = _events(engine_url)
    # a third run changes nothing: every file was judged once, by whichever run came first
    assert main(["run", "--sources", str(small_inbox / "sources.yml"), "--warehouse", engine_url.url,
                 "--no-build"]) == 0
    assert _events(engine_url) == once
    with Warehouse(engine_url) as wh:
        (dups,) = wh.query("select count(*) from (select source_unit, sha256, source_name, path, outcome "
                           "from audit.intake_events group by 1, 2, 3, 4, 5 having count(*) > 1) d")[0]
        accepted, submissions = wh.query("select (select count(*) from audit.intake_events where outcome = "
                                         "'accepted'), (select count(*) from raw.submissions)")[0]
        outcomes = [r[0] for r in wh.query("select outcome from audit.runs order by started_at")]
    assert dups == 0 and accepted == submissions and once.get("rejected")
    assert outcomes == ["taken_in"] * 3


def test_files_another_intake_recorded_meanwhile_are_duplicates(engine_url, small_inbox, data_dir, monkeypatch):
    """The run lock bypassed, two intakes can judge the same files: the one that read the files already seen
    before the other recorded them finds them recorded when it loads. They are duplicates of what the other
    recorded: no internal error, no second event, nothing lost or loaded twice."""
    import ingest.intake

    args = ["run", "--sources", str(small_inbox / "sources.yml"), "--warehouse", engine_url.url, "--no-build"]
    assert main(args) == 0  # every file judged once (by this run or an earlier test's)
    before = _events(engine_url)
    with Warehouse(engine_url) as wh:
        (submissions,) = wh.query("select count(*) from raw.submissions")[0]
    real = ingest.intake.seen_hashes

    def read_before_the_other_recorded(wh):  # the accepted files were not recorded yet when this intake looked
        taken_in = set(wh.query("select unit_code, sha256 from raw.submissions"))
        return {key: where for key, where in real(wh).items() if key not in taken_in}

    monkeypatch.setattr(ingest.intake, "seen_hashes", read_before_the_other_recorded)
    assert main(args) == 0
    assert _events(engine_url) == before
    with Warehouse(engine_url) as wh:
        assert wh.query("select count(*) from raw.submissions")[0][0] == submissions
        assert wh.query("select count(*) from audit.intake_messages where rule = 'internal_error'")[0][0] == 0
        accepted, rejected, duplicates = wh.query(
            "select accepted, rejected, duplicates from audit.runs order by started_at desc limit 1")[0]
    assert (accepted, rejected) == (0, 0) and duplicates == before["accepted"] + before["rejected"]


def test_the_unique_key_rejects_a_forced_duplicate_event(wh):
    event = ("e1", "r1", datetime.now(UTC), "rejected", "src", "UNIT", "a.csv", "ab" * 32, datetime.now(UTC),
             None, None, None, None, None, 1, 0)
    cols = ("event_id", "run_id", "event_at", "outcome", "source_name", "source_unit", "path", "sha256",
            "received_at", "unit_code", "dataset", "period", "status", "submission_id", "error_count",
            "warning_count")
    marks = ", ".join("?" * len(cols))
    wh.execute(f"insert into audit.intake_events ({', '.join(cols)}) values ({marks})", event)
    with pytest.raises(Exception, match="(?i)duplicate|unique|constraint"):
        wh.execute(f"insert into audit.intake_events ({', '.join(cols)}) values ({marks})", ("e2", "r2", *event[2:]))
    # another place, or another outcome, of the same bytes is another event
    wh.execute(f"insert into audit.intake_events ({', '.join(cols)}) values ({marks})",
               ("e3", "r2", *event[2:3], "duplicate", *event[4:]))
    assert wh.query("select count(*) from audit.intake_events")[0][0] == 2


def test_an_old_warehouse_with_duplicates_migrates(engine_url):
    """A warehouse of before the index, holding the duplicates concurrent runs made, keeps the first of each."""
    url = engine_url
    with Warehouse(url) as wh:
        wh.execute("create schema if not exists audit")
        for table in ("intake_events", "intake_messages", "runs"):
            wh.execute(f"drop table if exists audit.{table}")
        wh.execute("create table audit.runs (run_id varchar primary key, started_at timestamptz not null, "
                   "finished_at timestamptz, sources_file varchar, through_period varchar, accepted integer, "
                   "rejected integer, duplicates integer, outcome varchar)")  # as released, without pid and host
        for ddl in AUDIT_DDL[1:3]:
            wh.execute(ddl)
        t0 = datetime(2025, 1, 1, tzinfo=UTC)
        for i, run in enumerate(("r1", "r2", "r3")):
            eid = uuid.uuid4().hex
            wh.execute("insert into audit.intake_events (event_id, run_id, event_at, outcome, source_name, "
                       "source_unit, path, sha256, error_count, warning_count) values (?, ?, ?, 'rejected', "
                       "'s', 'U', 'a.csv', 'h', 1, 0)", (eid, run, t0.replace(second=i)))
            wh.execute("insert into audit.intake_messages values (?, 1, 'error', 'x', null, null, null, 'v', 'e')",
                       (eid,))
        wh.ensure_schema()
        assert wh.query("select run_id from audit.intake_events") == [("r1",)]
        assert wh.query("select count(*) from audit.intake_messages")[0][0] == 1
        assert "pid" in {r[0] for r in wh.query("select column_name from information_schema.columns "
                                                "where table_schema = 'audit' and table_name = 'runs'")}
        wh.ensure_schema()  # and again: nothing more to do

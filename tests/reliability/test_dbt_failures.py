"""A failing or interrupted dbt invocation: its step named, its temporary folder gone, Ctrl-C not a dbt error."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.warehouse.dbt import DbtError, failed_logs_dir, run_dbt
from tests.reliability.conftest import python

pytestmark = [pytest.mark.slow]


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty(request, tmp_path) -> WarehouseURL:
    url = WarehouseURL.parse(f"duckdb:///{tmp_path}/w.duckdb" if request.param == "duckdb"
                             else request.getfixturevalue("pg_url"))
    with Warehouse(url) as wh:
        wh.ensure_schema()
    return url


def _temp_folders(root: Path) -> list[Path]:
    return sorted(root.glob("pressdx-dbt-*"))


def test_a_failed_build_names_its_step_and_removes_its_folder(empty, tmp_path, monkeypatch):
    import tempfile

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("PRESSDX_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(DbtError) as err:  # 2031-Q1 is not in the calendar: int_build__params' tests fail
        run_dbt(empty, ["build", "--exclude-resource-type", "unit_test", "--select", "+int_build__params"],
                vars={"through": "2031-Q1"}, schema_prefix="asof_bad_")
    message = str(err.value)
    assert message.startswith("dbt build failed at test ") and "unit_test" not in message
    assert _temp_folders(tmp) == []
    assert err.value.log_path.is_file() and err.value.log_path.is_relative_to(failed_logs_dir())


INTERRUPTED = """
import sys
from pressdx.warehouse.dbt import build, DbtError
try:
    build(sys.argv[1], as_of="2026-01-20T00:00:00+00:00", through="2025-Q4")
except KeyboardInterrupt:
    print("INTERRUPTED", flush=True)
except DbtError as e:
    print("DBTERROR", e, flush=True)
else:
    print("FINISHED", flush=True)
"""


@pytest.mark.parametrize("after", [1.0, 2.0, 3.0])  # from a full parse (no parse state: dbt
def test_ctrl_c_during_dbt_is_an_interruption_and_leaves_no_folder(empty, tmp_path, after):  # reports what it
    """Ctrl-C at moments of a build that parses the whole project (it catches an interrupt while it
    validates YAML and reports a parse error, which ``run_dbt`` turns back into the interruption)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = python(INTERRUPTED, empty.url, env={"TMPDIR": str(tmp), "PRESSDX_CACHE_DIR": str(tmp_path / "cache")},
                  stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not _temp_folders(tmp) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # dbt has started once its folder exists
    time.sleep(after)
    os.kill(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=300)
    assert out.strip().splitlines()[-1] == "INTERRUPTED", out
    assert _temp_folders(tmp) == []

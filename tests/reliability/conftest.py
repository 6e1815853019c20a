"""Shared pieces of the reliability tier: a small sample warehouse per engine, processes to kill, dumps.

A *dump* of a schema is every row of every relation in it, sorted, with the columns that differ between
two builds of the same data left out (``build_id``, ``built_at``: a build's identity). Two dumps are equal
only when no row was lost, duplicated or changed in any mart.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pressdx.warehouse.connection import Warehouse, WarehouseURL

VOLATILE = {"build_id", "built_at", "invocation_id", "dbt_invocation_id"}
# The hand-made 2023 data of tests/integration/test_dbt_models.py: the "old" build is as of before its
# revisions, through 2023-Q3; the "new" one as of after every submission, through 2023-Q4.
BUILDS = {"old": (datetime(2023, 10, 10, tzinfo=UTC), "2023-Q3"), "new": (datetime(2023, 12, 10, tzinfo=UTC), "2023-Q4")}


def dump(url: WarehouseURL, schema: str = "marts") -> dict[str, list[tuple]]:
    """Every relation of ``schema``: sorted rows, volatile columns left out (a writable connection, so a
    DuckDB write-ahead log left by a killed process is replayed)."""
    out: dict[str, list[tuple]] = {}
    with Warehouse(url) as wh:
        names = [r[0] for r in wh.query("select table_name from information_schema.tables where table_schema = ? "
                                        "order by 1", (schema,))]
        for name in names:
            if name == "pressdx_build_complete":
                continue
            cur = wh.query_dicts(f'select * from "{schema}"."{name}"')
            rows = [tuple((k, _norm(v)) for k, v in sorted(r.items()) if k not in VOLATILE) for r in cur]
            out[name] = sorted(rows, key=repr)
    return out


def _norm(v):
    if isinstance(v, float):
        return round(v, 9)
    if hasattr(v, "is_finite"):  # Decimal (PostgreSQL numeric)
        return round(float(v), 9)
    if isinstance(v, datetime):
        return v.astimezone(UTC).isoformat()
    return v


def differences(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> int:
    """Rows in one dump and not the other (lost, duplicated or changed), over every relation."""
    from collections import Counter

    total = 0
    for name in set(a) | set(b):
        ca, cb = Counter(map(repr, a.get(name, []))), Counter(map(repr, b.get(name, [])))
        total += sum(((ca - cb) + (cb - ca)).values())
    return total


def python(code: str, *args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    """A Python process running ``code`` (with ``args`` as ``sys.argv[1:]``), in a session of its own."""
    return subprocess.Popen([sys.executable, "-c", code, *args], env={**os.environ, **(env or {})},
                            start_new_session=True, **kw)


def kill9(proc: subprocess.Popen) -> None:
    with_group = True
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        with_group = False
    proc.wait(timeout=60)
    assert with_group or proc.returncode is not None


BUILD_CODE = ("import sys; from pressdx.warehouse.dbt import build; "
              "build(sys.argv[1], as_of=sys.argv[2], through=sys.argv[3])")


def build_in_process(url: WarehouseURL, which: str) -> subprocess.Popen:
    as_of, through = BUILDS[which]
    return python(BUILD_CODE, url.url, as_of.isoformat(), through)


def timed_build(url: WarehouseURL, which: str) -> float:
    started = time.monotonic()
    proc = build_in_process(url, which)
    assert proc.wait(timeout=1800) == 0, f"the {which} build failed"
    return time.monotonic() - started


@pytest.fixture(scope="session")
def small_inbox(tmp_path_factory) -> Path:
    from pressdx.sample.generator import generate

    out = tmp_path_factory.mktemp("inbox")
    generate(out, scale=0.1, through="2025-Q4")
    return out


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_url(request, tmp_path_factory) -> WarehouseURL:
    """A fresh warehouse URL of each engine, shared by the tests of one module."""
    if request.param == "duckdb":
        return WarehouseURL.parse(f"duckdb:///{tmp_path_factory.mktemp('wh') / 'w.duckdb'}")
    return WarehouseURL.parse(request.getfixturevalue("pg_module_url"))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """One data folder per module (landing store, quarantine), set for this process and its children."""
    folder = tmp_path_factory.mktemp("data")
    saved = os.environ.get("PRESSDX_DATA_DIR")
    os.environ["PRESSDX_DATA_DIR"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("PRESSDX_DATA_DIR", None)
    else:
        os.environ["PRESSDX_DATA_DIR"] = saved


@pytest.fixture(scope="module")
def loaded(engine_url) -> WarehouseURL:
    """The engine's warehouse with the raw rows of the dbt models' tests (not built): no intake involved."""
    from tests.integration.test_dbt_models import load_fixture

    load_fixture(engine_url)
    return engine_url


@pytest.fixture(scope="module")
def taken_in(engine_url, small_inbox, data_dir) -> WarehouseURL:
    """The engine's warehouse with the small sample taken in (not built)."""
    from pressdx.jobs.run import run

    run(small_inbox / "sources.yml", engine_url.url, "2025-Q4", build=False)
    return engine_url

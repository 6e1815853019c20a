"""A DuckDB build is made in a copy of the warehouse file and published by replacing the file
(``pressdx.warehouse.swap.building_copy``): published whole when the block ends, not at all when it fails,
and never over a write the original took meanwhile. Real DuckDB files; the dbt side is covered by
test_kill_build (kill -9 at random moments) and test_scoped_build."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from pressdx.warehouse import swap
from pressdx.warehouse.connection import Warehouse, WarehouseURL


@pytest.fixture
def url(tmp_path):
    u = WarehouseURL.parse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    with Warehouse(u) as wh:
        wh.execute("create schema marts")
        wh.execute("create table marts.figures as select 1 as n")
        wh.execute("insert into marts.figures values (2)")  # in the write-ahead log until a checkpoint
    return u


def _rows(path) -> list[int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("select n from marts.figures order by n").fetchall()]
    finally:
        con.close()


def test_the_copy_has_the_same_name_and_replaces_the_file_when_the_build_passes(url):
    with swap.building_copy(url) as copy:
        assert copy.name == url.path.name and copy.parent.parent == url.path.parent  # same database name
        assert _rows(copy) == [1, 2]  # the checkpoint put the logged row in the file before the copy
        con = duckdb.connect(str(copy))
        con.execute("insert into marts.figures values (3)")
        con.close()
    assert _rows(url.path) == [1, 2, 3]
    assert not swap.build_copy_path(url).parent.exists()
    assert not os.path.exists(f"{url.path}.wal")


def test_a_failed_build_leaves_the_file_as_it_was_and_no_copy(url):
    before = url.path.read_bytes()
    with pytest.raises(RuntimeError, match="dbt failed"), swap.building_copy(url) as copy:
        con = duckdb.connect(str(copy))
        con.execute("delete from marts.figures")
        con.close()
        raise RuntimeError("dbt failed")
    assert url.path.read_bytes() == before and _rows(url.path) == [1, 2]
    assert not swap.build_copy_path(url).parent.exists()


def test_no_other_process_can_write_the_warehouse_while_it_is_built(url):
    """Also after the copy: DuckDB's lock is a POSIX record lock, lost if this process closed any descriptor
    of the file (copying it here would have let the other process in)."""
    code = ("import sys, duckdb; duckdb.connect(sys.argv[1]).execute('insert into marts.figures values (9)')")
    with swap.building_copy(url) as copy:
        other = subprocess.run([sys.executable, "-c", code, str(url.path)], capture_output=True, text=True)
        assert other.returncode != 0 and "lock" in other.stderr.lower()
        assert _rows(copy) == [1, 2]
    assert _rows(url.path) == [1, 2]


def test_a_write_to_the_original_meanwhile_is_kept_and_the_build_not_published(url):
    with pytest.raises(swap.WarehouseChanged, match="not published"), swap.building_copy(url) as copy:
        con = duckdb.connect(str(copy))
        con.execute("insert into marts.figures values (3)")
        con.close()
        with Warehouse(url) as wh:  # this process's own connection shares the held database
            wh.execute("insert into marts.figures values (4)")
    assert _rows(url.path) == [1, 2, 4]  # the write is kept; the build's row is not published
    assert not swap.build_copy_path(url).parent.exists()


def test_a_killed_builds_copy_is_replaced_by_the_next_build(url):
    stale = swap.build_copy_path(url)
    stale.parent.mkdir()
    stale.write_bytes(b"half a copy")
    with swap.building_copy(url) as copy:
        assert _rows(copy) == [1, 2]
    assert _rows(url.path) == [1, 2]

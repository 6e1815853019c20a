"""Helpers shared by the test modules that load hand-made raw rows, build the warehouse and query it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest

from pressdx.cli import main
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.warehouse.dbt import build

# Module-scoped warehouses on both engines: ``@pytest.fixture(scope="module", params=ENGINES)``.
ENGINES = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass
class Built:
    url: WarehouseURL

    def query(self, sql: str) -> list[dict]:
        with Warehouse(self.url) as wh:
            return wh.query_dicts(sql)


def built_warehouse(request, load: Callable[[WarehouseURL], None], as_of: datetime, through: str) -> Built:
    """A fresh warehouse of the fixture's engine, with ``load``'s raw rows, built as of ``as_of``."""
    name = "duckdb_module_url" if request.param == "duckdb" else "pg_module_url"
    url = WarehouseURL.parse(request.getfixturevalue(name))
    load(url)
    build(url, as_of=as_of, through=through)
    return Built(url)


def run_cli(capsys, built: Built, *args: str) -> dict:
    """``pressdx <args> --format json`` on the built warehouse; its exit code must be 0."""
    capsys.readouterr()
    code = main([*args, "--format", "json", "--warehouse", built.url.url])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)

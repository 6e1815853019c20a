"""The DAGs' asset URIs are ones OpenLineage understands, name the configured warehouse, and never hold a secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pressdx.airflow.dag_common import EMBEDDED_URL, marts_asset_uri, published_asset_uri
from pressdx.settings import DEFAULT_URL


def test_the_dag_files_default_is_the_products_default():
    assert EMBEDDED_URL == DEFAULT_URL  # dag_common imports nothing of pressdx, so it repeats the constant


@pytest.mark.parametrize(("environ", "uri"), [
    ({"PRESSDX_WAREHOUSE": "postgresql://bi:s3cret@db.example:5433/pressdx"},
     "postgres://db.example:5433/pressdx/marts/fct_indicator_period"),
    ({"PRESSDX_WAREHOUSE": "postgresql://postgres@127.0.0.1/wh"}, "postgres://127.0.0.1:5432/wh/marts/fct_indicator_period"),
    ({"AIRFLOW_CONN_PRESSDX_WAREHOUSE": "postgres://u:pw@h:5432/pressdx"}, "postgres://h:5432/pressdx/marts/fct_indicator_period"),
    ({"AIRFLOW_CONN_PRESSDX_WAREHOUSE": json.dumps({"conn_type": "postgres", "host": "h", "login": "u",
                                                    "password": "pw", "schema": "wh"})},
     "postgres://h:5432/wh/marts/fct_indicator_period"),
    ({"AIRFLOW_CONN_PRESSDX_WAREHOUSE": json.dumps({"conn_type": "generic", "extra": {"url": "duckdb:////srv/w.duckdb"}})},
     "file:///srv/w.duckdb"),
    ({"PRESSDX_WAREHOUSE": "duckdb:////srv/pressdx/warehouse.duckdb"}, "file:///srv/pressdx/warehouse.duckdb"),
])
def test_the_marts_asset_names_the_warehouse_without_credentials(environ, uri):
    from airflow.sdk import Asset

    got = marts_asset_uri(environ)
    assert got == uri
    assert "s3cret" not in got and "pw" not in got.split("//", 1)[1].split("/")[0]
    assert Asset(name="pressdx_marts", uri=got).uri == uri  # Airflow's own normaliser leaves it as it is


def test_relative_duckdb_and_data_folder_resolve_like_the_warehouse_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert marts_asset_uri({}) == (tmp_path / "var" / "warehouse.duckdb").as_uri()
    assert marts_asset_uri({"PRESSDX_WAREHOUSE": "duckdb:///w/x.duckdb"}) == (tmp_path / "w" / "x.duckdb").as_uri()
    assert published_asset_uri("quarterly", {"PRESSDX_DATA_DIR": "/srv/data"}) == "file:///srv/data/published/quarterly"
    assert Path(published_asset_uri("annual-report", {})[len("file://"):]) == tmp_path / "var" / "published" / "annual-report"

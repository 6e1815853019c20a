"""What the three DAG files share: time zone, asset URIs and default task arguments.

Only the standard library is imported here, so that a DAG file importing it still parses in
milliseconds. One definition of each asset URI means a producer DAG and a consumer DAG cannot name the
same asset differently.

The assets are named with URIs that OpenLineage understands (Airflow's AIP-60 URIs), so that a lineage
tool joins the Airflow asset to the table the dbt events name:

* the marts: ``postgres://host:port/<database>/marts/fct_indicator_period`` on PostgreSQL (the postgres
  provider turns it into namespace ``postgres://host:port``, name ``<database>.marts.fct_indicator_period``,
  the dbt events' name), ``file:///<path of the DuckDB file>`` on the embedded warehouse;
* the publications: ``file:///<data folder>/published/quarterly`` and ``…/published/annual-report``.

They are read once, at parse time, from the environment every Airflow component shares:
``PRESSDX_WAREHOUSE`` (else the connection ``pressdx_warehouse`` when it is given as the environment
variable ``AIRFLOW_CONN_PRESSDX_WAREHOUSE``, else the embedded default) and ``PRESSDX_DATA_DIR``. Never a
password: only the host, port and database name go into a URI. A warehouse defined only in Airflow's
metadata database cannot be read at parse time (that would query the database on every parse): set
``PRESSDX_WAREHOUSE`` without its password too, or the assets carry the embedded default's name.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

TZ = "Asia/Ho_Chi_Minh"  # the decision's deadlines are Vietnam time

MARTS_TABLE = ("marts", "fct_indicator_period")  # the table that stands for the marts in lineage tools
EMBEDDED_URL = "duckdb:///var/warehouse.duckdb"  # = pressdx.settings.DEFAULT_URL (test_dags checks it)


def _configured_warehouse(environ: os._Environ | dict) -> str:
    url = environ.get("PRESSDX_WAREHOUSE", "").strip()
    if url:
        return url
    conn = environ.get("AIRFLOW_CONN_PRESSDX_WAREHOUSE", "").strip()
    if conn.startswith("{"):  # the JSON form of a connection
        try:
            c = json.loads(conn)
        except ValueError:
            return EMBEDDED_URL
        extra = c.get("extra") or {}
        if isinstance(extra, str):
            try:
                extra = json.loads(extra)
            except ValueError:
                extra = {}
        if extra.get("url"):
            return str(extra["url"])
        if str(c.get("conn_type", "")).lower() in ("postgres", "postgresql"):
            return f"postgresql://{c.get('host') or '127.0.0.1'}:{c.get('port') or 5432}/{c.get('schema') or 'pressdx'}"
        return EMBEDDED_URL
    return conn or EMBEDDED_URL


def marts_asset_uri(environ: os._Environ | dict = os.environ) -> str:
    """The marts' asset URI for the configured warehouse (no credentials)."""
    url = _configured_warehouse(environ)
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        database = parts.path.lstrip("/") or "pressdx"
        return f"postgres://{parts.hostname or '127.0.0.1'}:{parts.port or 5432}/{database}/{'/'.join(MARTS_TABLE)}"
    if not url.startswith("duckdb:///"):  # not a warehouse URL: the run fails on it; the asset keeps a name
        url = EMBEDDED_URL
    return Path(url[len("duckdb:///"):]).resolve().as_uri()  # duckdb:///var/x relative, duckdb:////srv/x absolute


def published_asset_uri(kind: str, environ: os._Environ | dict = os.environ) -> str:
    """``file://`` URI of a publication family's folder under the data folder (``quarterly``, ``annual-report``)."""
    return (Path(environ.get("PRESSDX_DATA_DIR", "var")).resolve() / "published" / kind).as_uri()


MARTS_ASSET_URI = marts_asset_uri()
PUBLISHED_ASSET_URI = published_asset_uri("quarterly")
REPORT_ASSET_URI = published_asset_uri("annual-report")

DEFAULT_ARGS = {
    "owner": "pressdx",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": 2.0,  # 5 min, then 10 min
    "execution_timeout": timedelta(hours=2),
}

"""Configuration of the Airflow tasks, from Airflow first: Variables, connections, secret masking, fail-fast.

First found wins:

* sources file: the run's ``sources`` param, the Airflow Variable ``pressdx_sources``, ``PRESSDX_SOURCES``;
* warehouse: the Airflow connection ``pressdx_warehouse``, ``PRESSDX_WAREHOUSE``, the embedded default;
* data folder (landing store, quarantine, publications, sent notices): ``PRESSDX_DATA_DIR`` (must be
  shared by every worker).

A configuration mistake is raised as Airflow's failure without retries (retrying cannot fix it). Outside
a task (tests, a shell) nothing here imports Airflow: the environment alone is read, and a mistake is a
``PermanentError``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from ingest.sources import Config, load_config
from pressdx.settings import DEFAULT_URL, ConfigError
from pressdx.warehouse.connection import WarehouseURL

log = logging.getLogger(__name__)

SOURCES_VARIABLE = "pressdx_sources"
WAREHOUSE_CONN_ID = "pressdx_warehouse"

T = TypeVar("T")


class PermanentError(Exception):
    """A mistake in the configuration that retrying cannot fix (the task fails without retries)."""


def in_airflow() -> bool:
    """True in an Airflow task (the task SDK is loaded); outside one, Airflow is never imported from here."""
    return "airflow.sdk" in sys.modules


def fail_fast(e: Exception) -> Exception:
    """The exception to raise for a configuration mistake: in a task, Airflow's failure without retries."""
    if in_airflow():
        from airflow.sdk.exceptions import AirflowFailException

        return AirflowFailException(str(e))
    return PermanentError(str(e))


def checked(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, a ``ConfigError`` it raises turned into a failure without retries."""
    try:
        return fn(*args, **kwargs)
    except ConfigError as e:
        raise fail_fast(e) from None


def _variable(key: str) -> str | None:
    if not in_airflow():
        return None
    from airflow.sdk import Variable

    return Variable.get(key, default=None)  # any error but "not defined" is raised: the task retries


def sources_file(param: str | None = None) -> Path:
    """The ``sources.yml`` of this run: the param, else the Variable ``pressdx_sources``, else ``PRESSDX_SOURCES``."""
    value = (param or "").strip() or (_variable(SOURCES_VARIABLE) or "").strip() \
        or os.environ.get("PRESSDX_SOURCES", "").strip()
    if not value:
        raise fail_fast(ConfigError(
            "no sources file: set the run's 'sources' param, the Airflow Variable "
            f"{SOURCES_VARIABLE!r} or the environment variable PRESSDX_SOURCES"))
    return Path(value).expanduser().resolve()


def sources(file: str | Path) -> Config:
    """The sources file read (and checked): a mistake in it fails the task without retries."""
    return checked(load_config, file)


def url_from_connection(conn: Any) -> str:
    """A warehouse URL from an Airflow connection: its extra ``url``, or a postgres connection's fields."""
    extra = conn.extra_dejson or {}
    if extra.get("url"):
        return str(extra["url"])
    if (conn.conn_type or "").lower() in ("postgres", "postgresql"):
        auth = quote(conn.login or "postgres", safe="")
        if conn.password:
            auth += ":" + quote(conn.password, safe="")
        return f"postgresql://{auth}@{conn.host or '127.0.0.1'}:{conn.port or 5432}/{conn.schema or 'pressdx'}"
    if (conn.conn_type or "").lower() == "duckdb" and conn.host:
        return f"duckdb:///{conn.host}"
    raise ConfigError(f"connection {conn.conn_id!r}: use conn_type postgres, or put the warehouse URL in "
                      "its extra as {\"url\": \"…\"}")


def warehouse_url() -> WarehouseURL:
    """The warehouse: the Airflow connection ``pressdx_warehouse`` if defined, else ``PRESSDX_WAREHOUSE``.

    The password is registered with Airflow's secret masker, so it never shows in a task log.
    """
    url: str | None = None
    if in_airflow():
        from airflow.sdk import Connection
        from airflow.sdk.exceptions import AirflowNotFoundException

        try:  # any error but "not defined" is raised (the task retries): never a silent other warehouse
            url = url_from_connection(Connection.get(WAREHOUSE_CONN_ID))
        except AirflowNotFoundException:
            url = None
        except ConfigError as e:
            raise fail_fast(e) from None
        if url is None and not os.environ.get("PRESSDX_WAREHOUSE"):
            log.warning("neither the connection %s nor PRESSDX_WAREHOUSE is set: using the embedded default %s",
                        WAREHOUSE_CONN_ID, DEFAULT_URL)
    parsed = checked(WarehouseURL.parse, url)
    if parsed.password and in_airflow():
        from airflow.sdk.log import mask_secret

        mask_secret(parsed.password)
    return parsed

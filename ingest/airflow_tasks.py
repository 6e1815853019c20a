"""What the Airflow tasks do, kept out of the DAG files so that parsing a DAG stays cheap.

The DAG ``pressdx_intake`` runs the main job (``ingest.pipeline.run``) as separate tasks, so that a failing
source fails only its own task:

``plan`` (which sources) → ``pull`` (one mapped task per source: the bytes go to the content-addressed
landing store, only small metadata goes to XCom) → ``take_in`` (intake of everything pulled, in received
order) → ``dbt_build``.

Every step is idempotent: the landing store is keyed by content hash and intake records a file it has
already seen as a duplicate, so re-running any task (or the whole run) takes nothing new in.

Configuration, first found wins:

* sources file: the run's ``sources`` param, the Airflow Variable ``pressdx_sources``, ``PRESSDX_SOURCES``;
* warehouse: the Airflow connection ``pressdx_warehouse``, ``PRESSDX_WAREHOUSE``, the embedded default;
* data folder (landing store, quarantine): ``PRESSDX_DATA_DIR`` (must be shared by every worker).

Outside a task (tests, a shell) these functions never import Airflow: they then read the environment only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ingest.warehouse import DEFAULT_URL, ConfigError, WarehouseURL

log = logging.getLogger(__name__)

SOURCES_VARIABLE = "pressdx_sources"
WAREHOUSE_CONN_ID = "pressdx_warehouse"
MARTS_ASSET_URI = "pressdx://warehouse/marts"


class PermanentError(Exception):
    """A mistake in the configuration that retrying cannot fix (the task fails without retries)."""


# -- configuration ----------------------------------------------------------------------------------------
def _in_airflow() -> bool:
    """True in an Airflow task (the task SDK is loaded); outside one, Airflow is never imported from here."""
    return "airflow.sdk" in sys.modules


def _fail_fast(e: Exception) -> Exception:
    """The exception to raise for a configuration mistake: in a task, Airflow's failure without retries."""
    if _in_airflow():
        from airflow.sdk.exceptions import AirflowFailException

        return AirflowFailException(str(e))
    return PermanentError(str(e))


def _variable(key: str) -> str | None:
    if not _in_airflow():
        return None
    from airflow.sdk import Variable

    return Variable.get(key, default=None)  # any error but "not defined" is raised: the task retries


def sources_file(param: str | None = None) -> Path:
    """The ``sources.yml`` of this run: the param, else the Variable ``pressdx_sources``, else ``PRESSDX_SOURCES``."""
    value = (param or "").strip() or (_variable(SOURCES_VARIABLE) or "").strip() \
        or os.environ.get("PRESSDX_SOURCES", "").strip()
    if not value:
        raise _fail_fast(ConfigError(
            "no sources file: set the run's 'sources' param, the Airflow Variable "
            f"{SOURCES_VARIABLE!r} or the environment variable PRESSDX_SOURCES"))
    return Path(value).expanduser().resolve()


def _url_from_connection(conn: Any) -> str:
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
    if _in_airflow():
        from airflow.sdk import Connection
        from airflow.sdk.exceptions import AirflowNotFoundException

        try:  # any error but "not defined" is raised (the task retries): never a silent other warehouse
            url = _url_from_connection(Connection.get(WAREHOUSE_CONN_ID))
        except AirflowNotFoundException:
            url = None
        except ConfigError as e:
            raise _fail_fast(e) from None
        if url is None and not os.environ.get("PRESSDX_WAREHOUSE"):
            log.warning("neither the connection %s nor PRESSDX_WAREHOUSE is set: using the embedded default %s",
                        WAREHOUSE_CONN_ID, DEFAULT_URL)
    try:
        parsed = WarehouseURL.parse(url)
    except ConfigError as e:
        raise _fail_fast(e) from None
    if parsed.password and _in_airflow():
        from airflow.sdk.log import mask_secret

        mask_secret(parsed.password)
    return parsed


def _load_config(file: str | Path):
    from ingest.sources import load_config

    try:
        return load_config(file)
    except ConfigError as e:
        raise _fail_fast(e) from None


def through_for(param: str | None, logical: datetime | None) -> str:
    """The period to build through: the param if given, else the period that contains the run's date."""
    from ingest import calendar
    from ingest.pipeline import check_through

    if param and param.strip():
        try:
            return check_through(param.strip())
        except ConfigError as e:
            raise _fail_fast(e) from None
    return calendar.period_containing(logical or datetime.now(UTC)).code


# -- the tasks ---------------------------------------------------------------------------------------------
def plan(sources_param: str | None = None) -> list[dict[str, str]]:
    """One entry per source of the sources file: the keyword arguments of each mapped ``pull`` task."""
    file = sources_file(sources_param)
    cfg = _load_config(file)
    log.info("sources file %s: %d source(s)", file, len(cfg.sources))
    return [{"source_name": s.name, "sources_file": str(file)} for s in cfg.sources]


def _landing_path(root: Path, sha256: str) -> Path:
    return root / "landing" / sha256[:2] / sha256


def pull_source(source_name: str, sources_file: str) -> dict[str, Any]:
    """Pull one source into the landing store; return where each file went (never the bytes).

    Re-running is harmless: a landed file is written once under its content hash.
    """
    from ingest.intake import Submission, land
    from ingest.sources import data_dir, pull

    cfg = _load_config(sources_file)
    src = next((s for s in cfg.sources if s.name == source_name), None)
    if src is None:
        raise _fail_fast(ConfigError(f"{sources_file}: no source named {source_name!r} (any more)"))
    root = data_dir()
    items = []
    state = None
    if src.kind == "http":
        from ingest.pipeline import load_cursors

        state = load_cursors(warehouse_url(), cfg).get(src.name)
    for inc in pull(src, state):
        sha = hashlib.sha256(inc.data).hexdigest()
        land(root, Submission(inc, sha))
        items.append({"path": inc.path, "sha256": sha, "size": len(inc.data),
                      "received_at": inc.received_at.astimezone(UTC).isoformat()})
    log.info("source %s (%s): %d file(s) landed in %s", src.name, src.unit_code, len(items), root / "landing")
    out = {"source_name": src.name, "unit_code": src.unit_code, "items": items}
    if state is not None:
        out["cursor"] = state.get("cursor")
    return out


def incoming_from_landing(pulled: list[dict[str, Any]], cfg) -> list:
    """Rebuild the ``Incoming`` items of ``pull`` results from the landing store, checking every hash."""
    from ingest.sources import Incoming, data_dir

    root = data_dir()
    by_name = {s.name: s for s in cfg.sources}
    out = []
    for result in pulled:
        src = by_name.get(result["source_name"])
        if src is None:
            raise _fail_fast(ConfigError(f"{cfg.file}: no source named {result['source_name']!r} (any more)"))
        for it in result["items"]:
            path = _landing_path(root, it["sha256"])
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != it["sha256"]:
                raise RuntimeError(f"landing store: {path} does not match its hash (damaged?)")
            out.append(Incoming(src, it["path"], data, datetime.fromisoformat(it["received_at"])))
    return out


def take_in_pulled(pulled: list[dict[str, Any]], planned: list[dict[str, str]],
                   sources_param: str | None = None) -> dict[str, Any]:
    """Take in what the sources that did not fail brought, in received order; return the counts.

    Files already taken in (or already rejected) are recorded as duplicates, so re-running takes in nothing.
    """
    from ingest.pipeline import intake

    pulled = [p for p in pulled if p]  # a failed mapped task has no result
    file = planned[0]["sources_file"] if planned else str(sources_file(sources_param))
    cfg = _load_config(file)
    failed = sorted({p["source_name"] for p in planned} - {p["source_name"] for p in pulled})
    for name in failed:
        log.warning("source %s failed to pull: its files wait for the next run", name)
    url = warehouse_url()
    items = incoming_from_landing(pulled, cfg)
    run_id = uuid.uuid4().hex
    log.info("intake run %s: %d file(s) from %d source(s) into %s", run_id, len(items), len(pulled), url.display)
    states = {p["source_name"]: {"cursor": p["cursor"]} for p in pulled if "cursor" in p}
    res = intake(url, cfg, items, run_id=run_id, progress=log.info, states=states)
    for sub in res.rejected:
        first = sub.errors[0]
        log.info("rejected %s/%s: %s (%d error(s))", sub.item.source.unit_code, sub.item.path, first.message_en,
                 len(sub.errors))
    counts = {"run_id": run_id, "pulled": len(items), "accepted": len(res.accepted),
              "rejected": len(res.rejected), "duplicates": len(res.duplicates), "failed_sources": failed}
    log.info("intake run %s: %s", run_id, counts)
    return counts


def build_marts(through: str, as_of: datetime | None = None) -> dict[str, str]:
    """``dbt seed`` + ``dbt build`` of the warehouse as of now (after intake), through ``through``."""
    from ingest.dbt import build

    url = warehouse_url()
    as_of = as_of or datetime.now(UTC)
    log.info("dbt build of %s as of %s through %s", url.display, as_of.isoformat(), through)
    build(url, as_of=as_of, through=through)
    return {"as_of": as_of.isoformat(), "through": through, "warehouse": url.display}

"""What the Airflow tasks do, kept out of the DAG files so that parsing a DAG stays cheap.

The DAG ``pressdx_intake`` runs the main job (``pressdx.jobs.pipeline.run``) as separate tasks, so that a failing
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

from pressdx.settings import DEFAULT_URL, ConfigError
from pressdx.warehouse.connection import WarehouseURL

log = logging.getLogger(__name__)

SOURCES_VARIABLE = "pressdx_sources"
WAREHOUSE_CONN_ID = "pressdx_warehouse"


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
    from pressdx.domain import calendar
    from pressdx.jobs.pipeline import check_through

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
    from ingest.sources import pull
    from pressdx.settings import data_dir

    cfg = _load_config(sources_file)
    src = next((s for s in cfg.sources if s.name == source_name), None)
    if src is None:
        raise _fail_fast(ConfigError(f"{sources_file}: no source named {source_name!r} (any more)"))
    root = data_dir()
    items = []
    state = None
    if src.kind == "http":
        from pressdx.jobs.pipeline import load_cursors

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
    from ingest.sources import Incoming
    from pressdx.settings import data_dir

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
    from pressdx.jobs.pipeline import intake

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
    from pressdx.warehouse.dbt import build

    url = warehouse_url()
    as_of = as_of or datetime.now(UTC)
    log.info("dbt build of %s as of %s through %s", url.display, as_of.isoformat(), through)
    build(url, as_of=as_of, through=through)
    return {"as_of": as_of.isoformat(), "through": through, "warehouse": url.display}


# -- rejection notices (pressdx_intake) --------------------------------------------------------------------
SMTP_CONN_ID = "pressdx_smtp"
NOTICE_MAX_ERRORS = 200  # per file; the full report is in the quarantine


def _contacts(value: Any) -> list[str]:
    """The e-mail addresses of a source's ``contact:`` (one address, a comma/semicolon list, or a YAML list)."""
    if not value:
        return []
    items = value if isinstance(value, list | tuple) else str(value).replace(";", ",").split(",")
    return [a.strip() for a in items if str(a).strip()]


def rejection_notices(url: WarehouseURL, run_id: str, cfg) -> list[dict[str, Any]]:
    """One notice per unit with files rejected by intake run ``run_id``: recipients, subject, HTML body.

    Read back from ``audit.intake_events``/``audit.intake_messages``, so a notice lists exactly what was
    recorded. The recipients are the ``contact:`` of the unit's sources (those that brought the rejected
    files first); a unit without any contact gets a notice with no recipient (logged, not sent).
    """
    from pressdx.warehouse.connection import Warehouse

    with Warehouse(url) as wh:
        events = wh.query_dicts(
            "select event_id, source_name, source_unit, path, sha256, received_at, dataset, period, error_count "
            "from audit.intake_events where run_id = ? and outcome = 'rejected' "
            "order by source_unit, received_at, path", (run_id,))
        messages = wh.query_dicts(
            "select m.event_id, m.seq, m.row_number, m.column_name, m.value, m.message_vi, m.message_en "
            "from audit.intake_messages m join audit.intake_events e using (event_id) "
            "where e.run_id = ? and e.outcome = 'rejected' and m.severity = 'error' order by m.event_id, m.seq",
            (run_id,))
    errors: dict[str, list[dict]] = {}
    for m in messages:
        errors.setdefault(m["event_id"], []).append(m)
    by_unit: dict[str, list[dict]] = {}
    for e in events:
        by_unit.setdefault(e["source_unit"], []).append({**e, "errors": errors.get(e["event_id"], [])})
    sources = {s.name: s for s in cfg.sources}
    notices = []
    for unit, files in sorted(by_unit.items()):
        to: list[str] = []
        brought = list(dict.fromkeys(f["source_name"] for f in files))
        others = [s.name for s in cfg.sources if s.unit_code == unit and s.name not in brought]
        for names in (brought, others):  # the sources that brought the files; else any source of the unit
            for name in names:
                to += [a for a in _contacts(getattr(sources.get(name), "contact", None)) if a not in to]
            if to:
                break
        subject, html = _notice_text(unit, files, run_id)
        notices.append({"unit_code": unit, "to": to, "subject": subject, "html": html, "files": len(files),
                        "errors": sum(len(f["errors"]) for f in files)})
    return notices


def _notice_text(unit: str, files: list[dict], run_id: str) -> tuple[str, str]:
    from html import escape

    from pressdx.domain.calendar import VN_TZ

    n = len(files)
    subject = f"[pressdx] {unit}: {n} tệp bị từ chối / {n} file(s) rejected"

    def cell(v: Any) -> str:
        return "–" if v is None or v == "" else escape(str(v))

    parts = [
        "<html><body>",
        f"<p>Kính gửi đơn vị <b>{escape(unit)}</b>,<br>Các tệp dưới đây đã không được tiếp nhận vào kho dữ liệu "
        "vì có lỗi. Vui lòng sửa các lỗi được liệt kê và gửi lại toàn bộ tệp.</p>",
        f"<p>To unit <b>{escape(unit)}</b>,<br>The files below were not taken into the warehouse because of the "
        "errors listed. Please correct them and send the whole file again.</p>",
    ]
    for f in files:
        received = f["received_at"].astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M") if f["received_at"] else "–"
        parts.append(
            f"<h3>{escape(f['path'] or '')}</h3>"
            f"<p>Bộ dữ liệu / dataset: {cell(f['dataset'])}; kỳ / period: {cell(f['period'])}; "
            f"nhận lúc / received: {received} (UTC+7); SHA-256: <code>{cell((f['sha256'] or '')[:16])}</code>; "
            f"số lỗi / errors: {f['error_count']}</p>")
        parts.append('<table border="1" cellspacing="0" cellpadding="4">'
                     "<tr><th>Dòng / Row</th><th>Cột / Column</th><th>Giá trị / Value</th>"
                     "<th>Lỗi</th><th>Error</th></tr>")
        for m in f["errors"][:NOTICE_MAX_ERRORS]:
            parts.append(f"<tr><td>{cell(m['row_number'])}</td><td>{cell(m['column_name'])}</td>"
                         f"<td>{cell(m['value'])}</td><td>{cell(m['message_vi'])}</td>"
                         f"<td>{cell(m['message_en'])}</td></tr>")
        parts.append("</table>")
        if len(f["errors"]) > NOTICE_MAX_ERRORS:
            more = len(f["errors"]) - NOTICE_MAX_ERRORS
            parts.append(f"<p>… và {more} lỗi khác / and {more} more error(s).</p>")
    parts.append(f"<p><small>pressdx, lượt tiếp nhận / intake run {escape(run_id)}</small></p></body></html>")
    return subject, "\n".join(parts)


def send_rejection_notices(counts: dict[str, Any], sources_param: str | None = None,
                           planned: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """E-mail each unit with rejected files in this intake run, through the SMTP connection ``pressdx_smtp``.

    A sent notice is kept in ``$PRESSDX_DATA_DIR/notices/<run_id>/<UNIT>.html``; a retry of the task skips
    the units already notified, so a unit gets one notice per run. Without the connection the task is
    skipped (logged: nobody is told of the rejections); a unit whose sources have no ``contact:`` is logged.
    """
    from pressdx.settings import data_dir

    run_id = counts.get("run_id")
    if not run_id or not counts.get("rejected"):
        log.info("no rejected file in this intake run: no notice to send")
        return {"run_id": run_id, "sent": [], "no_contact": [], "already_sent": []}
    file = planned[0]["sources_file"] if planned else str(sources_file(sources_param))
    cfg = _load_config(file)
    notices = rejection_notices(warehouse_url(), run_id, cfg)
    folder = data_dir() / "notices" / run_id
    result: dict[str, Any] = {"run_id": run_id, "sent": [], "no_contact": [], "already_sent": []}
    pending = []
    for n in notices:
        if not n["to"]:
            log.warning("unit %s: %d rejected file(s) but no contact in %s: no notice sent", n["unit_code"],
                        n["files"], file)
            result["no_contact"].append(n["unit_code"])
        elif (folder / f"{n['unit_code']}.html").exists():
            log.info("unit %s: notice already sent for run %s", n["unit_code"], run_id)
            result["already_sent"].append(n["unit_code"])
        else:
            pending.append(n)
    if not pending:
        return result
    hook = _smtp_hook()
    folder.mkdir(parents=True, exist_ok=True)
    with hook:
        for n in pending:
            hook.send_email_smtp(to=n["to"], subject=n["subject"], html_content=n["html"],
                                 custom_headers={"X-Pressdx-Unit": n["unit_code"], "X-Pressdx-Run": run_id})
            (folder / f"{n['unit_code']}.html").write_text(n["html"], encoding="utf-8")
            log.info("unit %s: notice of %d rejected file(s) (%d error(s)) sent to %s", n["unit_code"], n["files"],
                     n["errors"], ", ".join(n["to"]))
            result["sent"].append({"unit_code": n["unit_code"], "to": n["to"], "files": n["files"]})
    return result


def _smtp_hook():
    """Airflow's SMTP hook on the connection ``pressdx_smtp``; skips the task when it is not defined."""
    if not _in_airflow():
        raise PermanentError(f"sending e-mail needs Airflow's SMTP connection {SMTP_CONN_ID!r}")
    from airflow.providers.smtp.hooks.smtp import SmtpHook
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException, AirflowSkipException

    try:
        Connection.get(SMTP_CONN_ID)
    except AirflowNotFoundException:
        raise AirflowSkipException(f"no Airflow connection {SMTP_CONN_ID!r}: rejection notices not sent "
                                   "(docs/airflow.md)") from None
    return SmtpHook(smtp_conn_id=SMTP_CONN_ID)


# -- the quarterly and annual runs (pressdx_quarterly, pressdx_annual) ---------------------------------------


def due_for(run_date: datetime) -> dict[str, Any]:
    """What a quarterly run publishes: the last due instant of the calendar at or before the run's date.

    A scheduled run's date is a due instant; a manual run at another date republishes the last one that
    became due, as of its due instant, so any re-run gives the same warehouse and the same files.
    """
    from pressdx.publishing.publication import due_at_or_before

    try:
        due = due_at_or_before(run_date)
    except ConfigError as e:
        raise _fail_fast(e) from None
    if due.due_at != run_date:
        log.info("run date %s is not a due instant: publishing %s, due %s", run_date.isoformat(),
                 due.publication, due.due_at.isoformat())
    return due.to_dict()


def build_due(due: dict[str, Any]) -> dict[str, str]:
    """``dbt build`` as of the due instant, through the period that just became due."""
    from pressdx.publishing.publication import Due

    d = Due.from_dict(due)
    return build_marts(d.period, as_of=d.as_of)


def sweep_timeliness(due: dict[str, Any]) -> dict[str, Any]:
    """The state of every submission expected in the period at the due instant; logs the units missing some."""
    from pressdx.figures.timeliness import timeliness
    from pressdx.publishing.publication import Due, fresh_marts

    d = Due.from_dict(due)
    url = warehouse_url()
    res = timeliness(url, d.year, d.quarter, None if fresh_marts(url, d) else d.as_of)
    states: dict[str, int] = {}
    missing: dict[str, list[str]] = {}
    for e in res["expected"]:
        states[e["state"]] = states.get(e["state"], 0) + 1
        if e["state"] == "missing":
            missing.setdefault(e["unit_code"], []).append(e["dataset"])
    for unit, datasets in sorted(missing.items()):
        log.warning("%s at %s: unit %s has not submitted %s", d.period, d.as_of.isoformat(), unit,
                    ", ".join(sorted(datasets)))
    out = {"period": d.period, "as_of": res["as_of"], "expected": len(res["expected"]), "states": states,
           "units_missing": sorted(missing)}
    log.info("timeliness sweep: %s", out)
    return out


def publish_due(due: dict[str, Any]) -> dict[str, Any]:
    """Publish the figures of the due period under ``$PRESSDX_DATA_DIR/published/<publication>/``."""
    from pressdx.publishing.publication import Due, publish, published_root

    d = Due.from_dict(due)
    manifest = publish(warehouse_url(), d)
    return {"folder": str(published_root() / d.publication), "as_of": manifest["as_of"],
            "files": {k: v["sha256"] for k, v in manifest["files"].items()}}


def trend_review_due(due: dict[str, Any]) -> dict[str, Any] | None:
    """The 6-month trend review (``pressdx.publishing.report``, first half), at the Q2 due instant only; else None."""
    from pressdx.publishing.publication import Due, published_root, trend_review

    d = Due.from_dict(due)
    if d.kind != "quarterly" or not d.trend_review:
        log.info("%s: no trend review at this due instant", d.publication)
        return None
    manifest = trend_review(warehouse_url(), d)
    return {"folder": str(published_root() / d.publication / "trend-review"), "as_of": manifest["as_of"],
            "report_sha256": manifest["report_sha256"], "files": sorted(manifest["files"])}


def annual_plan(year_param: int | str | None, run_date: datetime) -> dict[str, Any]:
    """The year an annual run reports on (the param, else the last year whose Q4 has ended) and its as-of."""
    from pressdx.domain import calendar
    from pressdx.publishing.publication import report_year_for

    try:
        if year_param not in (None, ""):
            year = int(year_param)
            if year not in {p.year for p in calendar.periods()}:
                raise ConfigError(f"year {year} is not a year of the reporting calendar")
        else:
            year = report_year_for(run_date)
    except (ConfigError, ValueError) as e:
        raise _fail_fast(e) from None
    return {"year": year, "through": f"{year}-Q4", "as_of": run_date.astimezone(calendar.VN_TZ).isoformat()}


def build_for_report(plan: dict[str, Any]) -> dict[str, str]:
    """``dbt build`` as of the run's instant, through Q4 of the reported year."""
    return build_marts(plan["through"], as_of=datetime.fromisoformat(plan["as_of"]))


def render_annual_report(plan: dict[str, Any]) -> dict[str, Any]:
    """The annual Strategy report (``pressdx.publishing.report``), vi and en, into ``published/<year>-annual-report/``."""
    try:
        from pressdx.publishing.publication import annual_report, published_root
        from pressdx.publishing.report import write_report  # noqa: F401  (the renderer must be installed)
    except ImportError as e:
        raise _fail_fast(RuntimeError(f"the report renderer is not installed (pressdx.publishing.report): {e}")) from None
    year = int(plan["year"])
    manifest = annual_report(warehouse_url(), year, datetime.fromisoformat(plan["as_of"]))
    return {"folder": str(published_root() / f"{year}-annual-report"), "year": year, "as_of": manifest["as_of"],
            "report_sha256": manifest["report_sha256"], "files": sorted(manifest["files"])}

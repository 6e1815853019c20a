"""The Airflow DAGs: integrity, parse cost, the quarterly timetable, and real runs (``dag.test()``) on
PostgreSQL of ``pressdx_intake`` (with its rejection notices, caught by a local SMTP sink),
``pressdx_quarterly`` and ``pressdx_annual``.

Airflow reads its configuration once per process, at import, so every Airflow step runs in a fresh
subprocess (this file run as a script: ``python tests/orchestration/test_dags.py <step> <json>``) with its own
``AIRFLOW_HOME`` and a SQLite metadata database, migrated once per test session (per xdist worker that runs
the ``airflow`` group). Nothing of Airflow is imported into the pytest process itself.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import socketserver
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
DAG_ID = "pressdx_intake"
QUARTERLY, ANNUAL = "pressdx_quarterly", "pressdx_annual"
# Modules that must not be imported by parsing a DAG file (the dag-processor parses them again and again).
HEAVY = ("ingest.intake", "ingest.notices", "pressdx.warehouse.dbt", "pressdx.jobs.run",
         "pressdx.jobs.take_in", "pressdx.airflow.tasks", "dbt", "pandas", "duckdb", "great_expectations",
         "psycopg", "openpyxl")

pytestmark = [pytest.mark.airflow, pytest.mark.xdist_group("airflow")]


# -- the Airflow side, in a subprocess -------------------------------------------------------------------
def airflow_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of an Airflow subprocess: only its own AIRFLOW_* and PRESSDX_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PRESSDX_"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "60",
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        **extra,
    })
    return env


def run_child(env: dict[str, str], step: str, arg: dict | None = None, log: Path | None = None,
              timeout: int = 900) -> dict:
    """Run one step of this file in a fresh Python; return the JSON it prints last."""
    cmd = [sys.executable, str(Path(__file__).resolve()), step, json.dumps(arg or {})]
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if log is not None:
        log.write_text(proc.stdout + "\n--- stderr ---\n" + proc.stderr, encoding="utf-8")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise AssertionError(f"{step} failed (exit {proc.returncode}); full log: {log}\n{tail}")
    # the JSON object at the start of the line: another thread of the child (OpenLineage's client, at exit)
    # may write a log line before this one's newline, and its text then ends the same line
    result, _ = json.JSONDecoder().raw_decode(lines[-1][len("RESULT "):])
    return result


def _step_integrity(_: dict) -> dict:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))  # examples: off by AIRFLOW__CORE__LOAD_EXAMPLES (no include_examples in 3.3)
    dags = {}
    for dag_id, dag in bag.dags.items():
        dags[dag_id] = {
            "owner": dag.owner, "tags": sorted(dag.tags), "doc_md": dag.doc_md or "", "catchup": dag.catchup,
            "timezone": str(dag.timezone), "timetable": type(dag.timetable).__name__,
            "max_active_runs": dag.max_active_runs,
            "tasks": {t.task_id: {"retries": t.retries, "trigger_rule": getattr(t.trigger_rule, "value", t.trigger_rule),
                                  "outlets": [getattr(o, "uri", None) for o in t.outlets]} for t in dag.tasks},
        }
    return {"import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": dags,
            "files": sorted(str(Path(f).name) for f in bag.file_last_changed)}


def _step_import_time(_: dict) -> dict:
    import importlib.util

    t0 = time.perf_counter()
    import airflow.sdk  # noqa: F401  (already loaded in the dag-processor: not the DAG files' cost)

    t1 = time.perf_counter()
    for n, f in enumerate(sorted(DAGS.glob("*.py"))):
        spec = importlib.util.spec_from_file_location(f"_pressdx_dag_{n}", f)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    t2 = time.perf_counter()
    return {"airflow_sdk_s": t1 - t0, "dags_s": t2 - t1,
            "heavy": [m for m in HEAVY if m in sys.modules]}


def _step_dag_test(arg: dict) -> dict:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models.asset import AssetEvent
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    bag = DagBag(dag_folder=str(DAGS))
    assert not bag.import_errors, bag.import_errors
    dag = bag.dags[arg["dag_id"]]
    for t in dag.tasks:  # a failure shows at once, not after the retry delays
        t.retries = 0
    started = time.perf_counter()
    dr = dag.test(logical_date=datetime.fromisoformat(arg["logical_date"]), run_conf=arg.get("conf") or {})
    elapsed = time.perf_counter() - started
    with create_session() as s:
        rows = s.scalars(XComModel.get_many(run_id=dr.run_id, dag_ids=dag.dag_id, key="return_value")).all()
        xcom = {f"{r.task_id}[{r.map_index}]": XComModel.deserialize_value(r) for r in rows}
        events = s.scalars(select(AssetEvent).where(AssetEvent.source_run_id == dr.run_id)).all()
        assets = [{"task_id": e.source_task_id, "extra": e.extra} for e in events]
    tis = sorted((ti.task_id, ti.map_index, str(ti.state), ti.rendered_map_index)
                 for ti in dr.get_task_instances())
    return {"state": str(dr.state), "tis": tis, "xcom": xcom, "assets": assets, "seconds": elapsed}


def _step_timetable(arg: dict) -> dict:
    """The quarterly DAG's crons and its next runs after ``arg['after']`` (the scheduler's core timetable)."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.serialization.encoders import coerce_to_core_timetable
    from airflow.timetables.base import TimeRestriction

    bag = DagBag(dag_folder=str(DAGS))
    dag = bag.dags[arg["dag_id"]]
    timetable = coerce_to_core_timetable(dag.timetable)
    restriction = TimeRestriction(earliest=datetime.fromisoformat(arg["after"]), latest=None, catchup=True)
    runs, last = [], None
    for _ in range(arg["count"]):
        info = timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        if info is None:
            break
        runs.append(info.logical_date.isoformat())
        last = info.data_interval
    return {"type": type(timetable).__name__, "serialized": timetable.serialize(), "runs": runs}


# -- a local SMTP server that keeps what it receives -----------------------------------------------------
class _SmtpHandler(socketserver.StreamRequestHandler):
    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._reply("220 pressdx-test-sink ESMTP")
        sender, recipients = None, []
        while line := self.rfile.readline():
            cmd = line.decode("utf-8", "replace").strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-pressdx-test-sink\r\n250 8BITMIME\r\n")
            elif verb in ("HELO", "NOOP"):
                self._reply("250 OK")
            elif verb == "MAIL":
                sender, recipients = cmd.split(":", 1)[1].strip().strip("<>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(cmd.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.received.append({"from": sender, "to": recipients, "data": b"".join(lines)})
                self._reply("250 OK: queued")
            elif verb == "RSET":
                sender, recipients = None, []
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


class SmtpSink(socketserver.ThreadingTCPServer):
    """An SMTP server on 127.0.0.1 (ephemeral port) that keeps every message in ``received``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.received: list[dict] = []
        self.port = self.server_address[1]

    def __enter__(self) -> SmtpSink:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()

    def connection_env(self) -> dict[str, str]:
        """``AIRFLOW_CONN_PRESSDX_SMTP``: Airflow's SMTP connection to this sink (no TLS, no login)."""
        conn = {"conn_type": "smtp", "host": "127.0.0.1", "port": self.port,
                "extra": {"from_email": "pressdx@cbc.example.gov.vn", "disable_ssl": True, "disable_tls": True,
                          "timeout": 10, "retry_limit": 0}}
        return {"AIRFLOW_CONN_PRESSDX_SMTP": json.dumps(conn)}

    def messages(self) -> list[dict]:
        out = []
        for m in self.received:
            msg = email.message_from_bytes(m["data"], policy=email.policy.default)
            out.append({"to": m["to"], "from": m["from"], "subject": str(msg["Subject"]),
                        "headers": dict(msg.items()), "html": msg.get_body(("html",)).get_content()})
        return out


# -- fixtures --------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory) -> Path:
    """An AIRFLOW_HOME with a migrated SQLite metadata DB, once per session (per xdist worker)."""
    home = tmp_path_factory.mktemp("airflow_home")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=airflow_env(home), cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, "airflow db migrate failed:\n" + (proc.stdout + proc.stderr)[-4000:]
    print(f"airflow db migrate: {time.perf_counter() - started:.1f}s")
    return home


@pytest.fixture
def smtp_sink():
    """A running ``SmtpSink``; its ``connection_env()`` points Airflow's ``pressdx_smtp`` at it."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def dagbag(airflow_home) -> dict:
    """What a ``DagBag`` of the dags folder holds, as plain data."""
    return run_child(airflow_env(airflow_home), "integrity", log=airflow_home / "integrity.log")


# -- DAG integrity ---------------------------------------------------------------------------------------
def test_dagbag_has_no_import_errors_and_every_dag_is_documented(dagbag):
    bag = dagbag
    assert bag["import_errors"] == {}
    assert DAG_ID in bag["dags"]
    assert len(bag["files"]) == len(list(DAGS.glob("*.py")))  # every file holds a DAG
    for dag_id, d in bag["dags"].items():
        assert d["owner"] == "pressdx", dag_id
        assert d["tags"], dag_id
        assert len(d["doc_md"].strip()) > 100, dag_id
        assert d["tasks"], dag_id
        for task_id, t in d["tasks"].items():
            assert t["retries"] >= 2, (dag_id, task_id)


def test_intake_dag_shape(dagbag):
    d = dagbag["dags"][DAG_ID]
    assert d["catchup"] is False and d["max_active_runs"] == 1
    assert d["timezone"] == "Asia/Ho_Chi_Minh" and d["timetable"] == "CronTriggerTimetable"
    assert list(d["tasks"]) == ["plan", "pull", "take_in", "dbt_build", "notify_rejections"]
    assert d["tasks"]["take_in"]["trigger_rule"] == "all_done"  # runs when a source failed
    assert d["tasks"]["dbt_build"]["outlets"] == [MARTS_URI]


# The DagBag's environment names no warehouse and no data folder (airflow_env): the embedded defaults, from ROOT.
MARTS_URI = (ROOT / "var" / "warehouse.duckdb").as_uri()
PUBLISHED_URI = (ROOT / "var" / "published").as_uri()


def test_quarterly_and_annual_dag_shapes(dagbag):
    q = dagbag["dags"][QUARTERLY]
    assert q["catchup"] is False and q["max_active_runs"] == 1
    assert q["timezone"] == "Asia/Ho_Chi_Minh" and q["timetable"] == "MultipleCronTriggerTimetable"
    assert list(q["tasks"]) == ["due", "dbt_build", "sweep_timeliness", "publish", "trend_review"]
    assert q["tasks"]["dbt_build"]["outlets"] == [MARTS_URI]
    assert q["tasks"]["publish"]["outlets"] == [f"{PUBLISHED_URI}/quarterly"]
    a = dagbag["dags"][ANNUAL]
    assert a["catchup"] is False and a["max_active_runs"] == 1
    assert a["timezone"] == "Asia/Ho_Chi_Minh" and a["timetable"] == "CronTriggerTimetable"
    assert list(a["tasks"]) == ["plan", "dbt_build", "render_report"]
    assert a["tasks"]["dbt_build"]["outlets"] == [MARTS_URI]
    assert a["tasks"]["render_report"]["outlets"] == [f"{PUBLISHED_URI}/annual-report"]


def test_the_quarterly_timetable_fires_at_every_due_instant_of_the_calendar(airflow_home):
    """The crons hard-coded in the DAG are those the calendar CSV gives, and fire exactly at its due instants."""
    from pressdx.domain.calendar import VN_TZ
    from pressdx.publishing.publication import crons_from_calendar, due_instants

    after = datetime(2025, 1, 1, tzinfo=VN_TZ)
    res = run_child(airflow_env(airflow_home), "timetable",
                    {"dag_id": QUARTERLY, "after": after.isoformat(), "count": 40})
    assert res["type"] == "MultipleCronTriggerTimetable"
    assert sorted(res["serialized"]["expressions"]) == crons_from_calendar()
    assert res["serialized"]["timezone"] == "Asia/Ho_Chi_Minh"
    runs = [datetime.fromisoformat(r) for r in res["runs"]]
    assert [r.astimezone(VN_TZ).isoformat() for r in runs[:6]] == [
        "2025-04-03T00:00:00+07:00", "2025-07-05T00:00:00+07:00", "2025-10-05T00:00:00+07:00",
        "2025-12-05T00:00:00+07:00", "2025-12-15T00:00:00+07:00", "2026-04-03T00:00:00+07:00"]
    due = [d.due_at for d in due_instants() if d.due_at >= after]  # through the calendar's last year (2030)
    assert len(due) == 30 and runs[:len(due)] == due


def test_a_run_publishes_what_became_due_at_its_date(no_airflow):
    from pressdx.domain.calendar import VN_TZ

    at = no_airflow
    assert at.due_for(datetime(2025, 7, 5, tzinfo=VN_TZ))["publication"] == "2025-Q2"
    assert at.due_for(datetime(2025, 7, 5, tzinfo=VN_TZ))["trend_review"] is True
    late = at.due_for(datetime(2025, 8, 20, 9, tzinfo=VN_TZ))  # a manual run: the last publication due
    assert (late["publication"], late["due_at"]) == ("2025-Q2", "2025-07-05T00:00:00+07:00")
    dec = at.due_for(datetime(2025, 12, 15, tzinfo=VN_TZ))
    assert (dec["publication"], dec["kind"], dec["period"]) == ("2025-annual-reports", "annual_reports", "2025-Q4")
    with pytest.raises(at.PermanentError, match="before the first due instant"):
        at.due_for(datetime(2023, 4, 2, tzinfo=VN_TZ))
    assert at.annual_plan(None, datetime(2025, 12, 20, tzinfo=VN_TZ))["year"] == 2025
    assert at.annual_plan(None, datetime(2026, 2, 1, tzinfo=VN_TZ))["through"] == "2025-Q4"
    assert at.annual_plan(2024, datetime(2025, 12, 20, tzinfo=VN_TZ))["year"] == 2024
    with pytest.raises(at.PermanentError):
        at.annual_plan(2040, datetime(2025, 12, 20, tzinfo=VN_TZ))


def test_a_sources_contact_may_list_several_addresses():
    from ingest.notices import contacts as _contacts

    assert _contacts(None) == [] and _contacts("") == []
    assert _contacts("a@cbc.vn; b@cbc.vn, c@cbc.vn") == ["a@cbc.vn", "b@cbc.vn", "c@cbc.vn"]
    assert _contacts([" a@cbc.vn ", "b@cbc.vn"]) == ["a@cbc.vn", "b@cbc.vn"]


def test_parsing_the_dags_folder_is_cheap(airflow_home):
    """Each DAG file imports only the task SDK: < 2 s for the folder once Airflow itself is loaded."""
    res = run_child(airflow_env(airflow_home), "import-time")
    print(f"import airflow.sdk: {res['airflow_sdk_s']:.2f}s; the dags folder on top: {res['dags_s']:.2f}s")
    assert res["heavy"] == []
    assert res["dags_s"] < 2.0


# -- the task logic, without Airflow ---------------------------------------------------------------------
REGISTER = """unit_code,dataset,period,status,agency_code,agency_name,agency_kind,governing_body,media_types,licensed_on,closed_on
CBC,agency_register,2024-Q2,official,A001,Báo Nhân Dân,newspaper,Trung ương Đảng,print;electronic,01/01/1990,
CBC,agency_register,2024-Q2,official,A002,Tạp chí Cộng sản,magazine,Trung ương Đảng,print,,
"""


@pytest.fixture
def no_airflow(monkeypatch):
    """The task logic as run outside a task: the environment only (even if Airflow was imported here)."""
    from pressdx.airflow import config
    from pressdx.airflow import tasks as airflow_tasks

    monkeypatch.setattr(config, "in_airflow", lambda: False)
    for k in ("PRESSDX_SOURCES", "PRESSDX_WAREHOUSE", "PRESSDX_DATA_DIR"):
        monkeypatch.delenv(k, raising=False)
    return airflow_tasks


def test_configuration_comes_from_the_param_then_the_environment(no_airflow, monkeypatch, tmp_path):
    at = no_airflow
    with pytest.raises(at.PermanentError, match="no sources file"):
        at.sources_file(None)
    monkeypatch.setenv("PRESSDX_SOURCES", str(tmp_path / "env.yml"))
    assert at.sources_file(None) == tmp_path / "env.yml"
    assert at.sources_file(str(tmp_path / "param.yml")) == tmp_path / "param.yml"
    monkeypatch.setenv("PRESSDX_WAREHOUSE", "postgresql://u:secret@db:5433/wh")
    url = at.warehouse_url()
    assert (url.kind, url.host, url.port, url.dbname, url.password) == ("postgres", "db", 5433, "wh", "secret")
    assert "secret" not in url.display


def test_a_warehouse_connection_becomes_a_url():
    from types import SimpleNamespace

    from pressdx.airflow.config import url_from_connection as _url_from_connection
    from pressdx.settings import ConfigError
    from pressdx.warehouse.connection import WarehouseURL

    conn = SimpleNamespace(conn_id="pressdx_warehouse", conn_type="postgres", login="bi", password="p@ss/w:rd",
                           host="db.example", port=5433, schema="pressdx", extra_dejson={})
    url = WarehouseURL.parse(_url_from_connection(conn))
    assert (url.user, url.password, url.host, url.port, url.dbname) == ("bi", "p@ss/w:rd", "db.example", 5433,
                                                                       "pressdx")
    conn.extra_dejson = {"url": "duckdb:///var/w.duckdb"}
    assert _url_from_connection(conn) == "duckdb:///var/w.duckdb"
    with pytest.raises(ConfigError):
        _url_from_connection(SimpleNamespace(conn_id="x", conn_type="http", extra_dejson={}))


def test_the_build_goes_through_the_period_of_the_run_date(no_airflow):
    from pressdx.domain.calendar import VN_TZ

    at = no_airflow
    assert at.through_for(None, datetime(2025, 11, 20, 2, tzinfo=VN_TZ)) == "2025-Q4"
    assert at.through_for(None, datetime(2025, 12, 20, 2, tzinfo=VN_TZ)) == "2026-Q1"  # Q1 starts in December
    assert at.through_for(" 2025-q3 ", datetime(2025, 11, 20, tzinfo=VN_TZ)) == "2025-Q3"
    with pytest.raises(at.PermanentError, match="2040-Q1"):
        at.through_for("2040-Q1", None)


def test_pull_and_take_in_are_idempotent_and_a_broken_source_fails_alone(no_airflow, monkeypatch, tmp_path):
    at = no_airflow
    (tmp_path / "inbox" / "CBC" / "2024-Q2").mkdir(parents=True)
    (tmp_path / "inbox" / "CBC" / "2024-Q2" / "register.csv").write_text(REGISTER, encoding="utf-8")
    (tmp_path / "inbox" / "CBC" / "2024-Q2" / "notes.csv").write_text("hello\n", encoding="utf-8")
    (tmp_path / "sources.yml").write_text(
        "sources:\n- {name: CBC, unit_code: CBC, kind: folder, path: inbox/CBC, contact: 'a@cbc.vn; b@cbc.vn'}\n"
        "- {name: BROKEN, unit_code: CBC, kind: folder, path: inbox/none}\n", encoding="utf-8")
    monkeypatch.setenv("PRESSDX_SOURCES", str(tmp_path / "sources.yml"))
    monkeypatch.setenv("PRESSDX_WAREHOUSE", f"duckdb:///{tmp_path}/w.duckdb")
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))

    planned = at.plan()
    assert [p["source_name"] for p in planned] == ["CBC", "BROKEN"]
    pulled = at.pull_source(**planned[0])
    assert sorted(i["path"] for i in pulled["items"]) == ["2024-Q2/notes.csv", "2024-Q2/register.csv"]
    assert all(len(i["sha256"]) == 64 and "data" not in i for i in pulled["items"])
    with pytest.raises(Exception, match="does not exist"):
        at.pull_source(**planned[1])
    first = at.take_in_pulled([pulled, None], planned)
    assert (first["accepted"], first["rejected"], first["duplicates"]) == (1, 1, 0)
    assert first["failed_sources"] == ["BROKEN"]
    again = at.take_in_pulled([at.pull_source(**planned[0])], planned)  # a re-run: nothing new
    assert (again["accepted"], again["rejected"], again["duplicates"]) == (0, 0, 2)

    # the rejection notice of the unit: to its source's contacts, bilingual, file/row/column/value/messages
    from ingest.sources import load_config
    from pressdx.jobs.notify import rejection_notices

    [notice] = [n.as_dict() for n in rejection_notices(at.warehouse_url(), first["run_id"],
                                                        load_config(tmp_path / "sources.yml"))]
    assert (notice["unit_code"], notice["to"], notice["files"]) == ("CBC", ["a@cbc.vn", "b@cbc.vn"], 1)
    assert "2024-Q2/notes.csv" in notice["html"] and "CBC" in notice["subject"]
    assert "Kính gửi" in notice["html"] and "Please correct" in notice["html"]
    assert rejection_notices(at.warehouse_url(), again["run_id"], load_config(tmp_path / "sources.yml")) == []
    assert at.send_rejection_notices(again)["sent"] == []  # nothing rejected: nothing to send


# -- a real run on PostgreSQL ----------------------------------------------------------------------------
@pytest.fixture
def sample_inbox(tmp_path) -> tuple[Path, dict]:
    """A small sample inbox (with rejected files) and, in its sources file, one source that cannot be pulled."""
    from pressdx.sample.generator import generate

    out = tmp_path / "sample"
    summary = generate(out, scale=0.1)
    sources = out / "sources.yml"
    doc = yaml.safe_load(sources.read_text(encoding="utf-8"))
    unit = doc["sources"][0]["unit_code"]
    doc["sources"].append({"name": "BROKEN:inbox", "unit_code": unit, "kind": "folder", "path": "no-such-folder"})
    sources.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sources, summary


@pytest.mark.postgres
@pytest.mark.slow
def test_intake_dag_runs_end_to_end_and_reruns_take_in_nothing(airflow_home, pg_url, sample_inbox, smtp_sink,
                                                               tmp_path):
    from pressdx.warehouse.connection import connect

    sources, summary = sample_inbox
    data = tmp_path / "data"
    sink = smtp_sink
    env = airflow_env(airflow_home, PRESSDX_WAREHOUSE=str(pg_url), PRESSDX_SOURCES=str(sources),
                      PRESSDX_DATA_DIR=str(data), **sink.connection_env())

    # 1. a daily run on 20 November 2025: builds through 2025-Q4, the period of its date (Oct–Nov)
    t0 = time.perf_counter()
    first = run_child(env, "dag-test", {"dag_id": DAG_ID, "logical_date": "2025-11-20T02:00:00+07:00"},
                      log=tmp_path / "run1.log")
    t1 = time.perf_counter()
    states = {(t, i): s for t, i, s, _ in first["tis"]}
    labels = {label: s for t, _, s, label in first["tis"] if t == "pull"}
    assert labels.pop("BROKEN:inbox") == "failed"  # the broken source fails its own task only ...
    assert labels and set(labels.values()) == {"success"}
    assert states[("take_in", -1)] == "success" and states[("dbt_build", -1)] == "success"  # ... the rest goes on
    counts = first["xcom"]["take_in[-1]"]
    assert counts["failed_sources"] == ["BROKEN:inbox"]
    assert counts["accepted"] > 0 and counts["rejected"] > 0 and counts["duplicates"] == 0
    assert counts["accepted"] + counts["rejected"] == counts["pulled"]
    assert first["xcom"]["dbt_build[-1]"]["through"] == "2025-Q4"
    assert [a["task_id"] for a in first["assets"]] == ["dbt_build"]
    assert first["assets"][0]["extra"]["through"] == "2025-Q4"
    # XCom holds metadata only: no file bytes
    pulled = [v for k, v in first["xcom"].items() if k.startswith("pull[")]
    assert sum(len(p["items"]) for p in pulled) == counts["pulled"]
    assert len(json.dumps(pulled)) < 400 * counts["pulled"] + 1000
    assert len(list((data / "landing").rglob("*"))) > 0

    with connect(str(pg_url)) as wh:
        in_raw = set(wh.query("select s.unit_code, s.path from raw.submissions s"))
        refused = set(wh.query("select source_unit, path from audit.intake_events where outcome = 'rejected'"))
        i1 = wh.query_dicts("select period_code, value_pct from marts.fct_indicator_period "
                            "where indicator_code = 'I1' and value_pct is not null order by 1")
    accepted, rejected = len(in_raw), len(refused)
    files = {(p["unit_code"], it["path"]) for p in pulled for it in p["items"]}
    assert (accepted, rejected) == (counts["accepted"], counts["rejected"])
    assert in_raw | refused == files and not in_raw & refused  # every file pulled: in raw or rejected
    meant = {tuple(r["path"].split("/", 2)[1:]) for r in summary["rejects"]}  # inbox/<UNIT>/<path>
    assert meant and meant <= refused  # the sample's defective files are the rejected ones
    assert i1, "no I1 figure in marts.fct_indicator_period"
    assert all(0 <= r["value_pct"] <= 100 for r in i1)

    # one rejection notice per unit with rejected files, to its contact, listing each file and its errors
    assert states[("notify_rejections", -1)] == "success"
    contacts = {x["unit_code"]: x["contact"] for x in yaml.safe_load(sources.read_text(encoding="utf-8"))["sources"]
                if x.get("contact")}
    mails = {m["headers"]["X-Pressdx-Unit"]: m for m in sink.messages()}
    assert set(mails) == {unit for unit, _ in refused} and len(sink.received) == len(mails)
    assert sorted(x["unit_code"] for x in first["xcom"]["notify_rejections[-1]"]["sent"]) == sorted(mails)
    with connect(str(pg_url)) as wh:
        errors = wh.query_dicts(
            "select e.source_unit, e.path, m.row_number, m.column_name, m.value, m.message_vi, m.message_en "
            "from audit.intake_events e join audit.intake_messages m using (event_id) "
            "where e.outcome = 'rejected' and m.severity = 'error'")
    for unit, mail in mails.items():
        assert mail["to"] == [contacts[unit]] and unit in mail["subject"]
        assert mail["headers"]["X-Pressdx-Run"] == counts["run_id"]
        assert all(path.replace("&", "&amp;") in mail["html"] for u, path in refused if u == unit)
    from html import escape

    for e in errors:
        html = mails[e["source_unit"]]["html"]
        assert escape(e["message_vi"]) in html and escape(e["message_en"]) in html, e
        if e["value"]:
            assert escape(e["value"]) in html, e

    # 2. run again (another day; the sources file and `through` as run params): nothing new comes in
    env2 = {k: v for k, v in env.items() if k != "PRESSDX_SOURCES"}
    second = run_child(env2, "dag-test", {"dag_id": DAG_ID, "logical_date": "2026-01-05T02:00:00+07:00",
                                          "conf": {"sources": str(sources), "through": "2025-Q4"}},
                       log=tmp_path / "run2.log")
    t2 = time.perf_counter()
    again = second["xcom"]["take_in[-1]"]
    assert again["pulled"] == counts["pulled"]
    assert (again["accepted"], again["rejected"], again["duplicates"]) == (0, 0, counts["pulled"])
    assert second["xcom"]["dbt_build[-1]"]["through"] == "2025-Q4"
    # nothing new (and the same day of the build clock): nothing rebuilt, and audit.runs says how each run ended
    from pressdx.domain.calendar import VN_TZ

    b1, b2 = first["xcom"]["dbt_build[-1]"], second["xcom"]["dbt_build[-1]"]
    day = {datetime.fromisoformat(b["as_of"]).astimezone(VN_TZ).date() for b in (b1, b2)}
    assert b1["built"] is True and b2["built"] is (len(day) > 1)  # a new day (midnight in Hanoi) rebuilds
    with connect(str(pg_url)) as wh:
        outcomes = dict(wh.query("select run_id, outcome from audit.runs"))
    assert outcomes[counts["run_id"]] == "built"
    assert outcomes[again["run_id"]] == ("built" if len(day) > 1 else "up_to_date")
    assert second["xcom"]["notify_rejections[-1]"]["sent"] == [] and len(sink.received) == len(mails)
    with connect(str(pg_url)) as wh:
        assert wh.query("select count(*) from raw.submissions")[0][0] == accepted
        assert wh.query("select count(*) from audit.intake_events where outcome = 'rejected'")[0][0] == rejected
        assert wh.query_dicts("select period_code, value_pct from marts.fct_indicator_period "
                              "where indicator_code = 'I1' and value_pct is not null order by 1") == i1
    print(f"dag.test run 1: {t1 - t0:.1f}s (in Airflow {first['seconds']:.1f}s), "
          f"run 2: {t2 - t1:.1f}s (in Airflow {second['seconds']:.1f}s)")


@pytest.mark.postgres
@pytest.mark.slow
def test_quarterly_and_annual_dags_build_publish_and_report(airflow_home, pg_url, tmp_path):
    """The Q2 due instant of 2025 (build as of it, sweep, publish, trend review), then the 2025 annual report."""
    import hashlib

    from pressdx.jobs.run import run
    from pressdx.publishing.publication import verify
    from pressdx.sample.generator import generate
    from pressdx.warehouse.connection import connect

    generate(tmp_path / "sample", scale=0.05, through="2025-Q4")
    data = tmp_path / "data"
    os.environ["PRESSDX_DATA_DIR"] = str(data)  # intake in this process: its landing store and quarantine
    try:
        run(tmp_path / "sample" / "sources.yml", str(pg_url), "2025-Q4", build=False)  # intake only
    finally:
        del os.environ["PRESSDX_DATA_DIR"]
    env = airflow_env(airflow_home, PRESSDX_WAREHOUSE=str(pg_url), PRESSDX_DATA_DIR=str(data))
    due = "2025-07-05T00:00:00+07:00"

    t0 = time.perf_counter()
    q = run_child(env, "dag-test", {"dag_id": QUARTERLY, "logical_date": due}, log=tmp_path / "quarterly.log")
    t1 = time.perf_counter()
    assert {t: s for t, _, s, _ in q["tis"]} == dict.fromkeys(
        ["due", "dbt_build", "sweep_timeliness", "publish", "trend_review"], "success"), q["tis"]
    assert q["xcom"]["due[-1]"]["publication"] == "2025-Q2" and q["xcom"]["due[-1]"]["due_at"] == due
    assert q["xcom"]["dbt_build[-1]"]["as_of"] == due and q["xcom"]["dbt_build[-1]"]["through"] == "2025-Q2"
    sweep = q["xcom"]["sweep_timeliness[-1]"]
    assert sweep["period"] == "2025-Q2" and sweep["as_of"] == due and sweep["expected"] > 0
    assert sorted(a["task_id"] for a in q["assets"]) == ["dbt_build", "publish"]
    with connect(str(pg_url)) as wh:
        as_of, through = wh.query("select as_of, through_period from marts.dim_build")[0]
    assert as_of == datetime.fromisoformat(due) and through == "2025-Q2"

    folder = data / "published" / "2025-Q2"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["publication"], manifest["period"], manifest["as_of"]) == ("2025-Q2", "2025-Q2", due)
    assert sorted(manifest["files"]) == ["kpi.csv", "kpi.json", "tasks.csv", "tasks.json", "timeliness.csv",
                                         "timeliness.json"]
    assert verify(folder) == []
    assert q["xcom"]["publish[-1]"]["files"] == {k: v["sha256"] for k, v in manifest["files"].items()}
    kpi = json.loads((folder / "kpi.json").read_text(encoding="utf-8"))
    assert (kpi["period"], kpi["as_of"]) == ("2025-Q2", due) and kpi["indicators"]
    timeliness = json.loads((folder / "timeliness.json").read_text(encoding="utf-8"))
    assert timeliness["period"] == "2025-Q2" and timeliness["as_of"] == due and timeliness["units"]
    assert {e["state"] for e in timeliness["expected"]} <= {"on_time", "late", "missing"}  # all due by now
    assert json.loads((folder / "tasks.json").read_text(encoding="utf-8"))["as_of"] == due
    review = data / "published" / "2025-Q2" / "trend-review"
    rm = json.loads((review / "manifest.json").read_text(encoding="utf-8"))
    assert rm["kind"] == "trend_review" and rm["as_of"] == due and verify(review) == []
    assert rm["report_sha256"] == hashlib.sha256((review / "vi" / "figures.json").read_bytes()).hexdigest()
    assert {"vi/report.html", "en/report.html", "vi/report.pdf"} <= set(rm["files"])

    t2 = time.perf_counter()
    a = run_child(env, "dag-test", {"dag_id": ANNUAL, "logical_date": "2025-12-20T00:00:00+07:00"},
                  log=tmp_path / "annual.log")
    t3 = time.perf_counter()
    assert {t: s for t, _, s, _ in a["tis"]} == dict.fromkeys(["plan", "dbt_build", "render_report"], "success")
    assert a["xcom"]["plan[-1]"] == {"year": 2025, "through": "2025-Q4", "as_of": "2025-12-20T00:00:00+07:00"}
    report = data / "published" / "2025-annual-report"
    am = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert (am["kind"], am["year"], am["as_of"]) == ("annual_report", 2025, "2025-12-20T00:00:00+07:00")
    assert verify(report) == [] and {"vi/report.pdf", "en/report.pdf", "vi/figures.json"} <= set(am["files"])
    assert am["report_sha256"] == hashlib.sha256((report / "en" / "figures.json").read_bytes()).hexdigest()
    assert sorted(x["task_id"] for x in a["assets"]) == ["dbt_build", "render_report"]
    print(f"dag.test {QUARTERLY}: {t1 - t0:.1f}s (in Airflow {q['seconds']:.1f}s); "
          f"{ANNUAL}: {t3 - t2:.1f}s (in Airflow {a['seconds']:.1f}s)")


# -- script entry point: the subprocess side -------------------------------------------------------------
STEPS = {"integrity": _step_integrity, "import-time": _step_import_time, "dag-test": _step_dag_test,
         "timetable": _step_timetable}

if __name__ == "__main__":
    result = STEPS[sys.argv[1]](json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
    sys.stdout.write("RESULT " + json.dumps(result, default=str) + "\n")  # one write: no log line lands inside it
    sys.stdout.flush()

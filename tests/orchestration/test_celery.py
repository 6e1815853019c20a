"""Distributed: real Airflow processes (api-server, scheduler, dag-processor, Celery worker) run pressdx_quarterly.

The same settings as ``docker-compose.yml`` (CeleryExecutor, Redis broker, Celery results and Airflow's
metadata in PostgreSQL, a shared JWT secret, the execution API of the api-server), but on this machine:
a fresh PostgreSQL database for the metadata and another for the warehouse, Redis at
``PRESSDX_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``), ephemeral ports on 127.0.0.1, and a
Celery queue of the test's own so that no other worker on the same Redis takes its tasks.

Differences from the compose file, for a test: ``[scheduler] use_job_schedule = False`` (only the run the
test triggers runs, not the DAG's latest scheduled one), ``AIRFLOW_HOME`` in a temporary folder, fresh
secrets, no triggerer (no deferrable task), no scheduler health-check server (its port is fixed), no mail
catcher (the quarterly DAG sends no e-mail).

Needs Celery < 5.7: ``apache-airflow-providers-celery`` 3.26.0 imports ``retry`` from
``celery.backends.database``, which Celery 5.7.0 removed (the worker and the scheduler then exit at start-up).

When Redis or PostgreSQL is unreachable the test is skipped, except on CI (``CI=true``) where it fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
AIRFLOW = [sys.executable, "-m", "airflow"]
REDIS_URL = os.environ.get("PRESSDX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DAG_ID = "pressdx_quarterly"
DUE = "2025-10-05T00:00:00+07:00"  # 2025-Q3: no trend review (no report to render on the worker)
WAIT_S = 8 * 60

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.airflow, pytest.mark.xdist_group("airflow")]


def _unreachable(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true: the distributed test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def redis_url() -> str:
    u = urlparse(REDIS_URL)
    try:
        with socket.create_connection((u.hostname or "127.0.0.1", u.port or 6379), timeout=3) as s:
            s.sendall(b"PING\r\n")
            if not s.recv(64).startswith(b"+PONG"):
                raise OSError("no PONG")
    except OSError as e:
        _unreachable(f"Redis unreachable at {u.hostname}:{u.port or 6379}: {e}")
    return REDIS_URL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sqlalchemy(url: str, driver: str) -> str:
    return url.replace("postgresql://", f"postgresql+{driver}://", 1)


def celery_env(home: Path, meta_url: str, redis_url: str, queue: str, api_port: int, **extra: str) -> dict[str, str]:
    """docker-compose.yml's x-airflow-common environment, pointed at this machine's services."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PRESSDX_"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__AUTH_MANAGER":
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": _sqlalchemy(meta_url, "psycopg2"),
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + _sqlalchemy(meta_url, "psycopg2"),
        "AIRFLOW__CELERY__BROKER_URL": redis_url,
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
        "AIRFLOW__CORE__FERNET_KEY": "",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "true",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": "pressdx-test-jwt-" + uuid.uuid4().hex,
        "AIRFLOW__API__SECRET_KEY": "pressdx-test-api-" + uuid.uuid4().hex,
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "60",
        # test only: no scheduled run besides the one triggered, a queue no other worker serves, free ports
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        **extra,
    })
    return env


class Processes:
    """Long-running Airflow processes, each in its own process group, its output in a log file."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env, self.logs = env, logs
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str) -> None:
        out = (self.logs / f"{name}.log").open("wb")
        self.procs[name] = subprocess.Popen([*AIRFLOW, *args], env=self.env, cwd=ROOT, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def check_alive(self) -> None:
        for name, p in self.procs.items():
            if p.poll() is not None:
                raise AssertionError(f"airflow {name} exited with {p.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to each started process group, SIGKILL to what is left after 20 s."""
        for p in self.procs.values():
            if p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for p in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
        for p in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)  # the group: the Celery and uvicorn children too
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=10)


def cli(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    proc = subprocess.run([*AIRFLOW, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"airflow {' '.join(args)} failed:\n{(proc.stdout + proc.stderr)[-3000:]}"
    return proc.stdout


def _meta_query(meta_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(meta_url, autocommit=True, connect_timeout=5) as con:
        return con.execute(sql, params).fetchall()


def wait_for(what: str, check, timeout: float, procs: Processes, every: float = 2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs.check_alive()
        got = check()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _api_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/version", timeout=3) as r:
            return r.status == 200
    except OSError:
        return False


def _forget_queue(redis_url: str, queue: str) -> None:
    with contextlib.suppress(Exception):
        import redis

        r = redis.Redis.from_url(redis_url, socket_timeout=5)
        r.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def test_the_celery_provider_can_import_its_executor():
    """The Celery worker and the scheduler import this at start-up (fails with Celery 5.7.0: pin celery<5.7)."""
    proc = subprocess.run([sys.executable, "-c", "import airflow.providers.celery.executors.celery_executor_utils"],
                          env={**os.environ, "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor"}, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, (f"{proc.stderr.strip().splitlines()[-1]}: the Celery worker cannot start "
                                  "(Celery 5.7 removed what the provider imports: pin celery>=5.5,<5.7)")


def test_celery_workers_run_the_quarterly_dag(pg_admin_url, redis_url, tmp_path):
    from pressdx.jobs.run import run
    from pressdx.sample.generator import generate
    from pressdx.warehouse.connection import connect
    from tests.pg import fresh_pg_database

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    generate(tmp_path / "sample", scale=0.05, through="2025-Q4")
    data = tmp_path / "data"
    queue = f"pressdx_test_{uuid.uuid4().hex[:10]}"
    with fresh_pg_database(pg_admin_url, "pressdx_af_meta") as meta_url, \
            fresh_pg_database(pg_admin_url) as wh_url:
        os.environ["PRESSDX_DATA_DIR"] = str(data)
        try:  # what the daily intake would have taken in: the quarterly run builds and publishes it
            run(tmp_path / "sample" / "sources.yml", wh_url, "2025-Q4", build=False)
        finally:
            del os.environ["PRESSDX_DATA_DIR"]
        home = tmp_path / "airflow"
        home.mkdir()
        api_port = free_port()
        env = celery_env(home, meta_url, redis_url, queue, api_port, PRESSDX_WAREHOUSE=wh_url,
                         PRESSDX_DATA_DIR=str(data))
        t1 = time.perf_counter()
        cli(env, "db", "migrate", timeout=600)
        timings["db migrate"] = time.perf_counter() - t1

        procs = Processes(env, tmp_path)
        try:
            t2 = time.perf_counter()
            procs.start("api-server", "api-server", "--host", "127.0.0.1", "--port", str(api_port), "--workers", "1")
            procs.start("dag-processor", "dag-processor")
            procs.start("scheduler", "scheduler")
            procs.start("worker", "celery", "worker", "--queues", queue, "--concurrency", "2",
                        "--celery-hostname", f"{queue}@%h", "--without-gossip", "--without-mingle")
            wait_for(f"{DAG_ID} to be parsed", lambda: _meta_query(
                meta_url, "select 1 from dag where dag_id = %s", (DAG_ID,)), 240, procs)
            wait_for("the api-server (execution API)", lambda: _api_ready(api_port), 120, procs)
            timings["processes up, DAG parsed"] = time.perf_counter() - t2

            t3 = time.perf_counter()
            cli(env, "dags", "unpause", DAG_ID)
            run_id = f"celery_test_{uuid.uuid4().hex[:8]}"
            cli(env, "dags", "trigger", DAG_ID, "--logical-date", DUE, "--run-id", run_id)

            def finished():
                rows = _meta_query(meta_url, "select state from dag_run where dag_id = %s and run_id = %s",
                                   (DAG_ID, run_id))
                return rows and rows[0][0] in ("success", "failed") and rows[0][0]

            state = wait_for(f"run {run_id} to finish", finished, WAIT_S, procs, every=3)
            timings["run"] = time.perf_counter() - t3
            tis = dict(_meta_query(meta_url, "select task_id, state from task_instance where dag_id = %s "
                                   "and run_id = %s", (DAG_ID, run_id)))
            hosts = {h for (h,) in _meta_query(meta_url, "select distinct hostname from task_instance where "
                                               "dag_id = %s and run_id = %s", (DAG_ID, run_id))}
            results = _meta_query(meta_url, "select count(*) from celery_taskmeta")
            if state != "success":
                raise AssertionError(f"run {run_id}: {state}, tasks {tis}\n--- worker ---\n{procs.tail('worker')}"
                                     f"\n--- scheduler ---\n{procs.tail('scheduler')}")
        finally:
            procs.stop()
            _forget_queue(redis_url, queue)

        assert tis == {"due": "success", "dbt_build": "success", "sweep_timeliness": "success",
                       "publish": "success", "trend_review": "skipped"}
        assert hosts and None not in hosts  # ran on the worker
        assert results[0][0] >= 4  # Celery kept each task's result in PostgreSQL
        with connect(wh_url) as wh:
            as_of, through = wh.query("select as_of, through_period from marts.dim_build")[0]
            assert wh.query("select count(*) from marts.fct_indicator_period where period_code = '2025-Q3'")[0][0] > 0
        assert as_of == datetime.fromisoformat(DUE) and through == "2025-Q3"
        manifest = json.loads((data / "published" / "2025-Q3" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["as_of"] == DUE
    timings["total"] = time.perf_counter() - t0
    print("; ".join(f"{k}: {v:.1f}s" for k, v in timings.items()))

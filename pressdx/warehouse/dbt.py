"""Running the dbt project (``dbt_project/``) in-process against one warehouse.

``build(url, as_of=..., through=..., schema_prefix=...)`` is what the pipeline, the as-of machinery and
the DAGs call; ``run_dbt(url, args, ...)`` runs any other dbt command the same way.

Every invocation:
- uses the shipped ``dbt_project`` (``pressdx.settings.dbt_project_dir()``: the checkout's folder, or
  the installed package's copy) as project and profiles directory, and only reads it: nothing is ever
  written there (``profiles.yml`` holds no secret: the connection comes from ``url.dbt_env()``, set in
  the environment for the invocation only and restored afterwards, so the password is never on a
  command line nor in a log);
- gets its own target and log directories under a fresh temporary directory (``pressdx-dbt-*``), so
  parallel builds (test workers, as-of builds) never share ``target/`` or ``dbt.log``. The directory is
  removed whatever happens; after a failure its ``dbt.log`` is kept first, under
  ``pressdx.settings.cache_dir()/dbt/logs/`` (the 8 most recent), and ``DbtError.log_path`` names it;
- starts from the partial-parse state the last successful invocation with the same warehouse and vars
  left (``partial_parse.msgpack``, kept under ``pressdx.settings.cache_dir()/dbt/parse-state/``): a fresh target
  directory would otherwise make dbt parse the whole project every time (≈ 3 s). dbt itself checks the
  state against the project files, the profile, the vars and its own version, and parses again
  whatever changed. As-of builds (made once each) keep no state; the 8 most recent states are kept;
- writes dbt's output to that ``dbt.log`` only, at level info (each node's start, end and error), unless
  ``PRESSDX_DBT_VERBOSE=1`` (then also the terminal, and the file at level debug, with every SQL statement):
  the debug file log cost about a fifth of a build's time (353 nodes at scale 1, the same build with the
  settings alternated: 45.9/47.6 s at debug, 35.5 s at info, 36.7–39.2 s with no file log);
- raises ``DbtError`` with one line naming the step that failed (``test not_null_…``, ``model …``,
  ``compilation``) and a summary of the failing nodes when dbt fails; Ctrl-C (or SIGTERM's ``SystemExit``)
  during dbt is raised again as itself, so the run reports it as interrupted, not as a dbt failure.

``build`` publishes a regular build only once it passed, all at once (``pressdx.warehouse.swap``), and
holds the warehouse's run lock (``pressdx.warehouse.lock``) while it builds.

dbt is not thread-safe in-process (global flags, adapters and event manager), so invocations in one
process are serialised by a lock; separate processes (pytest-xdist workers, Airflow tasks) run in parallel.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from pressdx.settings import cache_dir, dbt_project_dir, environment
from pressdx.warehouse import lock, swap
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.warehouse.scope import Scope, keep_manifest

log = logging.getLogger(__name__)

PROJECT_DIR = dbt_project_dir()
VERBOSE_ENV = "PRESSDX_DBT_VERBOSE"
SCHEMA_PREFIX_RE = re.compile(r"[a-z][a-z0-9_]{0,40}")
PERIOD_RE = re.compile(r"\d{4}-Q[1-4]")
_FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})
_LOCK = threading.Lock()


class DbtError(RuntimeError):
    """A dbt invocation failed. ``str(e)`` is one line; ``log_path`` is dbt's full log of the invocation."""

    def __init__(self, message: str, log_path: Path | None = None, result: Any = None):
        super().__init__(message)
        self.log_path = log_path
        self.result = result


def run_dbt(url: WarehouseURL | str, args: list[str], vars: Mapping[str, Any] | None = None,
            schema_prefix: str = "", env: Mapping[str, str] | None = None, keep_state: bool | None = None,
            progress: Callable[[str], None] | None = None,
            on_manifest: Callable[[Path], None] | None = None) -> Any:
    """Run ``dbt <args>`` in-process on the warehouse ``url``; returns dbt's ``dbtRunnerResult``.

    ``progress`` is told ``model N/M name`` as each model starts (default: the callback of the enclosing
    ``progress_to`` block, if any).

    ``vars`` become ``--vars`` (JSON); ``schema_prefix`` becomes ``var('schema_prefix')``, so that every
    schema dbt builds is prefixed (``asof_1a2b_`` → ``asof_1a2b_marts``). ``env``: environment variables
    for this invocation only. ``keep_state``: keep the partial-parse state for the next invocation
    (default: only without a schema prefix; a regular build's fixed staging prefix keeps it too).
    ``on_manifest``: called with the path of dbt's ``manifest.json`` after a success, before it is removed.
    Raises ``DbtError`` on failure.
    """
    from dbt.cli.main import dbtRunner

    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    if schema_prefix and not SCHEMA_PREFIX_RE.fullmatch(schema_prefix):
        raise ValueError(f"schema_prefix must match {SCHEMA_PREFIX_RE.pattern}: {schema_prefix!r}")
    all_vars = dict(vars or {})
    all_vars["schema_prefix"] = schema_prefix
    verbose = os.environ.get(VERBOSE_ENV, "") == "1"
    command = " ".join(_subcommand(args))[:60] or " ".join(args)[:60]
    keep_state = not schema_prefix if keep_state is None else keep_state

    with _LOCK:
        work = Path(tempfile.mkdtemp(prefix="pressdx-dbt-"))
        log_path = work / "logs" / "dbt.log"
        wanted = {
            "--project-dir": str(PROJECT_DIR),
            "--profiles-dir": str(PROJECT_DIR),
            "--target-path": str(work / "target"),
            "--log-path": str(work / "logs"),
            "--log-level": "info" if verbose else "none",
            "--log-level-file": "debug" if verbose else "info",
            "--vars": json.dumps(all_vars, default=str),
        }
        accepted = _accepted_options(args)
        cli = list(args)
        for option, value in wanted.items():
            if option in accepted:
                cli += [option, value]
        env = {**url.dbt_env(), **(env or {}), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_USE_COLORS": "false"}
        state = _parse_state_file(url, wanted["--vars"], env.get("PRESSDX_DUCKDB_PATH", ""))
        _copy_quietly(state, work / "target" / PARSE_STATE)
        started = time.monotonic()
        try:
            with environment(env), _interrupts() as interrupted:
                res = dbtRunner(callbacks=_model_progress(progress or _PROGRESS.get())).invoke(cli)
        except BaseException:
            log.debug("dbt %s raised", command)
            shutil.rmtree(work, ignore_errors=True)
            raise
        finally:
            _release_connections()
        elapsed = time.monotonic() - started
        if res.success:
            log.info("dbt %s on %s: done in %.1fs", command, url.display, elapsed)
            if keep_state:  # an as-of build is made once per key: its state would never serve again
                _copy_quietly(work / "target" / PARSE_STATE, state)
                _prune(state.parent, PARSE_STATES_KEPT)
            if on_manifest:
                on_manifest(work / "target" / "manifest.json")
            shutil.rmtree(work, ignore_errors=True)
            return res
        kept = _keep_log(log_path, work.name)
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(res.exception, KeyboardInterrupt | SystemExit) or interrupted:
            log.info("dbt %s on %s: interrupted after %.1fs", command, url.display, elapsed)
            raise res.exception if isinstance(res.exception, KeyboardInterrupt | SystemExit) else KeyboardInterrupt()
        summary = _redact(_summarise(res), url)
        step = _failed_step(res)
        head = f"dbt {command} failed at {step} on {url.display}: {summary}"
        if kept is None:  # dbt stopped before logging anything (e.g. a bad option)
            log.info("dbt %s on %s: failed in %.1fs", command, url.display, elapsed)
            raise DbtError(head, result=res)
        log.info("dbt %s on %s: failed in %.1fs; log kept in %s", command, url.display, elapsed, kept)
        raise DbtError(f"{head} (log: {kept})", log_path=kept, result=res)


@contextlib.contextmanager
def _interrupts() -> Iterator[list[int]]:
    """Notes a Ctrl-C (SIGINT) that arrives during the block, then lets it act as before.

    dbt catches what is raised while it parses and validates YAML and reports it as a parse error
    ("invalid field value"): a Ctrl-C at that moment would come back as a failed build. The list is
    non-empty when one arrived, so the caller raises ``KeyboardInterrupt`` instead. Only in the main
    thread (signal handlers live there); elsewhere it notes nothing.
    """
    seen: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return
    previous = signal.getsignal(signal.SIGINT)

    def note(signum, frame):  # noqa: ANN001
        seen.append(signum)
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            signal.default_int_handler(signum, frame)

    signal.signal(signal.SIGINT, note)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)


_PROGRESS: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar("pressdx_dbt_progress",
                                                                                         default=None)


@contextlib.contextmanager
def progress_to(callback: Callable[[str], None] | None) -> Iterator[None]:
    """Every dbt invocation in the block (the pipeline's builds, as-of builds) tells ``callback`` its models
    as they start, without passing it through every caller: what a face showing progress wants."""
    token = _PROGRESS.set(callback)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def _model_progress(progress: Callable[[str], None] | None) -> list:
    """dbt callbacks (``dbtRunner(callbacks=…)``: every event, whatever the log level) turning its events
    into lines: what the project holds (``FoundStats``), then ``seed N/M name`` and ``model N/M name`` as
    each starts (``LogStartLine``), M from ``FoundStats``.
    dbt fires them from its worker threads; a failing callback never fails the build."""
    if progress is None:
        return []
    total: dict[str, int] = {}
    started: dict[str, int] = {}
    guard = threading.Lock()

    def on_event(event: Any) -> None:
        try:
            name = event.info.name
            if name == "FoundStats":  # "69 models, 12 seeds, 412 data tests, …": after parsing, before any node
                for n, kind in re.findall(r"(\d+) (model|seed)s?\b", event.data.stat_line):
                    total[kind] = int(n)
                progress(f"dbt: {event.data.stat_line}")
            elif name == "LogStartLine" and event.data.node_info.resource_type in ("model", "seed"):
                kind = event.data.node_info.resource_type
                with guard:  # numbered and printed in one step, so the lines come in order
                    started[kind] = started.get(kind, 0) + 1
                    progress(f"{kind} {started[kind]}/{total.get(kind, '?')} {event.data.node_info.node_name}")
        except Exception as e:  # progress is a courtesy
            log.debug("dbt progress callback: %s", e)

    return [on_event]


def build(url: WarehouseURL | str, as_of: datetime | str | None = None, through: str | None = None,
          schema_prefix: str = "", unit_tests: bool = False, scope: Scope | None = None,
          manifest_to: Path | None = None) -> Any:
    """Seed the reference data, build every model and run its data tests (``dbt build``).

    ``as_of``: the knowledge instant (an aware ``datetime`` or an ISO-8601 string with an offset); only
    submissions received at or before it are used. Default: the build's start time.
    ``through``: the last period to compute (``2025-Q4``). Default: the period whose coverage contains
    ``as_of`` in Vietnam time. ``schema_prefix``: build into prefixed schemas (an as-of build), complete
    only once its marker is written (``swap.mark_complete``). Without one, the build is published all at once
    when it passed: built into the staging schemas and swapped in on PostgreSQL (``swap.publish``), built in a
    copy of the file that then replaces it on DuckDB (``swap.building_copy``). Creates the intake schemas and
    raw tables first when they do not exist yet. Holds the warehouse's run lock.

    ``unit_tests``: also run the YAML unit tests. They test the SQL's logic on fixed inputs, not the
    data, so production builds leave them out (as dbt's documentation advises) and ``make test`` runs
    them (tests/integration/test_dbt_models.py); they would add about 10 s to every build.

    ``scope`` (``pressdx.warehouse.scope.plan``): build only its models and their data tests, reading the
    others where they are published (PostgreSQL: ``--defer --favor-state``, and publish those alone; DuckDB:
    the copy holds them). ``manifest_to``:
    keep the regular build's manifest there, for the scoped builds after it (``scope.keep_manifest``).
    """
    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    params = {"PRESSDX_AS_OF": "", "PRESSDX_THROUGH": ""}  # read by macros/build_params.sql
    if as_of is not None:
        params["PRESSDX_AS_OF"] = _instant(as_of)
    if through is not None:
        if not PERIOD_RE.fullmatch(through):
            raise ValueError(f"through must be a period code such as 2025-Q4: {through!r}")
        params["PRESSDX_THROUGH"] = through
    args = ["build"] if unit_tests else ["build", "--exclude-resource-type", "unit_test"]
    if schema_prefix and schema_prefix.startswith((swap.STAGE, swap.PREVIOUS)):
        raise ValueError(f"schema_prefix {schema_prefix!r} is reserved for publishing regular builds")
    with lock.hold(url):
        with Warehouse(url) as wh:
            wh.ensure_schema()
        if schema_prefix:  # an as-of build: a killed one's leftovers go first, the marker comes last
            swap.drop_schemas(url, schema_prefix)
            result = run_dbt(url, args, schema_prefix=schema_prefix, env=params)
            swap.mark_complete(url, schema_prefix, params["PRESSDX_AS_OF"] or None, params["PRESSDX_THROUGH"] or None)
            return result
        swap.drop_schemas(url, swap.STAGE)  # a killed build's staging schemas (PostgreSQL; DuckDB before 2026-12)
        keep = (lambda built: keep_manifest(built, manifest_to)) if manifest_to else None
        if url.kind == "duckdb":  # built in place in a copy of the file, which then replaces it
            if scope is not None:  # the models it does not build are in the copy, as published
                args += ["--select", " ".join(scope.models)]
            with swap.building_copy(url) as copy:
                return run_dbt(url, args, env={**params, "PRESSDX_DUCKDB_PATH": str(copy)}, keep_state=True,
                               on_manifest=keep)
        if scope is not None:
            args += ["--select", " ".join(scope.models), "--defer", "--favor-state", "--state", str(scope.state_dir)]
        result = run_dbt(url, args, schema_prefix=swap.STAGE, env=params, keep_state=True, on_manifest=keep)
        swap.publish(url, partial=scope is not None)
        if url.kind == "postgres":
            from pressdx.warehouse.roles import grant_bi_reader

            grant_bi_reader(url)  # BI tools read marts, and only marts, after every regular build
    return result


PARSE_STATE = "partial_parse.msgpack"
PARSE_STATES_KEPT = 8  # ≈ 1.6 MB each; a deployment uses one or two warehouses, the test suite dozens


def _parse_state_file(url: WarehouseURL, vars_json: str, duckdb_path: str = "") -> Path:
    """Where the partial-parse state of this warehouse and these vars is kept between invocations.

    One state per (project folder, warehouse, DuckDB file dbt opens — a build copy is another —, vars): dbt
    would discard a state made for another profile or other vars, so sharing one file would make alternating
    builds (tests, as-of builds) parse everything each time; and a state records its project's absolute
    paths, so a checkout and an installed copy sharing the cache folder keep a state each.
    """
    key = hashlib.sha256(f"{PROJECT_DIR}|{url.kind}|{url.display}|{duckdb_path}|{vars_json}".encode())
    return parse_state_dir() / f"{key.hexdigest()[:20]}.msgpack"


def parse_state_dir() -> Path:
    """The folder of the kept partial-parse states: per user (``cache_dir()``), never the installed package.

    Looked up per invocation, so ``PRESSDX_CACHE_DIR`` set after import still counts.
    """
    return cache_dir() / "dbt" / "parse-state"


def _copy_quietly(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` atomically; a missing source or an unwritable destination is not an error
    (the state only saves time)."""
    if not src.is_file():
        return
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
    except OSError as e:
        log.debug("dbt parse state not kept (%s): %s", dest, e)


def _prune(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently written files of ``folder``."""
    try:
        files = sorted((p for p in folder.iterdir() if p.suffix == ".msgpack"), key=lambda p: p.stat().st_mtime)
        for old in files[:-keep]:
            old.unlink(missing_ok=True)
    except OSError as e:  # another process pruning at the same time, or a read-only project
        log.debug("dbt parse states not pruned: %s", e)


def _instant(value: datetime | str) -> str:
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
        except ValueError:
            raise ValueError(f"as_of must be an ISO-8601 instant with an offset: {value!r}") from None
        value = parsed
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"as_of must carry a time zone offset: {value!r}")
    return value.isoformat()


LOGS_KEPT = 8  # failed invocations' dbt.log kept for the post-mortem


def failed_logs_dir() -> Path:
    """Where the ``dbt.log`` of a failed invocation is kept (its temporary folder is removed)."""
    return cache_dir() / "dbt" / "logs"


def _keep_log(log_path: Path, name: str) -> Path | None:
    """Move a failed invocation's log out of its temporary folder; None when dbt wrote none."""
    if not log_path.is_file():
        return None
    dest = failed_logs_dir() / name / "dbt.log"
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(log_path, dest)
        folders = sorted((p for p in dest.parent.parent.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
        for old in folders[:-LOGS_KEPT]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        log.debug("dbt log not kept (%s): %s", dest, e)
        return None
    return dest


def _subcommand(args: list[str]) -> list[str]:
    """The words of ``args`` naming the dbt command (``build``), before the first option."""
    words = []
    for a in args:
        if a.startswith("-"):
            break
        words.append(a)
    return words


def _failed_step(res: Any) -> str:
    """The step a failed invocation stopped at: its first failing node (``test not_null_…``, ``model …``),
    else what stopped dbt before any node ran (``compilation``, ``parsing``, ``database``…)."""
    for r in getattr(getattr(res, "result", None), "results", None) or []:
        if str(getattr(r.status, "value", r.status)).lower() in _FAILED_STATUSES:
            node = getattr(r, "node", None)
            kind = str(getattr(getattr(node, "resource_type", None), "value", "") or "node")
            return f"{kind} {getattr(node, 'name', '?')}"
    exc = getattr(res, "exception", None)
    if exc is None:
        return "an unnamed step"
    name = type(exc).__name__.removesuffix("Exception").removesuffix("Error")
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower().replace("dbt ", "").strip()
    return words or "start-up"


def _accepted_options(args: list[str]) -> set[str]:
    """The options the dbt (sub)command named by ``args`` accepts (``debug`` takes no --target-path)."""
    from dbt.cli.main import cli

    cmd: Any = cli
    for word in args:
        sub = getattr(cmd, "commands", {}).get(word)
        if sub is None:
            break
        cmd = sub
    return {opt for p in cmd.params for opt in p.opts}


def _release_connections() -> None:
    """Close what dbt keeps open after an invocation.

    dbt-duckdb caches the database instance in a class attribute; left open, it blocks every other
    connection with a different configuration (read-only) in this process and any other process.
    """
    with contextlib.suppress(Exception):
        from dbt.adapters.factory import cleanup_connections

        cleanup_connections()
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if env is not None:
            with contextlib.suppress(Exception):
                env.close()


def _summarise(res: Any) -> str:
    """One line naming the failing nodes of a dbtRunnerResult (or the exception that stopped dbt)."""
    parts: list[str] = []
    results = getattr(getattr(res, "result", None), "results", None) or []
    skipped = 0
    for r in results:
        status = str(getattr(r.status, "value", r.status)).lower()
        if status == "skipped":
            skipped += 1
        if status not in _FAILED_STATUSES:
            continue
        node = getattr(r, "node", None)
        name = getattr(node, "unique_id", None) or getattr(node, "name", "?")
        message = " ".join(str(r.message or "").split())
        if status == "fail" and getattr(r, "failures", None):
            message = f"{r.failures} failing row(s)"
        parts.append(f"{name} [{status}: {message[:200]}]" if message else f"{name} [{status}]")
    if res.exception is not None:
        parts.append(" ".join(str(res.exception).split())[:300])
    if not parts:
        parts.append("dbt reported a failure without a failing node")
    text = f"{len(parts)} failing: " + "; ".join(parts[:8])
    if len(parts) > 8:
        text += f"; and {len(parts) - 8} more"
    if skipped:
        text += f"; {skipped} skipped"
    return text


def _redact(text: str, url: WarehouseURL) -> str:
    if url.password:
        text = text.replace(url.password, "***")
    return text

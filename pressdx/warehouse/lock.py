"""One pressdx run at a time per warehouse, on both engines.

Two runs at once judged the same files twice (issue 12: every rejection recorded and noticed twice) and
raced on the marts; so everything that writes a warehouse (intake, a build, an as-of build) holds its
lock, and a second run waits for it up to ``PRESSDX_LOCK_WAIT`` seconds (default 30), then stops with one
line naming the holder (``WarehouseBusy``, a ``ConfigError``: exit 2).

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a key derived from the database
  name, held by a connection of its own, opened for nothing else, so no transaction of the run can release
  it. Advisory locks belong to one database, and the server drops one when its session ends: a killed run
  never leaves the warehouse locked. The connection's ``application_name`` names the holder (pid, host)
  and its ``backend_start`` says since when; the waiting run reads both from ``pg_stat_activity``.
- DuckDB: an exclusive ``fcntl.flock`` on ``<file>.lock`` beside the database file; the kernel releases it
  when the holder's process ends, however it ends. The file holds the holder's pid, host and start.

The lock is re-entrant within a process: ``pressdx run`` holds it over intake and build, and the steps it
calls, which take it themselves when called alone (Airflow tasks), just count one more holder.
Holding the lock is also what proves a run alive: ``pressdx.warehouse.runs.abandon_dead`` marks every run
still ``running`` in ``audit.runs`` as ``abandoned`` once the lock is held.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from pressdx.settings import ConfigError
from pressdx.warehouse.connection import WarehouseURL

WAIT_ENV = "PRESSDX_LOCK_WAIT"
DEFAULT_WAIT = 30.0  # seconds
POLL = 0.25  # seconds between two tries while waiting
APP_PREFIX = "pressdx run lock"

_HELD: dict[str, list[Any]] = {}  # lock identity -> [depth, handle]
_GUARD = threading.Lock()


class WarehouseBusy(ConfigError):
    """Another pressdx run holds the warehouse: the message is the one line the user sees."""


def holder_text() -> str:
    """Who holds a lock taken by this process: ``pid 123 on host``."""
    return f"pid {os.getpid()} on {socket.gethostname()}"


def wait_seconds(wait: float | None = None) -> float:
    if wait is not None:
        return max(0.0, wait)
    raw = os.environ.get(WAIT_ENV, "").strip()
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_WAIT
    except ValueError:
        raise ConfigError(f"{WAIT_ENV}={raw!r}: give a number of seconds") from None


def _identity(url: WarehouseURL) -> str:
    if url.kind == "duckdb":
        return f"duckdb:{url.path.resolve()}"
    return f"postgres:{url.host}:{url.port}/{url.dbname}"


def advisory_key(dbname: str) -> int:
    """The advisory-lock key of a database: 64 bits of a hash of its name, as PostgreSQL's signed bigint."""
    n = int.from_bytes(hashlib.sha256(f"pressdx run|{dbname}".encode()).digest()[:8], "big")
    return n - (1 << 64) if n >= 1 << 63 else n


@contextlib.contextmanager
def hold(url: WarehouseURL, wait: float | None = None) -> Iterator[None]:
    """Hold the warehouse's run lock for the block (re-entrant in a process); ``WarehouseBusy`` after ``wait``
    seconds (default ``PRESSDX_LOCK_WAIT`` or 30) if another run keeps it."""
    ident = _identity(url)
    with _GUARD:
        entry = _HELD.get(ident)
        if entry is not None:
            entry[0] += 1
    if entry is None:
        handle = _acquire(url, wait_seconds(wait))
        with _GUARD:
            _HELD[ident] = entry = [1, handle]
    try:
        yield
    finally:
        with _GUARD:
            entry[0] -= 1
            last = entry[0] == 0
            if last:
                del _HELD[ident]
        if last:
            _release(url, entry[1])


def held(url: WarehouseURL) -> bool:
    """Whether this process holds the warehouse's run lock."""
    with _GUARD:
        return _identity(url) in _HELD


def _acquire(url: WarehouseURL, wait: float) -> Any:
    deadline = time.monotonic() + wait
    if url.kind == "duckdb":
        return _acquire_file(url, deadline)
    return _acquire_advisory(url, deadline)


def _release(url: WarehouseURL, handle: Any) -> None:
    if url.kind == "duckdb":
        import fcntl

        with contextlib.suppress(OSError):
            handle.truncate(0)
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()
    else:
        with contextlib.suppress(Exception):
            handle.close()  # ends the session, and so the advisory lock


def _busy(url: WarehouseURL, who: str) -> WarehouseBusy:
    return WarehouseBusy(f"another pressdx run holds the warehouse {url.display} ({who}); "
                         f"try again when it has finished, or set {WAIT_ENV} to wait longer")


def _acquire_file(url: WarehouseURL, deadline: float) -> Any:
    import fcntl

    path = url.path.with_name(url.path.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    f = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while the lock is held
    while True:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                f.seek(0)
                who = f.read().strip() or "holder unknown"
                f.close()
                raise _busy(url, who) from None
            time.sleep(POLL)
    f.seek(0)
    f.truncate(0)
    f.write(f"{holder_text()}, since {datetime.now(UTC).isoformat(timespec='seconds')}\n")
    f.flush()
    return f


def _acquire_advisory(url: WarehouseURL, deadline: float) -> Any:
    import psycopg

    key = advisory_key(url.dbname)
    try:
        con = psycopg.connect(host=url.host, port=url.port, user=url.user, password=url.password or None,
                              dbname=url.dbname, autocommit=True, connect_timeout=10,
                              application_name=f"{APP_PREFIX}: {holder_text()}"[:63])
    except psycopg.OperationalError as e:
        raise ConfigError(f"cannot connect to {url.display}: {str(e).strip().splitlines()[0]}") from e
    while True:
        (got,) = con.execute("select pg_try_advisory_lock(%s)", (key,)).fetchone()
        if got:
            return con
        if time.monotonic() >= deadline:
            who = _advisory_holder(con, key)
            con.close()
            raise _busy(url, who)
        time.sleep(POLL)


def _advisory_holder(con: Any, key: int) -> str:
    """The holder of the advisory lock ``key`` as its connection names itself (``pg_stat_activity``)."""
    unsigned = key & ((1 << 64) - 1)
    row = con.execute(
        "select a.application_name, a.backend_start from pg_locks l join pg_stat_activity a using (pid) "
        "where l.locktype = 'advisory' and l.granted and l.database = "
        "(select oid from pg_database where datname = current_database()) "
        "and l.classid::bigint = %s and l.objid::bigint = %s and l.objsubid = 1",
        (unsigned >> 32, unsigned & 0xFFFFFFFF)).fetchone()
    if row is None:
        return "holder unknown"
    name, started = row  # the lock's session started when it was taken
    since = started.astimezone(UTC).isoformat(timespec="seconds")
    if name and name.startswith(APP_PREFIX):
        return f"{name[len(APP_PREFIX) + 2:]}, since {since}"
    return f"a session since {since}"

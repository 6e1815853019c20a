"""Publishing a build all at once: readers see the previous build or the new one, never a mix.

dbt commits model by model, so a build killed half-way used to leave ``marts`` holding some tables of the
new build and some of the old while ``dim_build`` named the new one (issue 12). Now a regular build goes
into staging schemas (``next_staging``, ``next_intermediate``, ``next_marts``, ``next_reference``: dbt's
``schema_prefix``, a fixed one so dbt's partial-parse state still serves every build), its data tests run
there, and only a build that passed is swapped in by ``publish``, in one transaction:

- PostgreSQL (transactional DDL): ``alter schema marts rename to prev_marts; alter schema next_marts rename
  to marts`` for the four schemas, the BI readers' grants on the old ``marts`` given again on the new one
  in the same transaction (``pressdx.warehouse.roles.grant_bi_reader`` then refreshes them and the default
  privileges); the old schemas are dropped after the commit. Renaming moves tables with their comments,
  contracts' constraints and statistics, and views keep pointing at the same tables: it costs nothing
  whatever the size.
- DuckDB cannot rename a schema nor move a table to another one ("Altering schemas is not yet supported",
  DuckDB 2.0), and copying every built table over its namesake cost a rewrite of the whole warehouse at
  each build (142 s of a 556 s build at 100 × the national sample, 3.8 s of 38 s at scale 1). So on DuckDB
  a regular build goes, whole file at once, into a copy (``building_copy``): the warehouse is checkpointed
  and copied to ``.<file>.build/<file>`` beside it (same name, so dbt's database name is the same), dbt
  builds in place there, with the published schema names, and only a build that passed replaces the file
  (``os.replace``: atomic, kill -9 or not). While dbt builds, the original stays open read-write in this
  process, so no other process writes it (as when dbt held it); if it changed all the same, the build is not
  published and says why. A killed build leaves the copy behind, and the next build starts a new one.

As-of builds (``asof_<key>_…``, ``pressdx.warehouse.asof``) are built once each and never swapped: a build
is complete only once ``mark_complete`` has written its marker table, last, so one that was killed half-way
is dropped and built again instead of being reused.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pressdx.warehouse.connection import Warehouse, WarehouseURL

log = logging.getLogger(__name__)

STAGE = "next_"
PREVIOUS = "prev_"
PUBLISHED = ("staging", "intermediate", "marts", "reference")  # the schemas dbt builds
MARKER = "pressdx_build_complete"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _schemas(wh: Warehouse) -> set[str]:
    return {r[0] for r in wh.query("select schema_name from information_schema.schemata")}


def drop_schemas(url: WarehouseURL, prefix: str) -> list[str]:
    """Drop the schemas a build with ``prefix`` makes (a killed build's leftovers); returns those dropped."""
    with Warehouse(url) as wh:
        present = _schemas(wh)
        gone = [prefix + s for s in PUBLISHED if prefix + s in present]
        for s in gone:
            wh.execute(f"drop schema if exists {_ident(s)} cascade")
    return gone


def is_complete(wh: Warehouse, prefix: str) -> bool:
    """Whether the build into ``prefix``'s schemas ran to its end (its marker exists)."""
    return wh.table_exists(f"{prefix}marts", MARKER)


def mark_complete(url: WarehouseURL, prefix: str, as_of: str | None, through: str | None) -> None:
    """Write the marker of a finished build into ``<prefix>marts``, as its last act."""
    with Warehouse(url) as wh, wh.transaction():
        wh.execute(f"create table {_ident(prefix + 'marts')}.{MARKER} "
                   "(as_of varchar, through_period varchar, completed_at timestamptz)")
        wh.execute(f"insert into {_ident(prefix + 'marts')}.{MARKER} values (?, ?, ?)",
                   (as_of, through, datetime.now(UTC)))


def publish(url: WarehouseURL, partial: bool = False) -> dict[str, float]:
    """Swap the staging build (``next_*``) in as the published schemas, in one transaction (PostgreSQL; a
    DuckDB build is published by ``building_copy``).

    ``partial``: the staging schemas hold only the relations a scoped build rebuilt
    (``pressdx.warehouse.scope``): those replace their namesakes and every other published relation stays.
    Returns the seconds the swap transaction and the clean-up after it took.
    """
    if url.kind != "postgres":
        raise ValueError(f"{url.display}: a DuckDB build is published by building_copy")
    started = time.monotonic()
    with Warehouse(url) as wh:
        with wh.transaction():
            leftovers = _move_postgres(wh) if partial else _swap_postgres(wh)
        swapped = time.monotonic()
        for s in leftovers:
            wh.execute(f"drop schema if exists {_ident(s)} cascade")
    done = time.monotonic()
    log.info("build published on %s: swap %.2fs, clean-up %.2fs", url.display, swapped - started, done - swapped)
    return {"swap_s": swapped - started, "cleanup_s": done - swapped}


def _swap_postgres(wh: Warehouse) -> list[str]:
    present = _schemas(wh)
    old = []
    for s in PUBLISHED:
        if STAGE + s not in present:
            continue
        if s in present:
            wh.execute(f"drop schema if exists {_ident(PREVIOUS + s)} cascade")
            wh.execute(f"alter schema {_ident(s)} rename to {_ident(PREVIOUS + s)}")
            old.append(PREVIOUS + s)
        wh.execute(f"alter schema {_ident(STAGE + s)} rename to {_ident(s)}")
    if PREVIOUS + "marts" in old:  # the BI readers keep reading, without a moment of "permission denied"
        readers = wh.query(
            "select distinct r.rolname from pg_namespace n cross join lateral aclexplode(n.nspacl) a join pg_roles r "
            "on r.oid = a.grantee where n.nspname = ? and a.privilege_type = 'USAGE' and a.grantee <> n.nspowner",
            (PREVIOUS + "marts",))
        for (role,) in readers:
            wh.execute(f"grant usage on schema marts to {_ident(role)}")
            wh.execute(f"grant select on all tables in schema marts to {_ident(role)}")
    return old


def _move_postgres(wh: Warehouse) -> list[str]:
    """A scoped build's relations replace their published namesakes, moved (``set schema``: no copy). A
    dropped table takes its views with it (``cascade``): those are rebuilt too (``scope.select``), so they
    are moved in as well. The readers of ``marts`` get ``select`` on the moved tables in the same transaction."""
    present = _schemas(wh)
    staged_schemas = [STAGE + s for s in PUBLISHED if STAGE + s in present]
    moves = []
    for staged in staged_schemas:
        s = staged[len(STAGE):]
        wh.execute(f"create schema if not exists {_ident(s)}")
        rows = wh.query("select c.relname, case c.relkind when 'v' then 'view' else 'table' end from pg_class c "
                        "join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relkind in "
                        "('r', 'v', 'p') order by c.relname", (staged,))
        moves += [(staged, s, name, kind) for name, kind in rows]
    for _, s, name, kind in moves:
        wh.execute(f"drop {kind} if exists {_ident(s)}.{_ident(name)} cascade")
    for staged, _, name, kind in moves:
        wh.execute(f"alter {kind} {_ident(staged)}.{_ident(name)} set schema {_ident(staged[len(STAGE):])}")
    if any(s == "marts" for _, s, _, _ in moves):
        readers = wh.query(
            "select distinct r.rolname from pg_namespace n cross join lateral aclexplode(n.nspacl) a join pg_roles r "
            "on r.oid = a.grantee where n.nspname = 'marts' and a.privilege_type = 'USAGE' and a.grantee <> n.nspowner")
        for (role,) in readers:
            wh.execute(f"grant select on all tables in schema marts to {_ident(role)}")
    return staged_schemas


class WarehouseChanged(RuntimeError):
    """The DuckDB file was written while its build copy was being built: the build is not published."""


def build_copy_path(url: WarehouseURL) -> Path:
    """Where a DuckDB warehouse's build copy is made: ``.<file>.build/<file>`` beside it (same file system,
    so the copy replaces the file atomically; same name, so dbt names the database as in the original)."""
    return url.path.parent / f".{url.path.name}.build" / url.path.name


@contextlib.contextmanager
def building_copy(url: WarehouseURL) -> Iterator[Path]:
    """A DuckDB build made in a copy of the warehouse file, published by replacing the file with it when the
    block ends without an error (module docstring); yields the copy's path, for dbt's ``path``.

    On an error (a failed dbt build, Ctrl-C) the copy is removed and the warehouse is as it was. The original
    is held open read-write for the whole block, so no other process writes it meanwhile; should it have
    changed all the same (another connection of this process), ``WarehouseChanged`` is raised and nothing is
    published: a rerun builds again.
    """
    copy = build_copy_path(url)
    wal = Path(f"{url.path}.wal")
    shutil.rmtree(copy.parent, ignore_errors=True)  # a killed build's copy
    copy.parent.mkdir(parents=True)
    held = Warehouse(url)
    try:
        held.execute("checkpoint")  # everything in the file, no write-ahead log to leave behind
        before = _fingerprint(url.path, wal)
        started = time.monotonic()
        _copy_file(url.path, copy)
        log.info("build copy of %s made in %.2fs", url.display, time.monotonic() - started)
        yield copy
        with Warehouse(url.with_path(copy)) as built:
            built.execute("checkpoint")  # the copy whole in its file, its write-ahead log empty
        for leftover in (Path(f"{copy}.wal"), Path(f"{copy}.tmp")):
            if leftover.exists():
                raise WarehouseChanged(f"the build copy {copy} kept {leftover.name} after its checkpoint: "
                                       "not published; run the build again")
        held.execute("checkpoint")
        if _fingerprint(url.path, wal) != before:
            raise WarehouseChanged(f"{url.display} was written while it was being built: the build is not "
                                   "published (nothing is lost); run it again")
        held.close()
        os.replace(copy, url.path)
        _sync_dir(url.path.parent)
        log.info("build published on %s (file replaced by its build copy)", url.display)
    finally:
        with contextlib.suppress(Exception):
            held.close()
        shutil.rmtree(copy.parent, ignore_errors=True)


def _copy_file(src: Path, dest: Path) -> None:
    """Copy the held warehouse file in another process. DuckDB's lock is a POSIX record lock, which a
    process loses on closing *any* descriptor of the file: copying it here (open, read, close) would let
    other processes in for the rest of the build. ``cp --reflink=auto`` also makes the copy instant where
    the file system shares blocks (btrfs, XFS)."""
    cp = shutil.which("cp")
    if cp:
        command = [cp, "--reflink=auto", str(src), str(dest)]
    else:  # pragma: no cover - every Debian has coreutils
        command = [sys.executable, "-c", "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])",
                   str(src), str(dest)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise OSError(f"could not copy {src} for its build: {done.stderr.strip() or done.returncode}")


def _fingerprint(path: Path, wal: Path) -> tuple:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, wal.exists() and wal.stat().st_size > 0)


def _sync_dir(folder: Path) -> None:
    """Make the rename durable (the directory entry on disk), where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

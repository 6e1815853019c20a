"""Knowledge time: which marts answer a question "as of T".

Mechanism (documented in docs/knowledge-time.md): the dbt project is built for an instant ``as_of``;
only submissions received at or before it exist for that build. The regular build uses the time of the
run. An earlier instant gets its own *as-of build* into schemas prefixed ``asof_<key>_``, where the key
hashes the instant, the raw submissions visible at it, the unit registrations, the period built through
and the dbt project itself, so a repeated question reuses the build, while a late-arriving file with an old
received time or a changed model gets a new one. Raw data is append-only, so such a build
is exact, and superseded versions are never lost.

A build is reused only once complete: its marker table is written last (``swap.mark_complete``), so an
as-of build that was killed half-way is dropped and built again by the next question, under the
warehouse's run lock (two processes asking the same question build it once).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pressdx.settings import ConfigError
from pressdx.warehouse import lock, swap
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.warehouse.dbt import PROJECT_DIR

PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "tests", "snapshots")


@functools.cache
def project_hash(project: Path = PROJECT_DIR) -> str:
    """SHA-256 over the dbt project's files (path and bytes): a changed model means other figures."""
    h = hashlib.sha256()
    for part in PROJECT_PARTS:
        root = project / part
        if not root.exists():
            continue
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            h.update(f.relative_to(project).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def _key(wh: Warehouse, as_of: datetime, through: str) -> str:
    count, latest = wh.query("select count(*), max(loaded_at) from raw.submissions where received_at <= ?",
                             (as_of,))[0]
    units, registered = wh.query("select count(*), max(registered_at) from raw.unit_registrations")[0]
    text = f"{as_of.astimezone(UTC).isoformat()}|{count}|{latest}|{units}|{registered}|{through}|{project_hash()}"
    return hashlib.sha256(text.encode()).hexdigest()[:10]


@contextlib.contextmanager
def marts_for(url: WarehouseURL, as_of: datetime | None) -> Iterator[tuple[Warehouse, str]]:
    """Yield a connection and the marts schema holding figures as of ``as_of`` (None: the last build)."""
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        if not wh.table_exists("marts", "dim_build"):
            raise ConfigError(f"the warehouse {url.display} has not been built: run `pressdx run` first")
        if as_of is None:
            yield wh, "marts"
            return
        through = wh.query("select through_period from marts.dim_build")[0][0]
        prefix = f"asof_{_key(wh, as_of, through)}_"
        built = swap.is_complete(wh, prefix)
    if not built:
        from pressdx.warehouse.dbt import build

        with lock.hold(url):
            with Warehouse(url, read_only=url.kind == "duckdb") as wh:
                built = swap.is_complete(wh, prefix)  # another process may have built it meanwhile
            if not built:
                build(url, as_of=as_of, through=through, schema_prefix=prefix)
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        yield wh, f"{prefix}marts"

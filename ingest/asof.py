"""Knowledge time: which marts answer a question "as of T".

Mechanism (documented in docs/knowledge-time.md): the dbt project is built for an instant ``as_of``;
only submissions received at or before it exist for that build. The regular build uses the time of the
run. An earlier instant gets its own *as-of build* into schemas prefixed ``asof_<key>_``, where the key
hashes the instant and the raw submissions visible at it, so a repeated question reuses the build and a
late-arriving file with an old received time invalidates it. Raw data is append-only, so such a build
is exact, and superseded versions are never lost.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime

from ingest.warehouse import ConfigError, Warehouse, WarehouseURL


def _key(wh: Warehouse, as_of: datetime) -> str:
    count, latest = wh.query("select count(*), max(loaded_at) from raw.submissions where received_at <= ?",
                             (as_of,))[0]
    text = f"{as_of.astimezone(UTC).isoformat()}|{count}|{latest}"
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
        prefix = f"asof_{_key(wh, as_of)}_"
        built = wh.table_exists(f"{prefix}marts", "dim_build")
        through = wh.query("select through_period from marts.dim_build")[0][0]
    if not built:
        from ingest.dbt import build

        build(url, as_of=as_of, through=through, schema_prefix=prefix)
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        yield wh, f"{prefix}marts"

"""The pull step: one source's files into the landing store, and back only small metadata.

Both faces pull through here: the CLI's ``run`` pulls every source in turn, the Airflow DAG runs one
mapped task per source (so a failing source fails only its own task) and passes the result, plain data,
through XCom to the take-in step. The bytes stay in the content-addressed landing store
(``ingest.landing``), so re-pulling is harmless and the take-in step may run on another worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.landing import land, refuse
from ingest.parsing import Limits
from ingest.sources import Config, Source, pull
from pressdx.settings import ConfigError, data_dir
from pressdx.warehouse.connection import Warehouse, WarehouseURL

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
PULL_WORKERS = 4  # sources pulled at once by pull_all


@dataclass(frozen=True)
class Landed:
    """One pulled file, as kept in the landing store: where it came from, its hash, size, received time."""

    path: str
    sha256: str
    size: int
    received_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "size": self.size,
                "received_at": self.received_at.astimezone(UTC).isoformat()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Landed:
        return cls(d["path"], d["sha256"], int(d["size"]), datetime.fromisoformat(d["received_at"]))


@dataclass(frozen=True)
class Pulled:
    """What one source brought. ``cursor`` is set for an HTTP source only: kept once its files are in."""

    source_name: str
    unit_code: str
    items: tuple[Landed, ...] = ()
    cursor: str | None = None
    has_cursor: bool = False
    skipped: tuple[str, ...] = field(default=(), compare=False)  # listed but unreadable: pulled next time

    def to_dict(self) -> dict[str, Any]:
        """The XCom form: metadata only, never the bytes."""
        out: dict[str, Any] = {"source_name": self.source_name, "unit_code": self.unit_code,
                               "items": [i.to_dict() for i in self.items]}
        if self.has_cursor:
            out["cursor"] = self.cursor
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Pulled:
        return cls(d["source_name"], d["unit_code"], tuple(Landed.from_dict(i) for i in d["items"]),
                   d.get("cursor"), "cursor" in d)


def find_source(cfg: Config, name: str) -> Source:
    src = next((s for s in cfg.sources if s.name == name), None)
    if src is None:
        raise ConfigError(f"{cfg.file}: no source named {name!r} (any more)")
    return src


def load_cursors(url: WarehouseURL, cfg: Config, only: Iterable[Source] | None = None) -> dict[str, dict]:
    """The kept cursor of every HTTP source (``{source_name: {"cursor": …}}``), of ``only`` if given."""
    http = [s for s in (cfg.sources if only is None else only) if s.kind == "http"]
    if not http:
        return {}
    from ingest.sources.cursor import load_cursor

    with Warehouse(url) as wh:
        wh.ensure_schema()
        return {s.name: {"cursor": load_cursor(wh, s.name)} for s in http}


def pull_one(src: Source, state: dict | None = None, root: Path | None = None,
             progress: Progress | None = None, limits: Limits | None = None) -> Pulled:
    """Pull ``src`` (an HTTP source from the cursor in ``state``, advanced in place) into the landing store.

    One file is in memory at a time. A file listed but gone or unreadable by the time it is read is
    skipped (it is pulled again next time); any other failure fails the whole source.
    """
    root = root or data_dir()
    limits = limits or Limits()
    items, skipped = [], []
    for inc in pull(src, state):
        try:  # never through a link, never more than the size limit into memory (ingest.sources.reading)
            got = inc.read(limits.max_file_bytes)
        except OSError as e:
            skipped.append(inc.path)
            if progress:
                progress(f"skipped {inc.path}: cannot read it ({e.strerror or e})")
            continue
        if got.data is None:  # too large: noted, never written; the take-in step rejects it by hash and size
            refuse(root, got.sha256, got.size)
        else:
            land(root, got.sha256, got.data)
        items.append(Landed(inc.path, got.sha256, got.size, inc.received_at))
    log.info("source %s (%s): %d file(s) landed in %s", src.name, src.unit_code, len(items), root / "landing")
    has_cursor = state is not None
    return Pulled(src.name, src.unit_code, tuple(items), (state or {}).get("cursor"), has_cursor, tuple(skipped))


def pull_source(cfg: Config, source_name: str, warehouse: WarehouseURL | Callable[[], WarehouseURL] | None = None,
                root: Path | None = None, progress: Progress | None = None) -> Pulled:
    """Pull the source named ``source_name``; ``warehouse`` (or a function giving it) is asked only for the
    cursor of an HTTP source, so pulling a folder never touches the warehouse."""
    src = find_source(cfg, source_name)
    state = None
    if src.kind == "http":
        if warehouse is None:
            raise ConfigError(f"source {src.name}: pulling an HTTP source needs the warehouse (its cursor)")
        url = warehouse if isinstance(warehouse, WarehouseURL) else warehouse()
        state = load_cursors(url, cfg, [src]).get(src.name)
    return pull_one(src, state, root, progress, cfg.limits)


def pull_all(cfg: Config, url: WarehouseURL | None = None, *, states: dict[str, dict] | None = None,
             root: Path | None = None, progress: Progress | None = None) -> tuple[list[Pulled], dict[str, str]]:
    """Pull every source (``PULL_WORKERS`` at once); a source that fails is reported in the errors and the others go on.

    The HTTP cursors are read from the warehouse ``url`` once for all sources (or given as ``states``,
    ``{source_name: {"cursor": …}}``, advanced in place).
    """
    if states is None:
        states = load_cursors(url, cfg) if url is not None else {}
    pulled: list[Pulled] = []
    errors: dict[str, str] = {}
    # concurrently, in a bounded pool: a slow or hanging source delays only itself (each HTTP pull has its
    # own overall deadline); results are kept in the order of the sources file
    with ThreadPoolExecutor(max_workers=max(1, min(PULL_WORKERS, len(cfg.sources))),
                            thread_name_prefix="pressdx-pull") as pool:
        futures = [(src, pool.submit(pull_one, src, states.get(src.name), root, progress, cfg.limits))
                   for src in cfg.sources]
        for src, future in futures:
            try:
                got = future.result()
            except Exception as e:  # one source down must not stop the others
                errors[src.name] = f"{type(e).__name__}: {e}"
                if progress:
                    progress(f"source {src.name} failed: {e}")
                continue
            pulled.append(got)
            if progress:
                progress(f"pulled {len(got.items)} file(s) from {src.name}")
    return pulled, errors

"""Scoped builds: a run that takes in a few files rebuilds only the models those files can change.

A regular build is a function of the dbt project, the period built through, the raw rows and the instant
``as_of`` (``pressdx.warehouse.build_inputs``). When, since the last build ``A``, only new submissions of
some datasets ``D`` arrived — same project and period, same Vietnam date and no due instant passed, no unit
registered —, a model can change only if it reads one of them:

- a staging view over ``raw.<dataset>``: when that dataset is in ``D`` (``stg_raw__submissions``: when
  ``D`` is not empty); the reference staging views and the seeds: never (only the project changes them);
- a model that declares ``changes_with`` (``dbt_project/macros/scope.sql``; the models that read a table
  of every dataset, such as ``int_submissions__visible`` or ``int_knowledge__instants``, and keep only some):
  when one of its datasets is in ``D``; ``'*'`` (``int_build__params``, whose ``as_of`` every regular mart
  carries): always;
- any other model: when one of the models it reads changes;
- and a view whose parent is rebuilt is rebuilt with it (publishing replaces the parent, and PostgreSQL
  drops the views on a dropped table).

dbt builds those models, and runs their data tests: on PostgreSQL into the staging schemas with ``--defer
--favor-state`` against the manifest of the last build (kept per warehouse and project under
``cache_dir()/dbt/defer-state/``, its relations renamed to the published schemas), so the models it
does not build are read where they are published, and ``swap.publish(partial=True)`` then moves the rebuilt
relations in; on DuckDB in place in the build copy of the file (``swap.building_copy``), which holds the
others as published. The kept manifest is what ``select`` reads on both. Anything else — another project
or period, a new day or due instant, a new unit registration, no kept manifest, marts that are not the
last build's — builds everything.
tests/integration/test_scoped_build.py checks, after a new submission of each dataset, that a scoped
build leaves every table of the warehouse as a full build would.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pressdx.domain import calendar
from pressdx.settings import cache_dir
from pressdx.warehouse import swap
from pressdx.warehouse.connection import Warehouse, WarehouseURL

log = logging.getLogger(__name__)

ALWAYS = "*"
MANIFEST = "manifest.json"
STATES_KEPT = 8


@dataclass(frozen=True)
class Scope:
    """What a scoped build rebuilds: the datasets with new submissions, the models to build, of how many."""

    datasets: tuple[str, ...]
    models: tuple[str, ...]
    total_models: int
    state_dir: Path

    def describe(self) -> str:
        return (f"rebuilding {len(self.models)} of {self.total_models} models "
                f"(new submissions of {', '.join(self.datasets)})")


def submissions_by_dataset(wh: Warehouse) -> dict[str, int]:
    """The number of accepted submission versions per dataset (raw.submissions is append-only)."""
    return {d: int(n) for d, n in wh.query("select dataset, count(*) from raw.submissions group by dataset")}


def state_dir(url: WarehouseURL, project: str) -> Path:
    """Where the manifest of this warehouse's last build of this project is kept (for ``--defer``)."""
    key = hashlib.sha256(f"{url.kind}|{url.display}|{project}".encode()).hexdigest()[:20]
    return cache_dir() / "dbt" / "defer-state" / key


def keep_manifest(built: Path, target: Path) -> None:
    """Keep the manifest of a regular build in ``target`` (``state_dir``), its relations renamed from the
    staging schemas (``next_…``) to the published ones, as the state the next scoped build defers to. Never
    fails a build: without it the next build is a full one."""
    try:
        doc = json.loads(built.read_text(encoding="utf-8"))
        for node in doc.get("nodes", {}).values():
            _publish_names(node)
            node.pop("defer_relation", None)
        target.mkdir(parents=True, exist_ok=True)
        tmp = target / f"{MANIFEST}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        tmp.replace(target / MANIFEST)
        _prune(target.parent)
    except (OSError, ValueError) as e:
        log.info("the build's manifest was not kept (%s): the next build will be a full one", e)


def _publish_names(node: dict[str, Any]) -> None:
    schema = node.get("schema") or ""
    if schema.startswith(swap.STAGE):
        node["schema"] = schema[len(swap.STAGE):]
        if node.get("relation_name"):
            node["relation_name"] = node["relation_name"].replace(f'"{schema}".', f'"{node["schema"]}".')


def _prune(folder: Path) -> None:
    states = sorted((p for p in folder.iterdir() if (p / MANIFEST).is_file()),
                    key=lambda p: (p / MANIFEST).stat().st_mtime, reverse=True)
    for old in states[STATES_KEPT:]:
        for f in old.iterdir():
            f.unlink(missing_ok=True)
        old.rmdir()


def plan(url: WarehouseURL, through: str, as_of: datetime, last_as_of: datetime | None, last_build_id: str | None,
         last_inputs: Mapping[str, Any] | None, inputs: Mapping[str, Any]) -> Scope | None:
    """The scope of a build as of ``as_of`` after the last one (its instant, id and inputs document), or
    None when everything must be built. ``inputs``: this build's document (``build_inputs.inputs``)."""
    if last_as_of is None or not last_inputs or as_of < last_as_of:
        return None
    if last_inputs.get("project") != inputs["project"] or last_inputs.get("through") != through:
        return None
    if not calendar.same_deadlines(last_as_of, as_of):
        return None
    before, now = last_inputs.get("raw", {}), inputs["raw"]
    if before.get("unit_registrations") != now.get("unit_registrations"):
        return None
    folder = state_dir(url, inputs["project"])
    if not (folder / MANIFEST).is_file():
        return None
    with Warehouse(url) as wh:
        if not wh.table_exists("marts", "dim_build") or \
                [r[0] for r in wh.query("select build_id from marts.dim_build")] != [last_build_id]:
            return None
        (registered,) = wh.query("select count(*) from raw.unit_registrations "
                                 "where registered_at > ? and registered_at <= ?", (last_as_of, as_of))[0]
        if registered:
            return None
        arrived = {d for (d,) in wh.query("select distinct dataset from raw.submissions "
                                          "where received_at > ? and received_at <= ?", (last_as_of, as_of))}
    counted = last_inputs.get("submissions", {})
    grown = {d for d, n in inputs["submissions"].items() if n != counted.get(d, 0)}
    datasets = grown | arrived
    changed = {t for t in set(before) | set(now) if before.get(t) != now.get(t)}
    if not datasets or changed - datasets - {"submissions"}:  # rows of another raw table: build everything
        return None
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    models, total = select(manifest, datasets)
    if len(models) == total:
        return None
    return Scope(tuple(sorted(datasets)), tuple(models), total, folder)


def select(manifest: Mapping[str, Any], datasets: Iterable[str]) -> tuple[list[str], int]:
    """The models of ``manifest`` whose rows new submissions of ``datasets`` can change (module docstring),
    sorted, and the number of models of the project."""
    datasets = set(datasets)
    nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] in ("model", "seed")}
    sources = manifest.get("sources", {})
    memo: dict[str, bool] = {}

    def changes(uid: str) -> bool:
        if uid in memo:
            return memo[uid]
        node = nodes[uid]
        declared = node["config"].get("meta", {}).get("changes_with")
        parents = [p for p in node["depends_on"].get("nodes", []) if p in nodes or p in sources]
        if node["resource_type"] == "seed":
            result = False
        elif declared is not None:
            result = declared == ALWAYS or bool(datasets & set(declared))
        elif any(p in sources for p in parents):
            tables = {sources[p]["name"] for p in parents if p in sources}
            result = bool(tables & datasets) or ("submissions" in tables and bool(datasets))
        else:
            result = any(changes(p) for p in parents if p in nodes)
        memo[uid] = result
        return result

    chosen = {uid for uid in nodes if changes(uid)}
    grew = True
    while grew:  # a view whose parent is rebuilt is rebuilt with it
        more = {uid for uid, n in nodes.items() if uid not in chosen and n["config"].get("materialized") == "view"
                and any(p in chosen for p in n["depends_on"].get("nodes", []))}
        chosen |= more
        grew = bool(more)
    models = sorted(nodes[u]["name"] for u in chosen if nodes[u]["resource_type"] == "model")
    return models, sum(1 for n in nodes.values() if n["resource_type"] == "model")

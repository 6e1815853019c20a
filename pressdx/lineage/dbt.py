"""The events of a dbt build: one run per model, seed and test, through openlineage-integration-common.

``DbtLocalArtifactProcessor`` (``openlineage.common.provider.dbt``) turns a build's ``manifest.json`` and
``run_results.json`` into START/COMPLETE (or FAIL) events per node, with each model's inputs, output
(``{database}.{schema}.{table}`` in the warehouse's namespace), schema, description, SQL, column lineage
(parsed from the compiled SQL by openlineage-sql) and the data tests as ``dataQualityAssertions``.

The build runs in a temporary target folder that ``pressdx.warehouse.dbt`` removes afterwards, so the two
artifacts are written again here from what the build returned (``dbtRunnerResult``): run_results.json by
dbt's own ``RunExecutionResult.write``, and a manifest of the nodes the build ran (each node as dbt
serialises it in manifest.json, the parent map from their dependencies, the sources from the project's
``sources:`` files). That is every node the processor reads. The processor reads the profile for the
dataset namespace only; it is given the warehouse's (``Store.profile``, no credentials) instead of
rendering profiles.yml, whose connection settings exist only during the build.

A regular build runs in the staging schemas (``next_marts``…) and is then published under the real names,
so ``strip_prefix`` names the datasets, and rewrites the compiled SQL, as published.

Every node's run has one parent: the Airflow task run when the build runs inside Airflow (``outer``),
else a ``build`` run of pressdx's own, emitted around them.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pressdx.lineage import JOB_NAMESPACE
from pressdx.lineage.facets import Parent
from pressdx.lineage.naming import Store

BUILD_JOB = "build"


def _sources(project_dir: Path, package: str, database: str) -> dict[str, dict]:
    """The sources of the project's ``sources:`` files, as manifest.json lists them."""
    import yaml

    out: dict[str, dict] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for f in sorted((project_dir / "models").rglob("*.yml")):
        text = f.read_text(encoding="utf-8")
        if not re.search(r"^sources:", text, re.MULTILINE):  # most files hold models only
            continue
        doc = yaml.load(text, Loader=loader) or {}  # noqa: S506 (a safe loader)
        for src in doc.get("sources") or []:
            for t in src.get("tables") or []:
                uid = f"source.{package}.{src['name']}.{t['name']}"
                out[uid] = {
                    "unique_id": uid, "resource_type": "source", "package_name": package,
                    "database": src.get("database") or database, "schema": src.get("schema") or src["name"],
                    "name": t.get("identifier") or t["name"], "source_name": src["name"],
                    "description": t.get("description") or "", "meta": t.get("meta") or {}, "tags": [],
                    "original_file_path": str(f.relative_to(project_dir)),
                    "columns": {c["name"]: {"name": c["name"], "description": c.get("description") or "",
                                            "data_type": c.get("data_type"), "meta": {}, "tags": []}
                                for c in t.get("columns") or []},
                }
    return out


def _unstaged(strip_prefix: str, schemas: set[str]):
    """A function renaming ``{prefix}marts`` → ``marts`` in schema names and SQL (quoted or not)."""
    staged = sorted(s for s in schemas if strip_prefix and s.startswith(strip_prefix))
    if not staged:
        return lambda text: text
    pattern = re.compile(r'(?<![\w"])("?)(' + "|".join(re.escape(s) for s in staged) + r')\1(?=\.)')

    def rename(text: str) -> str:
        return pattern.sub(lambda m: m.group(1) + m.group(2)[len(strip_prefix):] + m.group(1), text)

    return rename


def artifacts(result: Any, project_dir: Path, strip_prefix: str = "", deferred: Path | None = None) -> tuple[dict, dict]:
    """(manifest, run_results) of a build, as the two JSON files hold them, from its ``dbtRunnerResult``.

    ``deferred``: the manifest a scoped build deferred to (``pressdx.warehouse.scope``): the models it read
    without building them are taken from there, so that they still appear as the inputs of those it built."""
    execution = result.result
    with tempfile.TemporaryDirectory(prefix="pressdx-lineage-") as tmp:
        execution.write(str(Path(tmp) / "run_results.json"))
        run_results = json.loads((Path(tmp) / "run_results.json").read_text(encoding="utf-8"))
    nodes: dict[str, dict] = {}
    for r in execution.results:
        node = r.node.to_dict(omit_none=False)
        if node["unique_id"].split(".", 1)[0] in ("model", "seed", "test", "snapshot"):
            nodes[node["unique_id"]] = node
    database = next((n["database"] for n in nodes.values() if n.get("database")), "")
    package = next((n["package_name"] for n in nodes.values()), "pressdx")
    sources = _sources(project_dir, package, database)
    rename = _unstaged(strip_prefix, {n["schema"] for n in nodes.values() if n.get("schema")})
    for n in nodes.values():
        n["schema"] = rename(n["schema"] + ".")[:-1]
        for key in ("compiled_code", "relation_name"):
            if n.get(key):
                n[key] = rename(n[key])
    missing = {p for n in nodes.values() for p in (n.get("depends_on") or {}).get("nodes") or []
               if p not in nodes and p not in sources}
    if missing and deferred is not None and deferred.is_file():
        published = json.loads(deferred.read_text(encoding="utf-8")).get("nodes", {})
        nodes.update({uid: published[uid] for uid in missing if uid in published})
    parent_map = {uid: list((n.get("depends_on") or {}).get("nodes") or []) for uid, n in nodes.items()}
    parent_map.update({uid: [] for uid in sources})
    manifest = {
        "metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json",
                     "dbt_version": run_results["metadata"].get("dbt_version"),
                     "invocation_id": run_results["metadata"].get("invocation_id"),
                     "adapter_type": None},
        "nodes": nodes, "sources": sources, "parent_map": parent_map, "exposures": {},
    }
    return manifest, run_results


def node_events(manifest: dict, run_results: dict, store: Store, parent: Parent, project_dir: Path) -> list:
    """The processor's events for these artifacts, each run with ``parent`` as its parent."""
    from openlineage.common.provider.dbt.facets import ParentRunMetadata
    from openlineage.common.provider.dbt.local import DbtLocalArtifactProcessor

    from pressdx.lineage.emit import producer

    class Processor(DbtLocalArtifactProcessor):
        def get_dbt_metadata(self):
            return manifest, run_results, store.profile(), None

    with tempfile.TemporaryDirectory(prefix="pressdx-lineage-") as tmp:
        proc = Processor(project_dir=str(project_dir), target_path=tmp, producer=producer(),
                         job_namespace=JOB_NAMESPACE, skip_errors=True)
        rns, rname, rrun = parent.root()
        proc.dbt_run_metadata = ParentRunMetadata(
            run_id=parent.run_id, job_name=parent.name, job_namespace=parent.namespace,
            root_parent_run_id=rrun, root_parent_job_name=rname, root_parent_job_namespace=rns)
        return proc.parse().events()


def build_events(result: Any, store: Store, project_dir: Path, *, strip_prefix: str = "",
                 outer: Parent | None = None, run_id: str | None = None, deferred: Path | None = None) -> Iterator:
    """Every event of one build: its nodes' runs under ``outer`` (the Airflow task run), or under a ``build``
    run of its own (``run_id``, default: dbt's invocation id) emitted before and after them."""
    import uuid

    from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
    from openlineage.client.facet_v2 import job_type_job

    from pressdx.lineage.emit import producer

    manifest, run_results = artifacts(result, project_dir, strip_prefix, deferred)
    if outer is not None:
        yield from node_events(manifest, run_results, store, outer, project_dir)
        return
    meta = run_results["metadata"]
    run_id = run_id or meta.get("invocation_id") or str(uuid.uuid4())
    me = Parent(JOB_NAMESPACE, BUILD_JOB, run_id)
    job = Job(namespace=JOB_NAMESPACE, name=BUILD_JOB, facets={
        "jobType": job_type_job.JobTypeJobFacet(processingType="BATCH", integration="DBT", jobType="JOB")})
    now = datetime.now(UTC).isoformat()
    started = meta.get("invocation_started_at") or now
    yield RunEvent(eventType=RunState.START, eventTime=started, producer=producer(), job=job, run=Run(runId=run_id))
    yield from node_events(manifest, run_results, store, me, project_dir)
    yield RunEvent(eventType=RunState.COMPLETE, eventTime=meta.get("generated_at") or now, producer=producer(),
                   job=job, run=Run(runId=run_id))

"""The parent of a run, and pressdx's own run facet.

``Parent`` is plain data, so that the faces can hand it down without importing OpenLineage: the Airflow
glue builds one from the provider's macros (the task run, with the DAG run as root), and the job steps
make the intake or build run the parent of the runs they emit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import attr
from openlineage.client.facet_v2 import RunFacet, parent_run

from pressdx.lineage import JOB_NAMESPACE

SCHEMA_BASE = "https://github.com/OpenLineage/OpenLineage/tree/main/spec/facets/"  # pressdx's facets have no
# published schema: docs/lineage.md describes them; the URL only says which spec they follow


def run_uuid(run_id: str, kind: str = "run") -> str:
    """An OpenLineage run id (a UUID) for a pressdx run id: the id itself when it is one (audit.runs holds
    ``uuid4().hex``), else a stable UUID derived from it, so re-emitting names the same run."""
    try:
        return str(uuid.UUID(run_id))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"pressdx:{kind}:{run_id}"))


@dataclass(frozen=True)
class Parent:
    """A run that contains others: its namespace, job name and run id (a UUID), and its own root run."""

    namespace: str
    name: str
    run_id: str
    root_namespace: str | None = None
    root_name: str | None = None
    root_run_id: str | None = None

    @classmethod
    def from_ids(cls, parent_id: str, root_id: str | None = None) -> Parent:
        """From the Airflow provider's ``lineage_parent_id`` (``namespace/job/run_id``) and
        ``lineage_root_parent_id`` macros."""
        ns, name, run = parent_id.split("/", 2) if parent_id.count("/") >= 2 else ("", parent_id, "")
        if not (ns and name and run):
            raise ValueError(f"not a lineage parent id (namespace/job/run_id): {parent_id!r}")
        if root_id:
            rns, rname, rrun = root_id.split("/", 2)
            return cls(ns, name, run, rns, rname, rrun)
        return cls(ns, name, run)

    @classmethod
    def intake_run(cls, run_id: str) -> Parent:
        return cls(JOB_NAMESPACE, "intake", run_uuid(run_id, "intake"))

    def root(self) -> tuple[str, str, str]:
        """The root of this run's tree: its root if it has one, else itself."""
        if self.root_namespace and self.root_name and self.root_run_id:
            return self.root_namespace, self.root_name, self.root_run_id
        return self.namespace, self.name, self.run_id

    def child_of(self, outer: Parent | None) -> Parent:
        """This run, placed under ``outer`` (whose root becomes this run's root)."""
        if outer is None:
            return self
        rns, rname, rrun = outer.root()
        return Parent(self.namespace, self.name, self.run_id, rns, rname, rrun)

    def facet(self) -> parent_run.ParentRunFacet:
        """The ``parent`` run facet of a run whose parent is this one."""
        rns, rname, rrun = self.root()
        return parent_run.ParentRunFacet(
            run=parent_run.Run(runId=self.run_id), job=parent_run.Job(namespace=self.namespace, name=self.name),
            root=parent_run.Root(run=parent_run.RootRun(runId=rrun), job=parent_run.RootJob(namespace=rns, name=rname)))


@attr.define
class PressdxSubmissionRunFacet(RunFacet):
    """``pressdx_submission``: the file a per-file intake run judged, as audit.intake_events records it.

    ``submission_id`` is null for a rejected file (nothing went into raw); ``outcome`` is ``accepted`` or
    ``rejected``; ``received_at`` is the received time intake judged the file by.
    """

    submission_id: str | None
    unit_code: str
    dataset: str | None
    period: str | None
    status: str | None
    received_at: str
    outcome: str
    source_name: str
    path: str
    sha256: str
    error_count: int = 0
    warning_count: int = 0
    intake_run_id: str | None = None

    @staticmethod
    def _get_schema() -> str:
        return SCHEMA_BASE + "PressdxSubmissionRunFacet.json"

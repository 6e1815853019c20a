"""The events of an intake run: the run itself, and one run per file it judged.

A judged file's run reads the landed file (namespace ``file``, its landing path, dataset version = its
SHA-256) and, when accepted, writes ``raw.<dataset>`` (``outputStatistics.rowCount`` = the rows it added).
The Great Expectations suite's checks become ``dataQualityAssertions``, one per rule and column of the
dataset's suite, failed when intake kept a finding of that rule on that column: on the landed file (an
input facet, where the spec puts them) and on ``raw.<dataset>`` (what the rows were checked for before they
went in). An accepted file's run COMPLETEs; a rejected one FAILs, with nothing written and its first
errors in ``errorMessage``. Files whose bytes were never read (too large) or that GX did not check carry no
assertions. ``pressdx_submission`` holds what ``audit.intake_events`` records of the file.

Only plain data comes in (``JudgedFile``, made by ``pressdx.jobs.take_in`` from intake's result), so this
wing does not import intake.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from pressdx.lineage import JOB_NAMESPACE
from pressdx.lineage.facets import Parent, PressdxSubmissionRunFacet
from pressdx.lineage.naming import FILE_NAMESPACE, Store


@dataclass(frozen=True)
class Check:
    """One check of a dataset's GX suite on one file: ``rule`` (``required``…), the GX expectation type,
    the column (``None``: the whole file), and how many findings it made there (0: passed)."""

    rule: str
    expectation: str
    column: str | None
    failures: int


@dataclass(frozen=True)
class JudgedFile:
    """What lineage needs of one judged file (accepted or rejected)."""

    landing_path: str
    sha256: str
    source_name: str
    unit_code: str
    path: str
    received_at: datetime
    outcome: str  # accepted | rejected
    dataset: str | None = None
    period: str | None = None
    status: str | None = None
    submission_id: str | None = None
    row_count: int = 0
    error_count: int = 0
    warning_count: int = 0
    errors: tuple[str, ...] = ()  # the first few errors, one line each (English)
    checks: tuple[Check, ...] | None = None  # None: GX did not check this file
    size: int | None = None


@dataclass
class IntakeRun:
    run_id: str  # audit.runs.run_id
    started_at: datetime
    finished_at: datetime
    files: list[JudgedFile] = field(default_factory=list)
    outcome: str = "taken_in"
    sources_file: str = ""


def _iso(t: datetime) -> str:
    return t.isoformat()


def file_run_id(run: IntakeRun, f: JudgedFile) -> str:
    """Stable: the same file in the same intake run is always the same lineage run."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"pressdx:intake-file:{run.run_id}:{f.unit_code}:{f.sha256}"))


def _assertions(f: JudgedFile):
    from openlineage.client.facet_v2 import data_quality_assertions_dataset as dqa

    if f.checks is None:
        return None
    return dqa.DataQualityAssertionsDatasetFacet(assertions=[
        dqa.Assertion(assertion=c.expectation, name=c.rule, column=c.column, success=c.failures == 0,
                      severity="error", expected="0", actual=str(c.failures)) for c in f.checks])


def file_events(run: IntakeRun, f: JudgedFile, store: Store, parent: Parent) -> list:
    """START and COMPLETE (accepted) or FAIL (rejected) of the run that judged ``f``."""
    from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
    from openlineage.client.facet_v2 import (
        dataset_version_dataset,
        error_message_run,
        job_type_job,
        output_statistics_output_dataset,
    )

    from pressdx.lineage.emit import producer

    prod = producer()
    assertions = _assertions(f)
    landed = InputDataset(
        namespace=FILE_NAMESPACE, name=f.landing_path,
        facets={"version": dataset_version_dataset.DatasetVersionDatasetFacet(datasetVersion=f.sha256)},
        inputFacets={"dataQualityAssertions": assertions} if assertions else {})
    outputs = []
    if f.outcome == "accepted" and f.dataset:
        facets = {"dataQualityAssertions": assertions} if assertions else {}
        outputs.append(OutputDataset(
            namespace=store.namespace, name=store.table("raw", f.dataset), facets=facets,  # type: ignore[arg-type]
            outputFacets={"outputStatistics": output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(
                rowCount=f.row_count, size=f.size)}))
    run_facets: dict = {
        "parent": parent.facet(),
        "pressdx_submission": PressdxSubmissionRunFacet(
            submission_id=f.submission_id, unit_code=f.unit_code, dataset=f.dataset, period=f.period, status=f.status,
            received_at=_iso(f.received_at), outcome=f.outcome, source_name=f.source_name, path=f.path,
            sha256=f.sha256, error_count=f.error_count, warning_count=f.warning_count, intake_run_id=run.run_id),
    }
    job = Job(namespace=JOB_NAMESPACE, name=f"intake.{f.dataset or 'unknown'}", facets={
        "jobType": job_type_job.JobTypeJobFacet(processingType="BATCH", integration="PRESSDX", jobType="INTAKE")})
    start = RunEvent(eventType=RunState.START, eventTime=_iso(run.started_at), producer=prod, job=job,
                     run=Run(runId=file_run_id(run, f), facets=run_facets), inputs=[landed], outputs=[])
    if f.outcome == "accepted":
        end_state = RunState.COMPLETE
    else:
        end_state = RunState.FAIL
        message = f"rejected: {f.error_count} error(s)" + (": " + "; ".join(f.errors) if f.errors else "")
        run_facets = {**run_facets, "errorMessage": error_message_run.ErrorMessageRunFacet(
            message=message[:2000], programmingLanguage="python")}
    end = RunEvent(eventType=end_state, eventTime=_iso(run.finished_at), producer=prod, job=job,
                   run=Run(runId=file_run_id(run, f), facets=run_facets), inputs=[landed], outputs=outputs)
    return [start, end]


def intake_events(run: IntakeRun, store: Store, outer: Parent | None = None) -> Iterator:
    """The intake run (job ``intake``; its parent the Airflow task run when ``outer`` is given), then its files."""
    from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
    from openlineage.client.facet_v2 import job_type_job

    from pressdx.lineage.emit import producer

    me = Parent.intake_run(run.run_id)
    facets = {"parent": outer.facet()} if outer else {}
    job = Job(namespace=JOB_NAMESPACE, name="intake", facets={
        "jobType": job_type_job.JobTypeJobFacet(processingType="BATCH", integration="PRESSDX", jobType="JOB")})
    yield RunEvent(eventType=RunState.START, eventTime=_iso(run.started_at), producer=producer(), job=job,
                   run=Run(runId=me.run_id, facets=facets), inputs=[], outputs=[])
    child_parent = me.child_of(outer)
    for f in run.files:
        yield from file_events(run, f, store, child_parent)
    yield RunEvent(eventType=RunState.COMPLETE, eventTime=_iso(run.finished_at), producer=producer(), job=job,
                   run=Run(runId=me.run_id, facets=facets), inputs=[], outputs=[])

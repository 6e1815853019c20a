"""The job steps' side of lineage: what intake and a build did, turned into plain data for ``pressdx.lineage``.

The lineage wing sits beside the warehouse and imports neither intake nor dbt, so the translation from
intake's result (``Submission``) and from the warehouse's URL lives here, one layer up, next to the steps
that call it (``take_in.intake``, ``build.build``). Both calls are made after the work is done and never
raise: lineage describes a run, it does not decide whether it succeeded (``pressdx.lineage.emit``).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from pressdx.lineage.emit import Emitter
from pressdx.lineage.facets import Parent
from pressdx.lineage.intake import Check, IntakeRun, JudgedFile
from pressdx.lineage.naming import Store
from pressdx.settings import data_dir, dbt_project_dir, expectations_dir
from pressdx.warehouse.connection import WarehouseURL

log = logging.getLogger(__name__)

ERRORS_SHOWN = 3


@cache
def suite_checks(dataset: str) -> tuple[tuple[str, str, str | None], ...]:
    """(rule, expectation type, column as intake's findings name it) of every expectation of ``dataset``'s suite."""
    from ingest.validation import PAIR_RULES, suite_dict

    path = expectations_dir() / f"{dataset}.json"
    doc = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else suite_dict(dataset)
    out = []
    for e in doc["expectations"]:
        rule, kw = e["meta"]["rule"], e["kwargs"]
        if rule == "duplicate_key":
            column = "+".join(c for c in kw["column_list"] if c != "_submission")
        elif rule in PAIR_RULES:
            column = PAIR_RULES[rule][2]
        else:
            column = kw.get("column")
        out.append((rule, e["type"], column))
    return tuple(out)


def _checks(sub: Any) -> tuple[Check, ...] | None:
    """The suite's checks on one submission, failed where intake kept a finding of that rule and column;
    None when GX did not check it (no rows read, too large, or an internal error)."""
    from pressdx.domain.datasets import DATASETS

    dataset = sub.meta.get("dataset")
    if dataset not in DATASETS or not sub.row_count or any(f.rule == "internal_error" for f in sub.findings):
        return None
    failures: dict[tuple[str, str | None], int] = {}
    for f in sub.errors:
        rule = "required" if f.rule == "column_missing" else f.rule
        failures[(rule, f.column)] = failures.get((rule, f.column), 0) + 1
    return tuple(Check(rule, kind, column, failures.get((rule, column), 0))
                 for rule, kind, column in suite_checks(dataset))


def judged_file(sub: Any, outcome: str, root) -> JudgedFile:
    from ingest.landing import landing_path

    landed = landing_path(root, sub.sha256)
    try:
        size = landed.stat().st_size
    except OSError:
        size = None
    m, item = sub.meta, sub.item
    return JudgedFile(
        landing_path=str(landed), sha256=sub.sha256, source_name=item.source.name, unit_code=item.source.unit_code,
        path=item.path, received_at=item.received_at, outcome=outcome, dataset=m.get("dataset"),
        period=m.get("period"), status=m.get("status"),
        submission_id=sub.submission_id if outcome == "accepted" else None,
        row_count=sub.row_count if outcome == "accepted" else 0, error_count=len(sub.errors),
        warning_count=len(sub.warnings), errors=tuple(f.message_en for f in sub.errors[:ERRORS_SHOWN]),
        checks=_checks(sub), size=size)


def intake_done(url: WarehouseURL, run_id: str, started: datetime, finished: datetime, result: Any,
                parent: Parent | None = None, sources_file: str = "") -> Emitter:
    """Emit the intake run ``run_id`` and one run per file it judged (accepted or rejected; duplicates were
    not judged again). ``parent``: the Airflow task run, when inside Airflow."""
    from pressdx.lineage.intake import intake_events

    emitter = Emitter()

    def events():
        root = data_dir()
        files = [judged_file(s, "accepted", root) for s in result.accepted]
        files += [judged_file(s, "rejected", root) for s in result.rejected]
        files.sort(key=lambda f: (f.received_at, f.source_name, f.path))
        run = IntakeRun(run_id, started, finished, files, sources_file=sources_file)
        return intake_events(run, Store.of(url), parent)

    emitter.emit_all(events, f"intake run {run_id}")
    return emitter


def build_done(url: WarehouseURL, result: Any, parent: Parent | None = None, strip_prefix: str = "",
               deferred: Path | None = None) -> Emitter:
    """Emit the model, seed and test runs of a finished build (``result``: dbt's ``dbtRunnerResult``), under
    ``parent`` (the Airflow task run) or under a ``build`` run of their own. ``deferred``: the manifest a
    scoped build read its other models from (their relations are the inputs of the models it built)."""
    from pressdx.lineage.dbt import build_events

    emitter = Emitter()
    emitter.emit_all(lambda: build_events(result, Store.of(url), dbt_project_dir(), strip_prefix=strip_prefix,
                                          outer=parent, deferred=deferred), f"dbt build of {url.display}")
    return emitter

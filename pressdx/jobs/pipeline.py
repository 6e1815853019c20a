"""One run of the main job: pull every source, take in what is new, build the warehouse.

The Airflow DAGs call the same three steps separately (``pull_source``, ``take_in_pulled``, ``build``)
so that a failing source fails only its own task.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest.intake import IntakeResult, take_in
from ingest.sources import Config, Incoming, load_config, pull
from pressdx.domain import calendar
from pressdx.settings import ConfigError, data_dir
from pressdx.warehouse.connection import Warehouse, WarehouseURL

Progress = Callable[[str], None]


@dataclass
class RunSummary:
    run_id: str
    as_of: datetime
    through: str
    intake: IntakeResult
    source_errors: dict[str, str] = field(default_factory=dict)
    pulled: int = 0

    def counts(self) -> dict[str, int]:
        return {"pulled": self.pulled, "accepted": len(self.intake.accepted), "rejected": len(self.intake.rejected),
                "duplicates": len(self.intake.duplicates), "failed_sources": len(self.source_errors)}


def default_through(now: datetime | None = None) -> str:
    return calendar.period_containing(now or datetime.now(UTC)).code


def check_through(through: str | None) -> str:
    if through is None:
        return default_through()
    try:
        return calendar.period(through).code
    except KeyError:
        raise ConfigError(f"--through {through!r} is not a period of the calendar (2023-Q1 … 2030-Q4)") from None


def pull_all(cfg: Config, progress: Progress | None = None,
             states: dict[str, dict] | None = None) -> tuple[list[Incoming], dict[str, str]]:
    """Pull every source; ``states`` holds each HTTP source's cursor (advanced in place on success)."""
    items: list[Incoming] = []
    errors: dict[str, str] = {}
    for src in cfg.sources:
        try:
            got = list(pull(src, (states or {}).get(src.name)))
        except Exception as e:  # one source down must not stop the others
            errors[src.name] = f"{type(e).__name__}: {e}"
            if progress:
                progress(f"source {src.name} failed: {e}")
            continue
        items.extend(got)
        if progress:
            progress(f"pulled {len(got)} file(s) from {src.name}")
    return items, errors


def load_cursors(url: WarehouseURL, cfg: Config) -> dict[str, dict]:
    """The kept cursor of every HTTP source (``{source_name: {"cursor": …}}``)."""
    http = [s for s in cfg.sources if s.kind == "http"]
    if not http:
        return {}
    from ingest.http_source import load_cursor

    with Warehouse(url) as wh:
        wh.ensure_schema()
        return {s.name: {"cursor": load_cursor(wh, s.name)} for s in http}


def register_units(wh: Warehouse, cfg: Config, run_id: str) -> int:
    """Append the ministries, provinces and governing bodies of ``sources.yml`` when they change.

    Registrations are data with a history (provinces merged in 2025): a unit that disappears from the
    file gets an ``active = false`` row, so an as-of build knows who was registered when.
    """
    now = datetime.now(UTC)
    latest = {}
    for code, kind, vi, en, active in wh.query(
            "select unit_code, unit_kind, name_vi, name_en, active from raw.unit_registrations "
            "order by registered_at"):
        latest[code] = (kind, vi, en, active)
    rows = []
    for code, kind in cfg.units.items():
        vi, en = cfg.unit_names.get(code, (code, code))
        if latest.get(code) != (kind, vi, en, True):
            rows.append((code, kind, vi, en, True, now, str(cfg.file), run_id))
    for code, (kind, vi, en, active) in latest.items():
        if active and code not in cfg.units:
            rows.append((code, kind, vi, en, False, now, str(cfg.file), run_id))
    return wh.insert_rows("raw.unit_registrations", ("unit_code", "unit_kind", "name_vi", "name_en", "active",
                                                     "registered_at", "sources_file", "run_id"), rows)


def intake(url: WarehouseURL, cfg: Config, items: list[Incoming], *, run_id: str,
           progress: Progress | None = None, states: dict[str, dict] | None = None) -> IntakeResult:
    """Take ``items`` in; then keep the HTTP cursors in ``states``, only once their items are safely in."""
    with Warehouse(url) as wh:
        wh.ensure_schema()
        wh.insert_rows("audit.runs", ("run_id", "started_at", "sources_file", "outcome"),
                       [(run_id, datetime.now(UTC), str(cfg.file), "running")])
        register_units(wh, cfg, run_id)
        result = take_in(wh, items, run_id=run_id, data_root=data_dir(), extra_units=cfg.units,
                         limits=cfg.limits, progress=progress)
        if states:
            from ingest.http_source import save_cursor

            for name, state in states.items():
                save_cursor(wh, name, state.get("cursor"))
        wh.execute("update audit.runs set finished_at = ?, accepted = ?, rejected = ?, duplicates = ?, outcome = ? "
                   "where run_id = ?", (datetime.now(UTC), len(result.accepted), len(result.rejected),
                                        len(result.duplicates), "taken_in", run_id))
    return result


def run(sources: str | Path, warehouse: str | None = None, through: str | None = None,
        report_file: str | Path | None = None, progress: Progress | None = None, build: bool = True) -> RunSummary:
    from pressdx.warehouse.dbt import build as dbt_build

    url = WarehouseURL.parse(warehouse)
    through = check_through(through)
    cfg = load_config(sources)
    run_id = uuid.uuid4().hex
    states = load_cursors(url, cfg)
    items, errors = pull_all(cfg, progress, states)
    if progress:
        progress(f"taking in {len(items)} file(s)")
    ok_states = {k: v for k, v in states.items() if k not in errors}
    result = intake(url, cfg, items, run_id=run_id, progress=progress, states=ok_states)
    as_of = datetime.now(UTC)  # after intake: everything taken in by this run is known to its build
    summary = RunSummary(run_id, as_of, through, result, errors, len(items))
    if report_file:
        Path(report_file).write_text(json.dumps(result.report(), ensure_ascii=False, indent=2), encoding="utf-8")
    if build:
        if progress:
            progress(f"building the warehouse (dbt) through {through}")
        dbt_build(url, as_of=as_of, through=through)
    return summary

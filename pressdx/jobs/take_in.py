"""The take-in step: intake of what the pull step landed, in received order, as one audited run.

Both faces take in through here. The files are read back from the landing store (each checked against
its hash on the one read intake makes), the units of ``sources.yml`` are registered, the HTTP cursors are
kept only once their files are safely in, and ``audit.runs`` holds one row per run. Re-running is
harmless: a file intake has already judged counts as a duplicate.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.intake import take_in
from ingest.landing import landed
from ingest.sources import Config, Incoming
from ingest.submission import IntakeResult
from pressdx.jobs import clock
from pressdx.jobs.pull import Pulled
from pressdx.settings import ConfigError, data_dir
from pressdx.warehouse import lock, runs
from pressdx.warehouse.connection import Warehouse, WarehouseURL

if TYPE_CHECKING:
    from pressdx.lineage.facets import Parent

Progress = Callable[[str], None]


@dataclass
class TakenIn:
    """One intake run: its id, how many files it was given, what became of them, the sources that failed."""

    run_id: str
    pulled: int
    intake: IntakeResult
    failed_sources: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        """The Airflow task's result (XCom): counts only."""
        return {"run_id": self.run_id, "pulled": self.pulled, "accepted": len(self.intake.accepted),
                "rejected": len(self.intake.rejected), "duplicates": len(self.intake.duplicates),
                "failed_sources": self.failed_sources}


def incoming_from_landing(pulled: Iterable[Pulled], cfg: Config, root: Path | None = None) -> list[Incoming]:
    """The items of ``pulled`` as read back from the landing store (lazily; hash checked when read)."""
    root = root or data_dir()
    by_name = {s.name: s for s in cfg.sources}
    out: list[Incoming] = []
    for p in pulled:
        src = by_name.get(p.source_name)
        if src is None:
            raise ConfigError(f"{cfg.file}: no source named {p.source_name!r} (any more)")
        out += [landed(root, src, it.path, it.received_at, it.sha256) for it in p.items]
    return out


def register_units(wh: Warehouse, cfg: Config, run_id: str) -> int:
    """Append the ministries, provinces and governing bodies of ``sources.yml`` when they change.

    Registrations are data with a history (provinces merged in 2025): a unit that disappears from the
    file gets an ``active = false`` row, so an as-of build knows who was registered when.
    """
    now = clock.now()
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
           progress: Progress | None = None, states: dict[str, dict] | None = None,
           lineage_parent: Parent | None = None) -> IntakeResult:
    """Take ``items`` in as run ``run_id``; then keep the HTTP cursors in ``states``, once their items are in.

    Then the run and every file it judged go to lineage (``pressdx.jobs.lineage``), under ``lineage_parent``
    (the Airflow task run) when given; a lineage failure is one log line, never a failed intake.
    """
    started = clock.now()
    with lock.hold(url), Warehouse(url) as wh:  # one run at a time; a run left `running` is dead
        wh.ensure_schema()
        runs.abandon_dead(wh)
        runs.start(wh, run_id, str(cfg.file), clock.now())
        try:
            register_units(wh, cfg, run_id)
            result = take_in(wh, items, run_id=run_id, data_root=data_dir(), extra_units=cfg.units,
                             limits=cfg.limits, progress=progress)
            if states:
                from ingest.sources.cursor import save_cursor

                for name, state in states.items():
                    save_cursor(wh, name, state.get("cursor"))
        except BaseException as e:
            with contextlib.suppress(Exception):  # the error may have taken the connection with it
                runs.finish(wh, run_id, runs.outcome_of(e))
            raise
        wh.execute("update audit.runs set finished_at = ?, accepted = ?, rejected = ?, duplicates = ?, outcome = ? "
                   "where run_id = ?", (clock.now(), len(result.accepted), len(result.rejected),
                                        len(result.duplicates), "taken_in", run_id))
    if not (result.accepted or result.rejected):  # no file judged: nothing for lineage (nor its import)
        return result
    # OpenLineage is imported only once there is something to say
    from pressdx.jobs.lineage import intake_done

    intake_done(url, run_id, started, clock.now(), result, lineage_parent, str(cfg.file))
    return result


def take_in_pulled(url: WarehouseURL, cfg: Config, pulled: Iterable[Pulled], *, failed: Iterable[str] = (),
                   run_id: str | None = None, progress: Progress | None = None,
                   lineage_parent: Parent | None = None) -> TakenIn:
    """Take in what the sources in ``pulled`` brought, from the landing store, in received order.

    ``failed``: the sources that could not be pulled (their files wait for the next run; their cursors
    are not in ``pulled`` so they are not moved on). ``lineage_parent``: the Airflow task run, if any.
    """
    pulled = list(pulled)
    run_id = run_id or uuid.uuid4().hex
    items = incoming_from_landing(pulled, cfg)
    if progress:
        progress(f"taking in {len(items)} file(s)")
    states = {p.source_name: {"cursor": p.cursor} for p in pulled if p.has_cursor}
    result = intake(url, cfg, items, run_id=run_id, progress=progress, states=states, lineage_parent=lineage_parent)
    return TakenIn(run_id, len(items), result, sorted(failed))

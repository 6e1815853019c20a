"""“Take in now”: one intake run of the portal's folder sources, then a build, in a background thread.

It takes in exactly what the scheduled run would take from the portal folders (the same
``pressdx.jobs.take_in.intake``: same checks, same audit, same landing store), using the units and
limits of ``sources.yml`` (``PRESSDX_SOURCES``); other sources are left to the scheduled run. The
build keeps the last build's ``through`` period. One run at a time; on DuckDB it holds the portal's
warehouse lock, so pages answer "busy" (503) until it ends.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ingest.sources import Source, load_config, pull
from pressdx.web import store
from pressdx.web.uploads import source_name


@dataclass
class JobState:
    running: bool = False
    started_at: datetime | None = None
    finished_at: datetime | None = None
    counts: dict = field(default_factory=dict)
    error: str | None = None
    username: str | None = None


class IntakeJob:
    def __init__(self, portal):
        self.portal = portal
        self.state = JobState()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return self.portal.settings.sources is not None

    def start(self, username: str) -> bool:
        with self._guard:
            if self.state.running or not self.available:
                return False
            self.state = JobState(running=True, started_at=datetime.now(UTC), username=username)
            self._thread = threading.Thread(target=self._run, name="pressdx-portal-intake", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def portal_sources(self) -> list[Source]:
        root = self.portal.settings.portal_dir
        if not root.is_dir():
            return []
        return [Source(source_name(d.name), d.name, "folder", path=d) for d in sorted(root.iterdir())
                if d.is_dir() and not d.name.startswith(".")]

    def _run(self) -> None:
        from pressdx.jobs.take_in import intake
        from pressdx.warehouse.connection import Warehouse
        from pressdx.warehouse.dbt import build

        s = self.portal.settings
        counts, error = {}, None
        try:
            with self.portal.locked(wait=3600):
                cfg = load_config(s.sources)
                items = [i for src in self.portal_sources() for i in pull(src, None)]
                with Warehouse(s.url) as wh:
                    through = (wh.query("select through_period from marts.dim_build")[0][0]
                               if wh.table_exists("marts", "dim_build") else None)
                result = intake(s.url, cfg, items, run_id=uuid.uuid4().hex)
                counts = {"pulled": len(items), "accepted": len(result.accepted), "rejected": len(result.rejected),
                          "duplicates": len(result.duplicates)}
                build(s.url, as_of=datetime.now(UTC), through=through)
        except Exception as e:  # shown on the page and kept in the audit; the portal stays up
            error = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        finally:
            with self._guard:
                self.state.running = False
                self.state.finished_at = datetime.now(UTC)
                self.state.counts, self.state.error = counts, error
        try:
            with self.portal.db() as wh:
                store.event(wh, "intake_now", "failed" if error else "done", username=self.state.username,
                            error=error, **counts)
        except Exception:  # noqa: S110 - the outcome is already on the page
            pass

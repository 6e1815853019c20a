"""Publishing the quarterly figures as files, each publication with a manifest of its as-of instant and hashes.

At each due instant of the reporting calendar (``dbt_project/seeds/reporting_calendar.csv``) the DAG
``pressdx_quarterly`` builds the warehouse as of that instant and publishes, under
``$PRESSDX_DATA_DIR/published/<publication>/``:

* ``kpi.json`` / ``kpi.csv``: the indicator figures of the period (``pressdx.figures.kpi.kpi``, as ``pressdx kpi``);
* ``timeliness.json`` / ``timeliness.csv``: expected submissions of the period, their state and each unit's
  reporting rates (``pressdx.figures.timeliness.timeliness``, as ``pressdx timeliness``);
* ``tasks.json`` / ``tasks.csv``: the action-plan task instances of the year (``pressdx.figures.tasks.tasks``);
* ``manifest.json``: the publication, its kind, period, as-of instant and the SHA-256 and size of every
  file above, so that a publication can be regenerated later and checked (``verify``).

After the Q2 due instant, ``trend_review`` adds the 6-month trend review (``pressdx.publishing.report``, first half,
Vietnamese and English) in ``<period>/trend-review/``; in December ``annual_report`` writes the annual
Strategy report into ``<year>-annual-report/``. Each report folder has its own manifest, whose
``report_sha256`` (the SHA-256 of the report's canonical ``figures.json``) is reproducible; the HTML and PDF
carry their generation time.

A data publication is a pure function of the raw submissions received at or before its as-of instant: no
wall-clock time is written into it, so re-publishing the same as-of instant writes byte-identical files
(the same hashes). The publication names are the period code (``2025-Q2``) at a quarterly due instant and
``<year>-annual-reports`` at 15 December (the due instant of the annual implementation reports, whose
timeliness then counts in period ``<year>-Q4``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pressdx.domain import calendar
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import Warehouse, WarehouseURL

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
KINDS = ("quarterly", "annual_reports")


# -- which publication is due -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    """One due instant of the calendar: what becomes due then and what is published for it."""

    publication: str  # folder name under published/: "2025-Q2" or "2025-annual-reports"
    kind: str  # quarterly | annual_reports
    period: str  # the period that just became due (annual reports: Y-Q4)
    year: int
    quarter: int
    due_at: datetime  # the due instant = the as-of instant of the build and of the publication
    trend_review: bool  # the Q2 due instant also produces the 6-month trend review

    @property
    def as_of(self) -> datetime:
        return self.due_at

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["due_at"] = self.due_at.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Due:
        return cls(**{**d, "due_at": datetime.fromisoformat(d["due_at"])})


def due_instants() -> list[Due]:
    """Every due instant of the calendar, in time order: each period's due_at and each 15 December."""
    out = []
    for p in calendar.periods():
        out.append(Due(p.code, "quarterly", p.code, p.year, p.quarter, p.due_at, _needs_trend_review(p)))
        if p.annual_report_due_at is not None:
            out.append(Due(f"{p.year}-annual-reports", "annual_reports", p.code, p.year, p.quarter,
                           p.annual_report_due_at, False))
    return sorted(out, key=lambda d: d.due_at)


def _needs_trend_review(p: calendar.Period) -> bool:
    return _trend_review_flags().get(p.code, False)


@cache
def _trend_review_flags() -> dict[str, bool]:
    with calendar.CALENDAR_CSV.open(encoding="utf-8") as f:
        return {r["period_code"]: r["needs_trend_review"].strip().lower() == "true" for r in csv.DictReader(f)}


def due_at_or_before(instant: datetime) -> Due:
    """The last due instant at or before ``instant``: what a run at that time publishes.

    A scheduled run's date is a due instant itself; a manual run at another time republishes the last
    publication that became due, as of its due instant (so any re-run gives the same files).
    """
    if instant.tzinfo is None:
        raise ValueError(f"an aware datetime is needed: {instant!r}")
    past = [d for d in due_instants() if d.due_at <= instant]
    if not past:
        first = due_instants()[0]
        raise ConfigError(f"{instant.isoformat()} is before the first due instant of the calendar "
                          f"({first.due_at.isoformat()}, {first.period})")
    return past[-1]


def crons_from_calendar() -> list[str]:
    """The cron expressions (minute hour day month *, Vietnam time) that fire at every due instant.

    Derived from the calendar: instants sharing a day of month and a time are merged into one expression
    (``0 0 5 7,10,12 *``). Raises ``ValueError`` when the calendar's instants do not repeat every year
    (a cron cannot express them: the DAG then needs a custom timetable).
    """
    by_slot: dict[tuple[int, int, int], set[int]] = {}
    per_year: dict[int, set[tuple[int, int, int, int]]] = {}
    for d in due_instants():
        local = d.due_at.astimezone(calendar.VN_TZ)
        by_slot.setdefault((local.minute, local.hour, local.day), set()).add(local.month)
        per_year.setdefault(local.year, set()).add((local.month, local.day, local.hour, local.minute))
    patterns = {frozenset(v) for v in per_year.values()}
    if len(patterns) != 1:
        raise ValueError("the due instants differ from year to year: no set of cron expressions fits them")
    return sorted(f"{m} {h} {day} {','.join(str(x) for x in sorted(months))} *"
                  for (m, h, day), months in by_slot.items())


# -- writing files ----------------------------------------------------------------------------------------
def _json_default(o):
    if isinstance(o, datetime | date):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def to_json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default) + "\n").encode("utf-8")


def to_csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: _csv_cell(r.get(c)) for c in columns})
    return buf.getvalue().encode("utf-8")


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_publication(folder: Path, files: dict[str, bytes], meta: dict[str, Any]) -> dict[str, Any]:
    """Write ``files`` and their ``manifest.json`` (``meta`` + each file's SHA-256 and size) into ``folder``.

    Every file is written to a temporary name and renamed, the manifest last: a reader never sees a
    half-written file, and a manifest always describes files that are complete. Files of an earlier
    publication into the same folder that are no longer part of it are removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {**meta, "files": {name: {"sha256": sha256_bytes(data), "bytes": len(data)}
                                  for name, data in sorted(files.items())}}
    for name, data in files.items():
        _atomic_write(folder / name, data)
    previous = _read_manifest(folder)
    _atomic_write(folder / MANIFEST, to_json_bytes(manifest))
    for stale in set((previous or {}).get("files", {})) - set(files):
        with contextlib.suppress(FileNotFoundError):
            (folder / stale).unlink()
    return manifest


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def verify(folder: str | Path) -> list[str]:
    """Check a publication against its manifest; returns the problems (an empty list: all files match)."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    if manifest is None:
        return [f"{folder}: no readable {MANIFEST}"]
    problems = []
    for name, want in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        data = path.read_bytes()
        if sha256_bytes(data) != want["sha256"] or len(data) != want["bytes"]:
            problems.append(f"{name}: does not match its SHA-256 in the manifest")
    return problems


def published_root(data_dir: Path | None = None) -> Path:
    from pressdx.settings import data_dir as default_data_dir

    return (data_dir or default_data_dir()) / "published"


# -- reading the figures ----------------------------------------------------------------------------------
def _same_instant(text: str | None, instant: datetime) -> bool:
    return text is not None and datetime.fromisoformat(text) == instant


def last_build(url: WarehouseURL) -> dict | None:
    """``marts.dim_build`` of the warehouse: the as-of instant and through period of its last build."""
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        if not wh.table_exists("marts", "dim_build"):
            return None
        rows = wh.query_dicts("select as_of, through_period from marts.dim_build")
    return rows[0] if rows else None


def fresh_marts(url: WarehouseURL, due: Due) -> bool:
    """True when the marts' last build is as of ``due``'s instant, through its period."""
    build = last_build(url)
    return build is not None and build["as_of"] == due.as_of and build["through_period"] == due.period


def figures(url: WarehouseURL, due: Due) -> dict[str, Any]:
    """The KPI, timeliness and task figures of ``due``'s period, as of its due instant.

    Read from the marts when their last build is as of that instant (the DAG's ``dbt_build`` just made
    it); if another build replaced them meanwhile (a daily intake run), from an as-of build instead
    (``pressdx.warehouse.asof``), which gives the same figures.
    """
    from pressdx.figures.kpi import kpi
    from pressdx.figures.tasks import tasks
    from pressdx.figures.timeliness import timeliness

    def read(as_of: datetime | None) -> dict[str, Any]:
        return {"kpi": kpi(url, due.year, due.quarter, as_of),
                "timeliness": timeliness(url, due.year, due.quarter, as_of),
                "tasks": tasks(url, due.year, as_of)}

    build = last_build(url)
    if build is not None and build["as_of"] == due.as_of and build["through_period"] == due.period:
        got = read(None)
        after = last_build(url)
        if after == build and all(_same_instant(v.get("as_of"), due.as_of) for v in got.values()):
            return got
        log.warning("the marts were rebuilt while being read: reading an as-of build of %s instead",
                    due.as_of.isoformat())
    else:
        log.info("the marts are not as of %s through %s (last build: %s): reading an as-of build",
                 due.as_of.isoformat(), due.period, build)
    return read(due.as_of)


def _kpi_rows(k: dict) -> list[dict]:
    return [{"year": k["year"], "period": k["period"], "as_of": k["as_of"], **i} for i in k["indicators"]]


KPI_CSV_COLUMNS = ["year", "period", "as_of", "indicator_code", "numerator", "denominator", "value_pct",
                   "target_pct", "min_revenue_growth_pct", "status", "coverage_pct", "stage", "target_stage"]


def publish(url: WarehouseURL | str, due: Due, root: Path | None = None) -> dict[str, Any]:
    """Write the publication of ``due`` under ``root`` (default ``$PRESSDX_DATA_DIR/published``).

    Returns the manifest. Idempotent: the same as-of instant on the same raw data writes the same bytes.
    """
    from pressdx.figures.tasks import TASK_COLUMNS
    from pressdx.figures.timeliness import EXPECTED_COLUMNS

    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    got = figures(url, due)
    t = got["timeliness"]
    files = {
        "kpi.json": to_json_bytes(got["kpi"]),
        "kpi.csv": to_csv_bytes(_kpi_rows(got["kpi"]), KPI_CSV_COLUMNS),
        "timeliness.json": to_json_bytes(t),
        "timeliness.csv": to_csv_bytes([{"year": t["year"], "as_of": t["as_of"], **e} for e in t["expected"]],
                                       ["year", "as_of", *EXPECTED_COLUMNS]),
        "tasks.json": to_json_bytes(got["tasks"]),
        "tasks.csv": to_csv_bytes([{"as_of": got["tasks"]["as_of"], **x} for x in got["tasks"]["tasks"]],
                                  ["as_of", *TASK_COLUMNS]),
    }
    folder = (root or published_root()) / due.publication
    manifest = write_publication(folder, files, _meta(due))
    log.info("published %s (%s as of %s): %d file(s) in %s", due.publication, due.period,
             due.as_of.isoformat(), len(files), folder)
    return manifest


def _meta(due: Due, **extra: Any) -> dict[str, Any]:
    return {"publication": due.publication, "kind": due.kind, "period": due.period, "year": due.year,
            "as_of": due.as_of.astimezone(calendar.VN_TZ).isoformat(), **extra}


# -- reports: the 6-month trend review (Q2) and the annual Strategy report ---------------------------------
REPORT_LANGS = ("vi", "en")


def publish_report(url: WarehouseURL | str, year: int, folder: Path, as_of: datetime, *, half: bool = False,
                   langs: tuple[str, ...] = REPORT_LANGS, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """Render the annual report of ``year`` (or, ``half``, its 6-month trend review) as of ``as_of``.

    ``pressdx.publishing.report.write_report`` writes ``<lang>/figures.json``, ``report.html`` and ``report.pdf`` for
    each language into ``folder``; then ``manifest.json`` records the as-of instant, the report's hash
    (the SHA-256 of its canonical ``figures.json``, printed in the report) and each file's SHA-256.
    Re-rendering the same as-of instant gives the same ``figures.json`` and report hash; the HTML and PDF
    also carry their generation time, so their own hashes change.
    """
    from pressdx.publishing.report import write_report

    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    kind, period = ("trend_review", f"{year}-Q2") if half else ("annual_report", f"{year}-Q4")
    build = last_build(url)
    fresh = build is not None and build["as_of"] == as_of
    folder.mkdir(parents=True, exist_ok=True)
    hashes = set()
    for lang in langs:
        res = write_report(url, year, folder / lang, as_of=None if fresh else as_of, lang=lang, half=half)
        if res.as_of != as_of:  # the marts were rebuilt meanwhile: render from an as-of build
            res = write_report(url, year, folder / lang, as_of=as_of, lang=lang, half=half)
        if res.missing_marts:
            log.warning("%s %d (%s): marts missing, sections left out: %s", kind, year, lang,
                        ", ".join(res.missing_marts))
        hashes.add(res.sha256)
    if len(hashes) != 1:
        raise RuntimeError(f"the {kind} of {year} has different figures in {', '.join(langs)}: {sorted(hashes)}")
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                   if p.is_file() and p.name != MANIFEST and not p.name.startswith("."))
    files = {n: {"sha256": sha256_bytes((folder / n).read_bytes()), "bytes": (folder / n).stat().st_size}
             for n in names}
    manifest = {"publication": folder.name if not half else f"{period}/{folder.name}", "kind": kind,
                "period": period, "year": year, "as_of": as_of.astimezone(calendar.VN_TZ).isoformat(),
                "report_sha256": hashes.pop(), "languages": list(langs), **(meta or {}), "files": files}
    _atomic_write(folder / MANIFEST, to_json_bytes(manifest))
    log.info("%s %d as of %s (report hash %s) in %s", kind, year, manifest["as_of"], manifest["report_sha256"],
             folder)
    return manifest


def trend_review(url: WarehouseURL | str, due: Due, root: Path | None = None,
                 langs: tuple[str, ...] = REPORT_LANGS) -> dict[str, Any]:
    """The 6-month trend review of year Y as of the Q2 due instant: ``published/Y-Q2/trend-review/``."""
    if due.quarter != 2 or due.kind != "quarterly":
        raise ValueError(f"the trend review is made at the Q2 due instant, not for {due.publication}")
    folder = (root or published_root()) / due.publication / "trend-review"
    return publish_report(url, due.year, folder, due.as_of, half=True, langs=langs)


def annual_report(url: WarehouseURL | str, year: int, as_of: datetime, root: Path | None = None,
                  langs: tuple[str, ...] = REPORT_LANGS) -> dict[str, Any]:
    """The annual Strategy implementation report of ``year`` as of ``as_of``: ``published/Y-annual-report/``."""
    folder = (root or published_root()) / f"{year}-annual-report"
    return publish_report(url, year, folder, as_of, langs=langs)


def report_year_for(run_date: datetime) -> int:
    """The reporting year an annual run at ``run_date`` reports on: the last year whose Q4 has ended."""
    local = run_date.astimezone(calendar.VN_TZ).date()
    years = [p.year for p in calendar.periods() if p.quarter == 4 and p.coverage_end < local]
    if not years:
        raise ConfigError(f"{run_date.isoformat()}: no reporting year has ended yet (the first ends with "
                          f"{calendar.periods()[0].year}-Q4)")
    return years[-1]

"""One measured phase of one benchmark case, in its own process: ``python -m bench.case SPEC.json OUT.json``.

Phases (``spec["kind"]``):

- ``pipeline``: what ``pressdx run`` does, stage by stage, through the same job steps
  (``pressdx.jobs.pull.pull_all``, ``pressdx.jobs.take_in.take_in_pulled``, then
  ``pressdx.warehouse.dbt.build``, which ``pressdx.jobs.build`` wraps, for dbt's per-node results) — pull
  every source into the landing store, take the files in (parse, normalise, GX validation, referential
  and history checks, load), ``dbt build``, then the KPI queries
  (``pressdx.figures.kpi.kpi`` for every period and year built). Stages inside intake are reported by
  intake itself, through its stage-timer hook (``ingest.timing.timed_by``; nothing of pressdx is patched);
  times are *exclusive* (a step inside another one is counted once, in the inner stage). After the timed
  stages, the normalised rows taken in are dumped as CSV for the lower bound (not timed as part of the
  pipeline).
- ``lower_bound``: see ``bench.lower_bound``.
- ``noop``, ``revision``, ``asof``, ``columnar``: see their functions below.

Peak memory: each top-level stage records its own peak (``VmHWM`` of ``/proc/self/status``, reset through
``/proc/self/clear_refs`` before the stage; ``ru_maxrss`` where that is not available). The reset also
lowers what the kernel reports as the process's peak at exit, so the parent takes the larger of that
(``os.wait4``) and the largest stage peak.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # before any heavy import: the start-up cost is part of an end-to-end run

import contextlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

# The stages of a pipeline run, in order (exclusive seconds each; their sum is the run's total).
STAGES = ("pull", "parse", "normalise", "validate", "checks", "load", "intake_other", "dbt_build", "kpi")


# -- memory ----------------------------------------------------------------------------------------------------
def reset_peak_rss() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mib() -> float:
    try:
        m = re.search(r"VmHWM:\s+(\d+)\s*kB", Path("/proc/self/status").read_text())
        if m:
            return int(m.group(1)) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# -- exclusive stage timing ------------------------------------------------------------------------------------
class StageClock:
    """Exclusive time per stage: time spent in a nested stage is not counted in the enclosing one."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.detail: dict[str, float] = defaultdict(float)  # breakdowns inside a stage (not added to totals)
        self._stack: list[str] = []
        self._mark = 0.0

    def enter(self, stage: str) -> None:
        now = time.perf_counter()
        if self._stack:
            self.seconds[self._stack[-1]] += now - self._mark
        self._stack.append(stage)
        self.calls[stage] += 1
        self._mark = now

    def leave(self) -> None:
        now = time.perf_counter()
        self.seconds[self._stack.pop()] += now - self._mark
        self._mark = now

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.enter(name)
        try:
            yield
        finally:
            self.leave()

    @contextlib.contextmanager
    def timer(self, stage: str, detail: str = "") -> Iterator[None]:
        """An ``ingest.timing.StageTimer``: intake's steps as stages; parse time also by file kind."""
        started = time.perf_counter()
        self.enter(stage)
        try:
            yield
        finally:
            self.leave()
            if stage == "parse":
                self.detail[f"parse {detail or '?'}"] += time.perf_counter() - started


# -- the pipeline phase ----------------------------------------------------------------------------------------
def _dbt_summary(res: Any, started_utc: datetime) -> dict:
    """Per-node timings of a dbt build: counts and seconds by resource type, slowest nodes, start-up."""
    results = getattr(getattr(res, "result", None), "results", None) or []
    by_type: dict[str, dict] = defaultdict(lambda: {"nodes": 0, "seconds": 0.0})
    nodes = []
    first, last = None, None
    for r in results:
        node = getattr(r, "node", None)
        uid = getattr(node, "unique_id", "?")
        kind = uid.split(".", 1)[0]
        secs = float(getattr(r, "execution_time", 0.0) or 0.0)
        by_type[kind]["nodes"] += 1
        by_type[kind]["seconds"] += secs
        nodes.append((secs, uid))
        for t in getattr(r, "timing", None) or []:
            for at in (t.started_at, t.completed_at):
                if at is None:
                    continue
                at = at if at.tzinfo else at.replace(tzinfo=UTC)
                first = at if first is None or at < first else first
                last = at if last is None or at > last else last
    nodes.sort(reverse=True)
    out = {"nodes": len(results), "by_type": {k: {"nodes": v["nodes"], "seconds": round(v["seconds"], 3)}
                                              for k, v in sorted(by_type.items())},
           "node_seconds_sum": round(sum(s for s, _ in nodes), 3),
           "slowest": [{"node": uid, "seconds": round(s, 3)} for s, uid in nodes[:12]]}
    if first is not None:
        out["startup_s"] = round((first - started_utc).total_seconds(), 3)  # import, parse, compile of the graph
        out["nodes_window_s"] = round((last - first).total_seconds(), 3)
    return out


def dump_rows(url: Any, run_id: str, dump_dir: Path) -> dict:
    """The normalised rows this run took in, as CSV per raw table (the lower bound's input).

    Read back from the raw tables (intake keeps no rows in memory after loading them): the rows of the
    submissions whose ``run_id`` is this run's, exactly as intake wrote them.
    """
    from ingest.records import SUBMISSION_COLS
    from pressdx.domain.datasets import DATASETS
    from pressdx.warehouse.connection import Warehouse, raw_columns

    dump_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    mine = f"select submission_id from raw.submissions where run_id = '{run_id}'"
    with Warehouse(url) as wh:
        counts["submissions"] = wh.export_csv(
            f"select {', '.join(SUBMISSION_COLS)} from raw.submissions where run_id = '{run_id}'",
            dump_dir / "submissions.csv")
        for name in DATASETS:
            n = wh.export_csv(f"select {', '.join(raw_columns(name))} from raw.{name} "
                              f"where submission_id in ({mine})", dump_dir / f"{name}.csv")
            if n:
                counts[name] = n
            else:
                (dump_dir / f"{name}.csv").unlink(missing_ok=True)
    return counts


# Other ways to build the same marts, timed after the run (not part of it): what a change to pressdx/warehouse/dbt.py
# would save or cost. Each is one more invocation through pressdx.warehouse.dbt.run_dbt, with the same parameters as the
# run's build (so the kept partial-parse state serves them too).
WHAT_IF = {
    "dbt parse": ["parse"],
    "dbt build with the unit tests": ["build"],
    "dbt build of seeds and models only (no tests)": ["build", "--exclude-resource-type", "unit_test",
                                                      "--exclude-resource-type", "test"],
}


def dbt_what_if(url: Any, as_of: datetime, through: str) -> dict:
    from pressdx.warehouse.dbt import run_dbt

    out = {}
    for label, args in WHAT_IF.items():
        t = time.perf_counter()
        run_dbt(url, args, env={"PRESSDX_AS_OF": as_of.isoformat(), "PRESSDX_THROUGH": through})
        out[label] = round(time.perf_counter() - t, 3)
    return out


def run_pipeline(spec: dict) -> dict:
    import uuid

    from ingest.sources import load_config
    from ingest.timing import timed_by
    from pressdx.domain import calendar
    from pressdx.figures.kpi import kpi
    from pressdx.jobs.pull import pull_all
    from pressdx.jobs.take_in import take_in_pulled
    from pressdx.warehouse import build_inputs, scope
    from pressdx.warehouse.connection import WarehouseURL
    from pressdx.warehouse.dbt import build as dbt_build

    startup = time.perf_counter() - _T0
    clock = StageClock()
    peaks: dict[str, float] = {}
    url = WarehouseURL.parse(spec["url"])
    through = spec["through"]
    t_start = time.perf_counter()

    reset_peak_rss()
    with clock.stage("pull"):
        cfg = load_config(spec["sources"])
        pulled, errors = pull_all(cfg, url)
    peaks["pull"] = peak_rss_mib()
    if errors:
        raise RuntimeError(f"sources failed: {errors}")
    items = [i for p in pulled for i in p.items]
    pulled_bytes = sum(i.size for i in items)
    # Knowledge instant: the sources are synthetic and dated up to 2030, so "now" would hide most of them;
    # the build is made as of the last received time of the files pulled (all of them are visible), and
    # intake lists the folders at that instant (a modification time after the listing would not be
    # plausible: the file would count as received now and its 2030 period as not started yet).
    # The build is made as of the intake's clock, as `pressdx run` builds as of the end of its intake: the units
    # intake registers at that instant are known to it (a build as of the last received time would not know
    # them, and the no-op run after it would rebuild).
    as_of = max(i.received_at for i in items) + timedelta(seconds=1)
    _clock_at(as_of)

    reset_peak_rss()
    with clock.stage("validate"):  # what validating pays first, measured apart (intake imports GX lazily)
        t = time.perf_counter()
        import great_expectations  # noqa: F401

        clock.detail["validate: import great_expectations"] += time.perf_counter() - t
    with timed_by(clock.timer), clock.stage("intake_other"):
        run_id = uuid.uuid4().hex
        result = take_in_pulled(url, cfg, pulled, failed=errors, run_id=run_id).intake
    peaks["intake"] = peak_rss_mib()
    del items, pulled

    reset_peak_rss()
    t_dbt = datetime.now(UTC)
    with clock.stage("dbt_build"):
        t = time.perf_counter()
        import dbt.cli.main  # noqa: F401  (what the build pays first; measured apart)

        clock.detail["dbt_build: import dbt"] += time.perf_counter() - t
        doc = build_inputs.inputs(url, through)
        # as pressdx.jobs.build does: the no-op phase reads the record, the revision phases defer to the manifest
        kept = scope.state_dir(url, doc["project"]) if spec.get("keep_manifest") else None
        res = dbt_build(url, as_of=as_of, through=through, manifest_to=kept)
        build_inputs.record(url, as_of, through, build_inputs.sha256(doc), doc)
    peaks["dbt_build"] = peak_rss_mib()

    reset_peak_rss()
    last = calendar.period(through)
    queried = 0
    with clock.stage("kpi"):
        periods = [p for p in calendar.periods() if p.index <= last.index]
        for p in periods:
            kpi(url, p.year, p.quarter)
            queried += 1
        for year in sorted({p.year for p in periods if p.quarter == 4}):  # a year's figures are those of Y-Q4
            kpi(url, year)
            queried += 1
    peaks["kpi"] = peak_rss_mib()
    total = time.perf_counter() - t_start

    stages = {s: round(clock.seconds.get(s, 0.0), 4) for s in STAGES}
    what_if = dbt_what_if(url, as_of, through) if spec.get("what_if") else None
    t_dump = time.perf_counter()
    dumped = dump_rows(url, run_id, Path(spec["dump_dir"])) if spec.get("dump_dir") else {}
    return {
        "phase": spec["phase"], "warehouse": url.kind, "through": through, "as_of": as_of.isoformat(),
        "startup_s": round(startup, 3), "stages": stages, "total_s": round(total, 3),
        "end_to_end_s": round(startup + total, 3),
        "calls": {k: v for k, v in sorted(clock.calls.items())},
        "detail": {k: round(v, 3) for k, v in sorted(clock.detail.items())},
        "stage_peak_rss_mib": {k: round(v, 1) for k, v in peaks.items()},
        "stages_peak_rss_mib": round(max(peaks.values()), 1),
        "files": {"pulled": len(result.accepted) + len(result.rejected) + len(result.duplicates),
                  "pulled_bytes": pulled_bytes, "accepted": len(result.accepted),
                  "rejected": len(result.rejected), "duplicates": len(result.duplicates)},
        "rows_taken_in": sum(s.row_count for s in result.accepted),
        "dbt": _dbt_summary(res, t_dbt),
        "kpi_queries": queried,
        "dbt_what_if": what_if,
        "manifest_kept": kept is not None,  # the revision phases defer to it
        "dump": {"rows": dumped, "seconds": round(time.perf_counter() - t_dump, 3)},
    }


def _clock_at(at: datetime) -> None:
    """Intake's and the jobs' clock reads ``at``: the synthetic sources are dated up to 2030."""
    import ingest.intake
    import pressdx.jobs.clock as job_clock

    class _Fixed(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return at.astimezone(tz) if tz else at.replace(tzinfo=None)

    ingest.intake.datetime = _Fixed
    job_clock.datetime = _Fixed


def run_noop(spec: dict) -> dict:
    """``pressdx run`` (pressdx.jobs.run, as the CLI calls it) just after the incremental phase, nothing new:
    every file is pulled and found taken in, and the build is skipped. The job clock is set one second
    after the last build's as-of (the synthetic files are dated up to 2030); the process's whole wall time,
    start-up included, is measured by the parent (``process_wall_s``)."""
    from pressdx.jobs.run import run

    at = datetime.fromisoformat(spec["as_of"]) + timedelta(seconds=1)
    _clock_at(at)
    startup = time.perf_counter() - _T0
    t = time.perf_counter()
    s = run(spec["sources"], spec["url"], spec["through"])
    total = time.perf_counter() - t
    return {"phase": "noop", "startup_s": round(startup, 3), "total_s": round(total, 3),
            "end_to_end_s": round(startup + total, 3), "built": s.built, "counts": s.counts(),
            "as_of": at.isoformat(), "kept_as_of": s.built_as_of.isoformat() if s.built_as_of else None}


def run_asof(spec: dict) -> dict:
    """``pressdx kpi --year Y --period Qn`` (the last period built) against the same with ``--as-of T`` at instants never asked before
    (midpoints between arrivals), each a whole CLI process timed from outside, three times: the as-of
    answer reads the history marts (``pressdx.figures.history``) and writes nothing."""
    import statistics
    import subprocess

    from pressdx.warehouse.connection import Warehouse, WarehouseURL

    url = WarehouseURL.parse(spec["url"])
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        received = [r[0] for r in wh.query("select distinct received_at from raw.submissions order by 1")]
        tables = wh.query("select count(*) from information_schema.tables")[0][0]
    picks = [received[i] + (received[i + 1] - received[i]) / 2 for i in (len(received) // 3, len(received) // 2,
                                                                          2 * len(received) // 3)]
    cli = [str(Path(sys.executable).with_name("pressdx")), "kpi", "--year", str(spec["year"]),
           "--period", f"Q{spec['quarter']}", "--warehouse", spec["url"], "--format", "json"]

    def timed(args: list[str]) -> float:
        t = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[1:])} exited with {done.returncode}: {done.stderr.strip()}")
        return time.perf_counter() - t

    current = [timed(cli) for _ in picks]
    as_of = [timed([*cli, "--as-of", t.isoformat()]) for t in picks]
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        after = wh.query("select count(*) from information_schema.tables")[0][0]
    now, then = statistics.median(current), statistics.median(as_of)
    return {"phase": "asof", "year": spec["year"], "quarter": spec["quarter"], "instants": [t.isoformat() for t in picks],
            "current_s": round(now, 3), "as_of_s": round(then, 3), "ratio": round(then / now, 2),
            "current_runs_s": [round(x, 3) for x in current], "as_of_runs_s": [round(x, 3) for x in as_of],
            "tables_before": tables, "tables_after": after}


def revision_source(inbox: Path, dataset: str, period: str) -> Path | None:
    """The file ``write_revision`` corrects: the largest CSV or JSON ``dataset`` file of ``period``, else of the
    latest period before it that has one (a short bench run); None when there is none."""
    files = [f for f in inbox.glob(f"*/*/{dataset}*") if f.suffix in (".csv", ".json") and "_revision" not in f.name]
    return max(files, key=lambda f: (f.parent.name == period, f.parent.name, f.stat().st_size)) if files else None


def write_revision(inbox: Path, dataset: str, period: str, at: datetime) -> tuple[Path, int]:
    """A unit's corrected file: the largest CSV or JSON ``dataset`` file of ``period`` under ``inbox`` again,
    its last row left out, as ``<dataset>_revision.<ext>`` beside it, received at ``at`` (its mtime); returns
    the file and its number of rows."""
    import os

    src = revision_source(inbox, dataset, period)
    if src is None:
        raise RuntimeError(f"no CSV or JSON file of {dataset} under {inbox}")
    target = src.with_name(f"{dataset}_revision{src.suffix}")
    if src.suffix == ".json":
        doc = json.loads(src.read_text(encoding="utf-8"))
        doc["rows"], doc["commentary"] = doc["rows"][:-1], "Corrected figures."
        target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        rows = len(doc["rows"])
    else:
        lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
        target.write_text("".join(lines[:-1]), encoding="utf-8")
        rows = len(lines) - 2  # the header, the row left out
    os.utime(target, (at.timestamp(), at.timestamp()))
    return target, rows


def run_revision(spec: dict) -> dict:
    """``pressdx run`` (pressdx.jobs.run, as the CLI calls it) after one unit resent one ``dataset`` file
    (``write_revision``), received one second after the last build, the job clock two seconds after: the build
    rebuilds only the models that dataset can change (``pressdx.warehouse.scope``; ``scope`` in the result).
    The file is written before the timed part; ``end_to_end_s`` is start-up + the run."""
    from pressdx.jobs.run import run

    at = datetime.fromisoformat(spec["as_of"])
    written, rows = write_revision(Path(spec["inbox"]), spec["dataset"], spec["through"], at + timedelta(seconds=1))
    now = at + timedelta(seconds=2)
    _clock_at(now)
    startup = time.perf_counter() - _T0
    t = time.perf_counter()
    s = run(spec["sources"], spec["url"], spec["through"])
    total = time.perf_counter() - t
    if len(s.intake.accepted) != 1 or not s.built:
        raise RuntimeError(f"{written}: {s.counts()}, built {s.built} (expected one file taken in and a build)")
    return {"phase": "revision", "dataset": spec["dataset"], "file": written.name,
            "rows": rows,
            "startup_s": round(startup, 3), "total_s": round(total, 3), "end_to_end_s": round(startup + total, 3),
            "built": s.built, "scope": s.scope, "counts": s.counts(), "as_of": now.isoformat()}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m bench.case SPEC.json OUT.json", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    if spec["kind"] == "pipeline":
        out = run_pipeline(spec)
    elif spec["kind"] == "noop":
        out = run_noop(spec)
    elif spec["kind"] == "asof":
        out = run_asof(spec)
    elif spec["kind"] == "revision":
        out = run_revision(spec)
    elif spec["kind"] == "columnar":
        from bench.columnar import compare

        out = {"phase": "columnar", **compare(Path(spec["file"]), spec["unit"])}
    elif spec["kind"] == "lower_bound":
        from bench.lower_bound import run_lower_bound

        out = run_lower_bound(spec)
    else:
        print(f"unknown phase kind {spec['kind']!r}", file=sys.stderr)
        return 2
    Path(argv[1]).write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

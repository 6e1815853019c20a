"""``python -m bench``: generate synthetic sources, run the pipeline on each warehouse, write the results.

For each scale: the sources of ``--periods FIRST..LAST`` are generated once with ``pressdx.sample.generator.generate``
(cached under ``--work``). For each warehouse, a *case*:

1. **full**: a fresh warehouse takes in the files of FIRST..LAST−1 (the full history but one quarter)
   and is built through LAST−1, in a process of its own (``bench.case``);
2. **lower bound** of that state (``bench.lower_bound``): the same normalised rows bulk-loaded in a
   separate database, the single query, agreement with the marts;
3. **incremental**: the files of LAST are added to the source folders and the pipeline runs again on
   the same warehouse (every file is pulled again; the old ones are duplicates), built through LAST;
4. **lower bound** of the incremental state (the new rows appended, the query through LAST).

Each phase is a process of its own so that its peak RSS (``os.wait4``) is its own. Results go to
``--out`` as ``latest.json`` / ``latest.md`` and a dated copy of both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import yaml

from bench.case import revision_source
from ingest.parsing import Limits
from pressdx.domain import calendar
from pressdx.settings import seeds_dir

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results"
DEFAULT_WORK = ROOT / "bench" / "work"
DEFAULT_PG = os.environ.get("PRESSDX_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DEFAULT_PERIODS = "2023-Q2..2030-Q4"
SOURCES_MARKER = "bench-sources.json"
WAREHOUSES = ("duckdb", "postgres")


class CaseError(RuntimeError):
    pass


# -- options ---------------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark of the pressdx pipeline: stage times, peak memory, a lower bound (issue #7).")
    ap.add_argument("--scales", default="1,10",
                    help="comma-separated scales of pressdx.sample.generator (1 ≈ 800 agencies; 10 and 100 multiply them)"
                         " [%(default)s]")
    ap.add_argument("--warehouses", default="duckdb,postgres", help="duckdb, postgres or both [%(default)s]")
    ap.add_argument("--periods", default=DEFAULT_PERIODS,
                    help="FIRST..LAST: sources span these periods; the full run takes FIRST..LAST-1, the "
                         "incremental run adds LAST [%(default)s]")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder [bench/results]")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK,
                    help="generated sources (cached) and working files [bench/work]")
    ap.add_argument("--pg-url", default=DEFAULT_PG,
                    help="PostgreSQL maintenance URL of a role that may create databases (env "
                         "PRESSDX_BENCH_PG_URL) [%(default)s]")
    ap.add_argument("--seed", type=int, default=781, help="seed of the generator [%(default)s]")
    ap.add_argument("--no-incremental", action="store_true", help="measure the full-history run only")
    ap.add_argument("--no-lower-bound", action="store_true", help="skip the bulk load and the single query")
    ap.add_argument("--what-if", action="store_true",
                    help="after the last run of each case, also time dbt parse and dbt build without unit "
                         "tests / without any test (not part of the run's stages)")
    ap.add_argument("--regenerate", action="store_true", help="generate the sources even when cached")
    ap.add_argument("--keep", action="store_true",
                    help="keep the working folders and PostgreSQL databases of the cases (default: dropped)")
    ap.add_argument("--no-latest", action="store_true", help="write only the dated copy, not latest.*")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--resume", type=Path, metavar="RESULTS.json",
                    help="complete the failed cases of that run from their kept folders, with its options")
    ap.add_argument("--skip-incremental", action="store_true",
                    help="with --resume: do not run an incremental phase the case lacks; the later phases run "
                         "on the full run's warehouse")
    ap.add_argument("--render", type=Path, metavar="RESULTS.json",
                    help="run nothing: evaluate the targets and write the Markdown of an earlier results file "
                         "again, next to it (after a change to bench/report.py)")
    args = ap.parse_args(argv)
    try:
        args.scales = [float(s) for s in args.scales.split(",") if s.strip()]
    except ValueError:
        ap.error(f"--scales: numbers separated by commas, got {args.scales!r}")
    if not args.scales or any(s <= 0 for s in args.scales):
        ap.error("--scales: positive numbers")
    args.warehouses = [w.strip() for w in args.warehouses.split(",") if w.strip()]
    if not args.warehouses or any(w not in WAREHOUSES for w in args.warehouses):
        ap.error(f"--warehouses: some of {', '.join(WAREHOUSES)}")
    first, sep, last = args.periods.partition("..")
    try:
        p_first, p_last = calendar.period(first), calendar.period(last if sep else first)
    except KeyError as e:
        ap.error(f"--periods: {e.args[0]!r} is not a period of the calendar")
    if p_last.index <= p_first.index and not args.no_incremental:
        ap.error("--periods: at least two periods (the last one is the incremental run), or --no-incremental")
    if p_last.index < p_first.index:
        ap.error("--periods: FIRST after LAST")
    args.first, args.last = p_first.code, p_last.code
    return args


# -- sources -----------------------------------------------------------------------------------------------------
def _scale_name(scale: float) -> str:
    return f"s{scale:g}".replace(".", "_")


def generator_key() -> str:
    """A hash of what the generated files depend on: the generator, the dataset contract, the seeds."""
    h = hashlib.sha256()
    for f in [*sorted((ROOT / "pressdx" / "sample").glob("*.py")), ROOT / "pressdx" / "domain" / "datasets.py",
              *sorted(seeds_dir().glob("*.csv"))]:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def ensure_sources(work: Path, scale: float, seed: int, first: str, last: str, regenerate: bool,
                   log) -> tuple[Path, dict]:
    """The generated sources of one scale (cached while the generator and seeds are unchanged)."""
    from pressdx.sample.generator import generate

    folder = work / "sources" / f"{_scale_name(scale)}-seed{seed}-{first}-{last}"
    marker = folder / SOURCES_MARKER
    key = generator_key()
    if marker.exists() and not regenerate:
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("generator_key") == key:
            info["cached"] = True
            log(f"scale {scale:g}: sources cached in {folder}")
            return folder, info
        log(f"scale {scale:g}: the generator or the seeds changed since {folder} was written")
    if marker.exists():
        marker.unlink()
    log(f"scale {scale:g}: generating sources {first}..{last} in {folder}")
    t = time.perf_counter()
    summary = generate(folder, seed=seed, first_period=first, through=last, scale=scale, rejects=True,
                       overwrite=True)
    seconds = time.perf_counter() - t
    sizes = [p.stat().st_size for p in (folder / "inbox").rglob("*") if p.is_file()]
    info = {"scale": scale, "seed": seed, "periods": [first, last], "agencies": summary["agencies"],
            "units": summary["units"], "files": summary["files"], "rows": summary["rows"],
            "bytes": sum(sizes), "largest_file_bytes": max(sizes, default=0),
            "largest_file_rows": max((s["rows"] for s in summary["submissions"]), default=0) + 1,  # +1: a reject
            "rejects_planted": len(summary["rejects"]), "by_encoding": summary["by_encoding"],
            "rows_by_dataset": {k: v["rows"] for k, v in summary["by_dataset"].items()},
            "generate_s": round(seconds, 2), "generator_key": key}
    marker.write_text(json.dumps(info, indent=2), encoding="utf-8")
    info["cached"] = False
    return folder, info


def limits_for(info: dict) -> dict:
    """The intake limits the sources need: the defaults, raised (with a margin) where a file exceeds them."""
    d = Limits()
    raised = {}
    if info["largest_file_bytes"] > d.max_file_bytes:
        raised["max_file_bytes"] = int(math.ceil(info["largest_file_bytes"] * 1.25 / 2**20)) * 2**20
    if info["largest_file_rows"] > d.max_rows:
        raised["max_rows"] = int(math.ceil(info["largest_file_rows"] * 1.25 / 1000)) * 1000
    return raised


def _file_period(rel: Path) -> str | None:
    """``<UNIT>/<period>/<file>`` → period code (None for anything else)."""
    return rel.parts[1] if len(rel.parts) == 3 else None


# The datasets of which one file is resent after the no-op run (a unit correcting its figures): the build then
# rebuilds only the models they can change. Revenue: one of the heaviest paths; a task report: the lightest.
REVISED = ("agency_revenue", "task_progress")


def link_periods(src: Path, dest: Path, lo: int, hi: int) -> int:
    """Hard-link (copy if needed) the inbox files of periods with index lo..hi from ``src`` to ``dest``."""
    n = 0
    for p in sorted((src / "inbox").rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(src / "inbox")
        code = _file_period(rel)
        try:
            index = calendar.period(code).index if code else None
        except KeyError:
            index = None
        if index is None or not lo <= index <= hi:
            continue
        target = dest / "inbox" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        n += 1
        if target.exists():  # a resumed case (--resume)
            continue
        try:
            os.link(p, target)
        except OSError:
            shutil.copy2(p, target)
    return n


def unlink_periods(dest: Path, index: int) -> int:
    """Remove the inbox files of the period with ``index`` from a case's folder (``--skip-incremental``)."""
    n = 0
    for p in sorted((dest / "inbox").rglob("*")):
        code = _file_period(p.relative_to(dest / "inbox")) if p.is_file() else None
        try:
            hit = code is not None and calendar.period(code).index == index
        except KeyError:
            hit = False
        if hit:
            p.unlink()
            n += 1
    return n


def write_case_sources(src: Path, dest: Path, limits: dict) -> Path:
    doc = yaml.safe_load((src / "sources.yml").read_text(encoding="utf-8"))
    for s in doc["sources"]:
        (dest / s["path"]).mkdir(parents=True, exist_ok=True)  # a unit without files yet is an empty folder
    if limits:
        doc["limits"] = limits
    file = dest / "sources.yml"
    head = "# Written by bench.run" + (f"; intake limits raised for large files: {limits}" if limits else "") + "\n"
    file.write_text(head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return file


# -- PostgreSQL databases ------------------------------------------------------------------------------------------
def _pg_url(admin: str, dbname: str) -> str:
    return urlunparse(urlparse(admin)._replace(path=f"/{dbname}"))


def _pg_admin(admin: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as con:
        cur = con.execute(sql)
        return cur.fetchall() if cur.description else []


# -- one phase in its own process ----------------------------------------------------------------------------------
# Set by --resume: a phase whose results a kept case folder already holds is not run again (below).
RESUMING = False
# The phases whose results need nothing the parent measures (the wall time of the process): an older run's
# kept folder holds all their results.
_COMPLETE_WITHOUT_WALL = ("pipeline", "lower_bound", "asof", "columnar")


def _kept_result(out_file: Path, spec: dict) -> dict | None:
    if not (RESUMING and out_file.is_file()):
        return None
    out = json.loads(out_file.read_text(encoding="utf-8"))
    if "process_wall_s" not in out and spec["kind"] not in _COMPLETE_WITHOUT_WALL:
        return None  # a no-op or revision phase of an older run: run again
    out.setdefault("peak_rss_mib", out.get("stages_peak_rss_mib", 0.0))
    out["resumed"] = True
    return out


def run_child(case_dir: Path, name: str, spec: dict, env: dict[str, str]) -> dict:
    spec_file, out_file, log_file = (case_dir / f"{name}.spec.json", case_dir / f"{name}.json",
                                     case_dir / f"{name}.log")
    if (kept := _kept_result(out_file, spec)) is not None:
        return kept
    spec_file.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    t = time.perf_counter()
    with log_file.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bench.case", str(spec_file), str(out_file)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        tail = log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-12:]
        raise CaseError(f"{name} exited with {proc.returncode} (log {log_file}):\n  " + "\n  ".join(tail))
    out = json.loads(out_file.read_text(encoding="utf-8"))
    out["process_wall_s"] = round(wall, 3)
    # kB on Linux; a pipeline phase resets its peak per stage (bench.case), so take its stages' peak too
    out["peak_rss_mib"] = round(max(usage.ru_maxrss / 1024, out.get("stages_peak_rss_mib", 0.0)), 1)
    out_file.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")  # complete, for --resume
    return out


@dataclass
class Case:
    scale: float
    warehouse: str
    dir: Path
    url: str
    lb_url: str
    pg_dbs: tuple[str, ...] = ()


def make_case(args, run_dir: Path, scale: float, warehouse: str, stamp: str, fresh: bool = True) -> Case:
    """The case's folder and warehouses, emptied (``fresh``) or as a failed run kept them (``--resume``)."""
    d = run_dir / f"{_scale_name(scale)}-{warehouse}"
    if fresh:
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    if warehouse == "duckdb":
        return Case(scale, warehouse, d, f"duckdb:///{d / 'warehouse.duckdb'}", f"duckdb:///{d / 'lower_bound.duckdb'}")
    base = f"pressdx_bench_{stamp.lower()}_{_scale_name(scale)}"
    dbs = (base, f"{base}_lb")
    for db in dbs if fresh else ():
        _pg_admin(args.pg_url, f'drop database if exists "{db}" with (force)')
        _pg_admin(args.pg_url, f'create database "{db}"')
    return Case(scale, warehouse, d, _pg_url(args.pg_url, dbs[0]), _pg_url(args.pg_url, dbs[1]), dbs)


def drop_case(args, case: Case) -> None:
    if args.keep:
        return
    for db in case.pg_dbs:
        try:
            _pg_admin(args.pg_url, f'drop database if exists "{db}" with (force)')
        except Exception as e:  # never hide the results for a cleanup failure
            print(f"warning: could not drop database {db}: {e}", file=sys.stderr)
    shutil.rmtree(case.dir, ignore_errors=True)


def run_case(args, case: Case, src: Path, limits: dict, log) -> dict:
    """The phases of one case; when one fails, the ``CaseError`` carries what the phases before it measured
    (``partial``), which the results keep beside the error."""
    out: dict = {}
    try:
        return _run_phases(args, case, src, limits, log, out)
    except CaseError as e:
        e.partial = out
        raise


def _run_phases(args, case: Case, src: Path, limits: dict, log, out: dict) -> dict:
    first, last = calendar.period(args.first), calendar.period(args.last)
    full_through = calendar.periods_through(last.code)[-2] if not args.no_incremental else last
    env = {**os.environ, "PRESSDX_DATA_DIR": str(case.dir / "data")}
    env.pop("PRESSDX_DBT_VERBOSE", None)
    env.pop("PRESSDX_WAREHOUSE", None)
    out.update({"scale": case.scale, "warehouse": case.warehouse,
                "full_periods": [first.code, full_through.code],
                "incremental_period": None if args.no_incremental else last.code})
    sources = write_case_sources(src, case.dir, limits)
    out["files_linked_full"] = link_periods(src, case.dir, first.index, full_through.index)
    what = f"scale {case.scale:g} {case.warehouse}"

    log(f"{what}: full run {first.code}..{full_through.code} ({out['files_linked_full']} files)")
    out["full"] = run_child(case.dir, "full", {
        "kind": "pipeline", "phase": "full", "url": case.url, "sources": str(sources),
        "through": full_through.code, "dump_dir": None if args.no_lower_bound else str(case.dir / "dump-full"),
        "what_if": args.what_if and args.no_incremental}, env)
    log(f"{what}: full run {out['full']['end_to_end_s']:.1f} s, peak {out['full']['peak_rss_mib']:.0f} MiB")
    if not args.no_lower_bound:
        out["lower_bound_full"] = run_child(case.dir, "lower_bound_full", {
            "kind": "lower_bound", "phase": "full", "url": case.url, "lb_url": case.lb_url,
            "dump_dir": str(case.dir / "dump-full"), "as_of": out["full"]["as_of"], "through": full_through.code,
            "create": True}, env)
        log(f"{what}: lower bound {_lb_line(out['lower_bound_full'])}")
    if args.no_incremental:
        return out

    if args.skip_incremental and not (case.dir / "incremental.json").is_file():  # --resume --skip-incremental
        out["files_unlinked"] = unlink_periods(case.dir, last.index)  # the later phases: after the full run
        out["incremental_skipped"] = True
        # nor the no-op run: the full phases of runs before 2026-12-02 built as of the last received time, before
        # the units their intake registered, so a run after them would rebuild (bench.case.run_pipeline)
        log(f"{what}: incremental and no-op runs skipped; the later phases run on the full run's warehouse")
        built, built_through = out["full"], full_through
    else:
        out["files_linked_incremental"] = link_periods(src, case.dir, last.index, last.index)
        log(f"{what}: incremental run +{last.code} ({out['files_linked_incremental']} new files)")
        out["incremental"] = run_child(case.dir, "incremental", {
            "kind": "pipeline", "phase": "incremental", "url": case.url, "sources": str(sources),
            "through": last.code, "dump_dir": None if args.no_lower_bound else str(case.dir / "dump-incremental"),
            "what_if": args.what_if, "keep_manifest": True}, env)
        log(f"{what}: incremental run {out['incremental']['end_to_end_s']:.1f} s, "
            f"peak {out['incremental']['peak_rss_mib']:.0f} MiB")
        if not args.no_lower_bound:
            out["lower_bound_incremental"] = run_child(case.dir, "lower_bound_incremental", {
                "kind": "lower_bound", "phase": "incremental", "url": case.url, "lb_url": case.lb_url,
                "dump_dir": str(case.dir / "dump-incremental"), "as_of": out["incremental"]["as_of"],
                "through": last.code, "create": False}, env)
            log(f"{what}: lower bound {_lb_line(out['lower_bound_incremental'])}")
        built, built_through = out["incremental"], last
    if not out.get("incremental_skipped"):
        out["noop"] = run_child(case.dir, "noop", {
            "kind": "noop", "url": case.url, "sources": str(sources), "through": built_through.code,
            "as_of": built["as_of"]}, env)
        log(f"{what}: run with nothing new {out['noop']['process_wall_s']:.2f} s "
            f"({'built' if out['noop']['built'] else 'nothing built'})")
    out["asof"] = run_child(case.dir, "asof", {"kind": "asof", "url": case.url, "year": built_through.year,
                                               "quarter": built_through.quarter}, env)
    log(f"{what}: kpi --as-of a new instant {out['asof']['as_of_s']:.2f} s, without {out['asof']['current_s']:.2f} s "
        f"({out['asof']['ratio']:.2f}×)")
    as_of = built["as_of"]
    if not built.get("manifest_kept"):  # a case resumed from a run before the revision phases
        log(f"{what}: no corrected files: the last build kept no manifest to defer to")
    for dataset in REVISED if built.get("manifest_kept") else ():  # one file each: scoped builds
        if revision_source(case.dir / "inbox", dataset, built_through.code) is None:
            log(f"{what}: no CSV or JSON file of {dataset} to correct")
            continue
        rev = run_child(case.dir, f"revision_{dataset}", {
            "kind": "revision", "url": case.url, "sources": str(sources), "inbox": str(case.dir / "inbox"),
            "through": built_through.code, "dataset": dataset, "as_of": as_of}, env)
        out.setdefault("revisions", []).append(rev)
        as_of = rev["as_of"]
        scope = rev.get("scope") or {}
        log(f"{what}: one corrected {dataset} file ({rev['rows']:,} rows) {rev['process_wall_s']:.2f} s, "
            f"{scope.get('models', 'all')} of {scope.get('of_models', 'all')} models rebuilt")
    if case.warehouse == args.warehouses[0]:  # no warehouse involved: once per scale
        # the largest file of data, not one of the files planted to be rejected
        largest = max((f for f in src.rglob("*.csv") if not f.name.startswith("rejects_")),
                      key=lambda f: f.stat().st_size)
        out["columnar"] = run_child(case.dir, "columnar", {
            "kind": "columnar", "file": str(largest), "unit": largest.relative_to(src).parts[1]}, env)
        c = out["columnar"]
        log(f"{what}: {largest.name} ({c['rows']:,} rows) row by row {c['rows_s']['total']:.2f} s, "
            f"columnar {c['columns_s']['total']:.2f} s ({c['ratio']:.1f}×)")
    return out


def _lb_line(lb: dict) -> str:
    a = lb["agreement"]
    verdict = "agrees" if a["agree"] else f"{a['mismatch_count']} mismatches, {len(a['missing_in_marts'])} missing"
    return (f"bulk load {lb['bulk_load_s']:.2f} s, query {lb['query_s']:.2f} s; "
            f"{'/'.join(a['indicators_compared']) or 'no indicator'} vs marts: {verdict}")


# -- environment ---------------------------------------------------------------------------------------------------
def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def machine() -> dict:
    mem = None
    cpu = platform.processor() or None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 2**20, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count(), "memory_gib": mem, "cpu": cpu, "os": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def versions(args) -> dict:
    v = {"python": platform.python_version(), "duckdb": _version("duckdb"), "dbt-core": _version("dbt-core"),
         "dbt-duckdb": _version("dbt-duckdb"), "dbt-postgres": _version("dbt-postgres"),
         "great-expectations": _version("great-expectations"), "pandas": _version("pandas"),
         "psycopg": _version("psycopg"), "postgresql": None}
    if "postgres" in args.warehouses:
        try:
            v["postgresql"] = _pg_admin(args.pg_url, "show server_version")[0][0]
        except Exception as e:
            v["postgresql"] = f"unreachable: {str(e).strip().splitlines()[0]}"
    return v


def git_info() -> dict:
    status = _git("status", "--porcelain")
    return {"commit": _git("rev-parse", "HEAD"), "branch": _git("rev-parse", "--abbrev-ref", "HEAD"),
            "dirty": bool(status), "changed_paths": len(status.splitlines()) if status else 0}


# -- main ------------------------------------------------------------------------------------------------------------
def render(path: Path) -> int:
    from bench.report import evaluate_targets, markdown

    results = json.loads(path.read_text(encoding="utf-8"))
    results["targets"] = evaluate_targets(results)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown(results), encoding="utf-8")
    print(f"written: {path.with_suffix('.md')}")
    return 0


def write_results(args, results: dict, stamp: str, log) -> None:
    from bench.report import evaluate_targets, markdown

    results["targets"] = evaluate_targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=str)
    md = markdown(results)
    names = [stamp] + ([] if args.no_latest else ["latest"])
    for name in names:
        (args.out / f"{name}.json").write_text(text + "\n", encoding="utf-8")
        (args.out / f"{name}.md").write_text(md, encoding="utf-8")
    log(f"results: {', '.join(str(args.out / (n + '.md')) for n in names)} ({results['wall_s']:.0f} s)")


def resume(args, log) -> int:
    """``--resume RESULTS.json``: complete the failed cases of that run whose folders (and databases) were
    kept, with the run's options: a phase whose results the folder holds is not run again, the others run
    on the case's warehouse as it was left; the results are written again under the run's stamp (and
    ``latest``), with a ``resumed`` entry saying when, from which commit and which cases."""
    global RESUMING
    results = json.loads(args.resume.read_text(encoding="utf-8"))
    stamp, opts = args.resume.stem, results["options"]
    args.first, args.last = opts["periods"]
    args.warehouses, args.seed, args.what_if = opts["warehouses"], opts["seed"], opts["what_if"]
    args.no_incremental, args.no_lower_bound = not opts["incremental"], not opts["lower_bound"]
    run_dir = args.work / "runs" / stamp
    RESUMING, t0, done, failed = True, time.perf_counter(), [], []
    for i, c in enumerate(results["cases"]):
        what = f"scale {c['scale']:g} {c['warehouse']}"
        folder = run_dir / f"{_scale_name(c['scale'])}-{c['warehouse']}"
        if not c.get("error"):
            continue
        if not folder.is_dir():
            log(f"{what}: not resumed, its folder {folder} is gone")
            failed.append(what)
            continue
        src, info = ensure_sources(args.work, c["scale"], args.seed, args.first, args.last, False, log)
        case = make_case(args, run_dir, c["scale"], c["warehouse"], stamp, fresh=False)
        log(f"{what}: resuming in {folder}")
        try:
            results["cases"][i] = run_case(args, case, src, limits_for(info), log)
        except CaseError as e:
            log(f"{what}: FAILED again, kept in {folder}: {e}")
            results["cases"][i] = {**getattr(e, "partial", {}), "scale": c["scale"], "warehouse": c["warehouse"],
                                   "error": str(e)}
            failed.append(what)
        else:
            drop_case(args, case)
            done.append(what)
    results.setdefault("resumed", []).append({
        "at": datetime.now(UTC).isoformat(), "cases": done, "git": git_info(), "wall_s": round(time.perf_counter() - t0, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()]})
    write_results(args, results, stamp, log)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render:
        return render(args.render)

    def log(msg: str) -> None:
        if not args.quiet:
            print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)

    if args.resume:
        return resume(args, log)

    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    results: dict = {
        "schema_version": 1, "started_at": started.isoformat(), "machine": machine(), "versions": versions(args),
        "git": git_info(),
        "options": {"scales": args.scales, "warehouses": args.warehouses, "periods": [args.first, args.last],
                    "seed": args.seed, "incremental": not args.no_incremental,
                    "lower_bound": not args.no_lower_bound, "what_if": args.what_if},
        "sources": {}, "cases": [],
    }
    if "postgres" in args.warehouses and str(results["versions"]["postgresql"]).startswith("unreachable"):
        print(f"bench: PostgreSQL {results['versions']['postgresql']} (use --warehouses duckdb)", file=sys.stderr)
        return 2
    run_dir = args.work / "runs" / stamp
    t0 = time.perf_counter()
    failed: list[str] = []
    for scale in args.scales:
        src, info = ensure_sources(args.work, scale, args.seed, args.first, args.last, args.regenerate, log)
        limits = limits_for(info)
        info["limits"] = {"raised": bool(limits), **{k: getattr(Limits(), k) for k in ("max_file_bytes", "max_rows")},
                          **limits}
        if limits:
            log(f"scale {scale:g}: intake limits raised in sources.yml: {limits}")
        results["sources"][f"{scale:g}"] = info
        for warehouse in args.warehouses:
            case = make_case(args, run_dir, scale, warehouse, stamp)
            try:
                results["cases"].append(run_case(args, case, src, limits, log))
            except CaseError as e:  # kept for a look: its folder (logs) and databases are not dropped
                log(f"scale {scale:g} {warehouse}: FAILED, kept in {case.dir}: {e}")
                results["cases"].append({**getattr(e, "partial", {}), "scale": scale, "warehouse": warehouse,
                                         "error": str(e)})
                failed.append(f"{scale:g}/{warehouse}")
            else:
                drop_case(args, case)
    if not args.keep and not failed:
        shutil.rmtree(run_dir, ignore_errors=True)
    results["finished_at"] = datetime.now(UTC).isoformat()
    results["wall_s"] = round(time.perf_counter() - t0, 1)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    write_results(args, results, stamp, log)
    if failed:
        log(f"failed cases: {', '.join(failed)}")
    return 1 if failed else 0

"""The targets of issue #7 and the Markdown report of a benchmark run (``bench/results/*.md``)."""

from __future__ import annotations

from pathlib import Path

from bench.case import STAGES

GIB = 1024  # MiB

STAGE_LABELS = {
    "pull": "pull", "parse": "parse", "normalise": "normalise", "validate": "validate (GX)",
    "checks": "checks", "load": "load", "intake_other": "intake other", "dbt_build": "dbt build",
    "kpi": "KPI queries",
}
# What the issue calls the stages: pull and parse | validation | taking in | dbt build | KPI queries.
GROUPS = {
    "pull + parse": ("pull", "parse", "normalise"),
    "validation": ("validate", "checks"),
    "taking in (load)": ("load", "intake_other"),
    "dbt build": ("dbt_build",),
    "KPI queries": ("kpi",),
}

# Where a stage's time goes and what would cut it (measured; the figures of a run are filled in by fix_text).
FIXES = {
    "pull": "folder sources list the files and read nothing; intake reads each file once to hash it, the ones "
            "taken in long ago included. Skip files whose (path, size, mtime) is unchanged since the last run "
            "before reading them.",
    "parse": "XLSX ({xlsx}) goes through openpyxl cell by cell (workbooks with formulas are opened twice). CSV "
             "({csv}) and JSON of 256 KiB or more take the columnar path (ingest.columns: a plain file split in "
             "bulk, columns typed once per distinct value through the same normalisers); smaller files stay row "
             "by row, the reference. A columnar XLSX reader is what is left.",
    "normalise": "large CSV and JSON files are typed column by column; the typed rows are still built as dicts "
                 "for GX and loading (≈ 0.2–0.3 s per 200,000 rows), which a columnar frame would save.",
    "validate": "importing Great Expectations costs {gx_import} per process before any row is checked, then one "
                "suite run per dataset and batch over a pandas frame of the batch's rows; check the simple rules "
                "(required, enum, range) in the normaliser and call GX only for the rest, or keep a warm worker.",
    "checks": "each revenue file's outliers are one SQL query (ingest.warnings: median and MAD with "
              "percentile_cont over the earlier months of the file's agencies), agency codes and months are "
              "checked once per distinct value, plus one SQL query per file for staff jumps and provisional "
              "figures.",
    "load": "one transaction per file with 3–4 insert_rows calls (submission, rows, audit event, messages).",
    "load duckdb": "one transaction per file; on DuckDB each commit and each frame insert costs a few ms "
                   "whatever its size (small inserts already go row by row). One transaction per batch of small "
                   "files would cut it, at the price of per-file atomicity being per-batch.",
    "intake_other": "reading each file back from the landing store and hashing it, schema checks, unit "
                    "registrations and sorting, outside the steps intake reports.",
    "dbt_build": "a new period, like a first build, changes every model, so the whole project is built with its "
                 "data tests: {dbt_nodes}; it imports dbt ({dbt_import}) and parses from the kept partial-parse "
                 "state{what_if}. Unit tests are left to `make test`; files of periods already built rebuild only "
                 "the models they touch (see *A run that takes in one corrected file*). Next: make the history "
                 "twins, which dominate at scale (the slowest nodes below), incremental by knowledge instant, "
                 "so that a new period evaluates its own instants only.",
    "kpi": "each `pressdx kpi` call opens the warehouse again ({kpi_each} a call here); one connection for a "
           "report's queries would do.",
}


# What holds memory, by the stage where the peak is reached.
MEMORY_FIXES = {
    "pull": "folder sources hold no bytes; HTTP sources hold each pulled document until intake.",
    "intake": "intake holds one batch (≈ 250,000 rows, ingest.intake.BATCH_ROWS) of parsed rows as Python dicts, "
              "the GX frame of that batch; a smaller batch or a columnar row store would lower the peak.",
    "dbt_build": "dbt's manifest and DuckDB's buffer manager (capped by PRESSDX_DUCKDB_MEMORY_LIMIT, default "
                 "2GB: it spills to disk past it).",
    "kpi": "the KPI queries themselves are small; the memory is what earlier stages left allocated.",
}


def _secs(x: float | None) -> str:
    return "?" if x is None else f"{x:.1f} s"


def fix_text(stage: str, case: dict | None, phase: str) -> str:
    """FIXES[stage] with the figures of ``case`` (a measured case) filled in."""
    run = (case or {}).get(phase) or {}
    d = run.get("detail") or {}
    key = f"{stage} {case['warehouse']}" if case else stage
    text = FIXES.get(key) or FIXES.get(stage, "")
    dbt = run.get("dbt") or {}
    types = dbt.get("by_type") or {}
    found = next(((p, c[p]) for c in [case or {}] for p in ("incremental", "full")
                  if (c.get(p) or {}).get("dbt_what_if")), None)
    what_if = found[1]["dbt_what_if"] if found else None
    wi = ""
    if found:
        wi = (f"; measured with --what-if after the {found[0]} run (its dbt build: "
              f"{_secs(found[1]['stages']['dbt_build'])}): "
              + ", ".join(f"{k} {_secs(v)}" for k, v in what_if.items() if k != "dbt parse"))
    values = {
        "xlsx": f"{_secs(d.get('parse .xlsx'))} here",
        "csv": f"{_secs(d.get('parse .csv'))} here",
        "gx_import": _secs(d.get("validate: import great_expectations")),
        "dbt_nodes": ", ".join(f"{v['nodes']} {k.replace('_', ' ')}s ({v['seconds']:.0f} s of node time)"
                               for k, v in types.items()) or "every node",
        "dbt_import": _secs(d.get("dbt_build: import dbt")),
        "dbt_parse": _secs((what_if or {}).get("dbt parse")) if what_if else "≈ 4 s with --what-if",
        "what_if": wi,
        "kpi_each": (f"{1000 * run['stages']['kpi'] / run['kpi_queries']:.0f} ms" if run.get("kpi_queries")
                     else "?"),
    }
    return text.format(**values)


# -- helpers -----------------------------------------------------------------------------------------------------
def _cases(results: dict) -> list[dict]:
    """Every case, a failed one with the phases it measured before its failure (``error``)."""
    return list(results.get("cases", []))


def _case(results: dict, scale: float, warehouse: str) -> dict | None:
    return next((c for c in _cases(results) if c["scale"] == scale and c["warehouse"] == warehouse), None)


def _slowest(run: dict) -> str:
    return max(run["stages"], key=lambda s: run["stages"][s])


def _peak(case: dict | None) -> float | None:
    """The case's peak RSS in GiB over its pipeline phases; None when none ran."""
    peaks = [case[p]["peak_rss_mib"] for p in ("full", "incremental") if case and p in case]
    return max(peaks) / GIB if peaks else None


def _peak_stage(case: dict) -> str:
    best, where = -1.0, ""
    for phase in ("full", "incremental"):
        for stage, mib in case.get(phase, {}).get("stage_peak_rss_mib", {}).items():
            if mib > best:
                best, where = mib, f"{phase} {stage}"
    return where


def _fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


# -- targets ---------------------------------------------------------------------------------------------------------
def evaluate_targets(results: dict) -> list[dict]:
    """The targets of issue #7 against the measurements (``met`` None: not measured in this run)."""
    out: list[dict] = []

    def add(name: str, limit: float, unit: str, measured: float | None, case: dict | None, phase: str,
            what: str, held: str | list[str] | None = None) -> None:
        met = None if measured is None else measured <= limit
        item = {"target": name, "limit": limit, "unit": unit, "measured": None if measured is None else
                round(measured, 2), "met": met, "measured_as": what}
        run = (case or {}).get(phase)
        if isinstance(held, str):
            held = [held]
        if met is False and unit == "GiB":
            held = held[0] if held else None
            item["held_back_by"] = held
            item["stages"] = [{"stage": held, "seconds": None, "fix": MEMORY_FIXES.get(held or "", "")}]
            item["fix"] = item["stages"][0]["fix"]
        elif met is False:
            by_stage = (run or {}).get("stages", {})
            stages = held if held else sorted(by_stage, key=lambda s: -by_stage[s])[:2]
            item["held_back_by"] = stages[0] if stages else None
            item["stages"] = [{"stage": st, "seconds": by_stage.get(st),
                               "fix": fix_text(st, case, phase)} for st in stages]
            item["fix"] = item["stages"][0]["fix"] if stages else None
        out.append(item)

    for wh, limit in (("duckdb", 60.0), ("postgres", 90.0)):
        c = _case(results, 1.0, wh)
        run = c.get("full") if c else None
        add(f"scale 1 full history end to end on {wh} ≤ {limit:g} s", limit, "s",
            run["end_to_end_s"] if run else None, c, "full", "process start-up + every stage of the full run")
    for wh in ("duckdb", "postgres"):  # issue 14's targets from here on
        c = _case(results, 1.0, wh)
        run = c.get("noop") if c else None
        add(f"scale 1 a run with nothing new on {wh} ≤ 3 s", 3.0, "s", run["process_wall_s"] if run else None,
            c, "noop", "wall time of the `pressdx run` process (start-up, pull, intake of duplicates, no build)")
    for scale, limit in ((1.0, 1.0), (100.0, 3.0)):
        for wh in ("duckdb", "postgres"):
            c = _case(results, scale, wh)
            run = c.get("asof") if c else None
            add(f"scale {scale:g} kpi --as-of at a new instant on {wh} ≤ {limit:g} s", limit, "s",
                run["as_of_s"] if run else None, c, "asof",
                "median wall time of the `pressdx kpi --year Y --as-of T` process, 3 new instants")
            if scale == 1.0:
                add(f"scale 1 kpi --as-of on {wh} ≤ 2 × kpi without --as-of", 2.0, "×", run["ratio"] if run else None,
                    c, "asof", "median `kpi --as-of` process / median `kpi` process, same run")
    for wh in ("duckdb", "postgres"):
        c = _case(results, 1.0, wh)
        run = c.get("incremental") if c else None
        add(f"scale 1 one new quarter on top on {wh} ≤ 5 s", 5.0, "s", run["end_to_end_s"] if run else None,
            c, "incremental", "process start-up + every stage of the incremental run")
    for wh in ("duckdb", "postgres"):
        c1, c100 = _case(results, 1.0, wh), _case(results, 100.0, wh)
        ratio = None
        if c1 and c100 and c1.get("full") and c100.get("full"):
            ratio = c100["full"]["end_to_end_s"] / c1["full"]["end_to_end_s"]
        held = None
        if ratio is not None and ratio > 10:
            r1, r100 = c1["full"]["stages"], c100["full"]["stages"]
            # the two stages whose scale-100 time exceeds 10 × their scale-1 time the most
            held = sorted(STAGES, key=lambda s: -(r100[s] - 10 * r1[s]))[:2]
        add(f"scale 100 full history on {wh} ≤ 10 × scale 1", 10.0, "×", ratio, c100, "full",
            "end-to-end time of the scale-100 full run / the scale-1 full run", held)
        lb = (c100 or {}).get("lower_bound_full")
        load = ((c100 or {}).get("full") or {}).get("stages", {}).get("load")
        add(f"scale 100 intake load on {wh} ≤ 3 × the native bulk load", 3.0, "×",
            load / lb["bulk_load_s"] if lb and load and lb.get("bulk_load_s") else None, c100, "full",
            "the full run's load stage / the same rows loaded with COPY or read_csv (lower bound)", "load")
        add(f"scale 100 peak memory on {wh} ≤ 3 GiB", 3.0, "GiB", _peak(c100), c100, "full",
            "peak RSS of the pipeline process (PostgreSQL server not included)",
            _peak_stage(c100).split(" ")[-1] if c100 else None)
    return out


# -- Markdown --------------------------------------------------------------------------------------------------------
def markdown(results: dict) -> str:
    m, v, g = results["machine"], results["versions"], results["git"]
    opts = results["options"]
    lines = [
        "# pressdx benchmark",
        "",
        f"Run {results['started_at'][:19]}Z → {results.get('finished_at', '')[:19]}Z "
        f"({results.get('wall_s', 0):.0f} s). Written by `python -m bench` (bench/README.md).",
        "",
        f"- Machine: {m['cores']} cores ({m['cores_usable']} usable), {m['memory_gib']} GiB, {m['cpu']}; "
        f"load average {m['load_average_at_start']} at start, {m.get('load_average_at_end')} at end "
        "(anything above ~0.5 means the machine was not quiet).",
        f"- Versions: Python {v['python']}, DuckDB {v['duckdb']}, PostgreSQL {v['postgresql']}, "
        f"dbt-core {v['dbt-core']} (dbt-duckdb {v['dbt-duckdb']}, dbt-postgres {v['dbt-postgres']}), "
        f"Great Expectations {v['great-expectations']}, pandas {v['pandas']}, psycopg {v['psycopg']}.",
        f"- Code: commit `{(g['commit'] or '?')[:12]}` on {g['branch']}"
        + (f", **with {g['changed_paths']} uncommitted paths**" if g["dirty"] else "") + ".",
        f"- Periods {opts['periods'][0]}..{opts['periods'][1]}: the full run takes "
        f"{opts['periods'][0]}..(last − 1) into a fresh warehouse; the incremental run adds the files of "
        f"{opts['periods'][1]} and runs again (all files pulled again, the old ones are duplicates). Builds "
        "are made as of the last received time pulled (the synthetic files are dated up to 2030; since 2026-12-02 "
        "15:10Z one second later, the intake's clock, so that the units intake registers are known to the build).",
        *[f"- **Resumed** {r['at'][:19]}Z from commit `{(r['git']['commit'] or '?')[:12]}`"
          + (f" with {r['git']['changed_paths']} uncommitted paths" if r["git"].get("dirty") else "") + " (load average "
          f"{r['load_average']} at its end): {', '.join(r['cases']) or 'no case'} completed from the folders the "
          "failed run kept: its phases already measured were kept, the others run then on the case's warehouse "
          "(`python -m bench --resume`)." for r in results.get("resumed", [])],
        "",
        "## Sources",
        "",
        "| scale | agencies | files | rows | MiB | largest file | intake limits | generated in |",
        "| ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    for scale, s in results["sources"].items():
        lim = s["limits"]
        limits = ("**raised** in sources.yml `limits:` to " if lim["raised"] else "defaults: ") + \
            f"{lim['max_file_bytes'] / 2**20:g} MiB / {lim['max_rows']:,} rows"
        lines.append(f"| {scale} | {s['agencies']:,} | {s['files']:,} | {s['rows']:,} | {s['bytes'] / 2**20:.1f} | "
                     f"{s['largest_file_bytes'] / 2**20:.1f} MiB, {s['largest_file_rows']:,} rows | {limits} | "
                     f"{s['generate_s']:.0f} s{' (cached)' if s.get('cached') else ''} |")

    lines += ["", "## Stage times (seconds)", "",
              "Exclusive seconds per stage (a stage nested in another counts once). *start-up*: interpreter and "
              "`ingest` imports; the imports of Great Expectations and dbt fall in *validate* and *dbt build*, "
              "as in `pressdx run`. *end to end* = start-up + every stage. Peak RSS: the pipeline process "
              "(dbt and DuckDB run in it; the PostgreSQL server is not counted).", "",
              "| scale | warehouse | run | files (new) | rows in | start-up | "
              + " | ".join(STAGE_LABELS[s] for s in STAGES) + " | **end to end** | peak RSS MiB |",
              "| ---: | --- | --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in STAGES) + " | ---: | ---: |"]
    for c in results["cases"]:
        if c.get("error") and not any(c.get(p) for p in ("full", "incremental")):
            lines.append(f"| {c['scale']:g} | {c['warehouse']} | **failed** | " + " | " * (len(STAGES) + 5)
                         + " |")
            continue
        if c.get("error") and not c.get("incremental"):
            lines.append(f"| {c['scale']:g} | {c['warehouse']} | incremental **failed** | " + " | " * (len(STAGES) + 5)
                         + " |")
        for phase in ("full", "incremental"):
            r = c.get(phase)
            if not r:
                continue
            f = r["files"]
            lines.append(
                f"| {c['scale']:g} | {c['warehouse']} | {phase} | {f['pulled']:,} ({f['accepted'] + f['rejected']:,}) | "
                f"{r['rows_taken_in']:,} | {_fmt_s(r['startup_s'])} | "
                + " | ".join(_fmt_s(r["stages"][s]) for s in STAGES)
                + f" | **{_fmt_s(r['end_to_end_s'])}** | {r['peak_rss_mib']:,.0f} |")
        if c.get("incremental_skipped"):
            lines.append(f"| {c['scale']:g} | {c['warehouse']} | incremental skipped (`--resume --skip-incremental`) | "
                         + " | " * (len(STAGES) + 5) + " |")

    lines += ["", "Grouped as in the issue (seconds, share of the run):", "",
              "| scale | warehouse | run | " + " | ".join(GROUPS) + " |",
              "| ---: | --- | --- | " + " | ".join("---:" for _ in GROUPS) + " |"]
    for c in _cases(results):
        for phase in ("full", "incremental"):
            r = c.get(phase)
            if not r:
                continue
            tot = r["total_s"] or 1
            cells = []
            for stages in GROUPS.values():
                x = sum(r["stages"][s] for s in stages)
                cells.append(f"{_fmt_s(x)} ({100 * x / tot:.0f} %)")
            lines.append(f"| {c['scale']:g} | {c['warehouse']} | {phase} | " + " | ".join(cells) + " |")

    lines += _detail_section(results)
    lines += _lower_bound_section(results)
    lines += _scaling_section(results)
    lines += _noop_section(results)
    lines += _revision_section(results)
    lines += _asof_section(results)
    lines += _columnar_section(results)
    lines += _targets_section(results)
    lines += _dbt_section(results)
    errors = [c for c in results["cases"] if c.get("error")]
    if errors:
        lines += ["", "## Failed cases", ""]
        for c in errors:
            lines += [f"- scale {c['scale']:g} {c['warehouse']}:", "", "```", c["error"], "```"]
    return "\n".join(lines) + "\n"


def _lower_bound_section(results: dict) -> list[str]:
    rows = []
    for c in _cases(results):
        for phase in ("full", "incremental"):
            r, lb = c.get(phase), c.get(f"lower_bound_{phase}")
            if not r or not lb:
                continue
            load = r["stages"]["load"]
            dbt = r["stages"]["dbt_build"]
            a = lb["agreement"]
            if a["agree"]:
                verdict = f"agree ({', '.join(a['indicators_compared'])}; {a['rows_compared']} rows)"
            else:
                verdict = (f"**{a['mismatch_count']} mismatches, {len(a['missing_in_marts'])} missing** "
                           f"({', '.join(a['indicators_compared']) or 'nothing compared'})")
            if a["not_in_marts"]:
                verdict += f"; not in the marts: {', '.join(a['not_in_marts'])}"
            rows.append(f"| {c['scale']:g} | {c['warehouse']} | {phase} | {_fmt_s(load)} | {_fmt_s(lb['bulk_load_s'])} | "
                        f"{load / lb['bulk_load_s']:.0f}× | {_fmt_s(dbt)} | {_fmt_s(lb['query_s'])} | "
                        f"{dbt / lb['query_s']:.0f}× | {verdict} |")
    if not rows:
        return []
    out = ["", "## Lower bound (same run, same rows)", "",
           "*bulk load*: the normalised rows the run took in, loaded with the native bulk path (COPY on "
           "PostgreSQL, `read_csv` on DuckDB) into a separate database. *single query*: `bench/lower_bound.sql`, "
           "I1–I7 for every period by kpi-rules.md. The pipeline's *load* also writes the audit events and the "
           "landing store; its *dbt build* also builds every other mart and runs the tests.", "",
           "| scale | warehouse | run | load | bulk load | ratio | dbt build | single query | ratio | "
           "single query vs marts |",
           "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |", *rows]
    bad = [(c, p, c[f"lower_bound_{p}"]["agreement"]) for c in _cases(results) for p in ("full", "incremental")
           if c.get(f"lower_bound_{p}") and not c[f"lower_bound_{p}"]["agreement"]["agree"]]
    for c, phase, a in bad:
        out += ["", f"Mismatches, scale {c['scale']:g} {c['warehouse']} {phase} (a bug in the marts or in the "
                "query; first ones):", "", "| indicator | period | column | single query | marts |",
                "| --- | --- | --- | --- | --- |"]
        out += [f"| {x['indicator_code']} | {x['period_code']} | {x['column']} | {x['lower_bound']} | {x['marts']} |"
                for x in a["mismatches"][:15]]
        if a["missing_in_marts"]:
            out.append(f"\nMissing in the marts: {', '.join(a['missing_in_marts'][:15])}")
    return out


def _scaling_section(results: dict) -> list[str]:
    rows = []
    for c in _cases(results):
        base = _case(results, 1.0, c["warehouse"])
        if c["scale"] == 1.0 or not base or "full" not in base or "full" not in c:
            continue
        b, r = base["full"], c["full"]
        cells = [f"{r['stages'][s] / b['stages'][s]:.1f}" if b["stages"][s] > 0 else "–" for s in STAGES]
        rows.append(f"| {c['scale']:g} | {c['warehouse']} | {r['rows_taken_in'] / max(b['rows_taken_in'], 1):.1f} | "
                    + " | ".join(cells) + f" | **{r['end_to_end_s'] / b['end_to_end_s']:.1f}** | "
                    f"{r['peak_rss_mib'] / b['peak_rss_mib']:.1f} |")
    if not rows:
        return []
    return ["", "## Growth (full run at scale s / full run at scale 1)", "",
            "| scale | warehouse | rows | " + " | ".join(STAGE_LABELS[s] for s in STAGES) + " | end to end | peak RSS |",
            "| ---: | --- | ---: | " + " | ".join("---:" for _ in STAGES) + " | ---: | ---: |", *rows]


def _noop_section(results: dict) -> list[str]:
    rows = [c for c in _cases(results) if c.get("noop")]
    if not rows:
        return []
    out = ["", "## A run with nothing new (`pressdx run` right after the incremental run)", "",
           "Every file is pulled again and found taken in; the build is skipped when nothing it reads changed "
           "(`pressdx.warehouse.build_inputs`). Wall time of the whole process, start-up included.", "",
           "| scale | warehouse | files pulled | built? | start-up | run | **process wall** |",
           "| ---: | --- | ---: | --- | ---: | ---: | ---: |"]
    for c in rows:
        n = c["noop"]
        out.append(f"| {c['scale']:g} | {c['warehouse']} | {n['counts']['pulled']} | "
                   f"{'**built**' if n['built'] else 'no'} | {_fmt_s(n['startup_s'])} | {_fmt_s(n['total_s'])} | "
                   f"**{_fmt_s(n['process_wall_s'])}** |")
    return out


def _revision_section(results: dict) -> list[str]:
    rows = [c for c in _cases(results) if c.get("revisions")]
    if not rows:
        return []
    out = ["", "## A run that takes in one corrected file (`pressdx run` after the no-op run)", "",
           "One unit resends one file of the last period (its largest CSV or JSON file of that dataset, its last row "
           "left out); the build rebuilds only the models that dataset can change, with their data tests, and "
           "reads the others where they are published (`pressdx.warehouse.scope`, docs/knowledge-time.md). Wall "
           "time of the whole process; *one new quarter* is the incremental run of the same case (every model).", "",
           "| scale | warehouse | dataset | rows | models rebuilt | start-up | run | **process wall** | one new quarter |",
           "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c in rows:
        inc = (c.get("incremental") or {}).get("end_to_end_s")
        for r in c["revisions"]:
            sc = r.get("scope") or {}
            models = f"{sc['models']} of {sc['of_models']}" if sc else "**all**"
            out.append(f"| {c['scale']:g} | {c['warehouse']} | {r['dataset']} | {r['rows']:,} | {models} | "
                       f"{_fmt_s(r['startup_s'])} | {_fmt_s(r['total_s'])} | **{_fmt_s(r['process_wall_s'])}** | "
                       f"{_fmt_s(inc)} |")
    return out

def _asof_section(results: dict) -> list[str]:
    rows = [c for c in _cases(results) if c.get("asof")]
    if not rows:
        return []
    out = ["", "## A question as of an earlier instant (`pressdx kpi --year Y [--as-of T]`)", "",
           "Whole CLI processes, start-up included, median of 3; T: three instants between arrivals, never asked "
           "before. `--as-of` reads the history marts and writes nothing (tables before → after).", "",
           "| scale | warehouse | kpi | kpi --as-of | ratio | tables before → after |",
           "| ---: | --- | ---: | ---: | ---: | --- |"]
    for c in rows:
        a = c["asof"]
        out.append(f"| {c['scale']:g} | {c['warehouse']} | {_fmt_s(a['current_s'])} | **{_fmt_s(a['as_of_s'])}** | "
                   f"{a['ratio']:.2f}× | {a['tables_before']} → {a['tables_after']} |")
    return out


def _columnar_section(results: dict) -> list[str]:
    rows = [c for c in _cases(results) if c.get("columnar")]
    if not rows:
        return []
    out = ["", "## Intake of the largest CSV, row by row and columnar (`python -m bench.columnar`)", "",
           "Parse, normalise and referential checks of one file in one process, both paths alternately, best of "
           "3; the two paths' rows and findings are checked equal. Files of 256 KiB or more take the columnar "
           "path in `pressdx run`.", "",
           "| scale | file | MiB | rows | row by row | columnar | ratio | parse | normalise | referential |",
           "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for c in rows:
        a = c["columnar"]
        r, k = a["rows_s"], a["columns_s"]
        steps = [f"{r[s]:.2f} → {k[s]:.2f}" for s in ("parse", "normalise", "referential")]
        out.append(f"| {c['scale']:g} | {Path(a['file']).name} | {a['mib']:.1f} | {a['rows']:,} | {_fmt_s(r['total'])} | "
                   f"**{_fmt_s(k['total'])}** | {a['ratio']:.1f}× | " + " | ".join(steps) + " |")
    return out


def _targets_section(results: dict) -> list[str]:
    out = ["", "## Targets (2-core machine)", "", "| target | measured | verdict | held back by |",
           "| --- | ---: | --- | --- |"]
    for t in results.get("targets", []):
        measured = "not measured" if t["measured"] is None else f"{t['measured']:g} {t['unit']}"
        verdict = {None: "–", True: "met", False: "**missed**"}[t["met"]]
        held = STAGE_LABELS.get(t.get("held_back_by") or "", t.get("held_back_by") or "")
        out.append(f"| {t['target']} | {measured} | {verdict} | {held} |")
    missed = [t for t in results.get("targets", []) if t["met"] is False]
    if missed:
        out += ["", "What would fix the missed targets (for time: the two stages that hold it back most):", ""]
        for t in missed:
            out.append(f"- **{t['target']}** ({t['measured']:g} {t['unit']}):")
            for st in t.get("stages") or []:
                secs = f" {_fmt_s(st['seconds'])} s" if st.get("seconds") is not None else ""
                out.append(f"  - {STAGE_LABELS.get(st['stage'], st['stage'])}{secs} — {st['fix']}")
    return out


def _dbt_section(results: dict) -> list[str]:
    out = []
    for c in _cases(results):
        for phase in ("full", "incremental"):
            d = c.get(phase, {}).get("dbt")
            if not d:
                continue
            types = ", ".join(f"{k} {x['nodes']} ({x['seconds']:.1f} s)" for k, x in d["by_type"].items())
            slow = ", ".join(f"`{x['node'].split('.')[-1]}` {x['seconds']:.1f}" for x in d["slowest"][:6])
            startup = f"start-up (import, parse, graph) {d['startup_s']:.1f} s, " if "startup_s" in d else ""
            out.append(f"| {c['scale']:g} | {c['warehouse']} | {phase} | {startup}{d['nodes']} nodes: {types} | {slow} |")
    if not out:
        return []
    return ["", "## dbt build: where its time goes", "",
            "Node seconds are summed over dbt's 2 threads (they overlap).", "",
            "| scale | warehouse | run | nodes | slowest nodes (s) |", "| ---: | --- | --- | --- | --- |", *out]


def _detail_section(results: dict) -> list[str]:
    rows = []
    for c in _cases(results):
        for phase in ("full", "incremental"):
            r = c.get(phase)
            if not r:
                continue
            d = dict(r.get("detail") or {})
            for stage, mib in (r.get("stage_peak_rss_mib") or {}).items():
                d[f"peak RSS in {stage} (MiB)"] = mib
            if "startup_s" in r.get("dbt", {}):
                d["dbt_build: import, parse, graph before the first node"] = r["dbt"]["startup_s"]
            for k, x in (r.get("dbt_what_if") or {}).items():
                d[f"what if: {k}"] = x
            if d:
                rows.append(f"| {c['scale']:g} | {c['warehouse']} | {phase} | "
                            + "; ".join(f"{k} {_fmt_s(x)}" for k, x in d.items()) + " |")
    if not rows:
        return []
    return ["", "## Inside the stages (seconds, already counted above)", "",
            "Imports paid by the first use of GX and dbt, parse time by file kind, dbt's start-up, peak RSS "
            "per stage; with "
            "`--what-if`, other dbt invocations on the same warehouse after the run (each parses the project "
            "again), i.e. what a change to `pressdx/warehouse/dbt.py` would save.", "",
            "| scale | warehouse | run | breakdown |", "| ---: | --- | --- | --- |", *rows]

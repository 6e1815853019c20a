"""``pressdx trace``: the auditor's path from a figure to its members, its submission versions and their bytes.

The lineage is read by ``pressdx.figures.trace`` (marts only); this module picks the output format and
turns problems into exit 1 with one line each (docs/lineage.md).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.cli.options import OutputFormat

app = typer.Typer()

MEMBER_TABLE = ["member_code", "is_known", "in_numerator", "numerator_value", "denominator_value", "explanation"]
INPUT_TABLE = ["submission_id", "input_role", "unit_code", "dataset", "period", "status", "received_at", "sha256",
               "source_path", "member_count"]
SUPERSEDED_TABLE = ["submission_id", "unit_code", "dataset", "period", "version_number", "received_at",
                    "superseded_by", "sha256"]
FIGURES_TABLE = ["indicator_code", "period", "input_role", "member_count", "numerator", "denominator", "value_pct",
                 "stage"]


@app.command("trace")
def trace_command(
    indicator: Annotated[str | None, typer.Option("--indicator", metavar="CODE",
                                                  help="The indicator, e.g. I1 or I8R.")] = None,
    year: Annotated[int | None, typer.Option("--year", metavar="YEAR",
                                             help="Reporting year, e.g. 2024.")] = None,
    period: options.Period = None,
    submission: Annotated[str | None, typer.Option(
        "--submission", metavar="ID", help="Trace forwards: the figures this submission version fed.")] = None,
    agency: Annotated[str | None, typer.Option(
        "--agency", metavar="CODE", help="Only this member's row, with the reason it counts or not.")] = None,
    verify: Annotated[bool, typer.Option(
        "--verify", help="Re-hash every input's bytes in the landing store; exit 1 on a mismatch.")] = False,
    as_of: options.AsOf = None,
    format: options.Format = OutputFormat.table,
    warehouse: options.Warehouse = None,
) -> int:
    """A figure's members, input submissions (with SHA-256 and landing path) and superseded versions.

    Without --period: the annual figure (Y-Q4) and the annual values behind its progress class. With
    --submission ID: which figures that version fed and which version superseded it. Exit 1 with --verify
    when an input's bytes are missing or changed (one line each on standard error).
    """
    from pressdx.figures import trace as lineage
    from pressdx.settings import ConfigError

    url, instant = options.warehouse_url(warehouse), options.instant(as_of)
    if submission:
        res = lineage.trace_submission(url, submission, as_of=instant)
        checked = [res["submission"]]
    else:
        if not indicator or year is None:
            raise ConfigError("trace needs --indicator and --year (or --submission ID)")
        res = lineage.trace(url, indicator, year, options.quarter(period), as_of=instant, agency=agency)
        checked = res["inputs"]
    problems = lineage.verify_inputs(checked) if verify else []
    if verify:
        res["verify"] = {"checked": len({v["sha256"] for v in checked if v.get("sha256")}), "problems": problems}
    _print(res, format, bool(submission))
    for p in problems:
        print(f"pressdx trace: {p}", file=sys.stderr)
    return 1 if problems else 0


def _print(res: dict, format: OutputFormat, forward: bool) -> None:
    from pressdx.publishing import formats as output

    if format is OutputFormat.json:
        print(output.to_json(res))
        return
    if forward:
        if format is OutputFormat.csv:
            print(output.to_csv(res["figures"], FIGURES_TABLE), end="")
            return
        s = res["submission"]
        print(output.to_table([s], SUPERSEDED_TABLE + ["landing_path"], f"Submission as of {res['as_of']}"))
        print()
        print(output.to_table(res["figures"], FIGURES_TABLE, "Figures it fed"))
        print()
        print(output.to_table(res["versions"], SUPERSEDED_TABLE + ["is_current"], "Versions of its unit, dataset and period"))
        return
    if format is OutputFormat.csv:
        rows = [{"indicator_code": res["indicator"]["code"], "period": res["figure"]["period"], "as_of": res["as_of"],
                 **m} for m in res["members"]]
        cols = ["indicator_code", "period", "as_of", *(res["members"][0].keys() if res["members"] else [])]
        print(output.to_csv(rows, cols), end="")
        return
    f, b = res["figure"], res["build"]
    print(output.to_table([f], [k for k, v in f.items() if v is not None],
                          f"{res['indicator']['code']} {f['period']} as of {res['as_of']} (build {b['build_id']})"))
    if res["annual"]:
        print()
        print(output.to_table(res["annual"]["progress"], ["target_year", "target_pct", "base_year", "latest_year",
                                                         "cagr", "progress_class"], "Progress classes"))
        print(output.to_table(res["annual"]["annual_values"], ["year", "value_pct", "in_cagr"], "Annual values"))
    print()
    print(output.to_table(res["inputs"], INPUT_TABLE, "Input submissions"))
    print()
    print(output.to_table(res["superseded"], SUPERSEDED_TABLE, "Superseded versions not used"))
    print()
    if res["agency"]:
        a = res["agency"]
        print(f"{a['code']}: {a['explanation']}")
    else:
        print(output.to_table(res["members"], MEMBER_TABLE, f"Members ({len(res['members'])})"))
    if res.get("verify"):
        v = res["verify"]
        print(f"\nverify: {v['checked']} input file(s) re-hashed, {len(v['problems'])} problem(s)")

"""Checks that need more than the file: references to registers and units, authorisation, the GX
suites over a batch, and the last word on which findings a clerk is shown (``conclude``).
"""

from __future__ import annotations

from operator import itemgetter

from ingest.submission import FIRST_REVENUE_MONTH, Submission
from pressdx.domain import calendar
from pressdx.domain.datasets import DATASETS, META_FIELDS, OPTIONAL_META_FIELDS
from pressdx.domain.findings import Finding, error
from pressdx.domain.reference import Reference


def referential(sub: Submission, ref: Reference, agencies: set[str] | None) -> None:
    """Codes that must exist and rows the unit may report, on every row (``agencies``: the agency codes of
    the registers accepted before; ``None`` leaves agency codes unchecked). A check that needs a valid
    period or a registered unit is skipped when the metadata already failed on it.

    Agency codes and months, the checks a large file pays for, are judged once per distinct value and the
    findings put back in row order (agency before month on one row), as one pass over the rows would."""
    ds, unit = sub.meta["dataset"], sub.meta["unit_code"]
    try:
        last_month = calendar.period(sub.meta["period"] or "").months()[-1]
    except KeyError:
        last_month = None
    if unit not in ref.units:
        unit = None
    rows = sub.rows
    found: list[tuple[int, int, Finding]] = []
    if agencies is not None and ds != "agency_register" and rows and "agency_code" in rows[0]:
        codes = [r["agency_code"] for r in rows]
        unknown = {c for c in set(codes) if c and c not in agencies}
        if unknown:
            found += [(i, 0, error("agency_unknown", row=rows[i]["_line"], column="agency_code", value=c))
                      for i, c in enumerate(codes) if c in unknown]
    if ds == "agency_revenue" and last_month:
        months = [r["month"] for r in rows]
        outside = {m for m in set(months) if m and not FIRST_REVENUE_MONTH <= m <= last_month}
        if outside:
            detail = (f"từ 2022-12 đến {last_month:%Y-%m}", f"from 2022-12 to {last_month:%Y-%m}")
            found += [(i, 1, error("month_in_range", row=rows[i]["_line"], column="month",
                                   value=m.strftime("%Y-%m"), detail=detail))
                      for i, m in enumerate(months) if m in outside]
    found.sort(key=lambda t: (t[0], t[1]))
    sub.findings += [f for _, _, f in found]
    for r in rows if ds in ("platform_stage", "task_progress") else ():
        n = r["_line"]
        if ds == "platform_stage" and unit and r["platform_code"] \
                and ref.platform_units.get(r["platform_code"]) not in (None, unit):
            sub.findings.append(error("platform_not_assigned", row=n, column="platform_code",
                                      value=r["platform_code"], detail=unit))
        if ds == "task_progress" and r["task_code"]:
            task = ref.tasks.get(r["task_code"])
            if task is None:
                sub.findings.append(error("task_unknown", row=n, column="task_code", value=r["task_code"]))
            elif unit is None:
                continue
            elif unit not in task.lead_units:
                sub.findings.append(error("task_not_lead", row=n, column="task_code", value=r["task_code"], detail=unit))
            elif task.due_kind == "annual" and r["year"] not in task.years:
                sub.findings.append(error("task_year_required", row=n, column="year", value=r["task_code"],
                                          detail=f"{task.years[0]}–{task.years[-1]}"))


def gx_check(subs: list[Submission]) -> None:
    """Run each dataset's Great Expectations suite once over all of its pending submissions (pandas and GX
    are imported only when there is one: a run that finds nothing new never pays for them)."""
    if not subs:
        return
    import pandas as pd

    from ingest.validation import validate

    by_ds: dict[str, list[Submission]] = {}
    for s in subs:
        by_ds.setdefault(s.meta["dataset"], []).append(s)
    for ds, group in by_ds.items():
        rows = [r for s in group for r in s.rows]
        # column by column: about twice as fast as DataFrame.from_records over the row dicts, same dtypes
        # (``map(itemgetter)``: each column pulled out in C; GX itself then works column-wise on the frame)
        frame = pd.DataFrame({"_submission": [i for i, s in enumerate(group) for _ in s.rows],
                              "_row": list(map(itemgetter("_line"), rows)),  # the row as the clerk sees it
                              **{c: list(map(itemgetter(c), rows)) for c in DATASETS[ds].column_names}})
        for key, findings in validate(ds, frame).items():
            group[int(key)].findings.extend(findings)


CELL_RULES = ("type", "formula_without_value", "range")  # a cell that could not be read: nothing more said of it


def conclude(sub: Submission, order: bool = True) -> None:
    """Once every check has run: one finding per problem, each naming where the clerk finds it, in file order.

    A cell that could not be read (wrong type, formula without its value) is not reported again (as empty,
    as an annual task's missing year…); a missing column is not also reported as empty on every row; a
    finding made twice (by intake and by GX) is kept once. Metadata and header findings come first, then rows in file order (``order=False`` keeps
    the order they were made in: the history warnings follow the file's own findings). Idempotent.
    """
    bad_cells = {(f.row, f.column) for f in sub.findings
                 if f.rule in CELL_RULES and f.column is not None}
    missing = {f.column for f in sub.findings if f.rule == "column_missing"}
    status_told = any(f.rule in ("status_column_twice", "submission_status_column") for f in sub.findings)
    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in sub.findings:
        key = (f.severity, f.rule, f.row, f.column, f.value)
        follow_on = f.rule not in CELL_RULES and (f.row, f.column) in bad_cells \
            or f.rule == "required" and f.column in missing \
            or f.rule == "meta_missing" and f.column == "status" and status_told
        if key in seen or follow_on:
            continue
        seen.add(key)
        out.append(sub.layout.locate(f) if sub.layout else f)
    if not order:
        sub.findings = out
        return
    ds = DATASETS.get(sub.meta.get("dataset") or "")
    names = (*META_FIELDS, *OPTIONAL_META_FIELDS, *(ds.column_names if ds else ()))  # meta!B2 before meta!B5
    sub.findings = sorted(out, key=lambda f: (f.row is not None, f.row or 0,
                                              names.index(f.column) if f.column in names else len(names)))


# -- loading ---------------------------------------------------------------------------------------------

"""The reporting sections of the report: compliance, rejections, tasks, annual reports, commentary, provenance,
and the appendix of how the period's figures changed (``fct_indicator_period_history``).

Each reads its marts (``fct_submission_timeliness``, the year-to-date reporting rates,
``fct_task_progress``, ``fct_submission_version``, ``fct_report_provenance``) and shapes them; the rates, the
current versions and the counts behind them are computed in dbt. Rejected files come from
``audit.intake_events`` (received at or before T) and the annual-report texts from ``raw.annual_implementation``
by the submission ids of the current versions.
"""

from __future__ import annotations

from datetime import datetime

from pressdx.domain import calendar
from pressdx.figures.marts import Marts, aware, number

# ------------------------------------------------------------------------------------------------------
# reporting compliance


RATE_COLUMNS = ("expected", "due", "on_time", "late", "missing", "not_due", "provisional", "completeness_pct",
                "timeliness_pct")


def compliance(q: Marts, year: int, half: bool) -> dict | None:
    """Every expected submission of the year (or its first half) with its state, the grid of the states per
    unit and column, and the rates per unit and overall (``fct_unit_reporting_rate_year_to_date``,
    ``fct_reporting_rate_year_to_date``, through Q2 for the six-month review)."""
    marts = ("fct_submission_timeliness", "fct_unit_reporting_rate_year_to_date", "fct_reporting_rate_year_to_date")
    if not all([q.has(m) for m in marts]):  # a list: every missing mart is recorded
        return None
    rows = q.rows("select unit_code, dataset, period_code, quarter, due_at, state, provisional, first_received_at, "
                  "current_received_at, version_count, days_late from {m}.fct_submission_timeliness where year = ? "
                  + ("and quarter <= 2 " if half else "") + "order by unit_code, period_code, dataset", (year,))
    expected = []
    grid: dict[str, dict[str, dict]] = {}
    for r in rows:
        expected.append({"unit": r["unit_code"], "dataset": r["dataset"], "period": r["period_code"],
                         "due_at": aware(r["due_at"]), "state": r["state"], "provisional": bool(r["provisional"]),
                         "first_received_at": aware(r["first_received_at"]),
                         "current_received_at": aware(r["current_received_at"]),
                         "versions": r["version_count"], "days_late": r["days_late"]})
        col = "annual" if r["dataset"] == "annual_implementation" else r["period_code"]
        cell = grid.setdefault(r["unit_code"], {}).setdefault(col, _counts())
        cell[r["state"]] += 1
        cell["expected"] += 1
        cell["provisional"] += bool(r["provisional"])
    through = 2 if half else 4
    cols = ", ".join(RATE_COLUMNS)
    units = {r["unit_code"]: {c: number(r[c]) for c in RATE_COLUMNS} for r in q.rows(
        f"select unit_code, {cols} from {{m}}.fct_unit_reporting_rate_year_to_date "
        "where year = ? and through_quarter = ? order by unit_code", (year, through))}
    (overall,) = q.rows(f"select {cols} from {{m}}.fct_reporting_rate_year_to_date "
                        "where year = ? and through_quarter = ?", (year, through))
    return {"expected": expected, "grid": grid, "units": units, "overall": {c: number(overall[c]) for c in RATE_COLUMNS},
            "columns": [f"{year}-Q{n}" for n in range(1, 3 if half else 5)] + ([] if half else ["annual"])}


def _counts() -> dict:
    """A cell of the compliance grid: the expected submissions listed in it, by state."""
    return {"expected": 0, "on_time": 0, "late": 0, "missing": 0, "not_due": 0, "provisional": 0}


def rejections(q: Marts, year: int, half: bool, t: datetime) -> list[dict]:
    """Rejected files received by T whose period is in the report's year (a file whose period could not be
    read counts in the period containing the day it was received)."""
    events = q.wh.query_dicts(
        "select event_id, received_at, source_unit, unit_code, dataset, period, path, sha256, error_count "
        "from audit.intake_events where outcome = 'rejected' and received_at <= ? order by received_at, sha256",
        (t,))
    hi = 2 if half else 4
    keep, seen = [], set()
    for e in events:
        e["received_at"] = aware(e["received_at"])
        try:
            p = calendar.period(e["period"] or "")
        except KeyError:
            p = calendar.period_containing(e["received_at"])
        if p.year != year or p.quarter > hi or (e["source_unit"], e["sha256"]) in seen:
            continue
        seen.add((e["source_unit"], e["sha256"]))
        e["attributed_period"] = p.code
        keep.append(e)
    first: dict[str, dict] = {}
    if keep:
        ids = [e["event_id"] for e in keep]
        marks = ", ".join("?" for _ in ids)
        for m in q.wh.query_dicts(
                f"select event_id, seq, rule, row_number, column_name, value, message_vi, message_en "
                f"from audit.intake_messages where severity = 'error' and event_id in ({marks}) "
                "order by event_id, seq", ids):
            first.setdefault(m["event_id"], m)
    out = []
    for e in keep:
        m = first.get(e["event_id"], {})
        out.append({"received_at": e["received_at"], "unit": e["source_unit"] or e["unit_code"],
                    "declared_unit": e["unit_code"], "dataset": e["dataset"], "period": e["period"],
                    "attributed_period": e["attributed_period"], "path": e["path"], "sha256": e["sha256"],
                    "errors": e["error_count"], "rule": m.get("rule"), "row": m.get("row_number"),
                    "column": m.get("column_name"), "message_vi": m.get("message_vi"),
                    "message_en": m.get("message_en")})
    return out


# ------------------------------------------------------------------------------------------------------
# tasks


def tasks(q: Marts, year: int, names: dict) -> dict | None:
    if not (q.has("fct_task_progress") and q.has("dim_task")):
        return None
    rows = q.rows(
        "select p.task_code, p.instance_year, p.due_kind, p.due_date, p.status, p.progress_pct, p.output_count, "
        "p.output_min, p.output_met, p.overdue, p.reported_by_unit, p.source_submission_id, "
        "d.section, d.task_order, d.title_vi, d.title_en, d.lead_units, d.output_target, d.deliverable_vi, "
        "d.due_text_vi "
        "from {m}.fct_task_progress p join {m}.dim_task d on d.task_code = p.task_code "
        "where p.instance_year = ? or (p.instance_year is null and p.due_kind <> 'annual') "
        "order by d.task_order, p.instance_year", (year,))
    tasks, sections = [], {}
    names["tasks"] = {}
    for r in rows:
        names["tasks"][r["task_code"]] = {"title_vi": r["title_vi"], "title_en": r["title_en"],
                                          "output_target": r["output_target"], "deliverable_vi": r["deliverable_vi"],
                                          "due_text_vi": r["due_text_vi"],
                                          "lead_units": r["lead_units"]}
        tasks.append({"task": r["task_code"], "section": r["section"], "year": r["instance_year"],
                      "due_kind": r["due_kind"], "due_date": r["due_date"], "status": r["status"],
                      "progress_pct": number(r["progress_pct"]), "overdue": bool(r["overdue"]),
                      "output_count": r["output_count"], "output_min": r["output_min"],
                      "output_met": r["output_met"], "reported_by": r["reported_by_unit"],
                      "submission_id": r["source_submission_id"]})
        s = sections.setdefault(r["section"], {"tasks": 0, "completed": 0, "in_progress": 0, "not_started": 0,
                                               "not_reported": 0, "overdue": 0, "output_targets": 0,
                                               "output_met": 0})
        s["tasks"] += 1
        s[r["status"]] = s.get(r["status"], 0) + 1
        s["overdue"] += bool(r["overdue"])
        if r["output_min"] is not None:
            s["output_targets"] += 1
            s["output_met"] += bool(r["output_met"])
    total = {k: sum(s[k] for s in sections.values()) for k in
             ("tasks", "completed", "in_progress", "not_started", "not_reported", "overdue", "output_targets",
              "output_met")}
    return {"tasks": tasks, "sections": sections, "total": total}


# ------------------------------------------------------------------------------------------------------
# annual implementation reports, commentary, provenance


def annual_reports(q: Marts, year: int, texts_out: dict) -> dict:
    """The annual implementation reports of ``year``: each expected or received one with its state and its
    current version; their texts go to ``texts_out["annual"]`` (not hashed: the ids pin them)."""
    code = f"{year}-Q4"
    current = {s["unit_code"]: s for s in q.versions(
        "is_current and dataset = 'annual_implementation' and period_code = ?", (code,))}
    states = {}
    if q.has("fct_submission_timeliness"):
        for r in q.rows("select unit_code, state, first_received_at, due_at, provisional "
                        "from {m}.fct_submission_timeliness where dataset = 'annual_implementation' "
                        "and period_code = ?", (code,)):
            states[r["unit_code"]] = r
    units = sorted(set(current) | set(states))
    texts = {}
    if current:
        ids = [s["submission_id"] for s in current.values()]
        marks = ", ".join("?" for _ in ids)
        for r in q.wh.query_dicts(
                f"select submission_id, row_number, section, summary, difficulties, proposals "
                f"from raw.annual_implementation where submission_id in ({marks}) order by submission_id, row_number",
                ids):
            texts.setdefault(r["submission_id"], []).append(
                {"section": r["section"], "summary": r["summary"], "difficulties": r["difficulties"],
                 "proposals": r["proposals"]})
    texts_out["annual"] = texts
    out = []
    for u in units:
        s, st = current.get(u), states.get(u, {})
        out.append({"unit": u, "submission_id": s["submission_id"] if s else None,
                    "status": s["status"] if s else None,
                    "received_at": s["received_at"] if s else None,
                    "first_received_at": aware(st.get("first_received_at")),
                    "state": st.get("state"), "sections": len(texts.get(s["submission_id"], [])) if s else 0})
    received = sum(1 for r in out if r["submission_id"])
    return {"reports": out, "expected": len(states) if states else None, "received": received}


def commentary(q: Marts, year: int, texts_out: dict) -> list[dict]:
    """The current versions of the Y-Q2 submissions (six-month review) and whether they carry commentary;
    the texts go to ``texts_out["commentary"]``."""
    code = f"{year}-Q2"
    rows = q.versions("is_current and period_code = ? and dataset <> 'annual_implementation'", (code,))
    rows.sort(key=lambda s: (s["unit_code"], s["dataset"]))
    texts_out["commentary"] = {s["submission_id"]: s["commentary"] for s in rows}
    return [{"unit": s["unit_code"], "dataset": s["dataset"], "submission_id": s["submission_id"],
             "status": s["status"], "has_commentary": bool(s["commentary"])} for s in rows]


def provenance(q: Marts, code: str, p_index: int) -> dict:
    """The submissions the report's figures use (``fct_report_provenance``: current versions of the periods
    up to the report's, by status, and the superseded ones), with their ids."""
    by_ds: dict[str, dict] = {}
    totals = {"submissions_used": 0, "official": 0, "provisional": 0, "superseded": 0}
    if q.has("fct_report_provenance"):
        for r in q.rows("select dataset, submissions_used, official, provisional, superseded "
                        "from {m}.fct_report_provenance where period_code = ?", (code,)):
            by_ds[r["dataset"]] = {"official": r["official"], "provisional": r["provisional"]}
            for k in totals:
                totals[k] += r[k]
    ids = [s["submission_id"] for s in q.versions("is_current and period_index <= ?", (p_index,))]
    return {**totals, "by_dataset": dict(sorted(by_ds.items())), "submission_ids": sorted(ids)}


def figure_history(q: Marts, code: str) -> list[dict] | None:
    """Every version of the figures of the report's period known at T (``fct_indicator_period_history``),
    by indicator, oldest first, each with the submission whose arrival made it (what ``pressdx kpi
    --history`` lists); a version still current at T has no end. None when the mart is missing."""
    if not q.has("fct_indicator_period_history"):
        return None
    rows = q.rows(
        "select h.indicator_code, h.known_from, h.known_to, h.numerator, h.denominator, h.value_pct, h.stage, "
        "h.status, h.changed_by_submission_id, v.unit_code, v.dataset, v.version_number, v.submission_status "
        "from {m}.fct_indicator_period_history h "
        "left join {m}.fct_submission_version v on v.submission_id = h.changed_by_submission_id "
        "where h.period_code = ? and (h.known_from is null or h.known_from <= ?)", (code, q.as_of))
    out = []
    for r in rows:
        known_to = aware(r["known_to"])
        out.append({"indicator_code": r["indicator_code"], "known_from": aware(r["known_from"]),
                    "known_to": known_to if known_to is not None and known_to <= q.as_of else None,
                    "numerator": r["numerator"], "denominator": r["denominator"], "value_pct": number(r["value_pct"]),
                    "stage": r["stage"], "status": r["status"], "changed_by": None if r["changed_by_submission_id"]
                    is None else {"submission_id": r["changed_by_submission_id"], "unit": r["unit_code"],
                                  "dataset": r["dataset"], "version": r["version_number"],
                                  "status": r["submission_status"]}})
    start = datetime.min.replace(tzinfo=calendar.VN_TZ)
    out.sort(key=lambda v: (v["indicator_code"], v["known_from"] or start))
    return out

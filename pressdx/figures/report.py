"""Queries → the report's figures: one dict of every number the report shows, and its SHA-256.

Everything comes from the warehouse as known at one instant T (``pressdx.warehouse.asof.marts_for``): the marts of
the last build (T = its ``as_of``) or of an as-of build for ``--as-of T``. What the marts do not hold is read
from ``raw`` and ``audit`` with the same knowledge-time rule (only what was received at or before T; of
several versions of one unit, dataset and period the one received last is current), so every section is
reproducible from T alone.

``Report.figures`` is canonical: numbers rounded to ``DECIMALS`` places, instants in Vietnam time, lists in
a fixed order, no names or texts (texts are pinned by the submission ids that carry them). Its canonical
JSON (sorted keys, compact, UTF-8) is written as ``figures.json``; the report's hash is that file's SHA-256.
Build metadata (build id, build time) and the language are *not* part of it: a later as-of build of the
same instant has another build id but the same figures.

A mart that does not exist (yet) makes its section ``None`` and lands in ``Report.missing_marts``.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from pressdx.domain import calendar
from pressdx.domain.reference import reference
from pressdx.settings import ConfigError
from pressdx.warehouse.asof import marts_for
from pressdx.warehouse.connection import Warehouse, WarehouseURL

SCHEMA_VERSION = "pressdx.report/1"
DECIMALS = 4
STOCK_LOOKBACK = 4  # kpi-rules.md: P and the three periods before it
STAGE_RANK = {"research_proposal": 1, "formed": 2, "developing": 3, "completed": 4}
PLATFORM_OF = {"I8R": "radio", "I8T": "television", "I8E": "epress"}
# datasets an indicator's figure is computed from (for its provisional share)
DEPENDS = {
    "I1": ("agency_register", "agency_dx_status"),
    "I2": ("agency_register", "agency_dx_status"),
    "I3": ("agency_register", "agency_dx_status"),
    "I4": ("agency_register", "agency_dx_status", "agency_revenue_baseline", "agency_revenue"),
    "I5": ("university_curriculum",),
    "I6": ("agency_register", "agency_dx_status"),
    "I7": ("agency_register", "agency_security"),
    "I8R": ("platform_stage",),
    "I8T": ("platform_stage",),
    "I8E": ("platform_stage",),
}
# histogram of I4 revenue growth: 5-point bins from −30 % to +60 %, with an open bin at each end; the
# thresholds of the decision (5, 10, 20 %) are bin edges, so a bar is either all above or all below
GROWTH_EDGES = tuple(range(-30, 65, 5))


# ------------------------------------------------------------------------------------------------------
# canonical form and hash


def canonical(o):
    """The canonical form of a value: floats rounded, instants as Vietnam-time ISO strings."""
    if isinstance(o, bool) or o is None or isinstance(o, int | str):
        return o
    if isinstance(o, Decimal):
        o = float(o)
    if isinstance(o, float):
        if math.isnan(o) or math.isinf(o):
            return None
        r = round(o, DECIMALS)
        return 0.0 if r == 0 else r
    if isinstance(o, datetime):
        return o.astimezone(calendar.VN_TZ).isoformat()
    if isinstance(o, date):
        return o.isoformat()
    if isinstance(o, dict):
        return {str(k): canonical(v) for k, v in o.items()}
    if isinstance(o, list | tuple):
        return [canonical(v) for v in o]
    raise TypeError(f"not a figure: {type(o).__name__}")


def canonical_json(figures: dict) -> bytes:
    return json.dumps(canonical(figures), sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def figures_sha256(figures: dict) -> str:
    return hashlib.sha256(canonical_json(figures)).hexdigest()


# ------------------------------------------------------------------------------------------------------


@dataclass
class Report:
    kind: str  # annual | half
    year: int
    period: str  # the report's period: Y-Q4 (annual) or Y-Q2 (half)
    as_of: datetime
    figures: dict
    names: dict = field(default_factory=dict)  # display names: indicators, units, tasks (not hashed)
    texts: dict = field(default_factory=dict)  # annual reports and commentary, by submission id (not hashed)
    build: dict = field(default_factory=dict)  # build id, built_at, through, schema (not hashed)
    missing_marts: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return figures_sha256(self.figures)


def _f(v):
    if v is None:
        return None
    if isinstance(v, Decimal):
        return float(v)
    return v


def _aware(t: datetime | None) -> datetime | None:
    if t is None:
        return None
    if t.tzinfo is None:  # a naive instant from the database is UTC (the session time zone)
        t = t.replace(tzinfo=UTC)
    return t


class _Q:
    """Queries against one marts schema, with knowledge instant T."""

    def __init__(self, wh: Warehouse, schema: str, as_of: datetime):
        self.wh, self.schema, self.as_of = wh, schema, as_of
        self.missing: list[str] = []

    def has(self, mart: str) -> bool:
        if self.wh.table_exists(self.schema, mart):
            return True
        if mart not in self.missing:
            self.missing.append(mart)
        return False

    def columns(self, mart: str) -> set[str]:
        return {r[0] for r in self.wh.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            (self.schema, mart))}

    def rows(self, sql: str, params=()) -> list[dict]:
        return self.wh.query_dicts(sql.replace("{m}", self.schema), params)


# ------------------------------------------------------------------------------------------------------


def collect(url: WarehouseURL, year: int, as_of: datetime | None = None, half: bool = False) -> Report:
    """Read every figure of the report for ``year`` (or its first half) as known at ``as_of``."""
    code = f"{year}-Q{2 if half else 4}"
    try:
        calendar.period(code)
        calendar.period(f"{year}-Q1")
    except KeyError:
        raise ConfigError(f"{year} is not a year of the reporting calendar (2023 … 2030)") from None
    with marts_for(url, as_of) as (wh, schema):
        build = wh.query_dicts(f"select * from {schema}.dim_build")[0]
        t = _aware(as_of or build["as_of"])
        q = _Q(wh, schema, t)
        periods = _periods(q, year, code)
        if not periods:
            first = calendar.period(f"{year}-Q1").coverage_start
            raise ConfigError(f"nothing to report for {year} as of {t.astimezone(calendar.VN_TZ).isoformat()}: "
                              f"its first period starts on {first.isoformat()}")
        subs = _submissions(q)
        rep = Report("half" if half else "annual", year, code, t, {})
        rep.build = {"build_id": build["build_id"], "built_at": _aware(build.get("built_at")),
                     "through_period": build.get("through_period"), "schema": schema,
                     "warehouse": url.display}
        by_code = {p["period_code"]: p for p in periods}
        p_index = calendar.period(code).index
        prev = f"{year - 1}-Q4" if year > 2023 else None
        rep.names["units"] = _unit_names(q)
        ind, names = _indicators(q, year, code, prev, periods, subs, half)
        rep.names["indicators"] = names
        fig = {
            "schema": SCHEMA_VERSION,
            "report": rep.kind,
            "year": year,
            "period": code,
            "previous_period": prev,
            "as_of": t,
            "periods": [p["period_code"] for p in periods],
            "indicators": ind,
            "revenue_growth": _revenue_growth(q, code) if code in by_code else None,
            "compliance": _compliance(q, year, half, t),
            "tasks": None if half else _tasks(q, year, rep.names),
            "annual_reports": None if half else _annual_reports(q, year, t, subs, rep),
            "commentary": _commentary(q, year, subs, rep) if half else None,
            "provenance": _provenance(subs, p_index, year, rep),
        }
        fig["rejections"] = _rejections(q, year, half, t)
        rep.figures = fig
        rep.missing_marts = q.missing
    return rep


# ------------------------------------------------------------------------------------------------------
# calendar and submissions


def _periods(q: _Q, year: int, code: str) -> list[dict]:
    """The periods the report shows: 2023-Q1 .. the report's period, those started by T (Vietnam date)."""
    t_date = q.as_of.astimezone(calendar.VN_TZ).date()
    hi = calendar.period(code).index
    rows = q.rows("select period_code, year, quarter, period_index, coverage_start, coverage_end, due_at "
                  "from {m}.dim_reporting_period where period_index <= ? order by period_index", (hi,))
    return [r for r in rows if r["coverage_start"] <= t_date]


def _submissions(q: _Q) -> list[dict]:
    """Every accepted submission version received by T, with ``is_current`` (received last per unit,
    dataset, period; ties by submission id, as int_submissions__visible)."""
    rows = q.wh.query_dicts(
        "select submission_id, unit_code, dataset, period, status, commentary, received_at "
        "from raw.submissions where received_at <= ?", (q.as_of,))
    index = {p.code: p.index for p in calendar.periods()}
    latest: dict[tuple, dict] = {}
    for r in rows:
        r["received_at"] = _aware(r["received_at"])
        r["period_index"] = index.get(r["period"])
        key = (r["unit_code"], r["dataset"], r["period"])
        cur = latest.get(key)
        if cur is None or (r["received_at"], r["submission_id"]) > (cur["received_at"], cur["submission_id"]):
            latest[key] = r
    current = {id(v) for v in latest.values()}
    for r in rows:
        r["is_current"] = id(r) in current
    rows.sort(key=lambda r: (r["received_at"], r["submission_id"]))
    return rows


def _unit_names(q: _Q) -> dict[str, dict]:
    if not q.has("dim_reporting_unit"):
        return {}
    cols = q.columns("dim_reporting_unit")
    out = {}
    for r in q.rows("select * from {m}.dim_reporting_unit"):
        out[r["unit_code"]] = {"name_vi": r.get("name_vi"), "name_en": r.get("name_en"),
                               "kind": r.get("unit_kind") if "unit_kind" in cols else None}
    return out


# ------------------------------------------------------------------------------------------------------
# indicators


def _indicators(q: _Q, year: int, code: str, prev: str | None, periods: list[dict], subs: list[dict],
                half: bool) -> tuple[list[dict], dict]:
    inds = q.rows("select * from {m}.dim_indicator order by decision_row, indicator_code")
    names = {i["indicator_code"]: {k: i.get(k) for k in ("name_vi", "name_en", "numerator_en", "denominator_en",
                                                          "responsible_unit", "kind")} for i in inds}
    shown = {p["period_code"] for p in periods}
    hi = calendar.period(code).index
    rows = q.rows("select * from {m}.fct_indicator_period where period_index <= ? "
                  "order by indicator_code, period_index", (hi,))
    by = {(r["indicator_code"], r["period_code"]): r for r in rows}
    progress = {}
    if not half and q.has("fct_indicator_annual"):
        for r in q.rows("select * from {m}.fct_indicator_annual where year = ? order by indicator_code, target_year",
                        (year,)):
            progress.setdefault(r["indicator_code"], {})[str(r["target_year"])] = {
                "class": r.get("progress_class"), "target_pct": _f(r.get("target_pct")),
                "projected_pct": _f(r.get("projected_value_pct")), "cagr": _f(r.get("cagr")),
                "ratio": _f(r.get("progress_ratio")), "base_year": r.get("base_year"),
                "latest_year": r.get("latest_year")}
    current = [s for s in subs if s["is_current"] and s["period_index"] is not None]
    out = []
    for i in inds:
        c = i["indicator_code"]
        kind = i["kind"]
        cur = by.get((c, code)) if code in shown else None
        before = by.get((c, prev)) if prev else None
        item = {"code": c, "kind": kind, **_point(cur, kind)}
        item["previous"] = {"period": prev, **_point(before, kind)} if prev else None
        if kind == "stage":
            item["change_rank"] = (item["stage_rank"] - before["stage_rank"]
                                   if before and item["stage_rank"] is not None and before["stage_rank"] is not None
                                   else None)
        else:
            v, pv = item["value_pct"], (item["previous"] or {}).get("value_pct")
            item["change_pp"] = v - pv if v is not None and pv is not None else None
        if not half and kind != "stage":
            item["progress"] = progress.get(c) if "fct_indicator_annual" not in q.missing else None
        item["provisional_share_pct"] = _provisional_share(c, calendar.period(code), current) \
            if code in shown else None
        item["series"] = [_series_point(by.get((c, p["period_code"])), p, kind) for p in periods]
        out.append(item)
    return out, names


def _point(r: dict | None, kind: str) -> dict:
    if kind == "stage":
        r = r or {}
        return {"stage": r.get("stage"), "stage_rank": r.get("stage_rank"), "target_stage": r.get("target_stage"),
                "status": r.get("status") or "no_data"}
    if r is None:
        return {"value_pct": None, "numerator": None, "denominator": None, "target_pct": None, "status": "no_data",
                "coverage_pct": None, **({"min_revenue_growth_pct": None} if kind == "revenue_growth" else {})}
    out = {"value_pct": _f(r["value_pct"]), "numerator": r["numerator"], "denominator": r["denominator"],
           "target_pct": _f(r["target_pct"]), "status": r["status"], "coverage_pct": _f(r["coverage_pct"])}
    if kind == "revenue_growth":
        out["min_revenue_growth_pct"] = _f(r.get("min_revenue_growth_pct"))
    return out


def _series_point(r: dict | None, p: dict, kind: str) -> dict:
    if kind == "stage":
        r = r or {}
        return {"period": p["period_code"], "stage_rank": r.get("stage_rank"),
                "target_stage_rank": STAGE_RANK.get(r.get("target_stage")), "status": r.get("status") or "no_data"}
    r = r or {}
    return {"period": p["period_code"], "value_pct": _f(r.get("value_pct")), "target_pct": _f(r.get("target_pct")),
            "coverage_pct": _f(r.get("coverage_pct")), "status": r.get("status") or "no_data"}


def _provisional_share(code: str, period: calendar.Period, current: list[dict]) -> float | None:
    """Share (%) of the submissions a figure at ``period`` is computed from whose current version is
    provisional. Stock datasets: per unit, the current submission of the latest period of the look-back
    window; monthly revenue: every current submission of the reporting year up to the period; the 2022
    baseline: the latest one. I8: only the platform's responsible unit."""
    k = period.index
    used: list[dict] = []
    platform_unit = reference().platform_units.get(PLATFORM_OF.get(code, ""))
    for ds in DEPENDS.get(code, ()):
        rows = [s for s in current if s["dataset"] == ds and s["period_index"] <= k]
        if platform_unit:
            rows = [s for s in rows if s["unit_code"] == platform_unit]
        if ds == "agency_revenue":
            used += [s for s in rows if calendar.period(s["period"]).year == period.year]
            continue
        if ds != "agency_revenue_baseline":
            rows = [s for s in rows if s["period_index"] > k - STOCK_LOOKBACK]
        best: dict[str, dict] = {}
        for s in rows:
            b = best.get(s["unit_code"])
            if b is None or (s["period_index"], s["received_at"], s["submission_id"]) > \
                    (b["period_index"], b["received_at"], b["submission_id"]):
                best[s["unit_code"]] = s
        used += best.values()
    if not used:
        return None
    return 100 * sum(1 for s in used if s["status"] == "provisional") / len(used)


# ------------------------------------------------------------------------------------------------------
# I4 distribution


def _revenue_growth(q: _Q, code: str) -> dict | None:
    if not q.has("fct_agency_revenue_growth"):
        return None
    rows = q.rows("select agency_code, growth_pct, all_months_known, meets_threshold, threshold_pct, "
                  "window_start, window_end, window_months "
                  "from {m}.fct_agency_revenue_growth where period_code = ? and in_denominator "
                  "order by agency_code", (code,))
    thresholds = {_f(r["threshold_pct"]) for r in rows if r["threshold_pct"] is not None}
    complete = [r for r in rows if r["all_months_known"] and r["growth_pct"] is not None]
    growth = [_f(r["growth_pct"]) for r in complete]
    edges = GROWTH_EDGES
    bins = []
    for i in range(len(edges) + 1):
        lo = edges[i - 1] if i > 0 else None
        hi = edges[i] if i < len(edges) else None
        n = sum(1 for g in growth if (lo is None or g >= lo) and (hi is None or g < hi))
        bins.append({"lo": lo, "hi": hi, "count": n})
    first = rows[0] if rows else {}
    return {
        "period": code,
        "threshold_pct": thresholds.pop() if len(thresholds) == 1 else None,
        "window_start": first.get("window_start"), "window_end": first.get("window_end"),
        "window_months": first.get("window_months"),
        "denominator": len(rows),
        "complete": len(complete),
        "incomplete": len(rows) - len(complete),
        "meeting": sum(1 for r in rows if r["meets_threshold"]),
        "median_growth_pct": statistics.median(growth) if growth else None,
        "bins": bins,
    }


# ------------------------------------------------------------------------------------------------------
# reporting compliance


def _compliance(q: _Q, year: int, half: bool, t: datetime) -> dict | None:
    if not q.has("fct_submission_timeliness"):
        return None
    rows = q.rows("select unit_code, dataset, period_code, quarter, due_at, state, provisional, first_received_at, "
                  "current_received_at, version_count from {m}.fct_submission_timeliness where year = ? "
                  + ("and quarter <= 2 " if half else "") + "order by unit_code, period_code, dataset", (year,))
    expected = []
    units: dict[str, dict] = {}
    grid: dict[str, dict[str, dict]] = {}
    for r in rows:
        first = _aware(r["first_received_at"])
        due = _aware(r["due_at"])
        late_days = math.ceil((first - due).total_seconds() / 86400) if r["state"] == "late" else None
        expected.append({"unit": r["unit_code"], "dataset": r["dataset"], "period": r["period_code"], "due_at": due,
                         "state": r["state"], "provisional": bool(r["provisional"]), "first_received_at": first,
                         "current_received_at": _aware(r["current_received_at"]),
                         "versions": r["version_count"], "days_late": late_days})
        col = "annual" if r["dataset"] == "annual_implementation" else r["period_code"]
        cell = grid.setdefault(r["unit_code"], {}).setdefault(col, _counts())
        tot = units.setdefault(r["unit_code"], _counts())
        for c in (cell, tot):
            c[r["state"]] += 1
            c["expected"] += 1
            c["provisional"] += bool(r["provisional"])
    overall = _counts()
    for c in units.values():
        for k in overall:
            overall[k] += c[k]
    for c in [*units.values(), overall]:
        _rates(c)
    return {"expected": expected, "grid": grid, "units": units, "overall": overall,
            "columns": [f"{year}-Q{n}" for n in range(1, 3 if half else 5)] + ([] if half else ["annual"])}


def _counts() -> dict:
    return {"expected": 0, "on_time": 0, "late": 0, "missing": 0, "not_due": 0, "provisional": 0}


def _rates(c: dict) -> None:
    due = c["on_time"] + c["late"] + c["missing"]
    c["due"] = due
    c["completeness_pct"] = 100 * (c["on_time"] + c["late"]) / due if due else None
    c["timeliness_pct"] = 100 * c["on_time"] / due if due else None


def _rejections(q: _Q, year: int, half: bool, t: datetime) -> list[dict]:
    """Rejected files received by T whose period is in the report's year (a file whose period could not be
    read counts in the period containing the day it was received)."""
    events = q.wh.query_dicts(
        "select event_id, received_at, source_unit, unit_code, dataset, period, path, sha256, error_count "
        "from audit.intake_events where outcome = 'rejected' and received_at <= ? order by received_at, sha256",
        (t,))
    hi = 2 if half else 4
    keep, seen = [], set()
    for e in events:
        e["received_at"] = _aware(e["received_at"])
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


def _tasks(q: _Q, year: int, names: dict) -> dict | None:
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
                      "progress_pct": _f(r["progress_pct"]), "overdue": bool(r["overdue"]),
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


def _current_of(subs: list[dict], dataset: str, period: str) -> dict[str, dict]:
    return {s["unit_code"]: s for s in subs if s["is_current"] and s["dataset"] == dataset and s["period"] == period}


def _annual_reports(q: _Q, year: int, t: datetime, subs: list[dict], rep: Report) -> dict:
    code = f"{year}-Q4"
    current = _current_of(subs, "annual_implementation", code)
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
    rep.texts["annual"] = texts
    out = []
    for u in units:
        s, st = current.get(u), states.get(u, {})
        out.append({"unit": u, "submission_id": s["submission_id"] if s else None,
                    "status": s["status"] if s else None,
                    "received_at": s["received_at"] if s else None,
                    "first_received_at": _aware(st.get("first_received_at")),
                    "state": st.get("state"), "sections": len(texts.get(s["submission_id"], [])) if s else 0})
    received = sum(1 for r in out if r["submission_id"])
    return {"reports": out, "expected": len(states) if states else None, "received": received}


def _commentary(q: _Q, year: int, subs: list[dict], rep: Report) -> list[dict]:
    code = f"{year}-Q2"
    rows = [s for s in subs if s["is_current"] and s["period"] == code and s["dataset"] != "annual_implementation"]
    rows.sort(key=lambda s: (s["unit_code"], s["dataset"]))
    rep.texts["commentary"] = {s["submission_id"]: s["commentary"] for s in rows}
    return [{"unit": s["unit_code"], "dataset": s["dataset"], "submission_id": s["submission_id"],
             "status": s["status"], "has_commentary": bool(s["commentary"])} for s in rows]


def _provenance(subs: list[dict], p_index: int, year: int, rep: Report) -> dict:
    used = [s for s in subs if s["period_index"] is not None and s["period_index"] <= p_index]
    current = [s for s in used if s["is_current"]]
    by_ds: dict[str, dict] = {}
    for s in current:
        d = by_ds.setdefault(s["dataset"], {"official": 0, "provisional": 0})
        d[s["status"]] = d.get(s["status"], 0) + 1
    return {
        "submissions_used": len(current),
        "official": sum(1 for s in current if s["status"] == "official"),
        "provisional": sum(1 for s in current if s["status"] == "provisional"),
        "superseded": len(used) - len(current),
        "by_dataset": dict(sorted(by_ds.items())),
        "submission_ids": sorted(s["submission_id"] for s in current),
    }

"""Queries → the report's figures: one dict of every number the report shows, and its SHA-256.

Everything comes from the warehouse as known at one instant T: the marts of the last build (T = its ``as_of``), or
for ``--as-of T`` the same marts read as of T (``Marts.at``: the ``_history`` twins filtered at T, the versions
received by T; nothing is built or written, and ``pressdx.figures.history.open_at`` refuses when a submission
received by T was taken in after the last build). Every rule behind a number (rates,
look-backs, stage ranks, provisional shares, the current version of a submission, the I4 distribution, the
provenance counts) lives in those marts (dbt_project/README.md lists them); this module selects and shapes.
What the marts do not hold is read by id or by T: the annual-report texts from ``raw.annual_implementation``
(by the submission ids of ``fct_submission_version``) and the rejected files from ``audit`` (received at or
before T), so every section is reproducible from T alone.

``Report.figures`` is canonical: numbers rounded to ``DECIMALS`` places, instants in Vietnam time, lists in
a fixed order, no names or texts (texts are pinned by the submission ids that carry them). Its canonical
JSON (sorted keys, compact, UTF-8) is written as ``figures.json``; the report's hash is that file's SHA-256.
Build metadata (build id, build time) and the language are *not* part of it: a later as-of build of the
same instant has another build id but the same figures.

A mart that does not exist (yet) makes its section ``None`` and lands in ``Report.missing_marts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pressdx.domain import calendar
from pressdx.figures import report_sections as sections
from pressdx.figures.canonical import DECIMALS, canonical, canonical_json, figures_sha256
from pressdx.figures.history import open_at
from pressdx.figures.marts import Marts, aware, number
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import WarehouseURL

__all__ = ["DECIMALS", "SCHEMA_VERSION", "Report", "canonical", "canonical_json", "collect", "collect_from",
           "figures_sha256"]

SCHEMA_VERSION = "pressdx.report/1"


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


# ------------------------------------------------------------------------------------------------------


def collect(url: WarehouseURL, year: int, as_of: datetime | None = None, half: bool = False) -> Report:
    """Read every figure of the report for ``year`` (or its first half) as known at ``as_of``."""
    code = f"{year}-Q{2 if half else 4}"
    try:
        calendar.period(code)
        calendar.period(f"{year}-Q1")
    except KeyError:
        raise ConfigError(f"{year} is not a year of the reporting calendar (2023 … 2030)") from None
    with open_at(url, as_of, history=as_of is not None) as (wh, _):
        build = wh.query_dicts("select * from marts.dim_build")[0]
        t = aware(as_of or build["as_of"])
        rep = collect_from(Marts(wh, "marts", t) if as_of is None else Marts.at(wh, t), year, half, build)
    rep.build["warehouse"] = url.display
    return rep


def collect_from(q: Marts, year: int, half: bool, build: dict) -> Report:
    """The report of ``year`` from marts ``q`` (a build's schema, or the regular marts as of T), whose build row
    (dim_build) is ``build``."""
    code = f"{year}-Q{2 if half else 4}"
    t = q.as_of
    periods = _periods(q, year, code)
    if not periods:
        first = calendar.period(f"{year}-Q1").coverage_start
        raise ConfigError(f"nothing to report for {year} as of {t.astimezone(calendar.VN_TZ).isoformat()}: "
                          f"its first period starts on {first.isoformat()}")
    rep = Report("half" if half else "annual", year, code, t, {})
    rep.build = {"build_id": build["build_id"], "built_at": aware(build.get("built_at")),
                 "through_period": build.get("through_period"), "schema": q.schema,
                 "read": "history" if q.history else "build"}
    by_code = {p["period_code"]: p for p in periods}
    p_index = calendar.period(code).index
    prev = f"{year - 1}-Q4" if year > 2023 else None
    rep.names["units"] = _unit_names(q)
    ind, names = _indicators(q, year, code, prev, periods, half)
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
        "compliance": sections.compliance(q, year, half),
        "tasks": None if half else sections.tasks(q, year, rep.names),
        "annual_reports": None if half else sections.annual_reports(q, year, rep.texts),
        "commentary": sections.commentary(q, year, rep.texts) if half else None,
        "provenance": sections.provenance(q, code, p_index),
        "figure_history": sections.figure_history(q, code),
    }
    fig["rejections"] = sections.rejections(q, year, half, t)
    rep.figures = fig
    rep.missing_marts = q.missing
    return rep


# ------------------------------------------------------------------------------------------------------
# calendar and submissions


def _periods(q: Marts, year: int, code: str) -> list[dict]:
    """The periods the report shows: 2023-Q1 .. the report's period, those started by T (Vietnam date)."""
    t_date = q.as_of.astimezone(calendar.VN_TZ).date()
    hi = calendar.period(code).index
    rows = q.rows("select period_code, year, quarter, period_index, coverage_start, coverage_end, due_at "
                  "from {m}.dim_reporting_period where period_index <= ? order by period_index", (hi,))
    return [r for r in rows if r["coverage_start"] <= t_date]


def _unit_names(q: Marts) -> dict[str, dict]:
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


def _indicators(q: Marts, year: int, code: str, prev: str | None, periods: list[dict],
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
                "class": r.get("progress_class"), "target_pct": number(r.get("target_pct")),
                "projected_pct": number(r.get("projected_value_pct")), "cagr": number(r.get("cagr")),
                "ratio": number(r.get("progress_ratio")), "base_year": r.get("base_year"),
                "latest_year": r.get("latest_year")}
    shares = {}
    if code in shown and q.has("fct_indicator_provisional_share"):
        shares = {r["indicator_code"]: number(r["provisional_share_pct"]) for r in q.rows(
            "select indicator_code, provisional_share_pct from {m}.fct_indicator_provisional_share "
            "where period_code = ?", (code,))}
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
        item["provisional_share_pct"] = shares.get(c)
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
    out = {"value_pct": number(r["value_pct"]), "numerator": r["numerator"], "denominator": r["denominator"],
           "target_pct": number(r["target_pct"]), "status": r["status"], "coverage_pct": number(r["coverage_pct"])}
    if kind == "revenue_growth":
        out["min_revenue_growth_pct"] = number(r.get("min_revenue_growth_pct"))
    return out


def _series_point(r: dict | None, p: dict, kind: str) -> dict:
    if kind == "stage":
        r = r or {}
        return {"period": p["period_code"], "stage_rank": r.get("stage_rank"),
                "target_stage_rank": r.get("target_stage_rank"), "status": r.get("status") or "no_data"}
    r = r or {}
    return {"period": p["period_code"], "value_pct": number(r.get("value_pct")), "target_pct": number(r.get("target_pct")),
            "coverage_pct": number(r.get("coverage_pct")), "status": r.get("status") or "no_data"}


# ------------------------------------------------------------------------------------------------------
# I4 distribution


def _revenue_growth(q: Marts, code: str) -> dict | None:
    """The I4 distribution at the report's period: ``fct_revenue_growth_summary`` and its histogram."""
    if not (q.has("fct_revenue_growth_summary") and q.has("fct_revenue_growth_histogram")):
        return None
    rows = q.rows("select threshold_pct, window_start, window_end, window_months, denominator, complete, "
                  "incomplete, meeting, median_growth_pct from {m}.fct_revenue_growth_summary where period_code = ?",
                  (code,))
    if not rows:
        return None
    s = rows[0]
    bins = q.rows("select lower_pct, upper_pct, agency_count from {m}.fct_revenue_growth_histogram "
                  "where period_code = ? order by bin_number", (code,))
    return {
        "period": code,
        "threshold_pct": number(s["threshold_pct"]),
        "window_start": s["window_start"], "window_end": s["window_end"], "window_months": s["window_months"],
        "denominator": s["denominator"],
        "complete": s["complete"],
        "incomplete": s["incomplete"],
        "meeting": s["meeting"],
        "median_growth_pct": number(s["median_growth_pct"]),
        "bins": [{"lo": b["lower_pct"], "hi": b["upper_pct"], "count": b["agency_count"]} for b in bins],
    }



"""``pressdx trace``: the auditor's path from a figure to its members, its submission versions and their bytes.

Everything comes from the lineage marts (``fct_indicator_member``, ``fct_indicator_input``,
``fct_submission_lineage``) beside ``fct_indicator_period``, ``fct_indicator_annual`` and ``dim_build``:
which members count and why, which version each value came from and which version is current are decided
in dbt; this module selects them, adds where the landing store keeps each file
(``pressdx.domain.landing``) and shapes the JSON documented in ``docs/lineage.md``.

All reads go through ``_marts``: the last build's marts, or for ``--as-of T`` the same marts as known at T
(``pressdx.figures.marts.Marts.at``: history twins filtered at T, member lineage at the period's latest
knowledge instant <= T), read-only. ``trace_from`` and ``trace_submission_from`` take the query function, so
a test can read an as-of build's schemas with the same code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime

from pressdx.domain import calendar
from pressdx.domain.landing import landed_problem, landing_path
from pressdx.figures.history import open_at
from pressdx.figures.marts import Marts, aware, number
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import WarehouseURL

SCHEMA_VERSION = 1

# Member fields: those of every member, then those of the indicator's kind (docs/lineage.md).
MEMBER_FIELDS = ["member_code", "member_name", "is_known", "in_numerator", "numerator_value", "denominator_value",
                 "reason", "value_column", "source_dataset", "source_submission_id", "source_period_code",
                 "source_row_number", "register_submission_id", "register_period_code", "register_row_number"]
KIND_FIELDS = {
    "flag": ["flag_value"],
    "I4": ["doing_digital_transformation", "revenue_2022_vnd", "baseline_submission_id", "baseline_row_number",
           "window_start", "window_end", "window_months", "months_known", "window_revenue_vnd", "growth_pct",
           "threshold_pct"],
    "I6": ["doing_digital_transformation", "staff_total", "staff_trained"],
    "I7": ["security_level"],
    "stage": ["stage", "stage_rank", "target_stage", "target_stage_rank"],
}
FIGURE_FIELDS = ["period", "numerator", "denominator", "value_pct", "target_pct", "min_revenue_growth_pct", "status",
                 "coverage_pct", "stage", "target_stage"]
VERSION_FIELDS = ["submission_id", "unit_code", "dataset", "period", "status", "received_at", "sha256",
                  "source_name", "source_path", "landing_path", "version_number", "version_count", "is_current",
                  "superseded_by", "superseded_at"]
PROGRESS_FIELDS = ["target_year", "target_pct", "base_year", "base_value_pct", "latest_year", "latest_value_pct",
                   "annual_value_count", "cagr", "projected_value_pct", "progress_ratio", "progress_class"]

REASONS = {
    "flag_true": "counts in the numerator: {value_column} is true",
    "flag_false": "in the denominator only: {value_column} is false",
    "level_at_least_minimum": "counts in the numerator: security_level {security_level} reaches the minimum",
    "level_below_minimum": "in the denominator only: security_level {security_level} is below the minimum",
    "persons_counted": "adds {staff_trained} trained of {staff_total} staff",
    "meets_threshold": "counts in the numerator: growth {growth_pct:.2f} % ≥ threshold {threshold_pct:g} %",
    "below_threshold": "in the denominator only: growth {growth_pct:.2f} % < threshold {threshold_pct:g} %",
    "window_incomplete": "in the denominator only: {months_known} of {window_months} window months known",
    "stage_known": "stage {stage} (target {target_stage})",
    "no_value": "nothing known at the period (window P-3..P): in the denominator only, not covered",
}


@contextlib.contextmanager
def _marts(url: WarehouseURL, as_of: datetime | None) -> Iterator:
    """The one place the lineage is read from: a query function on the marts known at ``as_of`` (None: the
    last build's). ``open_at`` refuses a T for which a submission was taken in after the last build."""
    with open_at(url, as_of, history=as_of is not None) as (wh, _):
        yield query_function(Marts.at(wh, as_of) if as_of is not None else Marts(wh, "marts", None))


def query_function(q: Marts):
    """``rows(sql, params)`` over the marts ``q`` reads (``{m}`` names them), values as plain Python."""
    def rows(sql: str, params=()) -> list[dict]:
        return [{k: _plain(v) for k, v in r.items()} for r in q.rows(sql, params)]
    return rows


def _plain(v):
    v = number(v)
    return aware(v) if isinstance(v, datetime) else v


def _iso(t: datetime | None) -> str | None:
    return t.astimezone(calendar.VN_TZ).isoformat() if t is not None else None


def _url(url: WarehouseURL | str) -> WarehouseURL:
    return url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)


def _period(year: int | str, quarter: int | None) -> tuple[int, int | None]:
    """``year`` may be a period code (``2025-Q4``, as the portal passes it) or a year."""
    if isinstance(year, str):
        code = calendar.normalise_code(year) if "Q" in year.upper() else None
        if code is not None:
            y, q = code.split("-Q")
            return int(y), int(q)
        try:
            year = int(year)
        except ValueError:
            raise ConfigError(f"{year!r} is not a year or a period (YYYY-Qn)") from None
    code = f"{year}-Q{quarter or 4}"
    try:
        calendar.period(code)
    except KeyError:
        raise ConfigError(f"{code} is not a period of the calendar ({calendar.period_range()})") from None
    return year, quarter


def _version(r: dict) -> dict:
    out = {**r, "period": r.get("period_code"), "status": r.get("submission_status"),
           "superseded_by": r.get("superseded_by_submission_id"),
           "landing_path": str(landing_path(r["sha256"])) if r.get("sha256") else None}
    for k in ("received_at", "superseded_at"):
        out[k] = _iso(out.get(k))
    return out


def _build(rows) -> dict:
    b = rows("select build_id, as_of, through_period, built_at from {m}.dim_build")[0]
    return {"build_id": b["build_id"], "as_of": _iso(b["as_of"]), "through_period": b["through_period"],
            "built_at": _iso(b["built_at"])}


def explain(member: dict) -> str:
    """Why a member counts as it does, in a sentence made from its reason code and values."""
    text = REASONS.get(member.get("reason"), member.get("reason") or "")
    with contextlib.suppress(KeyError, ValueError, TypeError):
        text = text.format(**member)
    src = member.get("source_submission_id")
    if src:
        text += f" (submission {src}, row {member.get('source_row_number')})"
    return text


def _member_fields(indicator: str, kind: str) -> list[str]:
    key = "stage" if kind == "stage" else indicator if indicator in KIND_FIELDS else "flag"
    return MEMBER_FIELDS + KIND_FIELDS[key]


def trace(url: WarehouseURL | str, indicator: str, year: int | str, quarter: int | None = None,
          as_of: datetime | None = None, agency: str | None = None) -> dict:
    """The figure of ``indicator`` for ``year``-Q``quarter`` (or the year: its Y-Q4 figure and progress class)
    as known at ``as_of``, with its members, inputs and the superseded versions it did not use."""
    with _marts(_url(url), as_of) as rows:
        return trace_from(rows, indicator, year, quarter, as_of, agency)


def trace_from(rows, indicator: str, year: int | str, quarter: int | None = None,
               as_of: datetime | None = None, agency: str | None = None) -> dict:
    """``trace`` on the marts ``rows`` reads (``query_function``)."""
    year, quarter = _period(year, quarter)
    code = f"{year}-Q{quarter or 4}"
    indicator = indicator.strip().upper()
    found = rows("select indicator_code, kind, name_en from {m}.dim_indicator where indicator_code = ?",
                 (indicator,))
    if not found:
        known = ", ".join(r["indicator_code"] for r in rows(
            "select indicator_code from {m}.dim_indicator order by decision_row, indicator_code"))
        raise ConfigError(f"unknown indicator {indicator!r} (one of {known})")
    ind = found[0]
    build = _build(rows)
    figure = rows("select * from {m}.fct_indicator_period where indicator_code = ? and period_code = ?",
                  (indicator, code))
    if not figure:
        raise ConfigError(f"no figure of {indicator} for {code}: the warehouse was built through "
                          f"{build['through_period']}")
    members = rows("select * from {m}.fct_indicator_member where indicator_code = ? and period_code = ? "
                   + ("and member_code = ? " if agency else "") + "order by member_code",
                   (indicator, code, agency.strip().upper()) if agency else (indicator, code))
    counts = rows("select count(*) as member_count, sum(case when is_known then 1 else 0 end) as known "
                  "from {m}.fct_indicator_member where indicator_code = ? and period_code = ?", (indicator, code))[0]
    inputs = rows("select i.input_role, i.member_count, l.* from {m}.fct_indicator_input as i "
                  "join {m}.fct_submission_lineage as l on l.submission_id = i.submission_id "
                  "where i.indicator_code = ? and i.period_code = ? "
                  "order by l.dataset, l.unit_code, l.period_code, i.input_role", (indicator, code))
    superseded = rows(
        "select l.* from {m}.fct_submission_lineage as l where not l.is_current and exists ("
        " select 1 from {m}.fct_indicator_input as i join {m}.fct_submission_lineage as c"
        "  on c.submission_id = i.submission_id"
        " where i.indicator_code = ? and i.period_code = ? and c.unit_code = l.unit_code"
        "  and c.dataset = l.dataset and c.period_code = l.period_code)"
        " order by l.dataset, l.unit_code, l.period_code, l.version_number", (indicator, code))
    annual = _annual(rows, indicator, year) if quarter is None else None
    f = {**figure[0], "period": code}
    out = {
        "schema_version": SCHEMA_VERSION,
        "indicator": {"code": ind["indicator_code"], "kind": ind["kind"], "name_en": ind["name_en"]},
        "year": year,
        "period": code if quarter else None,
        "as_of": _iso(as_of) if as_of else build["as_of"],
        "build": build,
        "figure": {**{k: f.get(k) for k in FIGURE_FIELDS}, "member_count": counts["member_count"],
                   "known_member_count": counts["known"] or 0},
        "annual": annual,
        "inputs": [{**{k: v for k, v in _version(r).items() if k in VERSION_FIELDS},
                    "input_role": r["input_role"], "member_count": r["member_count"]} for r in inputs],
        "superseded": [{k: v for k, v in _version(r).items() if k in VERSION_FIELDS} for r in superseded],
        "members": [_member(m, _member_fields(indicator, ind["kind"])) for m in members],
        "agency": None,
    }
    if agency:
        code_ = agency.strip().upper()
        row = out["members"][0] if out["members"] else None
        out["agency"] = {"code": code_, "is_member": row is not None,
                         "explanation": row["explanation"] if row else
                         f"{code_} is not a member of {indicator}'s denominator at {code}: not active on the "
                         "register at the period, or outside the indicator's scope (docs/lineage.md)"}
    return out


def _member(m: dict, fields: list[str]) -> dict:
    out = {k: m.get(k) for k in fields}
    for k in ("window_start", "window_end"):
        if out.get(k) is not None:
            out[k] = out[k].isoformat()
    out["explanation"] = explain(m)
    return out


def _annual(rows, indicator: str, year: int) -> dict:
    """The annual value of ``year`` (the Y-Q4 figure), its progress classes and the annual values behind them."""
    progress = rows("select * from {m}.fct_indicator_annual where indicator_code = ? and year = ? "
                    "order by target_year", (indicator, year))
    values = rows("select year, period_code, numerator, denominator, value_pct, coverage_pct "
                  "from {m}.fct_indicator_period where indicator_code = ? and quarter = 4 and year <= ? "
                  "order by year", (indicator, year))
    used = {y for p in progress for y in (p["base_year"], p["latest_year"]) if y is not None}
    return {
        "year": year,
        "annual_value_pct": progress[0]["annual_value_pct"] if progress else None,
        "progress": [{k: p[k] for k in PROGRESS_FIELDS} for p in progress],
        "annual_values": [{"year": v["year"], "period": v["period_code"], "numerator": v["numerator"],
                           "denominator": v["denominator"], "value_pct": v["value_pct"],
                           "coverage_pct": v["coverage_pct"], "in_cagr": v["year"] in used} for v in values],
    }


def trace_submission(url: WarehouseURL | str, submission_id: str, as_of: datetime | None = None) -> dict:
    """Forwards: the figures (indicator, period) version ``submission_id`` fed, and the versions of its unit,
    dataset and period known at ``as_of`` (which one superseded it)."""
    with _marts(_url(url), as_of) as rows:
        return trace_submission_from(rows, submission_id, as_of)


def trace_submission_from(rows, submission_id: str, as_of: datetime | None = None) -> dict:
    """``trace_submission`` on the marts ``rows`` reads (``query_function``)."""
    sid = submission_id.strip()
    build = _build(rows)
    found = rows("select * from {m}.fct_submission_lineage where submission_id = ?", (sid,))
    if not found:
        raise ConfigError(f"no submission version {sid!r} is known as of "
                          f"{_iso(as_of) if as_of else build['as_of']}")
    v = found[0]
    versions = rows("select * from {m}.fct_submission_lineage where unit_code = ? and dataset = ? "
                    "and period_code = ? order by version_number", (v["unit_code"], v["dataset"], v["period_code"]))
    figures = rows("select i.indicator_code, i.period_code, i.input_role, i.member_count, "
                   "f.numerator, f.denominator, f.value_pct, f.stage "
                   "from {m}.fct_indicator_input as i join {m}.fct_indicator_period as f "
                   "on f.indicator_code = i.indicator_code and f.period_code = i.period_code "
                   "where i.submission_id = ? order by f.period_index, i.indicator_code, i.input_role", (sid,))
    by_id = {r["submission_id"]: r for r in versions}
    nxt = by_id.get(v["superseded_by_submission_id"])
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": _iso(as_of) if as_of else build["as_of"],
        "build": build,
        "submission": {k: x for k, x in _version(v).items() if k in VERSION_FIELDS},
        "figures": [{"indicator_code": f["indicator_code"], "period": f["period_code"],
                     "input_role": f["input_role"], "member_count": f["member_count"], "numerator": f["numerator"],
                     "denominator": f["denominator"], "value_pct": f["value_pct"], "stage": f["stage"]}
                    for f in figures],
        "superseded_by": {k: x for k, x in _version(nxt).items() if k in VERSION_FIELDS} if nxt else None,
        "versions": [{k: x for k, x in _version(r).items() if k in VERSION_FIELDS} for r in versions],
    }


def verify_inputs(versions: list[dict]) -> list[str]:
    """Re-hash the landed bytes of every version listed; one line per version whose bytes are missing or differ."""
    problems, seen = [], set()
    for v in versions:
        sha = v.get("sha256")
        if not sha or sha in seen:
            continue
        seen.add(sha)
        problem = landed_problem(sha)
        if problem:
            problems.append(f"{v['submission_id']} ({v['unit_code']} {v['dataset']} {v['period']}): {problem}")
    return problems


def package_inputs(url: WarehouseURL | str, manifest: dict) -> list[dict]:
    """The submission versions a published package was made from: its manifest's ``inputs`` when it lists
    them, else every version received at or before its ``as_of`` (a publication is a pure function of
    those), as the last build knows them (``fct_submission_lineage``)."""
    if manifest.get("inputs"):
        return [{"unit_code": None, "dataset": None, "period": None, **v} for v in manifest["inputs"]]
    try:
        as_of = datetime.fromisoformat(manifest["as_of"])
    except (KeyError, TypeError, ValueError):
        raise ConfigError("the manifest has no readable as_of: cannot tell which submissions it was made from") from None
    with _marts(_url(url), None) as rows:
        build = rows("select as_of from {m}.dim_build")[0]["as_of"]
        if build < as_of:
            raise ConfigError(f"the warehouse was built as of {_iso(build)}, before the package ({_iso(as_of)}): "
                              "run `pressdx run` first")
        versions = rows("select * from {m}.fct_submission_lineage where received_at <= ? "
                        "order by received_at, submission_id", (as_of,))
    return [{k: x for k, x in _version(v).items() if k in VERSION_FIELDS} for v in versions]

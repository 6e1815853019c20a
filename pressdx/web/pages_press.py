"""The Press Department's pages: the dashboard, the list of units, traces and "take in now".

Figures come from ``pressdx.figures`` (``kpi()``, ``timeliness()``), never from a query of our own;
the one audit query here lists the rejections not followed by an accepted version of the same
(unit, dataset, period). Clerks see none of these pages (403): they show every unit.
"""

from __future__ import annotations

import importlib
from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from pressdx.domain import calendar
from pressdx.figures.kpi import kpi
from pressdx.settings import ConfigError
from pressdx.web.charts import indicator_bars
from pressdx.web.core import Ctx, CtxDep, checked_form
from pressdx.web.pages_unit import known_units, year_with_figures

router = APIRouter()
READERS = ("press_department", "auditor")


def parse_as_of(text: str | None) -> datetime | None:
    """A ``datetime-local`` value (Vietnam time) or an ISO instant; None when empty or unreadable."""
    if not text:
        return None
    try:
        t = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=calendar.VN_TZ)


def follow_ups(ctx: Ctx) -> list[dict]:
    with ctx.portal.db() as wh:
        if not wh.table_exists("audit", "intake_events"):
            return []
        return wh.query_dicts(
            "select r.event_id, r.source_unit, r.path, r.dataset, r.period, r.received_at, r.error_count "
            "from audit.intake_events r where r.outcome = 'rejected' and not exists ("
            "  select 1 from audit.intake_events a where a.outcome = 'accepted' and a.unit_code = r.unit_code "
            "  and a.dataset = r.dataset and a.period = r.period and a.received_at > r.received_at) "
            "order by r.received_at desc limit 200")


def grid(res: dict | None) -> tuple[list[str], list[dict]]:
    """Unit × period cells (on time / due, late, missing) from ``timeliness()``'s expected submissions."""
    if not res:
        return [], []
    periods = sorted({e["period"] for e in res["expected"]})
    cells: dict[str, dict[str, dict]] = {}
    for e in res["expected"]:
        c = cells.setdefault(e["unit_code"], {}).setdefault(e["period"], dict.fromkeys(
            ("on_time", "late", "missing", "not_due", "provisional"), 0))
        c[e["state"]] += 1
        c["provisional"] += int(e["provisional"])
    return periods, [{"unit": u, "cells": [cells[u].get(p) for p in periods]} for u in sorted(cells)]


@router.get("/dashboard")
def dashboard(ctx: CtxDep, year: int | None = None, quarter: int | None = None, as_of: str | None = None):
    ctx.require(roles=READERS)
    instant = parse_as_of(as_of)
    year, res, reason = year_with_figures(ctx, year)
    if res is not None and instant is not None:
        try:
            with ctx.portal.locked(wait=600):
                from pressdx.figures.timeliness import timeliness

                res = timeliness(ctx.portal.settings.url, year, None, instant)
        except ConfigError as e:
            res, reason = None, str(e)
    figures = None
    if res is not None:
        try:
            with ctx.portal.locked(wait=600):
                figures = kpi(ctx.portal.settings.url, year, quarter if quarter in (1, 2, 3, 4) else None, instant)
        except ConfigError as e:
            reason = str(e)
    indicators = (figures or {}).get("indicators", [])
    periods, rows = grid(res)
    period = (figures or {}).get("period") or f"{year}-Q4"
    return ctx.render("dashboard.html", year=year, quarter=quarter, as_of=as_of or "", reason=reason,
                      figures=figures, indicators=indicators, chart=indicator_bars(indicators, ctx.lang),
                      periods=periods, rows=rows, period=period, rejections=follow_ups(ctx),
                      job=ctx.portal.job, figures_as_of=(figures or res or {}).get("as_of"))


@router.get("/units")
def units_page(ctx: CtxDep):
    ctx.require(roles=READERS)
    return ctx.render("units.html", units=sorted(known_units(ctx).items()))


def find_trace():
    """``pressdx.figures.trace.trace`` once issue 13 builds it; None until then."""
    try:
        module = importlib.import_module("pressdx.figures.trace")
    except ModuleNotFoundError:
        return None
    return getattr(module, "trace", None)


@router.get("/trace/{indicator}/{period}")
def trace_page(indicator: str, period: str, ctx: CtxDep, as_of: str | None = None):
    ctx.require(roles=READERS)
    if calendar.normalise_code(period) is None:
        raise HTTPException(404)
    fn = find_trace()
    result, reason = None, None
    if fn is not None:
        try:
            with ctx.portal.locked(wait=600):
                result = fn(ctx.portal.settings.url, indicator.upper(), calendar.normalise_code(period),
                            as_of=parse_as_of(as_of))
        except (ConfigError, TypeError, KeyError, ValueError) as e:
            reason = str(e) or type(e).__name__
    return ctx.render("trace.html", status_code=200 if fn else 501, indicator=indicator.upper(), period=period,
                      available=fn is not None, result=result, reason=reason)


@router.get("/intake")
def intake_page(ctx: CtxDep):
    ctx.require(roles=READERS)
    return ctx.render("intake.html", job=ctx.portal.job, sources=ctx.portal.job.portal_sources())


@router.post("/intake")
async def intake_now(request: Request, ctx: CtxDep):
    ctx.require(roles=("press_department",))
    await checked_form(request)
    started = ctx.portal.job.start(ctx.user.username)
    await run_in_threadpool(ctx.audit, "intake_now", "started" if started else "not_started")
    return RedirectResponse("/intake", status_code=303)

"""A unit's pages: what is due, its received versions, upload and submit, templates.

Every route names the unit in its path and checks it against the session first: a clerk sees only
their own unit (403 for any other, before anything else is looked up); Press Department staff and
auditors read every unit; only clerks of the unit and Press Department staff upload (auditors change
nothing). The unit of a submission is the one of the page, never one typed in a form, and intake's own
check still rejects a document that names another unit.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ingest.templates import template
from ingest.validate_file import check_file, summary_lines
from pressdx.domain import calendar
from pressdx.domain.datasets import DATASETS
from pressdx.domain.reference import reference
from pressdx.figures.timeliness import timeliness
from pressdx.settings import ConfigError
from pressdx.web import store, uploads
from pressdx.web.core import Ctx, CtxDep, checked_form

router = APIRouter()


def known_units(ctx: Ctx) -> dict[str, str]:
    """Unit code -> kind: the reference's units and every unit registered in the warehouse."""
    units = dict(reference().units)
    with ctx.portal.db() as wh:
        if wh.table_exists("raw", "unit_registrations"):
            for code, kind, active in wh.query("select unit_code, unit_kind, active from raw.unit_registrations "
                                               "order by registered_at"):
                if active:
                    units[code] = kind
                else:
                    units.pop(code, None)
    return units


def _unit(ctx: Ctx, unit: str, *, submit: bool = False) -> str:
    unit = unit.strip().upper()
    ctx.require(unit, submit=submit)
    if unit not in known_units(ctx):
        raise HTTPException(404)
    return unit


def year_with_figures(ctx: Ctx, year: int | None, unit: str | None = None) -> tuple[int, dict | None, str | None]:
    """The year asked for, or the latest one the warehouse has figures for; with its timeliness."""
    years = [year] if year else list(range(datetime.now(calendar.VN_TZ).year, 2022, -1))
    reason = None
    for y in years:
        try:
            with ctx.portal.locked():
                return y, timeliness(ctx.portal.settings.url, y), None
        except ConfigError as e:
            reason = str(e)
    return years[0], None, reason


def versions(ctx: Ctx, unit: str) -> list[dict]:
    """Every received version of the unit's files with its verdict, newest first; portal receipts that
    intake has not judged yet appear as waiting."""
    with ctx.portal.db() as wh:
        events = []
        if wh.table_exists("audit", "intake_events"):
            events = wh.query_dicts(
                "select event_id, outcome, path, sha256, received_at, dataset, period, status, error_count, "
                "warning_count, source_name from audit.intake_events where source_unit = ? "
                "order by received_at desc, event_at desc", (unit,))
        receipts = store.receipts(wh, unit)
    judged = {e["sha256"] for e in events}
    waiting = [{"event_id": None, "outcome": "waiting", "path": r["path"], "sha256": r["sha256"],
                "received_at": r["received_at"], "dataset": None, "period": None, "status": None,
                "error_count": None, "warning_count": None, "source_name": uploads.source_name(unit)}
               for r in receipts if r["sha256"] not in judged]
    return waiting + events


@router.get("/units/{unit}")
def due_page(unit: str, ctx: CtxDep, year: int | None = None):
    unit = _unit(ctx, unit)
    year, res, reason = year_with_figures(ctx, year)
    expected = [e for e in (res or {}).get("expected", []) if e["unit_code"] == unit]
    rates = next((r for r in (res or {}).get("units", []) if r["unit_code"] == unit), None)
    ref = reference().with_units(known_units(ctx))
    datasets = [d for d in DATASETS if ref.may_submit(unit, d)]
    this_period = calendar.period_containing(datetime.now(UTC)).code if year else None
    return ctx.render("due.html", unit=unit, year=year, expected=expected, rates=rates, reason=reason,
                      as_of=(res or {}).get("as_of"), versions=versions(ctx, unit), datasets=datasets,
                      period=this_period, may_submit=ctx.user.may_submit(unit))


@router.get("/units/{unit}/events/{event_id}")
def event_page(unit: str, event_id: str, ctx: CtxDep):
    unit = _unit(ctx, unit)
    with ctx.portal.db() as wh:
        ev = wh.query_dicts("select * from audit.intake_events where event_id = ? and source_unit = ?",
                            (event_id, unit)) if wh.table_exists("audit", "intake_events") else []
        if not ev:
            raise HTTPException(404)
        msgs = wh.query_dicts("select severity, rule, row_number, column_name, value, message_vi, message_en "
                              "from audit.intake_messages where event_id = ? order by seq", (event_id,))
    return ctx.render("event.html", unit=unit, ev=ev[0], messages=msgs)


@router.get("/units/{unit}/templates/{dataset}.xlsx")
def template_file(unit: str, dataset: str, ctx: CtxDep, period: str | None = None):
    unit = _unit(ctx, unit)
    if dataset not in DATASETS:
        raise HTTPException(404)
    try:
        data = template(dataset, unit, period)
    except ValueError:
        raise HTTPException(404) from None
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{dataset}_{unit}.xlsx"'})


@router.get("/units/{unit}/upload")
def upload_page(unit: str, ctx: CtxDep):
    unit = _unit(ctx, unit, submit=True)
    limit = ctx.portal.settings.limits().max_file_bytes
    return ctx.render("upload.html", unit=unit, limit=limit, report=None)


def _check(ctx: Ctx, unit: str, item: uploads.Staged) -> dict:
    """Intake's one-file check (``ingest.validate_file.check_file``): its summary and every finding."""
    try:
        with ctx.portal.locked():
            c = check_file(item.path, unit, ctx.portal.settings.url.url)
    except ConfigError as e:  # e.g. no accepted agency register to check the codes against
        ctx.audit("upload_checked", "not_checked", unit=unit, file=item.path.name, sha256=item.sha256)
        return {"ok": False, "summary": [str(e)], "findings": []}
    ctx.audit("upload_checked", "valid" if c.ok else "invalid", unit=unit, file=item.path.name,
              sha256=item.sha256, size=item.size, errors=len(c.sub.errors), warnings=len(c.sub.warnings))
    summary = summary_lines(c)  # not which warehouse the agency codes were checked against: no business of a clerk's
    findings = [f for f in c.sub.findings if f.severity == "error"] + \
        [f for f in c.sub.findings if f.severity != "error"]
    return {"ok": c.ok, "summary": summary, "findings": findings}


@router.post("/units/{unit}/upload")
async def upload(unit: str, request: Request, ctx: CtxDep):
    unit = await run_in_threadpool(_unit, ctx, unit, submit=True)
    limits = await run_in_threadpool(ctx.portal.settings.limits)
    mib = f"{limits.max_file_bytes / 1024 / 1024:g} MiB"
    try:
        form = await checked_form(request, await uploads.capped_form(request, limits))
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            return ctx.render("upload.html", status_code=400, unit=unit, limit=limits.max_file_bytes, report=None,
                              error=ctx.t("no_file"))
        item = await uploads.stage(file, ctx.portal.settings.staging_dir, unit, ctx.user.username, limits)
    except uploads.TooLarge:
        await run_in_threadpool(ctx.audit, "upload_checked", "too_large", None, unit)
        return ctx.render("upload.html", status_code=413, unit=unit, limit=limits.max_file_bytes, report=None,
                          error=ctx.t("too_large", limit=mib))
    report = await run_in_threadpool(_check, ctx, unit, item)
    ok = report["ok"]
    if not ok:
        uploads.discard(item)
    return ctx.render("upload.html", status_code=200 if ok else 422, unit=unit, limit=limits.max_file_bytes,
                      report=report, ok=ok, token=item.token if ok else None, name=item.path.name,
                      sha256=item.sha256)


def _submit(ctx: Ctx, unit: str, token: str):
    item = uploads.staged(ctx.portal.settings.staging_dir, unit, token)
    if item is None:
        return None
    path, received_at = uploads.store_submission(item, ctx.portal.settings.portal_dir)
    with ctx.portal.db() as wh:
        store.add_receipt(wh, unit, uploads.source_name(unit), path, item.sha256, item.size, received_at,
                          ctx.user.username)
        store.event(wh, "upload_submitted", "stored", username=ctx.user.username, unit_code=unit, ip=ctx.ip,
                    file=path, sha256=item.sha256, size=item.size, received_at=received_at.isoformat())
    uploads.discard(item)
    return path, item.sha256, received_at


@router.post("/units/{unit}/submit")
async def submit(unit: str, request: Request, ctx: CtxDep):
    unit = await run_in_threadpool(_unit, ctx, unit, submit=True)
    form = await checked_form(request)
    done = await run_in_threadpool(_submit, ctx, unit, str(form.get("token", "")))
    limit = ctx.portal.settings.limits().max_file_bytes
    if done is None:
        return ctx.render("upload.html", status_code=410, unit=unit, limit=limit, report=None, error=ctx.t("expired"))
    path, sha, at = done
    return ctx.render("submitted.html", unit=unit, path=path, sha256=sha, received_at=at)


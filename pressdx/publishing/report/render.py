"""The report as one self-contained HTML file (jinja2 templates in ``templates/``, styles and SVG inlined).

The page relies on fonts installed on the machine that renders it and declared in the CSS: Noto Sans
(Debian ``fonts-noto-core``), then DejaVu Sans (``fonts-dejavu-core``); both cover Vietnamese.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pressdx.domain import calendar
from pressdx.figures.report import Report
from pressdx.publishing.report import charts
from pressdx.publishing.report.i18n import DASH, Fmt, Labels

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _env(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    fmt, t = Fmt(lang), Labels(lang)
    env.filters.update(num=fmt.num, pct=fmt.pct, pp=fmt.pp, date=fmt.date, dt=fmt.datetime, period=fmt.period)
    env.globals.update(t=t, fmt=fmt, lang=lang, DASH=DASH)
    return env


def _name(names: dict, code: str, lang: str) -> str:
    n = names.get(code) or {}
    return n.get(f"name_{lang}") or n.get("name_vi") or code


def view(rep: Report, lang: str, sha256: str, generated_at: datetime | None = None) -> dict:
    """Everything the template needs, pre-computed (charts as SVG, names in the language)."""
    fmt, t = Fmt(lang), Labels(lang)
    f = rep.figures
    units = rep.names.get("units", {})
    inds = []
    for i in f["indicators"]:
        c = i["code"]
        full = _name(rep.names["indicators"], c, lang)
        title = f"{c} – {t.of('short_name', c)}"
        if i["kind"] == "stage":
            chart = charts.stage_chart(i["series"], fmt, t, f"{title}: {t('indicator_chart')}")
            bullet = ""
        else:
            chart = charts.indicator_chart(i["series"], fmt, t, f"{title}: {t('indicator_chart')}")
            bullet = charts.bullet(i["value_pct"], i["target_pct"], i["status"] == "achieved")
        inds.append({**i, "full_name": full, "short_name": t.of("short_name", c), "chart": Markup(chart),
                     "bullet": Markup(bullet), "meta": rep.names["indicators"].get(c, {}),
                     "responsible_name": _name(units, (rep.names["indicators"].get(c) or {}).get("responsible_unit")
                                               or "", lang)})
    rg = f.get("revenue_growth")
    rg_chart = None
    if rg and rg["denominator"]:
        rg_chart = Markup(charts.growth_histogram(rg["bins"], rg["threshold_pct"], fmt, t, t("revenue_growth")))
    ratio = [i for i in f["indicators"] if i["kind"] != "stage"]
    achieved = sum(1 for i in f["indicators"] if i["status"] == "achieved")
    with_target = sum(1 for i in f["indicators"] if i["status"] in ("achieved", "below_target"))
    p = calendar.period(rep.period)
    first = calendar.period(f"{rep.year}-Q1")
    unit_rows = []
    comp = f.get("compliance")
    if comp:
        order = {"ministry_unit": 0, "ministry": 1, "province": 2, "governing_body": 3}
        for u in sorted(comp["units"], key=lambda u: (order.get((units.get(u) or {}).get("kind"), 9), u)):
            unit_rows.append({"code": u, "name": _name(units, u, lang), "kind": (units.get(u) or {}).get("kind"),
                              "cells": comp["grid"].get(u, {}), "total": comp["units"][u]})
    tasks_by_section = {}
    if f.get("tasks"):
        for task in f["tasks"]["tasks"]:
            tasks_by_section.setdefault(task["section"], []).append(task)
    return {
        "rep": rep, "f": f, "lang": lang, "sha256": sha256,
        "as_of_iso": rep.as_of.astimezone(calendar.VN_TZ).isoformat(),
        "generated_at": generated_at or datetime.now(UTC),
        "ministry": t("ministry") if rep.year >= 2025 else
        ("BỘ THÔNG TIN VÀ TRUYỀN THÔNG" if lang == "vi" else "MINISTRY OF INFORMATION AND COMMUNICATIONS"),
        "title": t("title_half" if rep.kind == "half" else "title_annual", year=rep.year),
        "scope": t("scope_half" if rep.kind == "half" else "scope_annual", year=rep.year,
                   start=fmt.date(first.coverage_start), end=fmt.date(p.coverage_end), period=fmt.period(rep.period),
                   prev=fmt.period(f.get("previous_period"))),
        "indicators": inds, "ratio_count": len(ratio), "achieved": achieved, "with_target": with_target,
        "rg": rg, "rg_chart": rg_chart, "unit_rows": unit_rows, "units": units,
        "unit_name": lambda code: _name(units, code, lang),
        "task_names": rep.names.get("tasks", {}), "tasks_by_section": tasks_by_section,
        "texts": rep.texts, "missing_marts": rep.missing_marts, "build": rep.build,
        "swatch": lambda k: Markup(charts.swatch(k)),
        "provisional_in_use": (f["provenance"] or {}).get("provisional", 0),
    }


def render_html(rep: Report, lang: str, sha256: str, generated_at: datetime | None = None) -> str:
    return _env(lang).get_template("report.html.j2").render(**view(rep, lang, sha256, generated_at))

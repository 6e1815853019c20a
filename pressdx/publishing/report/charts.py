"""Inline SVG charts, generated in Python: no JavaScript, no external file, identical in HTML and PDF.

Text is set in the page's fonts (Noto Sans, then DejaVu Sans: both have Vietnamese), named on each ``<svg>``
as a presentation attribute: WeasyPrint draws an inline SVG as its own document, which inherits nothing from
the page's CSS. Every chart has a ``<title>`` for screen readers and a fixed ``viewBox``, and scales to
the width of its container.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from pressdx.publishing.report.i18n import Fmt, Labels

BLUE = "#1f4e79"
TARGET = "#c0392b"
COVER = "#d6e4f0"
GRID = "#d9d9d9"
AXIS = "#595959"
MEETS = "#2e7d32"
BELOW = "#a6a6a6"
FONTS = "Noto Sans, DejaVu Sans, sans-serif"  # as the report's CSS


def _e(s) -> str:
    return escape(str(s), {'"': "&quot;"})


def _svg(w: int, h: int, title: str, body: list[str], css_class: str = "chart") -> str:
    return (f'<svg class="{css_class}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
            f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet" font-family="{FONTS}">'
            f'<title>{_e(title)}</title>'
            + "".join(body) + "</svg>")


HALO = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round"'


def _text(x, y, s, size=10, anchor="middle", fill=AXIS, weight="normal", extra="") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}"{extra}>{_e(s)}</text>')


def _haloed(x, y, s, size=10, fill=AXIS, weight="normal") -> str:
    """A label over a white halo that keeps it legible across lines and bars: the halo is a white-stroked
    copy drawn first, not ``paint-order``, which WeasyPrint's SVG renderer does not implement."""
    return (_text(x, y, s, size, fill="#ffffff", weight=weight, extra=HALO + ' aria-hidden="true"')
            + _text(x, y, s, size, fill=fill, weight=weight))


def _line(x1, y1, x2, y2, stroke=GRID, width=1.0, dash: str | None = None) -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
            f'stroke-width="{width}"{d}/>')


def _x_axis(body: list[str], periods: list[str], left: float, step: float, bottom: float, top: float,
            fmt: Fmt) -> None:
    """Quarter labels under each period, the year centred under its quarters, separators between years."""
    years: dict[str, list[int]] = {}
    for i, p in enumerate(periods):
        years.setdefault(p[:4], []).append(i)
        body.append(_text(left + step * (i + 0.5), bottom + 13, fmt.period_short(p), 9))
    for y, idx in years.items():
        x0, x1 = left + step * idx[0], left + step * (idx[-1] + 1)
        body.append(_text((x0 + x1) / 2, bottom + 27, y, 10, weight="bold"))
        if idx[0] > 0:
            body.append(_line(x0, top, x0, bottom + 30, stroke="#bfbfbf", dash="2 3"))


def indicator_chart(series: list[dict], fmt: Fmt, t: Labels, title: str) -> str:
    """Ratio indicator: value per period (line), yearly target (dashed steps), coverage (pale bars)."""
    w, h = 700, 184
    left, right, top, bottom = 48.0, w - 12.0, 12.0, h - 38.0
    n = max(len(series), 1)
    step = (right - left) / n

    def y(v: float) -> float:
        return bottom - (bottom - top) * max(0.0, min(100.0, v)) / 100

    body = []
    for g in range(0, 101, 20):
        body.append(_line(left, y(g), right, y(g)))
        body.append(_text(left - 6, y(g) + 3.5, fmt.pct(g, 0), 9, anchor="end"))
    for i, s in enumerate(series):
        c = s.get("coverage_pct")
        if c is not None:
            bw = step * 0.56
            x = left + step * (i + 0.5) - bw / 2
            body.append(f'<rect x="{x:.1f}" y="{y(c):.1f}" width="{bw:.1f}" height="{bottom - y(c):.1f}" '
                        f'fill="{COVER}"><title>{_e(t("legend_coverage"))}: {_e(fmt.pct(c))}</title></rect>')
    # targets: one horizontal segment per year
    by_year: dict[str, list[int]] = {}
    for i, s in enumerate(series):
        by_year.setdefault(s["period"][:4], []).append(i)
    for idx in by_year.values():
        tv = series[idx[0]].get("target_pct")
        if tv is not None:
            body.append(_line(left + step * idx[0] + 2, y(tv), left + step * (idx[-1] + 1) - 2, y(tv),
                              stroke=TARGET, width=2, dash="6 3"))
    # values: polylines over consecutive known points
    runs, run = [], []
    for i, s in enumerate(series):
        if s.get("value_pct") is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((left + step * (i + 0.5), y(s["value_pct"]), s["value_pct"]))
    if run:
        runs.append(run)
    for r in runs:
        if len(r) > 1:
            pts = " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _ in r)
            body.append(f'<polyline points="{pts}" fill="none" stroke="{BLUE}" stroke-width="2.2"/>')
        for x, yy, v in r:
            body.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3.2" fill="{BLUE}"/>')
            ly = yy - 7 if yy - 7 > top + 6 else yy + 14
            body.append(_haloed(x, ly, fmt.num(v, 1), 9, fill=BLUE, weight="bold"))
    body.append(_line(left, bottom, right, bottom, stroke=AXIS))
    _x_axis(body, [s["period"] for s in series], left, step, bottom, top, fmt)
    return _svg(w, h, title, body)


def stage_chart(series: list[dict], fmt: Fmt, t: Labels, title: str) -> str:
    """Stage indicator: the stage reached per period (steps) against the year's target stage (dashed)."""
    from pressdx.publishing.report.i18n import STAGE

    w, h = 700, 160
    left, right, top, bottom = 128.0, w - 12.0, 10.0, h - 38.0
    n = max(len(series), 1)
    step = (right - left) / n
    stages = list(STAGE)

    def y(rank: float) -> float:
        return bottom - (bottom - top) * rank / 4.3

    body = []
    for r, code in enumerate(stages, start=1):
        body.append(_line(left, y(r), right, y(r)))
        body.append(_text(left - 6, y(r) + 3.5, t.of("stage", code), 9, anchor="end"))
    by_year: dict[str, list[int]] = {}
    for i, s in enumerate(series):
        by_year.setdefault(s["period"][:4], []).append(i)
    for idx in by_year.values():
        tr = series[idx[0]].get("target_stage_rank")
        if tr:
            body.append(_line(left + step * idx[0] + 2, y(tr), left + step * (idx[-1] + 1) - 2, y(tr),
                              stroke=TARGET, width=2, dash="6 3"))
    prev = None
    for i, s in enumerate(series):
        r = s.get("stage_rank")
        if r is None:
            prev = None
            continue
        x0, x1 = left + step * i + step * 0.18, left + step * (i + 1) - step * 0.18
        if prev is not None:
            body.append(_line(prev[0], prev[1], x0, y(r), stroke=BLUE, width=2.2))
        body.append(_line(x0, y(r), x1, y(r), stroke=BLUE, width=4))
        prev = (x1, y(r))
    body.append(_line(left, bottom, right, bottom, stroke=AXIS))
    _x_axis(body, [s["period"] for s in series], left, step, bottom, top, fmt)
    return _svg(w, h, title, body)


def _nice_step(vmax: float) -> int:
    for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if vmax / s <= 6:
            return s
    return 2000


def growth_histogram(bins: list[dict], threshold: float | None, fmt: Fmt, t: Labels, title: str) -> str:
    """I4: agencies per band of revenue growth against 2022, coloured by whether they meet the threshold."""
    w, h = 700, 226
    left, right, top, bottom = 44.0, w - 12.0, 22.0, h - 46.0
    n = max(len(bins), 1)
    step = (right - left) / n
    vmax = max([b["count"] for b in bins] + [1])
    ts = _nice_step(vmax)
    top_v = ts * (-(-vmax // ts))

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / top_v

    body = []
    for g in range(0, int(top_v) + 1, ts):
        body.append(_line(left, y(g), right, y(g)))
        body.append(_text(left - 6, y(g) + 3.5, fmt.num(g), 9, anchor="end"))
    for i, b in enumerate(bins):
        meets = threshold is not None and b["lo"] is not None and b["lo"] >= threshold
        x = left + step * i + 1.5
        fill = MEETS if meets else BELOW
        if b["count"]:
            body.append(f'<rect x="{x:.1f}" y="{y(b["count"]):.1f}" width="{step - 3:.1f}" '
                        f'height="{bottom - y(b["count"]):.1f}" fill="{fill}"/>')
            body.append(_haloed(x + (step - 3) / 2, y(b["count"]) - 3, fmt.num(b["count"]), 8.5))
    # edge labels: every other edge, plus the open ends
    for i, b in enumerate(bins):
        if b["lo"] is not None and b["lo"] % 10 == 0:
            body.append(_text(left + step * i, bottom + 13, fmt.signed_pct(b["lo"]), 8.5))
    if bins and bins[0]["lo"] is None and len(bins) > 1:
        body.append(_text(left + step * 0.5, bottom + 25, "< " + fmt.signed_pct(bins[1]["lo"]), 8.5))
    if bins and bins[-1]["hi"] is None:
        body.append(_text(left + step * (n - 0.5), bottom + 25, "≥ " + fmt.signed_pct(bins[-1]["lo"]), 8.5))
    body.append(_text((left + right) / 2, bottom + 40, t("rg_axis"), 10))
    if threshold is not None:
        edges = [b["lo"] for b in bins]
        if threshold in edges:
            tx = left + step * edges.index(threshold)
            body.append(_line(tx, top - 8, tx, bottom, stroke=TARGET, width=2, dash="6 3"))
            body.append(_text(tx + 4, top - 10 + 8, t("rg_threshold", threshold=fmt.signed_pct(threshold)), 9.5,
                              anchor="start", fill=TARGET, weight="bold"))
    body.append(_line(left, bottom, right, bottom, stroke=AXIS))
    return _svg(w, h, title, body)


def bullet(value: float | None, target: float | None, achieved: bool) -> str:
    """A small bar for the summary table: the value (bar) against the target (tick), 0–100 %."""
    w, h = 84, 12
    body = [f'<rect x="0" y="3" width="{w}" height="6" fill="#eeeeee"/>']
    if value is not None:
        body.append(f'<rect x="0" y="3" width="{w * max(0, min(100, value)) / 100:.1f}" height="6" '
                    f'fill="{MEETS if achieved else BLUE}"/>')
    if target is not None:
        x = w * max(0, min(100, target)) / 100
        body.append(f'<rect x="{max(0, x - 1):.1f}" y="0" width="2" height="12" fill="{TARGET}"/>')
    return (f'<svg class="bullet" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true" '
            'xmlns="http://www.w3.org/2000/svg">' + "".join(body) + "</svg>")


def swatch(kind: str) -> str:
    """Legend swatches, as tiny inline SVGs."""
    shapes = {
        "value": f'<line x1="0" y1="6" x2="22" y2="6" stroke="{BLUE}" stroke-width="2.2"/>'
                 f'<circle cx="11" cy="6" r="3" fill="{BLUE}"/>',
        "target": f'<line x1="0" y1="6" x2="22" y2="6" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 3"/>',
        "coverage": f'<rect x="5" y="1" width="12" height="10" fill="{COVER}"/>',
        "meets": f'<rect x="5" y="1" width="12" height="10" fill="{MEETS}"/>',
        "below": f'<rect x="5" y="1" width="12" height="10" fill="{BELOW}"/>',
        "stage": f'<line x1="0" y1="6" x2="22" y2="6" stroke="{BLUE}" stroke-width="4"/>',
    }
    return (f'<svg class="swatch" viewBox="0 0 22 12" width="22" height="12" aria-hidden="true" '
            f'xmlns="http://www.w3.org/2000/svg">{shapes[kind]}</svg>')

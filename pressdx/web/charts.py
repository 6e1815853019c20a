"""Inline SVG bar charts drawn on the server: an indicator's value against its target, per indicator.

No JavaScript and no inline styles (the pages' Content-Security-Policy allows neither): presentation
attributes only, so the chart prints and scales with the page.
"""

from __future__ import annotations

from html import escape

BAR_H, GAP, LABEL_W, WIDTH = 22, 10, 64, 560


def indicator_bars(indicators: list[dict], lang: str) -> str:
    """One horizontal bar per ratio indicator (value %), a tick at its target; 0–100 % scale."""
    rows = [i for i in indicators if "value_pct" in i]
    height = len(rows) * (BAR_H + GAP) + 30
    plot = WIDTH - LABEL_W - 50
    title = "Giá trị so với mục tiêu (%)" if lang == "vi" else "Value against target (%)"
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for pct in (0, 50, 100):
        x = LABEL_W + plot * pct / 100
        out.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 22}" stroke="#d0d7de" stroke-width="1"/>'
                   f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle" fill="#57606a">'
                   f'{pct}%</text>')
    for n, i in enumerate(rows):
        y = n * (BAR_H + GAP) + 4
        value, target = i.get("value_pct"), i.get("target_pct")
        met = i.get("status") == "achieved"
        colour = "#1a7f37" if met else ("#bf8700" if value is not None else "#afb8c1")
        out.append(f'<text x="0" y="{y + BAR_H * 0.7:.1f}" font-size="13" font-weight="600" fill="#24292f">'
                   f'{escape(i["indicator_code"])}</text>')
        w = plot * max(0.0, min(float(value), 100.0)) / 100 if value is not None else 0
        out.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" rx="3" fill="{colour}">'
                   f'<title>{escape(i["indicator_code"])}: {_fmt(value)} / {_fmt(target)}</title></rect>')
        label_x = LABEL_W + w + 6
        out.append(f'<text x="{label_x:.1f}" y="{y + BAR_H * 0.7:.1f}" font-size="12" fill="#24292f">'
                   f'{_fmt(value)}</text>')
        if target is not None:
            tx = LABEL_W + plot * max(0.0, min(float(target), 100.0)) / 100
            out.append(f'<line x1="{tx:.1f}" y1="{y - 3}" x2="{tx:.1f}" y2="{y + BAR_H + 3}" stroke="#cf222e" '
                       f'stroke-width="3"><title>target {_fmt(target)}</title></line>')
    out.append("</svg>")
    return "".join(out)


def _fmt(v) -> str:
    return "—" if v is None else f"{float(v):.1f}%"

"""Printing query results as a table, JSON or CSV: one place, so every command formats alike."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime


def _json_default(o):
    if isinstance(o, datetime | date):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def to_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default)


def _cell(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.1f}"
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, dict):
        return " ".join(f"{k}:{x}" for k, x in v.items())
    return str(v)


def to_table(rows: list[dict], columns: list[str], title: str = "") -> str:
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = "  ".join("-" * w for w in widths)
    out = [title] if title else []
    out.append("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    out.append(line)
    out += ["  ".join(v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(row, widths, strict=True))
            for row in cells]
    return "\n".join(out)


def _numeric(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: ("" if r.get(c) is None else json.dumps(r[c]) if isinstance(r.get(c), dict) else r.get(c))
                    for c in columns})
    return buf.getvalue()

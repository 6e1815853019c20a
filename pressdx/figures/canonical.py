"""The canonical form of the report's figures and its SHA-256: what makes ``figures.json`` reproducible.

Numbers are rounded to ``DECIMALS`` places, instants are Vietnam-time ISO strings, and the JSON has sorted
keys, no whitespace and UTF-8, so the same figures give the same bytes on any engine and in any language.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime
from decimal import Decimal

from pressdx.domain import calendar

DECIMALS = 4


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

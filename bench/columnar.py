"""Time the row path and the columnar path of intake on one large file, in one process (issue 14, item 5).

``python -m bench.columnar FILE [--unit CBC] [--repeat 3]``: parse + normalise + referential
checks of FILE both ways, alternately, best of ``--repeat``; prints seconds, rows/s and the ratio, and checks
that both ways gave the same rows and findings. No warehouse: the agencies known are the file's own.
"""

from __future__ import annotations

import argparse
import gc
import time
from datetime import UTC, datetime
from pathlib import Path

from ingest.checks import referential
from ingest.parsing import Limits, parse
from ingest.sources import Incoming, Source
from ingest.submission import Submission, _meta, _rows
from pressdx.domain.reference import reference

# The file is measured whatever its size (the bench raises the case's limits for the large scales the same way).
_UNLIMITED = {"max_file_bytes": 2**62, "max_rows": 2**62}
PATHS = {"rows": Limits(columnar_min_bytes=2**62, **_UNLIMITED), "columns": Limits(columnar_min_bytes=0, **_UNLIMITED)}


def once(item: Incoming, limits: Limits) -> tuple[dict[str, float], Submission]:
    ref = reference()
    t0 = time.perf_counter()
    doc = parse(Path(item.path).name, item.data, limits)
    t1 = time.perf_counter()
    sub = Submission(item, "-")
    _meta(sub, doc.meta, ref)
    _rows(sub, doc)
    t2 = time.perf_counter()
    referential(sub, ref, {r.get("agency_code") for r in sub.rows})
    t3 = time.perf_counter()
    return {"parse": t1 - t0, "normalise": t2 - t1, "referential": t3 - t2, "total": t3 - t0}, sub


def compare(path: Path, unit: str, repeat: int = 3) -> dict:
    """Both paths on one file, alternately, best of ``repeat``: seconds per step, rows/s and the ratio. Raises
    ``AssertionError`` when the two paths give different rows or findings."""
    item = Incoming(Source(f"{unit}:inbox", unit, "folder"), path.name, path.read_bytes(), datetime(2030, 1, 1, tzinfo=UTC))
    best: dict[str, dict[str, float]] = {}
    subs: dict[str, Submission] = {}
    for _ in range(repeat):
        for name, limits in PATHS.items():
            subs.pop(name, None)
            gc.collect()
            t, sub = once(item, limits)
            subs[name] = sub
            best[name] = {k: min(v, best.get(name, {}).get(k, v)) for k, v in t.items()}
    rows = len(subs["rows"].rows)
    assert subs["columns"].rows == subs["rows"].rows and subs["columns"].findings == subs["rows"].findings, \
        f"{path}: the row path and the columnar path differ"
    return {"file": str(path), "mib": round(len(item.data) / 2**20, 2), "rows": rows,
            "findings": len(subs["rows"].findings),
            "rows_s": best["rows"], "columns_s": best["columns"],  # unrounded: a small file takes milliseconds
            "ratio": best["rows"]["total"] / best["columns"]["total"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", type=Path)
    ap.add_argument("--unit", default="CBC")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    r = compare(a.file, a.unit, a.repeat)
    print(f"{a.file.name}: {r['mib']:.1f} MiB, {r['rows']:,} rows, {r['findings']:,} findings; identical both ways")
    for name in ("rows", "columns"):
        t = r[f"{name}_s"]
        print(f"  {name:8} " + "  ".join(f"{k} {v:6.3f}s" for k, v in t.items())
              + f"  {r['rows'] / t['total']:>10,.0f} rows/s")
    print(f"  ratio rows/columns: {r['ratio']:.1f}x")


if __name__ == "__main__":
    main()

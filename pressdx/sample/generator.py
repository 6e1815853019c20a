"""A realistic sample inbox: what the reporting units of Decision 781/QĐ-BTTTT would send.

``generate(out)`` writes ``out/sources.yml`` and ``out/inbox/<UNIT>/<period>/<file>`` for every
dataset of ``pressdx.domain.datasets`` as ``reference/dataset_assignments.csv`` assigns them, from
``first_period`` through ``through``. The figures follow the indicator targets of
``reference/indicator_targets.csv`` (some achieved, some not), the register changes over time
(licences, closures, two provincial mergers of 2025), received times are file mtimes spread around
the due instants of ``dbt_project/seeds/reporting_calendar.csv`` (most on time, some late, a few
provisional submissions replaced by official ones), and the three encodings of ``submissions.md``
appear with their variants (BOM, ``có/không``, ``1.234.567``, ``DD/MM/YYYY``, NFD text, Excel cells).

With ``rejects=True`` a handful of ``rejects_<rule>_<dataset>.<ext>`` files carry exactly one defect
each that intake must reject; ``summary["rejects"]`` names the rule of ``pressdx.domain.findings.MESSAGES``
each one must be rejected with. ``summary["warnings"]`` lists the intended warning cases.

Everything is derived from ``seed``: the same seed writes byte-identical files with identical mtimes
(XLSX archives are written with fixed zip-entry dates and document properties). The cost is linear in
the number of rows; XLSX is used only for small files.

This module writes the files and the summary; the rest lives by job beside it: ``registry`` (names),
``agencies`` (the register and its traits), ``trends`` (adoption curves, platform stages, tasks), ``rows``
(each dataset's records per period), ``plan`` (who sends what, when, how), ``received`` (dates and
instants), ``encoding`` (the bytes of a submission), ``texts`` (the prose) and ``rejects``.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from pressdx.domain import calendar as reporting_calendar
from pressdx.domain.calendar import VN_TZ as VN
from pressdx.domain.calendar import Period
from pressdx.domain.datasets import DATASETS
from pressdx.sample.agencies import build_agencies
from pressdx.sample.encoding import Sub, encode
from pressdx.sample.plan import Planner
from pressdx.sample.received import at
from pressdx.sample.registry import REGISTERED_UNITS
from pressdx.sample.rejects import rejects_for
from pressdx.sample.rows import Rows
from pressdx.settings import ConfigError

LATE_CAP_DAYS = 60  # no received time later than the last due instant + this


class SampleInputError(ConfigError, ValueError):
    """A size or period the sample cannot be made with: the faces print it on one line and exit 2 (it is a
    ``ValueError`` too, as it was before it was a ``ConfigError``)."""


def _period_list(calendar, first_period, through):
    for code in (first_period, through):
        if code not in calendar:
            raise SampleInputError(f"unknown period {code!r}: use YYYY-Qn from {reporting_calendar.period_range(' to ')}")
    lo, hi = calendar[first_period].index, calendar[through].index
    if hi < lo:
        raise SampleInputError(f"through {through} is before the sample's first period {first_period}")
    return sorted((p for p in calendar.values() if lo <= p.index <= hi), key=lambda p: p.index)


def generate(out: Path, *, seed: int = 781, first_period: str = "2023-Q2", through: str = "2025-Q4",
             scale: float = 1.0, rejects: bool = True, progress: Callable[[str], None] | None = None,
             overwrite: bool = False) -> dict:
    """Write a sample inbox under ``out`` (``sources.yml`` and ``inbox/``) and return a summary.

    ``out/inbox`` must not exist or be empty unless ``overwrite`` is true, in which case ``out/inbox`` and
    ``out/sources.yml`` are removed first (nothing else under ``out`` is touched).
    """
    if not scale > 0:  # NaN too
        raise SampleInputError(f"scale {scale:g} is not a positive size factor: use 1 for the realistic size, "
                               f"0.1 for a tenth")
    out = Path(out)
    inbox = out / "inbox"
    if inbox.exists() and any(inbox.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{inbox} is not empty")
        shutil.rmtree(inbox)
    out.mkdir(parents=True, exist_ok=True)
    calendar = reporting_calendar.by_code()
    periods = _period_list(calendar, first_period, through)
    data = Rows(seed, periods, calendar, build_agencies(seed, scale, periods[0], periods[-1]))
    g = Planner(data)

    assign = g.assign
    first_of: dict[str, Period] = {}
    for a in assign:
        fp = calendar[a["first_period"]]
        cands = [p for p in periods if p.index >= fp.index]
        if cands and (a["dataset"] not in first_of or cands[0].index < first_of[a["dataset"]].index):
            first_of[a["dataset"]] = cands[0]

    cap = max(p.annual_report_due_at or p.due_at for p in periods) + timedelta(days=LATE_CAP_DAYS)
    written: list[dict] = []
    by_dataset: dict[str, dict[str, int]] = {d: {"files": 0, "rows": 0} for d in DATASETS}
    by_encoding: Counter = Counter()
    by_style: Counter = Counter()
    units_with_files: set[str] = set()

    def write(sub: Sub) -> dict:
        when = min(sub.received, cap - timedelta(hours=1)).replace(microsecond=0)
        start = sub.period.coverage_start
        if not sub.reject and when < at(start):  # never before the period starts
            when = at(start, 9)
        sub.received = when
        rel = Path("inbox") / sub.unit / sub.period.code / f"{sub.name}.{sub.ext}"
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(sub))
        ts = int(when.timestamp())
        os.utime(path, (ts, ts))
        units_with_files.add(sub.unit)
        by_encoding[sub.ext] += 1
        by_style[sub.encoding] += 1
        return {"path": rel.as_posix(), "unit_code": sub.unit, "dataset": sub.dataset,
                "period": sub.doc_period or sub.period.code, "status": sub.status, "encoding": sub.ext,
                "style": sub.encoding, "rows": len(sub.rows),
                "received_at": when.astimezone(VN).isoformat(),
                "due_at": ((sub.period.annual_report_due_at if sub.dataset == "annual_implementation" else None)
                           or sub.period.due_at).isoformat()}

    n_subs = 0
    reject_list: list[dict] = []
    done: set[str] = set()
    for pos, p in enumerate(periods):
        g.period(p, first_of)
        new = g.plan.subs[n_subs:]
        n_subs = len(g.plan.subs)
        rows = 0
        for s in new:
            info = write(s)
            info["on_time"] = s.received < datetime.fromisoformat(info["due_at"])
            written.append(info)
            by_dataset[s.dataset]["files"] += 1
            by_dataset[s.dataset]["rows"] += len(s.rows)
            rows += len(s.rows)
        bad = rejects_for(data, p, pos, new, done) if rejects else []
        for r in bad:
            info = write(r)
            reject_list.append({"path": info["path"], "unit_code": r.unit, "dataset": r.dataset,
                                "period": info["period"], "rule": r.reject, "detail": r.detail,
                                "received_at": info["received_at"]})
        for s in new:
            s.rows = []  # free memory: the rows are on disk
        if progress:
            progress(f"{p.code}: {len(new)} files, {rows:,} rows" + (f", {len(bad)} rejects" if bad else ""))
    # variants exercised (accepted with a warning or normalised)
    sources = []
    reg = {u for u, *_ in REGISTERED_UNITS}
    for u in sorted(units_with_files | reg, key=lambda u: (u in reg, u)):
        sources.append({"unit_code": u, "kind": "folder", "path": f"inbox/{u}",
                        "contact": f"baocao.{u.lower()}@example.gov.vn"})
    doc = {"sources": sources,
           "units": [{"unit_code": c, "unit_kind": k, "name_vi": vi, "name_en": en}
                     for c, k, vi, en in REGISTERED_UNITS]}
    (out / "sources.yml").write_text(
        f"# Sample inbox written by pressdx.sample.generator (seed {seed}, scale {scale:g}, {first_period}..{through})\n"
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    first_t = min([datetime.fromisoformat(w["received_at"]) for w in written] or [at(periods[0].coverage_start)])
    ts = int((first_t - timedelta(days=1)).timestamp())
    os.utime(out / "sources.yml", (ts, ts))

    last = periods[-1]
    kinds = Counter(a.kind for a in data.agencies if a.listed(last.coverage_end))
    warnings = list(g.plan.warnings)
    for (code, m), f in data.spikes.items():
        warnings.append({"rule": "outlier", "dataset": "agency_revenue", "agency_code": code,
                         "month": f"{m.year}-{m.month:02d}", "detail": f"revenue x{f:g}"})
    for a in data.agencies:
        if a.jump_index:
            pc = next((p.code for p in periods if p.index == a.jump_index), None)
            warnings.append({"rule": "outlier", "dataset": "agency_dx_status", "agency_code": a.code,
                             "period": pc, "detail": "staff_total more than doubles"})
    return {
        "seed": seed, "scale": scale, "first_period": first_period, "through": through,
        "periods": [p.code for p in periods],
        "agencies": sum(kinds.values()),
        "agencies_by_kind": dict(sorted(kinds.items())),
        "agencies_active_at_end": sum(1 for a in data.agencies if a.active(last.coverage_end)),
        "units": len(sources),
        "files": len(written) + len(reject_list),
        "rows": sum(d["rows"] for d in by_dataset.values()),
        "by_dataset": by_dataset,
        "by_encoding": dict(sorted(by_encoding.items())),
        "by_style": dict(sorted(by_style.items())),
        "late": sum(1 for w in written if not w["on_time"]),
        "submissions": written,
        "missing": g.plan.missing,
        "rejects": reject_list,
        "warnings": warnings,
    }

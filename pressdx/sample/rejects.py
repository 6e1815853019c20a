"""The reject files: each a copy of a regular submission with exactly one defect that intake must reject.

``reject_targets`` names, per rule of ``pressdx.domain.findings.MESSAGES``, the submission it is made from;
``rejects_for`` makes them as their source submissions appear, dated just before the regular file (the
clerk's first attempt, rejected, then corrected).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pressdx.domain.calendar import VN_TZ as VN
from pressdx.domain.calendar import Period
from pressdx.sample.encoding import Sub
from pressdx.sample.received import at, office_time
from pressdx.sample.rows import Rows


def reject_targets(periods: list[Period]) -> dict[str, tuple[str, str, int]]:
    """rule -> (unit, dataset, position in the period list from which to pick the source file)."""
    n = len(periods)
    q4 = [i for i, p in enumerate(periods) if p.quarter == 4]
    return {
        "type": ("CBC", "agency_dx_status", 2 % n),
        "staff_trained_le_total": ("CBC", "agency_dx_status", 5 % n),
        "duplicate_key": ("CBC", "agency_register", 4 % n),
        "column_missing": ("ATTT", "agency_security", 3 % n),
        "agency_unknown": ("ATTT", "agency_security", 6 % n),
        "unsupported_format": ("PTIT", "university_curriculum", 4 % n),
        "unreadable": ("PTTH", "platform_stage", 5 % n),
        "unit_mismatch": ("VNN", "task_progress", q4[-1] if q4 else n),
        "dataset_not_assigned": ("CBC", "agency_revenue", 7 % n),
        "period_not_started": ("CBC", "platform_stage", max(0, n // 2 - 1)),
    }

def rejects_for(data: Rows, p: Period, pos: int, new: list[Sub], done: set[str]) -> list[Sub]:
    """The reject files whose source is a submission of period ``p`` (``new``: its submissions)."""
    out = []
    regs = [s.received for s in new if s.dataset == "agency_register"]
    reg_t = min(regs) if regs else at(p.coverage_end)

    rng = data.rng(p.code, "rejects")

    def office(t: datetime, lo: datetime, hi: datetime) -> datetime:
        """``t`` moved to office hours of its day when that stays within (lo, hi)."""
        c = office_time(rng, t.astimezone(VN).date())
        return c if lo < c < hi else t

    def before(s: Sub, hours=30) -> datetime:
        """Just before the regular file: the clerk's first attempt, rejected, then corrected."""
        lo = reg_t + timedelta(minutes=20) if s.dataset != "agency_register" else at(p.coverage_start + timedelta(days=1), 9)
        t = s.received - timedelta(hours=hours)
        return office(t if t > lo else lo + (s.received - lo) / 2, lo, s.received)

    def mk(s: Sub, rule, enc, rows, *, unit=None, when=None, commentary=..., **kw):
        out.append(Sub(unit=unit or s.unit, dataset=s.dataset, period=p, columns=s.columns, rows=rows,
                       encoding=enc, status="official",
                       commentary=s.commentary if commentary is ... else commentary,
                       received=(when or before(s)).replace(microsecond=0),
                       name=f"rejects_{rule}_{s.dataset}", reject=rule, **kw))

    for rule, (unit, dataset, from_pos) in reject_targets(data.periods).items():
        if rule in done or pos < from_pos:
            continue
        s = next((x for x in reversed(new) if x.unit == unit and x.dataset == dataset), None)
        if s is None:
            continue
        done.add(rule)
        rows = list(s.rows)
        if rule == "type":
            i = len(rows) // 2
            rows[i] = (*rows[i][:4], "x", *rows[i][5:])
            mk(s, rule, "csv_vn", rows, detail=f"converged_newsroom = 'x' on data row {i + 1} ({rows[i][0]})")
        elif rule == "staff_trained_le_total":
            i = next(k for k, r in enumerate(rows) if r[6] and r[6] > 10)
            rows[i] = (*rows[i][:7], rows[i][6] + 7)
            mk(s, rule, "json", rows, detail=f"staff_trained = staff_total + 7 on data row {i + 1} ({rows[i][0]})")
        elif rule == "duplicate_key":
            i = len(rows) // 4
            rows.insert(i + 1, rows[i])
            mk(s, rule, "csv", rows, detail=f"agency_code {rows[i][0]} listed twice (data rows {i + 1}, {i + 2})")
        elif rule == "column_missing":
            mk(s, rule, "csv_vn", rows, variants=("drop:security_level",), detail="column security_level left out")
        elif rule == "agency_unknown":
            c = rows[0][0]
            bad = c[:2] + "O" + c[3:]  # the letter O typed for a zero
            rows[0] = (bad, *rows[0][1:])
            mk(s, rule, "json", rows, detail=f"agency_code {bad} (data row 1) is in no register")
        elif rule == "unsupported_format":
            mk(s, rule, "xlsx", rows, variants=("xlsm",), detail="a macro-enabled .xlsm workbook")
        elif rule == "unreadable":
            mk(s, rule, "xlsx", rows, variants=("truncate",), detail="XLSX archive cut short")
        elif rule == "unit_mismatch":
            rows = [r for r in data.task_rows("TCTTTT", p.year) if r[0] == "IV.2"]
            mk(s, rule, "json", rows, doc_unit="TCTTTT", when=s.received + timedelta(hours=2),
               detail="a document of unit TCTTTT dropped in the folder of VNN")
        elif rule == "dataset_not_assigned":
            vnn = next((a for a in data.agencies if a.name == "Báo VietNamNet"), data.agencies[0])
            rows = [r for r in rows if r[0] == vnn.code] or rows[:3]
            mk(s, rule, "csv", rows, unit="VNN", when=s.received + timedelta(days=1), commentary=None,
               detail="VietNamNet sent its own monthly revenue (agency_revenue is assigned to CBC only)")
        elif rule == "period_not_started":
            nxt = [q for q in data.cal.values() if q.index == p.index + 1]
            if not nxt:
                continue
            lo = max(at(p.coverage_start + timedelta(days=1), 9), s.received - timedelta(days=20))
            hi = min(s.received, at(nxt[0].coverage_start) - timedelta(days=2))
            when = office(min(lo + (s.received - lo) / 3, hi), lo, hi)
            mk(s, rule, "json", rows, doc_period=nxt[0].code, when=when,
               detail=f"period {nxt[0].code} written in a file received on {when.astimezone(VN):%d/%m/%Y}")
    return out


"""Planning the submissions of each period: who sends what, when, in which encoding, and which twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pressdx.domain.calendar import VN_TZ as VN
from pressdx.domain.calendar import Period
from pressdx.domain.datasets import DATASETS
from pressdx.domain.reference import read_seed
from pressdx.sample.encoding import Sub
from pressdx.sample.received import arrival, at
from pressdx.sample.registry import REGISTERED_UNITS
from pressdx.sample.rows import Rows
from pressdx.sample.texts import trend_review_commentary

XLSX_MAX_ROWS = 1000  # XLSX only for files up to this many rows (openpyxl costs ~70 µs a cell)


@dataclass
class Plan:
    """Everything written, in the order of generation."""

    subs: list[Sub] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


LATE_P = {"agency_register": 0.0, "agency_dx_status": 0.1, "agency_revenue": 0.25,
          "agency_revenue_baseline": 0.0, "platform_stage": 0.12, "agency_security": 0.15,
          "university_curriculum": 0.15, "task_progress": 0.2, "annual_implementation": 0.2}
MISSING_P = {"platform_stage": 0.03, "agency_security": 0.04, "university_curriculum": 0.05,
             "task_progress": 0.07, "annual_implementation": 0.07}
ENC_CYCLE = {
    "agency_register": ("json", "csv", "xlsx", "csv_vn"),
    "agency_dx_status": ("csv_vn", "json", "csv", "xlsx", "csv_excel"),
    "agency_revenue": ("csv", "csv_vn", "json", "csv_excel", "xlsx", "csv_co"),
    "agency_security": ("xlsx", "csv_vn", "json", "csv_10"),
    "university_curriculum": ("xlsx", "json", "csv_vn"),
    "platform_stage": ("json", "xlsx", "csv"),
    # never CSV: the task's own `status` column would collide with the submission `status` repeated on
    # every CSV row (submissions.md does not say how to tell them apart)
    "task_progress": ("xlsx", "json", "xlsx", "json", "json"),
    "annual_implementation": ("xlsx", "csv_vn", "json", "xlsx", "csv"),
}
# (unit, dataset, period, kind): provisional then official, a corrected official, provisional only
REVISIONS = (
    ("CBC", "agency_revenue", "2024-Q1", "provisional"),
    ("ATTT", "agency_security", "2023-Q3", "provisional"),
    ("CBC", "agency_dx_status", "2025-Q2", "provisional"),
    ("PTTH", "platform_stage", "2024-Q4", "provisional"),
    ("HANOI", "annual_implementation", "2024-Q4", "provisional"),
    ("CBC", "agency_register", "2024-Q2", "corrected"),
    ("PTIT", "university_curriculum", "2024-Q3", "provisional_only"),
)


class Planner:
    """Decides, period by period, which submissions each unit sends, when, in which encoding and status.

    Most are on time, some late or missing (``LATE_P``, ``MISSING_P``); the ``REVISIONS`` are sent twice;
    a few carry a normalisation variant or lack their commentary, and each such case is recorded in
    ``plan.warnings`` for the tests to find.
    """

    def __init__(self, records: Rows):
        self.records, self.cal, self.rng = records, records.cal, records.rng
        periods = records.periods
        self.assign = read_seed("dataset_assignments")
        self.plan = Plan()
        self.revisions = {(u, d, p): k for u, d, p, k in REVISIONS}
        q2 = [p.code for p in periods if p.needs_trend_review]
        self.no_commentary = set()
        if len(q2) >= 2:
            self.no_commentary.add(("ATTT", "agency_security", q2[1]))
        if len(q2) >= 3:
            self.no_commentary.add(("PTTH", "platform_stage", q2[2]))
        # normalisation cases: accepted, some with a warning
        q4 = [p.code for p in periods if p.quarter == 4]
        self.variants = {}
        if len(periods) > 2:
            self.variants[("ATTT", "agency_security", periods[2].code)] = ("extra_col",)
        if len(periods) > 4:
            self.variants[("ATTT", "agency_security", periods[4].code)] = ("lower_codes",)
        if len(periods) > 3:
            self.variants[("CBC", "agency_register", periods[-3].code)] = ("nfd",)
        if q4:
            self.variants[("BTP", "annual_implementation", q4[0])] = ("nfd",)
        if len(q4) > 1:
            self.variants[("HCMC", "annual_implementation", q4[1])] = ("pad",)

    def encoding_for(self, dataset: str, unit: str, p: Period, nrows: int) -> str:
        cyc = ENC_CYCLE.get(dataset, ("csv",))
        off = sum(map(ord, unit)) if dataset in ("task_progress", "annual_implementation") else 0
        enc = cyc[(p.index + off) % len(cyc)]
        if dataset == "agency_revenue_baseline":
            enc = "xlsx"
        if enc == "xlsx" and nrows > XLSX_MAX_ROWS:
            enc = "csv_vn"
        return enc

    def add(self, unit, dataset, p, columns, rows, lo, due, *, rows_fn=None) -> datetime | None:
        """Plan the submission(s) of (unit, dataset, p); return the first received time (None: missing)."""
        key = (unit, dataset, p.code)
        rng = self.rng(p.code, unit, dataset, "when")
        rev = self.revisions.get(key)
        if rev is None and rng.random() < MISSING_P.get(dataset, 0.0):
            self.plan.missing.append({"unit_code": unit, "dataset": dataset, "period": p.code})
            return None
        late = rev is None and rng.random() < LATE_P.get(dataset, 0.0)
        t0 = arrival(rng, lo, due, late)
        enc = self.encoding_for(dataset, unit, p, len(rows))
        commentary = None
        if p.needs_trend_review and dataset not in ("task_progress", "annual_implementation"):
            if key in self.no_commentary:
                self.plan.warnings.append({"unit_code": unit, "dataset": dataset, "period": p.code,
                                           "rule": "missing_commentary"})
            else:
                commentary = trend_review_commentary(dataset, p, rows)
        variants = self.variants.get(key, ())
        if "extra_col" in variants:
            self.plan.warnings.append({"unit_code": unit, "dataset": dataset, "period": p.code,
                                       "rule": "column_unknown", "detail": "column ghi_chu"})
        base = dict(unit=unit, dataset=dataset, period=p, columns=columns, encoding=enc, variants=variants)
        if rev in ("provisional", "provisional_only"):
            prov_rows = rows_fn() if rows_fn else rows
            note = "Số liệu ước tính; số liệu chính thức sẽ được gửi bổ sung."
            self.plan.subs.append(Sub(**base, rows=prov_rows, status="provisional", received=t0,
                                      commentary=f"{commentary} {note}" if commentary else note,
                                      name=f"{dataset}_1_provisional"))
            if rev == "provisional_only":
                self.plan.warnings.append({"unit_code": unit, "dataset": dataset, "period": p.code,
                                           "rule": "provisional_not_replaced"})
                return t0
            t1 = t0 + timedelta(days=rng.randrange(6, 24), minutes=rng.randrange(600))
            note = f"Số liệu chính thức, thay thế bản ước tính gửi ngày {t0.astimezone(VN):%d/%m/%Y}."
            self.plan.subs.append(Sub(**base, rows=rows, received=t1, name=f"{dataset}_2_official",
                                      commentary=f"{commentary} {note}" if commentary else note))
        elif rev == "corrected":
            self.plan.subs.append(Sub(**base, rows=rows_fn(), received=t0, commentary=commentary,
                                      name=f"{dataset}_1_official"))
            t1 = t0 + timedelta(days=rng.randrange(2, 6), minutes=rng.randrange(600))
            note = "Bản sửa đổi: đính chính tên cơ quan báo chí."
            self.plan.subs.append(Sub(**base, rows=rows, received=t1, name=f"{dataset}_2_corrected",
                                      commentary=f"{commentary} {note}" if commentary else note))
        else:
            self.plan.subs.append(Sub(**base, rows=rows, received=t0, commentary=commentary, name=dataset))
        return t0

    def period(self, p: Period, first_of: dict[str, Period]):
        cols = {d: DATASETS[d].column_names for d in DATASETS}
        started = {(a["unit_code"], a["dataset"]) for a in self.assign
                   if self.cal[a["first_period"]].index <= p.index}
        due = p.due_at
        end_t = at(p.coverage_end)
        # CBC's register first: everything that names an agency comes after it
        reg_t = None
        if ("CBC", "agency_register") in started:
            rows = self.records.register_rows(p)
            reg_t = self.add("CBC", "agency_register", p, cols["agency_register"], rows,
                             end_t - timedelta(days=5), due,
                             rows_fn=lambda: self.records.register_rows(p, typo=True))
        after_reg = (reg_t or end_t) + timedelta(hours=1)
        if ("CBC", "agency_revenue_baseline") in started and first_of.get("agency_revenue_baseline") is p:
            self.add("CBC", "agency_revenue_baseline", p, cols["agency_revenue_baseline"], self.records.baseline_rows(),
                     after_reg, due)
        if ("CBC", "agency_dx_status") in started:
            rows = self.records.dx_rows(p)
            self.add("CBC", "agency_dx_status", p, cols["agency_dx_status"], rows, after_reg, due,
                     rows_fn=lambda: [(*r[:7], None if r[7] is None else round(r[7] * 0.9)) for r in rows])
        if ("CBC", "agency_revenue") in started:
            first = first_of.get("agency_revenue") is p
            rows = self.records.revenue_rows(p, first)
            self.add("CBC", "agency_revenue", p, cols["agency_revenue"], rows,
                     max(after_reg, at(p.coverage_end + timedelta(days=1), 8)), due,
                     rows_fn=lambda: self.records.revenue_rows(p, first, provisional=True))
        if ("CBC", "platform_stage") in started:
            self.add("CBC", "platform_stage", p, cols["platform_stage"], self.records.platform_rows(["epress"], p),
                     end_t - timedelta(days=10), due)
        if ("PTTH", "platform_stage") in started:
            rows = self.records.platform_rows(["radio", "television"], p)
            self.add("PTTH", "platform_stage", p, cols["platform_stage"], rows, end_t - timedelta(days=10), due,
                     rows_fn=lambda: [(r[0], "formed", "Chờ nghiệm thu giai đoạn phát triển; tạm báo cáo giai "
                                       "đoạn hình thành.") if r[0] == "television" and r[1] == "developing"
                                      else r for r in rows])
        if ("ATTT", "agency_security") in started:
            rows = self.records.security_rows(p)
            self.add("ATTT", "agency_security", p, cols["agency_security"], rows,
                     max(after_reg, end_t - timedelta(days=3)), due,
                     rows_fn=lambda: [(r[0], max(1, r[1] - 1) if i % 17 == 0 else r[1], r[2])
                                      for i, r in enumerate(rows)])
        if ("PTIT", "university_curriculum") in started:
            rows = self.records.curriculum_rows(p)
            self.add("PTIT", "university_curriculum", p, cols["university_curriculum"], rows,
                     end_t - timedelta(days=8), due)
        if p.quarter == 4:
            for a in self.assign:
                if a["dataset"] == "task_progress" and (a["unit_code"], "task_progress") in started:
                    rows = self.records.task_rows(a["unit_code"], p.year)
                    if rows:
                        self.add(a["unit_code"], "task_progress", p, cols["task_progress"], rows,
                                 at(date(p.year, 11, 10), 8), due)
            annual_due = p.annual_report_due_at or due
            for code, *_ in REGISTERED_UNITS:
                rows = self.records.annual_rows(code, p.year)
                self.add(code, "annual_implementation", p, cols["annual_implementation"], rows,
                         at(date(p.year, 11, 15), 8), annual_due,
                         rows_fn=lambda rows=rows: [(r[0], r[1] + " (số liệu sơ bộ)", r[2], r[3]) for r in rows])

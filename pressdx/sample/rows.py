"""The rows of every dataset, period by period, as the units' records would hold them."""

from __future__ import annotations

import math
import random
import unicodedata
from datetime import date, timedelta

from pressdx.domain.calendar import FIRST_REVENUE_MONTH, Period
from pressdx.domain.reference import read_seed
from pressdx.sample.agencies import Agency
from pressdx.sample.received import rand_date
from pressdx.sample.registry import INSTITUTIONS
from pressdx.sample.texts import PLATFORM_VI, SECTION_TEXT, STAGE_VI
from pressdx.sample.trends import PLATFORM_PLAN, SEASON, TASK_DONE, TASK_OUTPUT, share


class Rows:
    """The records of each dataset for a period, read off the agencies and the trends.

    Stateful on purpose, and called in period order: staff trained and security certificates only grow,
    and a revenue correction repeats last quarter's month, as a unit's own records would.
    """

    def __init__(self, seed: int, periods: list[Period], cal: dict[str, Period], agencies: list[Agency]):
        self.seed, self.periods, self.cal, self.agencies = seed, periods, cal, agencies
        self.tasks = read_seed("tasks")
        self.spikes = {}
        rng = self.rng("spikes")
        movers = [a for a in self.agencies if a.reports_rev and a.base > 0 and not a.flaky and a.closed_on is None]
        for a in rng.sample(movers, min(2, len(movers))):
            p = periods[rng.randrange(len(periods))]
            self.spikes[(a.code, p.months()[-1])] = 6.0
        self.last_revenue = {}

    def rng(self, *key) -> random.Random:
        return random.Random("/".join([str(self.seed), *map(str, key)]))

    def register_rows(self, p: Period, typo: bool = False) -> list[tuple]:
        rows = []
        for a in self.agencies:
            if a.listed(p.coverage_end):
                closed = a.closed_on if a.closed_on and a.closed_on <= p.coverage_end else None
                rows.append((a.code, a.name, a.kind, a.gov, ";".join(a.media), a.licensed_on, closed))
        if typo and rows:
            i = len(rows) // 3
            r = rows[i]
            plain = unicodedata.normalize("NFD", r[1]).encode("ascii", "ignore").decode().replace("đ", "d")
            rows[i] = (r[0], plain, *r[2:])
        return rows

    def dx_rows(self, p: Period) -> list[tuple]:
        rng = self.rng(p.code, "dx")
        s1, s2, s3, sdx, s6 = (share(k, p.index) for k in ("I1", "I2", "I3", "DX", "I6"))
        rows = []
        for a in self.agencies:
            if not a.active(p.coverage_end):
                continue
            staff = max(1, round(a.staff0 * (1 + a.drift) ** (p.index - 1)))
            if a.jump_index and p.index >= a.jump_index:
                staff = round(staff * 2.1)
            target = math.floor(staff * min(1.0, s6 * a.train_mult))
            a.trained = min(staff, max(a.trained, target))
            d1 = a.u1 < s1
            if not d1 and rng.random() < 0.09:
                continue  # did not answer this quarter
            blank = rng.random() < 0.03
            rows.append((a.code, d1, (a.dom if d1 else False) if rng.random() > 0.1 else None,
                         a.u2 < s2, a.u3 < s3, a.udx < sdx,
                         None if blank else staff, None if blank else a.trained))
        return rows

    def revenue_rows(self, p: Period, first: bool, provisional: bool = False) -> list[tuple]:
        rng = self.rng(p.code, "revenue")
        est = self.rng(p.code, "revenue", "estimate")  # provisional rounding: its own stream
        since = None
        if first:
            q1 = self.cal.get(f"{p.year}-Q1")
            since = max(FIRST_REVENUE_MONTH, q1.coverage_start if q1 else p.coverage_start)
        months = p.months(since)
        rows = []
        for a in self.agencies:
            if not a.reports_rev:
                continue
            lic = a.licensed_on
            for m in months:
                if lic and lic > date(m.year + (m.month == 12), m.month % 12 + 1, 1) - timedelta(days=1):
                    continue
                if a.closed_on and a.closed_on <= m:
                    continue
                if a.flaky and rng.random() < 0.25:
                    continue
                t = m.year + (m.month - 0.5) / 12 - 2022.5
                v = a.base * SEASON[m.month - 1] * math.exp(a.lg * t + rng.gauss(0, 0.05))
                v *= self.spikes.get((a.code, m), 1.0)
                v = int(round(v / 1000)) * 1000
                if provisional and m == months[-1]:
                    v = int(round(v * (1 + est.gauss(0, 0.05)) / 1e7)) * 10_000_000
                rows.append((a.code, m, max(0, v)))
            if rng.random() < 0.005 and not first and not provisional and a.code in self.last_revenue:
                m, v = self.last_revenue[a.code]
                rows.append((a.code, m, int(round(v * 1.02 / 1000)) * 1000))  # corrects last quarter
        if not provisional:
            self.last_revenue = {}
            for r in rows:
                self.last_revenue[r[0]] = (r[1], r[2])
        return rows

    def baseline_rows(self) -> list[tuple]:
        rng = self.rng("baseline")
        return [(a.code, int(a.baseline)) for a in self.agencies
                if a.baseline is not None and a.reports_rev and rng.random() < 0.98]

    def security_rows(self, p: Period) -> list[tuple]:
        rng = self.rng(p.code, "security")
        s7 = share("I7", p.index)
        rows = []
        for a in self.agencies:
            if not (a.electronic and a.active(p.coverage_end)):
                continue
            if a.u7 < s7:
                if a.cert is None:
                    lo = p.coverage_start if p.index > self.periods[0].index else date(2021, 1, 1)
                    a.cert = rand_date(rng, lo, p.coverage_end)
                rows.append((a.code, a.sec_hi, a.cert))
            elif rng.random() < 0.85:
                rows.append((a.code, a.sec_lo, a.sec_dated))
        return rows

    def curriculum_rows(self, p: Period) -> list[tuple]:
        rows = []
        for code, name, has, upd, listed in INSTITUTIONS:
            if listed and self.cal[listed].index > p.index:
                continue
            done = bool(has and upd and self.cal[upd].index <= p.index)
            rows.append((code, name, has, done))
        return rows

    def platform_rows(self, platforms, p: Period) -> list[tuple]:
        rows = []
        for plat in platforms:
            stage, since = None, None
            for start, st in PLATFORM_PLAN[plat]:
                if self.cal[start].index <= p.index:
                    stage, since = st, start
            ev = (f"Nền tảng {PLATFORM_VI[plat]} ở giai đoạn {STAGE_VI[stage]} từ kỳ {since}; "
                  f"báo cáo tiến độ số {10 + p.index * 7}/BC ngày {p.coverage_end.day:02d}/{p.coverage_end.month:02d}/{p.coverage_end.year}.")
            rows.append((plat, stage, ev))
        return rows

    def task_rows(self, unit: str, year: int) -> list[tuple]:
        rng = self.rng(year, unit, "tasks")
        rows = []
        for t in self.tasks:
            if unit not in t["lead_units"].split(";"):
                continue
            code, kind = t["task_code"], t["due_kind"]
            ref = (f"Báo cáo số {rng.randrange(100, 2000)}/BC-{unit} ngày "
                   f"{rng.randrange(1, 29):02d}/{rng.randrange(10, 12):02d}/{year}")
            if kind == "annual":
                lo, hi = int(t["recurring_from_year"]), int(t["recurring_to_year"])
                if not lo <= year <= hi:
                    continue
                out = TASK_OUTPUT.get((code, year))
                if out is None and t["output_min"]:
                    out = int(t["output_min"]) + rng.randrange(3)
                if code == "VI.2":
                    rows.append((code, year, "in_progress", 80.0, None, None,
                                 "Đang tổng hợp báo cáo năm, hoàn thành trong tháng 12."))
                elif rng.random() < 0.15:
                    rows.append((code, year, "in_progress", float(rng.randrange(60, 95)), out, None,
                                 "Đang triển khai, dự kiến hoàn thành cuối năm."))
                else:
                    rows.append((code, year, "completed", 100.0, out, ref, "Đã hoàn thành theo kế hoạch."))
            elif kind == "by_date":
                done = TASK_DONE.get(code)
                if done is not None and year > done:
                    continue
                out = TASK_OUTPUT.get((code, year))
                if done == year:
                    rows.append((code, None, "completed", 100.0, out, ref, "Đã hoàn thành."))
                elif code == "I.4" and year == 2023:
                    rows.append((code, None, "not_started", 0.0, None, None, "Chưa triển khai trong năm 2023."))
                else:
                    pct = float(min(95, 30 + 25 * (year - 2023) + rng.randrange(10)))
                    overdue = t["due_date"] and date.fromisoformat(t["due_date"]).year < year
                    rows.append((code, None, "in_progress", pct, out, None,
                                 "Chậm so với tiến độ, đang khẩn trương hoàn thiện." if overdue
                                 else "Đang triển khai."))
            elif kind == "per_project_schedule":
                rows.append((code, None, "in_progress", float(min(95, 20 + 25 * (year - 2023))), None,
                             ref, "Triển khai theo tiến độ dự án được phê duyệt."))
            else:  # continuous
                rows.append((code, None, "in_progress", None,
                             120 + 60 * (year - 2023) + rng.randrange(30) if code == "IV.2" else None,
                             None, "Thực hiện thường xuyên."))
        return rows

    def annual_rows(self, unit: str, year: int) -> list[tuple]:
        rng = self.rng(year, unit, "annual")
        rows = []
        for sec in ("I", "II", "III", "IV", "V", "VI"):
            if sec in ("IV", "V") and rng.random() < 0.35:
                continue
            summary, diff, prop = SECTION_TEXT[sec]
            rows.append((sec, summary.format(y=year, n=rng.randrange(5, 400), k=rng.randrange(1, 12)),
                         diff or None if rng.random() < 0.8 else None, prop or None))
        return rows

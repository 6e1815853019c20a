"""The reporting calendar of Decision 781, read from the dbt seed ``reporting_calendar.csv``.

The table, not this module, decides what a period covers and when it is due, so another reading of the
decision (e.g. Decree 09/2019's 15th-to-14th cut-offs) is an edit of the CSV, not of code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from pressdx.settings import seeds_dir

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR_CSV = seeds_dir() / "reporting_calendar.csv"
PERIOD_RE = re.compile(r"^\s*(\d{4})\s*-\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True)
class Period:
    code: str
    year: int
    quarter: int
    index: int
    coverage_start: date
    coverage_end: date
    due_at: datetime
    annual_report_due_at: datetime | None

    def months(self) -> list[date]:
        """First days of the months this period covers."""
        out, d = [], self.coverage_start
        while d <= self.coverage_end:
            out.append(d)
            d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
        return out

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.coverage_start, datetime.min.time(), VN_TZ)


@cache
def periods() -> tuple[Period, ...]:
    with CALENDAR_CSV.open(encoding="utf-8") as f:
        return tuple(
            Period(
                code=r["period_code"], year=int(r["year"]), quarter=int(r["quarter"]),
                index=int(r["period_index"]),
                coverage_start=date.fromisoformat(r["coverage_start"]),
                coverage_end=date.fromisoformat(r["coverage_end"]),
                due_at=datetime.fromisoformat(r["due_at"]),
                annual_report_due_at=datetime.fromisoformat(r["annual_report_due_at"])
                if r["annual_report_due_at"] else None,
            )
            for r in csv.DictReader(f)
        )


@cache
def _by_code() -> dict[str, Period]:
    return {p.code: p for p in periods()}


def normalise_code(text: str) -> str | None:
    m = PERIOD_RE.match(text or "")
    return f"{m.group(1)}-Q{m.group(2)}" if m else None


def period(code: str) -> Period:
    """The period named ``code`` (``2024-Q2``; case and spaces forgiven); KeyError if the calendar lacks it."""
    norm = normalise_code(code)
    if norm is None or norm not in _by_code():
        raise KeyError(code)
    return _by_code()[norm]


def period_containing(instant: datetime) -> Period:
    """The period whose coverage holds ``instant``'s Vietnam date (clamped to the calendar's ends)."""
    d = instant.astimezone(VN_TZ).date()
    ps = periods()
    for p in ps:
        if p.coverage_start <= d <= p.coverage_end:
            return p
    return ps[0] if d < ps[0].coverage_start else ps[-1]


def periods_through(last: str, first: str | None = None) -> list[Period]:
    hi = period(last).index
    lo = period(first).index if first else 1
    return [p for p in periods() if lo <= p.index <= hi]

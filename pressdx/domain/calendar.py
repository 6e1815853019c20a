"""The reporting calendar of Decision 781, read from the dbt seed ``reporting_calendar.csv``.

The table, not this module, decides what a period covers and when it is due, so another reading of the
decision (e.g. Decree 09/2019's 15th-to-14th cut-offs) is an edit of the CSV, not of code. Every other
calendar fact is derived here from that table, once, and read from here by intake, the sample, the
publications and the DAGs' schedules:

* the periods (``periods``, ``period``, ``period_containing``, ``periods_through``);
* the first revenue month (``FIRST_REVENUE_MONTH``: the first month the calendar covers, 2022-12, the first
  month of reporting year 2023, ``submissions.md``) and the period range that messages name
  (``period_range()``: ``2023-Q1 … 2030-Q4``);
* the due instants (``Due``, ``due_instants``, ``due_at_or_before``), the cron expressions that fire at them
  (``crons_from_calendar``) and the year an annual run reports on (``report_year_for``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from pressdx.settings import ConfigError, seeds_dir

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
    needs_trend_review: bool = False  # the Q2 submissions carry the 6-month trend review

    def months(self, since: date | None = None) -> list[date]:
        """First days of the months this period covers (from ``since``'s month when given)."""
        d = since or self.coverage_start
        out, d = [], date(d.year, d.month, 1)
        while d <= self.coverage_end:
            out.append(d)
            d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
        return out

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.coverage_start, datetime.min.time(), VN_TZ)


@cache
def periods() -> tuple[Period, ...]:
    with CALENDAR_CSV.open(encoding="utf-8", newline="") as f:
        return tuple(
            Period(
                code=r["period_code"], year=int(r["year"]), quarter=int(r["quarter"]),
                index=int(r["period_index"]),
                coverage_start=date.fromisoformat(r["coverage_start"]),
                coverage_end=date.fromisoformat(r["coverage_end"]),
                due_at=datetime.fromisoformat(r["due_at"]),
                annual_report_due_at=datetime.fromisoformat(r["annual_report_due_at"])
                if r["annual_report_due_at"] else None,
                needs_trend_review=r["needs_trend_review"].strip().lower() == "true",
            )
            for r in csv.DictReader(f)
        )


@cache
def by_code() -> dict[str, Period]:
    """Every period by its code, in calendar order."""
    return {p.code: p for p in periods()}


def normalise_code(text: str) -> str | None:
    m = PERIOD_RE.match(text or "")
    return f"{m.group(1)}-Q{m.group(2)}" if m else None


def period(code: str) -> Period:
    """The period named ``code`` (``2024-Q2``; case and spaces forgiven); KeyError if the calendar lacks it."""
    norm = normalise_code(code)
    if norm is None or norm not in by_code():
        raise KeyError(code)
    return by_code()[norm]


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


def period_range(sep: str = " … ") -> str:
    """The calendar's first and last period codes joined by ``sep``: ``2023-Q1 … 2030-Q4``.

    Messages that say which periods exist name them from here (``period_range(" đến ")`` in Vietnamese,
    ``period_range(" to ")`` in English), so a longer calendar is one edit of the CSV.
    """
    ps = periods()
    return f"{ps[0].code}{sep}{ps[-1].code}"


def first_revenue_month() -> date:
    """The first month a revenue row may name: the first month the calendar covers (2022-12)."""
    return periods()[0].coverage_start


def __getattr__(name: str) -> Any:
    """``FIRST_REVENUE_MONTH`` and ``PERIOD_RANGE`` as constants, read from the CSV on first use (PEP 562)."""
    if name == "FIRST_REVENUE_MONTH":
        return first_revenue_month()
    if name == "PERIOD_RANGE":
        return period_range()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- due instants ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    """One due instant of the calendar: what becomes due then and what is published for it."""

    publication: str  # folder name under published/: "2025-Q2" or "2025-annual-reports"
    kind: str  # quarterly | annual_reports
    period: str  # the period that just became due (annual reports: Y-Q4)
    year: int
    quarter: int
    due_at: datetime  # the due instant = the as-of instant of the build and of the publication
    trend_review: bool  # the Q2 due instant also produces the 6-month trend review

    @property
    def as_of(self) -> datetime:
        return self.due_at

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["due_at"] = self.due_at.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Due:
        return cls(**{**d, "due_at": datetime.fromisoformat(d["due_at"])})


def due_instants() -> list[Due]:
    """Every due instant of the calendar, in time order: each period's due_at and each 15 December."""
    out = []
    for p in periods():
        out.append(Due(p.code, "quarterly", p.code, p.year, p.quarter, p.due_at, p.needs_trend_review))
        if p.annual_report_due_at is not None:
            out.append(Due(f"{p.year}-annual-reports", "annual_reports", p.code, p.year, p.quarter,
                           p.annual_report_due_at, False))
    return sorted(out, key=lambda d: d.due_at)


def same_deadlines(earlier: datetime, later: datetime) -> bool:
    """Whether every deadline reads the same at both instants: the same Vietnam date (task deadlines,
    reportable periods) and no due instant in ``(earlier, later]`` (timeliness). What a build as of
    ``earlier`` must share with one as of ``later`` to be kept (``build_inputs``) or narrowed (``scope``)."""
    return (earlier.astimezone(VN_TZ).date() == later.astimezone(VN_TZ).date()
            and not any(earlier < d.due_at <= later for d in due_instants()))


def due_at_or_before(instant: datetime) -> Due:
    """The last due instant at or before ``instant``: what a run at that time publishes.

    A scheduled run's date is a due instant itself; a manual run at another time republishes the last
    publication that became due, as of its due instant (so any re-run gives the same files).
    """
    if instant.tzinfo is None:
        raise ValueError(f"an aware datetime is needed: {instant!r}")
    past = [d for d in due_instants() if d.due_at <= instant]
    if not past:
        first = due_instants()[0]
        raise ConfigError(f"{instant.isoformat()} is before the first due instant of the calendar "
                          f"({first.due_at.isoformat()}, {first.period})")
    return past[-1]


def crons_from_calendar() -> list[str]:
    """The cron expressions (minute hour day month *, Vietnam time) that fire at every due instant.

    Derived from the calendar: instants sharing a day of month and a time are merged into one expression
    (``0 0 5 7,10,12 *``). Raises ``ValueError`` when the calendar's instants do not repeat every year
    (a cron cannot express them: the DAG then needs a custom timetable).
    """
    by_slot: dict[tuple[int, int, int], set[int]] = {}
    per_year: dict[int, set[tuple[int, int, int, int]]] = {}
    for d in due_instants():
        local = d.due_at.astimezone(VN_TZ)
        by_slot.setdefault((local.minute, local.hour, local.day), set()).add(local.month)
        per_year.setdefault(local.year, set()).add((local.month, local.day, local.hour, local.minute))
    patterns = {frozenset(v) for v in per_year.values()}
    if len(patterns) != 1:
        raise ValueError("the due instants differ from year to year: no set of cron expressions fits them")
    return sorted(f"{m} {h} {day} {','.join(str(x) for x in sorted(months))} *"
                  for (m, h, day), months in by_slot.items())


def report_year_for(run_date: datetime) -> int:
    """The reporting year an annual run at ``run_date`` reports on: the last year whose Q4 has ended."""
    local = run_date.astimezone(VN_TZ).date()
    years = [p.year for p in periods() if p.quarter == 4 and p.coverage_end < local]
    if not years:
        raise ConfigError(f"{run_date.isoformat()}: no reporting year has ended yet (the first ends with "
                          f"{periods()[0].year}-Q4)")
    return years[-1]

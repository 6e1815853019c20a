"""Random dates and upload instants: when a clerk would send a file (office hours, some late evenings).

Received times become the files' mtimes, which folder intake takes as the instant a file arrived.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from pressdx.domain.calendar import VN_TZ as VN


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))



def office_time(rng: random.Random, day: date) -> datetime:
    if rng.random() < 0.1:
        h = rng.randrange(19, 23)
    else:
        h = rng.choice((8, 8, 9, 9, 10, 10, 10, 11, 13, 14, 14, 15, 15, 16, 16, 17))
    return datetime(day.year, day.month, day.day, h, rng.randrange(60), rng.randrange(60), tzinfo=VN)


def arrival(rng: random.Random, lo: datetime, due: datetime, late: bool) -> datetime:
    """A plausible upload instant: in [lo, due) when on time, after due when late."""
    if late:
        start = max(due, lo)
        day = start.astimezone(VN).date() + timedelta(days=rng.choice((0, 1, 2, 3, 5, 8, 12, 18)))
        t = office_time(rng, day)
        return t if t > start else start + timedelta(minutes=rng.randrange(30, 600))
    lo_day, due_day = lo.astimezone(VN).date(), due.astimezone(VN).date()
    if due_day <= lo_day:
        return lo + (due - lo) / 2 if due > lo else lo + timedelta(minutes=5)
    t = office_time(rng, rand_date(rng, lo_day, due_day - timedelta(days=1)))
    if t <= lo:
        t = lo + min(timedelta(minutes=rng.randrange(10, 90)), (due - lo) / 2)
    return t


def at(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VN)


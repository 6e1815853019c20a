"""The jobs' clock: one ``now()`` for every instant a job records (as-of, registrations, audit runs).

One place, so that a test or the benchmark can run the jobs at a fixed instant by replacing
``pressdx.jobs.clock.datetime`` (tests/integration/test_parity.py does, for both warehouses alike).
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)

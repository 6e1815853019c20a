"""Intake's stage timer: the hook through which the benchmark sees where intake's time goes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar

# A stage timer, the hook through which the benchmark (bench/case.py) sees where intake's time goes:
# ``timer(stage, detail)`` is entered around each step. Stages: "parse" (detail: the file's suffix),
# "normalise" (the rest of ``prepare``), "validate" (the GX suites), "checks" (known files and agencies,
# references, history warnings), "load" (raw rows and audit events, the landing store, the quarantine).
# "parse" runs inside "normalise": a timer that wants exclusive times subtracts the inner step.
# Given to ``take_in(timer=...)``, or set around any job that takes files in with ``timed_by(timer)`` (so
# the jobs calling ``take_in`` need not carry it through their signatures).
StageTimer = Callable[[str, str], AbstractContextManager[object]]


def untimed(stage: str, detail: str = "") -> AbstractContextManager[object]:
    """The default ``StageTimer``: times nothing."""
    return nullcontext()


_TIMER: ContextVar[StageTimer] = ContextVar("ingest_intake_timer", default=untimed)


@contextmanager
def timed_by(timer: StageTimer) -> Iterator[StageTimer]:
    """Every ``take_in`` inside the block (in this thread or task) reports its steps to ``timer``."""
    token = _TIMER.set(timer)
    try:
        yield timer
    finally:
        _TIMER.reset(token)


def current() -> StageTimer:
    """The timer set by the innermost ``timed_by`` (``untimed`` outside one)."""
    return _TIMER.get()

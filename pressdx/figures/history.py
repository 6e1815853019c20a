"""Figures as known at an instant T, read from the history marts without writing to the warehouse.

The build keeps every version of every figure (``fct_indicator_period_history``,
``fct_indicator_annual_history``: each row holds for ``known_from <= T < known_to``, docs/knowledge-time.md).
So ``--as-of T`` is a filtered read of those marts. It is exact for the submissions the last build saw.
It is not exact when the warehouse took in, after that build, a submission received at or before T:
that submission is in no figure yet. ``open_at`` then refuses with one line and names the fix (the
next ``pressdx run`` builds it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from pressdx.domain import calendar
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import Warehouse, WarehouseURL

PERIOD_HISTORY = "fct_indicator_period_history"


def known_at(alias: str = "h") -> str:
    """SQL predicate: the row of a history mart ``alias`` holds at the instant bound twice (``?``, ``?``)."""
    return f"({alias}.known_from is null or {alias}.known_from <= ?) and ({alias}.known_to is null or {alias}.known_to > ?)"


@dataclass(frozen=True)
class At:
    """Which marts a question reads and which of their rows: the marts themselves (``as_of`` None, the last
    build), or their ``_history`` twins filtered at ``as_of``. Queries write ``{at.mart('fct_x')} x`` and
    ``and {at.known('x')}`` with ``*at.params`` after their own parameters."""

    as_of: datetime | None

    def mart(self, name: str) -> str:
        return f"marts.{name}" if self.as_of is None else f"marts.{name}_history"

    def known(self, alias: str) -> str:
        return "true" if self.as_of is None else known_at(alias)

    @property
    def params(self) -> tuple:
        return () if self.as_of is None else (self.as_of, self.as_of)


@contextlib.contextmanager
def read_at(url: WarehouseURL, as_of: datetime | None) -> Iterator[tuple[Warehouse, At, dict]]:
    """A read-only connection, the ``At`` of ``as_of`` and the last build's row (dim_build): the one way the
    figure modules read "as of T" (the history marts and ``open_at``'s checks only when T is given)."""
    with open_at(url, as_of, history=as_of is not None) as (wh, build):
        yield wh, At(as_of), build


@contextlib.contextmanager
def open_at(url: WarehouseURL, as_of: datetime | None, history: bool = True) -> Iterator[tuple[Warehouse, dict]]:
    """A read-only connection whose history marts answer "as of ``as_of``", and the build's row (dim_build).
    ``as_of`` None: the whole history the last build holds (no instant to check); ``history`` False: the
    regular marts only (no history mart needed)."""
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        if not wh.table_exists("marts", "dim_build"):
            raise ConfigError(f"the warehouse {url.display} has not been built: run `pressdx run` first")
        if history and not wh.table_exists("marts", PERIOD_HISTORY):
            raise ConfigError(f"the warehouse {url.display} was built before figure history existed: "
                              "run `pressdx run` to build it")
        build = wh.query_dicts("select build_id, as_of, through_period, built_at from marts.dim_build")[0]
        late = 0 if as_of is None else wh.query(
            "select count(*) from raw.submissions where received_at <= ? and (received_at > ? or loaded_at > ?)",
            (as_of, build["as_of"], build["built_at"]))[0][0]
        if late:
            shown = build["as_of"].astimezone(calendar.VN_TZ).replace(microsecond=0).isoformat()
            raise ConfigError(f"{late} submission(s) received by {as_of.astimezone(calendar.VN_TZ).isoformat()} "
                              f"were taken in after the last build (as of {shown}) and are in no figure yet: "
                              "run `pressdx run` to build them, then ask again")
        yield wh, build

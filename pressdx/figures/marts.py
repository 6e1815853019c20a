"""One marts schema, read as known at an instant T: the queries every figure module of the report shares.

A mart that does not exist (yet) is recorded in ``missing`` instead of failing, so that its section of the
report says "no data" (``Report.missing_marts``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from pressdx.warehouse.connection import Warehouse


def number(v):
    """A figure as a Python number: DECIMAL (PostgreSQL) as float, like DOUBLE (DuckDB)."""
    if v is None:
        return None
    if isinstance(v, Decimal):
        return float(v)
    return v


def aware(t: datetime | None) -> datetime | None:
    """An instant with its time zone: a naive instant from the database is UTC (the session time zone)."""
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t


class Marts:
    """Queries against one marts schema, with knowledge instant T; ``{m}`` in SQL names the schema."""

    def __init__(self, wh: Warehouse, schema: str, as_of: datetime):
        self.wh, self.schema, self.as_of = wh, schema, as_of
        self.missing: list[str] = []

    def has(self, mart: str) -> bool:
        """Whether the mart exists; a missing one is recorded."""
        if self.wh.table_exists(self.schema, mart):
            return True
        if mart not in self.missing:
            self.missing.append(mart)
        return False

    def columns(self, mart: str) -> set[str]:
        return {r[0] for r in self.wh.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            (self.schema, mart))}

    def rows(self, sql: str, params=()) -> list[dict]:
        return self.wh.query_dicts(sql.replace("{m}", self.schema), params)

    def versions(self, where: str, params=()) -> list[dict]:
        """Submission versions known at T (``fct_submission_version``, which marks the current version of each
        unit, dataset and period) matching ``where``; none when the mart is missing."""
        if not self.has("fct_submission_version"):
            return []
        rows = self.rows("select submission_id, unit_code, dataset, period_code as period, submission_status as status, "
                         "commentary, received_at, period_index, is_current from {m}.fct_submission_version where "
                         + where, params)
        for r in rows:
            r["received_at"] = aware(r["received_at"])
        return rows

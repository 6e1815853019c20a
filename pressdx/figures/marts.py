"""One marts schema, read as known at an instant T: the queries every figure module of the report shares.

Two ways to know T. The marts of a build hold the figures as of its ``as_of`` (the last build, or an as-of
build, ``pressdx.warehouse.asof``). ``Marts.at(wh, T)`` reads the regular marts *as of* an earlier T
without writing anything: a mart whose rows depend on T is read from its ``_history`` twin filtered at T
(``HISTORY``: each row holds for ``known_from <= T < known_to``, docs/knowledge-time.md), the submission
versions from their own instants (``VERSIONED``: a version exists at T when ``received_at <= T`` and is
current while ``T < superseded_at``), and the others (dimensions, the history marts themselves) as they are.
Queries are the same in both modes: they name a mart ``{m}.<mart>``; as of T each such name becomes a CTE
of that name, whose parameters (T) are bound before the query's own.

A mart that does not exist (yet) is recorded in ``missing`` instead of failing, so that its section of the
report says "no data" (``Report.missing_marts``).
"""

from __future__ import annotations

import re
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


# marts whose rows depend on the knowledge instant and that have a ``_history`` twin (same columns but as_of,
# plus known_from, known_to, changed_by_submission_id)
HISTORY = frozenset({
    "fct_indicator_period", "fct_indicator_annual", "fct_indicator_provisional_share", "fct_revenue_growth_summary",
    "fct_revenue_growth_histogram", "fct_submission_timeliness", "fct_unit_reporting_rate",
    "fct_unit_reporting_rate_year_to_date", "fct_reporting_rate_year_to_date", "fct_task_progress",
    "fct_report_provenance",
})

# marts of submission versions, known at T <= the build's as_of from their own columns: the versions received by
# T, current while T < superseded_at, numbered as in the build (version_number never changes; version_count
# counts those received by T), with the columns and in the order of the mart
VERSIONED = {
    "fct_submission_version": (
        "select submission_id, unit_code, dataset, period_code, year, period_index, submission_status, received_at, "
        "version_number, cast(count(*) over (partition by unit_code, dataset, period_code) as integer) as version_count, "
        "(superseded_at is null or superseded_at > ?) as is_current, "
        "case when superseded_at <= ? then superseded_at end as superseded_at, commentary, sha256, "
        "cast(? as timestamptz) as as_of "
        "from marts.fct_submission_version where received_at <= ?", 4),
    "fct_submission_lineage": (
        "select submission_id, unit_code, dataset, period_code, period_index, submission_status, received_at, sha256, "
        "source_name, source_path, encoding, row_count, loaded_at, version_number, "
        "cast(count(*) over (partition by unit_code, dataset, period_code) as integer) as version_count, "
        "(superseded_at is null or superseded_at > ?) as is_current, "
        "case when superseded_at <= ? then superseded_by_submission_id end as superseded_by_submission_id, "
        "case when superseded_at <= ? then superseded_at end as superseded_at, cast(? as timestamptz) as as_of "
        "from marts.fct_submission_lineage where received_at <= ?", 5),
}

# marts evaluated, not compressed, at every knowledge instant of their period, in a view (intermediate schema): read
# at the latest instant of each period at or before T, which is what an as-of build at T holds (the member lineage
# that `pressdx trace --as-of` shows; a compressed history of it would cost the build ≈ 1 M rows)
EVALUATED = {"fct_indicator_member": "int_indicator_member__history",
             "fct_indicator_input": "int_indicator_input__history"}

MART_RE = re.compile(r"\{m\}\.([a-z_0-9]+)\b")


def history_of(mart: str) -> str:
    return f"{mart}_history"


LATEST_INSTANTS = ("select period_code, max(known_at) as known_at from intermediate.int_knowledge__instants "
                   "where known_at <= ? group by period_code")


def as_of_sql(sql: str, params, as_of: datetime, instants: tuple = ()) -> tuple[str, tuple]:
    """``sql`` (marts named ``{m}.<mart>``) and its parameters, reading every mart as known at ``as_of`` from
    the regular marts schema: the T-dependent ones become CTEs named after them, bound to ``as_of``.
    ``instants``: the periods' latest instants at or before ``as_of`` (``LATEST_INSTANTS``), given as constants
    so that the engine narrows the EVALUATED views to them before it joins anything."""
    ctes, bound, local = [], [], set()
    for mart in dict.fromkeys(MART_RE.findall(sql)):  # a mart named twice is one CTE
        if mart in HISTORY:
            ctes.append(f"{mart} as (select * from marts.{history_of(mart)} where "
                        "(known_from is null or known_from <= ?) and (known_to is null or known_to > ?))")
            bound += [as_of, as_of]
        elif mart in VERSIONED:
            body, n = VERSIONED[mart]
            ctes.append(f"{mart} as ({body})")
            bound += [as_of] * n
        elif mart in EVALUATED:
            narrowed = f" where x.known_at in ({', '.join('?' * len(instants))})" if instants else ""
            ctes.append(f"{mart} as (select x.* from intermediate.{EVALUATED[mart]} as x inner join "
                        f"({LATEST_INSTANTS}) as k on k.period_code = x.period_code and k.known_at = x.known_at"
                        f"{narrowed})")
            bound += [as_of, *instants]
        else:
            continue
        local.add(mart)
    out = MART_RE.sub(lambda g: g.group(1) if g.group(1) in local else f"marts.{g.group(1)}", sql)
    if ctes:
        out = "with " + ", ".join(ctes) + " " + out
    return out, (*bound, *params)


class Marts:
    """Queries against one marts schema, with knowledge instant T; ``{m}`` in SQL names the schema. ``at`` (the
    constructor below): the regular marts read as of T, from the history twins (module docstring)."""

    def __init__(self, wh: Warehouse, schema: str, as_of: datetime, history: bool = False):
        self.wh, self.schema, self.as_of, self.history = wh, schema, as_of, history
        self.missing: list[str] = []
        self._instants: tuple | None = None

    @classmethod
    def at(cls, wh: Warehouse, as_of: datetime) -> Marts:
        """The regular marts as known at ``as_of`` (at or before the last build's as_of), read-only."""
        return cls(wh, "marts", as_of, history=True)

    def table(self, mart: str) -> str:
        """The table that holds ``mart``'s rows in this mode."""
        return history_of(mart) if self.history and mart in HISTORY else mart

    def instants(self) -> tuple:
        """The distinct latest knowledge instants of the periods at or before T (once per ``Marts``)."""
        if self._instants is None:
            self._instants = tuple(sorted({r[1] for r in self.wh.query(LATEST_INSTANTS, (self.as_of,))}))
        return self._instants

    def has(self, mart: str) -> bool:
        """Whether the mart (as of T: its history twin) exists; a missing one is recorded."""
        if self.wh.table_exists(self.schema, self.table(mart)):
            return True
        if mart not in self.missing:
            self.missing.append(mart)
        return False

    def columns(self, mart: str) -> set[str]:
        return {r[0] for r in self.wh.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            (self.schema, mart))}

    def rows(self, sql: str, params=()) -> list[dict]:
        if self.history:
            evaluated = any(m in EVALUATED for m in MART_RE.findall(sql))
            return self.wh.query_dicts(*as_of_sql(sql, params, self.as_of, self.instants() if evaluated else ()))
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

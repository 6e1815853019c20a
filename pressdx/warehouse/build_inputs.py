"""What a regular build read, as one hash, so that a run that found nothing new builds nothing.

The marts are a function of four things: the dbt project (models, macros, seeds, tests), the rows of the
``raw`` schema, the period built through, and the knowledge instant ``as_of``. Raw data is append-only,
so "no new data" is "no table of ``raw`` has a row more than at the last build". The instant enters the
SQL in two ways only (grep ``as_of`` in dbt_project/models): rows received (or units registered) at or
before it, and its Vietnam calendar date (reportable periods, task deadlines) together with the due
instants of the calendar (timeliness: ``as_of >= due_at``). So a build as of ``B`` would give the marts
of the last build as of ``A`` when, with ``A <= B``:

- the project, the period and every raw table's row count are the same (``inputs_sha256``);
- no submission's ``received_at`` and no registration's ``registered_at`` lies in ``(A, B]`` (a file
  taken in before ``A`` may carry a received time a little ahead of the clock: ``ingest.received``);
- ``A`` and ``B`` fall on the same Vietnam date and no due instant of the calendar lies in ``(A, B]``;
- the marts are still that build's (``marts.dim_build`` names it).

Then the marts stay as they are and say ``as_of = A``: the truth, since nothing known changed after it.
Each regular build that passed is recorded in ``audit.builds`` (made by ``Warehouse.ensure_schema`` with
the other audit tables), with the document its hash is made of (``inputs``: project, period, raw row
counts, submissions per dataset), from which the next build learns which datasets got new submissions
(``pressdx.warehouse.scope``); as-of builds (their own schemas) are not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pressdx.domain import calendar
from pressdx.warehouse.asof import project_hash  # the same project hash that keys as-of builds
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.warehouse.scope import submissions_by_dataset


@dataclass(frozen=True)
class LastBuild:
    build_id: str
    as_of: datetime
    through: str
    inputs_sha256: str
    inputs: dict | None = None  # the document of inputs_sha256 (None for builds recorded before it was kept)


def _raw_counts(wh: Warehouse) -> dict[str, int]:
    tables = [t for (t,) in wh.query("select table_name from information_schema.tables where table_schema = 'raw' "
                                     "order by table_name")]
    return {t: int(wh.query(f'select count(*) from raw."{t}"')[0][0]) for t in tables}


def inputs(url: WarehouseURL, through: str) -> dict:
    """What a build through ``through`` would read now: project, period, raw row counts, submissions per
    dataset."""
    with Warehouse(url) as wh:
        wh.ensure_schema()
        counts = _raw_counts(wh)
        submissions = submissions_by_dataset(wh)
    return {"project": project_hash(), "through": through, "raw": counts, "submissions": submissions}


def sha256(doc: dict) -> str:
    """The hash of an ``inputs`` document."""
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def fingerprint(url: WarehouseURL, through: str) -> str:
    """The hash of what a build through ``through`` would read now (``inputs``)."""
    return sha256(inputs(url, through))


def _last(wh: Warehouse) -> LastBuild | None:
    rows = wh.query("select build_id, as_of, through_period, inputs_sha256, inputs from audit.builds "
                    "order by finished_at desc limit 1") if wh.table_exists("audit", "builds") else []
    if not rows:
        return None
    build_id, as_of, through, digest, doc = rows[0]
    return LastBuild(build_id, _aware(as_of), through, digest, json.loads(doc) if doc else None)


def last_build(url: WarehouseURL) -> LastBuild | None:
    """The last regular build that passed, as recorded; None before the first one."""
    with Warehouse(url) as wh:
        return _last(wh)


def record(url: WarehouseURL, as_of: datetime, through: str, inputs_sha256: str, doc: dict | None = None) -> None:
    """Record the regular build just published (its id read from ``marts.dim_build``), with its ``inputs``."""
    with Warehouse(url) as wh:
        (build_id,) = wh.query("select build_id from marts.dim_build")[0]
        wh.insert_rows("audit.builds",
                       ("build_id", "as_of", "through_period", "inputs_sha256", "finished_at", "inputs"),
                       [(build_id, as_of, through, inputs_sha256, datetime.now(UTC),
                         json.dumps(doc, sort_keys=True) if doc else None)])


def up_to_date(url: WarehouseURL, through: str, as_of: datetime, inputs_sha256: str) -> LastBuild | None:
    """The last build when a build as of ``as_of`` through ``through`` would give its marts again, else None."""
    with Warehouse(url) as wh:
        last = _last(wh)
        if last is None or last.inputs_sha256 != inputs_sha256 or last.through != through or as_of < last.as_of:
            return None
        if not calendar.same_deadlines(last.as_of, as_of):
            return None
        if not wh.table_exists("marts", "dim_build") or \
                [r[0] for r in wh.query("select build_id from marts.dim_build")] != [last.build_id]:
            return None  # the marts are not that build's (dropped, restored, or published by other means)
        (received,) = wh.query("select count(*) from raw.submissions where received_at > ? and received_at <= ?",
                               (last.as_of, as_of))[0]
        (registered,) = wh.query("select count(*) from raw.unit_registrations "
                                 "where registered_at > ? and registered_at <= ?", (last.as_of, as_of))[0]
    return last if received == 0 and registered == 0 else None


def _aware(value: datetime | str) -> datetime:
    value = datetime.fromisoformat(value) if isinstance(value, str) else value
    return value if value.tzinfo else value.replace(tzinfo=UTC)

"""A build that would give the marts of the last one builds nothing (issue 14: a run that finds nothing new).

``pressdx.jobs.build.build(..., if_changed=True)`` skips dbt only when nothing it reads changed: the same
project, period and raw row counts, no row received (or unit registered) after the last build's as-of,
the same Vietnam date and no due instant passed. Real builds on both engines, on a warehouse with one
unit registration (the marts of an empty strategy are still a whole build).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pressdx.jobs.build import build
from pressdx.warehouse import build_inputs
from pressdx.warehouse.connection import Warehouse, WarehouseURL

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("up_to_date")]

VN = timezone(timedelta(hours=7))
A = datetime(2024, 7, 10, 9, 0, tzinfo=VN)  # no due instant on 10 July
THROUGH = "2024-Q4"
COLUMNS = ("unit_code", "unit_kind", "name_vi", "name_en", "active", "registered_at", "sources_file", "run_id")


def register(url: WarehouseURL, code: str, at: datetime) -> None:
    with Warehouse(url) as wh:
        wh.ensure_schema()
        wh.insert_rows("raw.unit_registrations", COLUMNS, [(code, "ministry", code, code, True, at, "t.yml", "t")])


def build_id(url: WarehouseURL) -> str:
    with Warehouse(url) as wh:
        return wh.query("select build_id from marts.dim_build")[0][0]


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request) -> WarehouseURL:
    name = "duckdb_module_url" if request.param == "duckdb" else "pg_module_url"
    url = WarehouseURL.parse(request.getfixturevalue(name))
    register(url, "BTTTT", A - timedelta(days=30))
    return url


def test_nothing_new_builds_nothing_and_anything_new_builds(url):
    first = build(url, THROUGH, as_of=A, if_changed=True)
    assert first["built"] is True
    built_id = build_id(url)

    again = build(url, THROUGH, as_of=A + timedelta(hours=1), if_changed=True)
    assert datetime.fromisoformat(again.pop("as_of")) == A  # the marts' as-of stays the last build's
    assert again == {"through": THROUGH, "warehouse": url.display, "built": False}
    assert build_id(url) == built_id  # the marts were not touched

    # A new row: a build, even though the row is not yet visible at its as-of (registered later)
    register(url, "BCA", A + timedelta(hours=3))
    assert build(url, THROUGH, as_of=A + timedelta(hours=2), if_changed=True)["built"] is True
    second_id = build_id(url)
    assert second_id != built_id
    # No row more, but one becomes visible between the last as-of and this one: a build
    later = A + timedelta(hours=4)
    assert build_inputs.up_to_date(url, THROUGH, later, build_inputs.fingerprint(url, THROUGH)) is None
    assert build(url, THROUGH, as_of=later, if_changed=True)["built"] is True

    inputs = build_inputs.fingerprint(url, THROUGH)
    quiet = later + timedelta(minutes=30)
    assert build_inputs.up_to_date(url, THROUGH, quiet, inputs) is not None
    # The next Vietnam day, another period, an earlier instant, another project: each needs a build
    next_day = datetime(2024, 7, 11, 0, 0, tzinfo=VN)
    assert build_inputs.up_to_date(url, THROUGH, next_day, inputs) is None
    assert build_inputs.up_to_date(url, "2024-Q3", quiet, build_inputs.fingerprint(url, "2024-Q3")) is None
    assert build_inputs.up_to_date(url, THROUGH, later - timedelta(minutes=5), inputs) is None
    assert build_inputs.up_to_date(url, THROUGH, quiet, "0" * 64) is None


def test_marts_that_are_not_the_recorded_builds_are_rebuilt(url):
    later = A + timedelta(hours=4, minutes=30)  # as in the test above: up to date, while dim_build is there
    inputs = build_inputs.fingerprint(url, THROUGH)
    assert build_inputs.up_to_date(url, THROUGH, later, inputs) is not None
    with Warehouse(url) as wh:
        wh.execute("drop table marts.dim_build" if url.kind == "duckdb" else "drop table marts.dim_build cascade")
    assert build_inputs.up_to_date(url, THROUGH, later, inputs) is None

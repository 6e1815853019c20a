"""Knowledge time through the command line: ``pressdx run`` then ``pressdx kpi [--as-of]`` (pressdx.cli.main).

CBC sends, as JSON files in its drop folder (received time = file modification time, Vietnam time):
  register  2024-Q2 official     received 2024-07-01 09:00   A1 print;electronic, A2 electronic,
                                                             A3 radio;television, A4 print
  dx status 2024-Q2 provisional  received 2024-07-03 10:00   (first run)
  dx status 2024-Q2 official     received 2024-07-20 10:00   a revision with changed figures (second run)

                  provisional                          official (revision)
             distributes  staff total / trained    distributes  staff total / trained
    A1          true         10 / 5                   true         10 / 10
    A2          false        10 / 5                   true         10 / 5
    A3          false        10 / 0                   true         10 / 5
    A4          false        10 / 0                   false        10 / 0
  (uses_data_ai_platform: A1 only; converged_newsroom: A3 only; doing_digital_transformation: all true.)

2024 targets: I1 50, I2 30, I3 50, I6 70. 2025 targets: I1 70, I6 100; 2030: I1 100.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from datetime import datetime, timedelta, timezone

import pytest

from pressdx.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("asof")]

VN = timezone(timedelta(hours=7))
BETWEEN = "2024-07-10T00:00:00+07:00"  # after the provisional, before the official revision
RATIO_KEYS = ["indicator_code", "numerator", "denominator", "value_pct", "target_pct", "status", "coverage_pct"]
I4_KEYS = ["indicator_code", "numerator", "denominator", "value_pct", "target_pct", "min_revenue_growth_pct",
           "status", "coverage_pct"]
STAGE_KEYS = ["indicator_code", "stage", "target_stage", "status"]

REGISTER = [("A1", "newspaper", "print;electronic"), ("A2", "magazine", "electronic"),
            ("A3", "broadcaster", "radio;television"), ("A4", "magazine", "print")]
DX = {  # agency: (distributes, staff_total, staff_trained)
    "provisional": {"A1": (True, 10, 5), "A2": (False, 10, 5), "A3": (False, 10, 0), "A4": (False, 10, 0)},
    "official": {"A1": (True, 10, 10), "A2": (True, 10, 5), "A3": (True, 10, 5), "A4": (False, 10, 0)},
}


def write_submission(folder, name: str, dataset: str, status: str, rows: list[dict], received: datetime) -> None:
    path = folder / "2024-Q2" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"unit_code": "CBC", "dataset": dataset, "period": "2024-Q2", "status": status,
           "commentary": "Đánh giá xu hướng 6 tháng và đề xuất.", "rows": rows}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ts = received.timestamp()
    os.utime(path, (ts, ts))


def dx_rows(version: str) -> list[dict]:
    return [{"agency_code": a, "distributes_on_digital_platforms": d, "uses_domestic_platforms": None,
             "uses_data_ai_platform": a == "A1", "converged_newsroom": a == "A3",
             "doing_digital_transformation": True, "staff_total": total, "staff_trained": trained}
            for a, (d, total, trained) in DX[version].items()]


def cli(*args: str) -> str:
    """``pressdx <args>`` in-process; returns what it printed on standard output (exit status must be 0)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert code == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse(request, tmp_path_factory) -> str:
    tmp_path = tmp_path_factory.mktemp("asof")
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}" if request.param == "duckdb" \
        else request.getfixturevalue("pg_module_url")
    inbox = tmp_path / "inbox" / "CBC"
    sources = tmp_path / "sources.yml"
    sources.write_text("sources:\n  - unit_code: CBC\n    kind: folder\n    path: inbox/CBC\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))  # landing store and quarantine
        take_in(inbox, sources, url)
    return url


def write_register_and_provisional(inbox) -> None:
    """The register (received 1 July 2024) and the provisional dx status (3 July) of the module docstring."""
    write_submission(inbox, "agency_register.json", "agency_register", "official",
                     [{"agency_code": a, "agency_name": f"Cơ quan {a}", "agency_kind": k, "governing_body": "Bộ",
                       "media_types": m, "licensed_on": "2010-01-01", "closed_on": None} for a, k, m in REGISTER],
                     datetime(2024, 7, 1, 9, 0, tzinfo=VN))
    write_submission(inbox, "agency_dx_status_provisional.json", "agency_dx_status", "provisional",
                     dx_rows("provisional"), datetime(2024, 7, 3, 10, 0, tzinfo=VN))


def take_in(inbox, sources, url: str) -> None:
    write_register_and_provisional(inbox)
    out = cli("run", "--sources", str(sources), "--warehouse", url, "--through", "2024-Q4", "--no-build")
    assert "2 accepted, 0 rejected" in out
    write_submission(inbox, "agency_dx_status_official.json", "agency_dx_status", "official",
                     dx_rows("official"), datetime(2024, 7, 20, 10, 0, tzinfo=VN))
    out = cli("run", "--sources", str(sources), "--warehouse", url, "--through", "2024-Q4")
    assert "1 accepted, 0 rejected" in out and "built through 2024-Q4" in out


def kpi(url: str, *args: str) -> dict:
    return json.loads(cli("kpi", "--warehouse", url, "--format", "json", *args))


def by_code(doc: dict) -> dict[str, dict]:
    return {i["indicator_code"]: i for i in doc["indicators"]}


def test_kpi_shows_the_revision_and_as_of_shows_the_provisional_figures(warehouse):
    now = kpi(warehouse, "--year", "2024", "--period", "Q2")
    then = kpi(warehouse, "--year", "2024", "--period", "Q2", "--as-of", BETWEEN)
    assert list(now) == ["year", "period", "as_of", "indicators"]
    assert (now["year"], now["period"]) == (2024, "2024-Q2")
    assert (then["year"], then["period"], then["as_of"]) == (2024, "2024-Q2", BETWEEN)
    codes = [i["indicator_code"] for i in now["indicators"]]
    assert codes[:7] == ["I1", "I2", "I3", "I4", "I5", "I6", "I7"]  # decision order
    assert sorted(codes[7:]) == ["I8E", "I8R", "I8T"]

    # Revised (official) figures. Active at E(2024-Q2) = 2024-06-30: A1..A4 (licensed 2010, never closed).
    #   I1 distributing: A1 A2 A3 → 3 / 4 = 75 % ≥ 50 achieved; every status known → coverage 100.
    #   I6: Σ trained 10 + 5 + 5 + 0 = 20 / Σ total 40 → 50 % < 70 below_target; coverage 4 / 4 = 100.
    revised = by_code(now)
    assert revised["I1"] == {"indicator_code": "I1", "numerator": 3, "denominator": 4, "value_pct": 75.0,
                             "target_pct": 50.0, "status": "achieved", "coverage_pct": 100.0}
    assert revised["I6"] == {"indicator_code": "I6", "numerator": 20, "denominator": 40, "value_pct": 50.0,
                             "target_pct": 70.0, "status": "below_target", "coverage_pct": 100.0}
    # As of 2024-07-10 only the provisional exists:
    #   I1: A1 → 1 / 4 = 25 % < 50 below_target.  I6: 5 + 5 + 0 + 0 = 10 / 40 = 25 % < 70.
    provisional = by_code(then)
    assert provisional["I1"] == {"indicator_code": "I1", "numerator": 1, "denominator": 4, "value_pct": 25.0,
                                 "target_pct": 50.0, "status": "below_target", "coverage_pct": 100.0}
    assert provisional["I6"] == {"indicator_code": "I6", "numerator": 10, "denominator": 40, "value_pct": 25.0,
                                 "target_pct": 70.0, "status": "below_target", "coverage_pct": 100.0}
    # Unchanged by the revision: I2 (A1 only: 1 / 4 = 25 % < 30) and I3 (two or more media types: A1, A3;
    # converged A3 → 1 / 2 = 50 % ≥ 50 achieved).
    for doc in (revised, provisional):
        assert doc["I2"] == {"indicator_code": "I2", "numerator": 1, "denominator": 4, "value_pct": 25.0,
                             "target_pct": 30.0, "status": "below_target", "coverage_pct": 100.0}
        assert doc["I3"] == {"indicator_code": "I3", "numerator": 1, "denominator": 2, "value_pct": 50.0,
                             "target_pct": 50.0, "status": "achieved", "coverage_pct": 100.0}


def test_values_that_do_not_exist_are_null_and_fields_follow_interfaces(warehouse):
    doc = by_code(kpi(warehouse, "--year", "2024", "--period", "Q2"))
    # I4: doing digital transformation A1..A4 but no 2022 baseline → empty denominator: no value (null), not 0.
    assert list(doc["I4"]) == I4_KEYS
    assert doc["I4"] == {"indicator_code": "I4", "numerator": 0, "denominator": 0, "value_pct": None,
                         "target_pct": 15.0, "min_revenue_growth_pct": 10.0, "status": "no_data",
                         "coverage_pct": None}
    # I5 (no curriculum list) and I7 (no security level: A1, A2 are electronic but unknown → 0 / 2, coverage 0)
    assert doc["I5"] == {"indicator_code": "I5", "numerator": 0, "denominator": 0, "value_pct": None,
                         "target_pct": 95.0, "status": "no_data", "coverage_pct": None}
    assert doc["I7"] == {"indicator_code": "I7", "numerator": 0, "denominator": 2, "value_pct": 0.0,
                         "target_pct": 70.0, "status": "below_target", "coverage_pct": 0.0}
    for code in ("I1", "I2", "I3", "I5", "I6", "I7"):
        assert list(doc[code]) == RATIO_KEYS, code
    # stage indicators: no platform_stage submission → no stage; the 2024 target stage is still shown
    assert doc["I8R"] == {"indicator_code": "I8R", "stage": None, "target_stage": "developing", "status": "no_data"}
    assert doc["I8E"] == {"indicator_code": "I8E", "stage": None, "target_stage": "formed", "status": "no_data"}
    assert list(doc["I8T"]) == STAGE_KEYS


def test_annual_figures_carry_the_progress_classes(warehouse):
    doc = kpi(warehouse, "--year", "2024")
    assert doc["year"] == 2024 and doc["period"] is None
    annual = by_code(doc)
    # The annual figure is 2024-Q4's: the 2024-Q2 register and dx status are still in its look-back window.
    #   I1 = 75 %. Only one annual value (2023 has none): 2025 target 70 → 75 ≥ 70 achieved;
    #   2030 target 100 → fewer than two values → insufficient_data.
    assert annual["I1"] == {"indicator_code": "I1", "numerator": 3, "denominator": 4, "value_pct": 75.0,
                            "target_pct": 50.0, "status": "achieved", "coverage_pct": 100.0,
                            "progress": {"2025": "achieved", "2030": "insufficient_data"}}
    # I6 = 50 % < 100 (2025; the decision sets no 2030 target for I6, so "2030" is left out).
    assert annual["I6"]["progress"] == {"2025": "insufficient_data"}
    assert annual["I4"]["progress"] == {"2025": "insufficient_data", "2030": "insufficient_data"}
    for code in ("I1", "I2", "I3", "I4", "I5", "I6", "I7"):
        assert list(annual[code])[-1] == "progress", code
    for code in ("I8R", "I8T", "I8E"):
        assert list(annual[code]) == STAGE_KEYS, code
    # and --as-of applies to the annual figures too: I1 at 25 % as of 2024-07-10 (below the 2025 target 70)
    then = by_code(kpi(warehouse, "--year", "2024", "--as-of", BETWEEN))
    assert then["I1"]["value_pct"] == 25.0
    assert then["I1"]["progress"] == {"2025": "insufficient_data", "2030": "insufficient_data"}


def test_the_as_of_key_follows_the_dbt_project(tmp_path):
    """An as-of build made by other models must not be reused: the key hashes the project's files."""
    import shutil

    from pressdx.warehouse.asof import PROJECT_PARTS, project_hash
    from pressdx.warehouse.dbt import PROJECT_DIR

    copy = tmp_path / "dbt_project"
    for part in PROJECT_PARTS:
        src = PROJECT_DIR / part
        if src.is_dir():
            shutil.copytree(src, copy / part)
        elif src.is_file():
            copy.mkdir(exist_ok=True)
            shutil.copy2(src, copy / part)
    (copy / "target").mkdir()
    (copy / "target" / "manifest.json").write_text("{}")  # build output is not the project
    assert project_hash(copy) == project_hash(PROJECT_DIR)
    model = next((copy / "models").rglob("fct_indicator_period.sql"))  # in whichever area folder it lives
    model.write_text(model.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    project_hash.cache_clear()
    assert project_hash(copy) != project_hash(PROJECT_DIR)


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_publication_regenerated_with_its_as_of_keeps_its_sha256_after_a_backdated_file(engine, tmp_path, request,
                                                                                            monkeypatch):
    """Issue 12: a file taken in after the 2024-Q2 publication, its mtime set before the due instant (a
    revision pretending to have been on time), changes today's figures but not the published ones: the
    publication regenerated with its recorded as-of has the same SHA-256 for every file."""
    from pressdx.publishing.publication import due_at_or_before, publish

    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}" if engine == "duckdb" else request.getfixturevalue("pg_url")
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    inbox = tmp_path / "inbox" / "CBC"
    sources = tmp_path / "sources.yml"
    sources.write_text(f"sources:\n  - unit_code: CBC\n    kind: folder\n    path: {inbox}\n", encoding="utf-8")
    write_register_and_provisional(inbox)
    assert "2 accepted" in cli("run", "--sources", str(sources), "--warehouse", url, "--through", "2024-Q4")
    due = due_at_or_before(datetime(2024, 7, 5, tzinfo=VN))
    assert due.period == "2024-Q2"
    first = publish(url, due, root=tmp_path / "first")

    write_submission(inbox, "agency_dx_status_official.json", "agency_dx_status", "official",
                     dx_rows("official"), datetime(2024, 7, 4, 10, 0, tzinfo=VN))  # before the due instant
    out = cli("run", "--sources", str(sources), "--warehouse", url, "--through", "2024-Q4")
    assert "1 accepted" in out
    now = by_code(kpi(url, "--year", "2024", "--period", "Q2"))
    assert now["I1"]["numerator"] == 3  # the revision counts today (provisional: 1 of 4 distribute)
    again = publish(url, due, root=tmp_path / "again")

    assert first["files"] and again["files"] == first["files"]  # every file's SHA-256, byte for byte
    for name in first["files"]:
        assert (tmp_path / "first" / due.publication / name).read_bytes() == \
               (tmp_path / "again" / due.publication / name).read_bytes()
    assert by_code(kpi(url, "--year", "2024", "--period", "Q2", "--as-of", due.as_of.isoformat()))["I1"]["numerator"] == 1


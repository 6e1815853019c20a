"""pressdx installed from its wheel, not from the checkout: the main job runs from another directory.

The wheel is built the way a release is (``uv build``: the sdist, then the wheel from the sdist, so
``MANIFEST.in`` and ``setup.py``'s bundle are both exercised) and installed without dependencies into a
fresh venv. The dependencies come from the main venv through a ``.pth`` line naming its site-packages:
a directory named that way is put on the path as is, its own ``.pth`` files (among them the editable
install's finder, which would import the checkout) are not run. Then, from an empty directory, the
installed ``pressdx`` writes the sample, runs the main job on it and prints the KPI, and the installed
package is left exactly as it was: dbt reads the bundled project and writes only elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from pressdx.settings import dbt_project_dir
from pressdx.warehouse.asof import project_hash

ROOT = Path(__file__).resolve().parents[2]
UV = Path(sys.executable).with_name("uv")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("install")]


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    res = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, f"{' '.join(map(str, cmd))} exited {res.returncode}:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    return res.stdout


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run([UV, "build", "--quiet", "--out-dir", dist, ROOT], cwd=dist)
    (whl,) = dist.glob("pressdx-*.whl")
    return whl


def test_the_wheel_carries_the_project_and_suites_not_what_dbt_left(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    bundle = "pressdx/_bundle/"
    for needed in ("dbt_project/dbt_project.yml", "dbt_project/profiles.yml", "dbt_project/seeds/reporting_calendar.csv",
                   "dbt_project/macros/build_params.sql", "expectations/agency_register.json"):
        assert bundle + needed in names, needed
    models = {n for n in names if n.startswith(bundle + "dbt_project/models/") and n.endswith(".sql")}
    assert len(models) == len(list((ROOT / "dbt_project" / "models").rglob("*.sql")))
    assert {"pressdx/publishing/report/templates/report.html.j2", "pressdx/publishing/report/templates/report.css",
            "pressdx/cli/__init__.py" if (ROOT / "pressdx" / "cli").is_dir() else "pressdx/cli.py",
            "ingest/intake.py"} <= names
    left_behind = [n for n in names if n.startswith(bundle) and
                   any(part in ("target", "logs", "dbt_packages", "__pycache__", ".pressdx-resource", ".user.yml")
                       for part in n.split("/"))]
    assert left_behind == []
    assert not any(n.startswith(("bench/", "tests/", "dags/")) for n in names)


def test_installed_pressdx_runs_the_main_job_from_another_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([UV, "venv", "--quiet", "-p", sys.executable, venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    _run([UV, "pip", "install", "--quiet", "--no-deps", "--compile-bytecode", "-p", python, wheel], cwd=tmp_path)
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path).strip())
    (site / "_pressdx_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    work = tmp_path / "elsewhere"
    work.mkdir()
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PRESSDX_", "PYTHON", "VIRTUAL_ENV", "DBT_"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}/usr/bin:/bin", PRESSDX_CACHE_DIR=str(cache))

    where = json.loads(_run([python, "-c", (
        "import importlib.util, json, pressdx, ingest\n"
        "from pressdx.settings import dbt_project_dir, expectations_dir\n"
        "print(json.dumps({'pressdx': pressdx.__file__, 'ingest': ingest.__file__,"
        " 'bench': importlib.util.find_spec('bench') is not None,"
        " 'dbt_project': str(dbt_project_dir()), 'expectations': str(expectations_dir())}))")], work, env))
    package = site / "pressdx"
    for key in ("pressdx", "ingest", "dbt_project", "expectations"):
        assert Path(where[key]).is_relative_to(site), (key, where[key])  # the installed copy, not the checkout
    assert not where["bench"], "the checkout is importable in the fresh venv"
    bundled_project = Path(where["dbt_project"])
    assert bundled_project == package / "_bundle" / "dbt_project"
    assert project_hash(bundled_project) == project_hash(dbt_project_dir())  # as-of keys: the same project
    before = {name: _snapshot(site / name) for name in ("pressdx", "ingest")}

    _run(["pressdx", "sample", "--scale", "0.05"], work, env)
    out = _run(["pressdx", "run", "--sources", "var/sample/sources.yml", "--through", "2025-Q4"], work, env)
    assert "accepted" in out and "warehouse built through 2025-Q4" in out
    doc = json.loads(_run(["pressdx", "kpi", "--year", "2025", "--format", "json"], work, env))
    values = {i["indicator_code"]: i.get("value_pct") for i in doc["indicators"]}
    assert {"I1", "I2", "I3"} <= set(values) and all(values[k] is not None for k in ("I1", "I2", "I3")), values

    assert (work / "var" / "warehouse.duckdb").is_file()  # relative defaults: the current directory
    assert list((cache / "dbt" / "parse-state").glob("*.msgpack"))  # dbt's state went to the cache
    after = {name: _snapshot(site / name) for name in ("pressdx", "ingest")}
    assert after == before, "the installed package was written to"

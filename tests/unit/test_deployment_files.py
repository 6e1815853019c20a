"""The files a deployment is made from: the runtime lock and docker-compose.yml (issue 12, secrets and access).

Docker does not run here, so these tests read the files: what they assert is what compose and pip would
do with them.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"pytest", "pytest-xdist", "ruff", "hypothesis", "import-linter", "playwright"}


def _pins(name: str) -> dict[str, str]:
    out = {}
    for line in (ROOT / name).read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", line)
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def test_the_runtime_lock_is_the_full_lock_without_the_dev_tools():
    full, runtime = _pins("requirements.lock"), _pins("requirements-runtime.lock")
    assert runtime, "requirements-runtime.lock has no pins"
    assert DEV_ONLY & set(full) == DEV_ONLY  # the full lock has them ...
    assert not DEV_ONLY & set(runtime)  # ... the runtime lock does not
    assert {k: v for k, v in runtime.items() if full.get(k) != v} == {}  # same versions as the tested lock


def test_the_image_installs_the_runtime_lock_only():
    dockerfile = (ROOT / "docker" / "airflow.Dockerfile").read_text()
    assert "requirements-runtime.lock" in dockerfile
    assert not re.search(r"requirements\.lock\b", dockerfile.replace("requirements-runtime.lock", ""))


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_ships_no_default_secret():
    text = (ROOT / "docker-compose.yml").read_text()
    for var in ("AIRFLOW_DB_PASSWORD", "PRESSDX_DB_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET",
                "AIRFLOW_API_SECRET_KEY"):
        uses = re.findall(r"\$\{" + var + r"(:?[-?][^}]*)?\}", text)
        assert uses, var
        assert all(u.startswith(":?") for u in uses), f"{var} has a default: {uses}"  # refuse to start
    assert "PRESSDX_PORTAL_SECRET:-}" in text or "PRESSDX_PORTAL_SECRET:?" in text  # the portal refuses itself


def test_compose_publishes_ports_on_loopback_unless_configured():
    for name, svc in _compose()["services"].items():
        for port in svc.get("ports", []):
            assert str(port).startswith("${PRESSDX_BIND:-127.0.0.1}:"), f"{name}: {port}"


def test_compose_makes_no_one_an_admin_by_default():
    env = _compose()["x-airflow-common"]["environment"]
    assert str(env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"]).lower() == "false"
    users = env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"]
    default = re.search(r":-([^}]*)\}", users).group(1)
    assert "admin" not in {u.split(":")[1] for u in default.split(",")}

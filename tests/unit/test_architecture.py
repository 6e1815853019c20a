"""The house's dependency rule, checked: imports run one way and no module imports itself back.

``.importlinter`` holds the layers (faces → jobs → wings → figures → warehouse → domain → settings);
this module runs that contract, proves it catches an import that runs back up, and checks what
import-linter's layers contract does not: that no two modules of one wing import each other round.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"}
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_layers_contract_is_kept():
    res = _lint(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "1 kept, 0 broken" in res.stdout


def test_the_contract_fails_on_an_import_running_back_up(tmp_path):
    for name in ("pressdx", "ingest"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    settings = tmp_path / "pressdx" / "settings.py"
    settings.write_text(settings.read_text() + "\nfrom pressdx.figures import kpi  # noqa: E402\n")
    res = _lint(tmp_path)
    assert res.returncode != 0
    assert "pressdx.settings -> pressdx.figures.kpi" in res.stdout


def _cycles(graph) -> list[list[str]]:
    """Every import circle between modules (Tarjan's strongly connected components of size > 1)."""
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def visit(m: str) -> None:
        index[m] = low[m] = counter[0]
        counter[0] += 1
        stack.append(m)
        on_stack.add(m)
        for n in graph.find_modules_directly_imported_by(m):
            if n not in index:
                visit(n)
                low[m] = min(low[m], low[n])
            elif n in on_stack:
                low[m] = min(low[m], index[n])
        if low[m] == index[m]:
            comp = []
            while True:
                n = stack.pop()
                on_stack.discard(n)
                comp.append(n)
                if n == m:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for m in modules:
        if m not in index:
            visit(m)
    return out


def test_no_import_circle_between_modules():
    graph = grimp.build_graph("pressdx", "ingest", cache_dir=None)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle(tmp_path):
    pkg = tmp_path / "circle_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from circle_pkg import b\n")
    (pkg / "b.py").write_text("from circle_pkg.a import x\n")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("circle_pkg", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    assert _cycles(graph) == [["circle_pkg.a", "circle_pkg.b"]]

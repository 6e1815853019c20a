"""The command line's contract (``pressdx.cli.main``): exit codes, one-line errors, help on every option.

Nothing here needs a warehouse: each mistake is caught before one is opened. The commands' outputs are
compared where they are computed (tests/integration/test_timeliness.py, test_tasks.py, test_asof.py…).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import pytest
import typer

from pressdx import cli
from pressdx.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["run", "kpi", "timeliness", "tasks", "report", "validate", "templates", "grant-bi", "sample", "trace", "verify",
            "serve", "users", "docs"]
GROUPS = ["users"]  # a command group (users add|disable|reset): its subcommands carry the options


def _commands() -> dict:
    return typer.main.get_command(cli.app).commands


def _flat(text: str) -> str:
    """Help text without the boxes and without any white space, so that wrapped lines read as one."""
    return re.sub(r"[\s│╭╮╰╯─]+", "", text)


def _one_line_error(capsys, code: int, expected: int = 2) -> str:
    out, err = capsys.readouterr()
    assert code == expected, err
    assert out == ""
    assert err.count("\n") == 1, err
    assert "Traceback" not in err and "╭" not in err and "Error" not in err.split(":")[0]
    return err.strip()


def test_every_command_is_registered_once():
    assert sorted(_commands()) == sorted(COMMANDS)


def test_every_command_module_is_registered():
    """A module of ``pressdx/cli/`` with its own ``app`` is a command group: forgetting it in COMMANDS fails here."""
    folder = ROOT / "pressdx" / "cli"
    modules = {p.stem for p in folder.glob("*.py")
               if p.stem != "__init__" and re.search(r"^app = typer\.Typer\(", p.read_text(), re.M)}
    assert modules == set(cli.COMMANDS)


def test_version_is_the_installed_one(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"pressdx {metadata.version('pressdx')}"


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in GROUPS])
def test_help_of_every_command_lists_help_for_each_option(command, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main([command, "--help"]) == 0
    out = _flat(capsys.readouterr().out)
    params = _commands()[command].params
    assert params
    for p in params:
        assert p.help and p.help.strip(), f"{command} {p.opts}: no help text"
        for opt in p.opts if p.opts[0].startswith("-") else []:
            assert opt in out, f"{command}: {opt} not in its help"
        assert _flat(p.help) in out, f"{command} {p.opts}: help text not shown"
    assert _flat(_commands()[command].help.splitlines()[0]) in out


def test_shared_options_are_declared_once():
    """``--warehouse``, ``--year``, ``--as-of`` on every command, ``--period`` and ``--format`` on the figures:
    one declaration each, the same help, default and environment variable wherever they appear."""
    seen: dict[str, set] = {}
    for name, cmd in _commands().items():
        figures = name in ("kpi", "timeliness", "tasks")  # templates' --period is a period code, validate's
        for p in cmd.params:                                # --format text|json a report's
            if p.opts[0] in ("--warehouse", "--year", "--as-of") or (p.opts[0] in ("--period", "--format") and figures):
                seen.setdefault(p.opts[0], set()).add((p.help, getattr(p, "envvar", None), str(p.default)))
    assert set(seen) == {"--warehouse", "--year", "--as-of", "--format", "--period"}
    for name, variants in seen.items():
        assert len(variants) == 1, (name, variants)
    [(_, envvar, _)] = seen["--warehouse"]
    assert envvar == "PRESSDX_WAREHOUSE"


@pytest.mark.parametrize("argv, says", [
    (["kpi", "--yeer", "2024"], "No such option: --yeer"),
    (["kpi"], "Missing option '--year'"),
    (["kpi", "--year", "2024", "--format", "xml"], "'xml' is not one of 'table', 'json', 'csv'"),
    (["report", "--year", "2024", "--out", "x", "--lang", "fr"], "'fr' is not one of 'vi', 'en'"),
    (["tasks", "--year", "twenty"], "Invalid value for '--year'"),
    (["validate", "--unit", "CBC"], "Missing argument 'FILE'"),
    (["no-such-command"], "No such command 'no-such-command'"),
])
def test_a_usage_error_is_one_line_and_exit_2(argv, says, capsys):
    err = _one_line_error(capsys, main(argv))
    assert says in err
    assert err.startswith("pressdx")
    assert "--help" in err  # where to look next


def test_no_command_shows_the_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "Commands" in capsys.readouterr().out


@pytest.mark.parametrize("argv, says", [
    (["kpi", "--year", "2024", "--period", "Q5"], "pressdx: --period 'Q5': use Q1, Q2, Q3 or Q4"),
    (["timeliness", "--year", "2024", "--as-of", "yesterday"], "pressdx: --as-of 'yesterday' is not an ISO-8601"),
    (["kpi", "--year", "2024", "--warehouse", "mysql://x/y"], "pressdx: unknown warehouse URL"),
])
def test_a_config_error_is_one_line_and_exit_2(argv, says, capsys):
    assert _one_line_error(capsys, main(argv)).startswith(says)


def test_the_warehouse_comes_from_its_environment_variable(capsys, monkeypatch):
    monkeypatch.setenv("PRESSDX_WAREHOUSE", "mysql://from/env")
    err = _one_line_error(capsys, main(["tasks", "--year", "2024"]))
    assert "'mysql://from/env'" in err


def test_sample_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("x")
    err = _one_line_error(capsys, main(["sample", "--out", str(tmp_path)]))
    assert err == f"pressdx: {tmp_path} is not empty (use --force to replace it)"
    assert (tmp_path / "keep.txt").exists()


def test_templates_takes_a_repeated_option(tmp_path, capsys):
    assert main(["templates", "--out", str(tmp_path), "--dataset", "agency_register",
                 "--dataset", "agency_security"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agency_register.xlsx", "agency_security.xlsx"]
    assert capsys.readouterr().out.startswith("2 template(s) written")


def test_an_unexpected_error_is_one_line_and_exit_1_and_debug_shows_it(capsys):
    argv = ["templates", "--out", "/dev/null/templates"]  # a folder under a device: the OS refuses
    err = _one_line_error(capsys, main(argv), expected=1)
    assert err.startswith("pressdx: ") and err.endswith("(run with --debug for details)")
    with pytest.raises(OSError):
        main(["--debug", *argv])


def test_ctrl_c_is_one_line_and_exit_1(tmp_path):
    """A real SIGINT to a real ``pressdx sample`` run, once it has started writing."""
    out = tmp_path / "sample"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pressdx.cli", "sample", "--out", str(out), "--scale", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while not out.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the sample finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1, stderr
    assert stderr.strip().splitlines()[-1] == "pressdx: interrupted"
    assert "Traceback" not in stderr

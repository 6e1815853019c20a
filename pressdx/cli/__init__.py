"""The ``pressdx`` command line (spec ``interfaces.md``), on typer.

``main(argv)`` runs one command and returns its exit code, so tests and the console script call the same
thing. User mistakes print one line on standard error and exit 2, never a traceback or a click box:

* ``ConfigError`` (a wrong file, value or warehouse) → ``pressdx: <reason>``, exit 2;
* the warehouse file refused by DuckDB or the system (another process holds its lock, a folder, not a
  DuckDB file, no permission) → ``pressdx: <what and which file>``, exit 2 (``_warehouse_mistake``);
* a usage error (unknown option, missing required option, bad choice) → ``pressdx <command>: <what>``, exit 2;
* anything else → one line naming it, exit 1 (``pressdx --debug <command>`` shows the traceback);
* Ctrl-C → ``pressdx: interrupted``, exit 1.

Layout: one module per group of commands, each with its own ``app = typer.Typer()`` whose commands are
merged into the top level here: ``run`` (run), ``figures`` (kpi, timeliness, tasks), ``report`` (report),
``intake`` (validate, templates), ``admin`` (grant-bi, sample). Options several commands share
(``--warehouse``, ``--year``, ``--period``, ``--as-of``, ``--format``, ``--through``) are declared once in
``options``: use ``warehouse: options.Warehouse = None`` instead of declaring the option again.

Adding a command (``trace``, ``verify``, ``serve``, ``users``, ``docs``…):

1. write ``pressdx/cli/trace.py`` with ``app = typer.Typer()`` and ``@app.command("trace")`` functions that
   return an exit code, with ``help=`` on every option and a docstring (the command's help); import the
   wings it needs inside the function, so that ``pressdx --help`` stays fast;
2. register it: add ``"trace",`` to ``COMMANDS`` below (one line). ``tests/unit/test_cli.py`` fails on a
   command module left out, and checks that its help lists help for every option.
"""

from __future__ import annotations

import re
import sys
from importlib import import_module, metadata
from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.settings import ConfigError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# typer (>= 0.26) vendors click and exports no ``UsageError``; its public ``BadParameter`` derives from it.
UsageError = typer.BadParameter.__mro__[1]
ClickException = UsageError.__mro__[1]

# The command modules, in the order ``pressdx --help`` lists them: registering one is one line here.
COMMANDS = (
    "run",
    "figures",
    "report",
    "intake",
    "admin",
    "portal",
    "trace",
    "verify",
    "docs",
)

app = typer.Typer(name="pressdx", add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]})
for _name in COMMANDS:
    app.add_typer(import_module(f"pressdx.cli.{_name}").app)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        try:
            version = metadata.version("pressdx")
        except metadata.PackageNotFoundError:
            version = "unknown (not installed)"
        print(f"pressdx {version}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an unexpected error.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the installed version and exit.")] = False,
) -> None:
    """KPI warehouse of the Press Digital Transformation Strategy (Decision 781/QĐ-BTTTT)."""
    _state["debug"] = debug


def main(argv: list[str] | None = None) -> int:
    """Run ``pressdx <argv>`` (default: the process's arguments) and return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    _state["debug"] = False
    options.used["warehouse_file"] = None
    if not args:
        main(["--help"])
        return EXIT_USAGE
    command = typer.main.get_command(app)
    try:
        with command.make_context("pressdx", args) as ctx, _dbt_progress():
            rv = command.invoke(ctx)
        return rv if isinstance(rv, int) else EXIT_OK
    except typer.Exit as e:  # --help, --version
        return e.exit_code
    except UsageError as e:  # unknown option, missing option, bad value or choice
        where = e.ctx.command_path if e.ctx else "pressdx"
        print(f"{where}: {_one_line(e.format_message())} (see '{where} --help')", file=sys.stderr)
        return EXIT_USAGE
    except ClickException as e:
        print(f"pressdx: {_one_line(e.format_message())}", file=sys.stderr)
        return e.exit_code
    except ConfigError as e:
        print(f"pressdx: {_one_line(str(e))}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyboardInterrupt, typer.Abort):
        print("pressdx: interrupted", file=sys.stderr)
        return EXIT_FAILED
    except Exception as e:
        if _state["debug"]:
            raise
        reason = _warehouse_mistake(e)
        if reason:
            print(f"pressdx: {reason}", file=sys.stderr)
            return EXIT_USAGE
        lines = str(e).strip().splitlines()
        print(f"pressdx: {type(e).__name__}: {lines[0] if lines else ''} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_FAILED


_LOCK_RE = re.compile(r'lock on file "(?P<file>[^"]+)": Conflicting lock is held in [^(]*(?:\(PID (?P<pid>\d+)\))?')


def _warehouse_mistake(e: BaseException) -> str | None:
    """One line for what the user can fix about the warehouse file, or ``None`` for anything else.

    DuckDB raises ``IOException`` (``IO Error: …``) when another process holds the file's lock (a run or a
    build writing it; dbt's failure carries the same text), when the path is a folder or not a DuckDB file;
    the system raises ``OSError`` on the file or its companions (``….lock``, ``….wal``).
    """
    text = " ".join(str(e).split())
    lock = _LOCK_RE.search(text)
    if lock:
        holder = f"another process (PID {lock['pid']})" if lock["pid"] else "another process"
        return (f"{holder} holds the warehouse file {lock['file']} (a run, a build or a report writing it): "
                f"try again when it has finished")
    duckdb = sys.modules.get("duckdb")
    file = options.used["warehouse_file"]
    if duckdb is not None and isinstance(e, duckdb.IOException):
        reason = re.sub(r"^IO Error: ", "", text).split(" See also ")[0].rstrip(".!")
        return f"cannot use the warehouse file: {reason}"
    if file is not None and isinstance(e, OSError) and e.filename and str(e.filename).startswith(str(file)):
        return f"cannot use the warehouse file {e.filename}: {e.strerror or e}"
    return None


def _dbt_progress():
    """Every dbt invocation of the command shows its models on the progress lines (when they are shown)."""
    from contextlib import nullcontext

    from pressdx.cli.progress import Progress, enabled

    if not enabled():
        return nullcontext()
    from pressdx.warehouse.dbt import progress_to

    return progress_to(Progress())


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("Value error, ", "")


if __name__ == "__main__":
    sys.exit(main())

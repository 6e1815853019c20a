"""``pressdx validate | templates``: what a unit's clerk needs before sending a file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.settings import ConfigError

app = typer.Typer()


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("validate")
def validate_command(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The CSV, XLSX or JSON file to check.",
                                        show_default=False)],
    unit: Annotated[str, typer.Option("--unit", metavar="CODE", help="The unit that would send it, e.g. CBC.")],
    warehouse: options.Warehouse = None,
    register: Annotated[list[Path] | None, typer.Option(
        "--register", metavar="FILE", help="An agency register file to check agency codes against "
        "(repeat for several); without it the warehouse's accepted registers are used.")] = None,
    fmt: Annotated[ValidateFormat, typer.Option(
        "--format", help="text for people; json: the intake report (as `run --report`) of this one file.")]
        = "text",
) -> int:
    """Check one file as intake would, taking nothing in, and list every mistake at once.

    Agency codes are checked against accepted agency registers: --register files, the warehouse, or both.

    With neither, a file with agency codes is refused (exit 2).

    A rejected file is a result (exit 0); exit 1 only when the check itself failed.
    """
    from ingest.validate_file import validate_file

    report, _ok = validate_file(Path(file), unit, warehouse, register or (), fmt=ValidateFormat(fmt).value)
    print(report)
    return 0


@app.command("templates")
def templates_command(
    out: Annotated[str, typer.Option("--out", metavar="DIR", help="Output directory.")] = "var/templates",
    unit: Annotated[str | None, typer.Option(
        "--unit", metavar="CODE", help="Pre-fill this unit code (and list only its tasks in task_progress).")] = None,
    period: Annotated[str | None, typer.Option("--period", metavar="YYYY-Qn",
                                               help="Pre-fill this period.")] = None,
    dataset: Annotated[list[str] | None, typer.Option(
        "--dataset", metavar="NAME", help="Only this dataset (repeat the option for several).")] = None,
) -> int:
    """Write the XLSX templates units fill in, one per dataset."""
    from ingest.templates import write_templates

    try:
        paths = write_templates(Path(out), unit_code=unit, period=period, datasets=dataset or None)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    print(f"{len(paths)} template(s) written to {out}: {', '.join(p.name for p in paths)}")
    return 0

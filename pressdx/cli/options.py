"""The options several commands share, declared once: name, type, default and help text.

A command writes ``warehouse: options.Warehouse = None`` and gets the same ``--warehouse`` as every other
command (its help, its ``PRESSDX_WAREHOUSE`` default). The helpers below turn the text of ``--period`` and
``--as-of`` into values, with the one-line ``ConfigError`` the face prints (exit 2).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pressdx.settings import DEFAULT_URL, WAREHOUSE_ENV, ConfigError


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


Warehouse = Annotated[str | None, typer.Option(
    "--warehouse", envvar=WAREHOUSE_ENV, show_envvar=True, metavar="URL",
    help=f"Warehouse URL, duckdb:///FILE or postgresql://… (default: ${WAREHOUSE_ENV}, else {DEFAULT_URL}).")]
Year = Annotated[int, typer.Option("--year", metavar="YEAR", help="Reporting year, e.g. 2024.")]
Period = Annotated[str | None, typer.Option(
    "--period", metavar="Qn", help="Quarter of --year: Q1, Q2, Q3 or Q4 (default: the whole year).")]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", metavar="INSTANT",
    help="ISO-8601 instant, e.g. 2024-07-10T00:00:00+07:00: the figures as they were known then "
         "(a time without offset is Vietnam time; default: now).")]
Format = Annotated[OutputFormat, typer.Option(
    "--format", help="Output: a table for people, json or csv for programs.")]
Through = Annotated[str | None, typer.Option(
    "--through", metavar="YYYY-Qn", help="Last period to compute (default: the period containing today).")]


def quarter(text: str | None) -> int | None:
    """``--period`` as a quarter number (``None``: the whole year)."""
    if text is None:
        return None
    t = text.strip().upper().removeprefix("Q")
    if t not in {"1", "2", "3", "4"}:
        raise ConfigError(f"--period {text!r}: use Q1, Q2, Q3 or Q4")
    return int(t)


def instant(text: str | None) -> datetime | None:
    """``--as-of`` as an aware instant (``None``: now); a bare local time is read as Vietnam time."""
    if not text:
        return None
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--as-of {text!r} is not an ISO-8601 instant (e.g. 2024-07-10T00:00:00+07:00)") from None
    if t.tzinfo is None:
        from pressdx.domain.calendar import VN_TZ

        t = t.replace(tzinfo=VN_TZ)  # as the calendar is
    return t


# The DuckDB file of the command being run, once parsed: ``pressdx.cli.main`` names it when the operating
# system or DuckDB refuses it (a folder, not a DuckDB file, another process's lock).
used = {"warehouse_file": None}


def warehouse_url(value: str | None):
    """The parsed warehouse URL (``None`` or blank: ``PRESSDX_WAREHOUSE``, else the embedded DuckDB file)."""
    from pressdx.warehouse.connection import WarehouseURL

    url = WarehouseURL.parse((value or "").strip() or None)
    used["warehouse_file"] = url.path if url.kind == "duckdb" else None
    return url


def out_folder(text: str, option: str = "--out", create: bool = True) -> Path:
    """The output folder of ``option``, created if missing (``create``); a file there, or a folder that
    cannot be made, is the user's to fix (``ConfigError``), told before any work is done."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{option} {text}: that is a file, not a folder (name a new or existing folder)")
    if not create:
        return path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"{option} {text}: cannot create the folder ({e.strerror or e})") from None
    return path


def new_file(text: str, option: str) -> Path:
    """A file ``option`` will write: its folder must exist and it must not be a folder."""
    path = Path(text)
    if path.is_dir():
        raise ConfigError(f"{option} {text}: that is a folder; name a file")
    if not path.parent.is_dir():
        raise ConfigError(f"{option} {text}: the folder {path.parent} does not exist")
    return path

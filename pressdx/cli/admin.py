"""``pressdx grant-bi | sample``: the BI reader role of a PostgreSQL warehouse, and the sample inbox."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.cli.progress import Progress
from pressdx.settings import ConfigError

app = typer.Typer()


@app.command("grant-bi")
def grant_bi_command(
    role: Annotated[str | None, typer.Option(
        "--role", help="Name of the read-only role (default: pressdx_bi_<database>, one per warehouse database).")]
    = None,
    warehouse: options.Warehouse = None,
) -> int:
    """Create/refresh this warehouse database's read-only BI role (LOGIN with $PRESSDX_BI_PASSWORD when set).

    Refuses a role that another database uses or that grant-bi did not create."""
    from pressdx.warehouse.roles import grant_bi_reader

    done = grant_bi_reader(warehouse, role=role)
    print(f"role {done['role']} ({'created, ' if done['created'] else ''}{'login' if done['login'] else 'nologin'}): "
          f"select on {', '.join(done['granted']) or 'nothing (no marts schema yet)'}; "
          f"revoked on {', '.join(done['revoked']) or 'nothing'}; "
          f"temporary tables only for {', '.join(done['temp_kept_for']) or 'the owner'}")
    return 0


@app.command("sample")
def sample_command(
    out: Annotated[str, typer.Option("--out", metavar="DIR", help="Where to write sources.yml and inbox/.")]
    = "var/sample",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (the same seed writes the same files).")] = 781,
    through: Annotated[str, typer.Option("--through", metavar="YYYY-Qn", help="Last period to write.")]
    = "2025-Q4",
    scale: Annotated[float, typer.Option("--scale", help="Size factor: 1 is the realistic size, 0.1 a tenth.")]
    = 1.0,
    force: Annotated[bool, typer.Option("--force", help="Replace --out when it is not empty.")] = False,
) -> int:
    """Write the realistic sample inbox (fixed seed)."""
    from pressdx.sample.generator import generate

    target = Path(out)
    if target.exists() and not target.is_dir():
        raise ConfigError(f"--out {target} is a file, not a folder: give a folder for sources.yml and inbox/")
    if target.exists() and any(target.iterdir()):
        if not force:
            raise ConfigError(f"{target} is not empty (use --force to replace it)")
        shutil.rmtree(target)
    s = generate(target, seed=seed, through=through, scale=scale, progress=Progress())
    print(f"sample inbox written to {target}: {s.get('files')} files, {s.get('agencies')} agencies")
    return 0

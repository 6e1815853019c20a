"""``pressdx verify DIR``: the command an auditor runs on a package they were sent (docs/lineage.md).

A quarterly publication or a report folder is checked against its ``manifest.json``
(``pressdx.publishing.store.verify``) and against the landing store: the bytes of every submission version
it was made from must still be there under their SHA-256 (``pressdx.figures.trace.package_inputs``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pressdx.cli import options

app = typer.Typer()


@app.command("verify")
def verify_command(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A published folder (quarterly publication or "
                                                               "report), with its manifest.json.")],
    warehouse: options.Warehouse = None,
) -> int:
    """Check a published package against its manifest and the landing store.

    Every file must match its SHA-256 and size in manifest.json, and the original bytes of every submission
    version the package was made from (received at or before its as-of instant) must be in the landing
    store with their SHA-256. Exit 1 with one line per problem on standard error.
    """
    from pressdx.figures.trace import package_inputs, verify_inputs
    from pressdx.publishing.store import read_manifest, verify
    from pressdx.settings import ConfigError

    if not folder.is_dir():
        raise ConfigError(f"{folder} is not a folder")
    manifest = read_manifest(folder)
    problems = verify(folder)
    inputs = []
    if manifest is not None:
        inputs = package_inputs(options.warehouse_url(warehouse), manifest)
        problems += verify_inputs(inputs)
    for p in problems:
        print(f"pressdx verify: {p}", file=sys.stderr)
    if not problems:
        print(f"{folder}: {len((manifest or {}).get('files', {}))} file(s) match the manifest; "
              f"{len(inputs)} input submission(s) match their bytes in the landing store")
    return 1 if problems else 0

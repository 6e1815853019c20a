"""``pressdx docs --out DIR``: the dbt documentation site, one self-contained page to open offline.

dbt's own ``docs generate --static`` inlines manifest.json and catalog.json into dbt's ``index.html``; here
the two come back from the in-process invocations (``pressdx.warehouse.dbt.run_dbt`` keeps no target folder):
the manifest from ``dbt parse``, the catalog (column types, row counts) from ``dbt docs generate`` against the
warehouse, and they are inlined the same way into ``DIR/static_index.html``. Every model, source, seed and
test is there with its description, columns and SQL, and the lineage graph (the blue button) from ``raw`` to
the marts. A warehouse not built yet gives the same site without column types.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from pressdx.cli import options

app = typer.Typer()

PAGE = "static_index.html"


def write_site(url, out: Path) -> Path:
    """Write ``out/static_index.html`` for the warehouse ``url``; returns its path."""
    from dbt.task.docs import DOCS_INDEX_FILE_PATH

    from pressdx.warehouse.dbt import run_dbt

    parsed = run_dbt(url, ["parse"])
    catalog = run_dbt(url, ["docs", "generate", "--no-compile"])
    with tempfile.TemporaryDirectory(prefix="pressdx-docs-") as tmp:
        parsed.result.write(str(Path(tmp) / "manifest.json"))
        catalog.result.write(str(Path(tmp) / "catalog.json"))
        manifest_json = (Path(tmp) / "manifest.json").read_text(encoding="utf-8")
        catalog_json = (Path(tmp) / "catalog.json").read_text(encoding="utf-8")
    json.loads(manifest_json), json.loads(catalog_json)  # what is inlined must be whole JSON
    page = Path(DOCS_INDEX_FILE_PATH).read_text(encoding="utf-8")
    for placeholder, data in (('"MANIFEST.JSON INLINE DATA"', manifest_json), ('"CATALOG.JSON INLINE DATA"', catalog_json)):
        if placeholder not in page:
            raise RuntimeError(f"dbt's docs page has no {placeholder} to fill (dbt changed its docs site)")
        page = page.replace(placeholder, data)
    out.mkdir(parents=True, exist_ok=True)
    dest = out / PAGE
    tmp_dest = dest.with_name(f".{PAGE}.tmp")
    tmp_dest.write_text(page, encoding="utf-8")
    tmp_dest.replace(dest)
    return dest


@app.command("docs")
def docs_command(
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder to write static_index.html into "
                                                                     "(created if missing).")],
    warehouse: options.Warehouse = None,
) -> int:
    """Write the dbt documentation site (models, descriptions, columns, lineage graph) as one offline page.

    Open DIR/static_index.html in a browser: no server needed. The column types and row counts come from the
    warehouse, so build it first (pressdx run) for a complete page.
    """
    dest = write_site(options.warehouse_url(warehouse), out)
    print(f"{dest}: the dbt docs site (open it in a browser; lineage graph: the button at the bottom right)")
    return 0

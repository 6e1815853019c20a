"""``pressdx validate FILE --unit CODE``: the rejection report a clerk would get, without taking anything in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ingest.intake import gx_check, prepare, referential
from ingest.parsing import Limits
from ingest.sources import Incoming, Source
from pressdx.domain.reference import reference
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import Warehouse, WarehouseURL


def validate_file(file: Path, unit: str, warehouse: str | None = None) -> tuple[str, bool]:
    if not file.is_file():
        raise ConfigError(f"no such file: {file}")
    unit = unit.strip().upper()
    item = Incoming(Source(f"{unit}:validate", unit, "folder", path=file.parent), file.name, file.read_bytes(),
                    datetime.now(UTC))
    ref = reference()
    sub = prepare(item, ref, Limits())
    if not sub.errors:
        gx_check([sub])
    if not sub.errors:
        agencies: set[str] = set()
        url = WarehouseURL.parse(warehouse)
        if url.kind == "postgres" or url.path.exists():
            with Warehouse(url, read_only=url.kind == "duckdb") as wh:
                if wh.table_exists("raw", "agency_register"):
                    agencies = {r[0] for r in wh.query("select distinct agency_code from raw.agency_register")}
        if sub.meta["dataset"] == "agency_register":
            agencies |= {r["agency_code"] for r in sub.rows}
        referential(sub, ref, agencies)
    lines = [f"{file.name}: {'REJECTED / BỊ TỪ CHỐI' if sub.errors else 'OK / HỢP LỆ'} "
             f"({sub.meta.get('dataset')}, {sub.meta.get('period')}, {len(sub.rows)} rows, sha256 {sub.sha256[:12]}…)"]
    for f in sub.findings:
        where = ", ".join(x for x in (f"row {f.row}" if f.row else "", f.column or "") if x)
        lines.append(f"  [{f.severity}] {where or 'file'}: {f.message_vi}")
        lines.append(f"  {' ' * (len(f.severity) + 2)} {' ' * len(where or 'file')}  {f.message_en}")
    return "\n".join(lines), not sub.errors

"""``pressdx validate FILE --unit CODE``: the rejection report a clerk would get, without taking anything in.

The file goes through every check intake runs (``prepare``, the GX suites, ``referential``, ``conclude``), so
one run lists every mistake. Agency codes are valid when an accepted agency register lists them: those
registers come from ``--register FILE`` (agency register files, checked themselves first) and from the
warehouse (``--warehouse``/``$PRESSDX_WAREHOUSE``, else the default one when it exists). A file with agency
codes and no register to check them against is a usage error (``ConfigError``, exit 2), never a file full
of "unknown agency" errors.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingest.checks import conclude, gx_check, referential
from ingest.normalise import code
from ingest.parsing import Limits, Rejected, parse
from ingest.records import known_agencies
from ingest.sources import Incoming, Source
from ingest.submission import Submission, prepare
from pressdx.domain.datasets import DATASETS
from pressdx.domain.findings import capped
from pressdx.domain.reference import Reference, reference
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import Warehouse, WarehouseURL


@dataclass
class Checked:
    """One file checked: the submission with its findings, and what agency codes were checked against."""

    sub: Submission
    agencies_from: list[str]  # e.g. ["register.csv (3)", "duckdb:///var/warehouse.duckdb (780)"]; [] = not needed

    @property
    def ok(self) -> bool:
        return not self.sub.errors


def _incoming(file: Path, unit: str) -> Incoming:
    if not file.is_file():
        raise ConfigError(f"no such file: {file}")
    return Incoming(Source(f"{unit}:validate", unit, "folder", path=file.parent), file.name, file.read_bytes(),
                    datetime.now(UTC))


def needs_agencies(sub: Submission) -> bool:
    ds = DATASETS.get(sub.meta.get("dataset") or "")
    return bool(sub.rows) and ds is not None and ds.name != "agency_register" and "agency_code" in ds.column_names


def register_codes(file: Path, ref: Reference) -> set[str]:
    """The agency codes of an agency register file, which must itself pass every check."""
    data = _incoming(file, "?").data
    try:
        unit = code(parse(file.name, data).meta.get("unit_code")) or "?"
    except Rejected as r:
        unit = code((r.document.meta if r.document else r.meta).get("unit_code")) or "?"
    sub = prepare(_incoming(file, unit), ref, Limits())
    if sub.meta.get("dataset") != "agency_register":
        raise ConfigError(f"--register {file}: not an agency register (dataset {sub.meta.get('dataset')!r})")
    if sub.rows:
        gx_check([sub])
    conclude(sub)
    if sub.errors:
        raise ConfigError(f"--register {file}: the register itself would be rejected: {sub.errors[0].message_en}")
    return {r["agency_code"] for r in sub.rows}


def warehouse_codes(warehouse: str | None) -> tuple[set[str], str] | None:
    """Agency codes of the registers accepted in the warehouse named (or the default one, if it exists)."""
    url = WarehouseURL.parse(warehouse)
    if not warehouse and url.kind == "duckdb" and not url.path.exists():
        return None
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:  # a named DuckDB file that is absent: ConfigError
        codes = known_agencies(wh) if wh.table_exists("raw", "agency_register") else set()
    return codes, url.display  # no password


def check_file(file: Path, unit: str, warehouse: str | None = None, registers: Sequence[Path] = ()) -> Checked:
    """Every check intake would run on ``file`` sent by ``unit``; raises ``ConfigError`` for a usage error."""
    unit = unit.strip().upper()
    ref = reference()
    sub = prepare(_incoming(file, unit), ref, Limits())
    if sub.rows:
        gx_check([sub])
    sources: list[str] = []
    agencies: set[str] | None = None
    if needs_agencies(sub):
        agencies = set()
        for reg in registers:
            codes = register_codes(reg, ref)
            agencies |= codes
            sources.append(f"{reg.name} ({len(codes)})")
        if warehouse or not registers:
            found = warehouse_codes(warehouse)
            if found and found[0]:
                agencies |= found[0]
                sources.append(f"{found[1]} ({len(found[0])})")
        if not sources:
            where = "the warehouse has no accepted agency register" if warehouse else \
                f"no warehouse at {WarehouseURL.parse(None).path}"
            raise ConfigError(f"{sub.meta['dataset']} files are checked against accepted agency registers and "
                              f"there are none ({where}): give --register FILE (an agency register file) "
                              f"or --warehouse URL")
    if sub.rows:
        referential(sub, ref, agencies)
    conclude(sub)
    return Checked(sub, sources)


def summary_lines(c: Checked) -> list[str]:
    """The verdict, one line per language (vi, en): the file, accepted or not, its dataset, period and rows."""
    sub, m = c.sub, c.sub.meta
    name = Path(sub.item.path).name
    n_err, n_warn = len(sub.errors), len(sub.warnings)
    facts_vi = [x for x in (m.get("dataset"), m.get("period")) if x]
    facts_en = list(facts_vi)
    if sub.rows:
        facts_vi.append(f"{len(sub.rows)} dòng dữ liệu")
        facts_en.append(f"{len(sub.rows)} data rows")
    tail_vi = f" ({', '.join(facts_vi)})" if facts_vi else ""
    tail_en = f" ({', '.join(facts_en)})" if facts_en else ""
    if n_err:
        lines = [f"{name}: BỊ TỪ CHỐI, {n_err} lỗi{tail_vi}", f"{name}: REJECTED, {n_err} error(s){tail_en}"]
    else:
        lines = [f"{name}: HỢP LỆ, {n_warn} cảnh báo{tail_vi}", f"{name}: OK, {n_warn} warning(s){tail_en}"]
    return lines


def render_text(c: Checked) -> str:
    """The report for a terminal: the verdict in each language, what agency codes were checked against,
    then every finding (grouped, capped), vi then en."""
    sub = c.sub
    lines = summary_lines(c)
    if c.agencies_from:
        lines.append(f"  mã cơ quan báo chí đối chiếu với / agency codes checked against: {', '.join(c.agencies_from)}")
    for f in capped(sub.errors) + capped(sub.warnings):
        mark = "✗" if f.severity == "error" else "!"
        lines.append(f"  {mark} {f.message_vi}")
        lines.append(f"    {f.message_en}")
    return "\n".join(lines)


def render_json(c: Checked) -> str:
    """The intake report (interfaces.md) of this one file: its entry under ``accepted`` or ``rejected``."""
    entry = c.sub.report()
    doc = {"accepted": [] if c.sub.errors else [entry], "rejected": [entry] if c.sub.errors else [],
           "duplicates": []}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def validate_file(file: Path, unit: str, warehouse: str | None = None, registers: Sequence[Path] = (),
                  fmt: str = "text") -> tuple[str, bool]:
    """The report of ``file`` (``fmt``: ``text`` or ``json``) and whether it would be accepted."""
    c = check_file(file, unit, warehouse, registers)
    return (render_json(c) if fmt == "json" else render_text(c)), c.ok

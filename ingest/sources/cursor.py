"""The HTTP cursors kept between runs in ``audit.source_state`` (one row per source name).

The pull never writes a cursor: the caller saves it only after the pulled items are taken in, so a crash
in between re-pulls the same items (at least once, never lost; intake recognises them by their SHA-256).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pressdx.warehouse.connection import Warehouse


def load_cursor(wh: Warehouse, source_name: str) -> str | None:
    """The cursor saved for ``source_name`` by the last successful run, or ``None`` (start from the beginning)."""
    rows = wh.query("select cursor_value from audit.source_state where source_name = ?", (source_name,))
    return rows[0][0] if rows else None


def save_cursor(wh: Warehouse, source_name: str, cursor: str | None) -> None:
    """Upsert the cursor of ``source_name`` (delete + insert in one transaction; DuckDB and PostgreSQL)."""
    with wh.transaction():
        wh.execute("delete from audit.source_state where source_name = ?", (source_name,))
        wh.execute("insert into audit.source_state (source_name, cursor_value, updated_at) values (?, ?, ?)",
                   (source_name, cursor, datetime.now(UTC)))

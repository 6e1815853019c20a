"""The portal's own tables: accounts and login attempts in schema ``portal``, events in ``audit``.

The same DDL runs on DuckDB and PostgreSQL (the warehouse's one small API). ``portal`` is private: the
BI role never reads it (``pressdx.warehouse.roles.PRIVATE_SCHEMAS``). Nothing here deletes a row: a
disabled account stays, with when it was disabled; attempts and events are append-only.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pressdx.warehouse.connection import Warehouse

ROLES = ("clerk", "press_department", "auditor")

DDL = (
    "create schema if not exists portal",
    "create schema if not exists audit",
    """
create table if not exists portal.users (
    username varchar primary key,
    role varchar not null,
    unit_code varchar,
    password_hash varchar not null,
    active boolean not null,
    created_at timestamptz not null,
    sessions_valid_after timestamptz not null,
    disabled_at timestamptz
)""",
    """
create table if not exists portal.login_attempts (
    attempt_at timestamptz not null,
    username varchar not null,
    client_ip varchar not null,
    success boolean not null
)""",
    """
create table if not exists portal.receipts (
    receipt_id varchar primary key,
    unit_code varchar not null,
    source_name varchar not null,
    path varchar not null,
    sha256 varchar not null,
    size_bytes bigint not null,
    received_at timestamptz not null,
    username varchar not null
)""",
    """
create table if not exists audit.portal_events (
    event_id varchar primary key,
    event_at timestamptz not null,
    kind varchar not null,
    username varchar,
    unit_code varchar,
    client_ip varchar,
    outcome varchar not null,
    detail varchar
)""",
)


@dataclass(frozen=True)
class User:
    username: str
    role: str
    unit_code: str | None
    password_hash: str
    active: bool
    sessions_valid_after: datetime

    def may_read(self, unit: str) -> bool:
        return self.role in ("press_department", "auditor") or self.unit_code == unit

    def may_submit(self, unit: str) -> bool:
        return self.role == "press_department" or (self.role == "clerk" and self.unit_code == unit)


def ensure(wh: Warehouse) -> None:
    for ddl in DDL:
        wh.execute(ddl)


def get_user(wh: Warehouse, username: str) -> User | None:
    rows = wh.query("select username, role, unit_code, password_hash, active, sessions_valid_after "
                    "from portal.users where username = ?", (username,))
    if not rows:
        return None
    u = rows[0]
    return User(u[0], u[1], u[2], u[3], bool(u[4]), u[5].astimezone(UTC))


def add_user(wh: Warehouse, username: str, role: str, unit_code: str | None, password_hash: str) -> None:
    now = datetime.now(UTC)
    wh.execute("insert into portal.users (username, role, unit_code, password_hash, active, created_at, "
               "sessions_valid_after) values (?, ?, ?, ?, true, ?, ?)",
               (username, role, unit_code, password_hash, now, now))


def set_password(wh: Warehouse, username: str, password_hash: str) -> None:
    """A new password, the account active again, every earlier session ended."""
    wh.execute("update portal.users set password_hash = ?, active = true, disabled_at = null, "
               "sessions_valid_after = ? where username = ?", (password_hash, datetime.now(UTC), username))


def disable(wh: Warehouse, username: str) -> None:
    now = datetime.now(UTC)
    wh.execute("update portal.users set active = false, disabled_at = ?, sessions_valid_after = ? "
               "where username = ?", (now, now, username))


def record_attempt(wh: Warehouse, username: str, ip: str, success: bool) -> None:
    wh.insert_rows("portal.login_attempts", ("attempt_at", "username", "client_ip", "success"),
                   [(datetime.now(UTC), username, ip, success)])


def recent_failures(wh: Warehouse, window: timedelta, *, username: str | None = None,
                    ip: str | None = None) -> int:
    """Failed attempts within ``window`` for one account or one client address, since its last success."""
    since = datetime.now(UTC) - window
    col, value = ("username", username) if username is not None else ("client_ip", ip)
    last_ok = wh.query(f"select max(attempt_at) from portal.login_attempts where {col} = ? and success", (value,))
    if last_ok and last_ok[0][0] is not None and last_ok[0][0] > since:
        since = last_ok[0][0]
    return wh.query(f"select count(*) from portal.login_attempts where {col} = ? and not success "
                    "and attempt_at > ?", (value, since))[0][0]


def event(wh: Warehouse, kind: str, outcome: str, *, username: str | None = None, unit_code: str | None = None,
          ip: str | None = None, **detail) -> None:
    wh.insert_rows("audit.portal_events",
                   ("event_id", "event_at", "kind", "username", "unit_code", "client_ip", "outcome", "detail"),
                   [(uuid.uuid4().hex, datetime.now(UTC), kind, username, unit_code, ip, outcome,
                     json.dumps(detail, ensure_ascii=False, default=str) if detail else None)])


def add_receipt(wh: Warehouse, unit: str, source_name: str, path: str, sha256: str, size: int,
                received_at: datetime, username: str) -> str:
    rid = uuid.uuid4().hex
    wh.insert_rows("portal.receipts", ("receipt_id", "unit_code", "source_name", "path", "sha256", "size_bytes",
                                       "received_at", "username"),
                   [(rid, unit, source_name, path, sha256, size, received_at, username)])
    return rid


def receipts(wh: Warehouse, unit: str) -> list[dict]:
    return wh.query_dicts("select receipt_id, path, sha256, size_bytes, received_at, username from portal.receipts "
                          "where unit_code = ? order by received_at desc", (unit,))

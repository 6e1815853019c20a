"""``pressdx users add|disable|reset``: the accounts of the portal (no account or password ships).

A password comes from an interactive prompt or from an environment variable named on the command line
(``--password-env NAME``), never from an option value, so it lands in no shell history and no process
list. Each change is an ``audit.portal_events`` row.
"""

from __future__ import annotations

import getpass
import os
import re

from pressdx.domain.reference import reference
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.web import store
from pressdx.web.auth import check_new_password, hash_password

USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")


def read_password(password_env: str | None, prompt=getpass.getpass) -> str:
    if password_env:
        value = os.environ.get(password_env)
        if not value:
            raise ConfigError(f"environment variable {password_env} is not set")
        password = value
    else:
        password = prompt("Password: ")
        if password != prompt("Repeat the password: "):
            raise ConfigError("the two passwords differ")
    try:
        check_new_password(password)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    return password


def _open(warehouse: str | None) -> Warehouse:
    wh = Warehouse(WarehouseURL.parse(warehouse))
    store.ensure(wh)
    return wh


def add(warehouse: str | None, username: str, role: str, unit: str | None, password: str) -> str:
    username = username.strip().lower()
    if not USERNAME_RE.fullmatch(username):
        raise ConfigError(f"user name {username!r}: 2–64 lower-case letters, digits and . _ @ -")
    if role not in store.ROLES:
        raise ConfigError(f"role {role!r}: use one of {', '.join(store.ROLES)}")
    unit = unit.strip().upper() if unit else None
    if role == "clerk" and not unit:
        raise ConfigError("a clerk belongs to one unit: give --unit CODE")
    if role != "clerk" and unit:
        raise ConfigError(f"a {role} account sees every unit: leave out --unit")
    with _open(warehouse) as wh:
        known = set(reference().units)
        if wh.table_exists("raw", "unit_registrations"):
            known |= {r[0] for r in wh.query("select unit_code from raw.unit_registrations")}
        if unit and unit not in known:
            raise ConfigError(f"unknown unit {unit!r}")
        if store.get_user(wh, username):
            raise ConfigError(f"user {username} exists (use `pressdx users reset {username}`)")
        store.add_user(wh, username, role, unit, hash_password(password))
        store.event(wh, "user_added", "done", username=username, unit_code=unit, role=role, by="cli")
    return f"user {username} added ({role}{' of ' + unit if unit else ''})"


def disable(warehouse: str | None, username: str) -> str:
    with _open(warehouse) as wh:
        if not store.get_user(wh, username):
            raise ConfigError(f"no user {username}")
        store.disable(wh, username)
        store.event(wh, "user_disabled", "done", username=username, by="cli")
    return f"user {username} disabled; their sessions have ended"


def reset(warehouse: str | None, username: str, password: str) -> str:
    with _open(warehouse) as wh:
        if not store.get_user(wh, username):
            raise ConfigError(f"no user {username}")
        store.set_password(wh, username, hash_password(password))
        store.event(wh, "user_reset", "done", username=username, by="cli")
    return f"user {username}: new password set, account active, earlier sessions ended"

"""``pressdx serve`` and ``pressdx users add|disable|reset``: the web portal and its accounts (docs/portal.md).

No account and no password ship with pressdx: ``users add`` / ``users reset`` read the password from a
prompt (typed twice, not echoed) or from the environment variable named by ``--password-env``, never
from an option value, so it lands in no shell history and no process list.
"""

from __future__ import annotations

from typing import Annotated

import typer

from pressdx.cli import options

app = typer.Typer()
users = typer.Typer(name="users", help="Manage the portal's accounts (clerk, press_department, auditor).",
                    no_args_is_help=True)
app.add_typer(users, name="users")

PasswordEnv = Annotated[str | None, typer.Option(
    "--password-env", metavar="NAME",
    help="Read the password from this environment variable instead of a prompt.")]


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (keep 127.0.0.1 behind a proxy).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    sources: Annotated[str | None, typer.Option(
        "--sources", envvar="PRESSDX_SOURCES", show_envvar=True, metavar="FILE",
        help="sources.yml: registered units and limits; enables “take in now”.")] = None,
    warehouse: options.Warehouse = None,
) -> int:
    """Serve the web portal (needs $PRESSDX_PORTAL_SECRET; Secure cookies with $PRESSDX_PORTAL_SECURE_COOKIES=1)."""
    from pressdx.web.server import serve

    serve(host=host, port=port, warehouse=warehouse, sources=sources)
    return 0


@users.command("add")
def add_command(
    username: Annotated[str, typer.Argument(help="Login name (lower-case letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option("--role", help="clerk, press_department or auditor.")],
    unit: Annotated[str | None, typer.Option("--unit", metavar="CODE", help="The clerk's unit.")] = None,
    password_env: PasswordEnv = None,
    warehouse: options.Warehouse = None,
) -> int:
    """Add an account."""
    from pressdx.web import accounts

    print(accounts.add(warehouse, username, role, unit, accounts.read_password(password_env)))
    return 0


@users.command("disable")
def disable_command(
    username: Annotated[str, typer.Argument(help="Login name.")],
    warehouse: options.Warehouse = None,
) -> int:
    """Disable an account and end its sessions (the account and its history stay)."""
    from pressdx.web import accounts

    print(accounts.disable(warehouse, username))
    return 0


@users.command("reset")
def reset_command(
    username: Annotated[str, typer.Argument(help="Login name.")],
    password_env: PasswordEnv = None,
    warehouse: options.Warehouse = None,
) -> int:
    """Set a new password (re-enables a disabled account and ends its sessions)."""
    from pressdx.web import accounts

    print(accounts.reset(warehouse, username, accounts.read_password(password_env)))
    return 0

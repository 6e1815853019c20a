"""The portal's settings, read once at start-up from the environment (and the command line).

No secret has a default: without ``PRESSDX_PORTAL_SECRET`` (at least 32 characters) the portal refuses
to start, so a deployment can never run on a key that is written down somewhere public.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest.parsing import Limits
from pressdx.settings import ConfigError, data_dir, warehouse_default
from pressdx.warehouse.connection import WarehouseURL

SECRET_ENV = "PRESSDX_PORTAL_SECRET"
SECURE_ENV = "PRESSDX_PORTAL_SECURE_COOKIES"
SOURCES_ENV = "PRESSDX_SOURCES"
MIN_SECRET = 32


@dataclass(frozen=True)
class PortalSettings:
    url: WarehouseURL
    secret: str = field(repr=False)
    secure_cookies: bool = False
    sources: Path | None = None  # sources.yml: registered units and limits for "take in now"
    data: Path = field(default_factory=data_dir)
    session_hours: float = 8.0
    account_failures: int = 5  # failed logins per account within the window before it is locked
    ip_failures: int = 20  # failed logins per client address within the window
    window_minutes: float = 15.0

    @property
    def portal_dir(self) -> Path:
        """Where submitted files wait for intake: one folder source per unit, ``portal/<UNIT>/``."""
        return self.data / "portal"

    @property
    def staging_dir(self) -> Path:
        """Checked but not yet submitted uploads (a hidden folder no unit source lists)."""
        return self.portal_dir / ".staging"

    def limits(self) -> Limits:
        if self.sources is None:
            return Limits()
        from ingest.sources import load_config

        return load_config(self.sources).limits


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def from_env(warehouse: str | None = None, sources: str | Path | None = None,
             secure_cookies: bool | None = None) -> PortalSettings:
    secret = os.environ.get(SECRET_ENV, "")
    if len(secret) < MIN_SECRET:
        raise ConfigError(f"set {SECRET_ENV} to a random secret of at least {MIN_SECRET} characters "
                          "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`); "
                          "the portal has no default key")
    src = sources or os.environ.get(SOURCES_ENV) or None
    if src is not None and not Path(src).is_file():
        raise ConfigError(f"sources file not found: {src}")
    return PortalSettings(
        url=WarehouseURL.parse(warehouse or warehouse_default()), secret=secret,
        secure_cookies=_truthy(os.environ.get(SECURE_ENV)) if secure_cookies is None else secure_cookies,
        sources=Path(src).resolve() if src else None)

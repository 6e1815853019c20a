"""``pressdx serve``: the portal under uvicorn, on 127.0.0.1 unless told otherwise.

Behind a reverse proxy (docs/portal.md) uvicorn reads ``X-Forwarded-For`` / ``X-Forwarded-Proto`` only
from the addresses in ``PRESSDX_PORTAL_FORWARDED_ALLOW_IPS`` (default 127.0.0.1), so the client address
that rate-limiting and the audit see cannot be forged by a client talking to the portal directly.
"""

from __future__ import annotations

import os

from pressdx.web.config import from_env

FORWARDED_ENV = "PRESSDX_PORTAL_FORWARDED_ALLOW_IPS"


def serve(host: str = "127.0.0.1", port: int = 8000, warehouse: str | None = None,
          sources: str | None = None) -> None:
    import uvicorn

    from pressdx.web.app import create_app

    app = create_app(from_env(warehouse, sources))
    uvicorn.run(app, host=host, port=port, proxy_headers=True,
                forwarded_allow_ips=os.environ.get(FORWARDED_ENV, "127.0.0.1"), server_header=False,
                log_level=os.environ.get("PRESSDX_PORTAL_LOG_LEVEL", "info"))

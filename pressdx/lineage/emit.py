"""The ``Emitter`` the job steps use: events out through ``PressdxTransport``, never a failed run.

Lineage describes a run; it must not decide whether the run succeeded. Whatever goes wrong while events
are built or sent (a backend that is down, a full disk, an artifact the processor cannot read) is caught
and said in one log line (``Emitter.problem``), and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from pressdx.lineage.transport import PressdxTransport

log = logging.getLogger(__name__)

PRODUCER = "urn:pressdx"  # the producer of pressdx's events (its version is added: urn:pressdx:0.1.0)


def producer() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{PRODUCER}:{version('pressdx')}"
    except PackageNotFoundError:  # a bare checkout, not installed
        return PRODUCER


class Emitter:
    """Sends events to the lineage file (and backend); ``emit_all`` never raises.

    ``transport``: for tests and callers with their own (default: ``PressdxTransport()`` from the environment).
    """

    def __init__(self, transport: Any | None = None):
        self._transport = transport
        self.problem: str | None = None  # the one line said about a failure, if any
        self.sent = 0

    def _client(self):
        from openlineage.client import OpenLineageClient

        if self._transport is None:
            self._transport = PressdxTransport()
        return OpenLineageClient(transport=self._transport)

    def emit_all(self, build: Callable[[], Iterable[Any]], what: str) -> int:
        """Build the events (``build()``) and send them; returns how many were sent. ``what``: for the log."""
        try:
            events = list(build())
            client = self._client()
            for event in events:
                client.emit(event)
                self.sent += 1
        except Exception as e:
            self.problem = f"lineage: {what}: events not written ({type(e).__name__}: {_short(e)}); the run goes on"
            log.warning("%s", self.problem)
            log.debug("lineage failure", exc_info=True)
            return self.sent
        http_failure = getattr(self._transport, "http_failure", None)
        if http_failure:
            self.problem = http_failure  # already said once by the transport
        return self.sent


def _short(e: BaseException) -> str:
    return " ".join(str(e).split())[:200]

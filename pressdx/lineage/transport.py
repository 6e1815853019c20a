"""Where OpenLineage events go: a JSON-lines file per day under ``$PRESSDX_DATA_DIR/lineage/``, and an HTTP
backend when ``PRESSDX_OPENLINEAGE_URL`` is set.

The file is always written, also when a backend is configured: it is the embedded record (nothing to run,
kept with the landing store it describes), and it still holds every event when the backend is down. One
file per UTC day (``2026-05-01.jsonl``), one event per line. Several processes append to it at once (CLI,
Airflow tasks, test workers), so each event is written with a single ``write`` on a file opened with
``O_APPEND``: lines never interleave, which the client's own file transport (``open(…, "a")``, buffered)
does not promise for events larger than a buffer (a dbt model's event carries its SQL).

``PressdxTransport`` is an OpenLineage ``Transport``, so the Airflow provider can send its own events to the
same places: ``[openlineage] transport = {"type": "pressdx.lineage.transport.PressdxTransport"}``
(docs/airflow.md). A backend that cannot be reached is reported once per process (one warning line) and
then left alone for the rest of it, so an unreachable URL costs one time-out, not one per event.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attr
from openlineage.client.serde import Serde
from openlineage.client.transport.transport import Config, Transport

from pressdx.settings import data_dir

log = logging.getLogger(__name__)

URL_ENV = "PRESSDX_OPENLINEAGE_URL"
HTTP_TIMEOUT_S = 5.0
HTTP_RETRY = {"total": 0}  # one attempt: urllib3 logs each retry, and the file keeps the event anyway
_unreachable: set[str] = set()  # backends that failed in this process: not tried again
_lock = threading.Lock()


def lineage_dir() -> Path:
    """The folder of the lineage files: ``$PRESSDX_DATA_DIR/lineage`` (looked up on every call)."""
    return data_dir() / "lineage"


def lineage_file(when: datetime | None = None, directory: Path | None = None) -> Path:
    """The file of the UTC day of ``when`` (default: today)."""
    day = (when or datetime.now(UTC)).astimezone(UTC).date().isoformat()
    return (directory or lineage_dir()) / f"{day}.jsonl"


def backend_url() -> str | None:
    """``PRESSDX_OPENLINEAGE_URL`` (e.g. ``http://127.0.0.1:5000`` for Marquez), or None."""
    return os.environ.get(URL_ENV, "").strip() or None


def _display(url: str) -> str:
    """The URL without credentials, for the log."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"


@attr.define
class PressdxConfig(Config):
    """``directory``: where the day files go (default: ``lineage_dir()`` when the transport is made);
    ``url``: the HTTP backend (default: ``PRESSDX_OPENLINEAGE_URL``); ``endpoint``: its path."""

    directory: str | None = None
    url: str | None = None
    endpoint: str = "api/v1/lineage"

    @classmethod
    def from_dict(cls, params: dict[str, Any]) -> PressdxConfig:
        return cls(directory=params.get("directory"), url=params.get("url"),
                   endpoint=params.get("endpoint", "api/v1/lineage"))


class PressdxTransport(Transport):
    """The day file always, the HTTP backend as well when configured."""

    kind = "pressdx"
    config_class = PressdxConfig

    def __init__(self, config: PressdxConfig | None = None) -> None:
        config = config or PressdxConfig()
        self.directory = Path(config.directory) if config.directory else lineage_dir()
        self.url = config.url or backend_url()
        self._http = None
        if self.url:
            from openlineage.client.transport.http import HttpConfig, HttpTransport

            self._http = HttpTransport(HttpConfig.from_dict(
                {"url": self.url, "endpoint": config.endpoint, "timeout": HTTP_TIMEOUT_S, "retry": HTTP_RETRY}))
        self.http_failure: str | None = None  # the one line said when the backend failed, for the caller

    def emit(self, event: Any) -> None:
        self.write_file(event)
        if self._http is None or self.url in _unreachable:
            return
        try:
            self._http.emit(event)
        except Exception as e:  # unreachable, refused, 4xx/5xx: the file has the event
            with _lock:
                first = self.url not in _unreachable
                _unreachable.add(self.url)
            self.http_failure = (f"lineage: OpenLineage backend {_display(self.url)} not reached "
                                 f"({type(e).__name__}); events kept in {self.directory}")
            if first:
                log.warning("%s", self.http_failure)

    def write_file(self, event: Any) -> Path:
        """Append ``event`` as one line to today's file, in one write."""
        path = lineage_file(directory=self.directory)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = (Serde.to_json(event) + "\n").encode("utf-8")
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return path

    def close(self, timeout: float = -1) -> bool:
        if self._http is not None:
            self._http.close(timeout)
        return True


def forget_unreachable() -> None:
    """Try every backend again (a long-lived process after the backend came back; tests)."""
    with _lock:
        _unreachable.clear()

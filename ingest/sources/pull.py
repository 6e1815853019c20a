"""``pull(source, state)``: the one entry point of the pipeline and the Airflow tasks, whatever the kind."""

from __future__ import annotations

from collections.abc import Iterable

from ingest.sources.folder import pull_folder
from ingest.sources.items import Incoming, Source


def pull(src: Source, state: dict | None = None) -> Iterable[Incoming]:
    """What ``src`` holds: a folder's files (lazily), or every HTTP submission after ``state["cursor"]``.

    ``state`` is an HTTP source's cursor holder (see ``ingest.sources.http.pull_http``); folders ignore it.
    """
    if src.kind == "folder":
        return pull_folder(src)
    from ingest.sources.http import pull_http  # httpx is loaded only when an HTTP source is pulled

    return pull_http(src, state)

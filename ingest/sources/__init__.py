"""Unit sources: the ``sources.yml`` file, and pulling what each source holds.

A source yields ``Incoming`` items: the exact bytes, where they came from and when they were received.
Nothing here interprets a file; that is intake's job, so every source is validated the same way.

One job per module; they import one another one way (``items`` at the bottom) and never this package:

* ``items``    - ``Source`` (one entry of the file) and ``Incoming`` (one pulled file);
* ``schema``   - the pydantic schema of ``sources.yml`` (every key, ``extra="forbid"``);
* ``config``   - ``load_config``: YAML → schema → ``Config``; a mistake is one line naming file, entry and key;
* ``folder``   - drop folders;
* ``http``     - the HTTP protocol's paging loop (``fetch``: one page with retries and the ``Source*Error``
  classes; ``elements``: one element → ``Incoming``; ``text``: message helpers);
* ``cursor``   - the HTTP cursors kept between runs;
* ``pull``     - ``pull(source, state)``: the one entry point, whatever the kind.

The names most callers need are re-exported here (``from ingest.sources import load_config``); the HTTP
modules are not, so that reading a config or a folder does not load httpx.
"""

from ingest.sources.config import Config, load_config
from ingest.sources.items import Incoming, Source
from ingest.sources.pull import pull

__all__ = ["Config", "Incoming", "Source", "load_config", "pull"]

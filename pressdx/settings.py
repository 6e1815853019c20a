"""Settings: what every wing may read, resolved once at the edge (the CLI, an Airflow task, the portal).

The bottom layer of the house: it imports nothing of pressdx. It holds the one configuration error type,
the environment variables pressdx reads, and the one lookup of the files that ship with the package
(the dbt project, its seeds, the Great Expectations suites), so that an installed wheel and a checkout
find them the same way. Those folders are only ever read: what dbt writes goes to ``cache_dir()``
(partial-parse states) or to a temporary folder per invocation (``target/``, ``logs/``), never into the
package, which may be installed read-only.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path

DEFAULT_URL = "duckdb:///var/warehouse.duckdb"
WAREHOUSE_ENV = "PRESSDX_WAREHOUSE"
DATA_DIR_ENV = "PRESSDX_DATA_DIR"
CACHE_DIR_ENV = "PRESSDX_CACHE_DIR"


class ConfigError(Exception):
    """A user's configuration or input is wrong; faces print it on one line and exit 2."""


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore the previous values (a library
    that reads its settings only from the environment: dbt, fontTools)."""
    saved = {k: os.environ.get(k) for k in values}
    try:
        os.environ.update(values)
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def data_dir() -> Path:
    """Where the landing store, the quarantine and publications live (``PRESSDX_DATA_DIR``, default ``var/``)."""
    return Path(os.environ.get(DATA_DIR_ENV, "var")).resolve()


def cache_dir() -> Path:
    """Where pressdx keeps what only saves time, such as dbt's partial-parse states.

    ``PRESSDX_CACHE_DIR``, else ``$XDG_CACHE_HOME/pressdx``, else ``~/.cache/pressdx``. Per user, not per
    data folder: tests and as-of builds use many data folders and one state serves them all; not in the
    package: an installed wheel may be read-only. Losing it costs a full dbt parse (≈ 3 s), nothing else.
    """
    explicit = os.environ.get(CACHE_DIR_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory (a service account): the system's temporary folder
            base = tempfile.gettempdir()
    return Path(base).expanduser().resolve() / "pressdx"


def warehouse_default() -> str:
    """The warehouse URL when none is given: ``PRESSDX_WAREHOUSE``, else the embedded DuckDB file."""
    return os.environ.get(WAREHOUSE_ENV, "").strip() or DEFAULT_URL


@cache
def resource_dir(name: str) -> Path:
    """A folder shipped with pressdx: ``dbt_project`` or ``expectations``.

    In a checkout (editable install) they are the repository's top-level folders; in a wheel they are
    package data of ``pressdx._bundle`` (``pyproject.toml`` maps them there). One lookup for both.
    """
    checkout = Path(__file__).resolve().parent.parent / name
    if (checkout / ".pressdx-resource").exists():
        return checkout
    try:
        bundled = Path(str(resources.files("pressdx._bundle") / name))
    except ModuleNotFoundError:
        bundled = None
    if bundled is not None and bundled.is_dir():
        return bundled
    raise ConfigError(f"pressdx is installed without its {name}/ folder (reinstall the package)")


def dbt_project_dir() -> Path:
    return resource_dir("dbt_project")


def seeds_dir() -> Path:
    return dbt_project_dir() / "seeds"


def expectations_dir() -> Path:
    return resource_dir("expectations")

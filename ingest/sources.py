"""Unit sources listed in ``sources.yml``, and pulling what they hold.

A source yields ``Incoming`` items: the exact bytes, where they came from and when they were received.
Nothing here interprets a file; that is intake's job, so every source is validated the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ingest.parsing import ENCODINGS, REFUSED_EXTENSIONS, Limits
from pressdx.settings import ConfigError

UNIT_KINDS = ("ministry", "province", "governing_body")


@dataclass(frozen=True)
class Source:
    name: str
    unit_code: str
    kind: str
    path: Path | None = None
    url: str | None = None
    token_env: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One pulled file. ``body`` is its bytes, or the file that holds them (a folder source): a run over
    the whole history then holds one file in memory at a time, not every file of every source."""

    source: Source
    path: str  # relative to the source's folder, or the HTTP submission id
    body: bytes | Path
    received_at: datetime

    @property
    def data(self) -> bytes:
        """The bytes, read now when ``body`` is a file (read it once and keep the result: see ``loaded``)."""
        return self.body.read_bytes() if isinstance(self.body, Path) else self.body

    @property
    def size(self) -> int:
        return self.body.stat().st_size if isinstance(self.body, Path) else len(self.body)

    def loaded(self) -> Incoming:
        """The same item with its bytes in memory, so that hash, parse and landing see the same bytes."""
        return self if isinstance(self.body, bytes) else replace(self, body=self.data)


@dataclass(frozen=True)
class Config:
    file: Path
    sources: tuple[Source, ...]
    units: dict[str, str] = field(default_factory=dict)  # registered ministries/provinces/bodies -> kind
    unit_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    limits: Limits = Limits()


def load_config(file: str | Path) -> Config:
    file = Path(file)
    try:
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {file}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{file}: not valid YAML ({str(e).splitlines()[0]})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise ConfigError(f"{file}: expected a mapping with a 'sources:' list")
    base = file.resolve().parent
    sources, names = [], set()
    for n, s in enumerate(doc["sources"], start=1):
        if not isinstance(s, dict) or not s.get("unit_code") or s.get("kind") not in ("folder", "http"):
            raise ConfigError(f"{file}: source #{n} needs unit_code and kind: folder|http")
        unit = str(s["unit_code"]).strip().upper()
        if s["kind"] == "folder":
            if not s.get("path"):
                raise ConfigError(f"{file}: folder source #{n} ({unit}) needs a path")
            path = (base / str(s["path"])).resolve()
            src = Source(s.get("name") or f"{unit}:{s['path']}", unit, "folder", path=path, contact=s.get("contact"))
        else:
            if not s.get("url"):
                raise ConfigError(f"{file}: http source #{n} ({unit}) needs a url")
            src = Source(s.get("name") or f"{unit}:{s['url']}", unit, "http", url=str(s["url"]),
                         token_env=s.get("token_env"), contact=s.get("contact"))
        if src.name in names:
            raise ConfigError(f"{file}: two sources are named {src.name!r}")
        names.add(src.name)
        sources.append(src)
    units, unit_names = {}, {}
    for u in doc.get("units") or []:
        code, kind = str(u.get("unit_code", "")).strip().upper(), u.get("unit_kind")
        if not code or kind not in UNIT_KINDS:
            raise ConfigError(f"{file}: each unit needs unit_code and unit_kind: {'|'.join(UNIT_KINDS)}")
        units[code] = kind
        unit_names[code] = (u.get("name_vi") or code, u.get("name_en") or code)
    return Config(file, tuple(sources), units, unit_names, Limits.from_config(doc.get("limits")))


def pull_folder(src: Source) -> Iterator[Incoming]:
    """Every regular, non-hidden file under the folder with an accepted (or explicitly refused) extension."""
    if not src.path.is_dir():
        raise ConfigError(f"source {src.name}: folder {src.path} does not exist")
    wanted = set(ENCODINGS) | REFUSED_EXTENSIONS
    for p in sorted(src.path.rglob("*")):
        rel = p.relative_to(src.path)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file() or p.is_symlink():
            continue
        if p.suffix.lower() not in wanted:
            continue
        st = p.stat()
        yield Incoming(src, rel.as_posix(), p, datetime.fromtimestamp(st.st_mtime, UTC))


def pull(src: Source, state: dict | None = None) -> Iterator[Incoming]:
    if src.kind == "folder":
        return pull_folder(src)
    from ingest.http_source import pull_http  # issue 3: paging, cursor, bearer token, retries

    return pull_http(src, state)


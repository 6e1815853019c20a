"""The schema of ``sources.yml``: every key the file may hold, and nothing else (``extra="forbid"``).

Why a schema: a typo such as ``contcat:`` used to be ignored silently, and the unit never got its
rejection notices. Every model forbids unknown keys, so a mistake is named when the file is read
(``ingest.sources.config`` turns pydantic's errors into one line). ``docs/configuration.md`` documents
each key; ``tests/unit/test_sources_config.py`` checks that it names every field declared here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ingest.parsing import Limits

UNIT_KINDS = ("ministry", "province", "governing_body")
SOURCE_KINDS = ("folder", "http")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# The *name* of the variable that holds the token, never the token: a pattern keeps a pasted token out.
EnvName = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
_DEFAULT = Limits()


class Entry(BaseModel):
    """Every mapping of the file: unknown keys are errors; a number where text is expected is read as text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class _SourceEntry(Entry):
    unit_code: Text = Field(description="the unit whose submissions the source holds (stored upper-case)")
    name: Text | None = Field(None, description="unique name of the source (default UNIT:path or UNIT:url)")
    contact: str | tuple[str, ...] | None = Field(
        None, description="where rejection notices go: an address, a comma/semicolon list, or a list")

    @field_validator("contact", mode="before")
    @classmethod
    def _contact(cls, value):
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, list | tuple) and all(isinstance(a, str) for a in value):
            return tuple(value)
        raise ValueError("must be an e-mail address, a comma/semicolon list of them, or a YAML list of them")


class FolderSource(_SourceEntry):
    """A drop folder (e.g. an SFTP server's directory for the unit)."""

    kind: Literal["folder"]
    path: Text = Field(description="the folder, relative to sources.yml (or absolute)")


class HttpSource(_SourceEntry):
    """An HTTP endpoint paged with a cursor and a bearer token (spec ``submissions.md``)."""

    kind: Literal["http"]
    url: Text = Field(description="the endpoint: https://, or http:// to this machine only")
    token_env: EnvName = Field(description="the environment variable holding the bearer token")


SourceEntry = Annotated[FolderSource | HttpSource, Field(discriminator="kind")]


class UnitEntry(Entry):
    """A registered ministry, province or governing body (they have no row in the reference seeds)."""

    unit_code: Text
    unit_kind: Literal["ministry", "province", "governing_body"]
    name_vi: Text | None = Field(None, description="Vietnamese name (default: the code)")
    name_en: Text | None = Field(None, description="English name (default: the code)")


class LimitsEntry(Entry):
    """Intake's size limits (spec: configurable); each key left out keeps its default."""

    max_file_bytes: int = Field(_DEFAULT.max_file_bytes, gt=0)
    max_rows: int = Field(_DEFAULT.max_rows, gt=0)
    max_xlsx_uncompressed_bytes: int = Field(_DEFAULT.max_xlsx_uncompressed_bytes, gt=0)
    max_xlsx_ratio: float = Field(_DEFAULT.max_xlsx_ratio, gt=0)
    columnar_min_bytes: int = Field(_DEFAULT.columnar_min_bytes, ge=0)


class SourcesFile(Entry):
    """The whole file."""

    sources: list[SourceEntry]
    units: list[UnitEntry] | None = None
    limits: LimitsEntry | None = None

"""OpenLineage names of pressdx's datasets, following the spec's naming conventions
(https://openlineage.io/docs/spec/naming): the same names dbt's artifact processor and the Airflow
provider give the same tables, so every producer's events meet on one node per table.

- a warehouse table: namespace ``postgres://{host}:{port}`` or ``duckdb://{absolute path}``, name
  ``{database}.{schema}.{table}`` (DuckDB's database is the file's stem, as dbt-duckdb names it);
- a landed file: namespace ``file``, name its absolute path in the landing store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FILE_NAMESPACE = "file"


@dataclass(frozen=True)
class Store:
    """The warehouse, as lineage names it (plain data: the job steps make it from their ``WarehouseURL``)."""

    kind: str  # duckdb | postgres
    host: str = ""
    port: int = 5432
    database: str = ""
    path: Path | None = None

    @classmethod
    def of(cls, url) -> Store:
        """From anything with a ``WarehouseURL``'s fields (kind, host, port, dbname, path)."""
        if url.kind == "duckdb":
            path = Path(url.path).resolve()
            return cls("duckdb", database=path.stem, path=path)
        return cls("postgres", host=url.host, port=int(url.port), database=url.dbname)

    @property
    def namespace(self) -> str:
        if self.kind == "duckdb":
            return f"duckdb://{self.path}"
        return f"postgres://{self.host}:{self.port}"

    def table(self, schema: str, table: str) -> str:
        return f"{self.database}.{schema}.{table}"

    def profile(self) -> dict:
        """The part of a dbt profile the artifact processor reads to name datasets (no credentials)."""
        if self.kind == "duckdb":
            return {"type": "duckdb", "path": str(self.path)}
        return {"type": "postgres", "host": self.host, "port": self.port, "dbname": self.database}

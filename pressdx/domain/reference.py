"""The decision's reference tables (the dbt seeds), as intake needs them for authorisation checks.

Read from ``dbt_project/seeds`` so the warehouse and intake can never disagree about who may submit what.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from pressdx.settings import seeds_dir

SEEDS = seeds_dir()


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Task:
    code: str
    lead_units: frozenset[str]
    due_kind: str
    output_min: int | None
    years: tuple[int, ...]


@dataclass(frozen=True)
class Reference:
    units: dict[str, str]  # unit_code -> unit_kind
    assignments: frozenset[tuple[str, str]]  # (unit_code, dataset)
    tasks: dict[str, Task]
    platform_units: dict[str, str]  # platform_code -> unit_code

    def with_units(self, extra: dict[str, str]) -> Reference:
        return Reference({**self.units, **extra}, self.assignments, self.tasks, self.platform_units)

    def may_submit(self, unit: str, dataset: str) -> bool:
        if dataset == "annual_implementation":
            return self.units.get(unit) in {"ministry", "province", "governing_body"}
        return (unit, dataset) in self.assignments


@cache
def reference() -> Reference:
    tasks = {}
    for r in read_seed("tasks"):
        years = ()
        if r["due_kind"] == "annual":
            years = tuple(range(int(r["recurring_from_year"]), int(r["recurring_to_year"]) + 1))
        tasks[r["task_code"].upper()] = Task(
            r["task_code"].upper(), frozenset(u.strip().upper() for u in r["lead_units"].split(";") if u.strip()),
            r["due_kind"], int(r["output_min"]) if r["output_min"] else None, years)
    return Reference(
        units={r["unit_code"]: r["unit_kind"] for r in read_seed("reporting_units")},
        assignments=frozenset((r["unit_code"], r["dataset"]) for r in read_seed("dataset_assignments")),
        tasks=tasks,
        platform_units={r["platform_code"]: r["unit_code"] for r in read_seed("platform_responsibilities")},
    )

"""Row-level validation of normalised submissions with Great Expectations (``submissions.md``, Validation).

One GX expectation suite per dataset is generated from the contract in ``ingest/datasets.py`` and kept,
versioned, in ``expectations/<dataset>.json`` (``python -m ingest.validation`` rewrites them; a test fails
when they drift from the contract). Each expectation carries ``meta.rule``, the name of the ``Finding`` its
failures become:

==========================  ===========================================================================
rule                        expectation
==========================  ===========================================================================
``required``                ``expect_column_values_to_not_be_null`` on every required column
``enum``                    ``expect_column_values_to_be_in_set`` (``enum``), or
                            ``expect_column_values_to_match_regex`` built from the choices (``enum_list``)
``range``                   ``expect_column_values_to_be_between`` where a column has ``min``/``max``
``duplicate_key``           ``expect_compound_columns_to_be_unique`` over ``_submission`` + the key
``staff_trained_le_total``  ``expect_column_pair_values_A_to_be_greater_than_B`` (total ≥ trained)
``closed_after_licensed``   ``expect_column_pair_values_A_to_be_greater_than_B`` (closed ≥ licensed)
==========================  ===========================================================================

Column-value expectations skip nulls, so only ``required`` ever fails on an empty cell; pair expectations
ignore a row where either value is empty.

``validate`` runs a dataset's suite **once** over a frame holding the rows of any number of submissions
(GX costs a fixed ~0.1-0.2 s per call whatever the row count), through one ephemeral GX context per
process, and maps every unexpected row back to its submission and row number.

Great Expectations takes seconds to import, so it is imported on first use, not with this module.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import threading
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pressdx.domain.datasets import DATASETS, Column, Dataset
from pressdx.domain.findings import Finding, error
from pressdx.settings import expectations_dir

if TYPE_CHECKING:
    import pandas as pd

SUITES_DIR = expectations_dir()

# The pair rules of datasets.py's ``extra_rules`` that GX checks: rule -> (column A, column B, column reported).
# A >= B must hold on every row where both are filled in.
PAIR_RULES: dict[str, tuple[str, str, str]] = {
    "staff_trained_le_total": ("staff_total", "staff_trained", "staff_trained"),
    "closed_after_licensed": ("closed_on", "licensed_on", "closed_on"),
}
RULE_ORDER = ("required", "enum", "range", "duplicate_key", *PAIR_RULES)

# Every unexpected row, not a sample. The frame handed to GX has an unnamed RangeIndex, so without
# ``unexpected_index_column_names`` GX lists the unexpected rows by index, i.e. by position in our frame,
# which maps back to any kind of submission key. (Naming index columns costs GX two ``DataFrame.at`` lookups per
# unexpected row: 1.4 s instead of 0.3 s when 40,000 rows fail.)
_RESULT_FORMAT = {"result_format": "COMPLETE", "return_unexpected_index_query": False}

_lock = threading.RLock()  # GX's context and execution engine are not meant for concurrent use
_state: dict[str, Any] = {}
_suites: dict[str, Any] = {}


# -- suites --------------------------------------------------------------------------------------------------
def enum_list_regex(choices: tuple[str, ...]) -> str:
    """A ``;``-separated, non-empty list of ``choices`` (the normaliser has already trimmed and de-duplicated)."""
    one = "(?:" + "|".join(re.escape(c) for c in choices) + ")"
    return f"^{one}(?:;{one})*$"


def suite_dict(dataset: str) -> dict:
    """The GX suite of ``dataset`` as its JSON document (what ``expectations/<dataset>.json`` holds)."""
    ds = DATASETS[dataset]
    exps: list[dict] = []

    def add(kind: str, rule: str, **kwargs) -> None:
        exps.append({"type": kind, "kwargs": kwargs, "meta": {"rule": rule}})

    for c in ds.columns:
        if c.required:
            add("expect_column_values_to_not_be_null", "required", column=c.name)
    for c in ds.columns:
        if c.kind == "enum":
            add("expect_column_values_to_be_in_set", "enum", column=c.name, value_set=list(c.choices))
        elif c.kind == "enum_list":
            add("expect_column_values_to_match_regex", "enum", column=c.name, regex=enum_list_regex(c.choices))
    for c in ds.columns:
        if c.min is not None or c.max is not None:
            add("expect_column_values_to_be_between", "range", column=c.name, min_value=c.min, max_value=c.max)
    add("expect_compound_columns_to_be_unique", "duplicate_key", column_list=["_submission", *ds.key])
    for rule in ds.extra_rules:
        if rule in PAIR_RULES:
            a, b, _ = PAIR_RULES[rule]
            add("expect_column_pair_values_a_to_be_greater_than_b", rule, column_A=a, column_B=b, or_equal=True,
                ignore_row_if="either_value_is_missing")
    suite = _gx().ExpectationSuite(
        name=dataset, expectations=exps,
        meta={"dataset": dataset, "generated_by": "ingest.validation.write_suites from ingest/datasets.py"})
    if len(suite.expectations) != len(exps):  # GX logs and drops an invalid expectation instead of raising
        raise RuntimeError(f"GX rejected an expectation of the {dataset} suite")
    return suite.to_json_dict()


def suite_json(dataset: str) -> str:
    return json.dumps(suite_dict(dataset), indent=2, ensure_ascii=False) + "\n"


def write_suites(directory: str | os.PathLike = SUITES_DIR) -> list[Path]:
    """Write ``<directory>/<dataset>.json`` for every dataset; returns the files written."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DATASETS:
        path = out / f"{name}.json"
        path.write_text(suite_json(name), encoding="utf-8")
        written.append(path)
    return written


def load_suite(dataset: str):
    """The committed suite of ``dataset`` as a GX ``ExpectationSuite`` (cached per process)."""
    with _lock:
        if dataset not in _suites:
            path = SUITES_DIR / f"{dataset}.json"
            # An installed (non-editable) package has no expectations/ next to it: the generator is the same.
            doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else suite_dict(dataset)
            suite = _gx().ExpectationSuite(**doc)
            if len(suite.expectations) != len(doc["expectations"]):
                raise RuntimeError(f"GX rejected an expectation of {path}")
            _suites[dataset] = suite
        return _suites[dataset]


# -- the GX context ------------------------------------------------------------------------------------------
def _gx():
    """Import GX quietly: no analytics, and none of the INFO lines it logs while importing."""
    if "gx" not in _state:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        # GX's ``_docs_decorators`` logs "Skipping registering function …" at INFO for each public function
        # while it is imported; with a root logger at INFO (Airflow's structlog bridge, pytest) that is noise.
        # Only GX's own logger is quietened, and only when nobody configured it.
        gx_logger = logging.getLogger("great_expectations")
        if gx_logger.level == logging.NOTSET:
            gx_logger.setLevel(logging.WARNING)
        import great_expectations as gx

        # One GX module pins itself at INFO ("Created temporary directory … for ephemeral docs site" on every
        # context); let it inherit from its parent again.
        base = logging.getLogger("great_expectations.data_context.types.base")
        if base.level == logging.INFO:
            base.setLevel(logging.NOTSET)
        _state["gx"] = gx
    return _state["gx"]


def _batch_definition():
    """The whole-dataframe batch definition of this process's ephemeral context (created once)."""
    with _lock:
        if "batch_definition" not in _state:
            gx = _gx()
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
            context.config.analytics_enabled = False
            asset = context.data_sources.add_pandas("pressdx").add_dataframe_asset("submission_rows")
            _state["context"] = context
            _state["batch_definition"] = asset.add_batch_definition_whole_dataframe("all_rows")
        return _state["batch_definition"]


# -- validation ----------------------------------------------------------------------------------------------
def validate(dataset: str, frame: pd.DataFrame) -> dict[Any, list[Finding]]:
    """Check the normalised rows of one or several submissions of ``dataset`` against its suite.

    ``frame`` has ``_submission`` (any hashable key), ``_row`` (the row as the clerk sees it, which findings
    report: the sheet row, CSV line or JSON index; see ``Finding.row``) and the dataset's
    columns, typed (absent optional columns are taken as empty). Returns every ``_submission`` key of the
    frame, in order of appearance, with its findings sorted by row.
    """
    import pandas as pd

    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    for c in ("_submission", "_row"):
        if c not in frame.columns:
            raise ValueError(f"the frame has no {c!r} column")
    ds = DATASETS[dataset]
    subs = frame["_submission"].tolist()
    rows = [int(r) for r in frame["_row"].tolist()]
    out: dict[Any, list[tuple[tuple, Finding]]] = {s: [] for s in subs}
    if not subs:
        return {}

    absent_required = [c for c in ds.required if c not in frame.columns]
    for s in out:  # a parser reports this first; here it is one finding, not one per row
        for c in absent_required:
            out[s].append(((0, _col_index(ds, c), -1), error("column_missing", column=c)))

    n = len(frame)
    work = {"_submission": pd.factorize(frame["_submission"])[0]}
    for c in ds.columns:
        work[c.name] = (frame[c.name].reset_index(drop=True) if c.name in frame.columns
                        else pd.Series([None] * n, dtype=object))
    suite = load_suite(dataset)
    with _lock:
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": pd.DataFrame(work)})
        result = batch.validate(suite, result_format=_RESULT_FORMAT)

    values = _Values(frame)
    for r in result.results:
        cfg = r.expectation_config
        rule, kw = cfg.meta["rule"], cfg.kwargs
        if _raised(r.exception_info):
            raise RuntimeError(f"GX could not evaluate {cfg.type} {kw} on {dataset}: {r.exception_info}")
        positions = [int(p) for p in r.result.get("unexpected_index_list") or []]
        if not r.success and not positions:
            raise RuntimeError(f"GX reported {cfg.type} {kw} failed on {dataset} without naming a row")
        rank = RULE_ORDER.index(rule)
        if rule == "duplicate_key":
            column, ci = "+".join(ds.key), _col_index(ds, ds.key[0])
            for p, key in _duplicates(ds, positions, rows, values):
                out[subs[p]].append(((rows[p], ci, rank), error(rule, row=rows[p], column=column, value=key)))
            continue
        if rule in PAIR_RULES:
            column = PAIR_RULES[rule][2]
        else:
            column = kw["column"]
            if rule == "required" and column in absent_required:
                continue
        col, ci = ds.column(column), _col_index(ds, column)
        detail = _detail(rule, col)
        for p in positions:
            f = error(rule, row=rows[p], column=column, value=_show(col, values.get(column, p)), detail=detail)
            out[subs[p]].append(((rows[p], ci, rank), f))
    return {s: [f for _, f in sorted(fs, key=lambda t: t[0])] for s, fs in out.items()}


class _Values:
    """The frame's original (typed) values, by column and position: what a clerk typed, shown back."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame
        self._cols: dict[str, list] = {}

    def get(self, column: str, pos: int):
        if column not in self._frame.columns:
            return None
        if column not in self._cols:
            self._cols[column] = self._frame[column].tolist()
        return self._cols[column][pos]


def _duplicates(ds: Dataset, positions: list[int], rows: list[int], values: _Values):
    """(position, shown key) of every row of each duplicate set but its first (by row number).

    A set whose key has an empty *required* column is skipped: those rows already have a ``required`` finding.
    """
    groups: dict[tuple, list[int]] = {}
    for p in positions:
        key = tuple(None if _is_null(v := values.get(c, p)) else v for c in ("_submission", *ds.key))
        groups.setdefault(key, []).append(p)
    for key, ps in groups.items():
        if len(ps) < 2 or any(v is None and ds.column(c).required for c, v in zip(ds.key, key[1:], strict=True)):
            continue
        shown = "+".join(_show(ds.column(c), v) or "" for c, v in zip(ds.key, key[1:], strict=True))
        for p in sorted(ps, key=lambda p: (rows[p], p))[1:]:
            yield p, shown


def _detail(rule: str, col: Column) -> str | tuple[str, str]:
    if rule == "enum":
        choices = ", ".join(col.choices)
        if col.kind == "enum_list":
            return (f"{choices} (có thể chọn nhiều, phân cách bằng dấu ';')",
                    f"{choices} (several allowed, separated by ';')")
        return choices
    if rule == "range":
        lo, hi = _num(col.min), _num(col.max)
        if lo is not None and hi is not None:
            return f"{lo}–{hi}"
        return f"≥ {lo}" if lo is not None else f"≤ {hi}"
    return ""


def _num(x: float | None) -> str | None:
    if x is None:
        return None
    return str(int(x)) if float(x).is_integer() else str(x)


def _is_null(v) -> bool:
    """None, NaN, ``pd.NA`` or ``NaT``: what a typed frame may hold for an empty cell."""
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(v, (str, bool, int, date)):
        return False
    try:
        return bool(v != v)  # NaN, numpy NaT
    except (TypeError, ValueError):  # list-likes
        return False


def _show(col: Column, v) -> str | None:
    """A typed value as the clerk would write it back into the file."""
    if _is_null(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (date, datetime)):  # numpy scalar
        v = v.item()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, date):
        return v.strftime("%Y-%m") if col.kind == "month" else v.isoformat()
    if isinstance(v, float) and col.kind in ("int", "decimal") and math.isfinite(v) and v.is_integer():
        return str(int(v))  # 150, as typed, not 150.0
    return str(v)


def _col_index(ds: Dataset, column: str) -> int:
    names = ds.column_names
    return names.index(column) if column in names else len(names)


def _raised(info) -> bool:
    """GX puts ``raised_exception`` at the top of ``exception_info`` or one level down, per metric."""
    if not isinstance(info, dict):
        return False
    if info.get("raised_exception"):
        return True
    return any(isinstance(v, dict) and v.get("raised_exception") for v in info.values())


if __name__ == "__main__":
    for p in write_suites():
        print(p)

"""The XLSX templates units fill in (``submissions.md``, Encodings 2): one workbook per dataset.

Each workbook has the two sheets the parser reads, ``meta`` (key, value) and ``data`` (the header row,
then one row per record), plus a ``help`` sheet and a hidden ``lists`` sheet, which the parser ignores:

* ``meta``: ``unit_code``, ``dataset`` (pre-filled), ``period``, ``status``, ``commentary`` in columns A/B,
  a short Vietnamese / English explanation in column C; drop-downs for ``period`` and ``status``.
* ``data``: only the header row, exactly the column names of ``pressdx.domain.datasets`` (nothing else may sit
  above or below it: the parser takes row 1 as the header and every further non-empty row as data).
  Required columns are shaded orange; each header cell carries a bilingual comment. Enum and bool
  columns get drop-downs (bool: ``có,không``), numeric columns range checks, every column an input
  message; code, text, date and month columns are formatted as text so that Excel neither drops
  leading zeros nor reads ``01/02/2024`` month-first.
* ``help`` (hướng dẫn): per column whether it is required, its type, the allowed values and its
  description in both languages; for ``task_progress`` also the task list.

Output is deterministic: fixed document properties and zip entry times, so the same arguments give
the same bytes.

The package, by job: ``layout`` (sheet names, rows, styles), ``words`` (the bilingual texts), ``validation``
(drop-down lists and data validations), ``sheets`` (the meta, data and help sheets) and ``workbook``
(``template`` and ``write_templates``, the names callers use, re-exported here).
"""

from __future__ import annotations

from ingest.templates.layout import BOOL_CHOICES, FIRST_ROW, LAST_ROW
from ingest.templates.words import allowed_values, column_text
from ingest.templates.workbook import template, write_templates

__all__ = ["BOOL_CHOICES", "FIRST_ROW", "LAST_ROW", "allowed_values", "column_text", "template", "write_templates"]

"""The fixed layout of every template: sheet names, the rows drop-downs cover, styles, the fixed time.

Kept apart so that the sheets, the drop-down lists and the writer agree on one set of names, and a test
can address the same rows the workbook formats (``FIRST_ROW`` .. ``LAST_ROW``).
"""

from __future__ import annotations

from datetime import datetime

from openpyxl.styles import Alignment, Font, PatternFill

META_SHEET, DATA_SHEET, HELP_SHEET, LISTS_SHEET = "meta", "data", "help", "lists"
FIRST_ROW, LAST_ROW = 2, 10_001  # data rows covered by drop-downs, formats and input messages
BOOL_CHOICES = ("có", "không")
FIXED_TIME = datetime(2023, 1, 1)  # workbook created/modified, and every zip entry's time
AUTHOR = "pressdx"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")  # required column / field to fill in
OPTIONAL_FILL = PatternFill("solid", fgColor="E7E6E6")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")

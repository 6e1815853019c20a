"""The bulk CSV readers (``ingest.parsing.csv_records``) really run, and give the row reader's records.

``tests/integration/test_columnar.py`` compares whole submissions; here each reader is pinned to the files
it must (and must not) take, so that a shortcut silently never taken, or taken wrongly, shows.
"""

from __future__ import annotations

import pytest

from ingest.parsing.csv_records import _grid, body_columns, read_records, records_fast
from ingest.parsing.document import RowLimit

PLAIN = "a,b,c\n1,2,3\n4,5,6\n"


def test_a_plain_file_is_read_as_a_grid():
    assert _grid(PLAIN, 10) == (1, ["a", "b", "c"], [2, 3], [["1", "4"], ["2", "5"], ["3", "6"]])
    assert _grid(PLAIN.replace("\n", "\r\n"), 10) == _grid(PLAIN, 10)
    assert _grid(PLAIN.rstrip("\n"), 10) == _grid(PLAIN, 10)  # no newline at the end


@pytest.mark.parametrize("text", [
    'a,b,c\n"1",2,3\n',  # a quote: the reader decides
    "a,b,c\n1,2\n",  # a short line
    "a,b,c\n1,2,3,4\n",  # a long line
    "a,b,c\n\n1,2,3\n",  # a blank line: skipped, so lines shift
    "a,b,c\n , ,\n1,2,3\n",  # a record of blank cells
    "a,b,c\r1,2,3\r",  # lone carriage returns
    "\na,b,c\n1,2,3\n",  # the header not on line 1
])
def test_other_files_are_not_taken_for_a_grid(text):
    assert _grid(text, 10) is None
    assert records_fast(text, 10) == read_records(text, 10)


@pytest.mark.parametrize("text", [
    PLAIN, 'a,b\n"x\ny",1\n\n"2",3\n', "a,b\r1,2\r\n\r3,4", "a\n \n,\nb\n", 'a,b\n"unclosed,1\n',
])
def test_bulk_records_are_the_row_reader_records(text):
    try:
        expected = read_records(text, 10)
    except Exception as e:  # noqa: BLE001 - the same failure is expected of both
        with pytest.raises(type(e)):
            records_fast(text, 10)
    else:
        assert records_fast(text, 10) == expected


def test_the_row_limit_holds_in_bulk_too():
    text = "a\n" + "1\n" * 11
    with pytest.raises(RowLimit):
        read_records(text, 11)
    with pytest.raises(RowLimit):
        records_fast(text, 11)
    assert _grid(text, 11) is None
    assert len(records_fast(text, 12)) == 12


def test_body_columns_pads_short_records_and_reports_long_ones():
    findings = []
    lines, cols = body_columns([(2, ["1", "2"]), (3, ["1", "2", "3", "4"]), (5, ["7"])], 3, findings)
    assert lines == [2, 5]
    assert cols == [("1", "7"), ("2", ""), ("", "")]
    assert [(f.rule, f.row, f.value) for f in findings] == [("too_many_fields", 3, "4")]

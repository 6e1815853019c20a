"""The normalisation rules of submissions.md, example by example and as properties."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest import normalise as n


@pytest.mark.parametrize("raw", ["true", "TRUE", "1", "yes", "Có", "CÓ", "co", "Co", True, 1])
def test_true_words(raw):
    assert n.boolean(raw) is True


@pytest.mark.parametrize("raw", ["false", "0", "No", "không", "KHÔNG", "khong", False, 0])
def test_false_words(raw):
    assert n.boolean(raw) is False


@pytest.mark.parametrize("raw", ["x", "?", "n/a", "2", "đúng", 2])
def test_other_booleans_are_errors(raw):
    with pytest.raises(n.BadValue):
        n.boolean(raw)


def test_vietnamese_boolean_typed_with_combining_marks():
    decomposed = unicodedata.normalize("NFD", "không")
    assert decomposed != "không"
    assert n.boolean(decomposed) is False


@pytest.mark.parametrize("raw,expected", [
    ("1234567", 1234567), ("1.234.567", 1234567), ("1,234,567", 1234567), ("1 234 567", 1234567),
    ("1\u00a0234\u00a0567", 1234567), (" 42 ", 42), (1234.0, 1234), (7, 7), ("0", 0),
])
def test_integers(raw, expected):
    assert n.integer(raw) == expected


@pytest.mark.parametrize("raw", ["12.5", "1,5", "1.234,5", "12a", "1.23.456", "1,234.567", 1.5, "1 2", True])
def test_fractional_or_malformed_integers_are_errors(raw):
    with pytest.raises(n.BadValue):
        n.integer(raw)


@pytest.mark.parametrize("raw,expected", [("12.5", 12.5), ("12,5", 12.5), ("12,5 %", 12.5), ("100%", 100.0),
                                          (3, 3.0)])
def test_decimals(raw, expected):
    assert n.decimal(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("2024-03-05", date(2024, 3, 5)), ("05/03/2024", date(2024, 3, 5)), ("5/3/2024", date(2024, 3, 5)),
    ("31/12/2023", date(2023, 12, 31)),
])
def test_dates_are_day_first(raw, expected):
    assert n.day(raw) == expected


@pytest.mark.parametrize("raw", ["12/31/2023", "2024/03/05", "05-03-2024", "30/02/2024", "yesterday"])
def test_month_first_and_impossible_dates_are_errors(raw):
    with pytest.raises(n.BadValue):
        n.day(raw)


@pytest.mark.parametrize("raw,expected", [("2022-12", date(2022, 12, 1)), ("12/2022", date(2022, 12, 1)),
                                          (date(2023, 5, 17), date(2023, 5, 1))])
def test_months(raw, expected):
    assert n.month(raw) == expected


@pytest.mark.parametrize("raw", ["2022-13", "13/2022", "2022-12-01", "Dec 2022"])
def test_bad_months(raw):
    with pytest.raises(n.BadValue):
        n.month(raw)


def test_codes_upper_and_enums_lower():
    assert n.code("  cbc ") == "CBC"
    assert n.enum(" Official ") == "official"
    assert n.enum("iii", ("I", "II", "III")) == "III"
    assert n.enum_list("Electronic; PRINT", ("print", "electronic")) == "print;electronic"
    with pytest.raises(n.BadValue):
        n.enum_list("print;;radio", ("print", "radio"))


# -- properties --------------------------------------------------------------------------------------------
def _group(num: int, sep: str) -> str:
    return f"{num:,}".replace(",", sep)


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from([".", ",", " ", "\u00a0"]))
def test_grouped_integer_round_trip(num, sep):
    assert n.integer(_group(num, sep)) == num
    assert n.integer(str(num)) == num


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_both_date_forms_agree(d):
    assert n.day(d.isoformat()) == n.day(d.strftime("%d/%m/%Y")) == d


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_text_is_nfc_and_trimmed(s):
    out = n.text(s)
    if out is not None:
        assert unicodedata.is_normalized("NFC", out)
        assert out == out.strip()
        assert out


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_normalisers_return_their_type_or_raise_badvalue(value):
    expected = {n.boolean: bool, n.integer: int, n.decimal: float, n.day: date, n.month: date, n.text: str,
                n.code: str}
    for fn, typ in expected.items():
        try:
            out = fn(value)
        except n.BadValue:
            continue
        assert out is None or isinstance(out, typ), (fn.__name__, value, out)
        if fn is n.month and out is not None:
            assert out.day == 1

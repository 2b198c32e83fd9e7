"""dates: dd/mm/yyyy in and out, and the Decree 30 date line (domain guide §4.3, house style §12)."""

from __future__ import annotations

import datetime as dt

import pytest

from parclerk.dates import decree30_date_line, format_dmy, from_iso, parse_dmy, to_iso
from parclerk.errors import ValidationError

D = dt.date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("09/01/2021", D(2021, 1, 9)),
        ("9/1/2021", D(2021, 1, 9)),
        ("09-01-2021", D(2021, 1, 9)),
        ("09.01.2021", D(2021, 1, 9)),
        ("  9 / 1 / 2021  ", D(2021, 1, 9)),
        ("29/6/2021", D(2021, 6, 29)),
        ("31/12/2025", D(2025, 12, 31)),
        ("29/02/2024", D(2024, 2, 29)),
        ("01/07/2025", D(2025, 7, 1)),
    ],
)
def test_parse_dmy_valid(text, day):
    assert parse_dmy(text) == day


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_dmy_empty_is_none(text):
    assert parse_dmy(text) is None


@pytest.mark.parametrize(
    "text",
    ["2021-01-09", "09/01/21", "9 tháng 1 năm 2021", "abc", "09/01", "09//01/2021", "1/2/3/2021", "32"],
)
def test_parse_dmy_wrong_form(text):
    with pytest.raises(ValidationError) as info:
        parse_dmy(text, label="Ngày đến")
    assert list(info.value.fields) == ["Ngày đến"]
    message = info.value.fields["Ngày đến"]
    assert "không đúng dạng ngày/tháng/năm" in message
    assert text.strip() in message
    assert info.value.message == message


@pytest.mark.parametrize(
    "text", ["31/02/2021", "29/02/2023", "00/01/2021", "15/13/2021", "31/04/2021", "1/1/0000"]
)
def test_parse_dmy_not_on_calendar(text):
    with pytest.raises(ValidationError) as info:
        parse_dmy(text, label="Hạn giải quyết")
    assert info.value.fields == {"Hạn giải quyết": f"Hạn giải quyết “{text}” không có trên lịch."}


def test_parse_dmy_default_label():
    with pytest.raises(ValidationError) as info:
        parse_dmy("31/02/2021")
    assert list(info.value.fields) == ["Ngày"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D(2021, 1, 9), "09/01/2021"),
        (D(2021, 12, 31), "31/12/2021"),
        ("2021-06-29", "29/06/2021"),
        (None, ""),
        ("", ""),
    ],
)
def test_format_dmy(value, text):
    assert format_dmy(value) == text


@pytest.mark.parametrize("day", [D(2021, 1, 9), D(2024, 2, 29), D(2025, 12, 31)])
def test_format_and_parse_round_trip(day):
    assert parse_dmy(format_dmy(day)) == day


def test_iso_round_trip():
    assert to_iso(D(2021, 1, 9)) == "2021-01-09"
    assert from_iso("2021-01-09") == D(2021, 1, 9)
    assert to_iso(None) is None and from_iso(None) is None and from_iso("") is None


@pytest.mark.parametrize(
    ("place", "day", "line"),
    [
        ("Quảng Ngãi", D(2021, 1, 9), "Quảng Ngãi, ngày 09 tháng 01 năm 2021"),
        ("Quảng Ngãi", D(2021, 6, 29), "Quảng Ngãi, ngày 29 tháng 6 năm 2021"),
        ("Hà Nội", D(2025, 3, 15), "Hà Nội, ngày 15 tháng 3 năm 2025"),
        ("Sơn Tây", D(2021, 2, 1), "Sơn Tây, ngày 01 tháng 02 năm 2021"),
        ("Quảng Trị", D(2022, 10, 5), "Quảng Trị, ngày 05 tháng 10 năm 2022"),
        ("Đà Nẵng", D(2022, 12, 31), "Đà Nẵng, ngày 31 tháng 12 năm 2022"),
    ],
)
def test_decree30_date_line(place, day, line):
    assert decree30_date_line(place, day) == line


@pytest.mark.parametrize("month", range(1, 13))
def test_decree30_month_padding(month):
    line = decree30_date_line("Quảng Ngãi", D(2021, month, 15))
    expected = f"{month:02d}" if month < 3 else str(month)
    assert line == f"Quảng Ngãi, ngày 15 tháng {expected} năm 2021"
    assert ("tháng 02" in line) == (month == 2)
    assert "tháng 010" not in line and "tháng 03" not in line

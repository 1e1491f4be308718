"""Date normalisation and date finding."""

from __future__ import annotations

import pytest

from atspro.llm.dates import find_dates, is_iso_date, is_present, normalise_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Jan. 2020", "2020-01"),
        ("Jan-2020", "2020-01"),
        ("Feb/2021", "2021-02"),
        ("January 15, 2020", "2020-01"),
        ("15 March 2021", "2021-03"),
        ("Sept '19", "2019-09"),
        ("Mai 2018", "2018-05"),
        ("01/2020", "2020-01"),
        ("06.2016", "2016-06"),
        ("2020-01", "2020-01"),
        ("2020/1/15", "2020-01"),
        ("12/31/2020", "2020-12"),
        ("31.12.2020", "2020-12"),
        ("3/21", "2021-03"),
        ("11/99", "1999-11"),
        ("Summer 2019", "2019"),
        ("2015", "2015"),
        ("13/2020", "2020"),
        ("Present", ""),
        ("  current. ", ""),
        ("", ""),
        ("someday", "someday"),
        ("Jan '19x", "Jan '19x"),
        ("Spring '19", "Spring '19"),
        ("13/45", "13/45"),
    ],
)
def test_normalise_date(text: str, iso: str) -> None:
    assert normalise_date(text) == iso


def test_find_dates_reads_every_form_and_adds_years() -> None:
    text = "Acme  Jan 2019 \u2013 Present; Foo 06/2016 - 12/2018 | B.S., 2015 | GPA 3.50"
    assert find_dates(text) == {"2019-01", "2019", "2016-06", "2016", "2018-12", "2018", "2015"}


def test_find_dates_ignores_decimals_and_non_dates() -> None:
    assert find_dates("scored 3.50 and 10.25, ran 24/7, version 1.2.3") == set()


def test_is_present_and_is_iso() -> None:
    assert is_present("Present") and is_present("heute") and not is_present("2020")
    assert is_iso_date("2020") and is_iso_date("2020-01")
    assert not is_iso_date("Jan 2020") and not is_iso_date("2020-01-05")

"""Dates as resumes write them, normalised to ISO."""

# ruff: noqa: RUF001 - typographic dashes are the input under test.

from __future__ import annotations

import pytest

from atspro.resume.parser.dates import find_date_range, find_dates, normalize_date, remove_span


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("03/2022 - Present", "2022-03", "", True),
        ("2019 – Present", "2019", "", True),
        ("Mar. 2020 - Jun. 2021", "2020-03", "2021-06", False),
        ("Sep.2023\u00adMar.2024", "2023-09", "2024-03", False),
        ("Summer 2022", "2022-06", "", False),
        ("Fall 2019 to Spring 2021", "2019-09", "2021-03", False),
        ("März 2019 bis heute", "2019-03", "", True),
        ("janv. 2019 à août 2020", "2019-01", "2020-08", False),
        ("enero 2018 - diciembre 2019", "2018-01", "2019-12", False),
        ("Jan '21 – Mar '22", "2021-01", "2022-03", False),
        ("2020-03 to 2021-11", "2020-03", "2021-11", False),
        ("Since 2019", "2019", "", True),
        ("2019 –", "2019", "", True),
        ("Acme · New York, NY      2018 - 2020", "2018", "2020", False),
        ("3rd June 2026", "2026-06", "", False),
    ],
)
def test_find_date_range_normalises(text: str, start: str, end: str, current: bool) -> None:
    found = find_date_range(text)
    assert found is not None
    assert (found.start, found.end, found.is_current) == (start, end, current)


def test_a_backwards_range_keeps_only_its_start() -> None:
    found = find_date_range("2020 - 2019")
    assert found is not None
    assert (found.start, found.end) == ("2020", "")


def test_numbers_that_are_not_years_are_ignored() -> None:
    assert find_dates("Cut p99 latency by 40% for 2M users on 200ms budgets") == []
    assert find_date_range("") is None


def test_normalize_date_handles_present_words_and_garbage() -> None:
    assert normalize_date("Present") == "present"
    assert normalize_date("May 2011") == "2011-05"
    assert normalize_date("no date here") == ""


def test_remove_span_tidies_separators() -> None:
    text = "Staff Engineer | Jan 2020 - Present | Remote"
    found = find_date_range(text)
    assert found is not None
    assert remove_span(text, found.begin, found.finish) == "Staff Engineer | Remote"
    text = "Acme Corp, 2019 - 2021"
    found = find_date_range(text)
    assert found is not None
    assert remove_span(text, found.begin, found.finish) == "Acme Corp"

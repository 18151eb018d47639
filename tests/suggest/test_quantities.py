"""Quantities: numbers in digits or words, bounds, ranges, approximations, what they count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from factcheck.suggest.quantities import compare, extract
from factcheck.text import fold


def _compare(first: str, second: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    agree, conflict = compare(extract(fold(first)), extract(fold(second)))
    return (
        [(a.phrase, b.phrase) for a, b in agree],
        [(a.phrase, b.phrase) for a, b in conflict],
    )


def test_a_lower_bound_allows_a_larger_number() -> None:
    agree, conflict = _compare(
        "Iran's proxies killed upwards of 500 American soldiers in Iraq",
        "Iran-backed militias killed 603 US troops in Iraq",
    )
    assert agree == [("upwards of 500 american soldiers", "603 us troops")]
    assert conflict == []


def test_numbers_in_words_and_dozens() -> None:
    assert _compare("The strikes killed two dozen militiamen", "24 militiamen were killed")[0]
    assert _compare("five hundred people marched", "500 people marched")[0]
    assert _compare("1.5 million people voted", "1,500,000 people voted")[0]


def test_a_bound_conflicts_with_a_number_outside_it() -> None:
    agree, conflict = _compare("At least 100 people died", "Only 40 people died")
    assert agree == []
    assert conflict == [("at least 100 people died", "only 40 people died")]


def test_ranges_and_approximations() -> None:
    assert _compare("between 10 and 20 people were hurt", "15 people were hurt")[0]
    assert _compare("about 3,000 troops were sent", "3,100 troops were sent")[0]
    assert _compare("about 3,000 troops were sent", "5,000 troops were sent")[1]
    assert _compare("thousands of troops were sent", "3,000 troops were sent")[0]


def test_the_counted_thing_and_the_unit_must_match() -> None:
    assert _compare("40 people died", "100 cars burned") == ([], [])
    assert _compare("unemployment was 5%", "unemployment was 5 million") == ([], [])
    assert _compare("the deficit was $3 billion", "the deficit was 3 billion dollars")[0]


def test_percentages_in_words_and_of_what() -> None:
    _, conflict = _compare("49 percent of Nigerians are poor", "33% of Nigerians are poor")
    assert conflict == [("49% of nigerians", "33% of nigerians")]
    assert _compare("it employs 26 per cent of the workforce", "26% of the workforce")[0]
    # A change from one figure to another spans both.
    assert _compare("the rate is 19% of workers", "the rate fell from 25% to 19% of workers")[0]


def test_what_a_text_rules_out_is_not_what_it_counts() -> None:
    _, conflict = _compare("They get 80% of their wages", "They get 77% of their wages, not 80%.")
    assert conflict == [("80% of their wages", "77% of their wages")]


def test_zero_and_numbered_names() -> None:
    assert [q.low for q in extract(fold("zero deaths were recorded"))] == [0.0]
    # The number of a name is no count.
    assert extract(fold("COVID-19 spread; an Su-30 jet; plate Q72B381")) == []


def test_years_and_days_are_not_counts() -> None:
    assert extract(fold("In 2019 the war began on 3 January")) == []
    assert [q.low for q in extract(fold("2000 troops arrived"))] == [2000.0]
    assert extract(fold("US troops stayed after the 2003 invasion")) == []


@given(st.text(max_size=200))
def test_any_text_is_read_without_error(text: str) -> None:
    for quantity in extract(fold(text)):
        assert quantity.low <= quantity.high

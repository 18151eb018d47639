"""CSV cells a spreadsheet never runs as formulas, lists in one cell, and rows that a carriage
return cannot split (factcheck/interchange/csvcells.py and flatcsv.py): each rule undone exactly
by the import's side of it, whatever the text."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from factcheck.interchange.csvcells import (
    FORMULA_START,
    csv_line,
    csv_lines,
    neutralise,
    restore,
)
from factcheck.interchange.flatcsv import join_items, split_items

# Text that starts with what matters here more often than chance would: formula characters,
# quotes, and what a CSV writer must quote.
START = st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "'", "''", "'=", ";", '"', ","])
TEXT = st.builds(str.__add__, START, st.text(st.sampled_from("=+-@'\t\r\n;,\" ab")))


@given(TEXT)
@example("'")
@example("'Tis")
@example("''=1")
def test_a_neutralised_cell_is_never_a_formula_and_restores_exactly(text: str) -> None:
    cell = neutralise(text)
    assert not cell.startswith(FORMULA_START)
    assert restore(cell) == text


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=1+2", "''=1+2"),
        ("''", "'''"),
        ("'Tis the season", "'Tis the season"),  # a quote the import would leave alone
        ("'", "'"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_the_quote_goes_in_front_only_where_it_must(text: str, cell: str) -> None:
    assert neutralise(text) == cell


@given(st.lists(TEXT, max_size=5))
def test_a_csv_line_reads_back_as_its_cells(cells: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(csv_line(cells), newline=""), strict=True))
    assert rows == ([cells] if cells else [[]])


def test_a_carriage_return_is_quoted() -> None:
    """Python's csv.writer (3.11) writes "a\\rb" unquoted with "\\n" line endings, and a reader
    then breaks the row in two."""
    assert csv_line(["a\rb", "c"]) == '"a\rb",c\n'


def test_text_cells_are_neutralised_and_numbers_are_not() -> None:
    lines = "".join(csv_lines(["id", "text"], [[5, "-5"], [6, "=x"]]))
    assert lines == "id,text\n5,'-5\n6,'=x\n"


ITEM = st.text(st.sampled_from("ab ;"), min_size=1).map(str.strip).filter(bool)


@given(st.lists(ITEM, max_size=4))
def test_a_list_in_a_cell_splits_back_into_its_items(items: list[str]) -> None:
    assert split_items(join_items(items)) == items


def test_a_semicolon_separates_items_and_a_doubled_one_is_part_of_one() -> None:
    assert split_items("a; b;c;") == ["a", "b", "c"]
    assert split_items("http://x.org/a;;b=1; k") == ["http://x.org/a;b=1", "k"]
    assert join_items(["http://x.org/a;b=1", "k"]) == "http://x.org/a;;b=1; k"

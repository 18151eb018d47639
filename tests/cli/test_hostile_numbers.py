"""Numbers no database column can hold, and numbers that are not numbers: refused where they are
typed or read (an id, a limit, an offset, a rating value, a position in a dump), never failing
later inside the database driver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from factcheck.cli import app
from factcheck.vocab import MAX_INT
from tests.helpers import dump, fails, run_cli

pytestmark = pytest.mark.hostile

HUGE = ("2147483648", "9223372036854775808", "1" + "0" * 30)


def _parameters(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _parameters(sub, (*path, name))
    for parameter in getattr(command, "params", []):
        yield " ".join((*path, parameter.name)), parameter


INTEGERS = {
    where: parameter
    for where, parameter in _parameters(typer.main.get_command(app))
    if parameter.type_descriptor.annotation in (int, int | None)
}


def test_the_cli_has_integer_parameters_to_check() -> None:
    assert {"claim show claim_id", "link claim_b", "claim list offset"} <= set(INTEGERS)


@pytest.mark.parametrize("where", sorted(INTEGERS))
def test_every_integer_parameter_is_bounded_by_what_a_column_holds(where: str) -> None:
    # The bound the value is checked against (help leaves it out: cli/parameters.py).
    bound = INTEGERS[where].type_descriptor.parameter_info.max
    assert bound is not None and bound <= MAX_INT, where


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize(
    "argv",
    [
        ("claim", "show", "{}"),
        ("claim", "list", "--limit", "{}"),
        ("claim", "list", "--offset", "{}"),
        ("verdict", "history", "{}"),
        ("verdict", "set", "{}", "false"),
        ("link", "1", "{}", "--relation", "supports"),
        ("unlink", "{}"),
        ("search", "iran", "--limit", "{}"),
        ("log", "--row", "{}"),
        ("suggest", "--claim", "{}"),
    ],
    ids=lambda argv: " ".join(argv) if isinstance(argv, tuple) else argv,
)
def test_a_huge_integer_is_a_usage_error(seeded: Path, argv: tuple[str, ...], huge: str) -> None:
    before = dump(seeded)
    result = run_cli(*(part.format(huge) for part in argv))
    assert result.exit_code == 2, result.stderr
    assert f"must be at most {MAX_INT}" in result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert dump(seeded) == before


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("source", "show", "{}"), "no source"),
        (("entity", "show", "{}"), "no entity"),
        (("claim", "list", "--source", "{}"), "no source"),
        (("suggest", "accept", "1-{}"), "not a suggestion id"),
        (("suggest", "reject", "{}-2"), "not a suggestion id"),
    ],
)
def test_a_huge_number_in_a_reference_names_nothing(
    seeded: Path, argv: tuple[str, ...], message: str, huge: str
) -> None:
    before = dump(seeded)
    assert message in fails(*(part.format(huge) for part in argv)).stderr
    assert dump(seeded) == before


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400"])
def test_a_rating_value_must_be_a_finite_number(seeded: Path, value: str) -> None:
    before = dump(seeded)
    result = fails("verdict", "define", "odd", "--polarity", "none", f"--value={value}")
    assert "Error: --value: must be a finite number" in result.stderr
    assert dump(seeded) == before


HEADER = '{"type":"factcheck","format":"jsonl","version":1}'


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ('{"type":"rating_label","scale":"default","label":"x","polarity":"none","position":%s}',
         "position"),
        ('{"type":"claim","id":%s,"text":"C","created_at":"2026-01-01T00:00:00Z"}', "id"),
    ],
)  # fmt: skip
def test_a_huge_integer_in_a_dump_is_refused_naming_the_line(
    db_path: Path, tmp_path: Path, record: str, field: str
) -> None:
    run_cli("init")
    before = dump(db_path)
    path = tmp_path / "huge.jsonl"
    path.write_text(f"{HEADER}\n{record % HUGE[2]}\n", encoding="utf-8")
    result = fails("import", str(path))
    assert "line 2" in result.stderr and field in result.stderr
    assert dump(db_path) == before


def test_a_nul_in_a_liar_row_is_refused_naming_the_row(db_path: Path, tmp_path: Path) -> None:
    row = "\t".join(
        ["1.json", "false", "Says {}", "tax", "A Person", "", "", "", *"00000", "a talk"]
    )
    path = tmp_path / "nul.tsv"
    path.write_text(row.format("no") + "\n" + row.format("a\x00b") + "\n", encoding="utf-8")
    run_cli("init")
    before = dump(db_path)
    assert "row 2: contains a NUL character" in fails("import", str(path), "--format=liar").stderr
    assert dump(db_path) == before

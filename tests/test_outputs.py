"""A directory written whole (`OutputFile.directory`, what `make docs` writes docs/schemas/ with):
filled beside its target, then swapped in; a failure leaves the old one and nothing else. Files
are tried through the commands that write them: tests/cli/test_output_files.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.errors import Conflict, InvalidInput
from factcheck.outputs import OutputFile


def _listing(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.new_database  # tmp_path holds only what the test writes
def test_a_directory_replaces_the_old_one_whole(tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    with OutputFile(target).directory() as path:
        (path / "a.json").write_text("1")
        (path / "stale.json").write_text("2")
    assert _listing(tmp_path) == {"schemas/a.json": "1", "schemas/stale.json": "2"}
    with pytest.raises(Conflict, match="already exists"), OutputFile(target).directory():
        pass
    with OutputFile(target, force=True).directory() as path:
        (path / "a.json").write_text("3")
    assert _listing(tmp_path) == {"schemas/a.json": "3"}
    assert [p.name for p in tmp_path.iterdir()] == ["schemas"]


@pytest.mark.new_database  # tmp_path holds only what the test writes
@pytest.mark.parametrize("failure", [OSError, KeyboardInterrupt])
def test_a_failed_directory_leaves_the_old_one(tmp_path: Path, failure: type) -> None:
    target = tmp_path / "schemas"
    target.mkdir()
    (target / "a.json").write_text("old")
    with (
        pytest.raises((InvalidInput, KeyboardInterrupt)),
        OutputFile(target, force=True).directory() as path,
    ):
        (path / "a.json").write_text("half")
        raise failure("no space left")
    assert _listing(tmp_path) == {"schemas/a.json": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["schemas"]


def test_a_file_is_not_replaced_by_a_directory(tmp_path: Path) -> None:
    (tmp_path / "schemas").write_text("a file")
    with (
        pytest.raises(InvalidInput, match="is not a directory"),
        OutputFile(tmp_path / "schemas", force=True).directory(),
    ):
        pass
    assert (tmp_path / "schemas").read_text() == "a file"

"""The documentation that is generated from the code must match the code."""

import os
import subprocess
import sys

from factcheck.services.metadata import VIEWS
from tests.helpers import REPO


def test_cli_reference_is_current() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERM")}  # fmt: skip
    env.update(TERMINAL_WIDTH="100", COLUMNS="100", NO_COLOR="1")
    fresh = subprocess.run([sys.executable, "-m", "factcheck.docs.commands"], env=env, check=True,
                           capture_output=True, text=True).stdout  # fmt: skip
    current = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert fresh == current, "docs/cli.md is stale: run `make docs`"


def test_every_command_has_help_with_an_example() -> None:
    from factcheck.docs import commands as docs

    reference = docs.reference()
    sections = reference.split("\n## ")[1:]
    leaves = [s for s in sections if "Commands" not in s]
    assert len(leaves) > 30
    for section in leaves:
        title = section.splitlines()[0]
        if title.strip() == "factcheck":
            continue
        assert "Example: factcheck" in section, f"{title} has no example in its help"


def test_schema_reference_is_current(tmp_path) -> None:
    from factcheck.docs import schema as schema_docs

    fresh = schema_docs.reference(schema_docs.seeded_database(tmp_path))
    current = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    assert fresh == current, "docs/schema.md is stale: run `make docs`"


def test_schema_reference_covers_every_table_and_view(tmp_path) -> None:
    import sqlite3

    from factcheck.docs import schema as schema_docs
    from factcheck.models import Base

    db = schema_docs.seeded_database(tmp_path)
    with sqlite3.connect(db) as connection:
        views = {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='view'")
        }
    assert views == set(VIEWS)
    text = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    for name in [*Base.metadata.tables, *views, "claim_search"]:
        assert f"### `{name}`" in text
    assert text.count("```sql") >= 10


def test_json_schemas_are_current() -> None:
    import json

    from factcheck.docs import schema as schema_docs

    fresh = schema_docs.json_schemas()
    folder = REPO / "docs" / "schemas"
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(fresh)
    for name, text in fresh.items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"docs/schemas/{name} is stale"
        schema = json.loads(text)
        assert schema.get("type") == "object" or "oneOf" in schema


def test_every_line_of_the_seed_dump_validates_against_the_json_schema() -> None:
    import json

    from jsonschema import Draft202012Validator

    schema = json.loads((REPO / "docs" / "schemas" / "record.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    lines = (REPO / "seeds" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        errors = list(validator.iter_errors(json.loads(line)))
        assert not errors, (number, errors[0].message)
    assert list(validator.iter_errors({"type": "claim", "id": 0, "text": "x"}))

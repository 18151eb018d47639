"""The documentation that is generated from the code must match the code."""

import os
import subprocess
import sys

from tests.conftest import REPO


def test_cli_reference_is_current() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERM")}  # fmt: skip
    env.update(TERMINAL_WIDTH="100", COLUMNS="100", NO_COLOR="1")
    fresh = subprocess.run([sys.executable, "-m", "factcheck.cli.docs"], env=env, check=True,
                           capture_output=True, text=True).stdout  # fmt: skip
    current = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert fresh == current, "docs/cli.md is stale: run `make docs`"


def test_every_command_has_help_with_an_example() -> None:
    from factcheck.cli import docs

    reference = docs.reference()
    sections = reference.split("\n## ")[1:]
    leaves = [s for s in sections if "Commands" not in s]
    assert len(leaves) > 30
    for section in leaves:
        title = section.splitlines()[0]
        if title.strip() == "factcheck":
            continue
        assert "Example: factcheck" in section, f"{title} has no example in its help"

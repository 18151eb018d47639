"""Write the command reference (docs/cli.md) from the commands' own help texts.

Run as `make docs`, which sets a fixed width and no colour so that the output is stable; a test
regenerates it the same way and fails when docs/cli.md is stale.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import typer
from typer.testing import CliRunner

from factcheck.cli import app

ENV = {"TERMINAL_WIDTH": "100", "NO_COLOR": "1", "COLUMNS": "100"}


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group, depth first, in the order they were registered."""
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


def reference() -> str:
    runner = CliRunner()
    parts = [
        "# Command reference",
        "",
        "Generated from the commands' own `--help` by `make docs`; do not edit by hand.",
        "",
    ]
    for path in command_paths(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"], prog_name="factcheck")
        assert result.exit_code == 0, result.output
        help_text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        parts += [f"## factcheck {' '.join(path)}".rstrip(), "", "```text", help_text, "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(reference())

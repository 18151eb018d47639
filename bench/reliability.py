"""Run the reliability battery at full size and write docs/reliability.md (what `make reliability`
does): concurrent writers, SIGKILLs during imports and migrations, backups under write load, and
files the user did not mean to destroy. Exits 1 if any part found a violation.

    python bench/reliability.py [--output docs/reliability.md]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.all import BENCH, REPO, write_page

# Each part: its title, the script and its arguments, and whether it prints a markdown section
# of its own (the others print plain lines, shown as they are).
PARTS = (
    ("Concurrent writers", ["concurrency.py", "--processes", "8", "--claims", "100"], False),
    ("Killed imports and migrations", ["crashes.py", "--runs", "30"], False),
    (
        "Backups under write load",
        ["backup_under_load.py", "--processes", "8", "--claims", "100"],
        False,
    ),
    ("Files the user did not mean to destroy", ["hostile_files.py"], True),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "reliability.md")
    args = parser.parse_args()
    sections, failed = [], 0
    for title, (script, *options), markdown in PARTS:
        command = f"python bench/{script} {' '.join(options)}".strip()
        print(f"== {command}", file=sys.stderr, flush=True)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, str(BENCH / script), *options], stdout=subprocess.PIPE, text=True
        )
        print(f"   {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        failed += done.returncode != 0
        verdict = "" if done.returncode == 0 else f"\n**Failed** (exit {done.returncode}).\n"
        if markdown:
            sections.append(done.stdout.strip() + "\n" + verdict)
        else:
            body = done.stdout.strip()
            sections.append(f"## {title}\n\n`{command}`\n\n```text\n{body}\n```\n{verdict}")
    intro = (
        "What factcheck was put through, as real processes, and how it came out: the test suite "
        "runs each part small (tests/reliability/), this page at full size. Each section names "
        "the command that reproduces it."
    )
    made_by = "`make reliability` (`python bench/reliability.py`)"
    write_page(args.output, "Reliability", made_by, intro, sections)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The hostile-input tally: its section of docs/reliability.md.

Runs every test marked `hostile` (careless and hostile input: malformed files, hostile strings in
every argument, numbers no column holds, files that never end, outputs that would clobber a file,
a server that hangs) and counts, for each battery, the inputs tried and how many ended as they
must: a clean one-line error (or the value kept exactly) with the database and every other file
unchanged. Each case checks that itself, so a passing case lost no rows. The limits come from
factcheck/limits.py, the one place they are defined.

    .venv/bin/python bench/reliability.py             # its section of docs/reliability.md
    .venv/bin/python bench/reliability.py --stdout    # prints the section instead

The PostgreSQL cases run when the server's binaries are installed (Debian's postgresql).
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from factcheck.limits import LIMITS  # noqa: E402
from factcheck.vocab import MAX_INT  # noqa: E402

BEGIN = "<!-- made by bench/reliability.py: begin -->"
END = "<!-- made by bench/reliability.py: end -->"


def run_battery(junit: Path) -> int:
    command = [sys.executable, "-m", "pytest", "-m", "hostile", "-n", "2", "-q", "-p",
               "no:cacheprovider", f"--junitxml={junit}"]  # fmt: skip
    return subprocess.run(command, cwd=REPO, check=False).returncode


def tally(junit: Path) -> dict[str, Counter[str]]:
    """Per test module: cases tried, passed, failed, skipped."""
    counts: dict[str, Counter[str]] = {}
    for case in ElementTree.parse(junit).iter("testcase"):
        # The class name is the module's dotted path, then the test class if there is one.
        dotted = case.get("classname", "")
        path = dotted.replace(".", "/") + ".py"
        if not (REPO / path).is_file():
            path = dotted.rsplit(".", 1)[0].replace(".", "/") + ".py"
        count = counts.setdefault(path, Counter())
        count["tried"] += 1
        if case.find("skipped") is not None:
            count["skipped"] += 1
        elif case.find("failure") is not None or case.find("error") is not None:
            count["failed"] += 1
        else:
            count["passed"] += 1
    return counts


def _summary(path: str) -> str:
    """The first sentence of the test module's docstring: what the battery tries."""
    try:
        doc = ast.get_docstring(ast.parse((REPO / path).read_text(encoding="utf-8"))) or ""
    except OSError:
        return ""
    return " ".join(doc.split("\n\n")[0].split())


def page(counts: dict[str, Counter[str]], commit: str) -> str:
    total: Counter[str] = Counter()
    for count in counts.values():
        total.update(count)
    lines = [
        BEGIN,
        "## Careless and hostile input: the tally",
        "",
        "What factcheck does with input meant to break it. Every case below runs a real command on",
        "a real database file (and on a real PostgreSQL server where it applies) and passes only",
        "if the command ends as it must: the value kept exactly, or one `Error:` line, exit 1 (2",
        "for wrong usage), no traceback, and the database and every other file unchanged. So a",
        "passing case lost no rows. Concurrency and crash safety are measured by `make",
        "reliability`'s other scripts (bench/concurrency.py, crashes.py, backup_under_load.py).",
        "",
        f"Made by `python bench/reliability.py` at {commit} on {datetime.now(UTC):%Y-%m-%d}.",
        "",
        "| battery | what it tries | inputs tried | ended cleanly | failed | skipped |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for path, count in sorted(counts.items()):
        lines.append(
            f"| `{path}` | {_summary(path)} | {count['tried']:,} | {count['passed']:,} | "
            f"{count['failed']:,} | {count['skipped']:,} |"
        )
    lines += [
        f"| **all** | | **{total['tried']:,}** | **{total['passed']:,}** | "
        f"**{total['failed']:,}** | **{total['skipped']:,}** |",
        "",
        f"Rows lost: {'0' if not total['failed'] else 'see the failed cases'}.",
        "",
        "### Limits on input",
        "",
        "Over a limit, a command stops with one line naming the limit and the setting that",
        'changes it, and changes nothing (docs/design.md, "Limits").',
        "",
        "| limit | default | setting |",
        "|---|---:|---|",
    ]
    for limit in LIMITS:
        lines.append(f"| {limit.what} | {limit.default:,} {limit.unit} | `{limit.setting}` |")
    lines += [
        f"| an id, limit, offset or position | {MAX_INT:,} | (the widest integer column of "
        "both backends) |",
        END,
    ]
    return "\n".join(lines) + "\n"


def replace_section(page_text: str, section: str) -> str:
    """The page with this script's section replaced (or added at its end)."""
    if BEGIN in page_text and END in page_text:
        before, rest = page_text.split(BEGIN, 1)
        return before + section.rstrip("\n") + rest.split(END, 1)[1]
    return page_text.rstrip("\n") + "\n\n" + section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stdout", action="store_true", help="print instead of writing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        status = run_battery(junit)
        counts = tally(junit)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
        check=False,
    ).stdout.strip() or "an unknown commit"  # fmt: skip
    text = page(counts, commit)
    if args.stdout:
        print(text)
    else:
        target = REPO / "docs" / "reliability.md"
        old = target.read_text(encoding="utf-8") if target.exists() else "# Reliability\n"
        target.write_text(replace_section(old, text), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())

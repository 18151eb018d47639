"""Commands typed by hand: each `factcheck` command a researcher types at the terminal against
`sqlite-utils query` of a comparable small query on the same database (the peer researchers
already use on the same files), and `factcheck --help` against `sqlite-utils --help`.

Every command runs as a new process, as typed, on the seed corpus plus the three LIAR splits
(`factcheck seed`, then `factcheck import ../shared/data/liar/{train,valid,test}.tsv`, built
once by the factcheck under test and cached next to the scale databases, see report_scale.py).
Each command is followed by its peer within every round, rounds interleaved as in startup.py, so
both meet the same machine load; medians. The writing commands run on a copy of the cached
database, and each round's writes touch only rows of that round: `claim add` makes a claim (NEW),
`claim cite`, `claim edit`, `verdict set` and `link` write to it, and `unlink` removes the link
`link` made, so the database grows by one claim a round and later rounds do the same work.

sqlite-utils cannot write factcheck's tables (their triggers call SQL functions only factcheck's
connections have), so a writing command's peer reads the rows it writes. Progress on stderr,
one markdown section on stdout, exit 0 whether the targets are met or missed.

    .venv/bin/python bench/hand_commands.py --rounds 15
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report_scale import cache_dir, checkpoint
from bench.startup import Command, interleave, parser, progress, quiet_env, rounds_from, tool

TARGET = 2.0
HELP_TARGET = 1.0
BUILD_VERSION = "v1"
LIAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "liar"
SPLITS = ("train.tsv", "valid.tsv", "test.tsv")
QUICK_SPLITS = ("test.tsv",)
# What the commands name: the seed corpus's first claim, one of its articles, its central person
# by an alias (`entity show`'s --help example), a word of many LIAR claims, a quote of article 004.
CLAIM, SOURCE, ENTITY, WORD = "1", "003-politico", "Suleimani", "tax"
CITED_SOURCE, CITED_QUOTE = "004-hard-revenge", "Hard Revenge"
ADDED = "The benchmark typed this claim by hand."
EDITED = "The benchmark edited this claim by hand."
NEWEST_CLAIM = "(SELECT max(id) FROM claims)"


def database(splits: Sequence[str]) -> Path:
    """The seed corpus plus `splits` of LIAR, imported by this factcheck (cached), at the current
    schema revision."""
    name = "-".join(split.removesuffix(".tsv") for split in splits)
    path = cache_dir() / f"hand-{BUILD_VERSION}-seed-liar-{name}.db"
    factcheck = tool("factcheck")
    if not path.exists():
        missing = [split for split in splits if not (LIAR / split).exists()]
        if missing:
            sys.exit(f"LIAR files missing in {LIAR}: {', '.join(missing)}")
        with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
            db = Path(tmp) / "hand.db"
            for step in (["seed"], *(["import", str(LIAR / split)] for split in splits)):
                progress(f"set-up: factcheck {' '.join(step)}")
                subprocess.run(
                    [factcheck, "--db", str(db), *step], check=True, stdout=subprocess.DEVNULL
                )
            checkpoint(db)
            os.replace(db, path)
    # A database cached by an older factcheck is brought to this one's schema.
    subprocess.run(
        [factcheck, "--db", str(path), "db", "upgrade"], check=True, stdout=subprocess.DEVNULL
    )
    checkpoint(path)
    return path


def newest_into(argv: list[str], index: int, db: Path, table: str) -> Callable[[], None]:
    """A step to run before a command (untimed): put the id of `table`'s newest row in argv."""

    def prepare() -> None:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
            argv[index] = str(connection.execute(f"SELECT max(id) FROM {table}").fetchone()[0])

    return prepare


@dataclass
class Pair:
    """A factcheck command, its peer and the target for their ratio (medians)."""

    subject: Command
    peer: Command
    target: float

    @property
    def ratio(self) -> float:
        return self.subject.median / self.peer.median

    @property
    def verdict(self) -> str:
        return "PASS" if self.ratio <= self.target else "MISS"


def has_limit(listing: Sequence[str]) -> bool:
    """Whether this factcheck's list command takes --limit (older versions list everything)."""
    shown = subprocess.run(
        [tool("factcheck"), *listing, "--help"], capture_output=True, text=True, check=True
    ).stdout
    return "--limit" in shown


def pairs(db: Path) -> list[Pair]:
    """The commands in the order a round runs them, each followed by its peer."""
    factcheck, sqlite_utils = tool("factcheck"), tool("sqlite-utils")
    made: list[Pair] = [
        Pair(
            Command("factcheck --help", [factcheck, "--help"]),
            Command("sqlite-utils --help", [sqlite_utils, "--help"]),
            HELP_TARGET,
        )
    ]

    def add(
        args: Sequence[str],
        sql: str,
        fill: tuple[int, str] | None = None,
    ) -> None:
        """`fill`: (position in args, table) of an id taken from the table's newest row just
        before each run (untimed), shown as NEW (a claim) or LINK in the label."""
        argv = [factcheck, "--db", str(db), *args]
        shown = list(args)
        prepare = None
        if fill is not None:
            position, table = fill
            shown[position] = "NEW" if table == "claims" else "LINK"
            prepare = newest_into(argv, 3 + position, db, table)

        label = "factcheck " + " ".join(f'"{a}"' if " " in a else a for a in shown)
        made.append(
            Pair(
                Command(label, argv, prepare=prepare),
                Command(f'sqlite-utils query DB "{sql}"', [sqlite_utils, "query", str(db), sql]),
                TARGET,
            )
        )

    limit = ["--limit", "20"]
    add(["claim", "show", CLAIM], f"select * from claims where id = {CLAIM}")
    add(["claim", "list", *limit], "select * from claims order by id limit 20")
    add(
        ["claim", "add", ADDED, "--source", SOURCE],
        "select * from claims order by id desc limit 1",
    )
    add(
        ["claim", "cite", "?", "--source", CITED_SOURCE, "--quote", CITED_QUOTE],
        f"select * from appearances where claim_id = {NEWEST_CLAIM}",
        (2, "claims"),
    )
    add(
        ["claim", "edit", "?", "--text", EDITED],
        f"select text from claims where id = {NEWEST_CLAIM}",
        (2, "claims"),
    )
    add(
        ["search", WORD, *limit],
        f"select rowid from claim_search where claim_search match '{WORD}' limit 20",
    )
    # A name: search reads its spellings, mentions and claimants too; the peer matches the word.
    add(
        ["search", ENTITY, *limit],
        f"select rowid from claim_search where claim_search match '{ENTITY.lower()}' limit 20",
    )
    add(
        ["verdict", "set", "?", "false", "--note", "Checked by hand."],
        "select * from verdicts order by id desc limit 1",
        (2, "claims"),
    )
    add(["verdict", "history", CLAIM], f"select * from verdicts where claim_id = {CLAIM}")
    add(["verdict", "labels"], "select * from rating_labels")
    add(
        ["link", "?", CLAIM, "--relation", "contradicts"],
        "select * from links order by id desc limit 1",
        (1, "claims"),
    )
    add(["unlink", "?"], "select count(*) from links", (1, "links"))
    add(
        ["source", "list", *(limit if has_limit(["source", "list"]) else [])],
        "select id, key, title from sources order by id limit 20",
    )
    add(["source", "show", SOURCE], f"select * from sources where key = '{SOURCE}'")
    add(
        ["entity", "list", *(limit if has_limit(["entity", "list"]) else [])],
        "select * from entities order by name limit 20",
    )
    add(
        ["entity", "show", ENTITY],
        f"select * from entity_aliases where alias_key = '{ENTITY.lower()}'",
    )
    add(
        ["report", "contradictions", "--status", "open"],
        "select * from contradiction_pairs where status = 'open'",
    )
    add(["log", *limit], "select * from history order by id desc limit 20")
    return made


def counts(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("claims", "sources", "entities", "verdicts", "history")
        }


def report(
    reproduce: str, measured: list[Pair], splits: Sequence[str], found: dict[str, int], mb: float
) -> str:
    lines = [
        "## Commands typed by hand",
        "",
        f"`{reproduce}`",
        "",
        "| command | median (ms) | peer | peer median (ms) | ratio | target | |",
        "|---|---:|---|---:|---:|---:|---|",
    ]
    for pair in measured:
        lines.append(
            f"| `{pair.subject.label}` | {pair.subject.median:.0f} | `{pair.peer.label}` "
            f"| {pair.peer.median:.0f} | {pair.ratio:.2f} | {pair.target:.1f} | {pair.verdict} |"
        )
    commands = [pair for pair in measured if pair.target == TARGET]
    worst = max(commands, key=lambda pair: pair.ratio)
    within = sum(pair.verdict == "PASS" for pair in commands)
    runs = len(measured[0].subject.times)
    unlimited = [pair.subject.label for pair in commands if pair.subject.label.endswith(" list")]
    lines += [
        "",
        f"- worst: `{worst.subject.label}`, **{worst.ratio:.2f}** x its peer "
        f"(target {TARGET:.1f}): **{worst.verdict}**",
        f"- {within} of {len(commands)} commands within {TARGET:.1f}x of their peer",
        f"- database: the seed corpus and LIAR's {', '.join(splits)} ({found['claims']:,} claims, "
        f"{found['sources']:,} sources, {found['entities']:,} entities, {found['verdicts']:,} "
        f"verdicts, {found['history']:,} history rows, {mb:.0f} MB, WAL); `--db` names it",
        f"- {runs} interleaved rounds after a warm-up round, each command followed by its peer; "
        "medians; output to a pipe, where `--limit 20` gives the page a terminal shows",
        "- NEW: the claim this round's `claim add` made; LINK: the link this round's `link` made",
        "- a writing command's peer reads the rows it writes: sqlite-utils cannot write "
        "factcheck's tables (their triggers call SQL functions only factcheck's connections have)",
    ]
    if unlimited:
        named = " and ".join(f"`{label}`" for label in unlimited)
        lines.append(f"- without `--limit`, which this factcheck's {named} lack: every row listed")
    return "\n".join(lines) + "\n"


def main() -> int:
    args = parser(__doc__).parse_args()
    rounds = rounds_from(args)
    splits = QUICK_SPLITS if args.quick else SPLITS
    cached = database(splits)
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as tmp:
        db = Path(tmp) / "hand.db"
        shutil.copyfile(cached, db)
        found = counts(db)
        size_mb = db.stat().st_size / 1e6
        measured = pairs(db)
        interleave([c for pair in measured for c in (pair.subject, pair.peer)], rounds, quiet_env())
        added = counts(db)["claims"] - found["claims"]
        if added != rounds + 1:
            sys.exit(f"expected {rounds + 1} claims added (a round each), found {added}")
    reproduce = "python bench/hand_commands.py " + (
        "--quick" if args.quick else f"--rounds {rounds}"
    )
    sys.stdout.write(report(reproduce, measured, splits, found, size_mb))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Several `factcheck claim add` processes writing one SQLite file at once lose nothing."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import ok

WRITERS = 4
CLAIMS_EACH = 8

WRITER = """
import sys
from factcheck.cli import main
writer, count = int(sys.argv[1]), int(sys.argv[2])
failures = 0
for n in range(count):
    try:
        main(["claim", "add", f"writer {writer} claim {n}", "--source", "shared",
              "--tag", f"w{writer}"])
    except SystemExit as exc:
        failures += exc.code != 0
sys.exit(failures)
"""


def test_concurrent_claim_adds_all_land(db_path: Path) -> None:
    ok("source", "add", "--title", "Shared source", "--key", "shared")
    env = {**os.environ, "FACTCHECK_DB": str(db_path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w), str(CLAIMS_EACH)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    with sqlite3.connect(db_path) as connection:
        texts = {row[0] for row in connection.execute("SELECT text FROM claims")}
        history = connection.execute(
            "SELECT count(*) FROM history WHERE table_name = 'claims'"
        ).fetchone()[0]
    assert texts == {f"writer {w} claim {n}" for w in range(WRITERS) for n in range(CLAIMS_EACH)}
    assert history == WRITERS * CLAIMS_EACH
    assert ok("db", "check").exit_code == 0


def test_concurrent_first_use_creates_the_schema_once(db_path: Path) -> None:
    """Processes that all find no database race to create it; every one must succeed."""
    env = {**os.environ, "FACTCHECK_DB": str(db_path)}
    code = "from factcheck.cli import main; main(['source', 'add', '--title', 'Race'])"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert len(ok("source", "list", "--json").json()) == 4
    assert ok("verdict", "labels", "--json").json()[0]["label"] == "true"
    assert len(ok("verdict", "labels", "--json").json()) == 7

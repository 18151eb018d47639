"""What the one rule for the current verdict costs: the view `current_verdicts` (newest verdict
not retracted, migration 0014) against its peer, the rule before retractions (newest verdict,
`max(id) ... GROUP BY claim_id`), on the same SQLite database in the same run, interleaved.

Two shapes of question: every claim (a report) and one page of 50 claim ids (claim show or list,
search). The database is a synthetic corpus (bench/synth.py) with 1% of its verdicts retracted.

    python bench/current_verdicts.py --claims 100000
    python bench/current_verdicts.py --quick          # a tiny smoke run
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synth import write
from factcheck.db.connection import connect
from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from factcheck.services.importer import import_jsonl

PEER = "SELECT max(id) FROM verdicts WHERE claim_id IN ({ids}) GROUP BY claim_id"
VIEW = "SELECT verdict_id FROM current_verdicts WHERE claim_id IN ({ids})"


def _build(db: Path, claims: int) -> None:
    dump = db.with_suffix(".jsonl")
    with dump.open("w", encoding="utf-8") as out:
        write(out, claims, links=claims // 10, contradictions=claims // 50)
    database = Database(resolve_url(str(db)), "bench")
    database.ensure_schema()
    with database.write() as session, dump.open("rb") as lines:
        import_jsonl(session, lines)
    with database.store(write=True) as store:
        verdicts = [v for (v,) in store.rows("SELECT id FROM verdicts ORDER BY id")]
        for verdict_id in verdicts[::100]:
            store.insert(
                "verdict_retractions",
                {"verdict_id": verdict_id, "note": "bench", "created_at": store.now()},
            )
    database.close()


def _cpu(connection: object, sql: str) -> tuple[float, int]:
    start = time.process_time()
    rows = connection.execute(sql).fetchall()  # type: ignore[attr-defined]
    return time.process_time() - start, len(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    args = parser.parse_args(argv)
    command = "python bench/current_verdicts.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    if args.quick:
        args.claims, args.rounds = 1000, 1
    print("## The current verdict: one rule, the view current_verdicts\n")
    print(f"`{command.strip()}`\n")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        _build(db, args.claims)
        page = ", ".join(str(i) for i in range(args.claims // 2, args.claims // 2 + 50))
        with connect(db) as connection:
            for name, ids in (("every claim", "SELECT id FROM claims"), ("a page of 50", page)):
                peer, view = [], []
                for _ in range(args.rounds):
                    t_peer, n_peer = _cpu(connection, PEER.format(ids=ids))
                    t_view, n_view = _cpu(connection, VIEW.format(ids=ids))
                    peer.append(t_peer)
                    view.append(t_view)
                p, v = statistics.median(peer), statistics.median(view)
                print(
                    f"- {name}: view {v * 1000:.2f} ms ({n_view} verdicts), peer {p * 1000:.2f} ms "
                    f"({n_peer}), ratio {v / max(p, 1e-9):.2f} (CPU time, median of "
                    f"{args.rounds})"
                )


if __name__ == "__main__":
    main()

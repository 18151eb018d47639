"""Where the time of a contradiction report goes, measured inside one process: importing what
the command imports, building the report (its queries included), rendering it as text and as
JSON; then the report's own SQL statements, captured as they ran, replayed through stdlib sqlite3
with every row fetched and nothing built: the floor of what the report reads.

    .venv/bin/python bench/report_phases.py DATABASE

The figure that counts is the ratio of building the report to replaying its statements, in CPU
time (the machine may be shared: CPU time counts this process's own work, wall time also the
wait for a core); the target is at most 2.0. One JSON object of seconds on stdout (CPU time
under `*_cpu`; `bench/report_scale.py` runs this and tabulates it), the ratio against its target
on stderr.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import sys
import time
from pathlib import Path

TARGET_RATIO = 2.0


class Clock:
    """Wall and CPU time of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def main(database: Path) -> dict[str, float]:
    with Clock() as imports:
        from factcheck.cli.commands.report import WIDTH
        from factcheck.db.database import Database
        from factcheck.reports import contradictions as formats
        from factcheck.reports.json_document import json_document
        from factcheck.schemas import ReportFilter
        from factcheck.services.report import contradiction_report

    statements: list[str] = []
    # As the command does: one acyclic object graph, which the cyclic collector would rescan.
    gc.disable()
    db = Database(str(database), None)
    with Clock() as build, db.store() as store:
        store.connection.set_trace_callback(statements.append)
        report = contradiction_report(store, ReportFilter())
        store.connection.set_trace_callback(None)
    with Clock() as render_text:
        text = formats.plain_text(report, WIDTH)
    with Clock() as render_json:
        document = b"".join(json_document(report))
    db.close()

    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, isolation_level=None)
    with Clock() as queries:
        connection.execute("BEGIN")
        rows = sum(len(connection.execute(sql).fetchall()) for sql in selects)
        connection.execute("COMMIT")
    connection.close()
    return {
        "imports": imports.wall,
        "build": build.wall,
        "build_cpu": build.cpu,
        "queries": queries.wall,
        "queries_cpu": queries.cpu,
        "ratio": build.cpu / queries.cpu,
        "ratio_wall": build.wall / queries.wall,
        "statements": len(selects),
        "rows": rows,
        "text": render_text.wall,
        "text_bytes": len(text.encode()),
        "json": render_json.wall,
        "json_bytes": len(document),
    }


def verdict(ratio: float) -> str:
    return "PASS" if ratio <= TARGET_RATIO else "MISS"


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__)
    found = main(Path(sys.argv[1]))
    print(json.dumps(found))
    print(
        f"building the report {found['build_cpu']:.2f} s CPU, its {found['statements']} "
        f"statements replayed {found['queries_cpu']:.2f} s CPU: ratio {found['ratio']:.2f} "
        f"(target <= {TARGET_RATIO:g}): {verdict(found['ratio'])}",
        file=sys.stderr,
    )

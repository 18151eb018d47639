"""Where the time of a contradiction report goes, measured inside one process: importing what
the command imports, building the report (its queries included), rendering it as text and as
JSON; then the report's own SQL statements, captured as they ran, replayed through stdlib sqlite3
with every row fetched and nothing built: the floor of what the report reads.

    .venv/bin/python bench/report_phases.py DATABASE

Prints one JSON object of seconds on stdout (`bench/report_scale.py` runs it and tabulates it).
"""

from __future__ import annotations

import gc
import json
import sqlite3
import sys
import time
from pathlib import Path


def main(database: Path) -> dict[str, float]:
    started = time.perf_counter()
    from factcheck.cli.commands.report import WIDTH
    from factcheck.db.database import Database
    from factcheck.reports import contradictions as formats
    from factcheck.reports.json_document import json_document
    from factcheck.schemas import ReportFilter
    from factcheck.services.report import contradiction_report

    imports = time.perf_counter() - started

    statements: list[str] = []
    # As the command does: one acyclic object graph, which the cyclic collector would rescan.
    gc.disable()
    db = Database(str(database), None)
    started = time.perf_counter()
    with db.store() as store:
        store.connection.set_trace_callback(statements.append)
        report = contradiction_report(store, ReportFilter())
        store.connection.set_trace_callback(None)
    build = time.perf_counter() - started

    started = time.perf_counter()
    text = formats.plain_text(report, WIDTH)
    render_text = time.perf_counter() - started
    started = time.perf_counter()
    document = b"".join(json_document(report))
    render_json = time.perf_counter() - started
    db.close()

    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, isolation_level=None)
    started = time.perf_counter()
    connection.execute("BEGIN")
    rows = sum(len(connection.execute(sql).fetchall()) for sql in selects)
    connection.execute("COMMIT")
    queries = time.perf_counter() - started
    connection.close()
    return {
        "imports": imports,
        "build": build,
        "queries": queries,
        "statements": len(selects),
        "rows": rows,
        "text": render_text,
        "text_bytes": len(text.encode()),
        "json": render_json,
        "json_bytes": len(document),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(json.dumps(main(Path(sys.argv[1]))))

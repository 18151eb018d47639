"""The database in Datasette: full-text search on claims and table descriptions, through a real
server on loopback."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import ok


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def test_datasette_searches_claims_and_describes_tables(tmp_path: Path) -> None:
    db = tmp_path / "research.db"
    ok("--db", str(db), "seed")
    metadata = tmp_path / "metadata.json"
    metadata.write_text(ok("--db", str(db), "db", "metadata").stdout, encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", str(db), "--metadata", str(metadata),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/research"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}.json")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "Datasette did not start"
                time.sleep(0.3)
        found = json.loads(_get(f"{base}/claims.json?_search=soleimani+troops&_shape=array"))
        assert {row["id"] for row in found} >= {32, 41, 44}
        quoted = json.loads(_get(f"{base}/claims.json?_search=theres+chance&_shape=array"))
        assert [row["id"] for row in quoted] == [80]  # found through its quote, not its text
        page = _get(f"{base}/appearances").decode()
        assert "W3C TextQuote and TextPosition selectors" in page
        view = json.loads(_get(f"{base}/contradiction_pairs.json?status=resolved&_shape=array"))
        assert len(view) == 8
    finally:
        server.terminate()
        server.wait(timeout=30)

"""`claim add` and `source add` asked for their missing arguments in a real terminal (a pty)."""

import os
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import listed, ok


def _expect(fd: int, seen: bytearray, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {text!r} in {seen.decode(errors='replace')!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            seen.extend(chunk)
    assert text.encode() in seen, seen.decode(errors="replace")


def _converse(args: list[str], steps: list[tuple[str, str]], db: Path) -> str:
    primary, secondary = os.openpty()
    env = {**os.environ, "FACTCHECK_DB": str(db), "TERM": "dumb"}
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", *args], stdin=secondary,
                            stdout=secondary, stderr=secondary, env=env)  # fmt: skip
    os.close(secondary)
    seen = bytearray()
    try:
        for prompt, answer in steps:
            _expect(primary, seen, prompt)
            os.write(primary, answer.encode() + b"\n")
        assert proc.wait(timeout=60) == 0, seen.decode(errors="replace")
        _expect(primary, seen, "\n", timeout=1)
    finally:
        os.close(primary)
        proc.kill()
    return seen.decode(errors="replace")


def test_claim_add_asks_for_what_is_missing(db_path: Path, corpus: dict[str, int]) -> None:
    _converse(
        ["claim", "add"],
        [
            ("Claim:", "Iran expected to respond"),
            ("Source (id or key):", "politico"),
            ("Quote from the source (optional):", "an escalatory move"),
            ("Claimant (optional", "U.S. officials"),
            ("Kind (fact, prediction, opinion)", "opinion"),
        ],
        db_path,
    )
    claim = ok("claim", "list", "--json").json()[-1]
    assert (claim["text"], claim["kind"]) == ("Iran expected to respond", "opinion")
    assert claim["appearances"][0]["claimant"] == "U.S. officials"
    assert claim["appearances"][0]["anchor_status"] == "exact"


def test_source_add_asks_for_the_title(db_path: Path) -> None:
    _converse(
        ["source", "add"],
        [
            ("Title:", "Interview notes"),
            ("URL (optional):", ""),
            ("Outlet (optional):", "Field notes"),
            ("Author (optional):", ""),
            ("Published", "2020-01"),
            ("Text file (optional):", ""),
        ],
        db_path,
    )
    source = ok("source", "show", "interview-notes", "--json").json()
    assert (source["outlet"], source["published"], source["url"]) == (
        "Field notes",
        "2020-01",
        None,
    )


def test_lists_come_a_page_at_a_time_in_a_terminal(db_path: Path) -> None:
    """Standard output that really is a terminal gets a page, and the line saying what follows;
    the other tests stand in for the terminal (the `terminal` fixture)."""
    ok("seed")
    claims = [c["id"] for c in ok("claim", "list", "--json").json()]
    seen = _converse(["claim", "list"], [("--all for every one.", "")], db_path)
    assert "… 71 more claims: --offset 50 for the next page" in seen
    assert listed(seen.replace("\r", "")) == claims[:50]

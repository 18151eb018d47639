"""`claim add` and `source add` asked for their missing arguments in a real terminal (a pty)."""

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
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


def _terminal() -> tuple[int, int]:
    """A pseudo-terminal (both ends), 240 columns wide so that no table wraps what a test
    looks for."""
    primary, secondary = os.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 240, 0, 0))
    return primary, secondary


def _converse(args: list[str], steps: list[tuple[str, str]], db: Path) -> str:
    primary, secondary = _terminal()
    env = {**os.environ, "FACTCHECK_DB": str(db), "TERM": "dumb"}
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", *args], stdin=secondary,
                            stdout=secondary, stderr=secondary, env=env)  # fmt: skip
    os.close(secondary)
    seen = bytearray()
    try:
        for prompt, answer in steps:
            _expect(primary, seen, prompt)
            os.write(primary, answer.encode() + b"\n")
        # The rest, read as it comes (a long output fills the terminal's buffer) until the
        # command closes the terminal.
        while select.select([primary], [], [], 60)[0]:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            seen.extend(chunk)
        assert proc.wait(timeout=60) == 0, seen.decode(errors="replace")
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


def test_lists_come_a_page_at_a_time_in_a_terminal(seeded: Path) -> None:
    """Standard output that really is a terminal gets a page, and the line saying what follows;
    the other tests stand in for the terminal (the `terminal` fixture)."""
    claims = [c["id"] for c in ok("claim", "list", "--json").json()]
    seen = _converse(["claim", "list"], [("--all for every one.", "")], seeded)
    assert "… 71 more claims: --offset 50 for the next page" in seen
    assert listed(seen.replace("\r", "")) == claims[:50]


def _on_terminal(*args: str, db: Path) -> str:
    """What a terminal receives from `factcheck ARGS` (TERM=dumb: factcheck's own colours add
    no escape sequence, so any there came from the data)."""
    return _converse(list(args), [], db).replace("\r\n", "\n")


def test_control_characters_in_the_data_never_reach_the_terminal(
    db_path: Path, corpus: dict[str, int]
) -> None:
    """Every kind of output, escapes shown instead; piped, the same document is exact."""
    hostile = "\x1b]0;retitled\x07\x1b[2J \u009b31m :smile: [bold]x[/bold] =1+2"
    ok("claim", "edit", str(corpus["respond"]), f"--text={hostile}", f"--notes={hostile}")
    ok("verdict", "set", str(corpus["respond"]), "false", f"--note={hostile}")
    ok("entity", "add", hostile)
    ok("link", str(corpus["respond"]), str(corpus["no_revenge"]), "--relation=contradicts")
    shown = "\\x1b]0;retitled\\x07\\x1b[2J \\x9b31m :smile: [bold]x[/bold] =1+2"
    for args in (
        ["claim", "show", str(corpus["respond"])],
        ["claim", "show", str(corpus["respond"]), "--json"],
        ["entity", "list"],
        ["report", "contradictions", "--format=markdown"],
        ["report", "contradictions", "--format=csv"],
        ["export", "--format=jsonl"],
    ):
        seen = _on_terminal(*args, db=db_path)
        assert not any(c in seen for c in "\x1b\x07\u009b"), (args, seen)
        unescaped = re.sub(r"\\([][\\])", r"\1", seen)  # Markdown's escapes undone
        assert ":smile:" in seen and "[bold]x[/bold]" in unescaped, (args, seen)
        if args[-1] not in ("--json", "--format=jsonl"):  # JSON escapes C0 its own way
            # Word by word: a table may wrap the text.
            assert all(word in unescaped for word in shown.split()), (args, seen)
    piped = ok("report", "contradictions", "--format=csv").stdout
    assert "\x1b]0;retitled\x07" in piped and "'\x1b" not in piped

import hashlib
from pathlib import Path

import pytest

from tests.helpers import dump, fails, listed, more, ok, seed_path


def test_add_prints_id_and_stores_text_snapshot(db_path: Path) -> None:
    article = seed_path("001")
    out = ok(
        "source",
        "add",
        "--title",
        "The Killing of Qassem Soleimani",
        "--author",
        "Faisal Khan",
        "--published",
        "2020-01-04",
        "--file",
        str(article),
    )
    assert out.stdout.strip() == "1"
    shown = ok("source", "show", "1", "--json").json()
    text = article.read_text(encoding="utf-8")
    assert shown["key"] == "the-killing-of-qassem-soleimani"
    assert shown["text"] == text
    assert shown["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert shown["author"] == "Faisal Khan"
    assert shown["claims"] == 0


def test_text_from_stdin_and_json_id() -> None:
    out = ok(
        "source",
        "add",
        "--title",
        "Transcript",
        "--kind",
        "transcript",
        "--file",
        "-",
        "--json",
        input="He said: \u201cwe will respond\u201d.\n",
    )
    assert out.json() == {"id": 1}
    assert ok("source", "show", "1", "--json").json()["text"].startswith("He said")


def test_keys_are_derived_unique_and_listed() -> None:
    ok("source", "add", "--title", "Same title")
    ok("source", "add", "--title", "Same title")
    listed = ok("source", "list", "--json").json()
    assert [(s["id"], s["key"], s["title"]) for s in listed] == [
        (1, "same-title", "Same title"),
        (2, "same-title-2", "Same title"),
    ]
    assert ok("source", "show", "same-title-2", "--json").json()["id"] == 2
    assert "same-title-2" in ok("source", "list").stdout


def test_bom_is_dropped_and_crlf_kept(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfLine one\r\nLine two\r\n")
    ok("source", "add", "--title", "BOM", "--file", str(path))
    assert ok("source", "show", "1", "--json").json()["text"] == "Line one\r\nLine two\r\n"


def test_bad_input_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    ok("source", "add", "--title", "First", "--key", "first")
    before = dump(db_path)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"abc\x00def")
    cases = {
        ("--title", "X", "--file", str(tmp_path / "missing.txt")): "cannot read",
        ("--title", "X", "--file", str(latin1)): "not valid UTF-8 (byte 0xe9 at offset 3)",
        ("--title", "X", "--file", str(empty)): "is empty",
        ("--title", "X", "--file", str(binary)): "binary",
        ("--title", "X", "--file", str(tmp_path)): "cannot read",
        ("--title", "X", "--published", "2020-13-01"): "invalid date '2020-13-01'",
        ("--title", "X", "--published", "2020-02-30"): "invalid date",
        ("--title", "X", "--published", "yesterday"): "invalid date",
        ("--title", "   "): "title: must not be empty",
        ("--title", "X", "--key", "first"): "already exists",
        ("--title", "X", "--key", "123"): "invalid key",
        ("--title", "X", "--key", "Has Space"): "invalid key",
    }
    for args, message in cases.items():
        result = fails("source", "add", *args)
        assert message in result.stderr, (args, result.stderr)
    assert dump(db_path) == before


def test_partial_dates_accepted() -> None:
    for date in ("2020", "2020-01", "2020-01-03"):
        ok("source", "add", "--title", f"D {date}", "--published", date)
    assert [s["published"] for s in ok("source", "list", "--json").json()] == [
        "2020",
        "2020-01",
        "2020-01-03",
    ]


def test_unknown_source() -> None:
    assert "no source 'nope'" in fails("source", "show", "nope").stderr
    assert "no source '42'" in fails("source", "show", "42").stderr


def test_missing_title_without_terminal_is_usage_error(cli) -> None:
    result = cli("source", "add")
    assert result.exit_code == 2
    assert "--title" in result.stderr


def test_prompts_for_missing_title(monkeypatch) -> None:
    monkeypatch.setattr("factcheck.cli.commands.source.interactive", lambda: True)
    out = ok("source", "add", input="Prompted title\nhttps://example.org\n\n\n2020-01\n\n")
    assert out.stdout.strip().endswith("1")
    shown = ok("source", "show", "1", "--json").json()
    assert (shown["title"], shown["url"], shown["published"]) == (
        "Prompted title",
        "https://example.org",
        "2020-01",
    )


@pytest.mark.usefixtures("terminal")
def test_list_comes_a_page_at_a_time_on_a_terminal(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page, and under it (on stderr) how many follow and how to see them; --offset, --limit
    and --all choose other rows (factcheck/cli/paging.py)."""
    monkeypatch.setattr("factcheck.cli.paging.PAGE_SIZE", 2)
    for n in range(5):
        ok("source", "add", "--title", f"Source {n}")
    first = ok("source", "list")
    assert (listed(first.stdout), first.stderr) == ([1, 2], more(3, "sources", 2))
    second = ok("source", "list", "--offset", "2")
    assert (listed(second.stdout), second.stderr) == ([3, 4], more(1, "source", 4))
    last = ok("source", "list", "--offset", "4")
    assert (listed(last.stdout), last.stderr) == ([5], "")
    everything = ok("source", "list", "--all")
    assert (listed(everything.stdout), everything.stderr) == ([1, 2, 3, 4, 5], "")
    longer = ok("source", "list", "--limit", "3", "--offset", "1")
    assert (listed(longer.stdout), longer.stderr) == ([2, 3, 4], more(1, "source", 4))
    assert listed(ok("source", "list", "--all", "--offset", "3").stdout) == [4, 5]
    assert ok("source", "list", "--offset", "9").stderr == "No sources at --offset 9.\n"
    # --json is complete unless --limit says otherwise; the line never gets into the JSON.
    assert [s["id"] for s in ok("source", "list", "--json").json()] == [1, 2, 3, 4, 5]
    paged = ok("source", "list", "--json", "--limit", "2", "--offset", "1")
    assert ([s["id"] for s in paged.json()], paged.stderr) == ([2, 3], more(2, "sources", 3))
    assert ok("source", "list", "--json", "--offset", "3").json()[0]["id"] == 4


def test_piped_list_is_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output that is not a terminal is for programs (`source list | grep ...`): every row."""
    monkeypatch.setattr("factcheck.cli.paging.PAGE_SIZE", 2)
    for n in range(3):
        ok("source", "add", "--title", f"Source {n}")
    piped = ok("source", "list")
    assert (listed(piped.stdout), piped.stderr) == ([1, 2, 3], "")
    limited = ok("source", "list", "--limit", "1")
    assert (listed(limited.stdout), limited.stderr) == ([1], more(2, "sources", 1))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--offset", "-1"], "Invalid value for '--offset'"),
        (["--limit", "0"], "Invalid value for '--limit'"),
        (["--all", "--limit", "2"], "Error: --all and --limit contradict each other"),
    ],
)
def test_paging_options_are_checked(cli, args: list[str], message: str) -> None:
    result = cli("source", "list", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr

"""The wheel carries the migrations: an installed factcheck creates databases anywhere."""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from factcheck.db.migrate import HEAD_REVISION
from tests.helpers import REPO


@pytest.mark.slow
def test_installed_wheel_creates_and_uses_a_database_outside_the_repository(
    tmp_path: Path,
) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(dist), str(REPO)],
        check=True, timeout=300,
    )  # fmt: skip
    (wheel,) = dist.glob("factcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "factcheck/migrations/env.py" in names
    assert any(n.startswith(f"factcheck/migrations/versions/{HEAD_REVISION}") for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         str(wheel)],
        check=True, timeout=300,
    )  # fmt: skip
    # The dependencies come from this environment (no network needed); factcheck itself
    # must come from the wheel, which the new environment's own site-packages holds first.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("FACTCHECK_DB", "PYTHONPATH")}
    factcheck = str(venv / "bin" / "factcheck")

    def run(*args: str, stdin: str = "") -> str:
        done = subprocess.run([factcheck, *args], cwd=elsewhere, env=env, capture_output=True,
                              text=True, timeout=120, input=stdin)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [str(python), "-c", "import factcheck; print(factcheck.__file__)"],
        cwd=elsewhere, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert where.startswith(str(venv))

    assert f"revision {HEAD_REVISION}" in run("init")
    assert (elsewhere / "factcheck.db").is_file()
    run(
        "source",
        "add",
        "--title",
        "Installed",
        "--key",
        "inst",
        "--file",
        "-",
        stdin="The wheel ships its migrations.",
    )
    run(
        "claim",
        "add",
        "Wheels carry migrations",
        "--source",
        "inst",
        "--quote",
        "ships its migrations",
    )
    assert "Wheels carry migrations" in run("search", "wheels")
    assert "ok" in run("db", "check")
    # The seed corpus ships in the wheel too.
    assert "factcheck/seeds/corpus.jsonl" in names
    assert "added 8 sources" in run("--db", "seeded.db", "seed")
    assert "Contradiction report" in run("--db", "seeded.db", "report", "contradictions")
    # Its plugins come with it: sqlite-utils and Datasette of the same environment load them.
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    declared = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[datasette]" in declared and "[sqlite_utils]" in declared
    folded = subprocess.run(
        [str(python), "-c", "import sqlite_utils; print(sqlite_utils.Database('seeded.db')"
         ".execute(\"SELECT factcheck_fold('KATA\u2019IB')\").fetchone()[0])"],
        cwd=elsewhere, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert folded == "kataib\n"
    plugins = subprocess.run(
        [str(python), "-m", "datasette", "plugins"],
        cwd=elsewhere, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert [p["name"] for p in json.loads(plugins)] == ["factcheck"]


@pytest.mark.slow
def test_the_source_distribution_carries_what_its_tests_import(tmp_path: Path) -> None:
    import tarfile

    from hatchling.build import build_sdist

    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        name = build_sdist(str(tmp_path))
    finally:
        os.chdir(cwd)
    with tarfile.open(tmp_path / name) as sdist:
        files = {
            member.name.split("/", 1)[1] for member in sdist.getmembers() if "/" in member.name
        }
    assert {"bench/harness.py", "tests/helpers/__init__.py", "seeds/corpus.jsonl"} <= files
    assert any(f.startswith("migrations/versions/") for f in files)

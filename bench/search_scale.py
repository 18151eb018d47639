"""Search at scale: `factcheck.services.search.search` called in-process in one read transaction
(a Store on sqlite3) on a synthetic database of a million claims, over many different realistic
queries (one to three words, prefixes, rare and common words, words that match nothing),
against the raw FTS5 query through stdlib sqlite3 (the floor: the same SQL, row ids only, nothing
loaded). Beside them, what ranking every match would cost: `MATCH ... ORDER BY rank LIMIT n`,
which search does only without a limit (with one it ranks the newest RANK_WINDOW matches; see
factcheck/services/search.py).

    .venv/bin/python bench/search_scale.py                 # 1,000,000 claims
    .venv/bin/python bench/search_scale.py --claims 100000 --contradictions 20000
    .venv/bin/python bench/search_scale.py --quick         # a tiny smoke run

The database is the one bench/report_scale.py builds and caches (see its docstring: a real
`factcheck import` of a synthetic base corpus, replicated with SQL, `factcheck db check`ed).
The synthetic claims draw their words from a vocabulary of 44, so every such word occurs in about
a quarter of all claims: the common-word queries here are as broad as queries get. The rare
words are the claim numbers every claim text carries ("Claim 123457: ...").

Output: progress on stderr; one Markdown section on stdout. Always exits 0 (MISS is a finding).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import report_scale, synth
from bench.report_scale import progress

TARGET_MS = 50.0


def queries(claims: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query) pairs: a fixed, varied mix of what people type."""
    rng = random.Random(seed)
    words = [w.lower() for w in synth.WORDS]
    out: list[tuple[str, str]] = []
    out += [("common word", rng.choice(words)) for _ in range(12)]
    out += [("two common words", " ".join(rng.sample(words, 2))) for _ in range(8)]
    out += [("three common words", " ".join(rng.sample(words, 3))) for _ in range(6)]
    out += [("prefix", rng.choice(words)[: rng.randint(2, 4)]) for _ in range(8)]
    out += [("rare (claim number)", str(rng.randint(1, claims))) for _ in range(10)]
    out += [("rare + common", f"{rng.choice(words)} {rng.randint(1, claims)}") for _ in range(6)]
    out += [("number prefix", str(rng.randint(1, claims))[:4]) for _ in range(4)]
    out += [("no match", w) for w in ("zebra", "quantum", "Zürich", "ümlaut-free", "xyzzy")]
    out += [("mixed case, punctuation", q) for q in ("Drone-Strike!", '"Kyiv" OR Lagos')]
    return out


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(
    db: Path, cases: list[tuple[str, str]], limit: int, runs: int
) -> list[dict[str, object]]:
    from factcheck.db.database import Database
    from factcheck.db.engine import resolve_url
    from factcheck.db.sql_functions import fts_expression, query_terms
    from factcheck.schemas import PageIn
    from factcheck.services.search import (
        match_count,
        plain_query,
        ranked_matches,
        search,
        text_match,
    )

    database = Database(resolve_url(str(db)), "bench")
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rank_all = "SELECT rowid FROM claim_search WHERE claim_search MATCH ? ORDER BY rank LIMIT ?"
    results = []
    try:
        with database.store() as store:
            page = PageIn(limit=limit)
            search(store, "warm up", page)  # the first statement compiles and caches
            for n, (kind, query) in enumerate(cases, start=1):
                ours, floor, everything = [], [], []
                found = 0
                terms = query_terms(query)
                match = text_match("sqlite", plain_query(query))
                for _ in range(runs):
                    started = time.perf_counter()
                    found = len(search(store, query, page).items)
                    ours.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    # What search runs: a page and one more row, then the count of every
                    # match if that row was found.
                    if terms:
                        ids = raw.execute(*ranked_matches(match, limit + 1)).fetchall()
                        if len(ids) > limit:
                            raw.execute(*match_count(match)).fetchone()
                    floor.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    if terms:
                        raw.execute(rank_all, (fts_expression(terms), limit)).fetchall()
                    everything.append(time.perf_counter() - started)
                ms, peer_ms = statistics.median(ours) * 1000, statistics.median(floor) * 1000
                all_ms = statistics.median(everything) * 1000
                progress(
                    f"  {n:2}/{len(cases)} {query!r}: {ms:.1f} ms (peer {peer_ms:.1f} ms, "
                    f"ranking every match {all_ms:.1f} ms)"
                )
                results.append(
                    {
                        "kind": kind,
                        "query": query,
                        "ms": ms,
                        "peer": peer_ms,
                        "all": all_ms,
                        "found": found,
                    }
                )
    finally:
        raw.close()
        database.close()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--contradictions", type=int, default=200_000)
    parser.add_argument("--limit", type=int, default=20, help="results per search")
    parser.add_argument("--runs", type=int, default=3, help="runs per query (median)")
    parser.add_argument(
        "--base", type=int, default=report_scale.BASE_CLAIMS, help=argparse.SUPPRESS
    )
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    args = parser.parse_args(argv)
    command = "python bench/search_scale.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.quick:
        args.claims, args.contradictions, args.base, args.runs = 600, 120, 200, 1
    db = report_scale.build_database(args.claims, args.contradictions, args.base)
    cases = queries(args.claims)
    progress(f"{len(cases)} queries on {args.claims:,} claims, limit {args.limit}")
    results = measure(db, cases, args.limit, args.runs)
    from factcheck.services.search import RANK_WINDOW

    ours = [float(r["ms"]) for r in results]  # type: ignore[arg-type]
    floor = [float(r["peer"]) for r in results]  # type: ignore[arg-type]
    median, p95 = statistics.median(ours), percentile(ours, 0.95)
    peer_median, peer_p95 = statistics.median(floor), percentile(floor, 0.95)
    print("## Search at scale\n")
    print(f"`{command.strip()}`\n")
    print(
        "| queries | median (ms) | p95 (ms) | peer median (ms) | peer p95 (ms) | ratio (median) "
        "| ranking every match, median (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    kinds = dict.fromkeys(str(r["kind"]) for r in results)
    for kind in [*kinds, "all"]:
        rows = [r for r in results if kind in ("all", r["kind"])]
        mine = [float(r["ms"]) for r in rows]  # type: ignore[arg-type]
        theirs = [float(r["peer"]) for r in rows]  # type: ignore[arg-type]
        everything = [float(r["all"]) for r in rows]  # type: ignore[arg-type]
        ratio = statistics.median(mine) / max(statistics.median(theirs), 1e-6)
        label = f"**all {len(rows)}**" if kind == "all" else f"{kind} ({len(rows)})"
        print(
            f"| {label} | {statistics.median(mine):.1f} | {percentile(mine, 0.95):.1f} "
            f"| {statistics.median(theirs):.1f} | {percentile(theirs, 0.95):.1f} | {ratio:.1f}x "
            f"| {statistics.median(everything):.1f} |"
        )
    print(
        f"\n{args.claims:,} claims; `search(store, query, PageIn(limit={args.limit}))` in one "
        f"read transaction, median of {args.runs} runs per query, then the median and p95 over "
        "the queries. The peer, the floor, is the same SQL through stdlib sqlite3, row ids only "
        f"(no claims loaded): with a limit, search ranks the newest {RANK_WINDOW:,} matches of a "
        "query, fetching one more than the page, and counts every match when that one is found "
        "(the line saying how many more there are). "
        "Ratio = search / peer. The last column is what ranking every match would take: the "
        f"same MATCH expression with `ORDER BY rank LIMIT {args.limit}`.\n"
    )
    verdict = "PASS" if median < TARGET_MS else "MISS"
    print(f"- target: median under {TARGET_MS:g} ms: {median:.1f} ms, **{verdict}**")
    print(f"- p95 {p95:.1f} ms; peer median {peer_median:.1f} ms, p95 {peer_p95:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

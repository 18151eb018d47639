"""How good `factcheck suggest` is: precision and recall at several cut-offs, on two labelled
sets, and what each signal adds (each run again with that signal switched off).

(a) The seed corpus's curated links: the corpus is loaded into a new database, its links are
    deleted, and suggest runs over all claims. A suggestion is right when the curated links
    hold its pair with its relation (`refines` links are left out: suggest does not propose
    them). Cut-offs: the best K suggestions.
(b) Labelled sentence pairs from ../shared/data/contradictions (kept outside the repository;
    skipped when absent). Every sentence becomes a claim through the documented CSV claim
    input, suggest runs over all of them, and each labelled pair is looked up among the
    suggestions. Expected relations: a contradiction is `contradicts`, an entailment
    `supports` or `duplicates`; the others (RTE's "NO", EQUATE's "neutral": same topic,
    compatible or unrelated numbers) are the hard negatives, where nothing should be
    suggested. Cut-offs: minimum scores. Precision counts the labelled pairs only (a
    suggestion pairing sentences of two different labelled pairs is not judged).
    Sources, all research use (see ../shared/data/README.md):
    - stanford_rte_contradictions.xml: 922 PASCAL RTE-2 news pairs, 474 contradictions made
      largely by negation (de Marneffe, Rafferty and Manning, ACL 2008);
    - equate_redditnli.csv (250 Reddit headline pairs differing in quantities) and
      equate_newsnli.csv (968 CNN sentence pairs with quantities), from EQUATE (Ravichander,
      Naik, Rose and Hovy, CoNLL 2019).

    .venv/bin/python bench/suggest_eval.py            # everything, with the ablations
    .venv/bin/python bench/suggest_eval.py --quick    # no ablations, smaller sets

Progress on stderr; one Markdown section on stdout; exit 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import run_factcheck as factcheck
from bench.startup import progress

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "contradictions"
TOP = (10, 20, 50, 100)
SCORES = (0.2, 0.3, 0.4, 0.5, 0.6)
AGREE = ("supports", "duplicates")
T = TypeVar("T")


def run_suggest(db: Path, enabled: Collection[str]) -> list[tuple[int, int, str, float]]:
    """Every suggestion over the database (pair, relation, score), best first."""
    from factcheck.db.database import Database
    from factcheck.schemas import SuggestQuery
    from factcheck.services.suggestions import suggest

    database = Database(str(db), "eval")
    try:
        with database.store() as store:
            found = suggest(store, SuggestQuery(), enabled=enabled)
    finally:
        database.close()
    return [(s.claim_a, s.claim_b, s.relation, s.score) for s in found]


# --- (a) the seed corpus ----------------------------------------------------------------------


def seed_database(workdir: Path) -> tuple[Path, dict[tuple[int, int], str]]:
    """The seed corpus without its links, and the curated links by pair."""
    from factcheck.db.database import Database

    db = workdir / "seed.db"
    factcheck(db, "seed")
    database = Database(str(db), "eval")
    try:
        with database.store(write=True) as store:
            store.run("DELETE FROM links")
    finally:
        database.close()
    gold: dict[tuple[int, int], str] = {}
    for line in (REPO / "seeds" / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["type"] == "link":
            a, b = record["claim_a"], record["claim_b"]
            gold[(min(a, b), max(a, b))] = record["relation"]
    return db, gold


def seed_metrics(
    found: list[tuple[int, int, str, float]], gold: dict[tuple[int, int], str]
) -> list[tuple[int, float, float, float]]:
    """(K, precision, recall, share of the top K whose pair is linked whatever the relation)."""
    judged = [s for s in found if gold.get((s[0], s[1])) != "refines"]
    wanted = [pair for pair, relation in gold.items() if relation != "refines"]
    rows = []
    for k in TOP:
        top = judged[:k]
        right = sum(1 for a, b, relation, _ in top if gold.get((a, b)) == relation)
        linked = sum(1 for a, b, _, _ in top if (a, b) in gold)
        rows.append((k, right / max(len(top), 1), right / max(len(wanted), 1), linked / k))
    return rows


# --- (b) labelled pairs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    expected: str | None  # "contradicts", "agrees" or None (a hard negative)
    origin: str


def _clean(text: str) -> str:
    return " ".join(text.split())


def _sample(items: list[T], limit: int | None) -> list[T]:
    """At most `limit` items spread evenly over the list (the files are sorted by label)."""
    if limit is None or len(items) <= limit:
        return items
    return items[:: len(items) // limit][:limit]


def labelled_pairs(limit: int | None = None) -> list[Pair]:
    """The labelled pairs of ../shared/data/contradictions (empty when it is absent)."""
    pairs: list[Pair] = []
    rte = DATA / "stanford_rte_contradictions.xml"
    if rte.exists():
        root = ElementTree.parse(rte).getroot()
        taken = [
            Pair(
                _clean(node.findtext("t") or ""),
                _clean(node.findtext("h") or ""),
                "contradicts" if node.get("contradiction") == "YES" else None,
                "rte",
            )
            for node in root.iter("pair")
        ]
        pairs += _sample(taken, limit)
    for name, origin in (("equate_redditnli.csv", "equate"), ("equate_newsnli.csv", "equate")):
        path = DATA / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        expected = {"contradiction": "contradicts", "entailment": "agrees", "neutral": None}
        pairs += [
            Pair(_clean(r["premise"]), _clean(r["hypothesis"]), expected[r["label"]], origin)
            for r in _sample(rows, limit)
        ]
    return [p for p in pairs if p.first and p.second and p.first != p.second]


def pairs_database(workdir: Path, pairs: Sequence[Pair], name: str) -> tuple[Path, dict[str, int]]:
    """A database holding every sentence of `pairs` as a claim, imported from a flat CSV (as
    researchers bring claims in); and each sentence's claim id."""
    import sqlite3

    db = workdir / f"{name}.db"
    factcheck(db, "source", "add", "--key", "labelled", "--title", "Labelled sentence pairs")
    sheet = workdir / f"{name}.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["claim", "source"])
        for text in dict.fromkeys(t for p in pairs for t in (p.first, p.second)):
            writer.writerow([text, "labelled"])
    factcheck(db, "import", str(sheet), "--format", "csv")
    with sqlite3.connect(db) as connection:
        ids = {
            text: claim_id for claim_id, text in connection.execute("SELECT id, text FROM claims")
        }
    connection.close()
    return db, ids


def _right(expected: str | None, relation: str) -> bool:
    return expected == relation or (expected == "agrees" and relation in AGREE)


def pair_metrics(
    pairs: Sequence[Pair], ids: dict[str, int], found: list[tuple[int, int, str, float]]
) -> list[tuple[float, str, float, float, int]]:
    """(cut-off, relation, precision, recall, predictions) for contradictions, agreements and
    both together."""
    by_pair = {(a, b): (relation, score) for a, b, relation, score in found}
    predicted = []
    for pair in pairs:
        a, b = ids[pair.first], ids[pair.second]
        guess = by_pair.get((min(a, b), max(a, b)))
        predicted.append((pair, guess))
    rows = []
    for cut in SCORES:
        for kind, wanted in (
            ("contradicts", lambda e: e == "contradicts"),
            ("agrees", lambda e: e == "agrees"),
            ("any", lambda e: e is not None),
        ):
            positives = sum(1 for p, _ in predicted if wanted(p.expected))
            if not positives:
                continue
            made = [
                (p, g)
                for p, g in predicted
                if g is not None and g[1] >= cut and (kind == "any" or _right(kind, g[0]))
            ]
            right = sum(1 for p, g in made if g is not None and _right(p.expected, g[0]))
            rows.append((cut, kind, right / max(len(made), 1), right / positives, len(made)))
    return rows


# --- the report -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    from factcheck.suggest.scoring import SIGNALS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sets, no ablations")
    parser.add_argument("--without", action="append", default=[], choices=SIGNALS)
    args = parser.parse_args(argv)
    command = "python bench/suggest_eval.py " + " ".join(argv if argv is not None else sys.argv[1:])
    enabled = [s for s in SIGNALS if s not in args.without]
    ablations: list[tuple[str, list[str]]] = [("all signals", enabled)]
    if not args.quick:
        ablations += [(f"without {s}", [e for e in enabled if e != s]) for s in enabled[1:]]
        ablations.append(("similarity only", ["similarity"]))
    print("## Suggestion quality\n")
    print(f"`{command.strip()}`\n")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        progress("(a) the seed corpus without its links")
        db, gold = seed_database(workdir)
        wanted = sum(1 for r in gold.values() if r != "refines")
        print(f"### (a) Seed corpus: {wanted} curated links (not `refines`) to find\n")
        print("| signals | " + " | ".join(f"P@{k} | R@{k}" for k in TOP) + " | linked@20 |")
        print("|---|" + "---:|" * (2 * len(TOP) + 1))
        for name, signals in ablations:
            rows = seed_metrics(run_suggest(db, signals), gold)
            cells = " | ".join(f"{p:.2f} | {r:.2f}" for _, p, r, _ in rows)
            linked = next(share for k, _, _, share in rows if k == 20)
            print(f"| {name} | {cells} | {linked:.2f} |")
            progress(f"   {name}: {cells}")
        print(
            "\nP@K: share of the best K suggestions that a curated link holds with the same "
            "relation; R@K: share of the curated links found so in the best K; linked@20: "
            "share of the best 20 whose pair is linked at all.\n"
        )
        pairs = labelled_pairs(60 if args.quick else None)
        if not pairs:
            print(f"### (b) Labelled pairs\n\nSkipped: {DATA} is absent.\n")
            return 0
        for origin in dict.fromkeys(p.origin for p in pairs):
            subset = [p for p in pairs if p.origin == origin]
            progress(f"(b) {origin}: {len(subset)} labelled pairs")
            db, ids = pairs_database(workdir, subset, origin)
            counts = {
                label: sum(1 for p in subset if p.expected == label)
                for label in ("contradicts", "agrees", None)
            }
            print(
                f"### (b) {origin}: {len(subset)} labelled pairs ({counts['contradicts']} "
                f"contradictions, {counts['agrees']} agreements, {counts[None]} hard "
                f"negatives), {len(ids)} claims\n"
            )
            print("| signals | relation | " + " | ".join(f"P≥{c} | R≥{c}" for c in SCORES) + " |")
            print("|---|---|" + "---:|" * (2 * len(SCORES)))
            for name, signals in ablations:
                rows = pair_metrics(subset, ids, run_suggest(db, signals))
                for kind in ("contradicts", "agrees", "any"):
                    mine = [r for r in rows if r[1] == kind]
                    if mine:
                        cells = " | ".join(f"{p:.2f} | {r:.2f}" for _, _, p, r, _ in mine)
                        print(f"| {name} | {kind} | {cells} |")
            print()
        print(
            "P≥s: share of the suggestions scoring at least s on labelled pairs that have the "
            "expected relation (`any`: a contradiction or agreement suggested where the label "
            "has one); R≥s: share of the labelled contradictions (agreements) suggested so.\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

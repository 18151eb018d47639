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
(c) The project's own labelled pairs, bench/data/suggest_pairs.csv (see its README): real
    claims from the AVeriTeC dev set against their debunks, corrections, supporting evidence
    and paraphrases, and hard negatives (same topic, same sentence frame, compatible numbers, a
    negation or a debunk about something else). Imported and judged like (b), with the exact
    relation expected (contradicts, supports, duplicates, or none), per kind of pair, and on
    its two halves apart: `tune` (the half the scoring may be adjusted on) and `held-out` (the
    half it must also hold on).

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
from factcheck.interchange.csvcells import csv_lines

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "contradictions"
OWN = REPO / "bench" / "data" / "suggest_pairs.csv"
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
    # "contradicts", "supports", "duplicates", "agrees" (either of those two: an NLI
    # entailment) or None (a hard negative: nothing should be suggested).
    expected: str | None
    origin: str
    kind: str = ""
    split: str = ""


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


def own_pairs() -> list[Pair]:
    """The project's own labelled pairs (bench/data/suggest_pairs.csv)."""
    with OWN.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(
                row["text_a"],
                row["text_b"],
                None if row["relation"] == "none" else row["relation"],
                "own",
                row["kind"],
                row["split"],
            )
            for row in csv.DictReader(handle)
        ]


def pairs_database(workdir: Path, pairs: Sequence[Pair], name: str) -> tuple[Path, dict[str, int]]:
    """A database holding every sentence of `pairs` as a claim, imported from a flat CSV (as
    researchers bring claims in); and each sentence's claim id."""
    import sqlite3

    db = workdir / f"{name}.db"
    factcheck(db, "source", "add", "--key", "labelled", "--title", "Labelled sentence pairs")
    sheet = workdir / f"{name}.csv"
    texts = dict.fromkeys(t for p in pairs for t in (p.first, p.second))
    # Written as factcheck writes CSV, so that a text starting like a formula, or with quotes
    # (RTE's '' ... ''), reads back as it is (docs/design.md, the csv format).
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(csv_lines(["claim", "source"], ([text, "labelled"] for text in texts)))
    factcheck(db, "import", str(sheet), "--format", "csv")
    with sqlite3.connect(db) as connection:
        ids = {
            text: claim_id for claim_id, text in connection.execute("SELECT id, text FROM claims")
        }
    connection.close()
    return db, ids


def _agrees(label: str | None) -> bool:
    return label == "agrees" or label in AGREE


def _right(expected: str | None, relation: str) -> bool:
    """Whether a suggested relation is what the label expects (an agreement is right as
    `supports` or `duplicates`: they differ by degree, and both link the pair)."""
    return expected == relation or (_agrees(expected) and relation in AGREE)


Guess = tuple[str, float] | None


def guesses(
    pairs: Sequence[Pair], ids: dict[str, int], found: list[tuple[int, int, str, float]]
) -> list[tuple[Pair, Guess]]:
    """Each labelled pair with what suggest made of it (relation and score, or None)."""
    by_pair = {(a, b): (relation, score) for a, b, relation, score in found}
    predicted: list[tuple[Pair, Guess]] = []
    for pair in pairs:
        a, b = ids[pair.first], ids[pair.second]
        predicted.append((pair, by_pair.get((min(a, b), max(a, b)))))
    return predicted


def pair_metrics(
    predicted: Sequence[tuple[Pair, Guess]], cuts: Sequence[float] = SCORES
) -> list[tuple[float, str, float, float, int]]:
    """(cut-off, relation, precision, recall, predictions) for contradictions, agreements and
    both together."""
    rows = []
    for cut in cuts:
        for kind, wanted in (
            ("contradicts", lambda e: e == "contradicts"),
            ("agrees", _agrees),
            ("any", lambda e: e is not None),
        ):
            positives = sum(1 for p, _ in predicted if wanted(p.expected))
            if not positives:
                continue
            made = [
                (p, g)
                for p, g in predicted
                if g is not None
                and g[1] >= cut
                and (kind == "any" or (g[0] in AGREE if kind == "agrees" else g[0] == kind))
            ]
            right = sum(1 for p, g in made if g is not None and _right(p.expected, g[0]))
            rows.append((cut, kind, right / max(len(made), 1), right / positives, len(made)))
    return rows


# --- the report -------------------------------------------------------------------------------


Ablations = list[tuple[str, list[str]]]


def _cut_table(rows_by_name: list[tuple[str, list[tuple[float, str, float, float, int]]]]) -> None:
    """Precision and recall at each cut-off, a row per (name, relation)."""
    print("| | relation | " + " | ".join(f"P≥{c} | R≥{c}" for c in SCORES) + " |")
    print("|---|---|" + "---:|" * (2 * len(SCORES)))
    for name, rows in rows_by_name:
        for kind in ("contradicts", "agrees", "any"):
            mine = [r for r in rows if r[1] == kind]
            if mine:
                cells = " | ".join(f"{p:.2f} | {r:.2f}" for _, _, p, r, _ in mine)
                print(f"| {name} | {kind} | {cells} |")
    print()


def seed_section(workdir: Path, ablations: Ablations) -> None:
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


def shared_section(workdir: Path, ablations: Ablations, quick: bool) -> None:
    pairs = labelled_pairs(60 if quick else None)
    if not pairs:
        print(f"### (b) Labelled pairs\n\nSkipped: {DATA} is absent.\n")
        return
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
        _cut_table(
            [
                (name, pair_metrics(guesses(subset, ids, run_suggest(db, signals))))
                for name, signals in ablations
            ]
        )
    print(
        "P≥s: share of the suggestions scoring at least s on labelled pairs that have the "
        "expected relation (`any`: a contradiction or agreement suggested where the label "
        "has one); R≥s: share of the labelled contradictions (agreements) suggested so.\n"
    )


def _by_kind(predicted: Sequence[tuple[Pair, Guess]]) -> None:
    """What suggest made of each kind of pair (everything it shows: score at least FLOOR)."""
    print(
        "| expected | kind | pairs | suggested as expected | as contradicts | "
        "as supports or duplicates | not suggested |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    groups: dict[tuple[str, str], list[Guess]] = {}
    for pair, guess in predicted:
        groups.setdefault((pair.expected or "none", pair.kind), []).append(guess)
    for (expected, kind), found in sorted(groups.items()):
        total = len(found)
        right = sum(1 for g in found if g and g[0] == expected)
        contradicts = sum(1 for g in found if g and g[0] == "contradicts")
        agrees = sum(1 for g in found if g and g[0] in AGREE)
        missing = sum(1 for g in found if g is None)
        shown_right = "-" if expected == "none" else f"{right / total:.2f}"
        print(
            f"| {expected} | {kind} | {total} | {shown_right} | {contradicts / total:.2f} | "
            f"{agrees / total:.2f} | {missing / total:.2f} |"
        )
    print()


def own_section(workdir: Path, ablations: Ablations) -> None:
    pairs = own_pairs()
    progress(f"(c) own labelled pairs: {len(pairs)}")
    db, ids = pairs_database(workdir, pairs, "own")
    counts = {
        label: sum(1 for p in pairs if p.expected == label)
        for label in ("contradicts", "supports", "duplicates", None)
    }
    halves = {split: [p for p in pairs if p.split == split] for split in ("tune", "held-out")}
    print(
        f"### (c) Own labelled pairs: {len(pairs)} ({counts['contradicts']} contradictions, "
        f"{counts['supports']} supports, {counts['duplicates']} duplicates, {counts[None]} hard "
        f"negatives; {len(halves['tune'])} to tune on, {len(halves['held-out'])} held out), "
        f"{len(ids)} claims\n"
    )
    measured = {name: guesses(pairs, ids, run_suggest(db, signals)) for name, signals in ablations}
    first = next(iter(measured))
    everything = measured[first]
    print(f"By half ({first}):\n")
    _cut_table(
        [
            (split, pair_metrics([(p, g) for p, g in everything if p.split == split]))
            for split in halves
        ]
        + [("both", pair_metrics(everything))]
    )
    print(f"By kind of pair ({first}, every suggestion scoring at least {SCORES[0]}):\n")
    _by_kind(everything)
    if len(measured) > 1:
        print(f"What each signal adds (score at least {SCORES[0]}):\n")
        print(
            "| signals | half | contradicts P | contradicts R | agrees P | agrees R | "
            "hard negatives suggested |"
        )
        print("|---|---|---:|---:|---:|---:|---:|")
        for name, predicted in measured.items():
            for split in halves:
                mine = [(p, g) for p, g in predicted if p.split == split]
                rows = {r[1]: r for r in pair_metrics(mine, SCORES[:1])}
                negatives = [g for p, g in mine if p.expected is None]
                wrong = sum(1 for g in negatives if g is not None) / max(len(negatives), 1)
                print(
                    f"| {name} | {split} | {rows['contradicts'][2]:.2f} | "
                    f"{rows['contradicts'][3]:.2f} | {rows['agrees'][2]:.2f} | "
                    f"{rows['agrees'][3]:.2f} | {wrong:.2f} |"
                )
        print()


def main(argv: Sequence[str] | None = None) -> int:
    from factcheck.suggest.scoring import SIGNALS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sets, no ablations")
    parser.add_argument("--without", action="append", default=[], choices=SIGNALS)
    args = parser.parse_args(argv)
    command = "python bench/suggest_eval.py " + " ".join(argv if argv is not None else sys.argv[1:])
    enabled = [s for s in SIGNALS if s not in args.without]
    ablations: Ablations = [("all signals", enabled)]
    if not args.quick:
        ablations += [(f"without {s}", [e for e in enabled if e != s]) for s in enabled[1:]]
        ablations.append(("similarity only", ["similarity"]))
    print("## Suggestion quality\n")
    print(f"`{command.strip()}`\n")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        seed_section(workdir, ablations)
        shared_section(workdir, ablations, args.quick)
        own_section(workdir, ablations)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How good `factcheck extract` is on the five seed articles: does it propose, near the top, the
sentences the curators logged claims from, and does it guess who makes them?

The articles (seeds/*.txt, the same as ../shared/seeds) go into a new database with their
metadata, and extract ranks every sentence of each. The curated claims are the appearances of
seeds/corpus.jsonl in those articles (their quotes, offsets and claimants); they are not in the
database, or their sentences would be marked as logged and not proposed.

- found@K: the share of curated quotes lying in proposed sentences within the top K proposals
  of their article (a quote over two sentences needs both). The peer, measured in the same
  run, is the first K sentences of the article ("lead"), what reading from the top gives.
- claimant right: the claimant guessed for the sentence holding the quote's start (the
  attribution's, else the source's author), folded (case, accents, apostrophes), is the
  curated claimant or another spelling of the same entity. A curated claimant that is the
  article's author (or, for an article without one, the corpus's "unknown author (NNN)") is
  right when no attribution was found. "attributed" counts only the quotes whose curated
  claimant is someone other than the author: what attribution reading has to find.
- kind right: the kind guessed for that sentence (fact, prediction, opinion) is the curated
  claim's (98 of the 121 curated claims are facts: "fact" every time would get most).

Two settings: an empty database (no entities known: what an article on a new topic gets) and
one holding the corpus's 59 entities with their spellings. The entities were curated from
these very articles, so the second is the better case, the first the one to expect on new
material. The weights are round numbers set by reasoning (factcheck/extract/scoring.py), not
fitted; but the signals were written while reading extract's output on these articles, so
the figures are not those of unseen articles: per-article rows show how much they vary, and
the ablation what each signal adds.

    .venv/bin/python bench/extract_eval.py [--quick]

Progress on stderr; one Markdown section on stdout; exit 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.startup import progress

REPO = Path(__file__).resolve().parents[1]
TOP = (10, 20, 40)
ARTICLES = 5


@dataclass(frozen=True)
class Quote:
    source: str
    start: int
    end: int
    claimant: str
    kind: str


@dataclass
class Counts:
    quotes: int = 0
    found: dict[int, int] | None = None
    lead: dict[int, int] | None = None
    claimants: int = 0
    kinds: int = 0
    facts: int = 0
    attributed: int = 0
    attributed_right: int = 0
    sentences: int = 0
    ceiling: dict[int, int] | None = None

    def __post_init__(self) -> None:
        self.found = dict.fromkeys(TOP, 0)
        self.lead = dict.fromkeys(TOP, 0)
        self.ceiling = dict.fromkeys(TOP, 0)

    def add(self, other: Counts) -> None:
        assert self.found is not None and self.lead is not None
        assert other.found is not None and other.lead is not None
        self.quotes += other.quotes
        self.claimants += other.claimants
        self.kinds += other.kinds
        self.facts += other.facts
        self.attributed += other.attributed
        self.attributed_right += other.attributed_right
        self.sentences += other.sentences
        assert self.ceiling is not None and other.ceiling is not None
        for k in TOP:
            self.found[k] += other.found[k]
            self.lead[k] += other.lead[k]
            self.ceiling[k] += other.ceiling[k]


def corpus() -> tuple[list[dict[str, object]], list[Quote], list[dict[str, object]]]:
    """The seed articles (source records with text), their curated quotes, the entities."""
    records = [
        json.loads(line)
        for line in (REPO / "seeds" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    sources = [r for r in records if r["type"] == "source" and r.get("text")][:ARTICLES]
    keys = {r["id"]: r["key"] for r in sources}
    kinds = {r["id"]: r["kind"] for r in records if r["type"] == "claim"}
    quotes = [
        Quote(keys[r["source_id"]], r["start"], r["end"], r["claimant"] or "", kinds[r["claim_id"]])
        for r in records
        if r["type"] == "appearance" and r["source_id"] in keys and r["start"] is not None
    ]
    entities = [r for r in records if r["type"] == "entity"]
    return sources, quotes, entities


def _spellings(entities: Iterable[dict[str, object]]) -> dict[str, int]:
    from factcheck.text import fold

    found: dict[str, int] = {}
    for number, entity in enumerate(entities):
        aliases = entity["aliases"]
        assert isinstance(aliases, list)
        for name in [entity["name"], *aliases]:
            found[fold(str(name))] = number
    return found


def claimant_right(
    guess: str | None, curated: str, author: str | None, spellings: dict[str, int]
) -> bool:
    from factcheck.text import fold

    if guess is None:
        return curated == author or (author is None and curated.startswith("unknown author"))
    a, b = fold(guess), fold(curated)
    return a == b or (a in spellings and spellings[a] == spellings.get(b))


def is_author(curated: str, author: str | None) -> bool:
    return curated == author or (author is None and curated.startswith("unknown author"))


def build(with_entities: bool, workdir: Path) -> Path:
    """A new database holding the seed articles (and, `with_entities`, the corpus's
    entities), no claims."""
    from factcheck.db.database import Database
    from factcheck.schemas import EntityIn, SourceIn
    from factcheck.services.entities import add_entity
    from factcheck.services.sources import add_source

    sources, _, entities = corpus()
    path = workdir / f"extract-{int(with_entities)}.db"
    database = Database(str(path), "eval")
    try:
        database.ensure_schema()
        with database.store(write=True) as store:
            for source in sources:
                add_source(
                    store,
                    SourceIn(
                        key=source["key"],
                        title=source["title"],
                        author=source["author"],
                        text=source["text"],
                    ),
                )
            if with_entities:
                for entity in entities:
                    add_entity(
                        store,
                        EntityIn(
                            name=entity["name"], kind=entity["kind"], aliases=entity["aliases"]
                        ),
                    )
    finally:
        database.close()
    return path


def evaluate(path: Path) -> dict[str, Counts]:
    """The counts of each article, extract run on the database at `path`."""
    from factcheck.db.database import Database
    from factcheck.schemas import ExtractQuery
    from factcheck.services.extraction import extract

    sources, quotes, entities = corpus()
    spellings = _spellings(entities)
    database = Database(str(path), "eval")
    results: dict[str, Counts] = {}
    try:
        for source in sources:
            key = str(source["key"])
            author = source["author"]
            with database.store() as store:
                found = extract(store, ExtractQuery(source=key))
            proposals = found.proposals
            by_text = sorted(proposals, key=lambda p: p.start)
            counts = Counts(sentences=len(proposals))
            held: dict[int, int] = {}  # curated quotes by the first sentence holding them
            for quote in (q for q in quotes if q.source == key):
                counts.quotes += 1
                covering = [p for p in proposals if p.start < quote.end and quote.start < p.end]
                if covering:
                    worst = max(p.rank for p in covering)
                    last = max(by_text.index(p) + 1 for p in covering)
                    for k in TOP:
                        counts.found[k] += worst <= k  # type: ignore[index]
                        counts.lead[k] += last <= k  # type: ignore[index]
                    held[covering[0].start] = held.get(covering[0].start, 0) + 1
                holder = next(
                    (p for p in proposals if p.start <= quote.start < p.end),
                    covering[0] if covering else None,
                )
                guess = holder.claimant if holder is not None else None
                counts.kinds += holder is not None and holder.kind == quote.kind
                counts.facts += quote.kind == "fact"
                right = claimant_right(guess, quote.claimant, author, spellings)  # type: ignore[arg-type]
                counts.claimants += right
                if not is_author(quote.claimant, author):  # type: ignore[arg-type]
                    counts.attributed += 1
                    counts.attributed_right += right
            # The most any ranking could find in K sentences: those holding the most quotes.
            most = sorted(held.values(), reverse=True)
            counts.ceiling = {k: sum(most[:k]) for k in TOP}
            results[key] = counts
    finally:
        database.close()
    return results


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def total(results: dict[str, Counts]) -> Counts:
    summed = Counts()
    for counts in results.values():
        summed.add(counts)
    return summed


def table(results: dict[str, Counts]) -> list[str]:
    head = "| article | sentences | quotes | " + " | ".join(f"found@{k} | lead@{k}" for k in TOP)
    lines = [
        head + " | kind right | claimant right | attributed right |",
        "|---|---:|---:|" + "---:|---:|" * len(TOP) + "---:|---:|---:|",
    ]
    for key, counts in [*results.items(), ("all five", total(results))]:
        assert counts.found is not None and counts.lead is not None
        cells = [
            key,
            str(counts.sentences),
            str(counts.quotes),
            *(
                cell
                for k in TOP
                for cell in (
                    _share(counts.found[k], counts.quotes),
                    _share(counts.lead[k], counts.quotes),
                )
            ),
            _share(counts.kinds, counts.quotes),
            _share(counts.claimants, counts.quotes),
            f"{_share(counts.attributed_right, counts.attributed)} "
            f"({counts.attributed_right}/{counts.attributed})",
        ]
        if key == "all five":
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    summed = total(results)
    assert summed.ceiling is not None
    best = ", ".join(f"{_share(summed.ceiling[k], summed.quotes)}@{k}" for k in TOP)
    lines += [
        "",
        f"The most any ranking could find (the sentences holding most quotes): {best}. "
        f"Guessing `fact` every time gets the kind right for "
        f"{_share(summed.facts, summed.quotes)}.",
    ]
    return lines


def ablation(paths: list[Path]) -> list[str]:
    """found@K over all five articles with each signal's weight set to 0 in turn, on each of
    the databases (empty, entities known)."""
    from factcheck.extract import scoring

    lines = [
        "| signals | "
        + " | ".join(f"found@{k} {setting}" for setting in ("empty", "entities") for k in TOP)
        + " |",
        "|---|" + "---:|" * len(TOP) * len(paths),
    ]
    for name in [None, *scoring.WEIGHTS]:
        kept = dict(scoring.WEIGHTS)
        if name is not None:
            scoring.WEIGHTS[name] = 0.0
        try:
            summed = [total(evaluate(path)) for path in paths]
        finally:
            scoring.WEIGHTS.update(kept)
        cells = [_share(s.found[k], s.quotes) for s in summed for k in TOP]  # type: ignore[index]
        label = "all signals" if name is None else f"without {name}"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="no ablation")
    args = parser.parse_args()
    out = [
        "## Claim extraction",
        "",
        f"`python bench/extract_eval.py{' --quick' if args.quick else ''}`",
        "",
        "The curated claims of the five seed articles (their quotes in `seeds/corpus.jsonl`) "
        "against what `factcheck extract` proposes for each article. found@K: the share of "
        "curated quotes lying in sentences ranked within the top K proposals of their "
        "article; lead@K, the peer: within the article's first K sentences. kind right: the "
        "kind guessed for the sentence is the curated claim's. claimant right: "
        "the guessed claimant (else the author) is the curated one, folded, or another "
        "spelling of the same entity; attributed right: the same over the quotes the "
        "curators attributed to someone other than the author. The weights are round "
        "numbers, not fitted; the signals were written while reading the output on these "
        "articles, so expect less on unseen ones.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        paths = [build(False, Path(tmp)), build(True, Path(tmp))]
        for path, title in zip(
            paths,
            (
                "Empty database: no entities known (as on an article on a new topic)",
                "With the corpus's entities and their spellings known",
            ),
            strict=True,
        ):
            progress(f"extract: {title}")
            out += [f"### {title}", "", *table(evaluate(path)), ""]
        if not args.quick:
            progress("extract: each signal switched off in turn")
            out += ["### Each signal switched off in turn", "", *ablation(paths), ""]
    print("\n".join(out).rstrip())


if __name__ == "__main__":
    main()

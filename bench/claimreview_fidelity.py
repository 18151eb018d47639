"""How much of a ClaimReview survives factcheck: the corpus of real ClaimReview items in
tests/data/claimreview (see its README for where each came from) is imported into a new
database, exported as a ClaimReview feed, that feed imported into a second new database and
exported again. For every field fact-checkers publish that factcheck keeps (the claim, the
review's page, its author, the rating with its scale, where the claim appeared, who wrote the
works it appeared in and who made it),
the figures count the items that carry it and, of those, the items whose export still carries
the same value after the first import and after the round trip. The exports are also checked
against the properties Google's Fact Check markup documentation requires (`url`,
`claimReviewed`, `reviewRating` with `alternateName`) and recommends (a named `author`; an
`itemReviewed` with the claim's `author` and `appearance` where the source gave them).

Values are compared as JSON-LD means them, not byte for byte: a list of one is its one value,
numbers written as strings are numbers, surrounding white space is not part of a text, and an
author's type is compared as a person or an organisation (a NewsMediaOrganization is an
organisation), and again as published ("schema type": a NewsMediaOrganization is one). An
appearance counts as kept when its URL is among the exported appearances, an appearance's
author when its name is among the exported appearances' authors.
The items are read here on their own terms, not with factcheck's reader, so that a mistake of
the reader shows up as a loss instead of being measured against itself.

    .venv/bin/python bench/claimreview_fidelity.py

Progress on stderr; one Markdown section on stdout; exit 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import run_factcheck_sequence
from bench.startup import progress

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "claimreview"

# The fields the measure follows, in the order the figures list them.
FIELDS = (
    "claimReviewed",
    "url",
    "author name",
    "author type",
    "author schema type",
    "rating alternateName",
    "rating ratingValue",
    "rating bestRating",
    "rating worstRating",
    "appearance urls",
    "claim author name",
    "claim author type",
    "claim author schema type",
    "appearance authors",
)


def _one(value: Any) -> Any:
    """A JSON-LD value: a list of one is that value (of several, the first)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: Any) -> str | None:
    value = _one(value)
    if isinstance(value, dict):
        return _text(value.get("name"))
    return value.strip() or None if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    value = _one(value)
    if isinstance(value, bool):
        return None
    try:
        return float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None


def _kind(agent: Any) -> str | None:
    """A named author's type as a person or an organisation (None when untyped or unnamed)."""
    agent = _one(agent)
    if not isinstance(agent, dict) or _text(agent) is None:
        return None
    found = agent.get("@type")
    types = [t.rsplit("/", 1)[-1] for t in (found if isinstance(found, list) else [found])
             if isinstance(t, str)]  # fmt: skip
    if "Person" in types:
        return "person"
    if any(t.endswith("Organization") for t in types):
        return "organisation"
    return None


def _schema_type(agent: Any) -> str | None:
    """A named author's schema.org type as published (NewsMediaOrganization), for the types
    `_kind` knows; None when untyped, unnamed or of another type."""
    agent = _one(agent)
    if _kind(agent) is None:
        return None
    found = agent.get("@type")
    listed = found if isinstance(found, list) else [found]
    types = [t.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in listed if isinstance(t, str)]
    return next((t for t in types if t == "Person" or t.endswith("Organization")), None)


def _work_authors(value: Any) -> Iterator[str]:
    """The names of the authors of the works a claim appeared in (who wrote the article)."""
    for work in value if isinstance(value, list) else [value]:
        name = _text(work.get("author")) if isinstance(work, dict) else None
        if name:
            yield name


def _works(value: Any) -> Iterator[str]:
    """The URLs of the works a claim appeared in: a URL, a CreativeWork, or a list of them."""
    for work in value if isinstance(value, list) else [value]:
        url = _one(work.get("url")) if isinstance(work, dict) else work
        if isinstance(url, str) and url.strip():
            yield url.strip()


def fields(review: dict[str, Any]) -> dict[str, Any]:
    """The values of FIELDS in one ClaimReview item (None where it has none)."""
    rating = _one(review.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    item = _one(review.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    urls = {
        *_works(item.get("appearance")),
        *_works(item.get("firstAppearance")),
        *_works(item.get("url")),
    }
    return {
        "claimReviewed": _text(review.get("claimReviewed")),
        "url": _text(review.get("url")),
        "author name": _text(review.get("author")),
        "author type": _kind(review.get("author")),
        "author schema type": _schema_type(review.get("author")),
        "rating alternateName": _text(rating.get("alternateName")),
        "rating ratingValue": _number(rating.get("ratingValue")),
        "rating bestRating": _number(rating.get("bestRating")),
        "rating worstRating": _number(rating.get("worstRating")),
        "appearance urls": frozenset(urls) or None,
        "claim author name": _text(item.get("author")),
        "claim author type": _kind(item.get("author")),
        "claim author schema type": _schema_type(item.get("author")),
        "appearance authors": frozenset(
            [*_work_authors(item.get("appearance")), *_work_authors(item.get("firstAppearance"))]
        )
        or None,
    }


def kept(name: str, source: Any, exported: Any) -> bool:
    """Whether an exported value keeps the source's: the same value, and for appearances every
    source URL among the exported ones (a claim reviewed twice gathers the appearances of
    both reviews)."""
    if name in ("appearance urls", "appearance authors"):
        return exported is not None and source <= exported
    return bool(source == exported)


def google_problems(review: dict[str, Any], source: dict[str, Any]) -> list[str]:
    """What an exported item lacks of what Google's Fact Check markup documentation requires, and
    of what it recommends where the source item gave it."""
    found = fields(review)
    problems = [f"no {name}" for name in ("url", "claimReviewed") if not found[name]]
    if not found["rating alternateName"]:
        problems.append("no reviewRating.alternateName")
    if source["author name"] and not found["author name"]:
        problems.append("no named author")
    item = _one(review.get("itemReviewed"))
    if not isinstance(item, dict):
        problems.append("no itemReviewed")
    else:
        if source["claim author name"] and not found["claim author name"]:
            problems.append("no itemReviewed.author")
        if source["appearance urls"] and not found["appearance urls"]:
            problems.append("no itemReviewed.appearance")
    return problems


@dataclass
class Figures:
    files: int = 0
    items: int = 0
    # Items the import refused, by file and position, with the reason it gave.
    refused: list[str] = field(default_factory=list)
    present: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    on_import: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    on_export: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    # Each loss: item, field, source value, exported value (after import; after the round trip).
    losses: list[str] = field(default_factory=list)
    exported: int = 0
    # Exported items (of the round trip) and what each lacks of Google's properties.
    google: dict[str, list[str]] = field(default_factory=dict)

    @property
    def imported(self) -> int:
        return self.items - len(self.refused)


def _key(review: dict[str, Any]) -> tuple[str | None, str | None]:
    """What identifies a review in an export: its claim and its page."""
    found = fields(review)
    return found["claimReviewed"], found["url"]


Runner = Callable[..., None]


def measure(work: Path, corpus: Path = CORPUS, run: Runner = run_factcheck_sequence) -> Figures:
    """Import `corpus` into a new database under `work`, export, import the export into another
    new database, export again, and compare every item of the corpus with both exports."""
    files = sorted(corpus.glob("*.json"))
    first, second = work / "first.db", work / "second.db"
    feed, again = work / "feed.json", work / "again.json"
    commands = [["import", str(path), f"--rejects={work / (path.stem + '.rejects')}"]
                for path in files]  # fmt: skip
    run(first, *commands, ["export", "--format=claimreview", f"--output={feed}"])
    run(second, ["import", str(feed)], ["export", "--format=claimreview", f"--output={again}"])
    exports = [
        {_key(r): r for r in json.loads(path.read_text(encoding="utf-8"))["dataFeedElement"]}
        for path in (feed, again)
    ]
    figures = Figures(files=len(files), exported=len(exports[1]))
    for path in files:
        items = json.loads(path.read_text(encoding="utf-8"))
        figures.items += len(items)
        rejects = work / (path.stem + ".rejects")
        refused = {}
        if rejects.exists():
            for line in rejects.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                refused[row["row"]] = row["reason"]
        for number, review in enumerate(items, start=1):
            name = f"{path.name} #{number}"
            if number in refused:
                figures.refused.append(f"{name}: {refused[number]}")
                continue
            source = fields(review)
            after = [export.get(_key(review)) for export in exports]
            if after[1] is not None:
                figures.google[name] = google_problems(after[1], source)
            values = [fields(a) if a is not None else dict.fromkeys(FIELDS) for a in after]
            for field_name in FIELDS:
                if source[field_name] is None:
                    continue
                figures.present[field_name] += 1
                survived = [kept(field_name, source[field_name], v[field_name]) for v in values]
                figures.on_import[field_name] += survived[0]
                figures.on_export[field_name] += survived[1]
                if not all(survived):
                    figures.losses.append(
                        f"{name} {field_name}: {_show(source[field_name])} became "
                        f"{_show(values[0][field_name])}, then {_show(values[1][field_name])}"
                    )
    return figures


def _show(value: Any) -> str:
    if isinstance(value, frozenset):
        value = sorted(value)
    return json.dumps(value, ensure_ascii=False)


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "-"


def section(figures: Figures) -> str:
    lines = [
        "## ClaimReview fidelity",
        "",
        "`python bench/claimreview_fidelity.py`",
        "",
        f"{figures.items} ClaimReview items from {figures.files} public sources "
        "(tests/data/claimreview, provenance in its README); "
        f"{figures.imported} imported, {len(figures.refused)} refused with a reason. "
        "Each field: the imported items that carry it, and how many of those still carry the "
        "same value in the export (after import) and after exporting, importing that export "
        "into a new database and exporting again (after the round trip).",
        "",
        "| field | items with it | kept after import | kept after the round trip |",
        "|---|---:|---:|---:|",
    ]
    for name in FIELDS:
        whole = figures.present[name]
        lines.append(
            f"| {name} | {whole} | {_share(figures.on_import[name], whole)} "
            f"| {_share(figures.on_export[name], whole)} |"
        )
    complete = sum(not problems for problems in figures.google.values())
    lines += [
        "",
        f"Google's Fact Check markup properties: {complete} of {len(figures.google)} exported "
        "items have every required property (url, claimReviewed, reviewRating.alternateName) "
        "and the recommended ones their source gave (a named author; itemReviewed with the "
        "claim's author and appearance).",
        "",
    ]
    lines += [f"- refused: {reason}" for reason in figures.refused]
    lines += [f"- lost: {loss}" for loss in figures.losses]
    lines += [f"- incomplete for Google: {name}: {', '.join(problems)}"
              for name, problems in figures.google.items() if problems]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # bench/all.py passes --quick to every script; the corpus is small enough to run whole.
    parser.add_argument("--quick", action="store_true", help="the same run (the corpus is small)")
    parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        progress(f"importing {CORPUS} and exporting it twice")
        figures = measure(Path(tmp))
    sys.stdout.write(section(figures))


if __name__ == "__main__":
    main()

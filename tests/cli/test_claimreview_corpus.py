"""ClaimReview as fact-checkers publish it: every item of the corpus in tests/data/claimreview
(real items from public sources, provenance in its README) is imported, exported, imported into
another database and exported again, and keeps every field factcheck follows; the export has
the properties Google's Fact Check markup documentation asks for. bench/claimreview_fidelity.py
prints the same figures."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from bench.claimreview_fidelity import CORPUS, FIELDS, Figures, fields, measure
from tests.helpers import ok


def _in_process(db: Path | str, *commands: Sequence[str]) -> None:
    """The commands run here rather than in a child process (bench/ starts one; its start-up
    is not what these tests are about)."""
    for command in commands:
        ok("--db", str(db), *command)


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Figures:
    return measure(tmp_path_factory.mktemp("corpus"), run=_in_process)


def _items() -> dict[str, dict[str, object]]:
    return {
        f"{path.name} #{n}": item
        for path in sorted(CORPUS.glob("*.json"))
        for n, item in enumerate(json.loads(path.read_text(encoding="utf-8")), start=1)
    }


def test_the_corpus_is_documented_and_varied() -> None:
    """Every file names its source in the README; the items come from several publishers, in
    several languages, with the variations publishers use."""
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert all(f"`{path.name}`" in readme for path in CORPUS.glob("*.json"))
    items = _items()
    assert len(items) >= 14
    found = [fields(item) for item in items.values()]
    assert len({f["author name"] for f in found if f["author name"]}) >= 5
    assert {"Falso", "FAUX", "Vildledende", "False"} <= {f["rating alternateName"] for f in found}
    assert "organisation" in {f["author type"] for f in found}
    assert {"person", "organisation"} <= {f["claim author type"] for f in found}
    reviewed = [item.get("itemReviewed") for item in items.values()]
    shapes = {
        (key, type(claim[key]).__name__)
        for claim in reviewed
        if isinstance(claim, dict)
        for key in ("appearance", "firstAppearance", "url")
        if claim.get(key)
    }
    assert {("appearance", "dict"), ("appearance", "list"), ("firstAppearance", "dict"),
            ("url", "str")} <= shapes  # fmt: skip
    # Numbers as numbers and as strings; scales of every direction.
    values = [item["reviewRating"].get("ratingValue") for item in items.values()
              if isinstance(item.get("reviewRating"), dict)]  # fmt: skip
    assert {int, str} <= {type(v) for v in values}


def test_only_items_without_a_claim_or_a_rating_are_refused(figures: Figures) -> None:
    items = _items()
    assert figures.items == len(items)
    assert figures.imported >= 12
    for refusal in figures.refused:
        name, reason = refusal.split(": ", 1)
        source = fields(items[name])
        assert "no claimReviewed text" in reason or "no alternateName or ratingValue" in reason
        assert not source["claimReviewed"] or not (
            source["rating alternateName"] or source["rating ratingValue"] is not None
        )


def test_every_field_survives_import_and_the_round_trip(figures: Figures) -> None:
    assert figures.losses == []
    for name in FIELDS:
        assert figures.present[name] > 0, name
        assert figures.on_import[name] == figures.on_export[name] == figures.present[name], name


def test_the_export_has_what_google_asks_for(figures: Figures) -> None:
    """Google's documentation requires url, claimReviewed and reviewRating (with alternateName)
    and recommends a named author and the claim's author and appearance. The only gap allowed is
    a `url` the source did not give (factcheck does not invent one)."""
    items = _items()
    assert len(figures.google) == figures.imported
    for name, problems in figures.google.items():
        allowed = [] if fields(items[name])["url"] else ["no url"]
        assert problems == allowed, name

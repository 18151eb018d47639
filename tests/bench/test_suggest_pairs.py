"""The labelled pairs of bench/data/suggest_pairs.csv keep their shape and their provenance:
enough pairs of every relation in both halves, kinds that fit their relation, and texts that
are what their origin says (checked against AVeriTeC itself when ../shared/data has it)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest

from bench.suggest_eval import OWN
from tests.helpers import REPO

AVERITEC = REPO.parent / "shared" / "data" / "averitec" / "dev.json"
KINDS = {
    "contradicts": {"debunk", "negation", "correction", "quantity", "date"},
    "supports": {"evidence", "compatible-numbers", "restatement"},
    "duplicates": {"paraphrase", "restatement"},
    "none": {
        "same-topic",
        "same-template",
        "compatible-numbers",
        "negation-other",
        "debunk-other",
    },
}


def _rows() -> list[dict[str, str]]:
    with OWN.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_enough_pairs_of_every_relation_in_both_halves() -> None:
    rows = _rows()
    assert len(rows) >= 200
    assert [row["pair"] for row in rows] == [str(n) for n in range(1, len(rows) + 1)]
    halves = Counter((row["split"], row["relation"]) for row in rows)
    for split in ("tune", "held-out"):
        assert halves[(split, "contradicts")] >= 40, split
        assert halves[(split, "none")] >= 40, split
        assert halves[(split, "supports")] + halves[(split, "duplicates")] >= 30, split
    assert set(halves) == {(s, r) for s in ("tune", "held-out") for r in KINDS}
    # The README states the count.
    assert f"holds {len(rows)} pairs" in (OWN.parent / "README.md").read_text(encoding="utf-8")


def test_kinds_fit_their_relation_and_no_pair_repeats() -> None:
    seen: set[frozenset[str]] = set()
    for row in _rows():
        assert row["kind"] in KINDS[row["relation"]], row["pair"]
        texts = frozenset((row["text_a"], row["text_b"]))
        assert len(texts) == 2 and texts not in seen, row["pair"]
        seen.add(texts)


def test_every_pair_names_its_source_items_and_split_by_them() -> None:
    for row in _rows():
        assert row["source"] == "averitec-dev"
        assert re.fullmatch(r"\d+( \d+)?", row["items"]), row["pair"]
        first = min(int(item) for item in row["items"].split())
        assert row["split"] == ("tune" if first % 2 == 0 else "held-out"), row["pair"]
        assert {row["origin_a"], row["origin_b"]} <= {"claim", "written"}


@pytest.mark.skipif(not AVERITEC.exists(), reason="the AVeriTeC data is not here")
def test_texts_marked_claim_are_their_items_claims() -> None:
    claims = [" ".join(item["claim"].split()) for item in json.loads(AVERITEC.read_text())]
    for row in _rows():
        items = {claims[int(item)] for item in row["items"].split()}
        for side in ("a", "b"):
            text = row[f"text_{side}"]
            if row[f"origin_{side}"] == "claim":
                assert text in items, (row["pair"], side)
            else:
                assert text not in claims, (row["pair"], side)

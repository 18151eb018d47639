"""The set-based claim loader, which every read of claims uses, against the seed corpus's own
records: each claim's text, kind, tags, entities, appearances and current verdict."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from factcheck.schemas import ClaimOut
from factcheck.services.claim_rows import claims_in_order, load_claims
from tests.helpers import SEEDS, ok


def _corpus() -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (SEEDS / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        records[record["type"]].append(record)
    return records


@pytest.mark.usefixtures("seeded_backend")
def test_loaded_claims_are_the_corpus_records() -> None:
    # A claim with several verdicts (the newest is current), evidence and a new tag.
    ok("verdict", "set", "43", "true", "--evidence", "https://example.org/a", "--note", "newer")
    ok("claim", "edit", "43", "--tag", "extra")
    corpus = _corpus()
    entities = {e["id"]: e["name"] for e in corpus["entity"]}
    appearances: dict[int, list[int]] = defaultdict(list)
    for a in corpus["appearance"]:
        appearances[a["claim_id"]].append(a["id"])
    verdicts = {v["claim_id"]: v for v in corpus["verdict"]}  # in file order: the last is current
    database = Database(resolve_url(), "tester")
    try:
        with database.store() as store:
            loaded = load_claims(store, "SELECT id FROM claims")
            assert sorted(loaded) == [c["id"] for c in corpus["claim"]]
            for record in corpus["claim"]:
                claim = loaded[record["id"]]
                assert (claim.text, claim.kind, claim.notes) == (
                    record["text"],
                    record["kind"],
                    record["notes"],
                )
                assert claim.entities == [entities[e] for e in record["entities"]]
                assert [a.id for a in claim.appearances] == appearances[record["id"]]
                if record["id"] == 43:
                    assert claim.tags == [*record["tags"], "extra"]
                    assert claim.verdict is not None and claim.verdict.note == "newer"
                    assert [e.url for e in claim.verdict.evidence] == ["https://example.org/a"]
                    continue
                assert claim.tags == record["tags"]
                assert claim.verdict is not None
                expected = verdicts[record["id"]]
                assert (claim.verdict.id, claim.verdict.label, claim.verdict.note) == (
                    expected["id"],
                    expected["label"],
                    expected["note"],
                )
                assert len(claim.verdict.evidence) == len(expected["evidence"])
            ids = sorted(loaded)
            some = [ids[5], ids[0], 10**9, ids[3]]
            assert claims_in_order(store, some) == [loaded[i] for i in (ids[5], ids[0], ids[3])]
            assert claims_in_order(store, []) == []
    finally:
        database.close()


@pytest.mark.usefixtures("seeded_backend")
def test_loaded_claims_are_valid_claims() -> None:
    """The loader builds claims without validating them: each is what validating its own data
    gives, field for field and byte for byte in JSON."""
    database = Database(resolve_url(), "tester")
    try:
        with database.store() as store:
            loaded = load_claims(store, "SELECT id FROM claims")
    finally:
        database.close()
    assert loaded
    for claim in loaded.values():
        validated = ClaimOut.model_validate(claim.model_dump())
        assert claim == validated
        assert claim.model_dump_json() == validated.model_dump_json()
        assert claim.model_fields_set == validated.model_fields_set

"""The batched claim loader the reports and search use gives what the ORM path gives."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.db import Database
from factcheck.db.engine import resolve_url
from factcheck.models import Claim
from factcheck.services.claim_rows import claims_in_order, load_claims
from factcheck.services.claims import claims_by_id
from tests.conftest import ok


@pytest.mark.usefixtures("backend")
def test_load_claims_matches_claims_by_id() -> None:
    ok("seed")
    # A claim with several verdicts (the newest is current), evidence, tags and an entity.
    ok("verdict", "set", "43", "true", "--evidence", "https://example.org/a", "--note", "newer")
    ok("claim", "edit", "43", "--tag", "extra")
    database = Database(resolve_url(), "tester")
    try:
        with database.read() as session:
            ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
            expected = claims_by_id(session, ids)
            loaded = load_claims(session, select(Claim.id))
            assert [loaded[i] for i in ids] == expected
            assert any(c.entities for c in expected) and any(c.verdict for c in expected)
            assert loaded[43].verdict is not None and loaded[43].verdict.note == "newer"
            some = [ids[5], ids[0], 10**9, ids[3]]
            assert claims_in_order(session, some) == claims_by_id(session, some)
            assert claims_in_order(session, []) == []
    finally:
        database.close()

"""Revision 0016: entities keep the schema.org type an import read (issue 17: a
NewsMediaOrganization was written back as an Organization)."""

import json
from pathlib import Path

from tests.helpers import ok

REVIEW = {
    "@type": "ClaimReview",
    "url": "https://desk.example/review",
    "claimReviewed": "The bridge was built in a week",
    "author": {"@type": "NewsMediaOrganization", "name": "Desk"},
    "reviewRating": {"@type": "Rating", "alternateName": "False"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A mayor"}},
}


def _author(*db: str) -> object:
    feed = json.loads(ok(*db, "export", "--format=claimreview").stdout)
    return feed["dataFeedElement"][0]["author"]


def test_down_and_up_keeps_the_entities_and_their_history(tmp_path: Path, backend: str) -> None:
    """Going down to 0015 drops the column (its types with it: the export then writes the
    entity's kind, an Organization); the entities, their history and every other row stay, and
    going up again the column is back, recorded in history like the others."""
    path = tmp_path / "review.json"
    path.write_text(json.dumps(REVIEW), encoding="utf-8")
    ok("import", str(path))
    assert _author() == {"@type": "NewsMediaOrganization", "name": "Desk"}
    entities = ok("entity", "list", "--json").json()
    logged = len(ok("log", "--json", "--table=entities").json())
    ok("db", "downgrade", "0015", "--yes")
    assert "0015" in ok("db", "current").stdout
    ok("db", "upgrade")
    assert ok("entity", "list", "--json").json() == entities
    assert ok("db", "check", "--json").json()["ok"] is True
    assert _author() == {"@type": "Organization", "name": "Desk"}
    ok("entity", "add", "Another desk", "--kind=organisation")
    history = ok("log", "--json", "--table=entities").json()
    assert len(history) == logged + 1
    assert "schema_type" in json.dumps(history[0])

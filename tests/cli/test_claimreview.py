"""schema.org ClaimReview: the export's shape, and lenient import of real-world variants."""

import json
from pathlib import Path

import pytest

from tests.helpers import dump, fails, ok


def test_export_is_a_datafeed_of_claimreviews(tmp_path: Path, corpus: dict[str, int]) -> None:
    ok("verdict", "set", str(corpus["respond"]), "mostly-true", "--note", "It did respond")
    feed = json.loads(ok("export", "--format", "claimreview").stdout)
    assert (feed["@context"], feed["@type"]) == ("https://schema.org", "DataFeed")
    (item,) = feed["dataFeedElement"]  # only claims with a verdict are reviews
    assert item["@type"] == "ClaimReview"
    assert item["claimReviewed"] == "Iran will respond to the killing of Soleimani"
    assert item["reviewRating"] == {
        "@type": "Rating", "alternateName": "mostly-true", "ratingValue": 4.0,
        "bestRating": 5.0, "worstRating": 1.0, "ratingExplanation": "It did respond"}  # fmt: skip
    claim = item["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Afshon Ostovar"}
    assert claim["datePublished"] == "2020-01-03"
    assert claim["firstAppearance"]["identifier"] == "politico"
    assert item["author"]["name"] == "tester"
    assert item["datePublished"]


def test_the_feed_embeds_in_a_script_element_as_it_is(
    tmp_path: Path, corpus: dict[str, int]
) -> None:
    """Pasted into `<script type="application/ld+json">`, no claim can end the script or open
    an HTML comment: < > & are JSON escapes, and the feed reads back to the same texts."""
    text = "Iran said </script><script>alert(1)</script> <!-- & -->"
    ok("claim", "edit", str(corpus["respond"]), f"--text={text}")
    ok("verdict", "set", str(corpus["respond"]), "false", "--note=<b>R&D</b>")
    path = tmp_path / "feed.json"
    ok("export", "--format=claimreview", f"--output={path}")
    content = path.read_text(encoding="utf-8")
    assert not {"<", ">", "&"} & set(content)
    assert "\\u003c/script\\u003e" in content
    (item,) = json.loads(content)["dataFeedElement"]
    assert item["claimReviewed"] == text
    assert item["reviewRating"]["ratingExplanation"] == "<b>R&D</b>"
    other = str(tmp_path / "other.db")
    ok("--db", other, "import", str(path))
    assert ok("--db", other, "claim", "list", "--json").json()[0]["text"] == text


VARIANTS = {
    "datafeed": {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [{
        "@type": "ClaimReview", "claimReviewed": "Claim one", "url": "https://fc.example/1",
        "datePublished": "2021-03-04T10:00:00Z",
        "reviewRating": {"ratingValue": "1", "bestRating": "5", "worstRating": "1",
                         "alternateName": "False"},
        "itemReviewed": {"appearance": "https://news.example/story"}}]}]},
    "list": [{"claimReviewed": "Claim two", "url": "https://fc.example/2",
              "reviewRating": {"alternateName": "Mostly true"},
              "itemReviewed": {"author": {"name": "A. Speaker"}, "appearance": [
                  {"url": "https://a.example", "headline": "A"}, {"url": "https://b.example"}]}}],
    "single": {"@type": "ClaimReview", "claimReviewed": "Claim three",
               "reviewRating": {"alternateName": "Unproven"},
               "itemReviewed": {"firstAppearance": {"url": "https://c.example"}}},
}  # fmt: skip


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_real_world_variants_import(tmp_path: Path, variant: str) -> None:
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(VARIANTS[variant]), encoding="utf-8")
    summary = ok("import", str(path), "--json").json()
    assert summary["added"]["claim"] == 1
    assert set(ok("import", str(path), "--json").json()["added"].values()) == {0}
    claim = ok("claim", "list", "--json").json()[0]
    polarity = {"datafeed": "refuted", "list": "mixed", "single": "none"}[variant]
    assert claim["verdict"]["polarity"] == polarity
    assert claim["verdict"]["scale"] == "claimreview"
    if variant == "list":
        assert [a["claimant"] for a in claim["appearances"]] == ["A. Speaker", "A. Speaker"]
        assert len(claim["appearances"]) == 2
    if variant == "datafeed":
        assert claim["verdict"]["evidence"][0]["url"] == "https://fc.example/1"
        assert claim["verdict"]["created_at"].startswith("2021-03-04")


def test_export_imports_into_an_empty_database(tmp_path: Path, corpus: dict[str, int]) -> None:
    ok("verdict", "set", str(corpus["respond"]), "false")
    ok("verdict", "set", str(corpus["no_revenge"]), "unverifiable")
    path = tmp_path / "feed.json"
    ok("export", "--format", "claimreview", "--output", str(path))
    other = str(tmp_path / "other.db")
    assert ok("--db", other, "import", str(path), "--json").json()["added"]["verdict"] == 2
    verdicts = {c["text"]: c["verdict"]["polarity"] for c in
                ok("--db", other, "claim", "list", "--json").json()}  # fmt: skip
    assert verdicts["Iran will respond to the killing of Soleimani"] == "refuted"


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"@type": "DataFeed", "dataFeedElement": []}', "has no ClaimReview items"),
        ('[{"claimReviewed": "", "reviewRating": {"alternateName": "x"}}]', "no claimReviewed"),
        ('[{"claimReviewed": "x", "reviewRating": {}}]', "no alternateName or ratingValue"),
        ('{"claimReviewed": ', "not valid JSON"),
    ],
)
def test_malformed_reviews_change_nothing(
    tmp_path: Path, db_path: Path, content: str, message: str
) -> None:
    ok("init")
    before = dump(db_path)
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert message in fails("import", "--format", "claimreview", str(path)).stderr
    assert dump(db_path) == before


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("escape", "reason"),
    [("\\ud800", "text contains a lone surrogate"), ("\\u0000", "text contains a NUL character")],
)
def test_text_that_cannot_be_stored_is_refused_at_the_door(
    tmp_path: Path, db_path: Path, escape: str, reason: str
) -> None:
    """Found by the malformed-file battery: a lone surrogate in an appearance's URL reached the
    source key's hash as an unexpected error. Such text (or a NUL) is refused, naming the file."""
    ok("init")
    before = dump(db_path)
    feed = tmp_path / "feed.json"
    feed.write_text(
        '[{"@type": "ClaimReview", "claimReviewed": "A claim", "url": "https://r.example/1", '
        '"reviewRating": {"alternateName": "False"}, "itemReviewed": {"appearance": '
        f'[{{"url": "https://a.example/{escape}"}}]}}}}]',
        encoding="utf-8",
    )
    assert reason in fails("import", str(feed)).stderr
    assert dump(db_path) == before

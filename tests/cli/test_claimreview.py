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


PUBLISHED = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example/reviews/moon",
    "claimReviewed": "The moon landing was filmed in a studio",
    "datePublished": "2024-05-02",
    "author": {"@type": "Organization", "name": "Example Check"},
    "reviewRating": {
        "@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
        "alternateName": "False", "ratingExplanation": "Footage and samples say otherwise",
    },
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A blogger"},
        "appearance": {"@type": "CreativeWork", "url": "https://blog.example/moon",
                       "headline": "The truth about the moon"},
    },
}  # fmt: skip


def _as_lists(value: object) -> object:
    """Every property (but @context and @type) wrapped in a list of one, as some publishers
    write them."""
    if isinstance(value, dict):
        return {k: v if k.startswith("@") else [_as_lists(v)] for k, v in value.items()}
    return value


def test_a_list_of_one_is_the_value(tmp_path: Path, db_path: Path) -> None:
    plain, listed = tmp_path / "plain.json", tmp_path / "listed.json"
    plain.write_text(json.dumps(PUBLISHED), encoding="utf-8")
    listed.write_text(json.dumps(_as_lists(PUBLISHED)), encoding="utf-8")
    other = tmp_path / "other.db"
    ok("import", str(plain))
    ok("--db", str(other), "import", str(listed))
    assert ok("--db", str(other), "export").stdout == ok("export").stdout
    (listed_claim,) = ok("claim", "list", "--json").json()
    claim = ok("claim", "show", str(listed_claim["id"]), "--json").json()
    assert claim["text"] == PUBLISHED["claimReviewed"]
    assert claim["verdict"]["label"] == "False"
    source = claim["appearances"][0]["source_key"]
    assert ok("source", "show", source, "--json").json()["url"] == "https://blog.example/moon"


@pytest.mark.hostile
@pytest.mark.parametrize("key", ["claimReviewed", "reviewRating", "itemReviewed"])
def test_a_review_of_several_claims_or_ratings_is_refused(
    tmp_path: Path, db_path: Path, key: str
) -> None:
    ok("init")
    before = dump(db_path)
    path = tmp_path / "several.json"
    path.write_text(json.dumps({**PUBLISHED, key: [PUBLISHED[key], PUBLISHED[key]]}))
    result = fails("import", str(path), "--format", "claimreview")
    assert f"review 1: {key} has 2 values" in result.stderr
    assert dump(db_path) == before

"""schema.org ClaimReview: the export's shape, and lenient import of real-world variants."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    new_db: Callable[[str], Path], tmp_path: Path, corpus: dict[str, int]
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
    other = str(new_db("other"))
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
    # A rating with a value and a range is on a scale of that range, which keeps them.
    scale = {"datafeed": "claimreview-1-to-5"}.get(variant, "claimreview")
    assert claim["verdict"]["scale"] == scale
    if variant == "list":
        assert [a["claimant"] for a in claim["appearances"]] == ["A. Speaker", "A. Speaker"]
        assert len(claim["appearances"]) == 2
    if variant == "datafeed":
        assert claim["verdict"]["evidence"][0]["url"] == "https://fc.example/1"
        assert claim["verdict"]["created_at"].startswith("2021-03-04")


def test_export_imports_into_an_empty_database(
    new_db: Callable[[str], Path], tmp_path: Path, corpus: dict[str, int]
) -> None:
    ok("verdict", "set", str(corpus["respond"]), "false")
    ok("verdict", "set", str(corpus["no_revenge"]), "unverifiable")
    path = tmp_path / "feed.json"
    ok("export", "--format", "claimreview", "--output", str(path))
    other = str(new_db("other"))
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


def test_a_list_of_one_is_the_value(
    new_db: Callable[[str], Path], tmp_path: Path, db_path: Path
) -> None:
    plain, listed = tmp_path / "plain.json", tmp_path / "listed.json"
    plain.write_text(json.dumps(PUBLISHED), encoding="utf-8")
    listed.write_text(json.dumps(_as_lists(PUBLISHED)), encoding="utf-8")
    other = new_db("other")
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


def _feed(*db: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(ok(*db, "export", "--format=claimreview").stdout)[
        "dataFeedElement"
    ]
    return sorted(items, key=lambda item: item["claimReviewed"])


def _without_ids(value: object) -> object:
    """A feed item without the identifiers each database gives (claim ids, source keys)."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "identifier"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def test_export_import_export_keeps_sources_appearances_and_authors(
    new_db: Callable[[str], Path], tmp_path: Path, corpus: dict[str, int]
) -> None:
    """Issue 16: the export imported into a fresh database put every claim under one source and
    dropped the quotes. Each appearance now goes out with its page's URL, headline and quote,
    and comes back as a source of its own with the same appearance, claimant and types."""
    ok("source", "edit", "politico", "--url=https://politico.example/soleimani")
    ok("entity", "add", "Editorial Team", "--kind=organisation")
    ok("claim", "cite", str(corpus["no_revenge"]), "--source=revenge", "--claimant=Editorial Team")
    ok("verdict", "set", str(corpus["respond"]), "true")
    ok("verdict", "set", str(corpus["no_revenge"]), "mostly-true")
    first = _feed()
    revenge, politico = first[0]["itemReviewed"], first[1]["itemReviewed"]["appearance"][0]
    assert politico["url"] == "https://politico.example/soleimani"
    quote = ok("claim", "show", str(corpus["respond"]), "--json").json()["appearances"][0]["quote"]
    assert politico["text"] == quote
    assert "author" not in politico  # the source names no author: the claimant is the claim's
    assert first[1]["itemReviewed"]["author"] == {"@type": "Person", "name": "Afshon Ostovar"}
    assert "url" not in revenge["appearance"][0]  # the source has no URL: none is made up
    # The article's author wrote the work; an entity of that name says it is an organisation.
    assert revenge["appearance"][0]["author"] == {"@type": "Organization", "name": "Editorial Team"}
    assert [item["identifier"] for item in first] == [
        f"urn:factcheck:claim:{corpus['no_revenge']}",
        f"urn:factcheck:claim:{corpus['respond']}",
    ]
    assert all("url" not in item for item in first)  # no page was published for these verdicts

    path, other = tmp_path / "feed.json", str(new_db("other"))
    ok("export", "--format=claimreview", f"--output={path}")
    ok("--db", other, "import", str(path))
    sources = ok("--db", other, "source", "list", "--json").json()
    assert sorted(s["title"] for s in sources) == [
        "Iran Fails to Execute the 'Hard Revenge'", "Soleimani killed"]  # fmt: skip
    urls = {ok("--db", other, "source", "show", s["key"], "--json").json()["url"] for s in sources}
    assert urls == {"https://politico.example/soleimani", None}
    claims = ok("--db", other, "claim", "list", "--json").json()
    quotes = {c["text"]: [(a["quote"], a["claimant"]) for a in c["appearances"]] for c in claims}
    assert quotes["Iran will respond to the killing of Soleimani"] == [(quote, "Afshon Ostovar")]
    assert _without_ids(_feed("--db", other)) == _without_ids(first)


def test_a_published_review_keeps_its_page_appearances_and_types(
    tmp_path: Path, db_path: Path
) -> None:
    """What a fact-checker publishes comes back out as published: the review's page as `url`,
    the publisher an Organization, the appearance's URL and headline, and the post named by
    `itemReviewed.url` as an appearance of its own."""
    published = {**PUBLISHED, "itemReviewed": {
        **PUBLISHED["itemReviewed"], "url": "https://social.example/post/1"}}  # fmt: skip
    path = tmp_path / "review.json"
    path.write_text(json.dumps(published), encoding="utf-8")
    ok("import", str(path))
    (item,) = _feed()
    assert item["url"] == "https://factcheck.example/reviews/moon"
    assert item["identifier"].startswith("urn:factcheck:claim:")
    assert item["author"] == {"@type": "Organization", "name": "Example Check"}
    claim = item["itemReviewed"]
    assert claim["author"] == {"@type": "Person", "name": "A blogger"}
    assert [(a.get("url"), a.get("headline")) for a in claim["appearance"]] == [
        ("https://blog.example/moon", "The truth about the moon"),
        ("https://social.example/post/1", "https://social.example/post/1"),
    ]
    # Read again, the export adds nothing: the same review, sources and entities.
    export = tmp_path / "export.json"
    ok("export", "--format=claimreview", f"--output={export}")
    assert set(ok("import", str(export), "--json").json()["added"].values()) <= {0}


def test_a_claim_with_no_known_appearance_is_exported_without_one(
    tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "review.json"
    bare = {k: v for k, v in PUBLISHED.items() if k != "itemReviewed"}
    path.write_text(json.dumps(bare), encoding="utf-8")
    ok("import", str(path))
    (item,) = _feed()
    assert item["itemReviewed"] == {"@type": "Claim"}


def test_an_author_typed_as_a_kind_of_organization_is_an_organization(
    new_db: Callable[[str], Path], tmp_path: Path, db_path: Path
) -> None:
    blogger = {"@type": "schema:Person", "name": "A blogger"}
    published = {**PUBLISHED, "author": {"@type": ["NewsMediaOrganization"], "name": "Desk"},
                 "itemReviewed": {**PUBLISHED["itemReviewed"], "author": blogger}}  # fmt: skip
    path = tmp_path / "review.json"
    path.write_text(json.dumps(published), encoding="utf-8")
    ok("import", str(path))
    kinds = {e["name"]: e["kind"] for e in ok("entity", "list", "--json").json()}
    assert kinds == {"Desk": "organisation", "A blogger": "person"}
    # Issue 17: the type read is the type written (it was written as an Organization).
    (item,) = _feed()
    assert item["author"] == {"@type": "NewsMediaOrganization", "name": "Desk"}
    # It is in the lossless dump too, and comes back from it.
    dump, other = tmp_path / "dump.jsonl", str(new_db("other"))
    ok("export", f"--output={dump}")
    assert '"schema_type":"NewsMediaOrganization"' in dump.read_text(encoding="utf-8")
    ok("--db", other, "import", str(dump))
    assert _feed("--db", other) == [item]


def test_a_publisher_that_is_a_plain_organization_makes_no_entity(
    tmp_path: Path, db_path: Path
) -> None:
    _import(tmp_path, PUBLISHED)
    assert [e["name"] for e in ok("entity", "list", "--json").json()] == ["A blogger"]
    assert _feed()[0]["author"] == {"@type": "Organization", "name": "Example Check"}


# The properties schema.org defines for each type the export writes (ClaimReview is a Review,
# a CreativeWork and a Thing; Claim and the appearances are CreativeWorks; Rating; Person and
# Organization), limited to those Google's fact-check markup documentation and this export use.
_THING = {"@type", "name", "url", "identifier"}
_CREATIVE_WORK = _THING | {"author", "datePublished", "headline", "text"}
PROPERTIES = {
    "ClaimReview": _CREATIVE_WORK | {"claimReviewed", "itemReviewed", "reviewRating"},
    "Claim": _CREATIVE_WORK | {"appearance", "firstAppearance"},
    "CreativeWork": _CREATIVE_WORK,
    "Rating": _THING | {"alternateName", "ratingValue", "bestRating", "worstRating",
                        "ratingExplanation"},
    "Person": _THING,
    "Organization": _THING,
}  # fmt: skip


def _undocumented(value: object) -> list[str]:
    if isinstance(value, list):
        return [bad for v in value for bad in _undocumented(v)]
    if not isinstance(value, dict):
        return []
    kind = value.get("@type")
    bad = [f"{kind}.{k}" for k in value if k not in PROPERTIES.get(str(kind), set())]
    return bad + [b for v in value.values() for b in _undocumented(v)]


def test_the_export_writes_only_documented_properties(
    tmp_path: Path, corpus: dict[str, int]
) -> None:
    ok("source", "edit", "politico", "--url=https://politico.example/soleimani")
    ok("verdict", "set", str(corpus["respond"]), "mostly-true", "--note=It did")
    path = tmp_path / "review.json"
    path.write_text(json.dumps({**PUBLISHED, "claimReviewed": "Another"}), encoding="utf-8")
    ok("import", str(path))
    feed = _feed()
    assert len(feed) == 2
    assert _undocumented(feed) == []
    # Google's required properties of a ClaimReview.
    assert all({"claimReviewed", "reviewRating"} <= item.keys() for item in feed)


def test_each_publisher_keeps_its_own_scale(tmp_path: Path, db_path: Path) -> None:
    """Issue 17: one publisher's "Falso" (4 of 6) was exported with the value another gave its
    "Falso" (1 of 5). Each review's value, best and worst go out as they came in."""

    def rated(claim: str, publisher: str, value: int, best: int) -> dict[str, Any]:
        return {**PUBLISHED, "claimReviewed": claim, "url": f"https://{publisher}.example/r",
                "author": {"@type": "Organization", "name": publisher},
                "reviewRating": {"alternateName": "Falso", "ratingValue": value,
                                 "bestRating": best, "worstRating": 1}}  # fmt: skip

    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([rated("Uno", "Chequeo", 4, 6), rated("Dos", "Verifica", 1, 5),
                                rated("Tres", "Verifica", 1, 5)]), encoding="utf-8")  # fmt: skip
    ok("import", str(path))
    ratings = {item["claimReviewed"]: item["reviewRating"] for item in _feed()}
    numbers = {claim: (r["ratingValue"], r["bestRating"], r["worstRating"])
               for claim, r in ratings.items()}  # fmt: skip
    assert numbers == {"Uno": (4, 6, 1), "Dos": (1, 5, 1), "Tres": (1, 5, 1)}
    assert {r["alternateName"] for r in ratings.values()} == {"Falso"}
    polarity = {c["text"]: c["verdict"]["polarity"] for c in ok("claim", "list", "--json").json()}
    assert polarity == {"Uno": "mixed", "Dos": "refuted", "Tres": "refuted"}


def test_reviews_without_a_page_are_told_apart_by_their_identifier(
    new_db: Callable[[str], Path], tmp_path: Path, corpus: dict[str, int]
) -> None:
    """Two claims worded alike with the same verdict, exported without a page each, are two
    reviews (their identifiers differ), not the same review twice."""
    text = "Iran will respond to the killing of Soleimani"
    ok("claim", "add", text, "--source=revenge")
    for claim in ok("claim", "list", "--json").json():
        ok("verdict", "set", str(claim["id"]), "false")
    path, other = tmp_path / "feed.json", str(new_db("other"))
    ok("export", "--format=claimreview", f"--output={path}")
    ok("--db", other, "import", str(path))
    texts = [c["text"] for c in ok("--db", other, "claim", "list", "--json").json()]
    assert texts.count(text) == 2


@pytest.mark.hostile
def test_a_rating_that_is_not_a_finite_number_has_no_value(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "review.json"
    rating = {"alternateName": "False", "ratingValue": "NaN", "bestRating": "inf", "worstRating": 1}
    path.write_text(json.dumps({**PUBLISHED, "reviewRating": rating}), encoding="utf-8")
    ok("import", str(path))
    (claim,) = ok("claim", "list", "--json").json()
    assert (claim["verdict"]["scale"], claim["verdict"]["value"]) == ("claimreview", None)
    assert "ratingValue" not in _feed()[0]["reviewRating"]


def test_the_claims_author_is_not_the_author_of_the_work_it_appeared_in(
    tmp_path: Path, db_path: Path
) -> None:
    """Found by the ClaimReview corpus (Google's own example): the claim is made by one author
    (`itemReviewed.author`) and reported in an article written by another (the appearance's
    `author`). The claimant is the claim's author, and the export says so."""
    appearance = {**PUBLISHED["itemReviewed"]["appearance"],
                  "author": {"@type": "Person", "name": "A reporter"}}  # fmt: skip
    published = {**PUBLISHED, "itemReviewed": {
        **PUBLISHED["itemReviewed"], "appearance": appearance}}  # fmt: skip
    path = tmp_path / "review.json"
    path.write_text(json.dumps(published), encoding="utf-8")
    ok("import", str(path))
    (claim,) = ok("claim", "list", "--json").json()
    assert [a["claimant"] for a in claim["appearances"]] == ["A blogger"]
    assert _feed()[0]["itemReviewed"]["author"] == {"@type": "Person", "name": "A blogger"}


def test_a_rating_with_only_a_best_value_keeps_it(tmp_path: Path, db_path: Path) -> None:
    """Found by the ClaimReview corpus (schema.org's example): a rating with a value and a best
    value but no worst, from an author without a name, kept its value and lost its best. Each
    bound given is part of the scale; different best values are different scales."""
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([
        {"claimReviewed": f"Claim {best}", "url": f"https://fc.example/{best}",
         "author": {"@type": "Organization", "url": "https://fc.example/"},
         "reviewRating": {"alternateName": "Pants on Fire", "ratingValue": 1, "bestRating": best}}
        for best in (6, 9)]), encoding="utf-8")  # fmt: skip
    ok("import", str(path))
    ratings = {item["claimReviewed"]: item["reviewRating"] for item in _feed()}
    assert {claim: (r["ratingValue"], r["bestRating"]) for claim, r in ratings.items()} == {
        "Claim 6": (1.0, 6.0), "Claim 9": (1.0, 9.0)}  # fmt: skip
    assert not any("worstRating" in r for r in ratings.values())


def _import(tmp_path: Path, reviews: object, *db: str) -> None:
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(reviews), encoding="utf-8")
    ok(*db, "import", str(path), "--format=claimreview")


def test_a_review_without_a_publishers_name_is_exported_without_one(
    tmp_path: Path, db_path: Path
) -> None:
    """Issue 17: a review whose publisher had no name went out as published by "factcheck"."""
    _import(
        tmp_path, {**PUBLISHED, "author": {"@type": "Organization", "url": "https://x.example"}}
    )
    (item,) = _feed()
    assert "author" not in item


def test_an_appearances_own_author_is_the_sources_and_comes_back(
    new_db: Callable[[str], Path], tmp_path: Path, db_path: Path
) -> None:
    """Issue 17: the author of the work a claim appeared in (a reporter quoting the claimant)
    was lost. It is the source's author, typed as read, and goes out as the appearance's."""
    appearance = {**PUBLISHED["itemReviewed"]["appearance"],
                  "author": {"@type": "NewsMediaOrganization", "name": "Moon Daily"}}  # fmt: skip
    _import(tmp_path, {**PUBLISHED, "itemReviewed": {**PUBLISHED["itemReviewed"],
                                                     "appearance": appearance}})  # fmt: skip
    (source,) = ok("source", "list", "--json").json()
    assert ok("source", "show", source["key"], "--json").json()["author"] == "Moon Daily"
    first = _feed()
    (work,) = first[0]["itemReviewed"]["appearance"]
    assert work["author"] == {"@type": "NewsMediaOrganization", "name": "Moon Daily"}
    assert first[0]["itemReviewed"]["author"] == {"@type": "Person", "name": "A blogger"}
    other = str(new_db("other"))
    _import(tmp_path, {"@type": "DataFeed", "dataFeedElement": first}, "--db", other)
    assert _feed("--db", other) == first


def test_who_set_a_verdict_does_not_come_back_as_an_organisation(
    new_db: Callable[[str], Path], tmp_path: Path, corpus: dict[str, int]
) -> None:
    """Issue 17: the researcher who set a verdict, exported as the review's (Organization)
    publisher, came back from the export as an organisation entity of that name."""
    ok("--as", "Alice Researcher", "verdict", "set", str(corpus["respond"]), "false")
    (item,) = _feed()
    assert item["author"] == {"@type": "Organization", "name": "Alice Researcher"}
    other = str(new_db("other"))
    _import(tmp_path, {"@type": "DataFeed", "dataFeedElement": [item]}, "--db", other)
    names = [e["name"] for e in ok("--db", other, "entity", "list", "--json").json()]
    assert "Alice Researcher" not in names
    assert _feed("--db", other)[0]["author"] == item["author"]


def test_a_work_without_a_url_is_one_source_however_often_it_is_read(
    new_db: Callable[[str], Path], tmp_path: Path, db_path: Path
) -> None:
    """Issue 17: re-importing an export added a second source for every work without a URL
    (its key was made from the identifier, which the export replaces by that key)."""
    work = {"@type": "CreativeWork", "headline": "A speech", "identifier": "speech-7"}
    _import(tmp_path, {**PUBLISHED, "itemReviewed": {**PUBLISHED["itemReviewed"],
                                                     "appearance": work}})  # fmt: skip
    first = _feed()
    _import(tmp_path, {"@type": "DataFeed", "dataFeedElement": first})
    assert len(ok("source", "list", "--json").json()) == 1
    other = str(new_db("other"))
    _import(tmp_path, {"@type": "DataFeed", "dataFeedElement": first}, "--db", other)
    assert _feed("--db", other) == first
    keys = [s["key"] for s in ok("--db", other, "source", "list", "--json").json()]
    assert keys == [s["key"] for s in ok("source", "list", "--json").json()]

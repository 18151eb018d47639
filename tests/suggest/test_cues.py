"""Negations, antonyms, denials and dates as the signals read them."""

from __future__ import annotations

from factcheck.suggest import cues, dates
from factcheck.suggest.tokens import stem, words
from factcheck.text import fold


def _negations(text: str) -> list[tuple[str, str]]:
    return [(n.shown, n.head) for n in cues.negations(fold(text))]


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(text))


def test_negations_survive_lost_apostrophes() -> None:
    assert _negations("Theres no chance in hell Iran wont respond") == [
        ("no chance", "chanc"),
        ("wont respond", "respond"),
    ]
    assert _negations("Iran didn't respond") == [("didnt respond", "respond")]
    assert _negations("Iran failed to respond") == [("failed respond", "respond")]


def test_a_negation_reaches_the_end_of_its_clause() -> None:
    (negation,) = cues.negations(fold("Iraq was not informed, and the strike went ahead."))
    assert negation.head == "inform" and negation.scope == {"inform"}
    (negation,) = cues.negations(fold("Iraq was not informed of the strike in Baghdad"))
    assert negation.scope == {"inform", stem("strike"), "baghdad"}
    # The comma of a number ends no clause.
    (negation,) = cues.negations(fold("It did not send 3,000 troops"))
    assert negation.scope == {"send", "troop"}


def test_negations_of_negations_and_phrases() -> None:
    assert _negations("Iran was not unable to respond") == []
    assert _negations("He never failed to pay") == []
    # Two negations of two things both count; "no longer" is one negation.
    assert len(_negations("He never asked for it and was never served it")) == 2
    assert _negations("The bureau would no longer be endorsing Ernst") == [
        ("no longer endorsing", "endors")
    ]
    # The negation passes over adverbs and function words to what it negates, not over verbs.
    assert _negations("He did not directly call it a hoax") == [("not call", "call")]
    assert _negations("Maas did not say that") == [("not say", "say")]
    assert _negations("Iran was unable to keep US troops away") == [("unable keep", "keep")]


def test_denials() -> None:
    assert cues.denials(words("The video is a hoax")) == ["hoax"]
    assert cues.denials(words("Officials denied the report")) == ["denied"]
    assert cues.denials(words("The report was confirmed")) == []
    assert cues.denials(words("Fact check: no evidence the NFL honored it")) == [
        "fact check",
        "no evidence",
    ]
    assert cues.denials(words("The test was a false positive")) == []
    assert cues.denials(words("The post falsely says so")) == ["falsely"]


def test_a_denial_phrase_is_no_negation() -> None:
    assert _negations("No evidence Antifa plans to riot") == []
    assert _negations("That is not true") == []


def test_reach_weighs_a_negation_by_what_it_negates() -> None:
    negated = cues.negations(fold("Iraq was not informed of the strike in its capital"))
    assert cues.reach(negated, _stems("Iraq was informed of the strike")) == 1.0
    partly = cues.reach(negated, _stems("US forces killed him in a strike in Baghdad"))
    assert 0 < partly < 1
    assert cues.reach(negated, _stems("Turnout rose in the elections")) == 0.0


def test_covers_says_whether_a_denial_is_about_a_claim() -> None:
    claim = [stem(w) for w in ("masks", "lower", "immune", "systems")]
    debunk = _stems("No evidence supports the claim that face masks weaken the immune system")
    assert cues.covers(debunk, claim) == 1.0
    other = [stem(w) for w in ("oxygen", "deprivation", "caused", "wearing", "face", "masks")]
    assert cues.covers(debunk, other) < 1.0
    assert cues.covers(debunk, []) == 0.0


def test_antonyms_are_matched_by_stem() -> None:
    first = frozenset(stem(w) for w in words("The party won the election"))
    second = frozenset(stem(w) for w in words("The party loses the election"))
    assert cues.opposed(first, second) == [(stem("win"), stem("lose"))]
    assert cues.opposed(first, _stems("It lost the vote")) == [("win", "los")]
    assert cues.opposed(first, first) == []


def test_prefixed_opposites() -> None:
    assert cues.opposed(_stems("Fox News is unavailable"), _stems("Fox News is available")) == [
        (stem("unavailable"), stem("available"))
    ]
    assert cues.opposed(_stems("It is known"), _stems("It is unknown")) == [
        (stem("known"), stem("unknown"))
    ]
    # A negation word is not an antonym of its stem as well.
    assert cues.opposed(_stems("He was unable to go"), _stems("He was able to go")) == []


def test_dates() -> None:
    moments = dates.when(words("On 3 January 2020 and in 2019"))
    assert moments == {"2020-01", "2019"}
    assert dates.compare(moments, frozenset({"2020"})) == (["2020"], [])
    assert dates.compare(frozenset({"2018"}), frozenset({"2020-01"})) == ([], [("2018", "2020-01")])

"""Negations, antonyms, denials and dates as the signals read them."""

from __future__ import annotations

from factcheck.suggest import cues, dates
from factcheck.suggest.tokens import stem, words


def test_negations_survive_lost_apostrophes() -> None:
    assert cues.negations(words("Theres no chance in hell Iran wont respond")) == ["no", "wont"]
    assert cues.negations(words("Iran didn't respond")) == ["didnt"]
    assert cues.negations(words("Iran failed to respond")) == ["failed"]


def test_denials() -> None:
    assert cues.denials(words("The video is a hoax")) == ["hoax"]
    assert cues.denials(words("Officials denied the report")) == ["denied"]
    assert cues.denials(words("The report was confirmed")) == []


def test_antonyms_are_matched_by_stem() -> None:
    first = {stem(w) for w in words("The party won the election")}
    second = {stem(w) for w in words("The party loses the election")}
    assert cues.opposed(first, second) == [(stem("win"), stem("lose"))]
    assert cues.opposed(first, {stem(w) for w in words("It lost the vote")}) == [("win", "los")]
    assert cues.opposed(first, first) == []


def test_dates() -> None:
    moments = dates.when(words("On 3 January 2020 and in 2019"))
    assert moments == {"2020-01", "2019"}
    assert dates.compare(moments, frozenset({"2020"})) == (["2020"], [])
    assert dates.compare(frozenset({"2018"}), frozenset({"2020-01"})) == ([], [("2018", "2020-01")])

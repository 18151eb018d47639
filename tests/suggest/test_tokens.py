"""Words as the suggestions read them: names told from the rest by their capitals."""

from __future__ import annotations

from factcheck.suggest.tokens import names, stem


def test_names_are_capitalised_inside_a_sentence_or_in_capitals() -> None:
    assert names("US retaliatory strikes killed 24 members of Kata'ib Hezbollah.") == {
        "us",
        "kataib",
        "hezbollah",
    }
    # The first word of a sentence is capitalised whatever it is.
    assert names("Members stormed the embassy. Protesters fled to Baghdad.") == {"baghdad"}
    assert names("Hunter Biden, son of the president, has died.") == {"biden"}


def test_a_headline_in_title_case_or_capitals_names_nothing() -> None:
    assert names("Pogba Has Quit The French National Team Over Macron's Remarks") == set()
    assert names("IMAGE CLAIMS DONALD TRUMP FACES A COURT CASE") == set()
    # A sentence with names in it is no headline.
    assert names("Pogba quit over Macron's remarks, Pogba said") == {"pogba", stem("macrons")}

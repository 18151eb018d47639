"""Attributions, names, and what makes a sentence worth checking."""

from __future__ import annotations

import pytest

from factcheck.extract.claimant import attribution
from factcheck.extract.names import Lexicon
from factcheck.extract.scoring import Proposal, Scorer
from factcheck.extract.sentences import split
from factcheck.text import fold


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("The dam will not hold, said Maria Kovacs, an engineer at the institute.", "Maria Kovacs"),
        ("I cant believe it, one European official said.", "one European official"),
        (
            "A former state official who dealt with the budget said the cuts were deep.",
            "a former state official",
        ),
        ("According to the Finance Ministry, exports fell 4% last year.", "Finance Ministry"),
        ("President Ana Duarte said the border would reopen.", "Ana Duarte"),
        ("Union leader Tomas Berg told reporters the strike would go on.", "Tomas Berg"),
        ("The company has repeatedly denied the report.", "the company"),
        (
            "The plan surprised some members of the city council who said it was never discussed.",
            "some members of the city council",
        ),
        ("The fire was reported by local media.", "local media"),
        ('"We will rebuild," he said.', "he"),
    ],
)
def test_the_claimant_is_read_from_the_attribution(sentence: str, claimant: str) -> None:
    found = attribution(sentence)
    assert found is not None and found.claimant == claimant


def test_a_sentence_without_attribution_has_none() -> None:
    assert attribution("The river rose by two metres overnight.") is None


def _proposals(text: str, lexicon: Lexicon | None = None) -> list[Proposal]:
    return Scorer(split(text), lexicon or Lexicon([])).propose()


def test_reasons_name_what_can_be_checked() -> None:
    (proposal,) = _proposals(
        "Interior Minister Lena Vogt said on Tuesday that more than 3,000 police officers "
        "will be sent to Hamburg in March 2021, the largest deployment in a decade."
    )
    reasons = {r.kind: r.text for r in proposal.reasons}
    assert reasons["quantity"].startswith("more than 3,000 police")
    assert "Lena Vogt" in reasons["name"] and "Hamburg" in reasons["name"]
    assert reasons["attribution"] == "Interior Minister Lena Vogt said"
    assert "2021-03" in reasons["date"] and "Tuesday" in reasons["date"]
    assert "largest" in reasons["comparison"] and "will" in reasons["prediction"]
    assert proposal.kind == "prediction" and proposal.claimant == "Lena Vogt"
    assert proposal.score == 1.0


def test_questions_fragments_captions_and_opinions_score_less() -> None:
    text = (
        "The council cut the budget for the 14 city libraries by 12% in 2023.\n\n"
        "Is this the end of the public library in the city as we know it?\n\n"
        "Budget Cuts\n\n"
        "Mayor Ines Roth, left, and council members at the vote. | Photo by City Hall\n\n"
        "The council should be ashamed of this and must reverse course."
    )
    proposals = _proposals(text)
    fact, question, headline, caption = proposals[:4]
    opinion = proposals[-1]
    assert caption.sentence.text.startswith("Mayor") and opinion.sentence.text.startswith("The c")
    assert fact.score > max(question.score, headline.score, caption.score, opinion.score)
    assert ("penalty", "question") in {(r.kind, r.text) for r in question.reasons}
    assert ("penalty", "caption") in {(r.kind, r.text) for r in caption.reasons}
    assert opinion.kind == "opinion" and fact.kind == "fact"


def test_known_entities_are_found_in_any_spelling_and_name_the_claimant() -> None:
    lexicon = Lexicon(
        [
            (1, "Volodymyr Petrenko", "Volodymyr Petrenko", fold("Volodymyr Petrenko")),
            (1, "Volodymyr Petrenko", "Wolodymyr Petrenko", fold("Wolodymyr Petrenko")),
            (2, "Islamic State", "IS", fold("IS")),
        ]
    )
    first, second = _proposals(
        "Wolodymyr Petrenko said the grain deal is over. It is not over, officials said.",
        lexicon,
    )
    assert [e.name for e in first.entities] == ["Volodymyr Petrenko"]
    assert first.claimant == "Volodymyr Petrenko"
    # "IS" the acronym is found in capitals only, not in "It is".
    assert second.entities == ()


def test_a_pronoun_stands_for_the_last_speaker() -> None:
    _, second = _proposals(
        "The bridge will reopen in May, said Karl Jansen, the city engineer. "
        '"It has cost 40 million euros so far," he said.'
    )
    assert second.claimant == "Karl Jansen"


@pytest.mark.parametrize(
    "sentence",
    [
        "Her success in clearing the valley of mines added to her appeal across the region.",
        "On Wednesday members of the said group stormed the embassy.",
        "It is odd that the minister, who sent 300 troops, says nothing.",
    ],
)
def test_words_that_only_look_like_attributions_name_nobody(sentence: str) -> None:
    found = attribution(sentence)
    assert found is None or found.claimant is None


def test_a_subject_set_off_by_a_description_between_commas() -> None:
    found = attribution("Rosa Lindqvist, the head of the union, declared a strike from Monday.")
    assert found is not None and found.claimant == "Rosa Lindqvist"
    found = attribution("The mayor, who was re-elected in May, said the budget was balanced.")
    assert found is not None and found.claimant == "the mayor"


def test_the_official_is_the_official_named_before() -> None:
    _, second = _proposals(
        "A senior European official said the talks had failed. "
        "It could be months before they resume, the official said."
    )
    assert second.claimant == "a senior European official"


def test_a_quotation_goes_on_past_its_attribution() -> None:
    proposals = _proposals(
        "We did not see it coming, a senior police officer said. Our teams were not ready. "
        "The US embassy was closed.\n\nMy view is that the plan failed."
    )
    assert [p.claimant for p in proposals] == [
        "a senior police officer",
        "a senior police officer",
        None,  # not in the first person
        None,  # another paragraph: the author's
    ]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The minister said that the army would withdraw by March.", "fact"),
        ("The union vowed to strike until the plant reopens.", "fact"),
        ("The army would withdraw by March, and the plant will reopen.", "prediction"),
        ("Prices are likely to rise again next year, the bank said.", "prediction"),
        ("In May 2009 the council may have approved the plan.", "fact"),
        ("Exports could fall by a third if the port stays closed.", "prediction"),
        ("The agency warned that the river would flood the valley.", "fact"),
        ("The fire was probably started by a faulty cable in the basement.", "opinion"),
        ("The city must rebuild the bridge before the winter comes.", "opinion"),
        ("The army threatened to shell the port should Ravel refuse.", "fact"),
    ],
)
def test_a_prediction_reported_as_said_is_a_fact_about_what_was_said(
    sentence: str, kind: str
) -> None:
    (proposal,) = _proposals(sentence)
    assert proposal.kind == kind


def test_an_opinion_on_what_ought_to_be_costs_a_hedged_one_does_not() -> None:
    ought, hedged = _proposals(
        "The government must close the border crossing at Karsk to trucks. "
        "The government probably closed the border crossing at Karsk to trucks."
    )
    assert ought.kind == hedged.kind == "opinion"
    assert ought.score < hedged.score

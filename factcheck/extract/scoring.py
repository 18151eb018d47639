"""How check-worthy a sentence is, why, what kind of claim it makes and who makes it.

A sentence earns points for what a fact-checker can check in it: quantities, named people and
organisations (the project's entities more than names merely capitalised), an attribution, a
date, a comparison or superlative, a prediction, an event reported (killed, voted, rose).
What cannot be checked costs: a question, a fragment too short to state anything, a headline,
byline or caption (no closing punctuation), what an article says of itself ("subscribe", "my
book"), an opinion that says what ought to be rather than what is (a hedged judgement, "Iran
was probably behind it", is an opinion too, but a checkable one). The weights are few and
round on purpose: they are read by a person in the reasons, and they must hold on articles
nobody has tuned them on (bench/extract_eval.py measures them on the seed articles, with and
without the entities known, and with each signal switched off in turn).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from factcheck.extract import claimant as claimants
from factcheck.extract.names import Casing, Entity, Lexicon, capitalised_names
from factcheck.extract.sentences import Sentence
from factcheck.suggest import dates, quantities
from factcheck.suggest.tokens import split, word_list
from factcheck.text import fold
from factcheck.vocab import ClaimKind

WEIGHTS = {
    "quantity": 0.30,
    "entity": 0.25,
    "name": 0.15,
    "attribution": 0.20,
    "date": 0.15,
    "comparison": 0.15,
    "prediction": 0.15,
    "event": 0.10,
}
# Each further quantity, entity or name adds this, up to one more weight's worth.
_MORE = 0.05
# What the score is multiplied by for what makes a sentence hard to check.
PENALTIES = {
    "question": 0.3,
    "fragment": 0.3,
    "no sentence": 0.5,
    "opinion": 0.7,
    "long": 0.8,
    "caption": 0.3,
    "boilerplate": 0.2,
}
_SHORT_WORDS = 6
_LONG_WORDS = 70
# How many sentences back a "he said" looks for the person it stands for.
_PRONOUN_REACH = 3

_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|greater|larger|smaller|bigger|higher|lower|better|worse|"
    r"most|least|largest|biggest|smallest|highest|lowest|best|worst|first|last|only|"
    r"record|unprecedented|than|doubled|tripled|halved|outnumber\w*|surpass\w*|exceed\w*)\b|"
    r"\b\w{3,}est\b",
    re.IGNORECASE,
)
# "-est" words that are no superlatives.
_NOT_SUPERLATIVE = word_list(
    """
    interest honest modest request protest arrest forest test guest west rest contest manifest
    suggest digest harvest invest latest nest chest quest attest detest crest earnest southwest
    northwest midwest conquest behest
    """
)
_PREDICTION = re.compile(
    r"\b(?:will|won'?t|wont|shall|(?:would|could|might|(?<!in )may(?! \d))(?! have\b)|"
    r"going to|is likely|are likely|likely to|unlikely to|is expected to|are expected to|"
    r"expected to|is set to|are set to|poised to|bound to|threaten\w* to|vow\w* to|"
    r"pledg\w* to|promis\w* to|plans? to|in the coming|next (?:year|week|month)|"
    r"in the future|forecast\w*|predict\w*)\b",
    re.IGNORECASE,
)
# What makes a sentence a prediction only when nobody is reported saying it: "would" after
# "said that" is the future of a past statement, and "could" or "may" hedge what is said.
_MODAL = re.compile(r"^(?:would|could|may|might)$")
_REPORTED = re.compile(r"\bthat\b", re.IGNORECASE)
# A pledge or threat reported is a fact about the pledge (what was vowed may be checked later
# as a prediction of its own).
_PLEDGE = re.compile(r"^(?:threaten\w* to|vow\w* to|pledg\w* to|promis\w* to)$")
_OPINION = re.compile(
    r"\b(?:should(?! [A-Z])|shouldn'?t|must|ought to|i think|we think|i believe|we believe|"
    r"in my view|in our view|in my opinion|arguably|clearly|obviously|undoubtedly|surely|"
    r"of course|"
    r"ironic\w*|shameful|disgraceful|reckless|foolish|absurd|outrageous|tragic|brilliant|"
    r"terrible|wonderful|awful|unacceptable|deserve\w*|questionable)\b",
    re.IGNORECASE,
)
# A judgement hedged: an opinion still, but about the world, so as checkable as any claim.
_HEDGE = re.compile(
    r"\b(?:perhaps|probably|apparently|seemingly|presumably|i suspect|we suspect)\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"\b(?:on |last |next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.? \d{1,2}\b|"
    r"\b(?:january|february|march|april|june|july|august|september|october|november|"
    r"december) \d{1,2}\b|\b(?:yesterday|today|tomorrow|last (?:year|month|week))\b",
    re.IGNORECASE,
)
# Things that happened, as news reports them: a sentence that says one did is a fact to check.
_EVENT = re.compile(
    r"\b(?:killed|kills|died|dies|attacked|attacks|launched|launches|fired|struck|bombed|"
    r"invaded|shot|arrested|detained|released|executed|wounded|injured|destroyed|captured|"
    r"seized|stormed|raided|targeted|deployed|withdrew|withdrawn|sent|evacuated|signed|"
    r"adopted|passed|approved|rejected|vetoed|voted|elected|appointed|resigned|"
    r"sanctioned|imposed|lifted|banned|designated|condemned|accused|charged|convicted|"
    r"sentenced|sued|paid|spent|raised|cut|rose|fell|increased|decreased|doubled|"
    r"dropped|grew|won|lost|founded|built|opened|closed|agreed|ordered|authorized|"
    r"authorised|established|declared|announced|pledged|promised|vowed|threatened)\b",
    re.IGNORECASE,
)
# What an article says of itself, its author or its readers, not of the world.
_BOILERPLATE = re.compile(
    r"\b(?:subscribe|sign up|newsletter|click here|follow (?:us|me)|you can (?:buy|read|order|"
    r"find|download|listen)|my (?:\w+ )?book|all rights reserved|copyright|read more|"
    r"share this|this article|this story was)\b",
    re.IGNORECASE,
)
# Numbers that count nothing: "zero-sum", "ground zero".
_IDIOMS = re.compile(r"\bground zero\b|\bzero-\w+")
# A photo caption: who is where in the picture, or the credit after a bar.
_CAPTION = re.compile(
    r"(?:^|\s)\|\s|, (?:left|right|center|centre|top|bottom),|\((?:left|right|center|centre)\)"
)
# "US" the country is no "us".
_FIRST_PERSON = re.compile(
    r"\b(?:I|[Mm]e|[Mm]y|[Ww]e|us|[Oo]ur)\b|\b(?:I|[Ww]e)(?:'|\u2019)(?:m|ve|d|ll|re)\b"
)
_CLOSING = tuple(".!?\"'\u201d\u2019\u00bb)\u2026")


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str


@dataclass(frozen=True)
class Proposal:
    """A sentence proposed as a claim: its score (0-1), the reasons, the guessed kind and
    claimant (None: the source's author), the attributing words, the entities it names."""

    sentence: Sentence
    score: float
    reasons: tuple[Reason, ...]
    kind: ClaimKind
    claimant: str | None
    attribution: str | None
    entities: tuple[Entity, ...]


def _comparisons(text: str) -> list[str]:
    return list(
        dict.fromkeys(
            m.group().lower()
            for m in _COMPARISON.finditer(text)
            if m.group().lower() not in _NOT_SUPERLATIVE
        )
    )


def _sum(weight: float, count: int) -> float:
    return weight + min(weight, _MORE * max(0, count - 1)) if count else 0.0


def _quoted(items: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit})" if len(items) > limit else "")


class Scorer:
    """Scores the sentences of one document (whose casing tells names from sentence starts)."""

    def __init__(self, sentences: Sequence[Sentence], lexicon: Lexicon) -> None:
        self.sentences = sentences
        self.lexicon = lexicon
        self.casing = Casing.of(s.text for s in sentences)

    def propose(self) -> list[Proposal]:
        """A proposal for every sentence, in the order of the text."""
        proposals: list[Proposal] = []
        speakers: list[tuple[int, str]] = []  # (sentence number, claimant) of recent speakers
        for number, sentence in enumerate(self.sentences):
            proposal = self._score(sentence, number, speakers)
            if proposal.claimant is not None:
                speakers.append((number, proposal.claimant))
            proposals.append(proposal)
        return _quoted_on(proposals)

    def _score(self, sentence: Sentence, number: int, speakers: list[tuple[int, str]]) -> Proposal:
        text = " ".join(sentence.text.split())
        folded = fold(text)
        words = split(folded)
        reasons: list[Reason] = []
        score = 0.0

        found = quantities.extract(_IDIOMS.sub(" ", folded))
        if found:
            score += _sum(WEIGHTS["quantity"], len(found))
            reasons.append(Reason("quantity", _quoted([q.phrase for q in found])))
        entities = self.lexicon.find(text) if self.lexicon else []
        if entities:
            score += _sum(WEIGHTS["entity"], len(entities))
            reasons.append(Reason("entity", _quoted([e.name for e, _ in entities])))
        known = {word for _, spelling in entities for word in spelling.split()}
        names = [n for n in capitalised_names(text, self.casing) if not set(split(fold(n))) & known]
        if names:
            score += _sum(WEIGHTS["name"], len(names))
            reasons.append(Reason("name", _quoted(names)))
        said = claimants.attribution(text)
        who = said.claimant if said else None
        if who in ("he", "she", "they", "i", "we"):
            who = next((c for n, c in reversed(speakers) if number - n <= _PRONOUN_REACH), None)
        elif who is not None and who.lower().startswith("the ") and len(who.split()) == 2:
            # "the official said": the official named as speaking before ("a second Middle
            # Eastern official"), if one was.
            head = who.split()[1].lower()
            who = next(
                (c for _, c in reversed(speakers) if c.split()[-1].lower() == head and c != who),
                who,
            )
        if who is not None:
            # The project's spelling of a claimant it knows ("Qasim Soleimani" -> its name).
            named = self.lexicon.find(who) if self.lexicon else []
            if len(named) == 1 and " ".join(split(fold(who))) == named[0][1]:
                who = named[0][0].name
        if said is not None:
            score += WEIGHTS["attribution"]
            reasons.append(Reason("attribution", said.words))
        moments = sorted(dates.when(words))
        days = [m.group().strip() for m in _WEEKDAY.finditer(text)]
        if moments or days:
            score += WEIGHTS["date"]
            reasons.append(Reason("date", _quoted([*moments, *days])))
        compared = _comparisons(text)
        if compared:
            score += WEIGHTS["comparison"]
            reasons.append(Reason("comparison", _quoted(compared)))
        predicted = [
            m.group().lower()
            for m in _PREDICTION.finditer(text)
            # "warned that it would strike": the future of a past statement, reported.
            if not (_MODAL.match(m.group().lower()) and _REPORTED.search(text[: m.start()]))
        ]
        if predicted:
            score += WEIGHTS["prediction"]
            reasons.append(Reason("prediction", _quoted(list(dict.fromkeys(predicted)))))
        events = list(dict.fromkeys(m.group().lower() for m in _EVENT.finditer(text)))
        if events:
            score += WEIGHTS["event"]
            reasons.append(Reason("event", _quoted(events)))
        opinion = [m.group().lower() for m in _OPINION.finditer(text)]
        hedged = [m.group().lower() for m in _HEDGE.finditer(text)]

        kind: ClaimKind = "fact"
        if (opinion or hedged) and not found:
            kind = "opinion"
        elif any(not (_MODAL.match(p) or _PLEDGE.match(p)) for p in predicted) or (
            said is None and any(_MODAL.match(p) for p in predicted)
        ):
            kind = "prediction"
        factor = 1.0
        penalties: list[str] = []
        if text.rstrip("\"'\u201d\u2019\u00bb )").endswith("?"):
            penalties.append("question")
        if len(words) < _SHORT_WORDS:
            penalties.append("fragment")
        elif not text.endswith(_CLOSING):
            penalties.append("no sentence")
        if _CAPTION.search(text):
            penalties.append("caption")
        if _BOILERPLATE.search(text):
            penalties.append("boilerplate")
        if len(words) > _LONG_WORDS:
            penalties.append("long")
        if opinion and not found:
            penalties.append("opinion")
        for penalty in penalties:
            factor *= PENALTIES[penalty]
        if opinion or hedged:
            reasons.append(Reason("opinion", _quoted(list(dict.fromkeys(opinion + hedged)))))
        for penalty in penalties:
            if penalty != "opinion":
                reasons.append(Reason("penalty", penalty))
        return Proposal(
            sentence=sentence,
            score=round(min(1.0, score) * factor, 3),
            reasons=tuple(reasons),
            kind=kind,
            claimant=who,
            attribution=said.words if said else None,
            entities=tuple(e for e, _ in entities),
        )


def _quoted_on(proposals: list[Proposal]) -> list[Proposal]:
    """A quotation goes on past its attribution ("I cant believe it, one official said. The
    concern for me is what Iran does next."): a sentence in the first person next to an
    attributed one in the same paragraph, and attributed to nobody itself, is said by the same
    person."""
    found = list(proposals)
    for i, proposal in enumerate(proposals):
        if proposal.attribution is not None or not _FIRST_PERSON.search(proposal.sentence.text):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(proposals):
                other = proposals[j]
                same = other.sentence.paragraph == proposal.sentence.paragraph
                if same and other.claimant is not None and other.attribution is not None:
                    found[i] = replace(proposal, claimant=other.claimant)
                    break
    return found


def rank(proposals: Sequence[Proposal]) -> list[Proposal]:
    """Best first; of equal scores, the earlier sentence (news puts what matters first)."""
    return sorted(proposals, key=lambda p: (-p.score, p.sentence.start))

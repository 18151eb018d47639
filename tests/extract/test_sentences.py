"""Sentences: abbreviations and quotations do not cut them, offsets point into the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extract.sentences import split


def _texts(text: str) -> list[str]:
    return [s.text for s in split(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "The U.S. Army said on Jan. 3 that Gen. Mark Hale had resigned. "
        "Mr. Reyes paid $1.5 million to Dr. Ames in Washington, D.C. on Friday. "
        "The vote is set for Feb. 12."
    )
    assert _texts(text) == [
        "The U.S. Army said on Jan. 3 that Gen. Mark Hale had resigned.",
        "Mr. Reyes paid $1.5 million to Dr. Ames in Washington, D.C. on Friday.",
        "The vote is set for Feb. 12.",
    ]


def test_a_quotation_of_several_sentences_stays_whole() -> None:
    straight = '"We will respond. It will be harsh," said Lena Ortiz. Others disagreed.'
    assert _texts(straight) == [
        '"We will respond. It will be harsh," said Lena Ortiz.',
        "Others disagreed.",
    ]
    curly = "He said: \u201cThe port will close. The U.S. will answer.\u201d Then silence."
    assert _texts(curly)[0] == ("He said: \u201cThe port will close. The U.S. will answer.\u201d")


def test_offsets_point_into_the_text_even_for_repeated_sentences() -> None:
    text = "  It rained.  It rained.\n\nThe river rose by 2 metres.  "
    sentences = split(text)
    assert [(s.start, s.end) for s in sentences] == [(2, 12), (14, 24), (26, 53)]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.paragraph for s in sentences] == [0, 0, 1]


def test_lines_are_sentences_unless_the_sentence_goes_on() -> None:
    text = (
        "Flood Warning Issued\nBy Ana Lima\n\n"
        "The agency said the water would reach the old bridge by the evening and\n"
        "that residents of the valley should leave. Schools are closed.\n"
    )
    assert _texts(text) == [
        "Flood Warning Issued",
        "By Ana Lima",
        "The agency said the water would reach the old bridge by the evening and\n"
        "that residents of the valley should leave.",
        "Schools are closed.",
    ]


def test_text_other_than_english_prose_is_still_cut_and_anchored() -> None:
    text = "Le président a parlé. Il est parti.\n\nرئيس‌جمهور گفت. 10:30 a.m. is early."
    sentences = split(text)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert split("") == [] and split(" \n\t ") == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["U.S.", "Gen.", "word", "Jan.", "3", ".", "!", "?", '"', "\u201c", "\u201d", "\n",
             "\n\n", " ", "  ", "said", "Mr.", "é", "...", "(", ")", "—", "\r\n"]
        ),
        max_size=40,
    ).map("".join)
)  # fmt: skip
def test_any_text_gives_ordered_exact_spans(text: str) -> None:
    end = 0
    for sentence in split(text):
        assert sentence.start >= end
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        end = sentence.end

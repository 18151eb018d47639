"""Quote anchoring, closest passages and search keys, on the seed articles and on random text;
and text made visible for a terminal."""

from __future__ import annotations

import difflib
import unicodedata
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import factcheck.text as text_module
from factcheck.text import (
    CONTEXT,
    QuoteNotFound,
    _fold_unicode,
    anchor,
    closest_passage,
    control_character,
    fold,
    normalise_for_match,
    visible,
)
from tests.helpers import seed_path


def seed(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def norm(s: str) -> str:
    return normalise_for_match(s)[0]


# --- anchoring on the seed articles -------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "\"There's no chance in hell Iran won't respond,\" said Afshon Ostovar",
        "\u201cThere\u2019s no chance in hell Iran won\u2019t respond,\u201d said Afshon Ostovar",
    ],
    ids=["straight", "curly"],
)
def test_quote_matches_source_that_lost_its_apostrophes(typed: str) -> None:
    text = seed("003")
    a = anchor(text, typed)
    assert a.status == "normalised"
    assert a.exact == "Theres no chance in hell Iran wont respond, said Afshon Ostovar"
    assert text[a.start : a.end] == a.exact
    assert a.occurrences == 1
    assert a.prefix == text[a.start - CONTEXT : a.start]
    assert a.suffix == text[a.end : a.end + CONTEXT]
    assert a.suffix.startswith(", an expert on Soleimani")


def test_straight_quotes_match_curly_ones_and_keep_the_source_style() -> None:
    text = seed("000")
    a = anchor(text, 'says he took action "to stop a war not start a war".')
    assert a.status == "normalised"
    assert a.exact == "says he took action \u201cto stop a war not start a war\u201d."

    wrapped = anchor(text, '"to stop a war not start a war"')
    assert wrapped.exact == "\u201cto stop a war not start a war\u201d"


def test_typed_apostrophe_matches_curly_one() -> None:
    text = seed("000")
    a = anchor(text, "after Iran's supreme leader, Ali Khamenei")
    assert a.status == "normalised"
    assert a.exact == "after Iran\u2019s supreme leader, Ali Khamenei"


def test_occurrences_are_counted_after_normalisation() -> None:
    text = seed("000")
    a = anchor(text, "Iran's")
    assert a.occurrences == text.count("Iran\u2019s")
    assert a.start == text.find("Iran\u2019s")


def test_double_space_in_source_does_not_prevent_a_match() -> None:
    # The seed articles' double spaces are a no-break space followed by a space.
    text = seed("002")
    source = "patterns\u00a0 The most ominous prediction, perhaps, draws\u00a0 comparisons"
    assert source in text
    a = anchor(text, "patterns The most ominous prediction, perhaps, draws comparisons")
    assert a.status == "normalised"
    assert a.exact == source
    assert anchor(seed("004"), "Despite the killing of Quds Force").exact.startswith(
        "Despite\u00a0 the"
    )
    plain = anchor("Iran  did not   deliver", "Iran did not deliver")
    assert (plain.start, plain.end) == (0, 23)


def test_dashes_and_spaces_around_them_are_unified() -> None:
    text = seed("002")
    source = "afterward \u2013 threatening to even wage war crimes"
    assert source in text
    for typed in (
        "afterward - threatening",
        "afterward -- threatening",
        "afterward\u2014threatening",
    ):
        a = anchor(text, typed + " to even wage war crimes")
        assert a.exact == source
    assert anchor(seed("001"), "war (1980-88)").exact == "war (1980\u201388)"


def test_case_insensitive_match() -> None:
    text = seed("000")
    a = anchor(text, "INSIDE IRAN THE BLOW IS UNPRECEDENTED.")
    assert a.status == "normalised"
    assert a.exact == "Inside Iran the blow is unprecedented."


def test_exact_match_reports_str_find_offsets() -> None:
    text = seed("001")
    quote = "The US reacted with venom killing 24 members of KH."
    a = anchor(text, f"  {quote}\n")
    assert a.status == "exact"
    assert (a.start, a.end) == (text.find(quote), text.find(quote) + len(quote))
    assert a.exact == quote
    assert a.occurrences == 1
    assert anchor(text, "Soleimani").occurrences == text.count("Soleimani")


def test_altered_sentence_is_not_found_but_its_source_is_closest() -> None:
    text = seed("000")
    typed = (
        "Soleimani was the third most powerful figure after Iran's supreme leader, Ali Khamenei."
    )
    with pytest.raises(QuoteNotFound) as caught:
        anchor(text, typed)
    closest = caught.value.closest
    assert closest is not None
    real = "Soleimani was the second most powerful figure after Iran\u2019s supreme leader"
    assert real in closest.passage
    assert abs(closest.start - text.find(real)) <= 2
    assert text[closest.start : closest.end] == closest.passage
    assert 0.5 < closest.similarity < 1
    assert f"({closest.similarity:.0%} similar)" in str(caught.value)


def test_closest_passage_does_not_cut_words() -> None:
    text = seed("003")
    typed = (
        "Some current and former US officials, as well as veteran Iran observers, said the "
        "killing was an escalating move"
    )
    closest = closest_passage(text, typed)
    assert closest is not None
    assert closest.passage.startswith("Some current and former U.S. officials")
    assert closest.passage.endswith("escalatory move")
    # Cut in mid-word, the passage would start or end with half of "escalatory".
    closest = closest_passage(text, "the killing was an escala")
    assert closest is not None
    assert closest.passage.endswith("escalatory")
    assert not text[closest.start - 1].isalnum() and not text[closest.end].isalnum()


def test_closest_passage_compares_few_windows_of_a_long_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Its speed on a long text comes from comparing the quote with a few windows chosen by
    # q-gram votes, not with every window: counted here (bench/ times it, tests do not).
    text = "\n\n".join(seed(p) for p in ("000", "001", "002", "003", "004")) * 3
    assert len(text) > 90_000
    typed = norm(seed("002"))[3000:3300].replace("the", "a")
    compared: list[int] = []
    real_ratio = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher[str]) -> float:
        compared.append(1)
        return real_ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    closest = closest_passage(text, typed)
    assert closest is not None and closest.similarity > 0.8
    # The candidates, then the token boundaries near the best passage's two ends.
    assert 0 < len(compared) <= text_module._CANDIDATES + 2 * (len(typed) // 5 + 16) + 1


def test_nothing_similar_gives_no_closest_passage() -> None:
    assert closest_passage(seed("000"), "\u4e2d\u6587\u7684\u6587\u5b57") is None
    assert closest_passage("", "anything") is None


def test_empty_quote_and_empty_text() -> None:
    with pytest.raises(ValueError):
        anchor("some text", " \n ")
    with pytest.raises(QuoteNotFound) as caught:
        anchor("", "quote")
    assert caught.value.closest is None
    # Nothing left to match once quote marks and zero-width characters are ignored.
    for quote in ("\u200c", "\u201c\u201d", "''"):
        with pytest.raises(QuoteNotFound):
            anchor("some text", quote)


# --- normalisation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("caf\u00e9", "cafe\u0301"),
        ("\ufb01nal", "final"),
        ("wait\u2026", "wait..."),
        ("\uff21\uff22\uff23", "abc"),
        ("a \u2014 b", "a-b"),
        ("a--b", "a - b"),
        ("a\u00a0\u00a0b\n\tc", "a b c"),
        ("a\u200bb", "a b"),
        ("\u201cIran\u2019s\u201d", "Irans"),
    ],
)
def test_normalised_forms_agree(a: str, b: str) -> None:
    assert norm(a) == norm(b)


def test_combining_marks_after_the_match_are_kept() -> None:
    decomposed = "le cafe\u0301 noir"
    a = anchor(decomposed, "CAFE")
    assert a.exact == "cafe\u0301"
    precomposed = anchor("le caf\u00e9 noir", "CAFE")
    assert precomposed.exact == "caf\u00e9"


def test_match_may_start_with_a_spacing_accent() -> None:
    # The diaeresis decomposes into a space and a combining mark; the space is not needed.
    assert anchor("x\u00a8y", "\u00a8Y").exact == "\u00a8y"


def test_match_never_starts_inside_a_character() -> None:
    # "ix" occurs inside the normalised "fi" ligature; the real occurrence comes later.
    a = anchor("\ufb01x and FIX", "Ix")
    assert a.exact == "IX"


# --- fold ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Soleimani", "SOLEIMAN\u00cd"),
        ("Qa'ani", "Qaani"),
        ("Qa\u2019ani", "Qaani"),
        ("\u06cc", "\u064a"),
        ("\u06cc", "\u0649"),
        ("\u06a9", "\u0643"),
        ("\u0642\u0640\u0640\u0627\u0633\u0645", "\u0642\u0627\u0633\u0645"),
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u062e\u0648\u0627\u0647\u0645",
        ),
        ("\u0623\u062d\u0645\u062f", "\u0627\u062d\u0645\u062f"),
        ("Kata\u2019ib  Hezbollah\n", "kataib hezbollah"),
        ("Iran\u2013Iraq war", "iran-iraq war"),
    ],
)
def test_fold_unifies_variants(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_fold_result() -> None:
    assert (
        fold("  General Esmael Qa'ani \u2014 QUDS\u00a0Force ")
        == "general esmael qaani - quds force"
    )


# --- properties ---------------------------------------------------------------------------------

_ALPHABET = (
    "abcXYZ019 .,;"
    "\n\t\u00a0\u200b\u200c\u200d"  # whitespace and zero-width characters
    "'\"\u2019\u201c\u201d`\u00b4"  # quote marks
    "-\u2013\u2014\u2212"  # dashes
    "\u00e9\u00c9\u0301\u0308\u0651\u00a8\u1e9e\u0130\ufb01\u2026\uff21\ufdfa"  # expansions
    "\u0633\u0644\u0627\u0645\u064a\u06cc\u0640\u0629"  # Arabic and Persian
    "\u05e9\u05dc\u05d5\u05dd"  # Hebrew
    "\U0001f600\u2764\ufe0f"  # emoji
)
texts = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60)


def _retype(s: str, data: st.DataObject) -> str:
    """The slice as a researcher might type it: other quote marks, case, spacing and dashes."""
    swaps = {"'": "\u2019", "\u2019": "'", '"': "\u201d", "\u201c": '"', "\u201d": '"'}
    out = []
    for c in s:
        if c in swaps:
            out.append(swaps[c])
        elif c.isascii() and c.isalpha():
            out.append(c.swapcase())
        elif c.isspace():
            out.append(data.draw(st.sampled_from([" ", "  ", "\n"])))
        elif c in "-\u2013\u2014\u2212":
            out.append(data.draw(st.sampled_from(["-", " -- ", "\u2014"])))
        else:
            out.append(c)
    return "".join(out)


@given(text=texts, data=st.data())
def test_anchor_finds_any_slice(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    piece = text[i:j]
    assume(piece.strip() and norm(piece.strip()))
    for quote in (piece, _retype(piece, data)):
        a = anchor(text, quote)
        assert a.exact == text[a.start : a.end]
        assert a.occurrences >= 1
        found, wanted = norm(a.exact), norm(quote)
        # A match may stop before the accents of its last character; they come with it.
        assert found.startswith(wanted)
        assert all(unicodedata.category(c) == "Mn" for c in found[len(wanted) :])


@given(st.one_of(texts, st.text()))
def test_normalisation_index_is_monotonic_and_in_range(s: str) -> None:
    normalised, index = normalise_for_match(s)
    assert len(index) == len(normalised)
    assert all(0 <= i < len(s) for i in index)
    assert all(a <= b for a, b in pairwise(index))
    assert normalised == normalised.strip()
    assert "  " not in normalised


@given(st.one_of(texts, st.text()))
def test_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127)))
def test_the_ascii_fast_path_of_fold_is_the_unicode_path(value: str) -> None:
    assert fold(value) == _fold_unicode(value)


@pytest.mark.parametrize(
    ("text", "shown", "inline"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("bell\x07 del\x7f csi\x9b nel\x85", "bell\\x07 del\\x7f csi\\x9b nel\\x85", None),
        ("safe\rFORGED", "safe\\x0dFORGED", "safe\\x0dFORGED"),  # a lone CR would overwrite
        ("one\r\ntwo\nthree\tfour", "one\ntwo\nthree\tfour", "one\\x0d\\x0atwo\\x0athree\\x09four"),
        ("[bold] :smile: \u202eRTL \u200d", "[bold] :smile: \u202eRTL \u200d", None),
    ],
)
def test_visible_shows_control_characters_as_escapes(
    text: str, shown: str, inline: str | None
) -> None:
    assert visible(text) == shown
    assert visible(text, inline=True) == (inline or shown)
    assert (control_character(text) is None) == (inline is None and shown == text)

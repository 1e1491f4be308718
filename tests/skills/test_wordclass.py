"""Word-class guesses from the closed lists and lemminflect's lexicon."""

from __future__ import annotations

from atspro.skills.wordclass import verb_form, word_classes, word_set


def test_closed_classes_win() -> None:
    assert word_classes("The") == {"DET"}
    assert word_classes("of") == {"PREP"}
    assert word_classes("will") == {"AUX"}
    assert word_classes("that") == {"DET", "SUB"}
    assert word_classes("3") == {"NUM"}
    assert word_classes("#") == {"PUNCT"}


def test_open_classes_from_the_lexicon() -> None:
    assert word_classes("negotiate") == {"VERB"}
    assert "NOUN" in word_classes("support") and "VERB" in word_classes("support")
    assert word_classes("punctual") == {"ADJ"}
    assert word_classes("Qwertyzorp") == {"NOUN"}  # unknown words read as nouns


def test_verb_forms() -> None:
    assert verb_form("negotiate") == "base"
    assert verb_form("Negotiating") == "ing"
    assert verb_form("negotiated") == "other"
    assert verb_form("bring") == "base"  # a base form that ends in "ing"
    assert verb_form("kitchen") is None
    assert verb_form("of") is None


def test_word_set() -> None:
    assert word_set(" a  b\nc ") == {"a", "b", "c"}

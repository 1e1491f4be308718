"""read_abbreviations: capitalised function words read as names, not as their word."""

from __future__ import annotations

from atspro.skills.abbreviations import read_abbreviations
from atspro.skills.tokens import tokenize


def keys(text: str) -> list[str]:
    return [t.folded for t in read_abbreviations(tokenize(text))]


def test_capitalised_function_word_is_an_abbreviation() -> None:
    assert keys("Support our IT users") == ["support", "our", "i.t.", "users"]
    assert keys("Knowledge of US tax law")[2] == "u.s."


def test_ordinary_words_and_headings_keep_their_keys() -> None:
    assert keys("It is an IT role")[0] == "it"
    assert keys("We Are Hiring")[:2] == ["we", "are"]
    # A heading in capitals: "IT" among capitals proves nothing.
    assert keys("WE ARE HIRING") == ["we", "are", "hiring"]
    assert keys("I") == ["i"]

"""extract_skill_phrases on constructions the SkillSpan sentences hold: examples after
"including", modals with adverbs and cues, coordinated cues, unfinished sentences."""

from __future__ import annotations

import pytest

from atspro.skills import extract_skill_phrases


def phrases(text: str) -> list[str]:
    mentions = extract_skill_phrases(text)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    return [m.text for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "including" after a phrase lists examples of it, each a phrase of its own.
        (
            "Experience in supply chain management including stock analysis, pricing and forecasting.",
            ["supply chain management", "stock analysis", "pricing and forecasting"],
        ),
        # "including such as" is read as "such as".
        ("Good understanding of logistics including such as freight and customs.", ["logistics"]),
        # A modal, an adverb, then the duty verb.
        ("You will quickly learn our internal tools.", ["learn our internal tools"]),
        # A modal followed by a cue reads what the cue introduces.
        ("You will need to have experience of payroll.", ["payroll"]),
        # A second cue after "and" starts the next phrase.
        ("Knowledge of payroll and experience of pensions.", ["payroll", "pensions"]),
        (
            "Knowledge of health and safety legislation, and the ability to apply it.",
            ["health and safety legislation", "apply"],
        ),
        # A duty with an adverb inside keeps its coordinated verbs.
        (
            "Responsible for managing and quickly resolving customer complaints.",
            ["managing and quickly resolving customer complaints"],
        ),
        # An adverb alone is no skill.
        ("Experience working effectively.", []),
        # Sentences cut off after the modal or "be" hold nothing.
        ("The candidate will", []),
        ("You will be", []),
        ("You will really", []),
    ],
)
def test_phrases(text: str, expected: list[str]) -> None:
    assert phrases(text) == expected

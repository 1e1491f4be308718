"""merge_named: which named skills join the phrases of a text."""

from __future__ import annotations

from typing import Literal

from atspro.skills.mention import SkillMention
from atspro.skills.merging import merge_named


def mention(text: str, part: str, kind: Literal["hard", "soft"] = "hard") -> SkillMention:
    start = text.index(part)
    return SkillMention(part, start, start + len(part), part.casefold(), kind)


def test_only_names_outside_every_phrase_join() -> None:
    text = "build dashboards in excel ; write sql reports ; python ; maintain cisco routers"
    phrases = [
        mention(text, "build dashboards", "soft"),
        mention(text, "write sql reports", "soft"),
        mention(text, "maintain cisco routers", "soft"),
    ]
    named = [mention(text, name) for name in ("dashboards in excel", "excel", "sql", "python")]
    named.append(mention(text, "cisco"))
    merged = merge_named(text, list(reversed(phrases)), named)
    # Overlapping the first phrase's end, inside the second, inside the last: all dropped.
    assert [m.text for m in merged] == [
        "build dashboards",
        "excel",
        "write sql reports",
        "python",
        "maintain cisco routers",
    ]


def test_a_name_beside_a_capitalised_noun_is_part_of_a_longer_name() -> None:
    text = "An approach to problem solving Excellent team work; Automation Test Analyst"
    named = [mention(text, "problem solving"), mention(text, "Automation Test")]
    merged = merge_named(text, [], named)
    # "Excellent" cannot be a noun: it opens the next, glued line. "Analyst" can.
    assert [m.text for m in merged] == ["problem solving"]

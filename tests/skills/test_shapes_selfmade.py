"""Names no vocabulary lists, found by their shape alone, in sentences written here."""

from __future__ import annotations

import pytest

from atspro.skills.extraction import extract_skills


def hard(text: str) -> list[str]:
    return [m.text for m in extract_skills(text) if m.kind == "hard"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Name.js" / "name.io": a dotted library name.
        ("Experience with Frobnicate.js and Quux.io is a plus.", ["Frobnicate.js", "Quux.io"]),
        # Letters then digits: a product code.
        ("Knowledge of Plonk9 and XR7 systems.", ["Plonk9", "XR7"]),
    ],
)
def test_shaped_names(text: str, expected: list[str]) -> None:
    assert hard(text) == expected


def test_a_name_glued_to_hash_or_plus_is_a_language_name() -> None:
    # The "#" and "++" mark the shape; the mention starts at the name.
    found = hard("We use Zorq# and Blarg++ daily.")
    assert [name[:4] for name in found] == ["Zorq", "Blar"]

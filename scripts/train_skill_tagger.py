"""Train the skill tagger's two CRFs (Knowledge, Skill) and write them into the package.

Data: SkillSpan (Zhang et al., NAACL 2022; kris927b/SkillSpan @ 2ccf3de, MIT), house and
tech sources. Trains on ``train/*_train.conll`` only, picks c1, c2 and the feature set on
``dev/*_dev.conll`` only (by the mean of strict and loose span F1); the chosen model is
the one scored, not retrained. The test files are never read here.

L-BFGS over a fixed corpus order is deterministic, so the same data and grid give the same
model bytes; ``SEED`` fixes the only random choice (the order of the training sentences).

Run: .venv/bin/python scripts/train_skill_tagger.py [--data DIR] [--out DIR]
     .venv/bin/python scripts/train_skill_tagger.py --tiny --out /tmp/x   (seconds; tests)
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from atspro.evaluation.skills import Sentence, SpanTally, gold_spans, read_conll
from atspro.skills.tagger.features import FEATURE_SETS, FeatureSet, Gazetteer, sentence_features
from atspro.skills.tagger.tagging import LAYERS, MANIFEST, MODEL_DIR, Layer, bio_spans
from atspro.skills.taxonomy import default_taxonomy

SEED = 18
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "skills"
SOURCES = ("house", "tech")
GRID_C1 = (0.05, 0.2, 0.5)
GRID_C2 = (0.01, 0.1)
MAX_ITERATIONS = 150
# Features seen fewer times than this in training are dropped: a smaller model file.
MIN_FREQ = 2

# A corpus for the --tiny run (tests): enough to learn that rare capitalised words after
# "with" are Knowledge and "communication skills" is a Skill.
_TINY = """\
Experience with Python and Docker .
Knowledge of Kubernetes and Terraform is a plus .
Strong communication skills and teamwork .
You will work with Java every day .
Excellent written communication skills .
"""
_TINY_KNOWLEDGE = {"Python", "Docker", "Kubernetes", "Terraform", "Java"}
_TINY_SKILL = {"communication", "skills", "teamwork", "written"}


def tiny_corpus() -> list[Sentence]:
    """Five sentences tagged by the word lists above (Skill column, Knowledge column)."""
    sentences: list[Sentence] = []
    for line in _TINY.splitlines():
        tokens = tuple(line.split())
        skill = _bio([t in _TINY_SKILL for t in tokens], "Skill")
        knowledge = _bio([t in _TINY_KNOWLEDGE for t in tokens], "Knowledge")
        sentences.append(Sentence(tokens, (skill, knowledge)))
    return sentences


def _bio(inside: Sequence[bool], label: str) -> tuple[str, ...]:
    tags: list[str] = []
    for index, flag in enumerate(inside):
        if not flag:
            tags.append("O")
        elif index > 0 and inside[index - 1] and label == "Skill":  # one phrase; names apart
            tags.append(f"I-{label}")
        else:
            tags.append(f"B-{label}")
    return tuple(tags)


def labels(sentence: Sentence, layer: Layer) -> list[str]:
    """The sentence's B/I/O tags of one layer, the layer's name dropped."""
    column = sentence.columns[LAYERS.index(layer)]
    return [tag.partition("-")[0] if tag.endswith(layer) else "O" for tag in column]


def load(folder: Path, split: str) -> list[Sentence]:
    """Both SkillSpan sources of one split, with provenance printed."""
    sentences: list[Sentence] = []
    for source in SOURCES:
        path = folder / split / f"skillspan_{source}_{split}.conll"
        part = read_conll(path)
        print(f"  {split:5} {path} ({len(part)} sentences)")
        sentences.extend(part)
    return sentences


def train_one(
    sentences: Sequence[Sentence],
    layer: Layer,
    gazetteer: Gazetteer | None,
    feature_set: FeatureSet,
    c1: float,
    c2: float,
    path: Path,
) -> None:
    """Fit one CRF and write it to ``path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in sentences:
        trainer.append(
            sentence_features(sentence.tokens, gazetteer, feature_set), labels(sentence, layer)
        )
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": MAX_ITERATIONS,
            "feature.minfreq": MIN_FREQ,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(path))


def score_model(
    path: Path,
    sentences: Sequence[Sentence],
    layer: Layer,
    gazetteer: Gazetteer | None,
    feature_set: FeatureSet,
) -> SpanTally:
    """Strict and loose span counts of a model on tagged sentences."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    tally = SpanTally()
    for sentence in sentences:
        predicted = bio_spans(
            tagger.tag(sentence_features(sentence.tokens, gazetteer, feature_set))
        )
        gold = gold_spans(sentence.columns[LAYERS.index(layer)], [layer])
        tally.add(gold, predicted)
    tagger.close()
    return tally


def main(argv: list[str]) -> int:
    """Train, select on dev, copy the chosen models to ``--out``; print dev figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--tiny", action="store_true", help="train on a built-in toy corpus")
    parser.add_argument("--ablation", action="store_true", help="also train without gazetteer")
    args = parser.parse_args(argv)
    random.seed(SEED)
    if args.tiny:
        train = dev = tiny_corpus()
        grid = [("full", 0.05, 0.01)]
        print("data: built-in toy corpus (--tiny); the figures below are on its own sentences")
    else:
        print("data: SkillSpan (Zhang et al., NAACL 2022), kris927b/SkillSpan @ 2ccf3de, MIT")
        train, dev = load(args.data, "train"), load(args.data, "dev")
        grid = list(itertools.product(FEATURE_SETS[:1], GRID_C1, GRID_C2))
        if args.ablation:  # the gazetteer's worth, at the first grid point
            grid.append((FEATURE_SETS[1], GRID_C1[0], GRID_C2[0]))
    random.shuffle(train)
    gazetteer = Gazetteer.from_taxonomy(default_taxonomy())
    args.out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for layer in LAYERS:
            best: tuple[float, Path, str, dict[str, object]] | None = None
            for feature_set, c1, c2 in grid:
                started = time.perf_counter()
                path = Path(scratch) / f"{layer}-{feature_set}-{c1}-{c2}.crfsuite"
                train_one(train, layer, gazetteer, feature_set, c1, c2, path)
                tally = score_model(path, dev, layer, gazetteer, feature_set)
                label = f"{layer:9} {feature_set:12} c1={c1:<5} c2={c2:<5}"
                print(f"dev {label} {tally.describe()}  ({time.perf_counter() - started:.0f} s)")
                objective = (tally.strict_f1 + tally.loose_f1) / 2
                if best is None or objective > best[0]:
                    chosen: dict[str, object] = {
                        "feature_set": feature_set, "c1": c1, "c2": c2,
                        "dev_strict_prf": [round(x, 4) for x in tally.strict],
                        "dev_loose_prf": [round(x, 4) for x in tally.loose],
                    }  # fmt: skip
                    best = (objective, path, label, chosen)
            assert best is not None
            target = args.out / f"{layer.lower()}.crfsuite"
            shutil.copyfile(best[1], target)
            manifest[layer] = best[3]
            size_kb = target.stat().st_size / 1024
            print(f"chosen: {best[2]} -> {target} ({size_kb:.0f} KB)")
    manifest_text = json.dumps({"seed": SEED, "tiny": args.tiny, **manifest}, indent=2)
    (args.out / MANIFEST).write_text(manifest_text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

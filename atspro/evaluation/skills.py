"""`atspro eval skills [DIR]`: span-level P/R/F1 of skill extraction on BIO-tagged CoNLL files.

Held-out test files in DIR (never trained or tuned on): SkillSpan tech test (Zhang et al.,
NAACL 2022, MIT; Skill and Knowledge columns) and Green, Maynard and Lin (LREC 2022,
CC-BY-4.0; Skill + Qualification tags). Dev files in DIR/dev (SkillSpan house and tech
dev) are what the tagger's c1, c2 and features were chosen on: their rows say "dev".

Extractors: ``tagger`` (the CRFs alone, ``atspro.skills.tagger``), ``posting`` (tagger
joined with the vocabulary, what job parsing uses), ``named`` and ``phrases`` (the
hand-written rules; their lexicon was written while reading the SkillSpan test file, so
their rows there are not held-out figures). Each sentence is its tokens joined by single
spaces; predicted character spans map onto the tokens they overlap. Strict counts exact
token spans, loose counts any overlap either way.

``--part dev`` / ``--part held-out`` score the rules' old split of the test files (every
third sentence held out); dev files are always scored whole.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from atspro.skills import extract_skill_phrases, extract_skills
from atspro.skills.mention import SkillMention
from atspro.skills.posting import combine
from atspro.skills.tagger import Tagging, tag_text
from atspro.skills.tagger.tagging import Layer

DEFAULT_DIR = Path("../shared/data/skills")
DEV_FOLDER = "dev"
# Issue 18's targets on the SkillSpan tech test: (strict F1, loose F1).
KNOWLEDGE_TARGETS = (0.55, 0.70)
SKILL_TARGETS = (0.35, 0.55)

Span = tuple[int, int]  # token indices, end exclusive
Extractor = Literal["named", "phrases", "tagger", "posting"]
Split = Literal["dev", "test"]
Part = Literal["all", "dev", "held-out"]
PARTS: tuple[Part, ...] = ("all", "dev", "held-out")
HELD_OUT_EVERY = 3  # sentence i is held out when i % 3 == 2


@dataclass(frozen=True, slots=True)
class Sentence:
    """One CoNLL sentence: its tokens and one tag column per annotation layer."""

    tokens: tuple[str, ...]
    columns: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Dataset:
    """Which file, tag column and tag types form the gold spans, and what predicts them.

    ``kinds`` filters the rules' mentions; ``layers`` are the tagger's span layers.
    """

    name: str
    filename: str
    column: int
    tags: frozenset[str]
    kinds: frozenset[str]
    headline: bool = False
    extractor: Extractor = "named"
    layers: tuple[Layer, ...] = ()
    split: Split = "test"
    targets: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """Span-level figures of one dataset."""

    name: str
    sentences: int
    gold: int
    predicted: int
    strict_precision: float
    strict_recall: float
    strict_f1: float
    loose_precision: float
    loose_recall: float
    loose_f1: float
    headline: bool
    split: str = "test"
    extractor: str = "named"
    target_strict_f1: float | None = None
    target_loose_f1: float | None = None


_ALL_KINDS = frozenset({"hard", "soft", "qualification"})
_HARD = frozenset({"hard"})
_KNOWLEDGE = frozenset({"Knowledge"})
_SKILL = frozenset({"Skill"})
_GREEN_TAGS = frozenset({"Skill", "Qualification"})
_GREEN = "green2022_testset.conll.txt"
_SKILLSPAN = "skillspan_tech_test.conll"


def _dev_rows(source: str) -> tuple[Dataset, ...]:
    path = f"{DEV_FOLDER}/skillspan_{source}_dev.conll"
    return (
        Dataset(f"skillspan {source} dev Knowledge", path, 2, _KNOWLEDGE, _HARD, extractor="tagger", layers=("Knowledge",), split="dev"),
        Dataset(f"skillspan {source} dev Skill", path, 1, _SKILL, _HARD, extractor="tagger", layers=("Skill",), split="dev"),
        Dataset(f"skillspan {source} dev Knowledge (posting)", path, 2, _KNOWLEDGE, _HARD, extractor="posting", split="dev"),
        Dataset(f"skillspan {source} dev Knowledge (rules)", path, 2, _KNOWLEDGE, _HARD, split="dev"),
    )  # fmt: skip


DATASETS = (
    Dataset("skillspan test Knowledge", _SKILLSPAN, 2, _KNOWLEDGE, _HARD, headline=True, extractor="tagger", layers=("Knowledge",), targets=KNOWLEDGE_TARGETS),
    Dataset("skillspan test Skill", _SKILLSPAN, 1, _SKILL, _HARD, headline=True, extractor="tagger", layers=("Skill",), targets=SKILL_TARGETS),
    Dataset("skillspan test Knowledge (posting)", _SKILLSPAN, 2, _KNOWLEDGE, _HARD, extractor="posting"),
    Dataset("green skill+qualification (tagger)", _GREEN, 1, _GREEN_TAGS, _HARD, extractor="tagger", layers=("Knowledge", "Skill")),
    Dataset("skillspan knowledge (hard)", _SKILLSPAN, 2, _KNOWLEDGE, _HARD),
    Dataset("green skill+qualification (phrases)", _GREEN, 1, _GREEN_TAGS, _ALL_KINDS, extractor="phrases"),
    Dataset("green skill+qualification (hard)", _GREEN, 1, _GREEN_TAGS, _HARD),
    Dataset("green skill+qualification (hard+soft)", _GREEN, 1, _GREEN_TAGS, frozenset({"hard", "soft"})),
    Dataset("skillspan skill (soft)", _SKILLSPAN, 1, _SKILL, frozenset({"soft"})),
    Dataset("skillspan skill (phrases, soft)", _SKILLSPAN, 1, _SKILL, frozenset({"soft"}), extractor="phrases"),
    *_dev_rows("house"),
    *_dev_rows("tech"),
)  # fmt: skip


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of a CoNLL file: token then tag columns, tab or space separated."""
    sentences: list[Sentence] = []
    rows: list[list[str]] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        fields = line.split("\t") if "\t" in line else line.split()
        fields = [f.strip() for f in fields]
        if not fields or not fields[0]:
            if rows:
                width = max(len(r) for r in rows)
                padded = [r + ["O"] * (width - len(r)) for r in rows]
                columns = tuple(tuple(r[c] or "O" for r in padded) for c in range(width))
                sentences.append(Sentence(columns[0], columns[1:]))
                rows = []
            continue
        rows.append(fields)
    return sentences


def gold_spans(tags: Sequence[str], types: Iterable[str]) -> set[Span]:
    """BIO tags -> token spans of the wanted types (a stray I- opens a span)."""
    wanted = frozenset(types)
    spans: set[Span] = set()
    start: int | None = None
    current = ""
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == current and start is not None
        if start is not None and not continues:
            spans.add((start, index))
            start = None
        if kind in wanted and (prefix == "B" or (prefix == "I" and not continues)):
            start, current = index, kind
    return spans


def select_part(sentences: Sequence[Sentence], part: Part) -> list[Sentence]:
    """The dev part (two sentences in three), the held-out part (every third) or all."""
    if part == "all":
        return list(sentences)
    held_out = part == "held-out"
    return [
        s for i, s in enumerate(sentences) if (i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) == held_out
    ]


def predicted_spans(
    tokens: Sequence[str],
    kinds: frozenset[str],
    extractor: Extractor = "named",
    layers: tuple[Layer, ...] = (),
) -> set[Span]:
    """Run an extractor on the joined tokens and map what it finds back onto tokens."""
    starts: list[int] = []
    offset = 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    text = " ".join(tokens)
    found: list[tuple[int, int]]
    if extractor == "tagger":
        found = [(s.start, s.end) for s in _tagging(text).spans if s.layer in layers]
    else:
        found = [(m.start, m.end) for m in _mentions(text, extractor) if m.kind in kinds]
    spans: set[Span] = set()
    for start, end in found:
        covered = [i for i, s in enumerate(starts) if s < end and s + len(tokens[i]) > start]
        if covered:
            spans.add((covered[0], covered[-1] + 1))
    return spans


@functools.lru_cache(maxsize=8192)
def _tagging(text: str) -> Tagging:
    # Several rows read the same sentences: tag each once.
    return tag_text(text)


@functools.lru_cache(maxsize=8192)
def _named(text: str) -> tuple[SkillMention, ...]:
    return tuple(extract_skills(text))


def _mentions(text: str, extractor: Extractor) -> Sequence[SkillMention]:
    if extractor == "phrases":
        return extract_skill_phrases(text, named=True)
    if extractor == "posting":
        return combine(text, list(_named(text)), _tagging(text))
    return _named(text)


@dataclass(slots=True)
class SpanTally:
    """Running span counts: exact matches (strict) and overlaps either way (loose)."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    predicted_hit: int = 0
    gold_hit: int = 0

    def add(self, gold: set[Span], predicted: set[Span]) -> None:
        """Count one sentence's gold and predicted spans."""
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.exact += len(gold & predicted)
        self.predicted_hit += sum(_overlaps(p, gold) for p in predicted)
        self.gold_hit += sum(_overlaps(g, predicted) for g in gold)

    @property
    def strict(self) -> tuple[float, float, float]:
        """Strict precision, recall and F1."""
        p, r = _ratio(self.exact, self.predicted), _ratio(self.exact, self.gold)
        return p, r, _f1(p, r)

    @property
    def loose(self) -> tuple[float, float, float]:
        """Loose precision, recall and F1."""
        p, r = _ratio(self.predicted_hit, self.predicted), _ratio(self.gold_hit, self.gold)
        return p, r, _f1(p, r)

    @property
    def strict_f1(self) -> float:
        """Strict F1."""
        return self.strict[2]

    @property
    def loose_f1(self) -> float:
        """Loose F1."""
        return self.loose[2]

    def describe(self) -> str:
        """One line: gold, predicted, strict and loose P/R/F1."""
        (sp, sr, sf), (lp, lr, lf) = self.strict, self.loose
        return (
            f"gold {self.gold:5d} pred {self.predicted:5d}  strict {sp:.2f}/{sr:.2f}/{sf:.3f}"
            f"  loose {lp:.2f}/{lr:.2f}/{lf:.3f}"
        )


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _overlaps(span: Span, others: set[Span]) -> bool:
    return any(span[0] < o[1] and o[0] < span[1] for o in others)


def score_dataset(dataset: Dataset, sentences: Sequence[Sentence]) -> Score:
    """Micro-averaged strict and loose span P/R/F1 over all sentences."""
    tally = SpanTally()
    for sentence in sentences:
        if dataset.column - 1 >= len(sentence.columns):
            continue
        gold = gold_spans(sentence.columns[dataset.column - 1], dataset.tags)
        predicted = predicted_spans(
            sentence.tokens, dataset.kinds, dataset.extractor, dataset.layers
        )
        tally.add(gold, predicted)
    (sp, sr, sf), (lp, lr, lf) = tally.strict, tally.loose
    strict_target, loose_target = dataset.targets or (None, None)
    return Score(
        dataset.name, len(sentences), tally.gold, tally.predicted, sp, sr, sf, lp, lr, lf,
        dataset.headline, dataset.split, dataset.extractor, strict_target, loose_target,
    )  # fmt: skip


def evaluate_dir(directory: Path, part: Part = "all") -> list[Score]:
    """Score every dataset whose file is present (test files in DIR, dev files in DIR/dev)."""
    cache: dict[str, list[Sentence]] = {}
    scores: list[Score] = []
    for dataset in DATASETS:
        path = directory / dataset.filename
        if not path.is_file():
            continue
        if dataset.filename not in cache:
            cache[dataset.filename] = read_conll(path)
        sentences = cache[dataset.filename]
        if dataset.split == "test":
            sentences = select_part(sentences, part)
        scores.append(score_dataset(dataset, sentences))
    return scores


_SPLIT_LABELS = {"dev": "dev (tuned on)", "test": "test (held out)"}


def format_scores(scores: Sequence[Score]) -> str:
    """A table of the figures by split, then each targeted F1 beside its target."""
    lines = [
        f"{'split':16} {'dataset':42} {'extractor':9} {'gold':>5} {'pred':>5}  "
        f"{'strict P/R/F1':>16}  {'loose P/R/F1':>16}",
    ]
    for s in sorted(scores, key=lambda s: s.split != "test"):
        lines.append(
            f"{_SPLIT_LABELS.get(s.split, s.split):16} {s.name:42} {s.extractor:9} "
            f"{s.gold:5d} {s.predicted:5d}  "
            f"{s.strict_precision:.2f}/{s.strict_recall:.2f}/{s.strict_f1:.3f}  "
            f"{s.loose_precision:.2f}/{s.loose_recall:.2f}/{s.loose_f1:.3f}"
        )
    lines.append(
        "rules (named, phrases): their lexicon was written on the SkillSpan test file; "
        "their rows there are not held-out figures."
    )
    for s in scores:
        if s.target_strict_f1 is not None and s.target_loose_f1 is not None:
            lines.append(
                f"{s.name} ({_SPLIT_LABELS.get(s.split, s.split)}): "
                f"strict F1 {s.strict_f1:.3f} (target >= {s.target_strict_f1}), "
                f"loose F1 {s.loose_f1:.3f} (target >= {s.target_loose_f1})"
            )
    return "\n".join(lines)


def meets_targets(scores: Sequence[Score]) -> bool:
    """True when every row with targets reaches both of them."""
    return all(
        s.strict_f1 >= s.target_strict_f1 and s.loose_f1 >= s.target_loose_f1
        for s in scores
        if s.target_strict_f1 is not None and s.target_loose_f1 is not None
    )


def main(argv: list[str]) -> int:
    """CLI entry: print the figures; exit 2 without data, 1 with --check below target."""
    parser = argparse.ArgumentParser(prog="atspro eval skills", description=__doc__)
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when below target")
    parser.add_argument(
        "--part", choices=PARTS, default="all", help="score the rules' old split of test files"
    )
    args = parser.parse_args(argv)
    scores = evaluate_dir(args.directory, args.part)
    if not scores:
        print(f"no skill evaluation files in {args.directory}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([asdict(s) for s in scores], indent=2))
    else:
        print(format_scores(scores))
    return 1 if args.check and not meets_targets(scores) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))

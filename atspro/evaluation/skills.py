"""`atspro eval skills DIR`: span-level P/R/F1 of skill extraction on BIO-tagged CoNLL files.

Hard skills are scored against the Knowledge tags of SkillSpan (Zhang et al., NAACL 2022,
MIT) with ``extract_skills``; the Skill + Qualification tags of Green, Maynard and Lin
(LREC 2022, CC-BY-4.0) with ``extract_skill_phrases`` (applied-skill phrases,
qualifications and named skills). Each sentence is the tokens joined by single spaces;
predicted character spans map onto the tokens they overlap. Strict counts exact token
spans, loose counts any overlap.

``--part dev`` / ``--part held-out`` score a deterministic split (every third sentence
held out) so that rules tuned on the dev part are measured on sentences never looked at.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from atspro.skills import extract_skill_phrases, extract_skills

DEFAULT_DIR = Path("../shared/data/skills")
TARGET_LOOSE_F1 = 0.6
TARGET_STRICT_F1 = 0.45

Span = tuple[int, int]  # token indices, end exclusive
Extractor = Literal["named", "phrases"]
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
    """Which file, tag column and tag types form the gold spans, and which kinds we score."""

    name: str
    filename: str
    column: int
    tags: frozenset[str]
    kinds: frozenset[str]
    headline: bool = True
    extractor: Extractor = "named"


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


_ALL_KINDS = frozenset({"hard", "soft", "qualification"})
_GREEN = "green2022_testset.conll.txt"
_SKILLSPAN = "skillspan_tech_test.conll"
DATASETS = (
    Dataset("skillspan knowledge (hard)", _SKILLSPAN, 2, frozenset({"Knowledge"}), frozenset({"hard"})),
    Dataset("green skill+qualification (phrases)", _GREEN, 1, frozenset({"Skill", "Qualification"}), _ALL_KINDS, extractor="phrases"),
    Dataset("green skill+qualification (hard)", _GREEN, 1, frozenset({"Skill", "Qualification"}), frozenset({"hard"}), headline=False),
    Dataset("green skill+qualification (hard+soft)", _GREEN, 1, frozenset({"Skill", "Qualification"}), frozenset({"hard", "soft"}), headline=False),
    Dataset("skillspan skill (soft)", _SKILLSPAN, 1, frozenset({"Skill"}), frozenset({"soft"}), headline=False),
    Dataset("skillspan skill (phrases, soft)", _SKILLSPAN, 1, frozenset({"Skill"}), frozenset({"soft"}), headline=False, extractor="phrases"),
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
    tokens: Sequence[str], kinds: frozenset[str], extractor: Extractor = "named"
) -> set[Span]:
    """Run an extractor on the joined tokens and map its mentions back onto tokens."""
    starts: list[int] = []
    offset = 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    spans: set[Span] = set()
    text = " ".join(tokens)
    found = (
        extract_skills(text) if extractor == "named" else extract_skill_phrases(text, named=True)
    )
    for mention in found:
        if mention.kind not in kinds:
            continue
        covered = [
            i
            for i, s in enumerate(starts)
            if s < mention.end and s + len(tokens[i]) > mention.start
        ]
        if covered:
            spans.add((covered[0], covered[-1] + 1))
    return spans


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _overlaps(span: Span, others: set[Span]) -> bool:
    return any(span[0] < o[1] and o[0] < span[1] for o in others)


def score_dataset(dataset: Dataset, sentences: Sequence[Sentence]) -> Score:
    """Micro-averaged strict and loose span P/R/F1 over all sentences."""
    gold_total = predicted_total = exact = pred_hit = gold_hit = 0
    for sentence in sentences:
        if dataset.column - 1 >= len(sentence.columns):
            continue
        gold = gold_spans(sentence.columns[dataset.column - 1], dataset.tags)
        predicted = predicted_spans(sentence.tokens, dataset.kinds, dataset.extractor)
        gold_total += len(gold)
        predicted_total += len(predicted)
        exact += len(gold & predicted)
        pred_hit += sum(_overlaps(p, gold) for p in predicted)
        gold_hit += sum(_overlaps(g, predicted) for g in gold)
    sp, sr = _ratio(exact, predicted_total), _ratio(exact, gold_total)
    lp, lr = _ratio(pred_hit, predicted_total), _ratio(gold_hit, gold_total)
    return Score(
        dataset.name, len(sentences), gold_total, predicted_total,
        sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr), dataset.headline,
    )  # fmt: skip


def evaluate_dir(directory: Path, part: Part = "all") -> list[Score]:
    """Score every dataset whose file is present in directory, on one part of each."""
    cache: dict[str, list[Sentence]] = {}
    scores: list[Score] = []
    for dataset in DATASETS:
        path = directory / dataset.filename
        if not path.is_file():
            continue
        if dataset.filename not in cache:
            cache[dataset.filename] = read_conll(path)
        scores.append(score_dataset(dataset, select_part(cache[dataset.filename], part)))
    return scores


def format_scores(scores: Sequence[Score]) -> str:
    """A table of the figures, each F1 with its target beside it."""
    lines = [
        f"{'dataset':40} {'gold':>5} {'pred':>5}  {'strict P/R/F1':>20} {'loose P/R/F1':>20}",
    ]
    for s in scores:
        lines.append(
            f"{s.name:40} {s.gold:5d} {s.predicted:5d}  "
            f"{s.strict_precision:.2f}/{s.strict_recall:.2f}/{s.strict_f1:.3f}       "
            f"{s.loose_precision:.2f}/{s.loose_recall:.2f}/{s.loose_f1:.3f}"
        )
    for s in scores:
        if s.headline:
            lines.append(
                f"{s.name}: strict F1 {s.strict_f1:.3f} (target >= {TARGET_STRICT_F1}), "
                f"loose F1 {s.loose_f1:.3f} (target >= {TARGET_LOOSE_F1})"
            )
    return "\n".join(lines)


def meets_targets(scores: Sequence[Score]) -> bool:
    """True when every headline dataset reaches both F1 targets."""
    return all(
        s.strict_f1 >= TARGET_STRICT_F1 and s.loose_f1 >= TARGET_LOOSE_F1
        for s in scores
        if s.headline
    )


def main(argv: list[str]) -> int:
    """CLI entry: print the figures; exit 2 without data, 1 with --check below target."""
    parser = argparse.ArgumentParser(prog="atspro eval skills", description=__doc__)
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when below target")
    parser.add_argument(
        "--part", choices=PARTS, default="all", help="score the dev or held-out split only"
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

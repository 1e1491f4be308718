"""Match benchmarks: one score, ranking 1,000 resumes, one offline optimize.

Run: ``.venv/bin/python benchmarks/match.py [DATA_DIR]``. Uses the Resume-Matcher resumes
and jobs from the shared data (parsed once, outside the timings) and prints each figure
with its target. CPU time of this process (time.process_time: the machine is shared, wall time swings with load); the taxonomy is loaded before
timing starts (it is loaded once per process).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

from atspro.evaluation.match import DEFAULT_DATA_DIR, load_jobs, load_resumes
from atspro.matching import prepare_job, prepare_resume, rank_resumes, score_match
from atspro.matching.titles import title_similarity
from atspro.matching.vocabulary import canonical_term, find_mentions, kind_of, related_terms
from atspro.tailoring import tailor_resume

TODAY = date.today()


def _p50_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def main(argv: list[str]) -> int:
    """Print each benchmark figure beside its target; 1 if a target is missed."""
    data = Path(argv[0]) if argv else DEFAULT_DATA_DIR
    resumes = list(load_resumes(data / "resumes" / "resume-matcher").values())
    jobs = list(load_jobs(data / "jobs" / "resume-matcher").values())
    score_match(resumes[0], jobs[0], today=TODAY)  # load the taxonomy

    pairs = [(r, j) for r in resumes for j in jobs]
    cold: list[float] = []
    for resume, job in pairs:
        # A fresh copy per call so no per-resume result is reused from an earlier call.
        fresh = resume.model_copy(deep=True)
        fresh.summary += f" ({len(cold)})"
        start = time.process_time()
        score_match(fresh, job, today=TODAY)
        cold.append(time.process_time() - start)
    cleared: list[float] = []
    for resume, job in pairs[:10]:
        # Worst case: every phrase cache emptied (a fresh worker, after the taxonomy loaded).
        for cached in (canonical_term, find_mentions, related_terms, kind_of, title_similarity):
            cached.cache_clear()
        start = time.process_time()
        score_match(resume, job, today=TODAY)
        cleared.append(time.process_time() - start)
    warm: list[float] = []
    for _ in range(5):
        for resume, job in pairs:
            start = time.process_time()
            score_match(resume, job, today=TODAY)
            warm.append(time.process_time() - start)

    # 1,000 stored resumes: varied copies of the sample resumes, prepared ahead (as stored).
    stored = []
    for index in range(1000):
        copy = resumes[index % len(resumes)].model_copy(deep=True)
        copy.skills = copy.skills[index % 3 :]
        stored.append(prepare_resume(copy, today=TODAY))
    rank_times: list[float] = []
    for job in jobs:
        start = time.process_time()
        rank_resumes(stored, prepare_job(job))
        rank_times.append(time.process_time() - start)

    optimize: list[float] = []
    for resume, job in pairs:
        start = time.process_time()
        tailor_resume(resume, job, today=TODAY)
        optimize.append(time.process_time() - start)

    rows = [
        ("score one resume vs one job, p50 (new resume each call)", _p50_ms(cold), 20.0, "ms"),
        ("score one resume vs one job, p50 (repeat pair)", _p50_ms(warm), 20.0, "ms"),
        ("score one resume vs one job, p50 (phrase caches cleared)", _p50_ms(cleared), 20.0, "ms"),
        ("rank 1,000 prepared resumes vs one job, p50", _p50_ms(rank_times) / 1000.0, 2.0, "s"),
        ("offline optimize (tailor + check), p50", _p50_ms(optimize), 200.0, "ms"),
    ]
    missed = 0
    for name, value, target, unit in rows:
        ok = value <= target
        missed += not ok
        print(
            f"{name:<58} {value:8.2f} {unit}   target <= {target:g} {unit}   {'ok' if ok else 'MISSED'}"
        )
    print(
        f"(pairs: {len(pairs)}; rank runs: {len(rank_times)}; optimize max {max(optimize) * 1000:.1f} ms)"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Rank benchmark: 1,000 resumes against one posting, wall time beside the 2 s target.

Run: ``.venv/bin/python benchmarks/rank_resumes.py [--resumes 1000] [--rounds 3]``.
Goes through the ranking task's own path (``score_resumes``: the job prepared once in the
CPU worker process, then one process call per chunk of resumes, with progress after each)
with the calls attributed to one user, so it holds one worker process as a user's task does.
No Redis or PostgreSQL: the resumes are the stored JSON of generated resumes (strong, partial
and poor fits of the software posting), each with a distinct summary so no text cache is
reused across them. Prints the wall time and the CPU time of the worker process (the machine
is shared; CPU time is what load does not inflate); the first round also starts the process.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this directory last on sys.path so no module here can shadow the standard library.
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] == _HERE:
    sys.path.append(sys.path.pop(0))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from atspro import cpu_pool  # noqa: E402
from atspro.evaluation.fit_pairs import LEVELS, SPECS, build_resume, posting_text  # noqa: E402
from atspro.evaluation.match import FIT_TODAY  # noqa: E402
from atspro.jobs.service import parse_job_from_text  # noqa: E402
from atspro.workers.handlers.ranking import CHUNK_SIZE, score_resumes  # noqa: E402

TARGET_S = 2.0


def stored_resumes(count: int) -> list[tuple[str, dict[str, Any]]]:
    """``count`` (id, resume JSON) pairs cycling through the fit levels, each text distinct."""
    spec = SPECS[0]
    out: list[tuple[str, dict[str, Any]]] = []
    for index in range(count):
        resume = build_resume(spec, LEVELS[index % len(LEVELS)], index)
        resume.summary += f" Reference {index}."
        out.append((f"r{index:05d}", resume.model_dump(mode="json")))
    return out


def worker_cpu_s() -> float:
    """User plus system CPU seconds of the CPU worker processes alive now (Linux)."""
    total = 0
    for pid in cpu_pool.TASKS.pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


async def main(count: int, rounds: int) -> int:
    job = parse_job_from_text(posting_text(SPECS[0]))
    resumes = stored_resumes(count)
    cpu_pool.set_caller("bench-user")
    reports: list[int] = []

    async def progress(percent: int, message: str) -> None:
        del message
        reports.append(percent)

    walls: list[float] = []
    cpus: list[float] = []
    try:
        await cpu_pool.TASKS.warm_up()
        for round_ in range(rounds):
            reports.clear()
            cpu_before, start = worker_cpu_s(), time.perf_counter()
            ranked = await score_resumes(job, resumes, today=FIT_TODAY, progress=progress)
            wall = time.perf_counter() - start
            cpu = worker_cpu_s() - cpu_before
            walls.append(wall)
            cpus.append(cpu)
            top = ranked[0]
            print(
                f"round {round_ + 1}: {len(ranked)} ranked in {wall:.2f} s wall, "
                f"{cpu:.2f} s worker CPU, {len(reports)} progress reports; "
                f"best {top['overall_score']} ({top['candidate_name']}), "
                f"worst {ranked[-1]['overall_score']}"
            )
    finally:
        cpu_pool.shut_down()
    wall = statistics.median(walls)
    ok = wall <= TARGET_S
    print(
        f"rank {count} resumes vs one job (chunks of {CHUNK_SIZE}), median wall {wall:.2f} s, "
        f"worker CPU {statistics.median(cpus):.2f} s   target <= {TARGET_S:g} s   "
        f"{'ok' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resumes", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.resumes, args.rounds)))

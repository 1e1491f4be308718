"""Grounding of model output: speed, and how often it keeps truth and drops inventions.

Run from the project root: ``PYTHONPATH=. .venv/bin/python benchmarks/llm_grounding.py``.
Data: the hand-labelled OfflineCV resumes (``*.truth.json`` beside each PDF) in
../shared/data. For each, a "faithful model" answer is built from the truth file and grounded
against the PDF's text (pdfminer); the truth values that survive are the keep rate. The
"inventions" are the other files' names, emails, phones, titles, companies and schools that do
not occur verbatim in this text; the share dropped is the drop rate. A model path round trip
(openai package -> fake server on loopback -> grounding) is timed too: the CPU our side
spends per call (the model's own seconds are not ours to budget).
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from pdfminer.high_level import extract_text

from atspro.llm.client import LLMClient
from atspro.llm.grounding import Check, SourceText
from atspro.llm.resume import ResumeDraft, ground_resume, parse_resume_with_model, resume_from_draft
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, Reply
from tests.llm.test_resume import draft_from_truth

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
TARGET_GROUND_P50_MS = 5.0  # own budget: small next to a model call
TARGET_KEEP_RATE = 1.0
TARGET_DROP_RATE = 0.95
TARGET_CLIENT_CPU_P50_MS = 15.0  # our side of a model call: request, validation, grounding


def load_cases() -> list[tuple[dict[str, Any], str]]:
    cases = []
    for truth_path in sorted(SHARED.glob("resumes/offlinecv/*/*.truth.json")):
        pdf = truth_path.with_name(truth_path.name.replace(".truth.json", ".pdf"))
        cases.append((json.loads(truth_path.read_text()), extract_text(pdf)))
    return cases


def truth_values(truth: dict[str, Any]) -> list[tuple[str, Check]]:
    contact = truth["contact"]
    values = [
        (contact.get("full_name"), Check.PHRASE),
        (contact.get("email"), Check.EMAIL),
        (contact.get("phone"), Check.PHONE),
    ]
    values += [
        (job.get(k), Check.PHRASE) for job in truth["experience"] for k in ("title", "company")
    ]
    values += [(school.get("institution"), Check.PHRASE) for school in truth["education"]]
    return [(v, c) for v, c in values if v]


def flat(value: str) -> str:
    return re.sub(r"\W+", "", value.casefold())


def measure_grounding(cases: list[tuple[dict[str, Any], str]]) -> None:
    drafts = [resume_from_draft(draft_from_truth(truth)) for truth, _ in cases]
    timings: list[float] = []
    for _ in range(20):
        for resume, (_, text) in zip(drafts, cases, strict=True):
            started = time.process_time()
            ground_resume(resume, SourceText(text))
            timings.append((time.process_time() - started) * 1000)
    p50 = statistics.median(timings)
    print(f"ground one resume (CPU, p50)   {p50:7.2f} ms    target <= {TARGET_GROUND_P50_MS} ms")

    kept = total = 0
    for resume, (_, text) in zip(drafts, cases, strict=True):
        grounded = ground_resume(resume, text)
        before = resume.model_dump_json()
        total += 1
        kept += grounded.value.model_dump_json() == before
    print(
        f"faithful answers kept whole     {kept / total:7.2%}       target >= {TARGET_KEEP_RATE:.0%}"
    )

    dropped = invented = 0
    for i, (_, text) in enumerate(cases):
        source = SourceText(text)
        squeezed = flat(text)
        for j, (other, _) in enumerate(cases):
            if i == j:
                continue
            for value, check in truth_values(other):
                if flat(value) in squeezed:
                    continue  # the same fake persona detail, really in this text
                invented += 1
                dropped += not source.supports(value, check)
    print(
        f"inventions dropped ({invented:3d})       {dropped / invented:7.2%}       target >= {TARGET_DROP_RATE:.0%}"
    )


async def measure_round_trip(cases: list[tuple[dict[str, Any], str]]) -> None:
    truth, text = cases[0]
    reply = Reply.structured(draft_from_truth(truth))
    cpu: list[float] = []
    wall: list[float] = []
    async with FakeOpenAIServer() as server:
        client = LLMClient(model=MODEL_ID, base_url=server.base_url, max_retries=0)
        try:
            for _ in range(30):
                server.enqueue(reply)
                started, started_cpu = time.perf_counter(), time.thread_time()
                await parse_resume_with_model(text, client=client)
                # thread_time: this thread only, so the fake server's own work is not counted
                cpu.append((time.thread_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
        finally:
            await client.aclose()
    print(
        f"model path, client CPU (p50)    {statistics.median(cpu):7.2f} ms    "
        f"target <= {TARGET_CLIENT_CPU_P50_MS} ms"
    )
    print(f"model path, wall incl. fake server (p50, info) {statistics.median(wall):7.2f} ms")


def main() -> None:
    if not SHARED.exists():
        sys.exit(f"shared data not found at {SHARED}")
    cases = load_cases()
    print(f"{len(cases)} labelled resumes; schema {ResumeDraft.__name__}")
    measure_grounding(cases)
    asyncio.run(measure_round_trip(cases))


if __name__ == "__main__":
    main()

"""API memory through a burst of large uploads, and whether it is given back (issue 15, item 8).

Run: .venv/bin/python benchmarks/upload_memory.py [--uploads 50] [--megabytes 9.5]

Starts the API (``atspro serve --no-workers``, as the platform benchmark builds it) on
loopback, in a throwaway database and Redis prefix (BENCH_REDIS_URL / BENCH_DATABASE_URL),
sends that many concurrent ``parseResume`` uploads of a text resume of that size with the
GraphQL multipart spec, and prints the API process's RSS before, at its peak, and 5 s after
the burst, beside the targets. Bounded: one burst, then it stops.
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
import contextlib  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402

import httpx  # noqa: E402
import psutil  # noqa: E402
from _platform_services import bench_services  # noqa: E402
from task_platform import server  # noqa: E402

from atspro.auth import issue_token  # noqa: E402
from atspro.runtime import open_runtime  # noqa: E402
from atspro.workers.handlers import default_registry  # noqa: E402

PEAK_TARGET_MB = 1024.0
# What "given back" means here: the process settles within this much of where it started.
RETURNED_TARGET_MB = 150.0
UPLOAD = (
    "mutation($file: Upload!) { parseResume(file: $file) { __typename "
    "... on ResumeTask { resumeId } ... on InputError { message } } }"
)


def resume_bytes(megabytes: float) -> bytes:
    head = b"Jordan Avery\njordan@example.org\n\nExperience\nBackend Engineer, Acme (2020-2024)\n"
    filler = b"- Built Python services on PostgreSQL and Redis for the payments team.\n"
    size = int(megabytes * 1024 * 1024)
    return head + filler * ((size - len(head)) // len(filler))


async def upload(client: httpx.AsyncClient, data: bytes, index: int) -> str:
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}})
    files = {"0": (f"resume-{index}.txt", data, "text/plain")}
    r = await client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files=files,
    )
    return str(r.json()["data"]["parseResume"]["__typename"]) if r.status_code == 200 else str(r)


async def sample_peak(process: psutil.Process, stop: asyncio.Event) -> float:
    peak = 0
    while not stop.is_set():
        with contextlib.suppress(psutil.Error):
            peak = max(peak, process.memory_info().rss)
        await asyncio.sleep(0.05)
    return peak / 1024 / 1024


def line(name: str, value: str, target: str, ok: bool | None) -> None:
    verdict = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"{name:<40} {value:<16} {target:<22} {verdict}")


async def main(uploads: int, megabytes: float) -> None:
    data = resume_bytes(megabytes)
    async with bench_services() as services:
        settings = services.settings(run_workers_in_api=False)
        with tempfile.TemporaryDirectory() as tmp:
            async with (
                server("atspro", services, Path(tmp)) as api,
                open_runtime(settings, registry=default_registry(), run_workers=False) as runtime,
            ):
                token = await issue_token(runtime.pool, user_id="upload-bench")
                headers = {"Authorization": f"Bearer {token}"}
                async with httpx.AsyncClient(base_url=api.url, timeout=120, headers=headers) as c:
                    await upload(c, resume_bytes(0.1), -1)  # warm-up, not counted
                    await asyncio.sleep(1)
                    before = api.process.memory_info().rss / 1024 / 1024
                    stop = asyncio.Event()
                    peak_task = asyncio.create_task(sample_peak(api.process, stop))
                    answers = await asyncio.gather(*(upload(c, data, i) for i in range(uploads)))
                    stop.set()
                    peak = await peak_task
                    await asyncio.sleep(5)
                    after = api.process.memory_info().rss / 1024 / 1024
    accepted = sum(answer == "ResumeTask" for answer in answers)
    print(f"{uploads} concurrent uploads of {megabytes:g} MB: {accepted} accepted")
    if accepted != uploads:
        print("answers:", sorted(set(answers)))
    line("API RSS before", f"{before:.0f} MB", "", None)
    line("API RSS peak", f"{peak:.0f} MB", f"<= {PEAK_TARGET_MB:g} MB", peak <= PEAK_TARGET_MB)
    line(
        "API RSS 5 s after (growth)",
        f"{after:.0f} MB (+{after - before:.0f})",
        f"growth <= {RETURNED_TARGET_MB:g} MB",
        after - before <= RETURNED_TARGET_MB,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--megabytes", type=float, default=9.5)
    args = parser.parse_args()
    asyncio.run(main(min(args.uploads, 200), min(args.megabytes, 10.0)))

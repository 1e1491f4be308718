"""Document store figures on the real PostgreSQL, each printed beside its target.

    PYTHONPATH=. .venv/bin/python benchmarks/documents.py [--dsn postgresql://postgres@127.0.0.1:5432/test]

Creates a throwaway database, applies the migrations, measures, and drops it. The
targets are this module's own budgets; "list 1,000" is the read behind issue 5's
"rank 1,000 stored resumes in 2 s" and gets a tenth of that budget.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from atspro.db.migrate import apply_migrations
from atspro.db.pool import create_pool
from atspro.documents.postgres import PostgresDocumentStore


def _resume(n: int) -> dict[str, object]:
    """A resume-sized document (about 6 KB of JSON)."""
    return {
        "contact": {"full_name": f"Person {n}", "email": f"p{n}@example.org"},
        "summary": "Engineer who builds reliable backend systems. " * 5,
        "experience": [
            {
                "title": "Senior Engineer",
                "company": f"Company {n}-{i}",
                "dates": "2019 - 2024",
                "bullets": ["Designed and shipped services handling real traffic." * 2] * 5,
            }
            for i in range(5)
        ],
        "skills": [f"skill-{i}" for i in range(40)],
    }


async def _timed(call: Callable[[], Awaitable[object]], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _report(name: str, samples: list[float], target: str) -> None:
    p50 = statistics.median(samples)
    p99 = statistics.quantiles(samples, n=100)[98] if len(samples) >= 100 else max(samples)
    print(f"{name:<34} p50 {p50:8.2f} ms   p99 {p99:8.2f} ms   target {target}")


async def run(dsn: str) -> None:
    """Measure and print every figure."""
    name = f"atspro_docs_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    pool = await create_pool(urlunsplit(urlsplit(dsn)._replace(path=f"/{name}")), max_size=4)
    try:
        await apply_migrations(pool)
        store = PostgresDocumentStore(pool, max_blob_bytes=20 * 1024 * 1024)
        user = "bench-user"
        # Other users' rows, so the owner index has something to skip.
        for other in range(4):
            for n in range(250):
                await store.put(
                    kind="resume", user_id=f"other-{other}", doc_id=f"r{n}", data=_resume(n)
                )
        counter = iter(range(10**9))
        put = await _timed(
            lambda: store.put(
                kind="resume", user_id=user, doc_id=f"r{next(counter)}", data=_resume(0)
            ),
            1000,
        )
        _report("put (6 KB resume)", put, "p50 <= 2 ms")
        ids = iter([f"r{n % 1000}" for n in range(1000)])
        get = await _timed(lambda: store.get(kind="resume", user_id=user, doc_id=next(ids)), 1000)
        _report("get", get, "p50 <= 1 ms")
        page = await _timed(lambda: store.list(kind="resume", user_id=user, first=20), 300)
        _report("list first=20", page, "p50 <= 3 ms")
        everything = await _timed(lambda: store.list(kind="resume", user_id=user, first=1000), 20)
        _report("list first=1000 (whole page)", everything, "p50 <= 200 ms")
        blob = os.urandom(1024 * 1024)
        put_blob = await _timed(
            lambda: store.put_blob(
                user_id=user, blob_id="b", data=blob, filename="cv.pdf", media_type="a/b"
            ),
            50,
        )
        _report("put_blob 1 MB", put_blob, "p50 <= 20 ms")
        get_blob = await _timed(lambda: store.get_blob(user_id=user, blob_id="b"), 50)
        _report("get_blob 1 MB", get_blob, "p50 <= 10 ms")
    finally:
        await pool.close()
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    asyncio.run(run(parser.parse_args().dsn))


if __name__ == "__main__":
    main()

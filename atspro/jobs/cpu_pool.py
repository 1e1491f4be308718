"""One small thread pool for the CPU-bound work of reading postings.

Decoding, content checks and parsing are pure-Python work that holds the GIL. Run on
many threads at once they starve the event-loop thread of it (loop lag grows with the
thread count), so all of it shares one worker: throughput stays the same on a busy
machine and the loop keeps answering.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_WORKERS = 1
_pool: ThreadPoolExecutor | None = None


async def run_cpu(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``func`` on the shared CPU worker without blocking the event loop."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="atspro-jobs-cpu")
    call = functools.partial(func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_pool, call)

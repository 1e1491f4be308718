"""A worker process for the fault tests: ``atspro worker`` with the test handlers.

Run as ``python -m tests.faults.worker_process`` from the project root, configured by the
usual environment variables (DATABASE_URL, REDIS_URL, REDIS_QUEUE_PREFIX, ...). Mirrors
``atspro.cli._worker``: runs a WorkerPool until SIGTERM/SIGINT, then shuts down gracefully.
Prints ``ready <pid> <consumer>`` once it takes work.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

from atspro.runtime import open_runtime
from atspro.settings import Settings
from tests.faults.handlers import build_registry

log = logging.getLogger("faults.worker")


async def run(settings: Settings) -> int:
    """Serve tasks until a stop signal arrives."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with open_runtime(settings, registry=build_registry(), run_workers=True) as runtime:
        assert runtime.workers is not None
        print(f"ready {os.getpid()} {runtime.workers.consumer}", flush=True)
        await stop.wait()
        log.info("stopping (grace %.1fs)", settings.shutdown_grace_s)
    print("stopped", flush=True)
    return 0


def main() -> int:
    """Entry point: settings from the environment only (no .env)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return asyncio.run(run(Settings(_env_file=None)))


if __name__ == "__main__":
    sys.exit(main())

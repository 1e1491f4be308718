"""Child script for the orphan test: start both embedded servers, report pids, then wait.

Run as ``python orphan_parent.py DATA_DIR``; prints one JSON line once the servers are up.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from atspro.embedded import EmbeddedPostgres, EmbeddedRedis


async def main(data_dir: Path) -> None:
    redis, postgres = EmbeddedRedis(data_dir), EmbeddedPostgres(data_dir)
    await asyncio.gather(redis.start(), postgres.start())
    print(json.dumps({"redis": redis.pid, "postgres": postgres.pid}), flush=True)
    await asyncio.sleep(120)  # the test SIGKILLs us long before this


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))

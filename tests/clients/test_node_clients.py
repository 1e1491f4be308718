"""urql, Apollo Client and graphql-ws, as people use them, against a real server.

Each Node test file in clients/test/ runs under ``node --test`` with the server's URL and a
fresh user's token; it passes only when every step of its flow did.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from .conftest import Api

NODE_TESTS = sorted(
    p.name for p in (Path(__file__).resolve().parents[2] / "clients" / "test").glob("*.test.mjs")
)


async def run_node_test(
    clients: Path, path: str, *, url: str, token: str, extra_env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Runs one Node test file (without blocking the loop the server runs on)."""
    env = {**os.environ, "ATSPRO_URL": url, "ATSPRO_TOKEN": token, "NO_COLOR": "1"}
    env.update(extra_env or {})
    process = await asyncio.create_subprocess_exec(
        "node",
        "--test",
        "--test-reporter=tap",
        path,
        cwd=clients,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    except TimeoutError:
        process.kill()
        output, _ = await process.communicate()
        return -1, output.decode() + "\n(killed after 60 s)"
    assert process.returncode is not None
    return process.returncode, output.decode()


def passed(output: str) -> bool:
    """The TAP summary says at least one test ran and none failed."""
    return bool(
        re.search(r"^# pass [1-9]", output, re.M) and re.search(r"^# fail 0$", output, re.M)
    )


@pytest.mark.parametrize("name", NODE_TESTS)
async def test_node_client(node_clients: Path, api: Api, name: str) -> None:
    token = await api.token(name.split(".")[0])
    code, output = await run_node_test(node_clients, f"test/{name}", url=api.url, token=token)
    assert code == 0 and passed(output), output

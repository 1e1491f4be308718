"""HTTP load for the platform benchmark, generated in a separate process.

``wrk`` (Debian package ``wrk``) is used when installed: it is C and barely takes CPU from
the server on a 2-core machine. Otherwise this file runs itself as a child process with
httpx and N concurrent connections (heavier on the client side, so numbers are lower).

Child run: python benchmarks/_platform_load.py URL BODY_FILE TOKEN MARKER SECONDS CONNECTIONS
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this directory last on sys.path so no module here can shadow the standard library.
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] == _HERE:
    sys.path.append(sys.path.pop(0))

import asyncio  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

_WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
wrk.body = %(body)s
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, %(marker)s, 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99),
    b + e.connect + e.read + e.write + e.timeout, latency.max))
end
"""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One load run: throughput, latency percentiles and failed responses."""

    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failures: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load_tool() -> str:
    """``wrk`` when installed, else the httpx child process."""
    return "wrk" if shutil.which("wrk") else "httpx"


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def run_load(
    url: str, *, body: str, token: str, marker: str, seconds: float, connections: int
) -> LoadResult:
    """POST ``body`` to ``url`` from ``connections`` clients for ``seconds``.

    A response counts as failed unless it is HTTP 200 and contains ``marker``.
    """
    if load_tool() == "wrk":
        return _run_wrk(
            url, body=body, token=token, marker=marker, seconds=seconds, connections=connections
        )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(body)
    try:
        out = subprocess.run(
            [sys.executable, __file__, url, f.name, token, marker, str(seconds), str(connections)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        Path(f.name).unlink()
    data = json.loads(out.strip().splitlines()[-1])
    return LoadResult("httpx", **data)


def _run_wrk(
    url: str, *, body: str, token: str, marker: str, seconds: float, connections: int
) -> LoadResult:
    script = _WRK_SCRIPT % {
        "token": token,
        "body": _lua_string(body),
        "marker": _lua_string(marker),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        # One thread: a single wrk thread drives 8 connections far faster than the server
        # answers, and leaves the most CPU to the server.
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", f.name, url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        Path(f.name).unlink()
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, duration_us, p50_us, p99_us, failures, _ = (int(x) for x in line.split()[1:])
    return LoadResult("wrk", requests, duration_us / 1e6, p50_us / 1000, p99_us / 1000, failures)


async def _child(
    url: str, body: str, token: str, marker: str, seconds: float, connections: int
) -> dict[str, object]:
    import httpx

    latencies: list[float] = []
    failures = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + seconds

        async def client_loop() -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                r = await client.post(url, content=body, headers=headers)
                latencies.append(time.perf_counter() - started)
                if r.status_code != 200 or marker not in r.text:
                    failures += 1

        began = time.perf_counter()
        await asyncio.gather(*(client_loop() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "failures": failures,
    }


if __name__ == "__main__":
    url_arg, body_file, token_arg, marker_arg, seconds_arg, connections_arg = sys.argv[1:7]
    result = asyncio.run(
        _child(
            url_arg,
            Path(body_file).read_text(),
            token_arg,
            marker_arg,
            float(seconds_arg),
            int(connections_arg),
        )
    )
    print(json.dumps(result))

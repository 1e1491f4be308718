"""Compression bombs through the real fetcher: peak RSS growth and time to refuse.

Issue 15 measured the API process at 2.3 GB for one ``Content-Encoding: gzip, gzip`` page,
4.3 GB for four, and 256 -> 876 MB for ten single-gzip bombs. This serves 10 single-gzip
bombs (1 GiB of zeros each, about 1 MB on the wire) and 4 double-gzip bombs from a child
process on 127.0.0.1, fetches all 14 at once through ``PageFetcher.from_settings`` (each
as a different user, so only the process cap applies), and prints the fetching process's
peak RSS growth beside the target, and how long each refusal took. A second round turns
the ratio check off so the byte cap (FETCH_MAX_BYTES) alone has to hold.

Loopback only, bounded: one round is 14 requests and ends within FETCH_TIMEOUT_S.

Run: .venv/bin/python benchmarks/fetch_bombs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this directory last on sys.path so no module here can shadow the standard library.
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] == _HERE:
    sys.path.append(sys.path.pop(0))

import asyncio  # noqa: E402
import contextlib  # noqa: E402
import gzip  # noqa: E402
import multiprocessing  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import zlib  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402

import psutil  # noqa: E402

from atspro.errors import ATSProError  # noqa: E402
from atspro.jobs.fetch import PageFetcher  # noqa: E402
from atspro.settings import Settings  # noqa: E402

SINGLE = 10
DOUBLE = 4
BOMB_BYTES = 1024 * 1024 * 1024
TARGET_GROWTH_MB = 64.0
MB = 1024 * 1024


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes gzipped, built a MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(MB)
    return b"".join([*(packer.compress(block) for _ in range(size // MB)), packer.flush()])


def serve(ready: Connection) -> None:
    """Child process: serve /single and /double bombs on an ephemeral loopback port."""
    single = gzip_bomb(BOMB_BYTES)
    bodies = {
        "/single": (single, "gzip"),
        "/double": (gzip.compress(single), "gzip, gzip"),
        "/warm": (b"missing", ""),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, coding = bodies.get(self.path.split("?")[0], (b"", ""))
            self.send_response(200 if coding else 404)
            self.send_header("Content-Type", "text/html")
            if coding:
                self.send_header("Content-Encoding", coding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The fetcher hangs up once it refuses: that is the point.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            del format, args

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    ready.send((httpd.server_address[1], len(single), len(bodies["/double"][0])))
    httpd.serve_forever(poll_interval=0.05)


def reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of this process's RSS (Linux 4.0+)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss() -> int:
    """VmHWM of this process in bytes (peak resident set since the last reset)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return psutil.Process().memory_info().rss


async def fetch_one(fetcher: PageFetcher, url: str, user: str) -> tuple[str, float]:
    start = time.perf_counter()
    try:
        await fetcher.fetch(url, user_id=user)
        outcome = "FETCHED (not refused!)"
    except ATSProError as exc:
        outcome = f"{type(exc).__name__}: {exc.message.replace(url, '<url>')[:90]}"
    return outcome, time.perf_counter() - start


async def one_round(port: int, *, ratio: float, label: str) -> float:
    settings = Settings(
        fetch_allowed_hosts=[f"127.0.0.1:{port}"], fetch_max_compression_ratio=ratio
    )
    base = f"http://127.0.0.1:{port}"
    async with PageFetcher.from_settings(settings) as fetcher:
        await fetch_one(fetcher, f"{base}/warm", "warm-up")  # imports, TLS context, pool
        rss_before = psutil.Process().memory_info().rss
        exact = reset_peak_rss()
        sampled = rss_before

        async def sample() -> None:
            nonlocal sampled
            while True:
                sampled = max(sampled, psutil.Process().memory_info().rss)
                await asyncio.sleep(0.005)

        sampler = asyncio.create_task(sample())
        urls = [f"{base}/single?{i}" for i in range(SINGLE)]
        urls += [f"{base}/double?{i}" for i in range(DOUBLE)]
        started = time.perf_counter()
        results = await asyncio.gather(
            *(fetch_one(fetcher, url, f"user-{i}") for i, url in enumerate(urls))
        )
        wall = time.perf_counter() - started
        sampler.cancel()
        peak = peak_rss() if exact else sampled
    growth = (max(peak, sampled) - rss_before) / MB
    single_s = [t for (_, t), url in zip(results, urls, strict=True) if "/single" in url]
    double_s = [t for (_, t), url in zip(results, urls, strict=True) if "/double" in url]
    print(f"\n{label} (FETCH_MAX_COMPRESSION_RATIO={ratio:g}, FETCH_MAX_BYTES="
          f"{settings.fetch_max_bytes // MB} MiB, FETCH_MAX_CONCURRENT="
          f"{settings.fetch_max_concurrent})")  # fmt: skip
    for outcome in sorted({o for o, _ in results}):
        print(f"  {sum(o == outcome for o, _ in results):2d} x {outcome}")
    print(f"  RSS before {rss_before / MB:.0f} MB, peak growth {growth:.1f} MB "
          f"(target <= {TARGET_GROWTH_MB:.0f} MB: {'met' if growth <= TARGET_GROWTH_MB else 'MISSED'})"
          f"{'' if exact else ' [sampled every 5 ms; VmHWM reset unavailable]'}")  # fmt: skip
    print(f"  time to refuse: single gzip median {statistics.median(single_s) * 1000:.0f} ms, "
          f"max {max(single_s) * 1000:.0f} ms; gzip, gzip median "
          f"{statistics.median(double_s) * 1000:.0f} ms, max {max(double_s) * 1000:.0f} ms; "
          f"all {len(urls)} in {wall * 1000:.0f} ms")  # fmt: skip
    return growth


async def main() -> int:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(child,), daemon=True)
    server.start()
    try:
        if not parent.poll(120):
            print("bomb server did not start")
            return 1
        port, single_len, double_len = parent.recv()
        print(f"bombs on 127.0.0.1:{port}: {SINGLE} x gzip ({single_len / MB:.2f} MB on the "
              f"wire, {BOMB_BYTES // MB} MiB decoded), {DOUBLE} x 'gzip, gzip' "
              f"({double_len / 1024:.0f} KB on the wire)")  # fmt: skip
        growth = await one_round(port, ratio=100.0, label="default settings")
        await one_round(port, ratio=1e9, label="ratio check off: the byte cap alone")
    finally:
        server.terminate()
        server.join(5)
    return 0 if growth <= TARGET_GROWTH_MB else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

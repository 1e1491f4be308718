"""Attacks on job-page fetching, reproduced against real local servers (issue 15, items 2, 7).

Compression bombs (stacked and single), unknown encodings, the allow-list's port, one
error for every unreachable address, slow-loris and reset connections, and the
concurrency caps. Memory is measured with tracemalloc around the fetch, not as RSS.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import socket
import struct
import threading
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest

from atspro.errors import ATSProError, ErrorKind, TaskError
from atspro.jobs.decoding import PIECE_BYTES, BodyTooLarge, BoundedDecoder
from atspro.jobs.errors import (
    FetchBusy,
    FetchTimeout,
    HostUnreachable,
    PageTooLarge,
    UnsupportedContent,
)
from atspro.jobs.fetch import PageFetcher
from atspro.jobs.limits import FetchSlots
from atspro.settings import Settings
from atspro.workers.retry import RetryPolicy
from tests.jobs.conftest import PageServer, Reply

HTML = b"<html><body><h1>Data Engineer</h1><p>Build pipelines.</p></body></html>"
CAP = 4 * 1024 * 1024
# What a bomb fetch may allocate beyond the cap: a decoded piece, socket reads, bookkeeping.
SLACK = 2 * 1024 * 1024
BOMB_BYTES = 256 * 1024 * 1024


@functools.cache
def gzip_bomb(size: int = BOMB_BYTES) -> bytes:
    """``size`` zero bytes gzipped (about a thousandth of that on the wire)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


@pytest.fixture
def site() -> Iterator[PageServer]:
    srv = PageServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def other_port() -> Iterator[PageServer]:
    """A second server on the same host: the "Redis" an allowed host must not open."""
    srv = PageServer()
    srv.routes["/secret"] = Reply(b"internal secrets")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
async def fetcher(site: PageServer) -> AsyncIterator[PageFetcher]:
    async with PageFetcher(
        allowed_hosts=[f"127.0.0.1:{site.port}"], max_bytes=CAP, timeout_s=20.0
    ) as f:
        yield f


async def peak_allocation(call: Callable[[], Awaitable[object]]) -> tuple[int, BaseException]:
    """Bytes allocated at the peak while ``call`` ran (it must raise), and its error."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        try:
            await call()
        except ATSProError as exc:
            error: BaseException = exc
        else:
            raise AssertionError("the fetch should have been refused")
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return peak, error


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# -- compression bombs -------------------------------------------------------------------


async def test_stacked_gzip_bomb_is_refused_before_decoding(
    site: PageServer, fetcher: PageFetcher
) -> None:
    # 1 GB after two inflations, a few KB on the wire (the 2.3 GB page).
    site.routes["/double"] = Reply(
        gzip.compress(gzip_bomb()),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip, gzip"},
    )
    peak, error = await peak_allocation(lambda: fetcher.fetch(site.url("/double")))
    assert isinstance(error, UnsupportedContent)
    assert "stacked content encodings (gzip, gzip)" in error.message
    assert peak < SLACK, f"{peak / 2**20:.1f} MiB allocated to refuse a stacked encoding"


async def test_single_gzip_bomb_stops_at_the_cap(site: PageServer) -> None:
    site.routes["/bomb"] = Reply(
        gzip_bomb(), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    # The ratio check off, so the byte cap alone has to hold.
    async with PageFetcher(
        allowed_hosts=[f"127.0.0.1:{site.port}"], max_bytes=CAP, max_compression_ratio=1e9
    ) as fetcher:
        peak, error = await peak_allocation(lambda: fetcher.fetch(site.url("/bomb")))
    assert isinstance(error, PageTooLarge) and error.reason == "too_large"
    assert "KiB limit" in error.message
    # Today's code inflates a whole 64 KiB network chunk in one call: 64 MiB at once.
    assert peak < CAP + SLACK, f"{peak / 2**20:.1f} MiB allocated for a {CAP >> 20} MiB cap"


async def test_gzip_bomb_is_refused_by_its_ratio_early(
    site: PageServer, fetcher: PageFetcher
) -> None:
    site.routes["/bomb"] = Reply(
        gzip_bomb(), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    peak, error = await peak_allocation(lambda: fetcher.fetch(site.url("/bomb")))
    assert isinstance(error, PageTooLarge)
    assert "compression bomb" in error.message
    assert peak < SLACK + 1024 * 1024


def test_decoder_never_produces_more_than_cap_plus_one_piece() -> None:
    bomb = gzip_bomb()
    for ratio, limit in ((1e9, CAP), (100.0, 1024 * 1024)):
        decoder = BoundedDecoder("gzip", max_bytes=CAP, max_ratio=ratio)
        with pytest.raises(BodyTooLarge):
            for start in range(0, len(bomb), 65536):
                for _ in decoder.feed(bomb[start : start + 65536]):
                    pass
        assert decoder.produced <= limit + PIECE_BYTES
        assert decoder.largest_piece <= PIECE_BYTES


@pytest.mark.parametrize("coding", ["compress", "br", "zstd", "gzip, deflate", "x-unknown"])
async def test_unknown_or_stacked_encoding_is_refused(
    site: PageServer, fetcher: PageFetcher, coding: str
) -> None:
    # Today's httpx passes codings it has no decoder for through as if they were identity.
    site.routes["/odd"] = Reply(
        HTML, headers={"Content-Type": "text/html", "Content-Encoding": coding}
    )
    with pytest.raises(UnsupportedContent, match="content encoding"):
        await fetcher.fetch(site.url("/odd"))


async def test_asks_only_for_encodings_it_decodes(site: PageServer, fetcher: PageFetcher) -> None:
    site.routes["/job"] = Reply(
        gzip.compress(HTML), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    page = await fetcher.fetch(site.url("/job"))
    assert "Data Engineer" in page.text
    assert site.accept_encodings == ["gzip, deflate"]


# -- the allow-list and the address oracle -------------------------------------------


async def test_redirect_to_another_port_on_an_allowed_host_is_refused(
    site: PageServer, other_port: PageServer
) -> None:
    for target in (other_port.url("/secret"), other_port.url("/secret", host="localhost")):
        site.routes["/go"] = Reply(status=302, headers={"Location": target})
        allowed = [f"127.0.0.1:{site.port}", f"localhost:{site.port}"]
        async with PageFetcher(allowed_hosts=allowed) as fetcher:
            with pytest.raises(HostUnreachable):
                await fetcher.fetch(site.url("/go"))
    assert other_port.hits == []


async def test_bare_allowed_host_means_the_default_port(other_port: PageServer) -> None:
    # The set-up: FETCH_ALLOWED_HOSTS=["localhost"] opened every local port.
    for host in ("127.0.0.1", "localhost"):
        async with PageFetcher(allowed_hosts=[host]) as fetcher:
            with pytest.raises(HostUnreachable):
                await fetcher.fetch(other_port.url("/secret", host=host))
    assert other_port.hits == []


async def test_scheme_is_part_of_an_entry(other_port: PageServer) -> None:
    allowed = [f"https://127.0.0.1:{other_port.port}"]
    async with PageFetcher(allowed_hosts=allowed) as fetcher:
        with pytest.raises(HostUnreachable):
            await fetcher.fetch(other_port.url("/secret"))
    assert other_port.hits == []


async def test_one_error_for_refused_closed_and_unresolvable_addresses(
    site: PageServer, other_port: PageServer
) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        if host == "nx.test":
            raise OSError("Name or service not known")
        return ["10.1.2.3"]  # private.test

    closed = closed_port()
    allowed = [f"127.0.0.1:{site.port}", f"127.0.0.1:{closed}", "nx.test"]
    cases = {
        "refused by the guard (open port)": other_port.url("/secret"),
        "refused by the guard (private name)": "http://private.test/",
        "refused by the guard (metadata)": "http://169.254.169.254/latest/",
        "connection refused (closed port)": f"http://127.0.0.1:{closed}/",
        "name does not resolve": "http://nx.test/",
        "redirect to a refused port": site.url("/go"),
    }
    site.routes["/go"] = Reply(status=302, headers={"Location": other_port.url("/secret")})
    seen: dict[str, tuple[object, ...]] = {}
    async with PageFetcher(allowed_hosts=allowed, resolver=resolver) as fetcher:
        for name, url in cases.items():
            with pytest.raises(TaskError) as info:
                await fetcher.fetch(url)
            error = info.value
            seen[name] = (type(error), error.code, error.kind, error.message.replace(url, "URL"))
    assert len(set(seen.values())) == 1, seen
    assert seen["name does not resolve"][0] is HostUnreachable
    assert other_port.hits == []


# -- slow and reset connections --------------------------------------------------------


class RawServer:
    """A TCP server on 127.0.0.1 that answers each connection with ``behaviour``."""

    def __init__(self, behaviour: Callable[[socket.socket, threading.Event], None]) -> None:
        self.connections = 0
        self.stopped = threading.Event()
        self._behaviour = behaviour
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while not self.stopped.is_set():
                conn, _ = self._listener.accept()
                self.connections += 1
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.recv(65536)  # the request
            self._behaviour(conn, self.stopped)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.stopped.set()
        self._listener.close()


def trickle(conn: socket.socket, stopped: threading.Event) -> None:
    """Slow loris: headers at once, then one byte of body every 20 ms."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
    while not stopped.wait(0.02):
        conn.sendall(b"x")


def reset_after_headers(conn: socket.socket, stopped: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<p>")
    reset(conn, stopped)


def reset(conn: socket.socket, stopped: threading.Event) -> None:
    # Linger 0: close sends RST instead of FIN.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


@pytest.fixture
def raw_server() -> Iterator[
    Callable[[Callable[[socket.socket, threading.Event], None]], RawServer]
]:
    servers: list[RawServer] = []

    def start(behaviour: Callable[[socket.socket, threading.Event], None]) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield start
    for srv in servers:
        srv.stop()


async def test_slow_loris_body_fails_once_at_the_deadline(
    raw_server: Callable[[Callable[[socket.socket, threading.Event], None]], RawServer],
) -> None:
    srv = raw_server(trickle)
    settings = Settings(fetch_timeout_s=0.5, fetch_allowed_hosts=[f"127.0.0.1:{srv.port}"])
    async with PageFetcher.from_settings(settings) as fetcher:
        with pytest.raises(FetchTimeout) as info:
            await fetcher.fetch(srv.url("/job"))
    assert "0.5 s" in info.value.message
    # Permanent: the deadline already gave the site its whole budget; no task retry.
    assert info.value.kind is ErrorKind.PERMANENT
    assert RetryPolicy().delay(info.value.kind, retry_count=0) is None
    assert srv.connections == 1


@pytest.mark.parametrize("behaviour", [reset, reset_after_headers])
async def test_reset_connection_fails_once(
    raw_server: Callable[[Callable[[socket.socket, threading.Event], None]], RawServer],
    behaviour: Callable[[socket.socket, threading.Event], None],
) -> None:
    srv = raw_server(behaviour)
    async with PageFetcher(allowed_hosts=[f"127.0.0.1:{srv.port}"], timeout_s=5.0) as fetcher:
        with pytest.raises(HostUnreachable) as info:
            await fetcher.fetch(srv.url("/job"))
    assert info.value.kind is ErrorKind.PERMANENT
    assert RetryPolicy().delay(info.value.kind, retry_count=0) is None
    assert srv.connections == 1


# -- concurrency caps ------------------------------------------------------------------


class Gate:
    """``/hold`` answers only once ``open`` is called; ``arrived`` waits for its request."""

    def __init__(self) -> None:
        self._arrived = threading.Event()
        self._opened = threading.Event()

    def held(self, path: str) -> Reply:
        self._arrived.set()
        self._opened.wait(30)
        return Reply(HTML)

    async def arrived(self) -> None:
        assert await asyncio.to_thread(self._arrived.wait, 10)

    def open(self) -> None:
        self._opened.set()


@pytest.fixture
def gate(site: PageServer) -> Iterator[Gate]:
    held = Gate()
    site.routes["/hold"] = held.held
    site.routes["/job"] = Reply(HTML)
    yield held
    held.open()


async def test_user_over_the_cap_is_told_so_and_others_go_on(site: PageServer, gate: Gate) -> None:
    slots = FetchSlots(per_process=4, per_user=1, wait_s=0.2)
    async with PageFetcher(allowed_hosts=[f"127.0.0.1:{site.port}"], slots=slots) as fetcher:
        first = asyncio.create_task(fetcher.fetch(site.url("/hold"), user_id="alice"))
        await gate.arrived()
        with pytest.raises(FetchBusy) as info:
            await fetcher.fetch(site.url("/job?second"), user_id="alice")
        assert info.value.per_user and info.value.kind is ErrorKind.RATE_LIMITED
        assert "you already have 1 running" in info.value.message
        assert info.value.retry_after_s == 0.2
        # Another user is not held up by alice's slot.
        page = await fetcher.fetch(site.url("/job?bob"), user_id="bob")
        assert page.status == 200
        gate.open()
        assert (await first).status == 200
    assert "/job?second" not in site.hits
    assert slots.running == 0


async def test_user_over_the_cap_waits_for_a_free_slot(site: PageServer, gate: Gate) -> None:
    slots = FetchSlots(per_process=4, per_user=1, wait_s=20.0)
    async with PageFetcher(allowed_hosts=[f"127.0.0.1:{site.port}"], slots=slots) as fetcher:
        first = asyncio.create_task(fetcher.fetch(site.url("/hold"), user_id="alice"))
        await gate.arrived()
        second = asyncio.create_task(fetcher.fetch(site.url("/job?second"), user_id="alice"))
        await asyncio.sleep(0.2)
        assert "/job?second" not in site.hits and not second.done()
        gate.open()
        assert (await first).status == 200 and (await second).status == 200
    assert site.hits.index("/hold") < site.hits.index("/job?second")


async def test_process_cap_holds_across_users(site: PageServer, gate: Gate) -> None:
    slots = FetchSlots(per_process=1, per_user=1, wait_s=0.2)
    async with PageFetcher(allowed_hosts=[f"127.0.0.1:{site.port}"], slots=slots) as fetcher:
        first = asyncio.create_task(fetcher.fetch(site.url("/hold"), user_id="alice"))
        await gate.arrived()
        with pytest.raises(FetchBusy) as info:
            await fetcher.fetch(site.url("/job?bob"), user_id="bob")
        assert not info.value.per_user
        assert "the service is at its limit of 1" in info.value.message
        gate.open()
        await first


async def test_fetchers_of_one_process_share_the_caps() -> None:
    settings = Settings(fetch_max_concurrent=3, fetch_max_per_user=1)
    async with (
        PageFetcher.from_settings(settings) as one,
        PageFetcher.from_settings(settings) as two,
    ):
        assert one.slots is two.slots
        assert (one.slots.per_process, one.slots.per_user) == (3, 1)

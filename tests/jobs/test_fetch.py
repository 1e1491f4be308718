"""PageFetcher against a real local HTTP server: guard, redirects, caps and failures."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator

import pytest

from atspro.errors import RateLimitedError
from atspro.jobs.circuit import CircuitBreaker, CircuitOpen
from atspro.jobs.errors import (
    EmptyPage,
    FetchTimeout,
    HostUnreachable,
    LoginWall,
    PageTooLarge,
    PageUnavailable,
    TooManyRedirects,
    UnsupportedContent,
    UpstreamError,
)
from atspro.jobs.fetch import (
    FetchedPage,
    PageFetcher,
    parse_retry_after,
    read_page,
    sniff_media_type,
)
from atspro.jobs.guard import AddressRefused
from atspro.settings import Settings
from tests.jobs.conftest import PageServer, Reply

HTML = b"<html><head><title>Job</title></head><body><h1>Data Engineer</h1><p>Build pipelines.</p></body></html>"


@pytest.fixture
async def fetcher(server: PageServer) -> AsyncIterator[PageFetcher]:
    async with PageFetcher(
        allowed_hosts=[f"127.0.0.1:{server.port}"],
        timeout_s=2.0,
        max_bytes=50_000,
        max_redirects=3,
        user_agent="Mozilla/5.0 test-agent",
    ) as f:
        yield f


@pytest.fixture
def refused() -> PageServer:
    srv = PageServer()
    srv.routes["/secret"] = Reply(b"internal secrets")
    srv.start()
    yield srv  # type: ignore[misc]
    srv.stop()


async def test_fetches_html_with_user_agent(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/job"] = Reply(HTML, headers={"Content-Type": "text/html; charset=utf-8"})
    page = await fetcher.fetch(server.url("/job"))
    assert page.status == 200 and page.is_html and not page.is_document
    assert "Data Engineer" in page.text
    assert page.final_url == page.url == server.url("/job")
    assert server.user_agents == ["Mozilla/5.0 test-agent"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<p>Straße café Zürich</p>".encode("latin-1"), "text/html; charset=iso-8859-1"),
        (b'<meta charset="windows-1252"><p>Stra\xdfe caf\xe9 Z\xfcrich</p>', "text/html"),
        ("\ufeff<p>Straße café Zürich</p>".encode(), "text/html"),
        (
            "<p>Straße café Zürich and more words to detect the encoding</p>".encode("cp1252"),
            "text/html",
        ),
    ],
)
async def test_decodes_charsets(
    server: PageServer, fetcher: PageFetcher, body: bytes, content_type: str
) -> None:
    server.routes["/c"] = Reply(body, headers={"Content-Type": content_type})
    page = await fetcher.fetch(server.url("/c"))
    assert "Straße café Zürich" in page.text


async def test_follows_redirects(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/a"] = Reply(status=301, headers={"Location": "/b"})
    server.routes["/b"] = Reply(status=302, headers={"Location": server.url("/job")})
    server.routes["/job"] = Reply(HTML)
    page = await fetcher.fetch(server.url("/a"))
    assert page.final_url == server.url("/job")
    assert server.hits == ["/a", "/b", "/job"]


async def test_redirect_loop_is_limited(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/loop"] = Reply(status=302, headers={"Location": "/loop"})
    with pytest.raises(TooManyRedirects):
        await fetcher.fetch(server.url("/loop"))
    assert len(server.hits) == 4  # the first request plus max_redirects hops


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:{port}/secret",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://127.0.0.2:{port}/secret",
        "http://rebind.test:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
async def test_redirect_to_refused_address_fetches_nothing(
    server: PageServer, refused: PageServer, target: str
) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        # rebind.test "resolves" to the refused server's loopback address.
        return ["127.0.0.1"]

    location = target.format(port=refused.port)
    server.routes["/go"] = Reply(status=302, headers={"Location": location})
    allowed = [f"127.0.0.1:{server.port}"]
    async with PageFetcher(allowed_hosts=allowed, resolver=resolver) as fetcher:
        # Address refusals read like any unreachable address; a bad scheme says so.
        expected = AddressRefused if target.startswith("file:") else HostUnreachable
        with pytest.raises(expected):
            await fetcher.fetch(server.url("/go"))
    assert server.hits == ["/go"]
    assert refused.hits == []  # nothing at all reached the refused server


async def test_direct_refused_address(refused: PageServer) -> None:
    async with PageFetcher() as fetcher:
        with pytest.raises(HostUnreachable) as info:
            await fetcher.fetch(refused.url("/secret"))
    assert "loopback" in info.value.detail  # for the logs, not the message
    assert "loopback" not in info.value.message
    assert refused.hits == []


async def test_connects_to_pinned_address_with_original_host_header(server: PageServer) -> None:
    seen: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        seen.append(host)
        return ["127.0.0.1"]

    server.routes["/job"] = Reply(HTML)
    allowed = [f"jobs.test:{server.port}"]
    async with PageFetcher(allowed_hosts=allowed, resolver=resolver) as fetcher:
        page = await fetcher.fetch(f"http://jobs.test:{server.port}/job")
    assert page.status == 200 and seen == ["jobs.test"]


async def test_invalid_url(fetcher: PageFetcher) -> None:
    with pytest.raises(AddressRefused):
        await fetcher.fetch("http://[::1/job")


async def test_timeout(server: PageServer) -> None:
    server.routes["/slow"] = Reply(HTML, delay_s=1.5)
    allowed = [f"127.0.0.1:{server.port}"]
    async with PageFetcher(allowed_hosts=allowed, timeout_s=0.3) as fetcher:
        with pytest.raises(FetchTimeout, match="timed out"):
            await fetcher.fetch(server.url("/slow"))


async def test_unreachable_host(fetcher: PageFetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more.
    with pytest.raises(HostUnreachable):
        await fetcher.fetch(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, PageUnavailable),
        (410, PageUnavailable),
        (403, PageUnavailable),
        (500, UpstreamError),
        (503, UpstreamError),
        (401, LoginWall),
        (407, LoginWall),
    ],
)
async def test_status_errors(
    server: PageServer, fetcher: PageFetcher, status: int, error: type[Exception]
) -> None:
    server.routes["/x"] = Reply(b"nope", status)
    with pytest.raises(error) as info:
        await fetcher.fetch(server.url("/x"))
    assert str(status) in str(info.value) or isinstance(info.value, LoginWall)


async def test_rate_limited_honours_retry_after(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/busy"] = Reply(b"slow down", 429, {"Retry-After": "7"})
    with pytest.raises(RateLimitedError) as info:
        await fetcher.fetch(server.url("/busy"))
    assert info.value.retry_after_s == 7.0
    assert "retry after 7 s" in info.value.message


def test_parse_retry_after() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412500.0) == 0.0


async def test_oversize_by_content_length(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/big"] = Reply(b"<p>" + b"x" * 60_000 + b"</p>")
    with pytest.raises(PageTooLarge) as info:
        await fetcher.fetch(server.url("/big"))
    assert info.value.reason == "too_large"


async def test_oversize_streamed_without_length(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/big"] = Reply(
        b"<p>" + b"x" * 200_000 + b"</p>", headers={"Content-Type": "text/html", "X-No-Length": "1"}
    )
    with pytest.raises(PageTooLarge):
        await fetcher.fetch(server.url("/big"))


async def test_gzip_bomb_is_capped_after_decoding(server: PageServer, fetcher: PageFetcher) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>")
    server.routes["/bomb"] = Reply(
        bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    with pytest.raises(PageTooLarge):
        await fetcher.fetch(server.url("/bomb"))


async def test_bad_content_encoding(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/bad"] = Reply(
        b"not gzip at all", headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    with pytest.raises(UnsupportedContent):
        await fetcher.fetch(server.url("/bad"))


@pytest.mark.parametrize(
    "reply",
    [
        Reply(status=302, headers={"Location": "/login?next=/job"}),
        Reply(status=302, headers={"Location": "/authwall?trk=job"}),
        Reply(
            b'<html><body><form><input name="u"><input type="password" name="p">'
            b"<button>Sign in</button></form></body></html>"
        ),
    ],
)
async def test_login_wall(server: PageServer, fetcher: PageFetcher, reply: Reply) -> None:
    server.routes["/job"] = reply
    server.routes["/login"] = Reply(b"<html><body><h1>Welcome back</h1></body></html>")
    server.routes["/authwall"] = server.routes["/login"]
    with pytest.raises(LoginWall) as info:
        await fetcher.fetch(server.url("/job"))
    assert info.value.reason == "login_wall"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(b""),
        Reply(b"   \n "),
        Reply(b"<html><head><script>var a = 1;</script></head><body>  </body></html>"),
        Reply(b" ", headers={"Content-Type": "text/plain"}),
        Reply(b"\xef\xbb\xbf", headers={"Content-Type": "text/plain"}),
    ],
)
async def test_empty_page(server: PageServer, fetcher: PageFetcher, reply: Reply) -> None:
    server.routes["/e"] = reply
    with pytest.raises(EmptyPage):
        await fetcher.fetch(server.url("/e"))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"PK\x03\x04zip", "application/zip"),
        (b"\x00\x01\x02", "application/octet-stream"),
        (b"\x00\x01", ""),
    ],
)
async def test_non_html(
    server: PageServer, fetcher: PageFetcher, body: bytes, content_type: str
) -> None:
    server.routes["/f"] = Reply(
        body, headers={"Content-Type": content_type} if content_type else {"X-No-Type": "1"}
    )
    with pytest.raises(UnsupportedContent):
        await fetcher.fetch(server.url("/f"))


async def test_documents_and_json(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/p"] = Reply(
        b"%PDF-1.7 fake", headers={"Content-Type": "application/octet-stream"}
    )
    server.routes["/j"] = Reply(b'{"title": "X"}', headers={"Content-Type": "application/json"})
    server.routes["/bad"] = Reply(b"{nope", headers={"Content-Type": "application/json"})
    pdf = await fetcher.fetch(server.url("/p"))
    assert (
        pdf.is_document and pdf.content_type == "application/pdf" and pdf.data.startswith(b"%PDF")
    )
    assert (await fetcher.fetch(server.url("/j"))).json() == {"title": "X"}
    with pytest.raises(UnsupportedContent, match="invalid JSON"):
        (await fetcher.fetch(server.url("/bad"))).json()


LOGIN_FORM = (
    b'<html><body><p>Sign in</p><form><input type="password" name="p"></form></body></html>'
)


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (
            "<p>Straße café Zürich</p>".encode("latin-1"),
            "text/html; charset=iso-8859-1",
            "text/html",
        ),
        (
            "<p>Straße café Zürich and more words to detect the encoding</p>".encode("cp1252"),
            "text/html",
            "text/html",
        ),
        ("Straße café Zürich".encode(), "text/plain; charset=utf-8", "text/plain"),
        (b"%PDF-1.7 fake", "application/octet-stream", "application/pdf"),
        (b"   \n ", "text/html", EmptyPage),
        (b"<html><head><script>var a = 1;</script></head><body> </body></html>", "", EmptyPage),
        (b"\xef\xbb\xbf", "text/plain", EmptyPage),
        (LOGIN_FORM, "text/html", LoginWall),
        (b"\x89PNG\r\n\x1a\n....", "image/png", UnsupportedContent),
    ],
)
def test_read_page(body: bytes, content_type: str, expected: str | type[Exception]) -> None:
    """The checks a fetch runs in the worker process, called directly."""
    url = "https://jobs.example.com/1"
    if isinstance(expected, str):
        page = read_page(url, url, 200, content_type, body)
        assert page.content_type == expected and page.data == body
        assert page.is_document or "Straße café Zürich" in page.text
    else:
        with pytest.raises(expected):
            read_page(url, url, 200, content_type, body)


def test_read_page_redirected_to_login() -> None:
    with pytest.raises(LoginWall):
        read_page(
            "https://a.example/job", "https://a.example/login?next=/job", 200, "text/html", HTML
        )
    page = read_page("https://a.example/login", "https://a.example/login", 200, "text/html", HTML)
    assert page.is_html  # a URL that merely is a login path was asked for, not redirected to


def test_sniff_media_type() -> None:
    assert sniff_media_type(b"  <!DOCTYPE html><html>") == "text/html"
    assert sniff_media_type(b"PK\x03\x04....word/document.xml").endswith("document")
    assert sniff_media_type(b'[{"a": 1}]') == "application/json"
    assert sniff_media_type(b"hello") == ""


async def test_circuit_breaker_opens_and_closes(server: PageServer) -> None:
    breaker = CircuitBreaker(failure_threshold=2, cooldown_s=0.3)
    server.routes["/flaky"] = Reply(b"down", 503)
    allowed = [f"127.0.0.1:{server.port}"]
    async with PageFetcher(allowed_hosts=allowed, breaker=breaker) as fetcher:
        for _ in range(2):
            with pytest.raises(UpstreamError):
                await fetcher.fetch(server.url("/flaky"))
        with pytest.raises(CircuitOpen) as info:
            await fetcher.fetch(server.url("/flaky"))
        assert 0 < info.value.retry_after_s <= 0.3
        assert "circuit breaker open" in info.value.message
        assert len(server.hits) == 2  # the open circuit sent nothing
        await asyncio.sleep(0.35)
        server.routes["/flaky"] = Reply(HTML)
        page = await fetcher.fetch(server.url("/flaky"))
        assert page.status == 200
        assert breaker.state(f"127.0.0.1:{server.port}") == "closed"


async def test_from_settings() -> None:
    settings = Settings(
        fetch_allowed_hosts=["127.0.0.1"], fetch_max_bytes=1234, circuit_failure_threshold=9
    )
    fetcher = PageFetcher.from_settings(settings, timeout_s=3.0)
    assert fetcher.max_bytes == 1234 and fetcher.timeout_s == 3.0
    assert fetcher.breaker.failure_threshold == 9
    assert fetcher.policy.is_allowed("http", "127.0.0.1", 80)
    assert not fetcher.policy.is_allowed("http", "127.0.0.1", 6379)
    await fetcher.aclose()


def test_fetched_page_defaults() -> None:
    page = FetchedPage("u", "u", 200, "text/plain", text="t")
    assert not page.is_html and not page.is_document

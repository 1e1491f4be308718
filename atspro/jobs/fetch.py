"""Fetching job pages safely: guarded connections, caps, redirects and typed failures.

Limits, outermost first: a fetch slot (per user and per process, ``limits``), one
deadline for the whole redirect chain (connecting, waiting and reading, so a body that
trickles in fails once at the deadline), the allow-list and address guard on every
connection (``guard``), and the body read raw and decoded with a per-call output limit
(``decoding``), counted in decoded bytes as they arrive.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import re
import ssl
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpcore
import httpx
import orjson

from atspro.cpu_pool import run_cpu
from atspro.errors import RateLimitedError
from atspro.jobs.charset import decode_body
from atspro.jobs.circuit import CircuitBreaker
from atspro.jobs.decoding import (
    ACCEPT_ENCODING,
    BodyTooLarge,
    BoundedDecoder,
    CorruptBody,
    EncodingRefused,
    content_coding,
)
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
from atspro.jobs.guard import (
    DEFAULT_PORTS,
    AddressPolicy,
    AddressRefused,
    GuardedNetworkBackend,
    Resolver,
    check_scheme,
    resolve_host,
)
from atspro.jobs.limits import FetchSlots, shared_slots
from atspro.settings import Settings

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
JSON_TYPES = frozenset({"application/json", "application/ld+json"})
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENT_TYPES = frozenset({PDF_TYPE, DOCX_TYPE})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = (
    "text/html,application/xhtml+xml,application/json;q=0.9,application/pdf;q=0.8,"
    "text/plain;q=0.7,*/*;q=0.5"
)
_LOGIN_PATH = re.compile(
    r"/(?:log-?in|sign-?in|signin|auth(?:wall)?|sso|oauth2?|session/new|uas/login)(?:[/?.]|$)",
    re.IGNORECASE,
)
_PASSWORD_INPUT = re.compile(r"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)
_INVISIBLE = re.compile(
    r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^>]+>")
_JSON_LD = re.compile(r"application/ld\+json", re.IGNORECASE)
# A page with a password box and less visible text than this is a login form, not a posting.
_LOGIN_MAX_TEXT = 1500


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One successful response: ``text`` for web pages and JSON, ``data`` always raw."""

    url: str
    final_url: str
    status: int
    content_type: str
    text: str = ""
    data: bytes = b""
    encoding: str = ""

    @property
    def is_document(self) -> bool:
        """True for PDF/DOCX bodies that go through document extraction."""
        return self.content_type in DOCUMENT_TYPES

    @property
    def is_html(self) -> bool:
        """True for HTML pages."""
        return self.content_type in HTML_TYPES

    def json(self) -> Any:
        """The body parsed as JSON; UnsupportedContent when it is not JSON."""
        try:
            return orjson.loads(self.data)
        except orjson.JSONDecodeError as exc:
            raise UnsupportedContent(self.final_url, "invalid JSON") from exc


def _guarded_transport(
    policy: AddressPolicy, *, verify: ssl.SSLContext | bool
) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(trust_env=False, retries=0)
    ssl_context = verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(verify)
    # httpx has no public hook for the network backend, so the pool it built is replaced
    # with one whose every connection goes through the guard (also after redirects).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context,
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=GuardedNetworkBackend(policy),
    )
    return transport


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


def media_type(content_type: str) -> str:
    """The bare media type of a Content-Type header, lower-cased."""
    return content_type.split(";", 1)[0].strip().lower()


def sniff_media_type(data: bytes) -> str:
    """Guess the type of an untyped body from its first bytes ("" when unknown)."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return PDF_TYPE
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return DOCX_TYPE
    lowered = head.lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "text/html"
    if head.startswith((b"{", b"[")):
        return "application/json"
    return ""


def visible_text(html: str) -> str:
    """The text of an HTML page without markup, scripts or styles (rough and fast)."""
    return " ".join(_TAG.sub(" ", _INVISIBLE.sub(" ", html)).split())


class PageFetcher:
    """Fetches job pages through the SSRF guard with per-domain circuit breaking.

    Use as ``async with PageFetcher(...) as fetcher`` or call ``aclose()``.
    """

    def __init__(
        self,
        *,
        timeout_s: float = 30.0,
        connect_timeout_s: float = 10.0,
        max_bytes: int = 10 * 1024 * 1024,
        max_redirects: int = 5,
        user_agent: str = "Mozilla/5.0 (X11; Linux x86_64) ATSPro/0.1",
        allowed_hosts: tuple[str, ...] | list[str] = (),
        breaker: CircuitBreaker | None = None,
        resolver: Resolver = resolve_host,
        verify: ssl.SSLContext | bool = True,
        max_compression_ratio: float = 100.0,
        max_concurrent: int = 8,
        max_per_user: int = 2,
        slots: FetchSlots | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.max_compression_ratio = max_compression_ratio
        self.max_concurrent = max_concurrent
        self.max_per_user = max_per_user
        self._slots = slots
        self.breaker = breaker or CircuitBreaker(failure_threshold=5, cooldown_s=60.0)
        self.policy = AddressPolicy(allowed_hosts=allowed_hosts, resolver=resolver)
        per_op = min(connect_timeout_s, timeout_s)
        self._client = httpx.AsyncClient(
            transport=_guarded_transport(self.policy, verify=verify),
            timeout=httpx.Timeout(timeout_s, connect=per_op),
            headers={
                "User-Agent": user_agent,
                "Accept": _ACCEPT,
                "Accept-Language": "en",
                # Said on purpose: httpx would also offer br/zstd once those packages are
                # installed, and only gzip/deflate go through the bounded decoder.
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            follow_redirects=False,
            trust_env=False,
        )

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> PageFetcher:
        """Build a fetcher from the fetch_* and circuit_* settings."""
        options: dict[str, Any] = {
            "timeout_s": settings.fetch_timeout_s,
            "max_bytes": settings.fetch_max_bytes,
            "max_redirects": settings.fetch_max_redirects,
            "user_agent": settings.fetch_user_agent,
            "allowed_hosts": tuple(settings.fetch_allowed_hosts),
            "max_compression_ratio": settings.fetch_max_compression_ratio,
            "max_concurrent": settings.fetch_max_concurrent,
            "max_per_user": settings.fetch_max_per_user,
            "breaker": CircuitBreaker(
                failure_threshold=settings.circuit_failure_threshold,
                cooldown_s=settings.circuit_cooldown_s,
            ),
        }
        options.update(overrides)
        return cls(**options)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    @property
    def slots(self) -> FetchSlots:
        """The concurrency caps this fetcher counts against (shared by the loop by default)."""
        if self._slots is None:
            self._slots = shared_slots(
                per_process=self.max_concurrent,
                per_user=self.max_per_user,
                wait_s=self.timeout_s,
            )
        return self._slots

    async def fetch(self, url: str, *, user_id: str = "") -> FetchedPage:
        """GET ``url`` following redirects through the guard; raise typed errors.

        ``user_id`` counts the fetch against that user's concurrency cap as well.
        """
        async with self.slots.hold(user_id):
            final_url, status, content_type, body = await self._fetch_chain(url)
        # Decoding and the content checks scan the whole body: off the loop's process, and
        # without the slot, which guards the network side.
        return await run_cpu(read_page, url, final_url, status, content_type, body)

    async def _fetch_chain(self, url: str) -> tuple[str, int, str, bytes]:
        deadline = asyncio.get_running_loop().time() + self.timeout_s
        current = url
        for _ in range(self.max_redirects + 1):
            try:
                target = httpx.URL(current)
            except httpx.InvalidURL as exc:
                raise AddressRefused(current, f"invalid URL ({exc})") from exc
            check_scheme(target.scheme, target.host)
            host = target.host
            # Keyed by host and port: failures on one port say nothing about another.
            key = host if target.port is None else f"{host}:{target.port}"
            self.breaker.before_call(key)
            try:
                self._check_allowed(url, target)
                # One deadline for the whole chain: 30 s overall, whatever the hop count.
                async with asyncio.timeout_at(deadline):
                    status, headers, body = await self._get(url, target)
            except TimeoutError as exc:
                self.breaker.record_failure(key)
                raise FetchTimeout(url, self.timeout_s) from exc
            except (HostUnreachable, FetchTimeout, UpstreamError, RateLimitedError) as exc:
                self.breaker.record_failure(key)
                if isinstance(exc, HostUnreachable):
                    log.info("fetch %s: %s unreachable: %s", url, key, exc.detail)
                raise
            except BaseException:
                # A page-level refusal or a cancellation: no verdict on the site itself.
                self.breaker.release_trial(key)
                raise
            self.breaker.record_success(key)
            if status in _REDIRECTS and "location" in headers:
                current = str(target.join(headers["location"]))
                continue
            return current, status, headers.get("content-type", ""), body
        raise TooManyRedirects(url, self.max_redirects)

    def _check_allowed(self, url: str, target: httpx.URL) -> None:
        # The guard sees only host and port when it connects; the scheme is checked here so
        # that an entry "https://host" does not also allow plain http on port 443.
        port = target.port or DEFAULT_PORTS[target.scheme]
        policy = self.policy
        if policy.allows_endpoint(target.host, port) and not policy.is_allowed(
            target.scheme, target.host, port
        ):
            raise HostUnreachable(url, f"{target.scheme} on port {port} is not allowed")

    async def _get(self, url: str, target: httpx.URL) -> tuple[int, httpx.Headers, bytes]:
        hop = str(target)
        try:
            async with self._client.stream("GET", target) as response:
                status = response.status_code
                if status in _REDIRECTS or status >= 400:
                    self._check_status(hop, response)
                    return status, response.headers, b""
                return status, response.headers, await self._read_body(hop, response)
        # Every way of not reaching the address gives the same error (no port-scan oracle).
        except AddressRefused as exc:
            raise HostUnreachable(url, exc.message) from exc
        except httpx.ConnectTimeout as exc:
            raise HostUnreachable(url, "connecting timed out") from exc
        except httpx.TimeoutException as exc:
            raise FetchTimeout(url, self.timeout_s) from exc
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise HostUnreachable(url, f"{type(exc).__name__}: {exc}") from exc

    async def _read_body(self, url: str, response: httpx.Response) -> bytes:
        try:
            coding = content_coding(response.headers.get("content-encoding", ""))
        except EncodingRefused as exc:
            raise UnsupportedContent(url, exc.detail) from exc
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise PageTooLarge(url, self.max_bytes)
        decoder = BoundedDecoder(
            coding, max_bytes=self.max_bytes, max_ratio=self.max_compression_ratio
        )
        pieces: list[bytes] = []
        received = 0
        try:
            # Raw bytes, decoded here: httpx would inflate a whole chunk in one call.
            async for data in response.aiter_raw():
                received += len(data)
                if received > self.max_bytes:
                    raise PageTooLarge(url, self.max_bytes)
                pieces.extend(decoder.feed(data))
            pieces.extend(decoder.flush())
        except BodyTooLarge as exc:
            ratio = self.max_compression_ratio if exc.by_ratio else None
            raise PageTooLarge(url, self.max_bytes, max_ratio=ratio) from exc
        except CorruptBody as exc:
            raise UnsupportedContent(url, f"undecodable {coding} body") from exc
        return b"".join(pieces)

    @staticmethod
    def _check_status(url: str, response: httpx.Response) -> None:
        status = response.status_code
        if status == 429:
            wait = parse_retry_after(response.headers.get("retry-after"))
            hint = f"; retry after {wait:.0f} s" if wait is not None else ""
            raise RateLimitedError(f"{url} is rate limiting us (429){hint}", retry_after_s=wait)
        if status >= 500:
            raise UpstreamError(url, status)
        if status in (401, 407):
            raise LoginWall(url)
        if status >= 400:
            raise PageUnavailable(url, status, response.reason_phrase)


def read_page(url: str, final_url: str, status: int, content_type: str, body: bytes) -> FetchedPage:
    """Check and decode a fetched body; typed errors for login walls, empty or odd content."""
    if _LOGIN_PATH.search(httpx.URL(final_url).path) and final_url != url:
        raise LoginWall(url)
    if not body.strip():
        raise EmptyPage(url)
    kind = media_type(content_type)
    if kind in ("", "application/octet-stream", "binary/octet-stream"):
        kind = sniff_media_type(body)
    if kind in DOCUMENT_TYPES:
        return FetchedPage(url, final_url, status, kind, data=body)
    if kind not in HTML_TYPES | TEXT_TYPES | JSON_TYPES:
        raise UnsupportedContent(url, kind)
    encoding, text = decode_body(body, content_type, final_url)
    if kind in HTML_TYPES:
        plain = visible_text(text)
        if not plain and not _JSON_LD.search(text):
            raise EmptyPage(url)
        if len(plain) < _LOGIN_MAX_TEXT and _PASSWORD_INPUT.search(text):
            raise LoginWall(url)
    elif not text.strip():
        raise EmptyPage(url)
    return FetchedPage(url, final_url, status, kind, text=text, data=body, encoding=encoding)

"""SSRF guard: which URLs and addresses job-page fetching may reach.

The check runs where the socket is opened: ``GuardedNetworkBackend`` resolves the host
itself, refuses the connection when any answer is a non-public address, and connects to
an address it just checked. httpx therefore never resolves the name a second time, which
closes the DNS-rebinding gap between check and connect, and every redirect hop (a new
connection) passes the same check. TLS still verifies against the host name, because
httpcore takes SNI from the URL, not from the address it connected to.

The allow-list (``FETCH_ALLOWED_HOSTS``) names endpoints, not hosts: ``jobs.test`` allows
http on 80 and https on 443 only, ``jobs.test:8080`` both schemes on 8080, and
``http://127.0.0.1:9000`` exactly that. Any other port on an allowed host gets the normal
address checks, so allowing a local web server never opens Redis on the same machine.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore

from atspro.errors import PermanentError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses the name resolves to, as text.
Resolver = Callable[[str, int], Awaitable[list[str]]]

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Cloud instance-metadata endpoints (AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba).
_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_METADATA_NAMES = frozenset({"metadata.google.internal", "metadata", "instance-data"})
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


class AddressRefused(PermanentError):
    """The guard refused a URL; ``reason`` says why (scheme, loopback, private...)."""

    code = "ADDRESS_REFUSED"

    def __init__(self, host: str, reason: str, *, address: str = "") -> None:
        where = f"{host} ({address})" if address and address != host else host
        super().__init__(f"Refusing to fetch from {where}: {reason} address")
        self.host = host
        self.reason = reason
        self.address = address


def normalise_host(host: str) -> str:
    """Lower-case a host name and strip brackets and a trailing dot."""
    return host.strip().strip("[]").rstrip(".").lower()


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched from, or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is not None:
            return refusal_reason(embedded)
    checks: tuple[tuple[bool, str], ...] = (
        (address in _METADATA, "cloud metadata"),
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "carrier-grade NAT"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
        (not address.is_global, "non-public"),
    )
    for failed, reason in checks:
        if failed:
            return reason
    return None


def check_scheme(scheme: str, host: str) -> None:
    """Refuse anything but http(s) URLs with a host."""
    if scheme.lower() not in ALLOWED_SCHEMES:
        raise AddressRefused(host or "(none)", f"unsupported scheme {scheme!r}; only http/https")
    if not host:
        raise AddressRefused("(none)", "missing host")


async def resolve_host(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the event loop's getaddrinfo (in its thread pool)."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class AllowedEndpoint:
    """One allow-list entry: ``scheme`` None means http and https, ``port`` None the default."""

    host: str
    scheme: str | None = None
    port: int | None = None

    def ports(self) -> frozenset[int]:
        """The TCP ports this entry lets a connection use."""
        if self.port is not None:
            return frozenset({self.port})
        schemes = (self.scheme,) if self.scheme else tuple(DEFAULT_PORTS)
        return frozenset(DEFAULT_PORTS[s] for s in schemes)

    def matches(self, scheme: str, host: str, port: int) -> bool:
        """True when a URL with this scheme, host and port is allowed by the entry."""
        if host != self.host or (self.scheme is not None and scheme != self.scheme):
            return False
        return port == (self.port if self.port is not None else DEFAULT_PORTS.get(scheme))


def parse_allowed_endpoint(entry: str) -> AllowedEndpoint:
    """Read an allow-list entry ("host", "host:port", "scheme://host[:port]"); ValueError if odd."""
    text = entry.strip()
    bare_ipv6 = "://" not in text and not text.startswith("[") and text.count(":") > 1
    try:
        parts = urlsplit(f"//[{text}]" if bare_ipv6 else text if "://" in text else f"//{text}")
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"FETCH_ALLOWED_HOSTS entry {entry!r}: {exc}") from exc
    scheme = parts.scheme.lower() or None
    extra = parts.path not in ("", "/") or parts.query or parts.fragment or parts.username
    if not parts.hostname or extra or (scheme is not None and scheme not in ALLOWED_SCHEMES):
        raise ValueError(
            f"FETCH_ALLOWED_HOSTS entry {entry!r} is not like 'jobs.example.com', "
            "'localhost:8080' or 'http://127.0.0.1:9000'"
        )
    return AllowedEndpoint(host=normalise_host(parts.hostname), scheme=scheme, port=port)


class AddressPolicy:
    """Resolves a host and returns the addresses a connection may use."""

    def __init__(
        self, *, allowed_hosts: Iterable[str] = (), resolver: Resolver = resolve_host
    ) -> None:
        self.allowed = tuple(parse_allowed_endpoint(entry) for entry in allowed_hosts)
        self._resolve = resolver

    def is_allowed(self, scheme: str, host: str, port: int) -> bool:
        """True for URLs the settings explicitly allow (address checks skipped)."""
        name, scheme = normalise_host(host), scheme.lower()
        return any(entry.matches(scheme, name, port) for entry in self.allowed)

    def allows_endpoint(self, host: str, port: int) -> bool:
        """True when some entry lets a connection reach ``host`` on ``port`` (any scheme)."""
        name = normalise_host(host)
        return any(entry.host == name and port in entry.ports() for entry in self.allowed)

    async def checked_addresses(self, host: str, port: int) -> list[str]:
        """Resolve ``host``; raise AddressRefused if any answer is not public."""
        name = normalise_host(host)
        allowed = self.allows_endpoint(name, port)
        if not allowed and name in _LOCAL_NAMES:
            raise AddressRefused(host, "loopback")
        if not allowed and name in _METADATA_NAMES:
            raise AddressRefused(host, "cloud metadata")
        try:
            literal: IPAddress | None = ipaddress.ip_address(name)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = await self._resolve(name, port)
            except (OSError, UnicodeError) as exc:
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
            if not addresses:
                raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        if not allowed:
            # Any bad answer refuses the name: a host that resolves to both a public and
            # a private address is a classic rebinding set-up.
            for text in addresses:
                reason = refusal_reason(ipaddress.ip_address(text.split("%")[0]))
                if reason is not None:
                    raise AddressRefused(host, reason, address=text)
        return addresses


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """An httpcore backend that connects only to addresses the policy accepted."""

    def __init__(
        self, policy: AddressPolicy, backend: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.policy = policy
        self._backend = backend or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve and check ``host``, then connect to the first accepted address."""
        try:
            async with asyncio.timeout(timeout):
                addresses = await self.policy.checked_addresses(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._backend.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None  # addresses is never empty here
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never a job page."""
        raise AddressRefused(path, "unix socket")

    async def sleep(self, seconds: float) -> None:
        """Delegate to the wrapped backend."""
        await self._backend.sleep(seconds)

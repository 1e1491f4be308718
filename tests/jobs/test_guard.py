"""The SSRF guard's address policy over many addresses, and its connect-time checks."""

from __future__ import annotations

import ipaddress

import httpcore
import pytest

from atspro.jobs.guard import (
    AddressPolicy,
    AddressRefused,
    AllowedEndpoint,
    GuardedNetworkBackend,
    check_scheme,
    normalise_host,
    parse_allowed_endpoint,
    refusal_reason,
    resolve_host,
)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("100.127.255.254", "carrier-grade NAT"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "private"),
        ("255.255.255.255", "private"),
        ("192.0.2.10", "private"),
        ("198.18.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("2002:7f00:1::", "loopback"),
        ("64:ff9b::a9fe:a9fe", "cloud metadata"),
        ("64:ff9b::7f00:1", "loopback"),
        ("2001:db8::1", "private"),
    ],
)
def test_refuses_non_public_addresses(address: str, reason: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "100.63.255.255",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "172.32.0.1",
    ],
)
def test_accepts_public_addresses(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("scheme", ["file", "ftp", "gopher", "javascript", "data", ""])
def test_refuses_other_schemes(scheme: str) -> None:
    with pytest.raises(AddressRefused, match="scheme"):
        check_scheme(scheme, "example.com")


def test_refuses_url_without_host() -> None:
    with pytest.raises(AddressRefused, match="missing host"):
        check_scheme("https", "")
    check_scheme("HTTPS", "example.com")


def test_normalise_host() -> None:
    assert normalise_host(" [::1] ") == "::1"
    assert normalise_host("Jobs.Example.COM.") == "jobs.example.com"


async def test_policy_refuses_names_and_literals() -> None:
    async def never(host: str, port: int) -> list[str]:
        raise AssertionError("names refused by name must not be resolved")

    policy = AddressPolicy(resolver=never)
    for host, reason in [
        ("localhost", "loopback"),
        ("metadata.google.internal", "cloud metadata"),
        ("127.0.0.1", "loopback"),
        ("::ffff:7f00:1", "loopback"),
    ]:
        with pytest.raises(AddressRefused) as info:
            await policy.checked_addresses(host, 80)
        assert info.value.reason == reason
        assert reason in info.value.message


async def test_policy_refuses_when_any_answer_is_private() -> None:
    async def mixed(host: str, port: int) -> list[str]:
        return ["8.8.8.8", "10.0.0.7"]

    with pytest.raises(AddressRefused) as info:
        await AddressPolicy(resolver=mixed).checked_addresses("rebind.test", 443)
    assert info.value.address == "10.0.0.7"
    assert "rebind.test (10.0.0.7)" in info.value.message


async def test_policy_allow_list_skips_address_checks() -> None:
    async def loopback(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    policy = AddressPolicy(allowed_hosts=["Jobs.Test"], resolver=loopback)
    assert policy.is_allowed("http", "jobs.test.", 80)
    assert await policy.checked_addresses("jobs.test", 80) == ["127.0.0.1"]
    with pytest.raises(AddressRefused):
        await policy.checked_addresses("other.test", 80)
    # A bare host is its scheme's default port only: the rest of the machine stays closed.
    with pytest.raises(AddressRefused, match="loopback"):
        await policy.checked_addresses("jobs.test", 6379)


@pytest.mark.parametrize(
    ("entry", "allowed", "refused"),
    [
        ("jobs.test", [("http", 80), ("https", 443)], [("http", 443), ("http", 8080)]),
        ("jobs.test:8080", [("http", 8080), ("https", 8080)], [("http", 80), ("https", 443)]),
        ("http://jobs.test:9000", [("http", 9000)], [("https", 9000), ("http", 80)]),
        ("https://JOBS.test", [("https", 443)], [("http", 80), ("http", 443)]),
    ],
)
def test_allow_list_matches_scheme_host_and_port(
    entry: str, allowed: list[tuple[str, int]], refused: list[tuple[str, int]]
) -> None:
    policy = AddressPolicy(allowed_hosts=[entry])
    for scheme, port in allowed:
        assert policy.is_allowed(scheme, "jobs.test", port), (scheme, port)
        assert policy.allows_endpoint("jobs.test", port)
    for scheme, port in refused:
        assert not policy.is_allowed(scheme, "jobs.test", port), (scheme, port)
    assert not policy.is_allowed("http", "other.test", 80)


def test_allow_list_entries_are_parsed() -> None:
    assert parse_allowed_endpoint("[::1]:8080") == AllowedEndpoint("::1", None, 8080)
    assert parse_allowed_endpoint("::1") == AllowedEndpoint("::1")
    assert parse_allowed_endpoint(" localhost ") == AllowedEndpoint("localhost")
    for bad in ("ftp://jobs.test", "jobs.test/path", "jobs.test:port", "", "http://"):
        with pytest.raises(ValueError, match="FETCH_ALLOWED_HOSTS"):
            parse_allowed_endpoint(bad)


async def test_policy_resolution_failures_are_connect_errors() -> None:
    async def broken(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    async def empty(host: str, port: int) -> list[str]:
        return []

    with pytest.raises(httpcore.ConnectError, match="cannot resolve"):
        await AddressPolicy(resolver=broken).checked_addresses("nx.test", 80)
    with pytest.raises(httpcore.ConnectError, match="no addresses"):
        await AddressPolicy(resolver=empty).checked_addresses("nx.test", 80)


async def test_resolve_host_uses_system_resolver() -> None:
    assert "127.0.0.1" in await resolve_host("127.0.0.1", 80)


async def test_backend_refuses_unix_sockets() -> None:
    backend = GuardedNetworkBackend(AddressPolicy())
    with pytest.raises(AddressRefused, match="unix socket"):
        await backend.connect_unix_socket("/var/run/docker.sock")
    await backend.sleep(0)


async def test_backend_tries_next_address_after_connect_failure() -> None:
    calls: list[str] = []

    class Recorder(httpcore.AsyncNetworkBackend):
        async def connect_tcp(
            self, host: str, port: int, **kwargs: object
        ) -> httpcore.AsyncNetworkStream:  # type: ignore[override]
            calls.append(host)
            raise httpcore.ConnectError("refused")

    async def two(host: str, port: int) -> list[str]:
        return ["127.0.0.1", "127.0.0.2"]

    backend = GuardedNetworkBackend(
        AddressPolicy(allowed_hosts=["two.test"], resolver=two), Recorder()
    )
    with pytest.raises(httpcore.ConnectError):
        await backend.connect_tcp("two.test", 80, timeout=1.0)
    # Connected only to the checked literals, never to the name.
    assert calls == ["127.0.0.1", "127.0.0.2"]


async def test_backend_resolution_timeout() -> None:
    import asyncio

    async def slow(host: str, port: int) -> list[str]:
        await asyncio.sleep(5)
        return ["8.8.8.8"]

    backend = GuardedNetworkBackend(AddressPolicy(resolver=slow))
    with pytest.raises(httpcore.ConnectTimeout):
        await backend.connect_tcp("slow.test", 80, timeout=0.05)

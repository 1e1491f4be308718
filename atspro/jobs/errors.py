"""Typed failures of fetching and reading job pages, as subclasses of the ATSPro tree.

    TransientError
    └── UpstreamError        the site answered 5xx
    RateLimitedError
    ├── (429)                the site answered 429 (``retry_after_s`` from Retry-After)
    └── FetchBusy            too many fetches running for this user or this process
    PermanentError
    ├── HostUnreachable      refused by the guard, DNS failure, refused, reset or dropped
    ├── FetchTimeout         the fetch's overall deadline passed (slow or stalled site)
    ├── PageUnavailable      4xx other than 401/407/429
    ├── TooManyRedirects
    └── DocumentError
        ├── LoginWall        the page wants a login (reason "login_wall")
        ├── EmptyPage        nothing on the page (reason "empty_page")
        ├── UnsupportedContent  an image, archive, odd encoding... (reason "unsupported_content")
        ├── PageTooLarge     over the byte cap (reason "too_large")
        └── NoPostingFound   a page, but no job posting on it (reason "no_posting")

Network failures are permanent on purpose: the deadline already gave the site the whole
fetch budget, and a retry of a stalled or resetting site costs another full budget (four
attempts of a slow-loris page held a worker for two minutes). ``HostUnreachable`` carries
one message for every address failure so that the error does not tell a port scanner
which ports are open, closed or refused; the cause is kept in ``detail`` for the logs.

The guard's ``AddressRefused`` (PermanentError, for schemes and malformed URLs) and the
breaker's ``CircuitOpen`` (TransientError) live beside the code that raises them.
"""

from __future__ import annotations

from atspro.errors import DocumentError, PermanentError, RateLimitedError, TransientError


class HostUnreachable(PermanentError):
    """The address was refused by the guard or could not be reached; one message for all."""

    code = "HOST_UNREACHABLE"

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(
            f"Could not fetch {url}: the address is not allowed, cannot be reached or "
            "dropped the connection"
        )
        self.url = url
        self.detail = detail


class FetchTimeout(PermanentError):
    """The fetch's overall deadline passed (all hops, connecting and reading)."""

    code = "FETCH_TIMEOUT"

    def __init__(self, url: str, timeout_s: float) -> None:
        super().__init__(
            f"Fetching {url} timed out after {timeout_s:g} s; the site is too slow. "
            "Try again later or paste the posting text"
        )
        self.url = url
        self.timeout_s = timeout_s


class FetchBusy(RateLimitedError):
    """No fetch slot came free in time, for this user (``per_user``) or the whole process."""

    code = "FETCH_BUSY"

    def __init__(self, *, per_user: bool, limit: int, retry_after_s: float) -> None:
        who = (
            f"you already have {limit} running"
            if per_user
            else f"the service is at its limit of {limit}"
        )
        super().__init__(
            f"Too many page fetches at once ({who}); try again in about {retry_after_s:.0f} s",
            retry_after_s=retry_after_s,
        )
        self.per_user = per_user
        self.limit = limit


class UpstreamError(TransientError):
    """The site answered with a server error."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"{url} answered with server error {status}; try again later")
        self.url = url
        self.status = status


class PageUnavailable(PermanentError):
    """The site answered with a client error (not found, gone, forbidden...)."""

    def __init__(self, url: str, status: int, phrase: str) -> None:
        super().__init__(f"{url} answered {status} {phrase}".rstrip())
        self.url = url
        self.status = status


class TooManyRedirects(PermanentError):
    """The redirect chain was longer than allowed."""

    def __init__(self, url: str, limit: int) -> None:
        super().__init__(f"{url} redirected more than {limit} times")
        self.url = url


class LoginWall(DocumentError):
    """The page is behind a login."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"{url} requires signing in; paste the posting text instead", reason="login_wall"
        )
        self.url = url


class EmptyPage(DocumentError):
    """The page has no content."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url} returned an empty page", reason="empty_page")
        self.url = url


class UnsupportedContent(DocumentError):
    """The response is neither a web page nor a readable document."""

    def __init__(self, url: str, content_type: str) -> None:
        super().__init__(
            f"{url} returned {content_type or 'unknown content'}, not a web page or document",
            reason="unsupported_content",
        )
        self.url = url
        self.content_type = content_type


class PageTooLarge(DocumentError):
    """The response is bigger than the configured cap."""

    def __init__(self, url: str, max_bytes: int, *, max_ratio: float | None = None) -> None:
        message = (
            f"{url} is larger than the {max_bytes // 1024} KiB limit"
            if max_ratio is None
            else f"{url} decompresses to more than {max_ratio:g} times its size "
            "(a compression bomb?)"
        )
        super().__init__(message, reason="too_large")
        self.url = url
        self.max_bytes = max_bytes


class NoPostingFound(DocumentError):
    """The page was read but holds no job posting."""

    def __init__(self, url: str) -> None:
        super().__init__(f"No job posting found at {url}", reason="no_posting")
        self.url = url

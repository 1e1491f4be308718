"""Typed failures of fetching and reading job pages, as subclasses of the ATSPro tree.

    TransientError
    ├── HostUnreachable      DNS failure, refused or dropped connection
    ├── FetchTimeout         connect/read ran past the limit
    └── UpstreamError        the site answered 5xx
    RateLimitedError         the site answered 429 (``retry_after_s`` from Retry-After)
    PermanentError
    ├── PageUnavailable      4xx other than 401/407/429
    ├── TooManyRedirects
    └── DocumentError
        ├── LoginWall        the page wants a login (reason "login_wall")
        ├── EmptyPage        nothing on the page (reason "empty_page")
        ├── UnsupportedContent  an image, archive... (reason "unsupported_content")
        ├── PageTooLarge     over the byte cap (reason "too_large")
        └── NoPostingFound   a page, but no job posting on it (reason "no_posting")

The guard's ``AddressRefused`` (PermanentError) and the breaker's ``CircuitOpen``
(TransientError) live beside the code that raises them.
"""

from __future__ import annotations

from atspro.errors import DocumentError, PermanentError, TransientError


class HostUnreachable(TransientError):
    """The host could not be resolved or connected to."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(f"Could not reach {url}: {detail}")
        self.url = url


class FetchTimeout(TransientError):
    """Fetching took longer than allowed."""

    def __init__(self, url: str, timeout_s: float) -> None:
        super().__init__(f"Fetching {url} timed out after {timeout_s:g} s")
        self.url = url
        self.timeout_s = timeout_s


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

    def __init__(self, url: str, max_bytes: int) -> None:
        super().__init__(
            f"{url} is larger than the {max_bytes // 1024} KiB limit", reason="too_large"
        )
        self.url = url
        self.max_bytes = max_bytes


class NoPostingFound(DocumentError):
    """The page was read but holds no job posting."""

    def __init__(self, url: str) -> None:
        super().__init__(f"No job posting found at {url}", reason="no_posting")
        self.url = url

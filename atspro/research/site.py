"""Reading the company's own site (home, about and careers pages) through the fetch guard."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin, urlsplit

from atspro.cpu_pool import run_cpu
from atspro.errors import TaskError
from atspro.jobs.fetch import PageFetcher, visible_text
from atspro.jobs.model import Job
from atspro.jobs.sources.boards import recognise_board_url

log = logging.getLogger(__name__)

_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+", re.IGNORECASE)
_HIDDEN = re.compile(
    r"<(script|style|noscript|template|nav|header|footer|form|svg)\b.*?</\1\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK = re.compile(
    r"</?(?:p|h[1-6]|li|div|section|article|main|aside|br|tr|td|ul|ol|dd|dt|blockquote)\b[^>]*>",
    re.IGNORECASE,
)
_HREF = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']?([^\"' >]+)", re.IGNORECASE)
_WANTED_PATH = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:about(?:-us)?|company|who-?we-?are|our-?(?:story|mission)|"
    r"mission|values|culture|careers?|jobs|join-?us|work-?with-?us)/?$",
    re.IGNORECASE,
)
_GUESSES = ("about", "careers")
# Home plus this many more pages: enough for about and careers, few enough to stay polite.
_MAX_EXTRA_PAGES = 3
# Bytes of HTML read for paragraphs: an about page's text sits well within this.
_MAX_HTML = 500_000


@dataclass(frozen=True, slots=True)
class SitePage:
    """One page of the company's site: its final URL and its paragraphs of visible text."""

    url: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The page's text, paragraphs on their own lines."""
        return "\n".join(self.paragraphs)


def company_home(job: Job) -> str | None:
    """The company's home page: the posting's own site, else the first non-board link in it."""
    candidates = [
        job.link,
        *_URL.findall(job.description),
        *_URL.findall(" ".join(job.additional_info)),
    ]
    for url in candidates:
        url = url.rstrip(".,;:")
        if not url or recognise_board_url(url) is not None:
            continue
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}/"
    return None


def page_paragraphs(html: str) -> tuple[str, ...]:
    """The visible paragraphs of an HTML page, without menus, headers, footers or scripts."""
    body = _HIDDEN.sub(" ", html)
    pieces = (unescape(visible_text(chunk)) for chunk in _BLOCK.split(body))
    out = [" ".join(piece.split()) for piece in pieces]
    return tuple(dict.fromkeys(p for p in out if p))


def site_links(html: str, base: str) -> list[str]:
    """Same-site links to about, company and careers pages, in page order."""
    host = urlsplit(base).netloc
    found: list[str] = []
    for href in _HREF.findall(html):
        url = urljoin(base, unescape(href)).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc == host and _WANTED_PATH.match(parts.path) and url not in found:
            found.append(url)
    return found


async def read_company_site(fetcher: PageFetcher, job: Job, *, user_id: str = "") -> list[SitePage]:
    """The company's home, about and careers pages that could be read; [] without a site.

    Every fetch goes through ``fetcher`` (its address guard and allow-list); a page that
    fails is left out, since the report does not depend on the site.
    """
    home = company_home(job)
    if home is None:
        return []
    pages: list[SitePage] = []
    html = await _read(fetcher, home, user_id, pages)
    links = await run_cpu(site_links, html, home) if html else []
    if not links:
        links = [urljoin(home, guess) for guess in _GUESSES]
    for url in links[:_MAX_EXTRA_PAGES]:
        if all(page.url != url for page in pages):
            await _read(fetcher, url, user_id, pages)
    return pages


async def _read(fetcher: PageFetcher, url: str, user_id: str, pages: list[SitePage]) -> str:
    """Fetch ``url``; append its paragraphs to ``pages`` and return its HTML ("" on failure)."""
    try:
        page = await fetcher.fetch(url, user_id=user_id)
    except TaskError as exc:
        log.info("company site %s not read: %s", url, exc.message)
        return ""
    if not page.is_html:
        return ""
    paragraphs = await run_cpu(page_paragraphs, page.text[:_MAX_HTML])
    if paragraphs and all(p.url != page.final_url for p in pages):
        pages.append(SitePage(url=page.final_url, paragraphs=paragraphs))
    return page.text

"""Reading the company's site through the fetch guard, and citing each fact's source."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from atspro.jobs.fetch import PageFetcher
from atspro.jobs.model import Job, Salary
from atspro.research import build_research_report, read_company_site
from atspro.research.site import company_home, page_paragraphs, site_links
from atspro.resume.model import Resume
from atspro.settings import Settings

PAGES = {
    "/": (
        "<html><body><nav><a href='/about-us'>About</a> <a href='/careers'>Careers</a>"
        "<a href='/admin'>Admin</a></nav><main><h1>Quarry Labs</h1>"
        "<p>Quarry Labs makes analytics software for quarries.</p></main>"
        "<footer>Contact us</footer></body></html>"
    ),
    "/about-us": (
        "<html><body><main><h1>Our story</h1><p>Founded in 1963, Quarry Labs started as a "
        "survey office.</p><p>Today 450 employees work from offices in Austin and Perth.</p>"
        "<p>We value safety, candour and craft.</p></main></body></html>"
    ),
    "/careers": (
        "<html><body><main><p>We believe quarries can be run without injuries.</p>"
        "<p>Apply today and join the team.</p></main></body></html>"
    ),
}


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    """The company's site on 127.0.0.1: the only fake is the outside world."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = PAGES.get(self.path)
            data = (body or "not found").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html" if body else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _job(base: str) -> Job:
    return Job(
        title="Data Analyst",
        company="Quarry Labs",
        description="We are hiring a Data Analyst. Learn more at http://" + base + "/jobs/7.",
        salary=Salary(min=50000, max=60000),
    )


async def test_about_and_careers_pages_are_read_and_cited(site: tuple[str, list[str]]) -> None:
    host, hits = site
    job = _job(host)
    async with PageFetcher(allowed_hosts=[host]) as fetcher:
        pages = await read_company_site(fetcher, job)
    base = f"http://{host}"
    assert [p.url for p in pages] == [f"{base}/", f"{base}/about-us", f"{base}/careers"]
    assert "/admin" not in hits
    report = build_research_report(Resume(skills=["SQL"]), job, site=pages, today=date(2025, 6, 1))
    by_text = {f.text: f.source for f in report.facts}
    assert by_text["Quarry Labs makes analytics software for quarries."] == f"{base}/"
    assert by_text["Founded in 1963, Quarry Labs started as a survey office."] == f"{base}/about-us"
    assert by_text["We believe quarries can be run without injuries."] == f"{base}/careers"
    assert "Apply today and join the team." not in by_text
    assert by_text["1963"] == f"{base}/about-us"
    assert by_text["450 employees"] == f"{base}/about-us"
    assert by_text["Austin, Perth"] == f"{base}/about-us"
    md = report.markdown
    assert f"1. The job posting\n2. {base}/\n3. {base}/about-us\n4. {base}/careers" in md
    assert "- Quarry Labs makes analytics software for quarries. [2]" in md
    assert "- Values: safety, candour and craft [3]" in md
    assert report.sources[:4] == [
        "the job posting",
        f"{base}/",
        f"{base}/about-us",
        f"{base}/careers",
    ]


async def test_the_guard_still_applies(site: tuple[str, list[str]]) -> None:
    host, hits = site
    async with PageFetcher() as fetcher:  # loopback is refused without an allow-list entry
        assert await read_company_site(fetcher, _job(host)) == []
    assert hits == []


async def test_a_board_posting_has_no_company_site(site: tuple[str, list[str]]) -> None:
    host, hits = site
    job = Job(description="Apply.", link="https://boards.greenhouse.io/quarry/jobs/1")
    assert company_home(job) is None
    async with PageFetcher(allowed_hosts=[host]) as fetcher:
        assert await read_company_site(fetcher, job) == []
    assert hits == []


def test_fetching_is_off_by_default() -> None:
    assert Settings(_env_file=None).research_fetch_enabled is False  # type: ignore[call-arg]


def test_pages_become_paragraphs_and_links() -> None:
    html = PAGES["/"]
    assert page_paragraphs(html) == (
        "Quarry Labs",
        "Quarry Labs makes analytics software for quarries.",
    )
    assert site_links(html, "http://q.example/") == [
        "http://q.example/about-us",
        "http://q.example/careers",
    ]

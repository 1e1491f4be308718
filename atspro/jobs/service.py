"""Entry points the task handler calls: a posting from a URL, pasted text or a document.

Structured data (JSON-LD, microdata, board APIs) fills the Job first; the offline parser
then reads the description text and fills what the structured data left empty, so both
paths yield the same fields. CPU-heavy parsing runs in a worker thread.
"""

from __future__ import annotations

from typing import Any

import lxml.etree
import lxml.html

from atspro.cpu_pool import run_cpu
from atspro.errors import InputError, PermanentError
from atspro.extraction import ExtractedDocument, ExtractionLimits, extract_document
from atspro.jobs.errors import NoPostingFound
from atspro.jobs.fetch import JSON_TYPES, FetchedPage, PageFetcher
from atspro.jobs.markup import html_lines
from atspro.jobs.model import Job, WorkplaceType
from atspro.jobs.parser import PostingHints, lines_from_document, lines_from_text, parse_lines
from atspro.jobs.sources.boards import (
    ASHBY_API,
    GREENHOUSE_API,
    LEVER_API,
    LEVER_EU_API,
    board_api_url,
    job_from_board,
    recognise_board_url,
)
from atspro.jobs.sources.readable import main_content_lines
from atspro.jobs.sources.structured import (
    job_from_schema,
    json_ld_postings,
    microdata_postings,
)
from atspro.progress import ProgressFn, no_progress

_MIN_SIGNALS = 2
_LIMITS = ExtractionLimits()


def merge_jobs(structured: Job, parsed: Job) -> Job:
    """Structured fields win; the parser fills the gaps; skills are united."""
    merged: dict[str, Any] = {}
    for name, value in structured:
        other = getattr(parsed, name)
        empty = value in ("", None, [], WorkplaceType.UNKNOWN) or (
            name == "salary" and structured.salary.min is None and not structured.salary.text
        )
        merged[name] = other if empty else value
    merged["required_skills"] = list(
        dict.fromkeys([*structured.required_skills, *parsed.required_skills])
    )
    merged["preferred_skills"] = [
        s for s in parsed.preferred_skills if s not in merged["required_skills"]
    ]
    return Job.model_validate(merged)


def complete_structured(structured: Job, description_html: str) -> Job:
    """Enrich a structured Job from its description text with the offline parser."""
    lines = (
        html_lines(description_html)
        if description_html
        else lines_from_text(structured.description)
    )
    parsed = parse_lines(
        lines, hints=PostingHints(title=structured.title, company=structured.company)
    )
    return merge_jobs(structured, parsed)


def _signals(job: Job) -> int:
    return sum(
        (
            bool(job.title),
            bool(job.responsibilities),
            bool(job.qualifications or job.preferred_qualifications),
            bool(job.required_skills),
            job.salary.min is not None,
            bool(job.employment_type),
            job.years_experience_min is not None,
            bool(job.benefits),
        )
    )


def _page_hints(tree: lxml.html.HtmlElement) -> PostingHints:
    def meta(prop: str) -> str:
        found = tree.xpath(f'//meta[@property="{prop}" or @name="{prop}"]/@content')
        return str(found[0]).strip() if found else ""

    title = tree.findtext(".//title") or ""
    return PostingHints(
        page_title=meta("og:title") or " ".join(title.split()), site_name=meta("og:site_name")
    )


def parse_job_from_html(page_html: str, *, url: str = "") -> Job:
    """Parse a fetched posting page: JSON-LD, then microdata, then the main content text."""
    try:
        tree = lxml.html.fromstring(page_html)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NoPostingFound(url or "the page") from exc
    postings = json_ld_postings(tree) or microdata_postings(tree, url)
    if postings:
        first = postings[0]
        structured, description_html = job_from_schema(first.data, url=url, source=first.syntax)
        job = complete_structured(structured, description_html)
        if job.description:
            return job
    lines = main_content_lines(page_html, tree=tree, url=url)
    if not lines:
        raise NoPostingFound(url or "the page")
    job = parse_lines(lines, hints=_page_hints(tree))
    if not job.description or _signals(job) < _MIN_SIGNALS:
        raise NoPostingFound(url or "the page")
    return job.model_copy(update={"source": "html", "link": url})


def parse_job_from_text(text: str) -> Job:
    """Parse pasted posting text into a Job."""
    if not text.strip():
        raise InputError("The posting text is empty", field="text")
    return parse_lines(lines_from_text(text))


def parse_job_from_document(doc: ExtractedDocument) -> Job:
    """Parse an extracted PDF/DOCX/TXT posting into a Job."""
    wraps = doc.media_type == "application/pdf"
    lines = lines_from_document(doc.lines, wraps=wraps)
    if not lines:
        raise NoPostingFound("the document")
    return parse_lines(lines).model_copy(update={"source": "document"})


def parse_fetched_page(page: FetchedPage, url: str) -> Job:
    """Parse a fetched document, web page, JSON-LD or text body into a Job."""
    if page.is_document:
        document = extract_document(page.data, limits=_LIMITS)
        job = parse_job_from_document(document)
    elif page.is_html:
        job = parse_job_from_html(page.text, url=page.final_url)
    elif page.content_type in JSON_TYPES:
        postings = list(
            json_ld_postings(
                lxml.html.fromstring(
                    f'<html><script type="application/ld+json">{page.text}</script></html>'
                )
            )
        )
        if not postings:
            raise NoPostingFound(url)
        job = complete_structured(*job_from_schema(postings[0].data, url=url))
    else:
        job = parse_job_from_text(page.text)
    return job if job.link else job.model_copy(update={"link": url})


async def parse_job_from_url(
    url: str,
    *,
    fetcher: PageFetcher,
    user_id: str = "",
    progress: ProgressFn = no_progress,
    greenhouse_api: str = GREENHOUSE_API,
    lever_api: str = LEVER_API,
    lever_eu_api: str = LEVER_EU_API,
    ashby_api: str = ASHBY_API,
) -> Job:
    """Fetch ``url`` through the guard and parse the posting, best source first.

    ``user_id`` counts the fetches against that user's concurrency cap.
    """
    await progress(5, "Fetching the posting")
    board = recognise_board_url(url)
    if board is not None:
        api = board_api_url(
            board, greenhouse_api=greenhouse_api, lever_api=lever_api,
            lever_eu_api=lever_eu_api, ashby_api=ashby_api,
        )  # fmt: skip
        try:
            answer = await fetcher.fetch(api, user_id=user_id)
            found = job_from_board(board, answer.json(), url=url)
        except PermanentError:
            found = None  # the page itself may still carry the posting
        if found is not None:
            await progress(60, f"Reading the {board.board} posting")
            job = await run_cpu(complete_structured, *found)
            await progress(100, "Posting parsed")
            return job
    page = await fetcher.fetch(url, user_id=user_id)
    await progress(50, "Reading the posting")
    job = await run_cpu(parse_fetched_page, page, url)
    await progress(100, "Posting parsed")
    return job

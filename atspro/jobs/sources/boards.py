"""Greenhouse, Lever and Ashby: recognise their posting URLs and read their public JSON APIs.

The API bases are module constants passed as keyword arguments, so tests (and a proxy,
if one is ever needed) can point them elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from atspro.jobs.facets import iso_date, schema_employment_type
from atspro.jobs.model import Job, Salary, WorkplaceType

GREENHOUSE_API = "https://boards-api.greenhouse.io/v1/boards"
LEVER_API = "https://api.lever.co/v0/postings"
LEVER_EU_API = "https://api.eu.lever.co/v0/postings"
ASHBY_API = "https://api.ashbyhq.com/posting-api/job-board"

_GREENHOUSE_HOST = re.compile(r"^(?:job-)?boards(?:\.eu)?\.greenhouse\.io$")
_LEVER_HOST = re.compile(r"^jobs(?P<eu>\.eu)?\.lever\.co$")
_ASHBY_HOST = "jobs.ashbyhq.com"
_SLUG = r"[A-Za-z0-9][\w.-]*"
_INTERVALS = {
    "year": "year",
    "annual": "year",
    "month": "month",
    "week": "week",
    "day": "day",
    "hour": "hour",
}
_WORKPLACE = {"remote": WorkplaceType.REMOTE, "hybrid": WorkplaceType.HYBRID,
              "on-site": WorkplaceType.ON_SITE, "onsite": WorkplaceType.ON_SITE}  # fmt: skip


@dataclass(frozen=True, slots=True)
class BoardPosting:
    """A posting on a job board: which board, the company's slug and the job id."""

    board: str  # greenhouse | lever | ashby
    company: str
    job_id: str
    eu: bool = False


def recognise_board_url(url: str) -> BoardPosting | None:
    """The board posting a URL points at, or None for other sites."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path
    if _GREENHOUSE_HOST.match(host):
        match = re.match(rf"^/({_SLUG})/jobs/(\d+)", path)
        if match:
            return BoardPosting("greenhouse", match.group(1), match.group(2))
        query = parse_qs(parts.query)
        if path.startswith("/embed/job_app") and query.get("for") and query.get("token"):
            return BoardPosting("greenhouse", query["for"][0], query["token"][0])
        return None
    lever = _LEVER_HOST.match(host)
    if lever:
        match = re.match(rf"^/({_SLUG})/([0-9a-f-]{{36}})", path)
        if match:
            return BoardPosting("lever", match.group(1), match.group(2), eu=bool(lever.group("eu")))
        return None
    if host == _ASHBY_HOST:
        match = re.match(rf"^/({_SLUG})/([0-9a-f-]{{36}})", path)
        if match:
            return BoardPosting("ashby", match.group(1), match.group(2))
    return None


def board_api_url(
    posting: BoardPosting,
    *,
    greenhouse_api: str = GREENHOUSE_API,
    lever_api: str = LEVER_API,
    lever_eu_api: str = LEVER_EU_API,
    ashby_api: str = ASHBY_API,
) -> str:
    """The public JSON endpoint that describes ``posting``."""
    if posting.board == "greenhouse":
        return f"{greenhouse_api}/{posting.company}/jobs/{posting.job_id}"
    if posting.board == "lever":
        base = lever_eu_api if posting.eu else lever_api
        return f"{base}/{posting.company}/{posting.job_id}?mode=json"
    # Ashby publishes whole boards; the posting is picked out of the list.
    return f"{ashby_api}/{posting.company}?includeCompensation=true"


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _greenhouse(data: dict[str, Any], url: str) -> tuple[Job, str]:
    location = _str((data.get("location") or {}).get("name"))
    job = Job(
        title=_str(data.get("title")),
        company=_str(data.get("company_name")),
        description="",
        location=[location] if location else [],
        link=_str(data.get("absolute_url")) or url,
        date_posted=iso_date(_str(data.get("first_published")) or _str(data.get("updated_at"))),
        source="greenhouse",
    )
    return job, _str(data.get("content"))


def _lever(data: dict[str, Any], url: str) -> tuple[Job, str]:
    categories = data.get("categories") or {}
    locations = categories.get("allLocations") or [categories.get("location")]
    salary = Salary()
    salary_range = data.get("salaryRange")
    if isinstance(salary_range, dict) and salary_range.get("min") is not None:
        interval = _str(salary_range.get("interval")).lower()
        salary = Salary(
            text=_str(data.get("salaryDescriptionPlain"))
            or f"{salary_range.get('min')}-{salary_range.get('max')}",
            min=float(salary_range["min"]),
            max=float(salary_range.get("max") or salary_range["min"]),
            currency=_str(salary_range.get("currency")).upper(),
            period=next((v for k, v in _INTERVALS.items() if k in interval), ""),
        )
    parts = [_str(data.get("description"))]
    for block in data.get("lists") or []:
        parts.append(f"<h3>{_str(block.get('text'))}</h3><ul>{_str(block.get('content'))}</ul>")
    if _str(data.get("additional")):
        parts.append(f"<h3>Additional information</h3>{_str(data.get('additional'))}")
    created = data.get("createdAt")
    job = Job(
        title=_str(data.get("text")),
        description="",
        salary=salary,
        location=[loc for loc in map(_str, locations) if loc],
        link=_str(data.get("hostedUrl")) or url,
        employment_type=schema_employment_type(_str(categories.get("commitment"))),
        workplace_type=_WORKPLACE.get(
            _str(data.get("workplaceType")).lower(), WorkplaceType.UNKNOWN
        ),
        date_posted=iso_date(str(created)) if isinstance(created, int) else "",
        source="lever",
    )
    return job, "".join(p for p in parts if p)


def _ashby(job_data: dict[str, Any], url: str) -> tuple[Job, str]:
    locations = [_str(job_data.get("location"))] + [
        _str(s.get("location"))
        for s in job_data.get("secondaryLocations") or []
        if isinstance(s, dict)
    ]
    salary = Salary()
    compensation = job_data.get("compensation") or {}
    for part in compensation.get("summaryComponents") or []:
        if (
            isinstance(part, dict)
            and part.get("compensationType") == "Salary"
            and part.get("minValue") is not None
        ):
            interval = _str(part.get("interval")).lower()
            salary = Salary(
                text=_str(compensation.get("compensationTierSummary")) or _str(part.get("summary")),
                min=float(part["minValue"]),
                max=float(part.get("maxValue") or part["minValue"]),
                currency=_str(part.get("currencyCode")).upper(),
                period=next((v for k, v in _INTERVALS.items() if k in interval), ""),
            )
            break
    workplace = _WORKPLACE.get(
        _str(job_data.get("workplaceType")).lower().replace("onsite", "on-site")
    )
    if workplace is None:
        workplace = (
            WorkplaceType.REMOTE if job_data.get("isRemote") is True else WorkplaceType.UNKNOWN
        )
    job = Job(
        title=_str(job_data.get("title")),
        description="",
        salary=salary,
        location=[loc for loc in dict.fromkeys(locations) if loc],
        link=_str(job_data.get("jobUrl")) or url,
        employment_type=schema_employment_type(_str(job_data.get("employmentType"))),
        workplace_type=workplace,
        date_posted=iso_date(_str(job_data.get("publishedAt"))),
        source="ashby",
    )
    return job, _str(job_data.get("descriptionHtml")) or _str(job_data.get("descriptionPlain"))


def job_from_board(posting: BoardPosting, data: Any, *, url: str) -> tuple[Job, str] | None:
    """Structured Job fields and description HTML from a board API answer; None if absent."""
    if posting.board == "ashby":
        jobs = data.get("jobs") if isinstance(data, dict) else None
        match = next(
            (j for j in jobs or [] if isinstance(j, dict) and str(j.get("id")) == posting.job_id),
            None,
        )
        return _ashby(match, url) if match is not None else None
    if not isinstance(data, dict) or not (data.get("title") or data.get("text")):
        return None
    return _greenhouse(data, url) if posting.board == "greenhouse" else _lever(data, url)

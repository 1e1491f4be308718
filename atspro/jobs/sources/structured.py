"""schema.org JobPosting from JSON-LD (own tolerant reader) and microdata (extruct)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html
import orjson
from extruct.w3cmicrodata import MicrodataExtractor

from atspro.jobs.facets import education_level, iso_date, schema_employment_type, years_experience
from atspro.jobs.markup import html_lines, html_to_text
from atspro.jobs.model import Job, Salary, WorkplaceType
from atspro.jobs.salary import parse_salary
from atspro.skills import canonical_skill

_PERIODS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year",
            "ANNUAL": "year", "ANNUALLY": "year", "HOURLY": "hour", "MONTHLY": "month"}  # fmt: skip
_COMMENT = re.compile(r"^\s*(?:<!--|//.*$)|-->\s*$", re.MULTILINE)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass(frozen=True, slots=True)
class StructuredPosting:
    """A JobPosting found on a page: its fields as a JSON-LD-shaped dict, and the syntax."""

    syntax: str  # "json-ld" or "microdata"
    data: dict[str, Any]


def _is_job_posting(node: dict[str, Any]) -> bool:
    kinds = node.get("@type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        if _is_job_posting(node):
            yield node
            return
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value)


def _load_json(script: str) -> Any:
    try:
        return orjson.loads(script)
    except orjson.JSONDecodeError:
        pass
    # Hand-written JSON-LD often carries HTML comments, trailing commas or raw newlines.
    cleaned = _TRAILING_COMMA.sub(r"\1", _COMMENT.sub("", script)).replace("\n", " ")
    try:
        return orjson.loads(cleaned)
    except orjson.JSONDecodeError:
        return None


def json_ld_postings(tree: lxml.html.HtmlElement) -> list[StructuredPosting]:
    """JobPosting objects in the page's JSON-LD scripts (@graph, arrays, nesting)."""
    found: list[StructuredPosting] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        data = _load_json(script.text_content() or "")
        found.extend(StructuredPosting("json-ld", item) for item in _walk(data))
    return found


def _from_microdata(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": str(item.get("type", "")).rsplit("/", 1)[-1]}
    for key, value in item.get("properties", {}).items():
        if isinstance(value, list):
            out[key] = [
                _from_microdata(v) if isinstance(v, dict) and "properties" in v else v
                for v in value
            ]
        elif isinstance(value, dict) and "properties" in value:
            out[key] = _from_microdata(value)
        else:
            out[key] = value
    return out


def microdata_postings(tree: lxml.html.HtmlElement, url: str) -> list[StructuredPosting]:
    """JobPosting items in the page's microdata."""
    items = MicrodataExtractor().extract_items(tree, url)
    converted = [_from_microdata(item) for item in items]
    found = [StructuredPosting("microdata", item) for item in _walk(converted)]
    if len(found) == 1:
        # extruct flattens the description to text; the markup carries the sections.
        nodes = tree.xpath('//*[@itemprop="description"]')
        if len(nodes) == 1:
            inner = (nodes[0].text or "") + "".join(
                lxml.html.tostring(child, encoding="unicode") for child in nodes[0]
            )
            found[0].data["description"] = inner
    return found


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("value") or value.get("@value") or "")
    if value is None:
        return ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(value))).split())


def _address(value: Any) -> str:
    if isinstance(value, str):
        return _text(value)
    if not isinstance(value, dict):
        return ""
    parts = [_text(value.get(k)) for k in ("addressLocality", "addressRegion", "addressCountry")]
    unique = [
        p for i, p in enumerate(parts) if p and p.lower() not in (q.lower() for q in parts[:i])
    ]
    return ", ".join(unique)


def _locations(data: dict[str, Any]) -> list[str]:
    places = data.get("jobLocation") or []
    out: list[str] = []
    for place in places if isinstance(places, list) else [places]:
        text = _address(place.get("address")) if isinstance(place, dict) else _text(place)
        if not text and isinstance(place, dict):
            text = _text(place.get("name"))
        if text:
            out.append(text)
    return list(dict.fromkeys(out))


def _salary(value: Any) -> Salary:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, (int, float)):
        return Salary(
            text=str(value),
            min=float(value),
            max=float(value),
            period="year" if value >= 10_000 else "",
        )
    if isinstance(value, str):
        return parse_salary(value, labelled=True) or Salary(text=value)
    if not isinstance(value, dict):
        return Salary()
    currency = _text(value.get("currency")).upper()
    amount = value.get("value", value)
    if isinstance(amount, (int, float, str)) and not isinstance(amount, bool):
        amount = {"value": amount}
    if not isinstance(amount, dict):
        return Salary()
    low = _number(amount.get("minValue", amount.get("value")))
    high = _number(amount.get("maxValue", amount.get("value")))
    period = _PERIODS.get(_text(amount.get("unitText") or value.get("unitText")).upper(), "")
    if low is None and high is None:
        return Salary()
    low = low if low is not None else high
    text = f"{currency} {low:g}" + (f"-{high:g}" if high not in (None, low) else "")
    return Salary(
        text=text.strip(),
        min=low,
        max=high if high is not None else low,
        currency=currency,
        period=period,
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    found = parse_salary(str(value), labelled=True)
    return found.min if found else None


def _items(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in values:
        if isinstance(item, str) and item.strip():
            out.extend(line.text.lstrip("-•* ").strip() for line in html_lines(item))
        elif isinstance(item, dict):
            out.append(_text(item))
    return [i for i in dict.fromkeys(out) if i]


def _years(value: Any) -> float | None:
    if isinstance(value, dict):
        months = _number(value.get("monthsOfExperience"))
        if months is not None:
            return months / 12
        value = value.get("description", "")
    return years_experience(_text(value)) if value else None


def _credential(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_credential(v) for v in value)
    if isinstance(value, dict):
        return _text(
            value.get("credentialCategory") or value.get("name") or value.get("description")
        )
    return _text(value)


def _workplace(data: dict[str, Any]) -> WorkplaceType:
    kinds = _text(data.get("jobLocationType")).upper()
    if "TELECOMMUTE" in kinds:
        return WorkplaceType.REMOTE
    return WorkplaceType.UNKNOWN


def job_from_schema(
    data: dict[str, Any], *, url: str = "", source: str = "json-ld"
) -> tuple[Job, str]:
    """Map a JobPosting dict to a Job (structured fields only) and its description HTML."""
    description = data.get("description") or ""
    description_html = description if isinstance(description, str) else _text(description)
    locations = _locations(data)
    workplace = _workplace(data)
    if workplace is WorkplaceType.REMOTE and not locations:
        region = _text(data.get("applicantLocationRequirements"))
        locations = [f"Remote ({region})" if region else "Remote"]
    skills = data.get("skills") or []
    skill_names = [s for s in re.split(r"\s*[,;\n]\s*", _text(skills)) if s] if skills else []
    job = Job(
        title=_text(data.get("title") or data.get("name")),
        company=_text(data.get("hiringOrganization")),
        description=html_to_text(description_html) if description_html else "",
        salary=_salary(data.get("baseSalary") or data.get("estimatedSalary")),
        responsibilities=_items(data.get("responsibilities")),
        qualifications=_items(data.get("qualifications")),
        benefits=_items(data.get("jobBenefits")) + _items(data.get("incentiveCompensation")),
        location=locations,
        link=_text(data.get("url")) or url,
        employment_type=schema_employment_type(data.get("employmentType")),
        workplace_type=workplace,
        date_posted=iso_date(_text(data.get("datePosted"))),
        years_experience_min=_years(data.get("experienceRequirements")),
        education_level=education_level(_credential(data.get("educationRequirements"))),
        required_skills=list(dict.fromkeys(canonical_skill(s) for s in skill_names)),
        source=source,
    )
    return job, description_html

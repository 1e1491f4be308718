"""A Resume as JSON Resume (jsonresume.org schema v1) or Markdown, and back from JSON.

Also reads Resume-Matcher's resume JSON (``personalInfo``/``workExperience``/``additional``),
a second structured format in the wild.
"""

from __future__ import annotations

import re
from typing import Any

from atspro.resume.model import (
    Certification,
    ContactInfo,
    Education,
    Link,
    Project,
    Resume,
    WorkExperience,
)
from atspro.resume.parser.dates import find_date_range

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO_RE = re.compile(r"^([12]\d{3})(?:-([01]\d))?(?:-([0-3]\d))?$")


def display_date(iso: str) -> str:
    """ "2020-03" -> "Mar 2020"; "2020" stays; anything else is returned as is."""
    match = _ISO_RE.match(iso)
    if not match:
        return iso
    year, month = match.group(1), match.group(2)
    if month and 1 <= int(month) <= 12:
        return f"{_MONTHS[int(month) - 1]} {year}"
    return year


def display_period(start: str, end: str, is_current: bool) -> str:
    """ "Mar 2020 - Present", "2018 - 2020" (en dash) or one date."""
    first = display_date(start)
    last = "Present" if is_current and not end else display_date(end)
    if first and last:
        return f"{first} \u2013 {last}"
    return first or last


def _iso(value: Any) -> str:
    """A JSON Resume date cut to ``YYYY-MM`` (the parser's precision)."""
    text = str(value or "").strip()
    match = _ISO_RE.match(text)
    if not match:
        found = find_date_range(text)
        return found.start if found else ""
    return f"{match.group(1)}-{match.group(2)}" if match.group(2) else match.group(1)


def _url(value: str) -> str:
    if not value:
        return ""
    return value if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I) else f"https://{value}"


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set only non-empty values: JSON Resume treats every field as optional."""
    if value not in ("", None, [], {}):
        target[key] = value


def to_json_resume(resume: Resume) -> dict[str, Any]:
    """The resume as a JSON Resume document (valid against the v1 schema)."""
    contact = resume.contact_info
    basics: dict[str, Any] = {}
    _put(basics, "name", contact.full_name)
    _put(basics, "email", contact.email)
    _put(basics, "phone", contact.phone)
    _put(basics, "summary", resume.summary)
    if contact.address:
        basics["location"] = {"address": contact.address}
    profiles = [
        {"network": link.name or "Website", "url": _url(link.url)} for link in contact.links
    ]
    _put(basics, "profiles", profiles)
    out: dict[str, Any] = {"basics": basics}
    work = []
    for job in resume.work_experience:
        item: dict[str, Any] = {}
        _put(item, "name", job.company)
        _put(item, "position", job.position)
        _put(item, "location", job.location)
        _put(item, "startDate", job.start_date)
        _put(item, "endDate", job.end_date)
        _put(item, "summary", job.description)
        _put(item, "highlights", job.responsibilities)
        work.append(item)
    _put(out, "work", work)
    education = []
    for school in resume.education:
        item = {}
        _put(item, "institution", school.institution)
        _put(item, "studyType", school.degree)
        _put(item, "area", school.field_of_study)
        _put(item, "endDate", school.graduation_date)
        _put(item, "score", school.gpa)
        _put(item, "courses", school.relevant_courses)
        education.append(item)
    _put(out, "education", education)
    certificates = []
    for cert in resume.certifications:
        item = {"name": cert.name}
        _put(item, "issuer", cert.issuer)
        _put(item, "date", cert.date_obtained)
        certificates.append(item)
    _put(out, "certificates", certificates)
    _put(out, "skills", [{"name": skill} for skill in resume.skills])
    _put(out, "languages", [{"language": lang} for lang in resume.languages])
    projects = []
    for project in resume.projects:
        item = {"name": project.name}
        _put(item, "description", project.description)
        _put(item, "url", _url(project.url))
        _put(item, "keywords", project.skills)
        projects.append(item)
    _put(out, "projects", projects)
    return out


def _location_text(location: Any) -> str:
    if isinstance(location, str):
        return location
    if not isinstance(location, dict):
        return ""
    parts = [location.get(k, "") for k in ("address", "city", "region", "countryCode")]
    return ", ".join(str(p) for p in parts if p)


def from_json_resume(data: dict[str, Any]) -> Resume:
    """A Resume from a JSON Resume document (unknown fields are ignored)."""
    basics = data.get("basics") or {}
    links = [
        Link(name=str(p.get("network", "")), url=str(p.get("url") or p.get("username", "")))
        for p in basics.get("profiles") or []
        if p.get("url") or p.get("username")
    ]
    if basics.get("url"):
        links.insert(0, Link(name="Website", url=str(basics["url"])))
    skills: list[str] = []
    for group in data.get("skills") or []:
        for keyword in group.get("keywords") or [group.get("name", "")]:
            if keyword and keyword not in skills:
                skills.append(str(keyword))
    return Resume(
        contact_info=ContactInfo(
            full_name=str(basics.get("name", "")),
            email=str(basics.get("email", "")),
            phone=str(basics.get("phone", "")),
            address=_location_text(basics.get("location")),
            links=links,
        ),
        summary=str(basics.get("summary", "")),
        work_experience=[
            WorkExperience(
                company=str(w.get("name") or w.get("company", "")),
                position=str(w.get("position", "")),
                start_date=_iso(w.get("startDate")),
                end_date=_iso(w.get("endDate")),
                is_current=not w.get("endDate") and bool(w.get("startDate")),
                location=str(w.get("location", "")),
                description=str(w.get("summary", "")),
                responsibilities=[str(h) for h in w.get("highlights") or []],
            )
            for w in data.get("work") or []
        ],
        education=[
            Education(
                institution=str(e.get("institution", "")),
                degree=str(e.get("studyType", "")),
                field_of_study=str(e.get("area", "")),
                graduation_date=_iso(e.get("endDate")),
                gpa=str(e.get("score", "")),
                relevant_courses=[str(c) for c in e.get("courses") or []],
            )
            for e in data.get("education") or []
        ],
        certifications=[
            Certification(
                name=str(c.get("name", "")),
                issuer=str(c.get("issuer", "")),
                date_obtained=_iso(c.get("date")),
            )
            for c in data.get("certificates") or []
            if c.get("name")
        ],
        projects=[
            Project(
                name=str(p.get("name", "")),
                description=str(p.get("description", "")),
                url=str(p.get("url", "")),
                skills=[str(k) for k in p.get("keywords") or []],
            )
            for p in data.get("projects") or []
            if p.get("name")
        ],
        skills=skills,
        languages=[str(lang.get("language", "")) for lang in data.get("languages") or []],
    )


def _period(text: str) -> tuple[str, str, bool]:
    found = find_date_range(text or "")
    if found is None:
        return "", "", False
    return found.start, found.end, found.is_current


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


def from_resume_matcher(data: dict[str, Any]) -> Resume:
    """A Resume from Resume-Matcher's resume JSON (``personalInfo``, ``workExperience``...)."""
    info = data.get("personalInfo") or {}
    links = [
        Link(name=name, url=str(info[key]))
        for key, name in (("website", "Website"), ("linkedin", "LinkedIn"), ("github", "GitHub"))
        if info.get(key)
    ]
    work = []
    for job in data.get("workExperience") or []:
        start, end, current = _period(str(job.get("years", "")))
        work.append(
            WorkExperience(
                company=str(job.get("company", "")),
                position=str(job.get("title", "")),
                start_date=start,
                end_date=end,
                is_current=current,
                location=str(job.get("location", "")),
                responsibilities=_lines(job.get("description")),
            )
        )
    education = []
    for school in data.get("education") or []:
        start, end, _ = _period(str(school.get("years", "")))
        degree = str(school.get("degree", ""))
        field = ""
        if " in " in degree:
            degree, field = (p.strip() for p in degree.split(" in ", 1))
        education.append(
            Education(
                institution=str(school.get("institution", "")),
                degree=degree,
                field_of_study=field,
                graduation_date=end or start,
                honors=_lines(school.get("description")),
            )
        )
    extra = data.get("additional") or {}
    return Resume(
        contact_info=ContactInfo(
            full_name=str(info.get("name", "")),
            email=str(info.get("email", "")),
            phone=str(info.get("phone", "")),
            address=str(info.get("location", "")),
            links=links,
        ),
        summary=str(data.get("summary", "")),
        work_experience=work,
        education=education,
        certifications=[Certification(name=c) for c in _lines(extra.get("certificationsTraining"))],
        projects=[
            Project(name=str(p.get("name", "")), description=" ".join(_lines(p.get("description"))))
            for p in data.get("personalProjects") or []
            if p.get("name")
        ],
        skills=_lines(extra.get("technicalSkills")),
        languages=_lines(extra.get("languages")),
    )


def _md_escape(text: str) -> str:
    """Keep user text from turning into Markdown syntax."""
    return re.sub(r"([\\`*_#<>\[\]])", r"\\\1", text)


def to_markdown(resume: Resume) -> str:
    """The resume as Markdown: a name heading, contact line, one ``##`` per section."""
    e = _md_escape
    contact = resume.contact_info
    out: list[str] = [f"# {e(contact.full_name or 'Resume')}", ""]
    reach = [contact.email, contact.phone, contact.address] + [link.url for link in contact.links]
    if any(reach):
        out += [" | ".join(e(r) for r in reach if r), ""]
    if resume.summary:
        out += ["## Summary", "", e(resume.summary), ""]
    if resume.work_experience:
        out += ["## Experience", ""]
        for job in resume.work_experience:
            head = " | ".join(e(p) for p in (job.position, job.company) if p)
            out += [f"### {head}", ""]
            when = display_period(job.start_date, job.end_date, job.is_current)
            meta = " | ".join(p for p in (when, e(job.location)) if p)
            if meta:
                out += [meta, ""]
            if job.description:
                out += [e(job.description), ""]
            out += [f"- {e(r)}" for r in job.responsibilities]
            out += [""] if job.responsibilities else []
    if resume.education:
        out += ["## Education", ""]
        for school in resume.education:
            degree = " in ".join(p for p in (school.degree, school.field_of_study) if p)
            head = " | ".join(e(p) for p in (degree, school.institution) if p)
            out += [f"### {head}", ""]
            details = [display_date(school.graduation_date)] if school.graduation_date else []
            details += [f"GPA: {school.gpa}"] if school.gpa else []
            details += [e(h) for h in school.honors]
            if details:
                out += [" | ".join(details), ""]
            if school.relevant_courses:
                out += [
                    "Relevant coursework: " + ", ".join(e(c) for c in school.relevant_courses),
                    "",
                ]
    if resume.skills:
        out += ["## Skills", "", ", ".join(e(s) for s in resume.skills), ""]
    if resume.projects:
        out += ["## Projects", ""]
        for project in resume.projects:
            out += [f"### {e(project.name)}", ""]
            out += [e(project.description), ""] if project.description else []
            out += [e(project.url), ""] if project.url else []
    if resume.certifications:
        out += ["## Certifications", ""]
        for cert in resume.certifications:
            bits = [e(cert.name)] + [e(cert.issuer)] * bool(cert.issuer)
            bits += [display_date(cert.date_obtained)] * bool(cert.date_obtained)
            out.append("- " + " | ".join(bits))
        out.append("")
    if resume.languages:
        out += ["## Languages", "", ", ".join(e(lang) for lang in resume.languages), ""]
    return "\n".join(out).rstrip() + "\n"

"""A resume as plain text, laid out the way a person would type it."""

from __future__ import annotations

from atspro.resume.export import display_date, display_period
from atspro.resume.model import Resume


def resume_to_text(resume: Resume) -> str:
    """Plain text with upper-case section headings and "- " bullets."""
    contact = resume.contact_info
    out: list[str] = [contact.full_name]
    reach = [contact.email, contact.phone, contact.address] + [link.url for link in contact.links]
    out += [" | ".join(r for r in reach if r), ""]
    if resume.summary:
        out += ["SUMMARY", resume.summary, ""]
    if resume.work_experience:
        out.append("EXPERIENCE")
        for job in resume.work_experience:
            out.append(" | ".join(p for p in (job.position, job.company) if p))
            when = display_period(job.start_date, job.end_date, job.is_current)
            meta = " | ".join(p for p in (when, job.location) if p)
            out += [meta] if meta else []
            out += [job.description] if job.description else []
            out += [f"- {r}" for r in job.responsibilities]
            out.append("")
    if resume.education:
        out.append("EDUCATION")
        for school in resume.education:
            degree = " in ".join(p for p in (school.degree, school.field_of_study) if p)
            out.append(" | ".join(p for p in (degree, school.institution) if p))
            details = [display_date(school.graduation_date)] if school.graduation_date else []
            details += [f"GPA: {school.gpa}"] if school.gpa else []
            out += [" | ".join(details)] if details else []
            if school.relevant_courses:
                out.append("Relevant coursework: " + ", ".join(school.relevant_courses))
            out.append("")
    if resume.skills:
        out += ["SKILLS", ", ".join(resume.skills), ""]
    if resume.projects:
        out.append("PROJECTS")
        for project in resume.projects:
            out += [project.name] + ([project.description] if project.description else []) + [""]
    if resume.certifications:
        out.append("CERTIFICATIONS")
        out += [
            f"- {c.name}" + (f" | {c.issuer}" if c.issuer else "") for c in resume.certifications
        ]
        out.append("")
    if resume.languages:
        out += ["LANGUAGES", ", ".join(resume.languages), ""]
    return "\n".join(out).rstrip() + "\n"

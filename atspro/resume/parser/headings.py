"""Section headings: which words name which section, in several languages."""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of resume sections the parser tells apart."""

    PROFILE = "profile"
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    CERTIFICATIONS = "certifications"
    LANGUAGES = "languages"
    AWARDS = "awards"
    PUBLICATIONS = "publications"
    COURSEWORK = "coursework"
    ACTIVITIES = "activities"
    INTERESTS = "interests"
    REFERENCES = "references"
    CONTACT = "contact"
    OTHER = "other"


# Keywords are matched against the heading with everything but letters removed, so
# "W O R K  E X P E R I E N C E" and "WorkExperience" both read "workexperience".
_KEYWORDS: dict[Kind, tuple[str, ...]] = {
    Kind.SUMMARY: (
        "summary",
        "profile",
        "objective",
        "aboutme",
        "about",
        "overview",
        "introduction",
        "careerobjective",
        "profil",
        "zusammenfassung",
        "résumé",
        "resumen",
        "perfil",
        "sintesi",
        "profiel",
        "highlights",
        "qualificationssummary",
    ),
    Kind.EXPERIENCE: (
        "experience",
        "experiences",
        "employment",
        "workhistory",
        "employmenthistory",
        "careerhistory",
        "professionalhistory",
        "career",
        "internships",
        "internship",
        "research",
        "positions",
        "militaryservice",
        "erfahrung",
        "berufserfahrung",
        "expérience",
        "expériences",
        "experiencia",
        "esperienza",
        "esperienze",
        "ervaring",
        "werkervaring",
        "berufspraxis",
        "werdegang",
        "parcoursprofessionnel",
        "experiênciaprofissional",
        "experiência",
    ),
    Kind.EDUCATION: (
        "education",
        "educational",
        "academicbackground",
        "academichistory",
        "academicrecord",
        "educationhistory",
        "academics",
        "academic",
        "qualifications",
        "schooling",
        "studies",
        "ausbildung",
        "bildung",
        "studium",
        "formation",
        "formación",
        "educación",
        "formação",
        "educação",
        "istruzione",
        "formazione",
        "opleiding",
        "opleidingen",
        "degrees",
    ),
    Kind.SKILLS: (
        "skills",
        "skill",
        "technicalskills",
        "technologies",
        "technology",
        "techstack",
        "competencies",
        "competences",
        "expertise",
        "toolbox",
        "tools",
        "proficiencies",
        "programminglanguages",
        "computerlanguages",
        "programming",
        "technical",
        "kenntnisse",
        "fähigkeiten",
        "kompetenzen",
        "compétences",
        "competencias",
        "habilidades",
        "competenze",
        "vaardigheden",
        "strengths",
        "abilities",
    ),
    Kind.PROJECTS: (
        "projects",
        "project",
        "projekte",
        "projets",
        "proyectos",
        "progetti",
        "projecten",
        "portfolio",
    ),
    Kind.CERTIFICATIONS: (
        "certifications",
        "certification",
        "certificates",
        "certificate",
        "licenses",
        "licences",
        "licensure",
        "credentials",
        "zertifikate",
        "zertifizierungen",
        "certificats",
        "certificaciones",
        "certificazioni",
    ),
    Kind.LANGUAGES: (
        "languages",
        "language",
        "sprachen",
        "sprachkenntnisse",
        "langues",
        "idiomas",
        "lingue",
        "talen",
        "talenkennis",
    ),
    Kind.AWARDS: (
        "awards",
        "award",
        "honors",
        "honours",
        "achievements",
        "accomplishments",
        "distinctions",
        "auszeichnungen",
        "prix",
        "premios",
        "scholarships",
    ),
    Kind.PUBLICATIONS: ("publications", "papers", "talks", "presentations", "patents"),
    Kind.COURSEWORK: ("coursework", "courses", "relevantcourses", "modules"),
    Kind.ACTIVITIES: (
        "activities",
        "involvement",
        "leadership",
        "extracurricular",
        "extracurriculars",
        "volunteering",
        "volunteer",
        "community",
        "affiliations",
        "memberships",
    ),
    Kind.INTERESTS: ("interests", "hobbies", "interessen", "loisirs", "intereses"),
    Kind.REFERENCES: ("references", "referees", "referenzen", "références"),
    Kind.CONTACT: (
        "contact",
        "contactinfo",
        "links",
        "details",
        "personaldetails",
        "personalinfo",
        "kontakt",
        "coordonnées",
        "contacto",
        "datospersonales",
    ),
}

# "Details" names the contact block only on its own ("Education Details" is education).
_WHOLE_ONLY = frozenset(["details"])
# Head nouns of French, Spanish, Italian and Portuguese headings, which come first.
_HEAD_FIRST = frozenset(
    [
        "expérience",
        "expériences",
        "experiencia",
        "experiencias",
        "esperienza",
        "esperienze",
        "experiência",
        "compétences",
        "competencias",
        "competenze",
        "competências",
        "habilidades",
        "formation",
        "formación",
        "formação",
        "formazione",
        "educación",
        "educação",
        "istruzione",
        "projets",
        "proyectos",
        "progetti",
        "projetos",
        "langues",
        "idiomas",
        "lingue",
        "certificats",
        "certificaciones",
        "certificazioni",
        "perfil",
        "profil",
        "resumen",
    ]
)

_BY_KEYWORD = sorted(
    ((kw, kind) for kind, kws in _KEYWORDS.items() for kw in kws),
    key=lambda p: len(p[0]),
    reverse=True,
)


def squash(text: str) -> str:
    """Lower-case letters only: the form headings are compared in."""
    return re.sub(r"[^\w]|[\d_]", "", text.lower())


def heading_kind(text: str) -> tuple[Kind | None, float]:
    """The section a heading text names and how much of the text the keyword covers."""
    flat = squash(text)
    if not flat:
        return None, 0.0
    parts = [p for p in re.split(r"\s*(?:[,&/+]|\band\b|\bund\b|\bet\b)\s*", text) if p.strip()]
    if len(parts) > 1:
        # "Programs, Skills, Software" or "Honors & Awards": judge the listed names.
        for part in parts:
            kind, coverage = heading_kind(part)
            if kind is not None and coverage >= 0.8:
                return kind, coverage
    # The head noun comes last in most languages' headings ("Volunteer Experience",
    # "Technical Skills"), so a keyword at the end wins over one inside.
    for keyword, kind in _BY_KEYWORD:
        if flat.endswith(keyword) and (keyword not in _WHOLE_ONLY or flat == keyword):
            return kind, len(keyword) / len(flat)
    for keyword, kind in _BY_KEYWORD:
        if keyword in flat and len(keyword) >= 5 and len(keyword) >= 0.6 * len(flat):
            return kind, len(keyword) / len(flat)
    words = text.split()
    if len(words) == 2 and squash(words[0]) in _HEAD_FIRST:
        # Romance languages put the head noun first: "Expérience professionnelle",
        # "Compétences techniques", "Experiencia laboral".
        kind, _ = heading_kind(words[0])
        return kind, 0.6
    return None, 0.0

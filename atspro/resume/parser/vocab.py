"""General word lists and patterns: job titles, organisations, schools, degrees, places.

These are ordinary vocabulary of resumes in general (not taken from any sample file);
each is used as one feature among several, never as the only evidence.
"""

# ruff: noqa: RUF001 - typographic dashes, quotes and bullets are data here.

from __future__ import annotations

import re

_TITLE_WORDS = (
    "engineer",
    "engineering",
    "developer",
    "manager",
    "director",
    "intern",
    "internship",
    "analyst",
    "consultant",
    "designer",
    "architect",
    "scientist",
    "specialist",
    "coordinator",
    "assistant",
    "associate",
    "administrator",
    "officer",
    "lead",
    "leader",
    "head",
    "president",
    "vp",
    "founder",
    "cofounder",
    "co-founder",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "cio",
    "owner",
    "partner",
    "researcher",
    "fellow",
    "instructor",
    "teacher",
    "professor",
    "lecturer",
    "tutor",
    "nurse",
    "technician",
    "representative",
    "agent",
    "accountant",
    "auditor",
    "attorney",
    "lawyer",
    "paralegal",
    "editor",
    "writer",
    "producer",
    "member",
    "volunteer",
    "clerk",
    "cashier",
    "supervisor",
    "operator",
    "programmer",
    "advisor",
    "adviser",
    "strategist",
    "recruiter",
    "trainer",
    "therapist",
    "physician",
    "pharmacist",
    "chef",
    "cook",
    "driver",
    "mechanic",
    "electrician",
    "contributor",
    "principal",
    "staff",
    "senior",
    "junior",
    "sr",
    "jr",
    "chief",
    "executive",
    "vocalist",
    "musician",
    "artist",
    "performer",
    "photographer",
    "sales",
    "salesperson",
    "marketer",
    "scrum",
    "product",
    "owner",
    "tester",
    "qa",
    "sre",
    "devops",
    "apprentice",
    "trainee",
    "student",
    "ta",
    "ra",
    "secretary",
    "receptionist",
    "server",
    "bartender",
    "barista",
    "waiter",
    "host",
    "manager",
    "foreman",
    "planner",
    "buyer",
    "controller",
    "treasurer",
    "economist",
    "statistician",
    "librarian",
    "curator",
    "counselor",
    "counsellor",
    "coach",
    "facilitator",
    "mentor",
    "ambassador",
    "organizer",
    "organiser",
    "captain",
    "commander",
    "sergeant",
    "lieutenant",
    "soldier",
    "pilot",
    "investigator",
    "inspector",
    "surveyor",
    "entwickler",
    "ingenieur",
    "leiter",
    "berater",
    "praktikant",
    "ingénieur",
    "développeur",
    "chef",
    "stagiaire",
    "ingeniero",
    "desarrollador",
    "gerente",
    "sviluppatore",
    "ingegnere",
    "consulente",
)
_ORG_WORDS = (
    "inc",
    "llc",
    "llp",
    "ltd",
    "corp",
    "corporation",
    "company",
    "co",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "srl",
    "bv",
    "nv",
    "plc",
    "limited",
    "group",
    "labs",
    "lab",
    "laboratory",
    "systems",
    "technologies",
    "technology",
    "tech",
    "solutions",
    "software",
    "bank",
    "consulting",
    "consultancy",
    "partners",
    "holdings",
    "ventures",
    "studios",
    "studio",
    "agency",
    "foundation",
    "association",
    "hospital",
    "clinic",
    "government",
    "department",
    "ministry",
    "services",
    "industries",
    "enterprises",
    "networks",
    "media",
    "capital",
    "financial",
    "finance",
    "analytics",
    "robotics",
    "international",
    "global",
    "nonprofit",
    "organization",
    "organisation",
    "society",
    "council",
    "institute",
    "university",
    "college",
    "school",
    "academy",
    "center",
    "centre",
    "store",
    "shop",
    "restaurant",
    "hotel",
    "press",
    "publishing",
    "records",
    "entertainment",
    "games",
    "energy",
    "motors",
    "airlines",
    "pharmaceuticals",
    "health",
    "healthcare",
    "insurance",
    "bureau",
    "office",
    "command",
    "army",
    "navy",
    "force",
    "church",
    "museum",
    "theatre",
    "theater",
    "orchestra",
    "opera",
    "chorale",
    "choir",
    "band",
    "club",
    "league",
    "team",
)
_SCHOOL_WORDS = (
    "university",
    "universidad",
    "universidade",
    "università",
    "universität",
    "université",
    "universiteit",
    "college",
    "institute",
    "institut",
    "instituto",
    "istituto",
    "school",
    "academy",
    "académie",
    "akademie",
    "polytechnic",
    "politecnico",
    "polytechnique",
    "conservatory",
    "conservatoire",
    "hochschule",
    "hogeschool",
    "högskola",
    "uniwersytet",
    "politechnika",
    "universitet",
    "fachhochschule",
    "école",
    "ecole",
    "escuela",
    "scuola",
    "seminary",
    "lyceum",
    "lycée",
    "gymnasium",
    "iit",
    "mit",
    "tech",
    "campus",
    "faculty",
)
_ACADEMIC_NOT_SCHOOL = ("school of", "college of", "faculty of")

_DEGREE_RE = re.compile(
    r"(?<![\w.])(?:"
    # Abbreviations, dotted or not; upper case so "BE" or "MS" inside prose rarely fires.
    r"B\.?\s?(?:S|A|E|Sc|Eng|Tech|Com|B\.?A|F\.?A|M|Arch|Ed|Des|Pharm|N|S\.?N)\.?"
    r"|M\.?\s?(?:S|A|E|Sc|Eng|Engin|Tech|Com|B\.?A|F\.?A|P\.?H|Phil|Arch|Ed|Des|Res|St|Math)\.?"
    r"|A\.?\s?(?:A|S|A\.?S)\.?"
    r"|Ph\.?\s?D\.?|D\.?\s?Phil\.?|Ed\.?\s?D\.?|J\.?\s?D\.?|M\.?\s?D\.?|D\.?\s?D\.?S\.?"
    r"|LL\.?\s?[BM]\.?|BBA|MBA|EMBA|BSc|MSc|BEng|MEng|BTech|MTech|HND|GED|IGCSE|GCSE"
    r")(?![\w])"
    r"|\b(?:bachelor|bachelors|bachelor's|master|masters|master's|doctor|doctorate|doctoral"
    r"|associate's|associate of|associate degree|diploma|diplom|certificate|certification"
    r"|high school|secondary school|licence|licenciatura|licenciado|magister|maestría"
    r"|laurea|baccalauréat|baccalaureate|abitur|postgraduate|undergraduate|graduate"
    r"|minor in|major in|bootcamp|boot camp|programme|program|course|a-levels|a levels)\b",
    re.IGNORECASE,
)
_DEGREE_ABBR_STRICT = re.compile(r"^[A-Z][a-z]?$")

_US_STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "DC",
    "PR",
    "AB",
    "BC",
    "MB",
    "NB",
    "NL",
    "NS",
    "NT",
    "NU",
    "ON",
    "PE",
    "QC",
    "SK",
    "YT",
    # Australian states and territories.
    "NSW",
    "QLD",
    "VIC",
    "TAS",
    "ACT",
    "NT",
    "SA",
]
_COUNTRIES = (
    "usa",
    "us",
    "u.s.",
    "u.s.a.",
    "united states",
    "uk",
    "u.k.",
    "united kingdom",
    "england",
    "scotland",
    "wales",
    "ireland",
    "canada",
    "mexico",
    "brazil",
    "argentina",
    "chile",
    "colombia",
    "peru",
    "germany",
    "deutschland",
    "france",
    "spain",
    "españa",
    "portugal",
    "italy",
    "italia",
    "netherlands",
    "belgium",
    "switzerland",
    "austria",
    "sweden",
    "norway",
    "denmark",
    "finland",
    "poland",
    "czech republic",
    "czechia",
    "hungary",
    "romania",
    "greece",
    "turkey",
    "russia",
    "ukraine",
    "israel",
    "uae",
    "united arab emirates",
    "saudi arabia",
    "qatar",
    "egypt",
    "nigeria",
    "kenya",
    "south africa",
    "morocco",
    "india",
    "pakistan",
    "bangladesh",
    "sri lanka",
    "nepal",
    "china",
    "hong kong",
    "taiwan",
    "japan",
    "korea",
    "south korea",
    "s. korea",
    "singapore",
    "malaysia",
    "indonesia",
    "philippines",
    "vietnam",
    "thailand",
    "australia",
    "new zealand",
    "estonia",
    "latvia",
    "lithuania",
    "serbia",
    "croatia",
    "slovenia",
    "slovakia",
    "bulgaria",
    "luxembourg",
    "iceland",
)
_COUNTRY_KEYS = frozenset(re.sub(r"[\s.]", "", c) for c in _COUNTRIES)
_LOCATION_WORDS = ("remote", "hybrid", "on-site", "onsite", "worldwide", "anywhere")
_STATE_RE = "|".join(_US_STATES)
# Place names may hold lower-case particles: "Sousa das Flores", "Frankfurt am Main".
_PARTICLE = r"(?:de|da|das|do|dos|di|del|della|la|le|les|el|sur|sous|en|am|an|im|upon|on|van|von|der|den|y|e)"
_CITY = rf"[A-ZÀ-Ý][\w.'’\-]*(?:\s+(?:{_PARTICLE}\s+)?[A-ZÀ-Ý][\w.'’\-]*){{0,3}}"
# City and state need a comma or a space between them, or "YMCA" reads "YM, CA".
_CITY_STATE_RE = re.compile(
    rf"(?:^|(?<=[\s,(]))(?:{_CITY})(?:,\s*|\s+)(?:{_STATE_RE})(?:\s*\d{{5}}(?:-\d{{4}})?)?"
    r"(?=$|[\s,)|·•])"
)
_STREET_RE = re.compile(r"^\d{1,6}\s*[A-Z][\w.'\- ]+,")


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’\-]+", text.lower())


def has_title_word(text: str) -> bool:
    """True when a job-title word appears ("Engineer", "Manager", "Intern"...)."""
    words = set(_words(text))
    return any(w in words for w in _TITLE_WORDS)


def title_score(text: str) -> int:
    """How many job-title words the text has."""
    return sum(1 for w in _words(text) if w in _TITLE_WORDS)


# Words that name an organisation and never a job; they weigh double.
_STRONG_ORG = frozenset(
    [
        "inc",
        "llc",
        "llp",
        "ltd",
        "corp",
        "corporation",
        "company",
        "gmbh",
        "plc",
        "limited",
        "university",
        "college",
        "institute",
        "bank",
        "labs",
        "technologies",
        "systems",
        "solutions",
        "group",
        "consulting",
        "foundation",
        "hospital",
    ]
)


# Legal-form suffixes of companies around the world, dots and spaces removed ("S.r.l.",
# "Sp. z o.o.", "S.A.S."): each is proof of a company.
_LEGAL_FORMS = frozenset(
    [
        "inc",
        "llc",
        "llp",
        "ltd",
        "plc",
        "corp",
        "gmbh",
        "ag",
        "kg",
        "ohg",
        "ug",
        "ev",
        "sa",
        "sas",
        "sarl",
        "sasu",
        "sca",
        "snc",
        "srl",
        "spa",
        "sl",
        "slne",
        "slu",
        "scoop",
        "sad",
        "bv",
        "nv",
        "vof",
        "ab",
        "hb",
        "as",
        "asa",
        "aps",
        "oy",
        "oyj",
        "ltda",
        "me",
        "eireli",
        "spzoo",
        "sc",
        "pvtltd",
        "pty",
        "ptyltd",
        "kk",
        "lp",
    ]
)


def _legal_form(text: str) -> bool:
    """True when the text ends in a company's legal form ("Villarosa S.r.l.", "X AB")."""
    tail = text.strip()
    for size in (4, 3, 2, 1):
        words = tail.split()[-size:]
        if len(tail.split()) <= size:
            continue
        if re.sub(r"[\s.]", "", " ".join(words)).lower() in _LEGAL_FORMS:
            return True
    return False


def org_score(text: str) -> int:
    """Organisation evidence: words like Inc, Labs, University (double), Center, Team (single)."""
    words = [w.strip(".") for w in _words(text)]
    score = sum((2 if w in _STRONG_ORG else 1) for w in words if w in _ORG_WORDS)
    if _legal_form(text):
        score += 2
    elif re.search(r"\b(?:Inc|Ltd|Co|Corp|LLC|GmbH|S\.A|plc)\b\.?", text):
        score += 1
    return score


def is_school(text: str) -> bool:
    """True when the text names a school (University, College, Institute...)."""
    lowered = text.lower()
    if any(lowered.startswith(p) for p in _ACADEMIC_NOT_SCHOOL) and "university" not in lowered:
        return False
    words = set(_words(text))
    return any(w in words for w in _SCHOOL_WORDS) or bool(re.search(r"\bUniv\b", text))


def find_degree(text: str) -> re.Match[str] | None:
    """Where a degree word or abbreviation is in ``text``, if any."""
    return _DEGREE_RE.search(text)


def _is_country(text: str) -> bool:
    """A country name however it is dotted or spaced ("U.S.A", "S.Korea", "UK")."""
    return re.sub(r"[\s.]", "", text.lower()) in _COUNTRY_KEYS


def is_location(text: str) -> bool:
    """True when the whole text reads as a place: "Austin, TX", "Berlin, Germany", "Remote"."""
    text = text.strip(" ,()")
    if not text or len(text) > 60:
        return False
    lowered = text.lower()
    if lowered in _LOCATION_WORDS or _is_country(text):
        return True
    places = re.split(r"\s+(?:&|and|/)\s+|\s*/\s*", text)
    if len(places) > 1:
        # "Seoul, S.Korea & LA, U.S.A": several places, each one on its own.
        return all(is_location(p) for p in places)
    if _STREET_RE.match(text):
        return True
    match = _CITY_STATE_RE.search(text)
    if match and match.end() >= len(text.rstrip()) - 1 and match.start() <= 1:
        return True
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2 and _is_country(parts[-1]):
        # "Söderlund AB, Malmö, Sweden" is an employer and its place, not a place.
        return all(
            re.fullmatch(_CITY, p) and not org_score(p) and not is_school(p)
            for p in parts[:-1]
            if p
        )
    return False


def split_location(text: str) -> tuple[str, str]:
    """Cut a trailing place off ``text``: ("Acme Corp", "Austin, TX")."""
    parts = [p.strip() for p in text.split(",")]
    for i in range(1, len(parts)):
        tail = ", ".join(parts[i:])
        if is_location(tail):
            return ", ".join(parts[:i]).strip(), tail
    words = text.split()
    if words and words[-1].lower().strip("()") in _LOCATION_WORDS:
        return " ".join(words[:-1]).rstrip(" ,-–—(").strip(), words[-1].strip("()")
    return text, ""

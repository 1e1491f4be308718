"""Field rules of the offline parser: roles, schools, contact details and place names."""

# ruff: noqa: RUF001 - typographic dashes are the input under test.

from __future__ import annotations

from collections.abc import Callable

import pytest

from atspro.extraction import ExtractedDocument
from atspro.resume.parser import parse_resume_document
from atspro.resume.parser.contact import find_location, find_phone
from atspro.resume.parser.vocab import is_location, org_score

Build = Callable[..., ExtractedDocument]
H = {"bold": True, "size": 12.0}
NAME = {"bold": True, "size": 18.0}


def test_dated_positions_in_activities_count_as_experience(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Jane Smith", NAME),
            ("Work Experience", H),
            ("Acme Analytics", {"bold": True, "right": "New York, NY"}),
            ("Data Science Intern", {"right": "Jun 2017 – Sep 2017"}),
            ("Built a dashboard", {"bullet": True}),
            ("Activities", H),
            ("Finance Society", {"bold": True, "right": "Boston, MA"}),
            ("Head of Events", {"right": "Sep 2017 – Present"}),
            ("Founded a business series", {"bullet": True}),
            ("Chess Club", {"bold": True, "right": "2016"}),
            ("Played in the county league", {"bullet": True}),
            ("Hackathon Winner", {"bold": True, "right": "2015 – 2016"}),
        ]
    )
    jobs = parse_resume_document(doc).work_experience
    assert [(j.position, j.company, j.is_current) for j in jobs] == [
        ("Data Science Intern", "Acme Analytics", False),
        ("Head of Events", "Finance Society", True),
    ]


def test_role_at_organisation_splits_even_for_unlisted_titles(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Marcel Gallet", NAME),
            ("Experience", H),
            ("Systems analyst at Picard", {"bold": True, "right": "03.2023 to Present"}),
            ("Kept the reports flowing", {"bullet": True}),
            ("Hydrogeologist at Löwer GmbH & Co. KG", {"bold": True, "right": "2019 – 2021"}),
            ("Mapped the aquifers", {"bullet": True}),
            ("Bank of America at Charlotte", {"bold": True, "right": "2017 – 2019"}),
        ]
    )
    jobs = parse_resume_document(doc).work_experience
    assert [(j.position, j.company) for j in jobs][:2] == [
        ("Systems analyst", "Picard"),
        ("Hydrogeologist", "Löwer GmbH & Co. KG"),
    ]
    assert jobs[2].company != "Charlotte"


def test_the_place_stands_beside_the_employer(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Kim Park", NAME),
            ("Experience", H),
            ("Cruz, Robinson and Arnold", {"bold": True, "right": "Ericport, MI"}),
            ("Air broker", {"right": "Jan 2020 – Present"}),
            ("Placed charter flights", {"bullet": True}),
            ("Clinical embryologist", {"bold": True, "right": "2015 – 2019"}),
            ("Mathews Bryant, Austin, TX", {}),
            ("Ran the IVF lab", {"bullet": True}),
        ]
    )
    jobs = parse_resume_document(doc).work_experience
    assert [(j.position, j.company) for j in jobs] == [
        ("Air broker", "Cruz, Robinson and Arnold"),
        ("Clinical embryologist", "Mathews Bryant"),
    ]


def test_legal_forms_from_many_countries_mark_the_company() -> None:
    for company in ("Villarosa S.r.l.", "Bouchet S.A.R.L.", "Karlsson AB", "Nowak Sp. z o.o."):
        assert org_score(company) >= 2, company
    assert org_score("Cytogeneticist") == 0
    assert org_score("AB") == 0


def test_education_details_and_places_do_not_start_new_schools(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Jane Smith", NAME),
            ("Education", H),
            ("State University", {"bold": True, "right": "Boston, MA"}),
            ("Bachelor of Engineering", {"right": "Expected May 2019"}),
            "Major in Computer Science; Minors in Mathematics and Psychology",
            "Cumulative GPA: 3.93/4.0; Dean’s List 2015-2016",
            "Relevant Coursework: Data Analysis, Algorithms",
            ("Skills", H),
            "SQL",
        ]
    )
    (school,) = parse_resume_document(doc).education
    assert (school.institution, school.degree) == ("State University", "Bachelor of Engineering")
    assert school.graduation_date == "2019-05"
    assert school.gpa == "3.93/4.0"
    assert school.relevant_courses == ["Data Analysis", "Algorithms"]


def test_a_row_opening_with_a_separator_continues_the_school(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Morgan Lee", NAME),
            ("Education", H),
            "Ridgemont University",
            "Bachelor of Music, Music Composition",
            "| Certificate, Music Business",
            "Expected Graduation: May 2027",
            ("Experience", H),
            ("Production Intern, Fabrikam Opera", {"right": "Jun 2024 - Present"}),
        ]
    )
    (school,) = parse_resume_document(doc).education
    assert school.institution == "Ridgemont University"
    assert school.graduation_date == "2027-05"


def test_a_detail_row_may_carry_the_schools_only_date(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Alex Kim", NAME),
            ("Education", H),
            "B.S. Computer Science | MIT",
            "2018 | Graduated with honors, Dean's List",
            "GPA: 3.9",
        ]
    )
    (school,) = parse_resume_document(doc).education
    assert school.graduation_date == "2018"
    assert school.gpa == "3.9"


def test_contact_details_in_a_sidebar_and_name_in_the_title_font(make_doc: Build) -> None:
    side = {"column": 0, "x0": 40.0}
    main = {"column": 1, "x0": 220.0}
    doc = make_doc(
        [
            ("Personal Details", {**H, **side, "top": 50.0}),
            ("oliver@example.co.uk", {**side, "top": 70.0}),
            ("0113 4960142", {**side, "top": 84.0}),
            ("Address: Leeds, UK", {**side, "top": 98.0}),
            ("Academic Background", {**H, **side, "top": 130.0}),
            ("Ph.D. in Computer Science", {**side, "bold": True, "top": 150.0}),
            ("Oliver Garner", {**main, "bold": True, "size": 22.0, "top": 50.0}),
            ("Experience", {**H, **main, "top": 90.0}),
            ("UX Researcher at Hunter-Humphreys, York, UK", {**main, "bold": True, "top": 110.0}),
            ("Ran usability studies", {**main, "bullet": True, "top": 124.0}),
        ]
    )
    contact = parse_resume_document(doc).contact_info
    assert contact.full_name == "Oliver Garner"
    assert contact.phone == "0113 4960142"
    assert contact.address == "Leeds, UK"


def test_name_fallback_skips_degrees_schools_and_headings(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Details", {"bold": True}),
            "lena_gertz@hotmail.de",
            ("Academic Background", {"bold": True}),
            ("M.Sc. Biology", {"bold": True}),
            "Technische Universität Dinkelsbühl",
            ("Skills", {"bold": True}),
            ("Triage", {"bullet": True}),
            ("Infection Control", {"bullet": True}),
            ("Hogeschool Termunten 09.2010 to 06.2012", {"bold": True}),
            ("Lena Gertz", {"bold": True}),
            "Water quality scientist",
            ("Professional Experience", {"bold": True}),
            ("Water quality scientist at Lindner e.G.", {"bold": True, "right": "2022 – 2025"}),
        ]
    )
    assert parse_resume_document(doc).contact_info.full_name == "Lena Gertz"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("0113 4960142", "0113 4960142"),
        ("Tel: +49 (0) 30 1234 5678 | Berlin", "+49 (0) 30 1234 5678"),
        ("(312) 555-0123", "(312) 555-0123"),
    ],
)
def test_the_whole_foreign_number_wins_over_a_part_of_it(text: str, phone: str) -> None:
    assert find_phone([text]) == phone


def test_place_names_around_the_world() -> None:
    for place in (
        "Seoul, S.Korea",
        "Las Vegas, U.S.A",
        "Seoul, S.Korea & LA, U.S.A",
        "Sousa das Flores, Brazil",
        "Frankfurt am Main, Germany",
        "Port Wendy, NSW",
        "Austin TX",
    ):
        assert is_location(place), place
    for not_place in (
        "YMCA",
        "Research and Development",
        "Sales & Marketing",
        "CA",
        "Söderlund AB, Malmö, Sweden",
        "Karlsson University, Piteå, Sweden",
    ):
        assert not is_location(not_place), not_place
    assert find_location(["Address: Lyon, France"]) == "Lyon, France"
    assert find_location(["Location - Pune, India"]) == "Pune, India"

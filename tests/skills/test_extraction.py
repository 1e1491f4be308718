"""extract_skills on sentences written for these tests."""

from __future__ import annotations

import pytest

from atspro.skills import SkillMention, extract_skills
from atspro.skills.taxonomy import Taxonomy


def canonicals(text: str) -> list[str]:
    return [m.canonical for m in extract_skills(text)]


def surfaces(text: str) -> list[str]:
    return [m.text for m in extract_skills(text)]


def assert_well_formed(text: str, mentions: list[SkillMention]) -> None:
    previous_end = 0
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= previous_end
        assert mention.kind in ("hard", "soft")
        previous_end = mention.end


def test_requirements_sentence() -> None:
    text = (
        "You have 5+ years of experience with Python 3, Django and PostgreSQL, "
        "know your way around k8s and AWS, and write clean React.js code."
    )
    mentions = extract_skills(text)
    assert_well_formed(text, mentions)
    found = [m.canonical for m in mentions]
    expected = ["python", "django", "postgresql", "kubernetes", "amazon web services", "react"]
    assert [c for c in found if c in expected] == expected
    python = next(m for m in mentions if m.canonical == "python")
    assert python.text == "Python 3"  # the version belongs to the name


def test_punctuated_names_survive_tokenisation() -> None:
    text = "Stack: C#, .NET Core, C++ and Node.js; also F# and Three.js."
    found = canonicals(text)
    assert {"c#", ".net", "c++", "node.js", "f#"} <= set(found)
    assert "Three.js" in surfaces(text)
    assert_well_formed(text, extract_skills(text))


def test_space_tokenised_text_still_matches() -> None:
    # Tokenised corpora separate punctuation with spaces.
    found = canonicals("Experience with . NET , C # and Node . js is required .")
    assert {".net", "c#", "node.js"} <= set(found)


def test_everyday_words_count_only_when_written_as_names() -> None:
    assert "go" not in canonicals("We go to the office on Mondays and rest on Fridays.")
    assert "go" in canonicals("Our services are written in Go and Rust.")
    assert "spring" not in canonicals("We hire every spring.")
    assert "spring" in canonicals("Backend services use Java and Spring.")
    # A tag list of lower-case names confirms the everyday words among them.
    assert {"java", "spring", "rest api"} <= set(canonicals("tags: java spring rest"))


def test_short_names_need_capitals() -> None:
    assert "r" in canonicals("Statistics in R or Python.")
    assert "r" not in canonicals("the r value")
    assert "c" not in canonicals("see section c for details")


def test_shape_rules_find_names_nobody_listed() -> None:
    text = "We run Zorblat on EC2, store blobs in FrobDB and expose a QQL layer."
    found = surfaces(text)
    assert "FrobDB" in found  # mixed case
    assert "QQL" in found  # acronym
    assert "EC2" in found
    assert "Zorblat" not in found  # a capitalised word alone proves nothing
    unknown = next(m for m in extract_skills(text) if m.text == "FrobDB")
    assert unknown.canonical == "frobdb"
    assert unknown.kind == "hard"


def test_non_skill_acronyms_placeholders_and_headings_are_skipped() -> None:
    text = "REQUIREMENTS AND BENEFITS\nThe CEO in the USA offers PTO. Salary: <SALARY> FULL_TIME"
    assert extract_skills(text) == []


def test_versions_attach_but_years_and_counts_do_not() -> None:
    assert "Java 17" in surfaces("Java 17 and Angular 2+ are used.")
    assert "Angular 2+" in surfaces("Java 17 and Angular 2+ are used.")
    assert "Python" in surfaces("Python 2021 roadmap")
    assert "Python 3.11.4" in surfaces("Python 3.11.4 is installed")


def test_soft_skills_have_the_soft_kind() -> None:
    mentions = extract_skills("Strong communication skills, teamwork and attention to detail.")
    kinds = {m.canonical: m.kind for m in mentions}
    assert kinds["communication"] == "soft"
    assert kinds["teamwork"] == "soft"
    assert kinds["attention to detail"] == "soft"


def test_mentions_never_cross_lines_or_list_punctuation() -> None:
    text = "machine\nlearning, deep learning"
    found = surfaces(text)
    assert "machine\nlearning" not in found
    assert "deep learning" in found


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "...", "1234 5678"])
def test_texts_without_skills(text: str) -> None:
    assert extract_skills(text) == []


def test_repeated_mentions_are_all_reported_in_order() -> None:
    text = "SQL here, SQL there, and more SQL."
    mentions = extract_skills(text)
    assert [m.start for m in mentions] == [i for i in range(len(text)) if text.startswith("SQL", i)]


def test_taxonomy_vocabulary_is_used(package_taxonomy: Taxonomy) -> None:
    del package_taxonomy
    text = "Knowledge of Apache Hadoop, Tableau and cloud computing; Leadership is a plus."
    found = {m.canonical: m.kind for m in extract_skills(text)}
    assert found["apache hadoop"] == "hard"
    assert found["cloud computing"] == "hard"
    assert found["leadership"] == "soft"
    assert "tableau" in found


def test_products_named_without_their_vendor_count_in_lists(package_taxonomy: Taxonomy) -> None:
    del package_taxonomy
    found = canonicals("IT skills, specifically Word, Outlook and Excel, are essential.")
    assert found == ["microsoft word", "microsoft outlook", "microsoft excel"]
    # Alone, or in lower case, the words are words.
    assert canonicals("Send your CV as a Word document.") == []
    assert canonicals("The outlook for the word, excel.") == ["microsoft excel"]
    # An everyday word needs its own vendor beside it: "Word" is no Microsoft Word here.
    assert "microsoft word" not in canonicals("We use Python, Word and Django")
    assert "microsoft outlook" in canonicals("We use Python, Outlook and Django")
    # A product of several words, written as a name.
    assert canonicals("A Dynamics CRM developer") == ["microsoft dynamics crm"]
    assert "microsoft dynamics crm" not in canonicals("the dynamics crm teams face")


def test_platform_names_absorb_their_product_names() -> None:
    text = "Deploy to Azure Analysis Services and Azure SQL; monitor with AWS CloudWatch."
    found = surfaces(text)
    assert "Azure Analysis Services" in found
    assert "Azure SQL" in found
    assert "AWS CloudWatch" in found
    assert_well_formed(text, extract_skills(text))


def test_items_after_cue_phrases() -> None:
    text = "Knowledge of Zorblatt Flow, Quibblewood and quantum widgetry is required."
    found = surfaces(text)
    assert "Zorblatt Flow" in found
    assert "Quibblewood" in found
    assert "quantum widgetry" in found


def test_cue_items_skip_tasks_and_everyday_words() -> None:
    assert extract_skills("Experience in designing things for the business.") == []
    assert extract_skills("Experience with the business") == []


def test_letters_in_compound_words_and_business_acronyms_are_not_skills() -> None:
    assert extract_skills("Present to C-suite executives about our B2B and B2C deals.") == []


def test_a_cued_list_ends_where_no_separator_follows() -> None:
    text = "Familiarity with deploying\nmodels via Blorptron Server."
    assert "models via Blorptron" not in surfaces(text)

"""extract_skill_phrases on sentences written for these tests."""

from __future__ import annotations

import pytest

from atspro.skills import SkillMention, extract_skill_phrases
from atspro.skills.phrases import _cue_ranges, _cue_words
from atspro.skills.tokens import tokenize


def phrases(text: str) -> list[str]:
    return [m.text for m in extract_skill_phrases(text)]


def assert_well_formed(text: str, mentions: list[SkillMention]) -> None:
    previous_end = 0
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= previous_end
        assert mention.kind in ("soft", "qualification")
        assert mention.canonical == " ".join(mention.text.split()).casefold()
        previous_end = mention.end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Cue constructions: the phrase is what follows the cue, objects coordinated.
        (
            "Demonstrable ability to negotiate contracts with landlords and tenants.",
            ["negotiate contracts with landlords and tenants"],
        ),
        # A purpose clause ends a phrase and states a duty of its own.
        (
            "Responsible for maintaining fire safety logs to ensure compliance with rules.",
            ["maintaining fire safety logs", "ensure compliance with rules"],
        ),
        # A purpose after no phrase is not one: "to" + verb alone proves nothing.
        ("The team meets weekly to plan the rota.", []),
        # Noun lists after a cue split at commas and at a final "and".
        (
            "Knowledge of bookkeeping, stock control, health records and payroll software.",
            ["bookkeeping", "stock control", "health records", "payroll software"],
        ),
        # A lone adjective before "and" shares the next item's head, even in a list.
        (
            "Knowledge of payroll, internal and external audit procedures and tax returns.",
            ["payroll", "internal and external audit procedures", "tax returns"],
        ),
        # A team named after its work: the work is the skill; a purpose after it still counts.
        (
            "Responsible for payroll and pensions teams to ensure accurate records.",
            ["payroll and pensions", "ensure accurate records"],
        ),
        # A slash between lower-case words offers alternatives within one phrase; between
        # names it separates items.
        (
            "Knowledge of cost / budget control and payroll.",
            ["cost / budget control", "payroll"],
        ),
        ("Knowledge of Sage / Xero and payroll.", ["Sage", "Xero", "payroll"]),
        # "and have" opens the next predicate, not another item of the list.
        (
            "Knowledge of Sage and Xero and have a keen eye.",
            ["Sage", "Xero"],
        ),
        # A circumstance ("in a hotel setting") is not part of the skill.
        ("Experience in hospitality is essential, ideally in a hotel.", ["hospitality"]),
        # ...unless a bare verb after a cue takes it.
        ("Experience of working at height.", ["working at height"]),
    ],
)
def test_cue_constructions(text: str, expected: list[str]) -> None:
    assert phrases(text) == expected
    assert_well_formed(text, extract_skill_phrases(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A modal duty; a second full verb phrase after "and" is a second duty.
        (
            "You will coordinate weekend rotas and train new volunteers.",
            ["coordinate weekend rotas", "train new volunteers"],
        ),
        # Imperative duties in a list, split at commas and "and".
        (
            "Prepare monthly payroll reports, reconcile petty cash and chase overdue invoices.",
            ["Prepare monthly payroll reports", "reconcile petty cash", "chase overdue invoices"],
        ),
        # A gerund duty ends at a subordinator (the gerund after "while" is a duty of its own).
        (
            "Managing a busy reception desk while answering phone enquiries.",
            ["Managing a busy reception desk", "answering phone enquiries"],
        ),
        ("Managing a busy reception desk which opens daily.", ["Managing a busy reception desk"]),
        # A verb that is also a noun starts a duty only before its object.
        (
            "Support the warehouse manager and oversee deliveries. Liaise with suppliers",
            ["Support the warehouse manager", "oversee deliveries", "Liaise with suppliers"],
        ),
        # One verb sharing its object with the next is one duty.
        ("Design and build garden furniture.", ["Design and build garden furniture"]),
        # A noun made from a verb or adjective, taking "of", states a duty after a list word.
        (
            "Ownership of the finance function, including integrity of ledgers.",
            ["Ownership of the finance function", "integrity of ledgers"],
        ),
        # So is a comma series of bare verbs; a verb with its own object stays apart.
        (
            "You will install, maintain and repair heating systems.",
            ["install, maintain and repair heating systems"],
        ),
        (
            "You will organise staff, inspect sites and repair boilers.",
            ["organise staff", "inspect sites", "repair boilers"],
        ),
        # Run-on duty lists without punctuation: a capitalised verb opens the next one.
        (
            "Prepare weekly rotas Update the staff handbook",
            ["Prepare weekly rotas", "Update the staff handbook"],
        ),
        # A duty takes the person it serves; a purpose or a reporting line is not part of it.
        (
            "Build trust by listening to tenants, by answering letters promptly.",
            ["listening to tenants", "answering letters promptly"],
        ),
        (
            "Reporting to the Site Manager, you will deliver training to new starters.",
            ["deliver training to new starters"],
        ),
        # A time clause's gerund with its object is an activity too; alone it says little.
        (
            "Answer the phones while managing the diary. The team grows when hiring.",
            ["Answer the phones", "managing the diary"],
        ),
        # "for" after a verb's object names whom or what the work is for; a verb's own
        # "for" is part of the duty.
        (
            "You will prepare payslips for our clients. You will care for elderly residents.",
            ["prepare payslips", "care for elderly residents"],
        ),
        # "IT" in capitals is an abbreviation inside the duty, not the pronoun "it".
        (
            "Restore a failed IT service. Upgrade it when asked.",
            ["Restore a failed IT service"],
        ),
        # Lines glued without a break: a capitalised word that is no noun ends the phrase.
        (
            "Ability to plan and cost small building projects Proven leadership",
            ["plan and cost small building projects"],
        ),
        (
            "Ability to train apprentices Please send your CV",
            ["train apprentices"],
        ),
    ],
)
def test_duties(text: str, expected: list[str]) -> None:
    assert phrases(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We will contact shortlisted applicants by email.",
        "Please send your CV to the address below.",
        "The role is based in our Leeds office.",
        "To be considered for this vacancy you must apply today.",
        "Overview Marketing Team Leeds",
        "Salary, pension and",
        "",
    ],
)
def test_no_phrases_in_boilerplate(text: str) -> None:
    assert phrases(text) == []


def test_traits_after_be() -> None:
    assert phrases("You must be punctual, adaptable and highly organised.") == [
        "punctual",
        "adaptable",
        "organised",
    ]
    assert phrases("You will be willing to travel and a confident communicator.") == [
        "willing to travel"
    ]
    assert phrases("Are you self motivated?") == ["self motivated"]
    assert phrases("You will be an experienced team leader.") == ["experienced team leader"]


def test_enumerations() -> None:
    # Three or more short noun phrases in a comma list, with no cue before them.
    assert phrases("Main areas: stock rotation, till reconciliation and staff rotas.") == [
        "stock rotation",
        "till reconciliation",
        "staff rotas",
    ]
    assert phrases(
        "You will be measured on sales growth, customer retention, and margin control."
    ) == [
        "sales growth",
        "customer retention",
        "margin control",
    ]
    # Not a benefits package, not names, not a pair, not verbs after their subject or
    # before an infinitive.
    assert phrases("We offer a generous pension, free parking, private healthcare and gym.") == []
    # Any form of the verb: "received" is "receive" too.
    assert phrases("Staff received a generous pension, free parking, private healthcare.") == []
    assert phrases("Branches in Leeds, York, Hull and Bradford.") == []
    assert phrases("Tea and coffee, biscuits.") == []
    assert phrases("Then they access, use and want to keep their records.") == []


def test_traits_before_person_nouns() -> None:
    # The words before "candidate" describe the person...
    assert phrases("We seek a personable, forward thinking candidate.") == [
        "personable",
        "forward thinking",
    ]
    # ...but a bare verb before "people"/"individual" is the clause's verb, not a trait.
    assert phrases("Our partners offer individual mentoring.") == []
    assert phrases("They hire people for the summer.") == []


def test_items_before_skills() -> None:
    text = "Excellent negotiation and presentation skills are essential."
    assert phrases(text) == ["negotiation", "presentation"]
    assert phrases("Strong customer service, written and spoken skills.") == [
        "customer service",
        "written",
        "spoken",
    ]


def test_qualifications() -> None:
    text = "Applicants need a full UK driving licence and a CSCS card."
    found = extract_skill_phrases(text)
    assert [(m.text, m.kind) for m in found] == [
        ("full UK driving licence", "qualification"),
        ("CSCS card", "qualification"),
    ]
    assert_well_formed(text, found)
    assert phrases("Candidates should hold NVQ Level 3 in Plumbing or a BSc in Physics.") == [
        "NVQ Level 3 in Plumbing",
        "BSc in Physics",
    ]


def test_named_skills_join_outside_phrases() -> None:
    text = "Ability to write reports in Excel. Python / SQL / Tableau"
    plain = extract_skill_phrases(text)
    merged = extract_skill_phrases(text, named=True)
    assert [m.text for m in plain] == ["write reports"]
    assert [m.text for m in merged][:1] == ["write reports"]
    assert {"Python", "SQL", "Tableau"} <= {m.text for m in merged}
    assert all(m.kind == "hard" for m in merged[1:])
    # A line of business is no skill: "a Biotechnology company", "the Entertainment industry".
    sector = extract_skill_phrases("We are a Biotechnology company. Skills: Python", named=True)
    assert [m.text for m in sector] == ["Python"]
    # A longer name holding a degree's abbreviation wins: "MS Excel" is no Master of Science.
    text = "Reports are built in MS Excel. An MS in Chemistry is desirable."
    assert [(m.text, m.kind) for m in extract_skill_phrases(text, named=True)] == [
        ("MS Excel", "hard"),
        ("MS in Chemistry", "qualification"),
    ]
    # A name made of a cue's own words is the cue: the skill is what follows it.
    text = "You will be responsible for looking after your own ledger."
    assert [m.text for m in extract_skill_phrases(text, named=True)] == [
        "looking after your own ledger"
    ]
    # A name with a word of its own outside the cue stays a name.
    text = "Designers bring user experience with mobile apps."
    cues = _cue_ranges(tokenize(text))
    user = SkillMention("user experience", 16, 31, "user experience", "hard")
    be = SkillMention("be responsible", 0, 14, "be responsible", "soft")
    assert not _cue_words(text, user, cues)
    assert _cue_words("be responsible for X", be, _cue_ranges(tokenize("be responsible for X")))
    # Part of a longer proper name: a job title, not a skill.
    titled = extract_skill_phrases("We need a Senior Python Developer.", named=True)
    assert [m.text for m in titled] == []


def test_duties_belong_to_the_candidate() -> None:
    # A modal's verb is a duty only when the candidate is its subject.
    assert phrases("The company will provide full training.") == []
    assert phrases("Our client will want to meet you soon.") == []
    assert phrases("You will provide full training.") == ["provide full training"]
    # After a plain noun, "to be" + participle is done to a thing, not a trait.
    assert phrases("The hours to be worked are flexible.") == []
    assert phrases("You need to be flexible and able to be calm.") == ["flexible", "calm"]


def test_connectives_open_a_new_clause() -> None:
    text = "You will be carrying out testing initially, however prospects here are great."
    assert phrases(text) == ["carrying out testing initially"]


def test_what_the_job_offers_is_no_skill() -> None:
    text = (
        "In return an attractive benefits package, stability and career progression "
        "opportunities are available."
    )
    assert phrases(text) == ["stability"]
    # A duty's object may be an opportunity.
    assert phrases("You will identify new business opportunities and negotiate contracts.") == [
        "identify new business opportunities",
        "negotiate contracts",
    ]


def test_a_working_knowledge_grades_the_knowledge() -> None:
    assert phrases("A working knowledge of payroll software is essential.") == ["payroll software"]
    assert phrases("Good working knowledge and sales experience.") == ["sales"]


def test_gerunds_after_time_words_may_read_as_adjectives_elsewhere() -> None:
    # "controlling" may be an adjective ("a controlling stake"); after "while" it is a verb.
    assert phrases("You will grow revenue while controlling costs.") == [
        "grow revenue",
        "controlling costs",
    ]


def test_requirement_words_are_no_part_of_a_skill() -> None:
    # Glued lines put the next heading's "Essential" after the last duty.
    text = "You will manage remote access and power control Essential Skills for this role."
    assert phrases(text) == ["manage remote access", "power control"]
    assert phrases("Essential Skills: none.") == []
    assert phrases("Skill required Candidates must be proficient in payroll.") == ["payroll"]


def test_terms_of_employment_and_domains_are_no_skills() -> None:
    assert phrases("Contract types: full time, part time, temporary and permanent.") == []
    text = "Electrical engineering degree with industry experience of electronic design."
    assert phrases(text) == ["Electrical engineering degree", "electronic design"]
    # An adjective-like gerund before an offer heads a noun phrase, not a duty.
    assert phrases("This is a rare and exciting opportunity for an engineer.") == []
    assert phrases("You will be developing new opportunities.") == ["developing new opportunities"]

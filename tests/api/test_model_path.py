"""The language-model path end to end: the real HTTP API and workers, a fake model server.

The only fake is the model itself: FakeOpenAIServer, a real OpenAI-compatible HTTP server on
127.0.0.1 that the ``openai`` package talks to exactly as it would to a real one. Job pages
come from a local HTTP server. Everything between (GraphQL, Redis queue, workers, grounding,
the offline engines, PostgreSQL) is the shipped code.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from atspro.jobs.model import Job
from atspro.llm.client import LLMClient
from atspro.llm.jobs import JobDraft
from atspro.llm.narrative import MatchNarrative
from atspro.llm.research import ResearchDraft
from atspro.llm.resume import ResumeDraft
from atspro.matching import score_match
from atspro.research import build_research_report
from atspro.resume.model import Resume
from atspro.tailoring import check_tailoring, tailor_resume
from atspro.tasks.events import TaskEvent
from tests.fakes.openai_server import (
    MODEL_ID,
    FakeOpenAIServer,
    RecordedRequest,
    Reply,
    by_schema,
)

from .conftest import Api, ApiFactory
from .samples import JOB_TEXT, RESUME_TEXT

API_KEY = "sk-test-model-path-0123456789"

UPLOAD = """mutation($file: Upload!, $wait: Int) {
  parseResume(file: $file, wait: $wait) {
    __typename
    ... on ResumeTask { resumeId task { id status result errorMessage errorKind retryCount } }
  }
}"""
PARSE_JOB = """mutation($url: String, $text: String, $wait: Int) {
  parseJob(url: $url, text: $text, wait: $wait) {
    __typename
    ... on JobTask { jobId task { id status result errorMessage } }
  }
}"""
RESUME = """query($id: ID!) { resume(id: $id) { status engine content {
  contactInfo { fullName email phone address } summary skills
  workExperience { company position startDate endDate isCurrent responsibilities skills }
  education { institution degree } certifications { name } } } }"""
JOB = """query($id: ID!) { job(id: $id) { status url content {
  title company description source link requiredSkills employmentType workplaceType
  yearsExperienceMin responsibilities salary { min max currency period } } } }"""
TASK = "query($id: ID!) { task(id: $id) { status errorKind errorMessage retryCount result } }"

# What a good model answers for RESUME_TEXT, plus what a bad one adds: a role at an employer,
# a certification and a skill the resume never mentions. Grounding must drop the inventions.
RESUME_ANSWER: dict[str, Any] = {
    "contact_info": {
        "full_name": "Jordan Avery",
        "email": "jordan.avery@example.org",
        "phone": "+44 20 7946 0958",
        "address": "London, UK",
        "links": [],
    },
    "summary": "Backend engineer who builds reliable data services in Python.",
    "work_experience": [
        {
            "company": "Northwind Analytics",
            "position": "Senior Software Engineer",
            "location": None,
            "start_date": "Jan 2020",
            "end_date": "Present",
            "is_current": True,
            "description": None,
            "responsibilities": [
                "Built Python and PostgreSQL services handling 2M requests a day",
                "Led migration to Kubernetes and Docker with CI on GitHub Actions",
            ],
            "skills": ["Python", "PostgreSQL", "Rust"],
        },
        {
            "company": "Blue Harbor Labs",
            "position": "Software Engineer",
            "location": None,
            "start_date": "Jun 2016",
            "end_date": "Dec 2019",
            "is_current": False,
            "description": None,
            "responsibilities": [
                "Wrote REST APIs in Python and Django",
                "Improved Redis caching, cutting latency by 40%",
            ],
            "skills": [],
        },
        {
            "company": "Globex Corporation",
            "position": "Principal Architect",
            "location": None,
            "start_date": "Jan 2012",
            "end_date": "May 2016",
            "is_current": False,
            "description": None,
            "responsibilities": ["Designed a global trading platform"],
            "skills": [],
        },
    ],
    "education": [
        {
            "institution": "University of Leeds",
            "degree": "BSc",
            "field_of_study": "Computer Science",
            "graduation_date": "2016",
            "gpa": None,
            "honors": [],
            "relevant_courses": [],
            "skills": [],
        }
    ],
    "certifications": [
        {
            "name": "AWS Certified Solutions Architect",
            "issuer": "Amazon",
            "date_obtained": "2021",
            "expiration_date": None,
            "credential_id": None,
        }
    ],
    "projects": [],
    "skills": ["Python", "Django", "PostgreSQL", "Redis", "Docker", "Kubernetes", "Go"],
    "languages": [],
}

# For JOB_TEXT; "Golang", "contract" and the team-size bullet are not in the posting.
JOB_ANSWER: dict[str, Any] = {
    "company": "Acme Cloud",
    "title": "Senior Backend Engineer",
    "description": "We are looking for a Senior Backend Engineer to build our data platform.",
    "salary": {
        "text": "£70,000 - £90,000 per year",
        "min": 70000,
        "max": 90000,
        "currency": "GBP",
        "period": "year",
    },
    "responsibilities": [
        "Design and build Python services and REST APIs",
        "Operate PostgreSQL and Redis in production",
        "Manage a team of 20 engineers across three offices",
    ],
    "qualifications": [
        "5+ years of experience in backend development",
        "Strong Python and PostgreSQL skills",
        "Experience with Kubernetes and Docker",
        "Bachelor's degree in Computer Science or related field",
    ],
    "preferred_qualifications": ["Experience with Kafka and Terraform"],
    "logistics": [],
    "benefits": [],
    "location": ["Remote (UK)"],
    "additional_info": [],
    "employment_type": "contract",
    "seniority": "senior",
    "workplace_type": "remote",
    "date_posted": None,
    "years_experience_min": 5,
    "education_level": "bachelor",
    "required_skills": ["Python", "PostgreSQL", "Kubernetes", "Docker", "Golang"],
    "preferred_skills": ["Kafka", "Terraform"],
    "soft_skills": [],
}


def resume_reply(answer: dict[str, Any] = RESUME_ANSWER) -> Reply:
    return Reply.structured(ResumeDraft.model_validate(answer))


def job_reply(**changes: Any) -> Reply:
    return Reply.structured(JobDraft.model_validate({**JOB_ANSWER, **changes}))


class Script:
    """A fake-server fallback: scripted replies in order, then ``rest``; records send times."""

    def __init__(self, *replies: Reply, rest: Callable[[RecordedRequest], Reply]) -> None:
        self._replies = list(replies)
        self._rest = rest
        self.times: list[float] = []

    def __call__(self, request: RecordedRequest) -> Reply:
        self.times.append(time.monotonic())
        return self._replies.pop(0) if self._replies else self._rest(request)


@pytest.fixture(scope="module")
def _fake_model() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def fake_model(_fake_model: FakeOpenAIServer) -> Iterator[FakeOpenAIServer]:
    """The module's fake model server with an empty script and no recorded requests."""
    _fake_model.reset()
    yield _fake_model
    _fake_model.reset()


@pytest.fixture
def model_api(api_factory: ApiFactory, fake_model: FakeOpenAIServer) -> Callable[..., Any]:
    """Start the API with the model configured (one client-side retry, short timeout)."""

    def start(**overrides: Any) -> Any:
        settings: dict[str, Any] = {
            "openai_base_url": fake_model.base_url,
            "openai_api_key": API_KEY,
            "openai_model": MODEL_ID,
            "llm_max_retries": 1,
            "llm_timeout_s": 10.0,
            **overrides,
        }
        return api_factory(**settings)

    return start


@pytest.fixture
def job_site() -> Iterator[str]:
    """A careers site on 127.0.0.1: /plain has no structured data, /structured has JSON-LD."""
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "Data Engineer",
        "description": "<p>Build batch and streaming pipelines in Python and SQL.</p>"
        "<ul><li>Own our Airflow DAGs</li><li>Model data in dbt</li></ul>",
        "hiringOrganization": {"@type": "Organization", "name": "Initech"},
        "employmentType": "FULL_TIME",
        "datePosted": "2024-05-01",
    }
    pages = {
        "/plain": (
            "<html><head><title>Senior Backend Engineer</title>"
            '<meta property="og:site_name" content="Acme Cloud"></head><body><main>'
            + "".join(f"<p>{line}</p>" for line in JOB_TEXT.splitlines() if line)
            + "</main></body></html>"
        ),
        "/structured": (
            '<html><head><title>Data Engineer at Initech</title><script type="application/ld+json">'
            + json.dumps(posting)
            + "</script></head><body><h1>Data Engineer</h1><p>Apply now.</p></body></html>"
        ),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = pages.get(self.path)
            body = (page or "not found").encode()
            self.send_response(200 if page else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def upload_resume(api: Api, token: str, *, wait: int = 30) -> dict[str, Any]:
    operations = {"query": UPLOAD, "variables": {"file": None, "wait": wait}}
    r = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("cv.txt", RESUME_TEXT.encode(), "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = r.json()
    assert "errors" not in body, body
    started: dict[str, Any] = body["data"]["parseResume"]
    assert started["__typename"] == "ResumeTask", started
    return started


async def parse_job(api: Api, token: str, **source: str) -> dict[str, Any]:
    body = await api.gql(PARSE_JOB, {**source, "wait": 30}, token=token)
    started: dict[str, Any] = body["data"]["parseJob"]
    assert started["task"]["status"] == "COMPLETED", started
    return started


async def stored(api: Api, user: str, kind: str, doc_id: str) -> Any:
    """The stored document (data and meta) as the handlers wrote it."""
    return await api.runtime.documents.get(kind=kind, user_id=api.user(user), doc_id=doc_id)


async def follow_task(api: Api, token: str, task_id: str) -> list[dict[str, Any]]:
    """Poll the task until it ends; every distinct state seen, in order."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        task = (await api.gql(TASK, {"id": task_id}, token=token))["data"]["task"]
        if not seen or task != seen[-1]:
            seen.append(task)
        if task["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
            return seen
        await asyncio.sleep(0.05)
    raise AssertionError(f"task {task_id} did not finish: {seen}")


# -- the model is off unless configured ----------------------------------------------------


async def test_model_is_off_by_default_and_on_when_configured(
    api_factory: ApiFactory, model_api: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Even a developer's exported key does not switch the default test run to a real model.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    async with api_factory() as api:
        assert api.runtime.services.llm is None
    async with model_api() as api:
        client = api.runtime.services.llm
        assert isinstance(client, LLMClient) and client.model == MODEL_ID


# -- parsing -----------------------------------------------------------------------------


async def test_parse_resume_with_model_keeps_only_what_the_text_supports(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    fake_model.fallback = by_schema({"ResumeDraft": resume_reply()})
    async with model_api() as api:
        token = await api.token("seeker")
        started = await upload_resume(api, token)
        assert started["task"]["status"] == "COMPLETED", started
        assert started["task"]["result"]["engine"] == "model"
        resume = (await api.gql(RESUME, {"id": started["resumeId"]}, token=token))["data"]["resume"]

    assert resume["status"] == "READY" and resume["engine"] == "model"
    content = resume["content"]
    assert content["contactInfo"] == {
        "fullName": "Jordan Avery",
        "email": "jordan.avery@example.org",
        "phone": "+44 20 7946 0958",
        "address": "London, UK",
    }
    assert content["summary"] == RESUME_ANSWER["summary"]
    roles = {r["company"]: r for r in content["workExperience"]}
    # The invented employer, certification and skills are gone; the rest is the model's.
    assert set(roles) == {"Northwind Analytics", "Blue Harbor Labs"}
    assert content["certifications"] == []
    assert "Go" not in content["skills"] and "Python" in content["skills"]
    current = roles["Northwind Analytics"]
    assert current["startDate"] == "2020-01" and current["isCurrent"] is True
    assert current["skills"] == ["Python", "PostgreSQL"]
    assert current["responsibilities"] == RESUME_ANSWER["work_experience"][0]["responsibilities"]
    assert content["education"] == [{"institution": "University of Leeds", "degree": "BSc"}]

    # One request, carrying the key, the configured model, a strict json_schema and the text.
    [request] = fake_model.requests
    assert request.authorization == f"Bearer {API_KEY}"
    assert request.body["model"] == MODEL_ID
    assert request.response_format["type"] == "json_schema"
    assert request.response_format["json_schema"]["strict"] is True
    assert request.schema_name == "ResumeDraft"
    assert request.schema is not None and "contact_info" in request.schema["properties"]
    assert "Blue Harbor Labs" in request.messages[-1]["content"]


async def test_parse_job_text_with_model(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    fake_model.fallback = by_schema({"JobDraft": job_reply()})
    async with model_api() as api:
        token = await api.token("poster")
        started = await parse_job(api, token, text=JOB_TEXT)
        assert started["task"]["result"]["engine"] == "model"
        job = (await api.gql(JOB, {"id": started["jobId"]}, token=token))["data"]["job"]
        meta = (await stored(api, "poster", "job", started["jobId"])).meta

    assert meta["engine"] == "model"
    content = job["content"]
    assert content["source"] == "model"
    assert (content["title"], content["company"]) == ("Senior Backend Engineer", "Acme Cloud")
    assert content["description"] == JOB_ANSWER["description"]
    assert content["salary"] == {"min": 70000, "max": 90000, "currency": "GBP", "period": "year"}
    assert content["requiredSkills"] == ["Python", "PostgreSQL", "Kubernetes", "Docker"]
    assert content["employmentType"] == ""  # "contract": no word in the posting says so
    assert content["workplaceType"] == "REMOTE" and content["yearsExperienceMin"] == 5
    assert content["responsibilities"] == JOB_ANSWER["responsibilities"][:2]
    [request] = fake_model.requests
    assert (
        request.schema_name == "JobDraft"
        and "Kafka and Terraform" in request.messages[-1]["content"]
    )


async def test_parse_job_url_with_model_reads_only_pages_without_structured_data(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer, job_site: str
) -> None:
    # The model finds no company in the page text; the page's own metadata supplies it.
    fake_model.fallback = by_schema({"JobDraft": job_reply(company=None)})
    async with model_api(fetch_allowed_hosts=[job_site]) as api:
        token = await api.token("browser")
        plain = await parse_job(api, token, url=job_site + "/plain")
        structured = await parse_job(api, token, url=job_site + "/structured")
        plain_job = (await api.gql(JOB, {"id": plain["jobId"]}, token=token))["data"]["job"]
        structured_job = (await api.gql(JOB, {"id": structured["jobId"]}, token=token))["data"][
            "job"
        ]
        rows = await api.runtime.redis.xrange(api.runtime.keys.user_events(api.user("browser")))
    events = [TaskEvent.from_json(fields[b"e"], str(row_id)) for row_id, fields in rows]
    progress = [
        (e.progress, e.message)
        for e in events
        if str(e.task_id) == plain["task"]["id"] and e.status == "running"
    ]
    # Fetching and the offline read fill the first half; the model's read comes after.
    reading = progress.index((60, "reading the posting"))
    assert all(p <= 50 for p, _ in progress[:reading]) and len(progress[:reading]) >= 2, progress

    assert plain["task"]["result"]["engine"] == "model"
    content = plain_job["content"]
    assert content["source"] == "model" and content["link"] == job_site + "/plain"
    assert plain_job["url"] == job_site + "/plain"
    assert content["title"] == "Senior Backend Engineer" and content["company"] == "Acme Cloud"
    assert content["requiredSkills"] == ["Python", "PostgreSQL", "Kubernetes", "Docker"]
    # The model read the page's main text, not its markup.
    [request] = fake_model.requests
    sent = request.messages[-1]["content"]
    assert "Operate PostgreSQL and Redis in production" in sent and "<p>" not in sent

    # JSON-LD is authoritative: no model call, the structured fields stand.
    assert structured["task"]["result"]["engine"] == "offline"
    assert structured_job["content"]["source"] == "json-ld"
    assert structured_job["content"]["company"] == "Initech"
    assert structured_job["content"]["title"] == "Data Engineer"


# -- score and research ------------------------------------------------------------------

SCORE = """mutation($r: ID!, $j: ID!) { scoreMatch(resumeId: $r, jobId: $j, wait: 30) {
  __typename ... on MatchTask { matchId task { status errorMessage } } } }"""
MATCH = """query($id: ID!) { match(id: $id) { status overallScore content {
  overallScore skillsScore experienceScore educationScore keywordsScore careerScore
  rationale recommendations strengths gaps } } }"""
RESEARCH = """mutation($r: ID!, $j: ID!) { researchCompany(resumeId: $r, jobId: $j, wait: 30) {
  __typename ... on DocumentTask { documentId task { status errorMessage } } } }"""
SCORE_FIELDS = {
    "overallScore": "overall_score",
    "skillsScore": "skills_score",
    "experienceScore": "experience_score",
    "educationScore": "education_score",
    "keywordsScore": "keywords_score",
    "careerScore": "career_score",
}


def narrative_reply(request: RecordedRequest) -> Reply:
    """A model that quotes the overall score it was given, then invents numbers."""
    facts = json.loads(request.messages[-1]["content"].split("\n", 1)[1])
    overall = facts["overall_score"]
    return Reply.structured(
        MatchNarrative(
            rationale=f"Your overall score is {overall}. Candidates like you get 4321 interviews.",
            recommendations=[
                "Mention Kafka and Terraform only if you have used them.",
                "Add 9876 certifications to stand out.",
            ],
            strengths=["Python, PostgreSQL and Docker match what the posting asks for."],
            gaps=["Kafka is not on your resume.", "You are 2345 years short."],
        )
    )


def answer_all(request: RecordedRequest) -> Reply:
    """A model that answers every step of the flow for RESUME_TEXT and JOB_TEXT."""
    replies: dict[str, Callable[[RecordedRequest], Reply]] = {
        "ResumeDraft": lambda _: resume_reply(),
        "JobDraft": lambda _: job_reply(),
        "MatchNarrative": narrative_reply,
    }
    return replies[request.schema_name or ""](request)


async def test_score_match_with_model_numbers_from_the_engine_words_from_the_model(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    fake_model.fallback = answer_all
    async with model_api() as api:
        token = await api.token("scorer")
        resume_id = (await upload_resume(api, token))["resumeId"]
        job_id = (await parse_job(api, token, text=JOB_TEXT))["jobId"]
        scored = await api.gql(SCORE, {"r": resume_id, "j": job_id}, token=token)
        started = scored["data"]["scoreMatch"]
        assert started["task"]["status"] == "COMPLETED", started
        match = (await api.gql(MATCH, {"id": started["matchId"]}, token=token))["data"]["match"]
        stored_match = await stored(api, "scorer", "match", started["matchId"])
        resume = Resume.model_validate((await stored(api, "scorer", "resume", resume_id)).data)
        job = Job.model_validate((await stored(api, "scorer", "job", job_id)).data)

    # The numbers are the offline engine's on the stored (model-parsed) resume and job.
    expected = score_match(resume, job)
    content = match["content"]
    for gql_name, field_name in SCORE_FIELDS.items():
        assert content[gql_name] == getattr(expected, field_name), gql_name
    assert match["overallScore"] == expected.overall_score
    # The words are the model's, minus every sentence or point with an invented number.
    assert content["rationale"] == f"Your overall score is {expected.overall_score}."
    assert content["recommendations"] == ["Mention Kafka and Terraform only if you have used them."]
    assert content["strengths"] == [
        "Python, PostgreSQL and Docker match what the posting asks for."
    ]
    assert content["gaps"] == ["Kafka is not on your resume."]
    assert stored_match.meta["engine"] == "model"
    assert [r.schema_name for r in fake_model.requests] == [
        "ResumeDraft",
        "JobDraft",
        "MatchNarrative",
    ]


async def test_research_with_model_cites_its_sources(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer, job_site: str
) -> None:
    words = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    questions = [f"How does the team handle challenge {word}?" for word in (*words, "eleven")]
    report = ResearchDraft(
        company_name="Acme Cloud",
        company_overview=[
            "Acme Cloud is building a data platform [1].",
            "Acme Cloud was founded in 1850 [1].",
            "It has an office on Mars [7].",
        ],
        role_and_fit=["Your Python and PostgreSQL services fit the role's core work."],
        interview_topics=["Designing Python services and REST APIs", "Operating Redis"],
        questions_to_ask=questions,
        red_flags=[],
    )
    fake_model.fallback = by_schema(
        {
            "ResumeDraft": resume_reply(),
            "JobDraft": job_reply(),
            "ResearchDraft": Reply.structured(report),
        }
    )
    url = job_site + "/plain"
    async with model_api(fetch_allowed_hosts=[job_site]) as api:
        token = await api.token("researcher")
        resume_id = (await upload_resume(api, token))["resumeId"]
        job_id = (await parse_job(api, token, url=url))["jobId"]
        body = await api.gql(RESEARCH, {"r": resume_id, "j": job_id}, token=token)
        started = body["data"]["researchCompany"]
        assert started["task"]["status"] == "COMPLETED", started
        doc = await stored(api, "researcher", "document", started["documentId"])
        gql = await api.gql(
            "query($id: ID!) { document(id: $id) { markdown documentType } }",
            {"id": started["documentId"]},
            token=token,
        )

    markdown = doc.data["markdown"]
    assert gql["data"]["document"] == {"markdown": markdown, "documentType": "research_report"}
    assert doc.meta["engine"] == "model"
    assert markdown.startswith("# Company research: Acme Cloud")
    assert "- Acme Cloud is building a data platform [1]." in markdown
    assert f"- [1] <{url}>" in markdown.split("## Sources", 1)[1]
    assert "1850" not in markdown  # a number no source states
    assert "- It has an office on Mars." in markdown and "[7]" not in markdown
    assert "10. How does the team handle challenge ten?" in markdown
    assert "eleven" not in markdown  # at most ten questions
    research_request = fake_model.requests[-1]
    assert research_request.schema_name == "ResearchDraft"
    assert f"[1] {url}" in research_request.messages[-1]["content"]


# -- model failures ----------------------------------------------------------------------


async def test_rejected_key_falls_back_to_the_offline_parser(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    fake_model.fallback = lambda _: Reply.error(401, f"Incorrect API key provided: {API_KEY}")
    async with model_api() as api:
        token = await api.token("locked-out")
        started = await upload_resume(api, token)
        resume = (await api.gql(RESUME, {"id": started["resumeId"]}, token=token))["data"]["resume"]

    task = started["task"]
    assert task["status"] == "COMPLETED" and task["retryCount"] == 0, task
    assert task["result"]["engine"] == "offline" and resume["engine"] == "offline"
    # The offline parser's reading of the same file.
    assert resume["content"]["contactInfo"]["email"] == "jordan.avery@example.org"
    assert {r["company"] for r in resume["content"]["workExperience"]} >= {
        "Northwind Analytics",
        "Blue Harbor Labs",
    }
    assert len(fake_model.requests) == 1  # a 401 is not retried


async def test_rate_limit_retries_the_task_after_retry_after(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    limited = Reply.error(429, "Rate limit reached", code="rate_limit_exceeded", retry_after="1")
    script = Script(limited, limited, rest=by_schema({"ResumeDraft": resume_reply()}))
    fake_model.fallback = script
    async with model_api() as api:
        token = await api.token("limited")
        started = await upload_resume(api, token, wait=0)
        states = await follow_task(api, token, started["task"]["id"])
        resume = (await api.gql(RESUME, {"id": started["resumeId"]}, token=token))["data"]["resume"]

    waiting = [s for s in states if s["status"] == "PENDING" and s["retryCount"] == 1]
    assert waiting and waiting[0]["errorKind"] == "rate_limited", states
    final = states[-1]
    assert final["status"] == "COMPLETED" and final["retryCount"] == 1, states
    assert final["result"]["engine"] == "model" and resume["engine"] == "model"
    # The client retried once after Retry-After, then the task waited Retry-After again.
    assert len(script.times) == 3
    first, second, third = script.times
    assert second - first >= 0.9 and third - second >= 0.9


async def test_server_errors_retry_the_task_as_transient(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    failing = Reply.error(500, "The server had an error", type="server_error")
    script = Script(failing, failing, rest=by_schema({"ResumeDraft": resume_reply()}))
    fake_model.fallback = script
    # A backoff well above the 50 ms polling interval, so the waiting state is seen.
    async with model_api(retry_base_delay_s=0.5) as api:
        token = await api.token("unlucky")
        started = await upload_resume(api, token, wait=0)
        states = await follow_task(api, token, started["task"]["id"])

    waiting = [s for s in states if s["status"] == "PENDING" and s["retryCount"] == 1]
    assert waiting and waiting[0]["errorKind"] == "transient", states
    assert "HTTP 500" in waiting[0]["errorMessage"]
    final = states[-1]
    assert final["status"] == "COMPLETED" and final["result"]["engine"] == "model", states
    assert len(script.times) == 3  # two by the client (one retry), one by the task's retry


async def test_model_outage_on_the_last_attempt_falls_back_offline(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    fake_model.fallback = lambda _: Reply.error(503, "Overloaded", type="server_error")
    async with model_api(max_retries=1) as api:
        token = await api.token("outage")
        started = await upload_resume(api, token, wait=0)
        states = await follow_task(api, token, started["task"]["id"])
        job = await parse_job(api, token, text=JOB_TEXT)

    final = states[-1]
    assert final["status"] == "COMPLETED" and final["retryCount"] == 1, states
    assert final["result"]["engine"] == "offline"
    assert any(s["errorKind"] == "transient" for s in states)
    assert job["task"]["result"]["engine"] == "offline"


# -- optimize ----------------------------------------------------------------------------

OPTIMIZE = """mutation($r: ID!, $j: ID!) { optimizeResume(resumeId: $r, jobId: $j, wait: 30) {
  __typename ... on DocumentTask { documentId task { status errorMessage } } } }"""


def rewording(change: Callable[[str], str]) -> Callable[[RecordedRequest], Reply]:
    """A model that rewrites every bullet it is sent with ``change``."""

    def answer(request: RecordedRequest) -> Reply:
        if request.schema_name == "ResumeDraft":
            return resume_reply()
        if request.schema_name == "JobDraft":
            return job_reply()
        sent = json.loads(request.messages[-1]["content"])
        return Reply.structured({"bullets": [change(b) for b in sent["bullets"]]})

    return answer


async def optimize_with(
    model_api: Callable[..., Any], user: str
) -> tuple[Resume, Job, dict[str, Any], Any]:
    async with model_api() as api:
        token = await api.token(user)
        resume_id = (await upload_resume(api, token))["resumeId"]
        job_id = (await parse_job(api, token, text=JOB_TEXT))["jobId"]
        body = await api.gql(OPTIMIZE, {"r": resume_id, "j": job_id}, token=token)
        started = body["data"]["optimizeResume"]
        assert started["task"]["status"] == "COMPLETED", started
        doc = await stored(api, user, "document", started["documentId"])
        resume = Resume.model_validate((await stored(api, user, "resume", resume_id)).data)
        job = Job.model_validate((await stored(api, user, "job", job_id)).data)
    return resume, job, doc.data, doc.meta


async def test_optimize_keeps_a_faithful_model_rewording(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    fake_model.fallback = rewording(lambda b: b.replace("Wrote", "Developed"))
    resume, job, data, meta = await optimize_with(model_api, "tailor")

    assert meta["engine"] == "model"
    assert "Developed REST APIs in Python and Django" in data["markdown"]
    assert "Wrote REST APIs" not in data["markdown"]
    assert any("Reworded 1 bullet" in change for change in data["changes"])
    tailored = Resume.model_validate(data["resume"])
    assert check_tailoring(resume, tailored, job) == []
    assert check_tailoring(resume, data["markdown"], job) == []
    assert data["after_score"] == score_match(tailored, job).overall_score
    request = fake_model.requests[-1]
    assert request.schema_name == "RephrasedBullets"
    sent = json.loads(request.messages[-1]["content"])
    assert "Python" in sent["job_keywords"] and "Kafka" not in sent["job_keywords"]


async def test_optimize_rejects_a_model_rewording_that_claims_a_missing_skill(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer
) -> None:
    fake_model.fallback = rewording(lambda b: f"{b} using Kafka")
    resume, job, data, meta = await optimize_with(model_api, "embellisher")

    assert meta["engine"] == "offline"
    assert "Kafka" not in data["resume"]["work_experience"][0]["responsibilities"][0]
    # Exactly what the offline optimizer makes of the same stored inputs.
    offline = tailor_resume(resume, job)
    assert data["markdown"] == offline.markdown
    assert "Kafka" in data["missing_keywords"]
    assert fake_model.requests[-1].schema_name == "RephrasedBullets"


# -- every later step falls back to its offline result ------------------------------------

PARSE_JOB_FILE = """mutation($file: Upload!) { parseJob(file: $file, wait: 30) {
  __typename ... on JobTask { jobId task { status result errorMessage } } } }"""


async def test_each_model_step_keeps_its_offline_result_when_the_model_refuses(
    model_api: Callable[..., Any], fake_model: FakeOpenAIServer, job_site: str
) -> None:
    # The model parses the resume, then refuses every later request (a permanent error).
    def answer(request: RecordedRequest) -> Reply:
        if request.schema_name == "ResumeDraft":
            return resume_reply()
        return Reply.error(403, "Project does not have access to this model")

    fake_model.fallback = answer
    user = "refused"
    async with model_api(fetch_allowed_hosts=[job_site]) as api:
        token = await api.token(user)
        resume_id = (await upload_resume(api, token))["resumeId"]
        from_url = await parse_job(api, token, url=job_site + "/plain")
        operations = {"query": PARSE_JOB_FILE, "variables": {"file": None}}
        r = await api.client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": ("job.txt", JOB_TEXT.encode(), "application/octet-stream")},
            headers={"Authorization": f"Bearer {token}"},
        )
        from_file = r.json()["data"]["parseJob"]
        job_id = from_url["jobId"]
        pair = {"r": resume_id, "j": job_id}
        match_id = (await api.gql(SCORE, pair, token=token))["data"]["scoreMatch"]["matchId"]
        tailored_id = (await api.gql(OPTIMIZE, pair, token=token))["data"]["optimizeResume"][
            "documentId"
        ]
        report_id = (await api.gql(RESEARCH, pair, token=token))["data"]["researchCompany"][
            "documentId"
        ]
        resume = Resume.model_validate((await stored(api, user, "resume", resume_id)).data)
        job_doc = await stored(api, user, "job", job_id)
        match = await stored(api, user, "match", match_id)
        tailored = await stored(api, user, "document", tailored_id)
        report = await stored(api, user, "document", report_id)

    job = Job.model_validate(job_doc.data)
    assert from_url["task"]["result"]["engine"] == "offline" and job.source == "html"
    assert job.link == job_site + "/plain" and job.title == "Senior Backend Engineer"
    assert from_file["task"]["status"] == "COMPLETED", from_file
    assert from_file["task"]["result"]["engine"] == "offline"
    offline_match = score_match(resume, job)
    assert match.meta["engine"] == "offline"
    assert match.data["rationale"] == offline_match.rationale
    assert match.data["recommendations"] == offline_match.recommendations
    assert tailored.meta["engine"] == "offline"
    assert tailored.data["markdown"] == tailor_resume(resume, job).markdown
    assert report.meta["engine"] == "offline"
    assert report.data["markdown"] == build_research_report(resume, job).markdown
    asked = [request.schema_name for request in fake_model.requests]
    assert asked == [
        "ResumeDraft",
        "JobDraft",
        "JobDraft",
        "MatchNarrative",
        "RephrasedBullets",
        "ResearchDraft",
    ]

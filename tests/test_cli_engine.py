"""``atspro parse|score|tailor``: the offline engine from the command line, on files the tests
write themselves (a DOCX, a Markdown resume, a text posting), with no Redis or PostgreSQL."""

from __future__ import annotations

import io
import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import docx
import pytest

from atspro.cli import main
from atspro.commands.batch import run_batch
from atspro.errors import DocumentError

ATSPRO = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "atspro"
_SETTINGS_ENV = ("DATABASE_URL", "REDIS_URL", "DATA_DIR", "OPENAI_API_KEY", "FETCH_ALLOWED_HOSTS")

RESUME_MD = """\
# Jane Doe

jane.doe@example.com | +1 415 555 0100 | San Francisco, CA

## Experience

### Senior Software Engineer | Acme Corp

Jan 2020 - Present | San Francisco, CA

- Built GraphQL APIs in Python serving 2M requests a day
- Ran PostgreSQL and Redis in production on AWS

### Software Engineer | Initech

Jun 2017 - Dec 2019

- Wrote Django services and REST APIs

## Education

### BSc in Computer Science | State University

2017

## Skills

Python, PostgreSQL, Redis, GraphQL, Docker, AWS, Django
"""

POSTING = """\
Senior Backend Engineer
Globex Inc - Remote

Responsibilities
- Design and build GraphQL and REST APIs in Python
- Operate PostgreSQL and Redis at scale

Requirements
- 5+ years of experience in backend development
- Strong Python and PostgreSQL skills
- Experience with Kubernetes and AWS
"""


@pytest.fixture
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A working directory without ``.env`` and an environment naming no services."""
    monkeypatch.chdir(tmp_path)
    for name in _SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def write_docx_resume(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("John Smith", level=0)
    document.add_paragraph("john.smith@example.com | (212) 555-0199 | New York, NY")
    document.add_heading("Experience", level=1)
    document.add_paragraph("Data Analyst | Contoso Ltd")
    document.add_paragraph("Mar 2019 - Present")
    document.add_paragraph("Built dashboards in Tableau and SQL for the sales team", "List Bullet")
    document.add_paragraph("Automated reports with Python and pandas", "List Bullet")
    document.add_heading("Education", level=1)
    document.add_paragraph("BA in Economics | City College, 2018")
    document.add_heading("Skills", level=1)
    document.add_paragraph("SQL, Python, Tableau, Excel, pandas")
    document.save(str(path))
    return path


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    assert main(["--log-level", "WARNING", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_parse_resume_reads_a_docx_into_the_api_field_names(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resume = run_json(["parse", "resume", str(write_docx_resume(workdir / "cv.docx"))], capsys)
    assert resume["contactInfo"]["fullName"] == "John Smith"
    assert resume["contactInfo"]["email"] == "john.smith@example.com"
    assert [role["position"] for role in resume["workExperience"]] == ["Data Analyst"]
    assert {"SQL", "Python", "Tableau"} <= set(resume["skills"])


def test_parse_resume_as_markdown(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "cv.md").write_text(RESUME_MD)
    assert main(["parse", "resume", "cv.md", "--format", "markdown"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("# Jane Doe\n")
    assert "### Senior Software Engineer | Acme Corp" in page


def test_parse_job_from_a_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "job.txt").write_text(POSTING)
    job = run_json(["parse", "job", "job.txt"], capsys)
    assert job["title"] == "Senior Backend Engineer"
    assert {"python", "postgresql", "kubernetes"} <= {s.lower() for s in job["requiredSkills"]}
    assert job["yearsExperienceMin"] == 5
    assert main(["parse", "job", "job.txt", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Senior Backend Engineer")


def test_parse_job_reads_text_on_standard_input(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(ATSPRO), "--log-level", "WARNING", "parse", "job", "-"],
        input=POSTING,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "Senior Backend Engineer"


def test_score_gives_scores_out_of_100(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "cv.md").write_text(RESUME_MD)
    (workdir / "job.txt").write_text(POSTING)
    match = run_json(["score", "cv.md", "job.txt"], capsys)
    assert 0 <= match["overallScore"] <= 100 and match["overallScore"] > 50
    missing = [k["keyword"] for k in match["keywords"]["hardSkills"]["missing"]]
    assert "Kubernetes" in missing
    assert main(["score", "cv.md", "job.txt", "--format", "markdown"]) == 0
    assert f"# Match score: {match['overallScore']}/100" in capsys.readouterr().out


def test_tailor_prints_the_tailored_resume(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "cv.md").write_text(RESUME_MD)
    (workdir / "job.txt").write_text(POSTING)
    tailored = run_json(["tailor", "cv.md", "job.txt"], capsys)
    assert set(tailored) == {
        "markdown", "resume", "beforeScore", "afterScore", "missingKeywords", "changes"
    }  # fmt: skip
    assert tailored["afterScore"] >= tailored["beforeScore"]
    assert tailored["resume"]["contactInfo"]["fullName"] == "Jane Doe"
    assert main(["tailor", "cv.md", "job.txt", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == tailored["markdown"].rstrip("\n") + "\n"


def test_a_folder_gives_one_json_line_per_supported_file(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = workdir / "resumes"
    folder.mkdir()
    write_docx_resume(folder / "a.docx")
    (folder / "b.md").write_text(RESUME_MD)
    (folder / "c.pdf").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00 not a pdf")
    (folder / "notes.xyz").write_text("not a document kind we read")
    (folder / ".hidden.md").write_text(RESUME_MD)
    (workdir / "job.txt").write_text(POSTING)

    assert main(["parse", "resume", str(folder)]) == 1  # one file failed
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [Path(line["file"]).name for line in lines] == ["a.docx", "b.md", "c.pdf"]
    assert lines[0]["result"]["contactInfo"]["fullName"] == "John Smith"
    assert lines[1]["result"]["contactInfo"]["fullName"] == "Jane Doe"
    assert lines[2]["error"]["type"] == "DocumentError"
    assert "Unsupported file type" in lines[2]["error"]["message"]
    assert captured.err == ""  # no progress counter when stderr is not a terminal

    assert main(["score", str(folder), "job.txt"]) == 1
    scores = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(0 <= s["result"]["overallScore"] <= 100 for s in scores[:2])
    assert "error" in scores[2]


def test_a_folder_asks_for_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "empty").mkdir()
    assert main(["parse", "resume", "empty", "--format", "markdown"]) == 2
    assert "drop --format" in capsys.readouterr().err
    assert main(["parse", "resume", "empty"]) == 1
    assert "holds no PDF, DOCX" in capsys.readouterr().err


def test_a_bad_or_missing_file_is_a_clear_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "broken.docx").write_bytes(b"PK\x03\x04 a truncated zip")
    assert main(["parse", "resume", "broken.docx"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("atspro: error: broken.docx: ")
    assert "damaged" in captured.err and "(DocumentError)" in captured.err

    (workdir / "cv.md").write_text(RESUME_MD)
    assert main(["score", "cv.md", "missing.txt"]) == 1
    said = capsys.readouterr().err
    assert "atspro: error: missing.txt: cannot be read: No such file" in said
    assert "(InputError)" in said
    assert main(["tailor", "cv.md", str(workdir)]) == 1
    assert "cannot be read: Is a directory" in capsys.readouterr().err


def test_score_and_tailor_take_the_posting_on_standard_input(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "cv.md").write_text(RESUME_MD)
    monkeypatch.setattr("sys.stdin", io.StringIO(POSTING))
    match = run_json(["score", "cv.md", "-"], capsys)
    assert match["bestMatchingTitle"] == "Senior Software Engineer"
    assert 0 <= match["overallScore"] <= 100
    monkeypatch.setattr("sys.stdin", io.StringIO("   \n"))
    assert main(["tailor", "cv.md", "-"]) == 1
    assert "atspro: error: -: The posting text is empty (InputError)" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_counter_shows_only_on_a_terminal(tmp_path: Path) -> None:
    files = [tmp_path / "one.txt", tmp_path / "two.txt"]

    def work(path: Path) -> str:
        if path.name == "two.txt":
            raise DocumentError("unreadable", reason="malformed")
        return path.name

    out, err = io.StringIO(), _Terminal()
    assert run_batch(files, work, out=out, err=err) == 1
    assert "[1/2] one.txt" in err.getvalue() and "[2/2] two.txt" in err.getvalue()
    assert err.getvalue().endswith("\r\x1b[K")  # the counter is wiped, not left behind
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"file": str(files[0]), "result": "one.txt"},
        {"file": str(files[1]), "error": {"type": "DocumentError", "message": "unreadable"}},
    ]


def test_an_engine_bug_on_one_file_is_reported_and_the_run_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    files = [tmp_path / "bad.txt", tmp_path / "good.txt"]

    def work(path: Path) -> str:
        if path.name == "bad.txt":
            raise ValueError("a bug")
        return "ok"

    out = io.StringIO()
    assert run_batch(files, work, out=out, err=io.StringIO()) == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["error"] == {"type": "ValueError", "message": "a bug"}
    assert lines[1]["result"] == "ok"
    assert any(r.exc_info and "bad.txt failed" in r.getMessage() for r in caplog.records)


@pytest.fixture
def job_page() -> Iterator[str]:
    """A local web page holding the posting (as a job board would serve it)."""
    page = "<html><head><title>Jobs</title></head><body><main><pre>{}</pre></main></body></html>"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page.format(POSTING).encode()
            self.send_response(200)
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
        yield f"http://127.0.0.1:{server.server_address[1]}/jobs/42"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_parse_job_fetches_a_url_through_the_guard(
    workdir: Path,
    job_page: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The SSRF guard refuses a loopback address unless the settings allow its host and port.
    assert main(["parse", "job", job_page]) == 1
    assert "Could not fetch http://127.0.0.1" in capsys.readouterr().err

    monkeypatch.setenv("FETCH_ALLOWED_HOSTS", f'["127.0.0.1:{urlsplit(job_page).port}"]')
    job = run_json(["parse", "job", job_page], capsys)
    assert job["title"] == "Senior Backend Engineer"
    assert job["link"] == job_page

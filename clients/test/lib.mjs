// What every client test shares: the server it talks to, the operations, a resume file, and
// helpers that follow tasks over `taskUpdates`. The server URL and an API token come from
// the environment (tests/clients/ starts a real server and sets them):
//   ATSPRO_URL=http://127.0.0.1:8000 ATSPRO_TOKEN=... node --test clients/test/
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const URL_BASE = required("ATSPRO_URL").replace(/\/$/, "");
export const TOKEN = required("ATSPRO_TOKEN");
export const HTTP_URL = `${URL_BASE}/graphql`;
export const WS_URL = HTTP_URL.replace(/^http/, "ws");
export const AUTH = { Authorization: `Bearer ${TOKEN}` };

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (the server's URL and an API token)`);
  return value;
}

export const EVENT_FIELDS = "eventId taskId type status progress message errorMessage resultId";

export const TASK_UPDATES = `subscription TaskUpdates($after: String) {
  taskUpdates(after: $after) { ${EVENT_FIELDS} }
}`;

export const PARSE_RESUME = `mutation ParseResume($file: Upload!) {
  parseResume(file: $file) {
    __typename
    ... on ResumeTask { resumeId task { id status } }
    ... on InputError { message field }
  }
}`;

export const PARSE_JOB = `mutation ParseJob($text: String!) {
  parseJob(text: $text) {
    __typename
    ... on JobTask { jobId task { id status } }
    ... on InputError { message field }
  }
}`;

export const SCORE_MATCH = `mutation ScoreMatch($resumeId: ID!, $jobId: ID!) {
  scoreMatch(resumeId: $resumeId, jobId: $jobId) {
    __typename
    ... on MatchTask { matchId task { id status } }
    ... on UserError { message code }
  }
}`;

export const OPTIMIZE_RESUME = `mutation OptimizeResume($resumeId: ID!, $jobId: ID!) {
  optimizeResume(resumeId: $resumeId, jobId: $jobId) {
    __typename
    ... on DocumentTask { documentId task { id status } }
    ... on UserError { message code }
  }
}`;

export const RESULTS = `query Results($resumeId: ID!, $jobId: ID!, $matchId: ID!, $documentId: ID!) {
  resume(id: $resumeId) { id status content { contactInfo { fullName email } skills } }
  job(id: $jobId) { id status content { title requiredSkills } }
  match(id: $matchId) { id status overallScore }
  document(id: $documentId) { id status documentType markdown pdf: downloadUrl(format: PDF) }
}`;

export const PING = `mutation Ping { pingTask { ... on Task { id status } } }`;

export const RESUME_TEXT = `Jordan Avery
jordan.avery@example.org | +44 20 7946 0958 | London, UK

Summary
Backend engineer who builds reliable data services in Python.

Experience
Senior Software Engineer, Northwind Analytics
Jan 2020 - Present
- Built Python and PostgreSQL services handling 2M requests a day
- Led migration to Kubernetes and Docker with CI on GitHub Actions

Software Engineer, Blue Harbor Labs
Jun 2016 - Dec 2019
- Wrote REST APIs in Python and Django
- Improved Redis caching, cutting latency by 40%

Education
BSc Computer Science, University of Leeds, 2016

Skills
Python, Django, PostgreSQL, Redis, Docker, Kubernetes, REST APIs, Git
`;

export const JOB_TEXT = `Senior Backend Engineer
Acme Cloud - Remote (UK)

Responsibilities
- Design and build Python services and REST APIs
- Operate PostgreSQL and Redis in production

Requirements
- 5+ years of experience in backend development
- Strong Python and PostgreSQL skills
- Experience with Kubernetes and Docker
- Bachelor's degree in Computer Science or related field

Nice to have
- Experience with Kafka and Terraform
`;

/** Writes the resume to a file, as a user's would be, and reads it back as a File to upload. */
export async function resumeFile() {
  const dir = await mkdtemp(join(tmpdir(), "atspro-client-"));
  try {
    const path = join(dir, "jordan-avery.txt");
    await writeFile(path, RESUME_TEXT);
    return new File([await readFile(path)], "jordan-avery.txt", { type: "text/plain" });
  } finally {
    // Tests leave nothing behind.
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Collects `taskUpdates` events and resolves `finished(taskId)` once that task completes
 * (rejects when it fails or is cancelled). Feed it every event with `push`.
 */
export class TaskFollower {
  constructor() {
    this.events = [];
    this.waiting = new Map();
    this.final = new Map();
  }

  push(event) {
    this.events.push(event);
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(event.status)) {
      this.final.set(event.taskId, event);
      this.waiting.get(event.taskId)?.(event);
    }
  }

  /** The task's final event, once it arrives (within `timeoutMs`). */
  async finished(taskId, timeoutMs = 20_000) {
    const event =
      this.final.get(taskId) ??
      (await new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`task ${taskId} did not finish within ${timeoutMs} ms`)),
          timeoutMs,
        );
        this.waiting.set(taskId, (e) => {
          clearTimeout(timer);
          resolve(e);
        });
      }));
    assert.equal(event.status, "COMPLETED", `task ${taskId}: ${event.errorMessage ?? event.message}`);
    return event;
  }

  /** The statuses one task went through, in order. */
  statuses(taskId) {
    return this.events.filter((e) => e.taskId === taskId).map((e) => e.status);
  }
}

/** Asserts what the whole pipeline stored, then downloads the PDF with the Bearer token. */
export async function checkResults(results) {
  const { resume, job, match, document } = results;
  assert.equal(resume.status, "READY");
  assert.equal(resume.content.contactInfo.fullName, "Jordan Avery");
  assert.equal(resume.content.contactInfo.email, "jordan.avery@example.org");
  assert.ok(resume.content.skills.includes("Python"), resume.content.skills.join(", "));
  assert.equal(job.status, "READY");
  assert.match(job.content.title, /Backend Engineer/);
  assert.ok(job.content.requiredSkills.length > 0);
  assert.equal(match.status, "READY");
  assert.ok(match.overallScore > 0 && match.overallScore <= 100, String(match.overallScore));
  assert.equal(document.status, "READY");
  assert.equal(document.documentType, "tailored_resume");
  assert.match(document.markdown, /Jordan Avery/);
  return downloadPdf(document.pdf);
}

/** GETs a document's PDF (the path from `downloadUrl`) and checks it is one. */
export async function downloadPdf(path) {
  const url = new URL(path, URL_BASE);
  assert.equal(url.searchParams.get("format")?.toLowerCase(), "pdf", path);
  const refused = await fetch(url);
  assert.equal(refused.status, 401, "a download without the token is refused");
  const response = await fetch(url, { headers: AUTH });
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal(response.headers.get("content-type"), "application/pdf");
  assert.match(response.headers.get("content-disposition") ?? "", /attachment;.*\.pdf/);
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), "%PDF-");
  assert.ok(bytes.length > 1000, `${bytes.length} bytes`);
  return bytes;
}

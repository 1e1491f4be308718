// The dashboard in headless Chromium (the system's, driven by playwright-core), as a person
// uses it: sign in (a wrong token first), upload a resume, paste a job, score, tailor, read
// the results and download the PDF; the socket dropped while tasks finish, and the page
// catching up. axe-core checks the page in its main states; the first load's size is summed
// from the responses. ATSPRO_URL, the tokens (one user per test) and CHROMIUM come from
// tests/clients/test_dashboard.py; SCREENSHOTS, when set, is where the main states are saved.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { JOB_TEXT, RESUME_TEXT } from "../test/lib.mjs";

const URL_BASE = process.env.ATSPRO_URL;
const TOKENS = {
  signIn: process.env.ATSPRO_TOKEN,
  flow: process.env.ATSPRO_TOKEN_FLOW ?? process.env.ATSPRO_TOKEN,
  reconnect: process.env.ATSPRO_TOKEN_RECONNECT ?? process.env.ATSPRO_TOKEN,
};
const SCREENSHOTS = process.env.SCREENSHOTS;
const FIRST_LOAD_BUDGET = 300_000; // bytes of assets on the first load
const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});
after(() => browser?.close());

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(error.message));
  return page;
}

async function shot(page, name) {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core in the page: fails on any serious or critical violation. */
async function checkAccessibility(page, state) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ["violations"] });
    return violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], `axe (${state}): ${JSON.stringify(bad, null, 1)}`);
}

async function signIn(page, token) {
  await page.goto(URL_BASE + "/dashboard/");
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#connection", { hasText: "Live" }).waitFor();
}

const taskRow = (page, id) => page.locator(`#tasks tr[data-id="${id}"]`);
const result = (page) => page.locator("#result");

/** What the result panel shows reads as text: no "[object ...]", "undefined" or "null". */
async function readable(page) {
  assert.doesNotMatch(await result(page).innerText(), /\[object |\bundefined\b|\bnull\b/);
}

test("first load, sign in with a wrong then a right token, a ping task live", async () => {
  const page = await newPage();
  const responses = [];
  page.on("response", (response) => responses.push(response));

  await page.goto(URL_BASE + "/", { waitUntil: "networkidle" });
  assert.equal(new URL(page.url()).pathname, "/dashboard/");
  let bytes = 0;
  for (const response of responses) {
    if (response.status() >= 300 && response.status() < 400) continue; // the redirect from /
    bytes += (await response.body()).length + (await response.request().sizes()).responseHeadersSize;
  }
  const files = responses.map((r) => new URL(r.url()).pathname).join(", ");
  console.log(`first-load bytes: ${bytes} (${responses.length} responses: ${files})`);
  assert.ok(bytes <= FIRST_LOAD_BUDGET, `first load ${bytes} bytes > ${FIRST_LOAD_BUDGET}`);

  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.equal(await page.locator("#connection").textContent(), "Signed out");
  assert.equal(await page.evaluate(() => document.activeElement.id), "token");
  await checkAccessibility(page, "signed out");
  await shot(page, "sign-in");

  await page.getByLabel("API token").fill("not-a-token");
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: "That token was refused" }).waitFor();
  await shot(page, "wrong-token");

  await page.getByLabel("API token").fill(TOKENS.signIn);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#connection", { hasText: "Live" }).waitFor();
  assert.ok(await page.getByText("No tasks yet.").isVisible());
  // Focus lands on the first thing to do, and Tab walks the page in reading order.
  assert.equal(await page.evaluate(() => document.activeElement.id), "resume-file");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "job-url");

  await page.getByRole("button", { name: "Run a ping task" }).click();
  const row = page.locator("#tasks tr");
  await row.locator("td.status", { hasText: "COMPLETED" }).waitFor({ timeout: 15_000 });
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator("td.type").textContent(), "Ping");
  assert.equal(await row.locator("progress").getAttribute("aria-label"), "Ping 100% done");
  assert.ok(await row.getByRole("button", { name: "Cancel Ping task" }).isHidden());
  assert.equal(await page.locator("#task-news").textContent(), "Ping task completed.");
  // The queue chart has drawn at least one sample.
  await page.locator("#chart polyline").waitFor({ state: "attached" });

  // A reload signs in again from storage and lists the task from the API.
  await page.reload();
  await page.locator("#connection", { hasText: "Live" }).waitFor();
  await page.locator("#tasks tr td.status", { hasText: "COMPLETED" }).waitFor();
  await checkAccessibility(page, "signed in");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.deepEqual(page.problems, []);
});

test("the Markdown renderer builds elements and never markup from the text", async () => {
  const page = await newPage();
  await page.goto(URL_BASE + "/dashboard/");
  const out = await page.evaluate(async () => {
    const { renderMarkdown } = await import("/dashboard/markdown.js");
    const box = document.createElement("div");
    box.append(renderMarkdown([
      "# Title <img src=x onerror=alert(1)>",
      "Some **bold** and *em* and `<b>code</b>`, [a link](https://example.org) and [bad](javascript:alert(1)).",
      "",
      "- one",
      "  - nested",
      "- two <script>alert(1)</script>",
      "",
      "1. first",
      "2. second",
      "",
      "| Skill | Years |",
      "| --- | --- |",
      "| Python | 8 |",
      "",
      "> quoted",
      "",
      "---",
    ].join("\n"), { headingBase: 2 }));
    return {
      tags: [...box.querySelectorAll("*")].map((e) => e.tagName.toLowerCase()),
      links: [...box.querySelectorAll("a")].map((a) => a.getAttribute("href")),
      heading: box.querySelector("h3").textContent,
      code: box.querySelector("code").textContent,
    };
  });
  assert.deepEqual(out.links, ["https://example.org"]);
  assert.equal(out.heading, "Title <img src=x onerror=alert(1)>");
  assert.equal(out.code, "<b>code</b>");
  for (const tag of ["h3", "strong", "em", "ul", "ol", "table", "th", "td", "blockquote", "hr"]) {
    assert.ok(out.tags.includes(tag), `${tag} in ${out.tags}`);
  }
  for (const tag of ["img", "script", "b"]) assert.ok(!out.tags.includes(tag), `no ${tag}`);
  assert.equal(out.tags.filter((t) => t === "ul").length, 2, "the nested list is a list in the item");
});

test("upload a resume, paste a job, score, tailor, read and download", async (t) => {
  const page = await newPage();
  await signIn(page, TOKENS.flow);

  // A file the user has on disk, chosen with the file picker.
  const dir = await mkdtemp(join(tmpdir(), "atspro-dashboard-"));
  t.after(() => rm(dir, { recursive: true, force: true }));  // tests leave nothing behind
  const resumePath = join(dir, "jordan-avery.txt");
  await writeFile(resumePath, RESUME_TEXT);
  await page.getByLabel("Resume file").setInputFiles(resumePath);
  await result(page).getByRole("heading", { name: "Jordan Avery", level: 3 }).waitFor({ timeout: 20_000 });
  assert.match(await result(page).textContent(), /jordan\.avery@example\.org/);
  assert.ok(await result(page).getByRole("list", { name: "Skills" }).getByText("Python", { exact: true }).isVisible());
  assert.equal(await page.evaluate(() => document.activeElement.id), "result");
  await readable(page);
  await shot(page, "resume");

  // The same file dropped on the drop zone starts a second parse.
  await page.locator("#drop").evaluate((zone, text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "dropped.txt", { type: "text/plain" }));
    zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, RESUME_TEXT);
  await page.locator('#tasks tr[data-type="PARSE_RESUME"] td.status', { hasText: "COMPLETED" })
    .nth(1).waitFor({ timeout: 20_000 });
  await page.locator("#resume-pick option", { hasText: "dropped.txt" }).waitFor({ state: "attached" });

  await page.getByLabel("or its text").fill(JOB_TEXT);
  await page.getByRole("button", { name: "Read the posting" }).click();
  await result(page).getByRole("heading", { name: /Backend Engineer/, level: 3 }).waitFor({ timeout: 20_000 });
  assert.ok(await result(page).getByRole("list", { name: "Required skills" }).isVisible());
  await readable(page);
  await shot(page, "job");

  // Both pickers hold what was just parsed.
  assert.notEqual(await page.getByLabel("Resume", { exact: true }).inputValue(), "");
  assert.match(await page.locator("#job-pick option:checked").textContent(), /Backend Engineer/);

  await page.getByRole("button", { name: "Score the match" }).click();
  const score = result(page).getByRole("heading", { name: /^Match score: \d+ out of 100$/ });
  await score.waitFor({ timeout: 20_000 });
  const overall = Number(/(\d+) out of 100/.exec(await score.textContent())[1]);
  assert.ok(overall > 0 && overall <= 100, String(overall));
  const hard = result(page).getByRole("table", { name: "Hard skills" });
  const python = hard.getByRole("row", { name: /^Python yes/ });
  assert.match(await python.textContent(), /Skills|Experience/i, "Python's evidence names a section");
  assert.ok(await result(page).locator("meter").count() > 0);
  await checkAccessibility(page, "a score");
  await readable(page);
  await shot(page, "score");

  await page.getByRole("button", { name: "Tailor the resume" }).click();
  const article = result(page).locator("article.markdown");
  await article.waitFor({ timeout: 30_000 });
  assert.ok(await article.getByRole("heading", { name: "Jordan Avery" }).isVisible());
  assert.ok(await article.locator("li").count() > 2, "the Markdown lists are rendered as lists");
  assert.equal(await article.locator("script, [onerror], [onclick]").count(), 0);
  await checkAccessibility(page, "a tailored resume");
  await readable(page);
  await shot(page, "document");

  // The download goes through fetch with the Bearer token and reaches the browser as a file.
  const [response, saved] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/download?format=pdf")),
    page.waitForEvent("download"),
    result(page).getByRole("button", { name: "PDF" }).click(),
  ]);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()["content-type"], "application/pdf");
  assert.match(saved.suggestedFilename(), /\.pdf$/);
  const pdf = await readFile(await saved.path());
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  assert.ok(pdf.length > 1000, `${pdf.length} bytes`);
  await page.locator("#task-news", { hasText: /^Downloaded .*\.pdf\.$/ }).waitFor();

  // With the keyboard alone: a cover letter.
  await page.getByRole("button", { name: "Write a cover letter" }).focus();
  await page.keyboard.press("Enter");
  await page.locator('#tasks tr[data-type="WRITE_COVER_LETTER"] td.status', { hasText: "COMPLETED" })
    .waitFor({ timeout: 30_000 });
  await result(page).getByText("Cover letter", { exact: true }).waitFor();

  await page.getByRole("button", { name: "Research the company" }).click();
  await page.locator('#tasks tr[data-type="RESEARCH_COMPANY"] td.status', { hasText: "COMPLETED" })
    .waitFor({ timeout: 30_000 });
  await result(page).getByText("Company research", { exact: true }).waitFor();
  assert.ok(await result(page).locator("article.markdown h3, article.markdown h4").count() > 0);
  await readable(page);

  // Any finished task's result opens again from its row.
  await page.getByRole("button", { name: "View Score task" }).click();
  await score.waitFor();
  assert.deepEqual(page.problems, []);
});

test("the socket drops: the page says so, reconnects and catches up", async () => {
  const page = await newPage();
  // Keep the page's sockets reachable, so the test can close them from the page itself.
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    window.openSockets = [];
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        window.openSockets.push(this);
      }
    };
  });
  await signIn(page, TOKENS.reconnect);
  const context = page.context();
  // One event seen live, so the page has an event id to resume after.
  await page.getByRole("button", { name: "Run a ping task" }).click();
  await page.locator("#tasks tr td.status", { hasText: "COMPLETED" }).waitFor({ timeout: 15_000 });

  // The network goes away and the socket with it: no reconnect can succeed meanwhile.
  await context.setOffline(true);
  await page.evaluate(() => window.openSockets.forEach((s) => s.close()));
  await page.locator("#connection", { hasText: "Reconnecting…" }).waitFor();
  await page.getByRole("alert").filter({ hasText: "reconnecting and catching up" }).waitFor();
  await shot(page, "reconnecting");

  // Work finishes while the page is away (started from elsewhere, e.g. another client).
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const answer = await fetch(`${URL_BASE}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKENS.reconnect}` },
      body: JSON.stringify({ query: "mutation { pingTask(wait: 10) { ... on Task { id status } } }" }),
    });
    const task = (await answer.json()).data.pingTask;
    assert.equal(task.status, "COMPLETED");
    ids.push(task.id);
  }
  assert.equal(await page.locator("#tasks tr").count(), 1, "nothing arrived while offline");

  await context.setOffline(false);
  await page.locator("#connection", { hasText: "Live" }).waitFor({ timeout: 15_000 });
  for (const id of ids) {
    await taskRow(page, id).locator("td.status", { hasText: "COMPLETED" }).waitFor({ timeout: 10_000 });
  }
  assert.equal(await page.locator("#tasks tr").count(), 4, "each missed task once, no duplicates");
  assert.ok(await page.getByRole("alert").isHidden());
  await shot(page, "caught-up");
  assert.deepEqual(page.problems, []);
});

// The dashboard in headless Chromium (the system's, driven by playwright-core): sign in with
// a wrong token (a clear message), then the right one, start a ping task and watch it
// complete. ATSPRO_URL, ATSPRO_TOKEN and CHROMIUM (the browser's path) come from
// tests/clients/test_dashboard.py; SCREENSHOTS, when set, is where the main states are saved.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

const URL_BASE = process.env.ATSPRO_URL;
const TOKEN = process.env.ATSPRO_TOKEN;
const SCREENSHOTS = process.env.SCREENSHOTS;

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

async function shot(page, name) {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test("sign in, start a ping task, see it complete live", async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 640 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));

  await page.goto(URL_BASE + "/");
  assert.equal(new URL(page.url()).pathname, "/dashboard/");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.equal(await page.getByRole("status").textContent(), "Signed out");
  await shot(page, "sign-in");

  await page.getByLabel("API token").fill("not-a-token");
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: "That token was refused" }).waitFor();
  await shot(page, "wrong-token");

  await page.getByLabel("API token").fill(TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  assert.ok(await page.getByText("No tasks yet.").isVisible());

  await page.getByRole("button", { name: "Run a ping task" }).click();
  const row = page.locator("#tasks tr");
  await row.locator("td.status", { hasText: "COMPLETED" }).waitFor({ timeout: 15_000 });
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator("td.type").textContent(), "NOOP");
  assert.equal(await row.locator("progress").getAttribute("aria-label"), "NOOP 100% done");
  assert.ok(await row.getByRole("button", { name: "Cancel" }).isHidden());
  await shot(page, "task-completed");

  // A reload signs in again from storage and lists the task from the API.
  await page.reload();
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  await page.locator("#tasks tr td.status", { hasText: "COMPLETED" }).waitFor();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.deepEqual(problems, []);
});

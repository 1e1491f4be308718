// The ATSPro dashboard: sign in with an API token, add resumes and job postings, start the
// work on them, and follow your tasks live over `taskUpdates` (graphql-transport-ws,
// graphql-ws's client from /graphiql-assets). The socket reconnects by itself and resumes
// after the last event it saw, so nothing is missed; updates are drawn once per animation
// frame however fast they come. Finished work opens in the result panel.
import { AuthFailed, download, forgetToken, gql, gqlUpload, saveToken, token } from "./api.js";
import { drawChart } from "./chart.js";
import { documentView, h, jobView, matchView, resumeView } from "./views.js";

const { createClient } = window.graphqlWs;

const TASK_FIELDS = "id type status progress progressMessage errorMessage resultId createdAt";
const TASKS = `query Tasks { tasks(first: 50) { nodes { ${TASK_FIELDS} } } }`;
const UPDATES = `subscription Updates($after: String) {
  taskUpdates(after: $after) { eventId taskId type status progress message errorMessage resultId at }
}`;
const STARTED = "__typename ... on UserError { message } ... on InputError { field }";
const PING = `mutation Ping { pingTask { __typename ... on Task { id } } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelTask(id: $id) { __typename ... on UserError { message } } }`;
const RETRY = `mutation Retry($id: ID!) { retryTask(id: $id) { __typename ... on UserError { message } } }`;
const PARSE_RESUME = `mutation ParseResume($file: Upload!) {
  parseResume(file: $file) { ${STARTED} ... on ResumeTask { task { id } } } }`;
const PARSE_JOB = `mutation ParseJob($url: String, $text: String) {
  parseJob(url: $url, text: $text) { ${STARTED} ... on JobTask { task { id } } } }`;
const RUN = (name, payload) => `mutation Run($resumeId: ID!, $jobId: ID!) {
  ${name}(resumeId: $resumeId, jobId: $jobId) { ${STARTED} ... on ${payload} { task { id } } } }`;
const RUNS = {
  scoreMatch: RUN("scoreMatch", "MatchTask"),
  optimizeResume: RUN("optimizeResume", "DocumentTask"),
  researchCompany: RUN("researchCompany", "DocumentTask"),
  writeCoverLetter: RUN("writeCoverLetter", "DocumentTask"),
};
const CHOICES = `query Choices {
  resumes(first: 100) { nodes { id filename status content { contactInfo { fullName } } } }
  jobs(first: 100) { nodes { id status source url content { title company } } }
}`;
const RESUME = `query Resume($id: ID!) { resume(id: $id) { id status error filename content {
  contactInfo { fullName email phone address links { name url } } summary
  workExperience { company position startDate endDate isCurrent location description responsibilities }
  education { institution degree fieldOfStudy graduationDate }
  certifications { name issuer dateObtained } projects { name description } skills languages } } }`;
const JOB = `query Job($id: ID!) { job(id: $id) { id status error source url content {
  title company location employmentType seniority workplaceType salary { text }
  yearsExperienceMin educationLevel requiredSkills preferredSkills softSkills
  responsibilities qualifications preferredQualifications benefits } } }`;
const MATCH = `query Match($id: ID!) { match(id: $id) { id status error resumeId jobId content {
  overallScore skillsScore experienceScore educationScore keywordsScore careerScore
  strengths gaps recommendations rationale notAssessedReasons { component reason }
  keywords { hardSkills { ...G } softSkills { ...G } jobTitle { ...G } education { ...G } certifications { ...G } } } } }
fragment G on KeywordGroup { matched { ...K } missing { ...K } }
fragment K on KeywordMatch { keyword required matchType foundIn { section text snippet } }`;
const DOCUMENT = `query Document($id: ID!) { document(id: $id) {
  id status error documentType title markdown details } }`;
const QUEUE = `query Queue { queueStats { depth { depth } delayed pending running completedLastHour failedLastHour } }`;

const ACTIVE = new Set(["PENDING", "RUNNING"]);
const RETRYABLE = new Set(["FAILED", "CANCELLED"]);
const FINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
const TYPE_NAMES = {
  PARSE_RESUME: "Read resume", PARSE_JOB: "Read job", SCORE_MATCH: "Score",
  OPTIMIZE_RESUME: "Tailor resume", RESEARCH_COMPANY: "Research", WRITE_COVER_LETTER: "Cover letter",
  NOOP: "Ping",
};
const QUEUE_EVERY_MS = 3000;
const QUEUE_SLOTS = 40;

const $ = (id) => document.getElementById(id);
const tasks = new Map(); // id -> {id, type, status, progress, message, resultId, ...}
const dirty = new Set();
const opening = new Set(); // tasks started here: their result opens when they complete
const names = { resumes: new Map(), jobs: new Map() };
let samples = [];
let lastFinished = null;
let queueTimer = 0;
let frame = 0;
let socket = null;

function setStatus(text) {
  $("connection").textContent = text;
}

function showAlert(text) {
  $("alert").textContent = text;
  $("alert").hidden = !text;
}

/** Applies a task's newer state and schedules one redraw for the next frame. */
function update(id, fields) {
  const before = tasks.get(id);
  const task = { ...(before ?? { id }), ...fields };
  tasks.set(id, task);
  dirty.add(id);
  if (!frame) frame = requestAnimationFrame(render);
  if (FINAL.has(task.status) && before?.status !== task.status && fields.fromEvent) finished(task);
}

function render() {
  frame = 0;
  const body = $("tasks");
  for (const id of dirty) {
    const task = tasks.get(id);
    let row = body.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
    if (!row) {
      row = rowFor(id);
      body.prepend(row); // new tasks on top
    }
    const name = TYPE_NAMES[task.type] ?? task.type;
    row.dataset.status = task.status;
    row.dataset.type = task.type;
    row.querySelector(".type").textContent = name;
    row.querySelector(".status").textContent = task.status;
    const bar = row.querySelector("progress");
    bar.value = task.progress ?? 0;
    bar.setAttribute("aria-label", `${name} ${task.progress ?? 0}% done`);
    row.querySelector(".message").textContent = task.errorMessage || task.message || "";
    row.querySelector(".cancel").hidden = !ACTIVE.has(task.status);
    row.querySelector(".retry").hidden = !RETRYABLE.has(task.status);
    row.querySelector(".view").hidden = !(task.status === "COMPLETED" && task.resultId && task.type !== "NOOP");
    // Each button's name says which task it acts on ("Retry Score task").
    for (const button of row.querySelectorAll("button")) {
      button.setAttribute("aria-label", `${button.textContent} ${name} task`);
    }
  }
  dirty.clear();
  $("empty").hidden = tasks.size > 0;
}

function rowFor(id) {
  const row = h("tr", { dataset: { id } },
    h("td", { class: "type" }), h("td", { class: "status" }),
    h("td", {}, h("progress", { max: 100, value: 0 })), h("td", { class: "message" }),
    h("td", { class: "row-actions" },
      h("button", { type: "button", class: "view", onclick: () => open(tasks.get(id)) }, "View"),
      h("button", { type: "button", class: "cancel", onclick: () => act(CANCEL, id) }, "Cancel"),
      h("button", { type: "button", class: "retry", onclick: () => act(RETRY, id) }, "Retry")));
  return row;
}

async function act(mutation, id) {
  try {
    const result = Object.values(await gql(mutation, { id }))[0];
    showAlert(result.message ?? "");
    if (mutation === RETRY && !result.message) opening.add(id);
  } catch (error) {
    failed(error);
  }
}

function failed(error) {
  if (error instanceof AuthFailed) {
    signOut(`Your token was refused: ${error.message} Sign in with a valid one.`);
  } else {
    showAlert(error.message);
  }
}

/** A task reached a final state: say so, refresh the pickers, open its result when started here. */
function finished(task) {
  const name = TYPE_NAMES[task.type] ?? task.type;
  $("task-news").textContent = `${name} task ${task.status.toLowerCase()}${task.errorMessage ? `: ${task.errorMessage}` : "."}`;
  if (task.status === "COMPLETED" && (task.type === "PARSE_RESUME" || task.type === "PARSE_JOB")) {
    loadChoices(task.type === "PARSE_RESUME" ? { resume: task.resultId } : { job: task.resultId });
  }
  if (opening.delete(task.id) && task.status === "COMPLETED") open(task);
}

/** Starts a task and remembers to open its result; `call` returns the mutation's payload. */
async function start(call) {
  showAlert("");
  try {
    const payload = await call();
    if (payload.message) return showAlert(payload.message);
    const id = payload.task?.id ?? payload.id;
    const known = tasks.get(id);
    if (known?.status === "COMPLETED") open(known); // its events beat the answer here
    else opening.add(id);
    return id;
  } catch (error) {
    failed(error);
  }
}

/** Shows a finished task's result (resume, job, match or document) in the result panel. */
async function open(task) {
  if (!task?.resultId || task.type === "NOOP") return;
  const body = $("result-body");
  body.replaceChildren(h("p", {}, "Loading…"));
  try {
    let view;
    const id = task.resultId;
    if (task.type === "PARSE_RESUME") view = resumeView((await gql(RESUME, { id })).resume);
    else if (task.type === "PARSE_JOB") view = jobView((await gql(JOB, { id })).job);
    else if (task.type === "SCORE_MATCH") {
      const match = (await gql(MATCH, { id })).match;
      view = matchView(match, { resume: names.resumes.get(match.resumeId), job: names.jobs.get(match.jobId) });
    } else view = documentView((await gql(DOCUMENT, { id })).document, save);
    body.replaceChildren(...view.flat().filter(Boolean));
    $("result").focus();
  } catch (error) {
    body.replaceChildren(h("p", {}, `Could not load the result: ${error.message}`));
    failed(error);
  }
}

async function save(path, fallback) {
  try {
    const name = await download(path, fallback);
    $("task-news").textContent = `Downloaded ${name}.`;
  } catch (error) {
    failed(error);
  }
}

/** Refills the resume and job pickers, selecting `resume`/`job` when given. */
async function loadChoices({ resume, job } = {}) {
  let data;
  try {
    data = await gql(CHOICES);
  } catch (error) {
    return failed(error);
  }
  const fill = (select, nodes, label, chosen, empty) => {
    const keep = chosen ?? select.value;
    select.replaceChildren(...(nodes.length ? [] : [h("option", { value: "" }, empty)]),
      ...nodes.map((n) => h("option", { value: n.id, disabled: n.status !== "READY" }, label(n))));
    if (keep && nodes.some((n) => n.id === keep)) select.value = keep;
  };
  const resumeName = (r) => r.content?.contactInfo.fullName ? `${r.content.contactInfo.fullName} (${r.filename})` : r.filename;
  const jobName = (j) => j.content ? [j.content.title, j.content.company].filter(Boolean).join(" at ") || "Untitled job" : `${j.source} (${j.status.toLowerCase()})`;
  for (const r of data.resumes.nodes) names.resumes.set(r.id, resumeName(r));
  for (const j of data.jobs.nodes) names.jobs.set(j.id, jobName(j));
  fill($("resume-pick"), data.resumes.nodes, resumeName, resume, "No resumes yet");
  fill($("job-pick"), data.jobs.nodes, jobName, job, "No jobs yet");
}

function uploadResume(file) {
  if (!file) return;
  $("drop").dataset.state = "sending";
  return start(async () => (await gqlUpload(PARSE_RESUME, {}, "file", file)).parseResume).finally(() => {
    delete $("drop").dataset.state;
    $("resume-file").value = "";
  });
}

/** Follows taskUpdates; on every reconnect it resubscribes after the last event seen. */
function follow() {
  const payload = { query: UPDATES, variables: { after: null } };
  let loaded = false;
  socket = createClient({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
    connectionParams: () => ({ Authorization: `Bearer ${token()}` }),
    retryAttempts: Infinity,
    retryWait: (retries) => new Promise((r) => setTimeout(r, Math.min(500 * 2 ** retries, 5000))),
    // A refused token does not get better by retrying.
    shouldRetry: (event) => !(event && event.code === 4401),
    on: {
      connected: () => {
        setStatus("Live");
        showAlert("");
        // The list comes from the API at first, and again after a reconnect that has no
        // event to resume after (what happened meanwhile is not in the feed from now on).
        if (!loaded || payload.variables.after === null) {
          loaded = true;
          loadTasks();
        }
      },
      closed: (event) => {
        if (event?.code === 4401) {
          signOut(`Your token was refused (${event.reason}). Sign in with a valid one.`);
        } else if (socket) {
          setStatus("Reconnecting…");
          showAlert("Lost the connection to the API; reconnecting and catching up.");
        }
      },
    },
  });
  socket.subscribe(payload, {
    next: ({ data }) => {
      const e = data.taskUpdates;
      // The same payload object is sent again on reconnect: resume after this event.
      if (e.eventId) payload.variables.after = e.eventId;
      update(e.taskId, {
        type: e.type, status: e.status, progress: e.progress, message: e.message,
        errorMessage: e.errorMessage, resultId: e.resultId ?? tasks.get(e.taskId)?.resultId,
        fromEvent: true,
      });
    },
    error: (error) => failed(new Error(error?.message ?? "The live updates stopped.")),
    complete: () => {},
  });
}

async function loadTasks() {
  try {
    const data = await gql(TASKS);
    // Oldest first, so prepending leaves the newest on top; live events already applied win.
    for (const task of [...data.tasks.nodes].reverse()) {
      if (tasks.get(task.id)?.fromEvent) continue;
      update(task.id, { ...task, message: task.progressMessage });
    }
  } catch (error) {
    failed(error);
  }
}

/** One queueStats sample: waiting tasks of all users, and yours finished since the last one. */
async function pollQueue() {
  if (document.hidden) return;
  let stats;
  try {
    stats = (await gql(QUEUE)).queueStats;
  } catch {
    return; // the alert line already says when the API is down
  }
  const depth = stats.depth.reduce((sum, q) => sum + q.depth, 0) + stats.delayed;
  const done = stats.completedLastHour + stats.failedLastHour;
  // An hour's window also forgets old tasks: a fall is not negative throughput.
  const finishedNow = lastFinished === null ? 0 : Math.max(0, done - lastFinished);
  lastFinished = done;
  samples = [...samples, { depth, finished: finishedNow }].slice(-QUEUE_SLOTS);
  const { top, text } = drawChart($("chart"), samples, QUEUE_SLOTS);
  $("chart-text").textContent = text;
  $("chart-scale").textContent = `scale 0–${top}, one sample every ${QUEUE_EVERY_MS / 1000} s`;
  $("queue-figures").textContent =
    `Waiting: ${depth} · yours pending ${stats.pending}, running ${stats.running} · ` +
    `finished in the last hour: ${stats.completedLastHour} completed, ${stats.failedLastHour} failed`;
}

async function signIn(value) {
  saveToken(value);
  try {
    await gql("{ queueStats { running } }");
  } catch (error) {
    if (error instanceof AuthFailed) return signOut("That token was refused. Check it and try again.");
    setStatus("API unreachable");
    showAlert(error.message);
  }
  $("sign-in").hidden = true;
  $("app").hidden = false;
  $("sign-out").hidden = false;
  setStatus("Connecting…");
  follow();
  loadChoices();
  pollQueue();
  queueTimer = setInterval(pollQueue, QUEUE_EVERY_MS);
  $("resume-file").focus();
}

function signOut(message = "") {
  forgetToken();
  const closing = socket;
  socket = null;
  closing?.dispose();
  clearInterval(queueTimer);
  samples = [];
  lastFinished = null;
  tasks.clear();
  opening.clear();
  $("tasks").replaceChildren();
  $("result-body").replaceChildren(h("p", {}, "Finished results show here: choose “View” beside a task."));
  $("sign-in").hidden = false;
  $("app").hidden = true;
  $("sign-out").hidden = true;
  setStatus("Signed out");
  showAlert(message);
  $("token").value = "";
  $("token").focus();
}

$("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  signIn($("token").value.trim());
});
$("sign-out").addEventListener("click", () => signOut());
$("ping").addEventListener("click", () => start(async () => (await gql(PING)).pingTask));

$("resume-file").addEventListener("change", (event) => uploadResume(event.target.files[0]));
const drop = $("drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.dataset.state = "over";
});
drop.addEventListener("dragleave", () => delete drop.dataset.state);
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  delete drop.dataset.state;
  uploadResume(event.dataTransfer.files[0]);
});

$("job-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const url = $("job-url").value.trim();
  const text = $("job-text").value.trim();
  if (!url === !text) return showAlert("Give either the posting's link or its text (one of them).");
  const id = await start(async () => (await gql(PARSE_JOB, url ? { url } : { text })).parseJob);
  if (id) $("job-form").reset();
});

for (const button of document.querySelectorAll("[data-run]")) {
  button.addEventListener("click", () => {
    const resumeId = $("resume-pick").value;
    const jobId = $("job-pick").value;
    if (!resumeId || !jobId) return showAlert("Pick a parsed resume and a parsed job first.");
    const name = button.dataset.run;
    start(async () => (await gql(RUNS[name], { resumeId, jobId }))[name]);
  });
}

if (token()) signIn(token());
else $("token").focus();

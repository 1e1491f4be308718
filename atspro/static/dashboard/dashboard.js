// The ATSPro dashboard: sign in with an API token, then follow your tasks live over
// `taskUpdates` (graphql-transport-ws, graphql-ws's client from /graphiql-assets). The socket
// reconnects by itself and resumes after the last event it saw, so nothing is missed; updates
// are drawn once per animation frame however fast they come.
const { createClient } = window.graphqlWs;

const TOKEN_KEY = "atspro-token";
const TASK_FIELDS = "id type status progress progressMessage errorMessage createdAt";
const TASKS = `query Tasks { tasks(first: 50) { nodes { ${TASK_FIELDS} } } }`;
const UPDATES = `subscription Updates($after: String) {
  taskUpdates(after: $after) { eventId taskId type status progress message errorMessage at }
}`;
const PING = `mutation Ping { pingTask { __typename ... on Task { id } } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelTask(id: $id) { __typename ... on UserError { message } } }`;
const RETRY = `mutation Retry($id: ID!) { retryTask(id: $id) { __typename ... on UserError { message } } }`;
const ACTIVE = new Set(["PENDING", "RUNNING"]);
const RETRYABLE = new Set(["FAILED", "CANCELLED"]);

const $ = (id) => document.getElementById(id);
const tasks = new Map(); // id -> {id, type, status, progress, message, createdAt}
const dirty = new Set();
let frame = 0;
let socket = null;

class AuthFailed extends Error {}

function setStatus(text) {
  $("connection").textContent = text;
}

function showAlert(text) {
  $("alert").textContent = text;
  $("alert").hidden = !text;
}

async function gql(query, variables = {}) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token()}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new Error("The API is not reachable. Is the server running?");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`The API answered ${response.status} ${response.statusText}.`);
  }
  const errors = body.errors ?? [];
  if (errors.some((e) => e.extensions?.code === "UNAUTHENTICATED") || response.status === 401) {
    throw new AuthFailed(errors[0]?.message ?? "The token was refused.");
  }
  if (errors.length) throw new Error(errors.map((e) => e.message).join("; "));
  return body.data;
}

const token = () => localStorage.getItem(TOKEN_KEY) ?? "";

/** Applies a task's newer state and schedules one redraw for the next frame. */
function update(id, fields) {
  tasks.set(id, { ...(tasks.get(id) ?? { id }), ...fields });
  dirty.add(id);
  if (!frame) frame = requestAnimationFrame(render);
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
    row.dataset.status = task.status;
    row.querySelector(".type").textContent = task.type;
    row.querySelector(".status").textContent = task.status;
    const bar = row.querySelector("progress");
    bar.value = task.progress ?? 0;
    bar.setAttribute("aria-label", `${task.type} ${task.progress ?? 0}% done`);
    row.querySelector(".message").textContent = task.errorMessage || task.message || "";
    row.querySelector(".cancel").hidden = !ACTIVE.has(task.status);
    row.querySelector(".retry").hidden = !RETRYABLE.has(task.status);
  }
  dirty.clear();
  $("empty").hidden = tasks.size > 0;
}

function rowFor(id) {
  const row = document.createElement("tr");
  row.dataset.id = id;
  row.innerHTML = `<td class="type"></td><td class="status"></td>
    <td><progress max="100" value="0"></progress></td><td class="message"></td>
    <td><button type="button" class="cancel">Cancel</button>
      <button type="button" class="retry">Retry</button></td>`;
  row.querySelector(".cancel").addEventListener("click", () => act(CANCEL, id));
  row.querySelector(".retry").addEventListener("click", () => act(RETRY, id));
  return row;
}

async function act(mutation, id) {
  try {
    const result = Object.values(await gql(mutation, { id }))[0];
    showAlert(result.message ?? "");
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
        if (!loaded) {
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
        type: e.type, status: e.status, progress: e.progress,
        message: e.message, errorMessage: e.errorMessage, fromEvent: true,
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

async function signIn(value) {
  localStorage.setItem(TOKEN_KEY, value);
  try {
    await gql("{ queueStats { running } }");
  } catch (error) {
    if (error instanceof AuthFailed) return signOut("That token was refused. Check it and try again.");
    setStatus("API unreachable");
    showAlert(error.message);
  }
  $("sign-in").hidden = true;
  $("tasks-section").hidden = false;
  $("sign-out").hidden = false;
  setStatus("Connecting…");
  follow();
  $("ping").focus();
}

function signOut(message = "") {
  localStorage.removeItem(TOKEN_KEY);
  const closing = socket;
  socket = null;
  closing?.dispose();
  tasks.clear();
  $("tasks").replaceChildren();
  $("sign-in").hidden = false;
  $("tasks-section").hidden = true;
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
$("ping").addEventListener("click", async () => {
  try {
    await gql(PING);
  } catch (error) {
    failed(error);
  }
});

if (token()) signIn(token());
else $("token").focus();

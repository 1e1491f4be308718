// HTTP side of the dashboard: GraphQL over POST (JSON, or the multipart request spec for
// files) and document downloads, all with the Bearer token kept in localStorage.
const TOKEN_KEY = "atspro-token";

export class AuthFailed extends Error {}

export const token = () => localStorage.getItem(TOKEN_KEY) ?? "";
export const saveToken = (value) => localStorage.setItem(TOKEN_KEY, value);
export const forgetToken = () => localStorage.removeItem(TOKEN_KEY);

const auth = () => ({ Authorization: `Bearer ${token()}` });

async function post(body, headers) {
  let response;
  try {
    response = await fetch("/graphql", { method: "POST", headers: { ...headers, ...auth() }, body });
  } catch {
    throw new Error("The API is not reachable. Is the server running?");
  }
  let payload;
  try {
    payload = await response.json();
  } catch {
    throw new Error(`The API answered ${response.status} ${response.statusText}.`);
  }
  const errors = payload.errors ?? [];
  if (errors.some((e) => e.extensions?.code === "UNAUTHENTICATED") || response.status === 401) {
    throw new AuthFailed(errors[0]?.message ?? "The token was refused.");
  }
  if (errors.length) throw new Error(errors.map((e) => e.message).join("; "));
  return payload.data;
}

/** Runs a query or mutation and returns its `data`; AuthFailed when the token is refused. */
export function gql(query, variables = {}) {
  return post(JSON.stringify({ query, variables }), { "Content-Type": "application/json" });
}

/**
 * Runs an operation whose variable `name` is a file, as a GraphQL multipart request
 * (operations, map, then the file part); the browser writes the boundary.
 */
export function gqlUpload(query, variables, name, file) {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables: { ...variables, [name]: null } }));
  form.append("map", JSON.stringify({ 0: [`variables.${name}`] }));
  form.append("0", file, file.name);
  return post(form, {});
}

/** GETs a document download with the token and hands it to the browser as a file. */
export async function download(path, fallbackName) {
  let response;
  try {
    response = await fetch(path, { headers: auth() });
  } catch {
    throw new Error("The API is not reachable. Is the server running?");
  }
  if (response.status === 401) throw new AuthFailed("The token was refused.");
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try {
      message = JSON.parse(text).errors?.[0]?.message ?? text;
    } catch {
      // not JSON: show the text as it is
    }
    throw new Error(`The download failed (${response.status}): ${message}`);
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

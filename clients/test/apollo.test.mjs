// Apollo Client 4 as an app sets it up: a split link sends subscriptions over graphql-ws
// (GraphQLWsLink) and everything else through apollo-upload-client's UploadHttpLink (a
// GraphQL multipart request when the variables hold a File), behind PersistedQueryLink:
// automatic persisted queries, hashed queries over GET.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, test } from "node:test";

import { ApolloClient, ApolloLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import UploadHttpLink from "apollo-upload-client/UploadHttpLink.mjs";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

import {
  AUTH,
  HTTP_URL,
  JOB_TEXT,
  OPTIMIZE_RESUME,
  PARSE_JOB,
  PARSE_RESUME,
  RESULTS,
  SCORE_MATCH,
  TASK_UPDATES,
  TaskFollower,
  WS_URL,
  checkResults,
  resumeFile,
} from "./lib.mjs";

/** Every HTTP request the link made: method, whether it carried the query, hash, outcome. */
const requests = [];

async function loggingFetch(url, options) {
  const response = await fetch(url, options);
  const body = await response.clone().text();
  let operation;
  if (options.method === "GET") {
    const params = new URL(url).searchParams;
    operation = {
      query: params.get("query"),
      extensions: JSON.parse(params.get("extensions") ?? "null"),
    };
  } else if (options.body instanceof FormData) {
    operation = JSON.parse(options.body.get("operations"));
  } else {
    operation = JSON.parse(options.body);
  }
  requests.push({
    method: options.method,
    multipart: options.body instanceof FormData,
    hasQuery: Boolean(operation.query),
    hash: operation.extensions?.persistedQuery?.sha256Hash,
    notFound: body.includes("PERSISTED_QUERY_NOT_FOUND"),
    status: response.status,
  });
  return response;
}

const wsClient = createWsClient({ url: WS_URL, webSocketImpl: WebSocket, connectionParams: AUTH });
after(() => wsClient.dispose());

const httpLink = ApolloLink.from([
  new PersistedQueryLink({
    sha256: (query) => createHash("sha256").update(query).digest("hex"),
    useGETForHashedQueries: true,
  }),
  new UploadHttpLink({ uri: HTTP_URL, headers: AUTH, fetch: loggingFetch }),
]);

const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === "OperationDefinition" && definition.operation === "subscription";
    },
    new GraphQLWsLink(wsClient),
    httpLink,
  ),
  defaultOptions: { query: { fetchPolicy: "network-only" } },
});

async function mutate(mutation, variables, typename) {
  const { data } = await client.mutate({ mutation: gql(mutation), variables });
  const payload = Object.values(data)[0];
  assert.equal(payload.__typename, typename, JSON.stringify(payload));
  return payload;
}

test("Apollo: upload, parse, score, optimize over the split link; APQ; PDF download", async () => {
  const follower = new TaskFollower();
  const subscription = client
    .subscribe({ query: gql(TASK_UPDATES), variables: { after: "0-0" } })
    .subscribe({
      next: ({ data, error }) => {
        assert.equal(error, undefined, error?.message);
        follower.push(data.taskUpdates);
      },
    });
  try {
    const resume = await mutate(PARSE_RESUME, { file: await resumeFile() }, "ResumeTask");
    const job = await mutate(PARSE_JOB, { text: JOB_TEXT }, "JobTask");
    await follower.finished(resume.task.id);
    await follower.finished(job.task.id);
    const ids = { resumeId: resume.resumeId, jobId: job.jobId };
    const match = await mutate(SCORE_MATCH, ids, "MatchTask");
    const doc = await mutate(OPTIMIZE_RESUME, ids, "DocumentTask");
    await follower.finished(match.task.id);
    await follower.finished(doc.task.id);

    const variables = { ...ids, matchId: match.matchId, documentId: doc.documentId };
    const first = await client.query({ query: gql(RESULTS), variables });
    await checkResults(first.data);
    // The same query again: the server knows its hash now, so one GET without the query.
    const before = requests.length;
    const again = await client.query({ query: gql(RESULTS), variables });
    assert.deepEqual(again.data, first.data);
    assert.deepEqual(
      requests.slice(before).map(({ method, hasQuery, notFound }) => ({ method, hasQuery, notFound })),
      [{ method: "GET", hasQuery: false, notFound: false }],
    );
  } finally {
    subscription.unsubscribe();
  }

  // Every operation went out as a hash first; a query was sent only after the server said
  // PersistedQueryNotFound for that hash, and once per hash.
  assert.ok(requests.some((r) => r.multipart && r.hasQuery), "the upload was a multipart request");
  const sentWithQuery = new Set();
  requests.forEach((request, i) => {
    assert.ok(request.hash, `request ${i} carried a hash`);
    assert.equal(request.status, 200);
    if (request.hasQuery) {
      const previous = requests[i - 1];
      assert.ok(previous.notFound && previous.hash === request.hash && !previous.hasQuery);
      assert.ok(!sentWithQuery.has(request.hash), "each query is registered once");
      sentWithQuery.add(request.hash);
    }
  });
  // Six operations: five registered after a miss, the repeated query hit at once.
  assert.equal(sentWithQuery.size, 5);
  // The query went out over GET twice: the miss (then POST with the query) and the hit.
  assert.equal(requests.filter((r) => r.method === "GET").length, 2);
});

// urql with graphql-ws: the whole pipeline as a browser or Node app built on urql runs it.
// Queries, mutations and the multipart upload go over fetch (urql's fetchExchange sends a
// File as a GraphQL multipart request); `taskUpdates` runs over graphql-transport-ws.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { Client, fetchExchange, subscriptionExchange } from "@urql/core";
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

const ws = createWsClient({
  url: WS_URL,
  webSocketImpl: WebSocket,
  connectionParams: AUTH,
});
after(() => ws.dispose());

const client = new Client({
  url: HTTP_URL,
  fetchOptions: () => ({ headers: AUTH }),
  requestPolicy: "network-only",
  exchanges: [
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query || "" };
        return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
      },
    }),
    fetchExchange,
  ],
});

async function mutate(query, variables, typename) {
  const result = await client.mutation(query, variables).toPromise();
  assert.equal(result.error, undefined, result.error?.message);
  const payload = Object.values(result.data)[0];
  assert.equal(payload.__typename, typename, JSON.stringify(payload));
  return payload;
}

test("urql: upload, parse, score, optimize, followed over taskUpdates; PDF download", async () => {
  const follower = new TaskFollower();
  // From the start of this user's feed ("0-0"), so no event can slip past before it is live.
  const { unsubscribe } = client
    .subscription(TASK_UPDATES, { after: "0-0" })
    .subscribe((result) => {
      assert.equal(result.error, undefined, result.error?.message);
      follower.push(result.data.taskUpdates);
    });
  try {
    const resume = await mutate(PARSE_RESUME, { file: await resumeFile() }, "ResumeTask");
    const job = await mutate(PARSE_JOB, { text: JOB_TEXT }, "JobTask");
    await follower.finished(resume.task.id);
    await follower.finished(job.task.id);
    const ids = { resumeId: resume.resumeId, jobId: job.jobId };
    const match = await mutate(SCORE_MATCH, ids, "MatchTask");
    const doc = await mutate(OPTIMIZE_RESUME, ids, "DocumentTask");
    const scored = await follower.finished(match.task.id);
    const written = await follower.finished(doc.task.id);
    assert.equal(scored.resultId, match.matchId);
    assert.equal(written.resultId, doc.documentId);
    for (const task of [resume.task, job.task, match.task, doc.task]) {
      const statuses = follower.statuses(task.id);
      assert.equal(statuses[0], "PENDING", statuses.join(" "));
      assert.equal(statuses.at(-1), "COMPLETED", statuses.join(" "));
    }

    const read = await client
      .query(RESULTS, { ...ids, matchId: match.matchId, documentId: doc.documentId })
      .toPromise();
    assert.equal(read.error, undefined, read.error?.message);
    await checkResults(read.data);
  } finally {
    unsubscribe();
  }
});

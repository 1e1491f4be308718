// A dashboard's socket drops mid-stream: it reconnects with the last `eventId` it saw as
// `after`, and receives every event it missed exactly once, in order.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createClient } from "graphql-ws";
import WebSocket from "ws";

import { AUTH, HTTP_URL, PING, TASK_UPDATES, WS_URL } from "./lib.mjs";

const TASKS = 30;

/** A graphql-ws client that gives up at the first drop (we reconnect by hand, with `after`). */
function connect() {
  let socket;
  const client = createClient({
    url: WS_URL,
    webSocketImpl: WebSocket,
    connectionParams: AUTH,
    retryAttempts: 0,
    lazy: false,
    on: { connected: (s) => (socket = s) },
  });
  return { client, drop: () => socket.terminate() };
}

/** Subscribes to taskUpdates after `after`; calls onEvent per event until it returns true. */
function follow(client, after, onEvent) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stalled after ${after}`)), 20_000);
    const stop = client.subscribe(
      { query: TASK_UPDATES, variables: { after } },
      {
        next: ({ data, errors }) => {
          if (errors) return reject(new Error(JSON.stringify(errors)));
          if (onEvent(data.taskUpdates)) {
            clearTimeout(timer);
            stop();
            resolve();
          }
        },
        error: (error) => {
          clearTimeout(timer);
          resolve(error); // the drop ends the first subscription with an error: expected
        },
        complete: () => {},
      },
    );
  });
}

async function ping() {
  const response = await fetch(HTTP_URL, {
    method: "POST",
    headers: { ...AUTH, "Content-Type": "application/json" },
    body: JSON.stringify({ query: PING }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data.pingTask.id;
}

const completedAll = (ids, events) =>
  ids.every((id) => events.some((e) => e.taskId === id && e.status === "COMPLETED"));

test("reconnecting with the last event id misses and repeats nothing", async () => {
  const received = [];
  const ids = [];

  // Live, then tasks start; the socket is cut once ten events arrived.
  const first = connect();
  const dropped = new Promise((resolve) => {
    const subscription = follow(first.client, "0-0", (event) => {
      received.push(event);
      if (received.length === 10) {
        first.drop();
        resolve(subscription);
      }
      return false;
    });
  });
  for (let i = 0; i < TASKS / 2; i++) ids.push(await ping());
  const ended = await (await dropped);
  assert.ok(ended, "the first subscription ended with the drop");
  first.client.dispose();

  // While nobody listens, more work runs.
  for (let i = 0; i < TASKS / 2; i++) ids.push(await ping());

  const last = received.at(-1).eventId;
  const second = connect();
  await follow(second.client, last, (event) => {
    received.push(event);
    return completedAll(ids, received);
  });
  second.client.dispose();

  // The whole feed, read once more from the start, is what the two connections saw.
  const feed = [];
  const replay = connect();
  await follow(replay.client, "0-0", (event) => {
    feed.push(event);
    return event.eventId === received.at(-1).eventId;
  });
  replay.client.dispose();

  const eventIds = received.map((e) => e.eventId);
  assert.equal(new Set(eventIds).size, eventIds.length, "no event twice");
  assert.deepEqual(eventIds, feed.map((e) => e.eventId), "no event missing, none out of order");
  for (const id of ids) {
    const statuses = received.filter((e) => e.taskId === id).map((e) => e.status);
    assert.equal(statuses[0], "PENDING", `${id}: ${statuses}`);
    assert.equal(statuses.at(-1), "COMPLETED", `${id}: ${statuses}`);
  }
});

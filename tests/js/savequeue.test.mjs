import { test } from "node:test";
import assert from "node:assert/strict";

import { SaveQueue, isRetryable, resolveRefs } from "../../static/js/savequeue.js";

class MemoryStorage {
  constructor() { this.items = new Map(); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
}

function scripted(responses) {
  const sent = [];
  const transport = async (request) => {
    sent.push(request);
    const next = responses.shift();
    if (next === "down") throw new TypeError("Failed to fetch");
    return next;
  };
  return { sent, transport };
}

const noSleep = () => Promise.resolve();
const created = (id, version = 1) => ({ status: 201, body: { annotation: { id, version } } });

test("placeholders resolve to server ids, or to undefined when one is unknown", () => {
  const ids = { l1: 5 };
  const idFor = (lid) => ids[lid] ?? null;
  assert.deepEqual(resolveRefs({ a: { entity_id: { $lid: "l1" } }, b: [1] }, idFor), { a: { entity_id: 5 }, b: [1] });
  assert.equal(resolveRefs({ a: { $lid: "nope" } }, idFor), undefined);
});

test("server errors, auth and CSRF problems are retried; validation errors are not", () => {
  assert.ok(isRetryable(503, null));
  assert.ok(isRetryable(401, null));
  assert.ok(isRetryable(400, { error: { code: "csrf" } }));
  assert.ok(!isRetryable(422, { error: { code: "invalid" } }));
  assert.ok(!isRetryable(409, {}));
});

test("a failed save is retried with back-off until the server acknowledges it", async () => {
  const { sent, transport } = scripted(["down", { status: 502, body: null }, created(40)]);
  const states = [];
  const delays = [];
  const queue = new SaveQueue({
    storage: new MemoryStorage(), key: "q", transport,
    sleep: (ms) => { delays.push(ms); return Promise.resolve(); },
    handlers: { state: (state) => states.push(state) },
  });
  queue.enqueue({ kind: "create", lid: "l1", body: { label: "PERSON" } });
  await queue.done;
  assert.equal(sent.length, 3);
  assert.deepEqual(delays, [1000, 2000]);
  assert.ok(states.includes("offline"));
  assert.equal(states.at(-1), "saved");
  assert.equal(queue.pending, 0);
  assert.equal(queue.idFor("l1"), 40);
});

test("the queue survives a reload: a new queue on the same storage sends what is left", async () => {
  const storage = new MemoryStorage();
  const first = new SaveQueue({ storage, key: "q", transport: async () => { throw new TypeError("offline"); }, sleep: () => new Promise(() => {}) });
  first.enqueue({ kind: "create", lid: "l1", body: { label: "PERSON" } });
  first.enqueue({ kind: "update", lid: "l1", body: { label: "ORG" } });

  const { sent, transport } = scripted([created(40), { status: 200, body: { annotation: { id: 40, version: 2 } } }]);
  const second = new SaveQueue({ storage, key: "q", transport, sleep: noSleep });
  assert.equal(second.pending, 2);
  await second.start();
  assert.deepEqual(sent.map((r) => [r.method, r.url]), [["POST", "/api/v1/annotations"], ["PATCH", "/api/v1/annotations/40"]]);
  assert.deepEqual(sent[1].body, { label: "ORG", version: 1 }, "the update is based on the saved version");
  assert.equal(second.state.versions.l1, 2);
});

test("a conflict drops the op and later ops on the same annotation, and says so", async () => {
  const { transport } = scripted([{ status: 409, body: { current: { id: 5, version: 3 } } }, { status: 200, body: {} }]);
  const conflicts = [];
  const queue = new SaveQueue({ storage: new MemoryStorage(), key: "q", transport, sleep: noSleep, handlers: { conflict: (op, body, dropped) => conflicts.push([body.current.version, dropped.length]) } });
  queue.state.versions.s5 = 1;
  queue.enqueue({ kind: "update", lid: "s5", body: { label: "ORG" } });
  queue.enqueue({ kind: "delete", lid: "s5" });
  queue.enqueue({ kind: "status", articleId: 1, body: { status: "done" } });
  await queue.done;
  assert.deepEqual(conflicts, [[3, 2]]);
  assert.equal(queue.pending, 0);
});

test("an op naming an entity that never got saved is rejected, not sent", async () => {
  const { sent, transport } = scripted([{ status: 422, body: { error: { field: "start" } } }]);
  const rejected = [];
  const queue = new SaveQueue({ storage: new MemoryStorage(), key: "q", transport, sleep: noSleep, handlers: { rejected: (op) => rejected.push(op.kind) } });
  queue.enqueue({ kind: "create", lid: "l1", body: { label: "PERSON" } });
  queue.enqueue({ kind: "create", lid: "l2", body: { attributes: { claimant: { entity_id: { $lid: "l1" } } } } });
  await queue.done;
  assert.equal(sent.length, 1);
  assert.deepEqual(rejected, ["create", "create"]);
});

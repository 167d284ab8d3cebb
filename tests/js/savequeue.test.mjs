import { test } from "node:test";
import assert from "node:assert/strict";

import { SaveQueue, isApplied, isRelabelled, isRetryable, normalise, offlineText, refusedText, resolveRefs } from "../../static/js/savequeue.js";
import { MemoryStorage } from "./memory-storage.mjs";

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

test("waiting saves say why they wait, and that they are kept", () => {
  const busy = { status: 503, body: { error: { code: "busy" } }, pending: 2 };
  assert.equal(offlineText(busy), "Database busy with other work, retrying (2 unsaved changes kept)");
  assert.equal(offlineText({ status: 500, body: null, pending: 1 }), "Offline, retrying (1 unsaved change kept)");
  assert.equal(offlineText({ status: null, body: null, pending: 3 }), "Offline, retrying (3 unsaved changes kept)");
  assert.match(offlineText({ status: 401, body: null, pending: 1 }), /^Logged out/);
  assert.match(offlineText({ status: 400, body: { error: { code: "csrf" } }, pending: 1 }), /^Session expired/);
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

const down = () => new Promise(() => {}); // a sleep that never ends: the queue stays pending
const offline = async () => { throw new TypeError("offline"); };
const sentimentOp = (paragraphId, label) => ({ kind: "sentiment", lid: `p${paragraphId}`, paragraphId, body: { label } });

test("every retry of a create, and its replay after a reload, sends the same client id", async () => {
  const storage = new MemoryStorage();
  const first = new SaveQueue({ storage, key: "q", transport: offline, sleep: down });
  first.enqueue({ kind: "create", lid: "l1", body: { label: "PERSON", client_id: "c-1" } });
  await Promise.resolve();

  const { sent, transport } = scripted([{ status: 502, body: null }, { status: 200, body: { annotation: { id: 40, version: 1 } } }]);
  const second = new SaveQueue({ storage, key: "q", transport, sleep: noSleep });
  await second.start();
  assert.deepEqual(sent.map((r) => r.body.client_id), ["c-1", "c-1"]);
  assert.equal(second.idFor("l1"), 40, "a replay answered 200 with the stored row is a save");
});

test("a paragraph sentiment is sent with the version the page last saw, null for none", async () => {
  const { sent, transport } = scripted([
    { status: 200, body: { annotation: { id: 9, version: 1 } } },
    { status: 200, body: { annotation: { id: 9, version: 2 } } },
    { status: 200, body: { annotation: null } },
  ]);
  const queue = new SaveQueue({ storage: new MemoryStorage(), key: "q", transport, sleep: noSleep });
  queue.noteVersion("p5", null);
  queue.enqueue(sentimentOp(5, "positive"));
  queue.enqueue(sentimentOp(5, "negative"));
  queue.enqueue(sentimentOp(5, null));
  await queue.done;
  assert.deepEqual(sent.map((r) => [r.method, r.url]), Array(3).fill(["PUT", "/api/v1/paragraphs/5/sentiment"]));
  assert.deepEqual(sent.map((r) => r.body), [
    { label: "positive", version: null },
    { label: "negative", version: 1 },
    { label: null, version: 2 },
  ]);
  assert.equal(queue.state.versions.p5, null);
});

test("a stale sentiment is refused: later ones on that paragraph go, the next starts from the stored one", async () => {
  const current = { id: 9, paragraph_id: 5, layer: "sentiment", label: "positive", attributes: {}, version: 4 };
  const { sent, transport } = scripted([
    { status: 409, body: { error: { code: "conflict", field: "version" }, current } },
    { status: 200, body: { annotation: { ...current, label: "mixed", version: 5 } } },
  ]);
  const conflicts = [];
  const queue = new SaveQueue({ storage: new MemoryStorage(), key: "q", transport, sleep: noSleep, handlers: { conflict: (op, body, dropped) => conflicts.push([op.paragraphId, body.current.label, dropped.length]) } });
  queue.noteVersion("p5", 1);
  queue.enqueue(sentimentOp(5, "negative"));
  queue.enqueue(sentimentOp(5, "neutral"));
  await queue.done;
  assert.deepEqual(conflicts, [[5, "positive", 2]]);
  assert.equal(sent.length, 1);

  queue.enqueue(sentimentOp(5, "mixed"));
  await queue.done;
  assert.deepEqual(sent[1].body, { label: "mixed", version: 4 });
});

test("a delete answered 404 is done: the annotation is already gone", async () => {
  const { transport } = scripted([{ status: 404, body: { error: { code: "not_found" } } }]);
  const rejected = [];
  const queue = new SaveQueue({ storage: new MemoryStorage(), key: "q", transport, sleep: noSleep, handlers: { rejected: (op) => rejected.push(op) } });
  queue.state.versions.s5 = 2;
  queue.enqueue({ kind: "delete", lid: "s5", paragraphId: 1 });
  await queue.done;
  assert.deepEqual(rejected, []);
  assert.equal(queue.pending, 0);
  assert.ok(!("s5" in queue.state.versions));
});

test("adopting a gone tab's queue takes its ops, ids and versions, and removes it", async () => {
  const storage = new MemoryStorage();
  const gone = new SaveQueue({ storage, key: "q.gone", transport: offline, sleep: down });
  gone.state.ids.l1 = 40;
  gone.state.versions = { l1: 3, p7: 2 };
  gone.enqueue({ kind: "update", lid: "l1", paragraphId: 7, body: { label: "ORG" } });
  gone.enqueue(sentimentOp(7, "negative"));

  const { sent, transport } = scripted([created(50), { status: 200, body: { annotation: { id: 40, version: 4 } } }, { status: 200, body: { annotation: { id: 9, version: 3 } } }]);
  const queue = new SaveQueue({ storage, key: "q.mine", transport, sleep: noSleep });
  queue.state.ops.push({ opId: "mine", kind: "create", lid: "l2", body: { label: "GPE", client_id: "c-2" } });
  const taken = queue.adopt(["q.gone"]);
  assert.deepEqual(taken.map((op) => op.kind), ["update", "sentiment"]);
  assert.equal(storage.getItem("q.gone"), null);
  await queue.start();
  assert.deepEqual(sent.map((r) => [r.method, r.url, r.body]), [
    ["POST", "/api/v1/annotations", { label: "GPE", client_id: "c-2" }],
    ["PATCH", "/api/v1/annotations/40", { label: "ORG", version: 3 }],
    ["PUT", "/api/v1/paragraphs/7/sentiment", { label: "negative", version: 2 }],
  ]);
});

test("ops of the old shared queue get a client id and a sentiment lid when adopted", () => {
  const create = normalise({ kind: "create", lid: "l1", body: { label: "PERSON" } }, () => "c-new");
  assert.equal(create.body.client_id, "c-new");
  const kept = normalise({ kind: "create", lid: "l1", body: { client_id: "c-old" } }, () => "c-new");
  assert.equal(kept.body.client_id, "c-old");
  assert.equal(normalise({ kind: "sentiment", paragraphId: 3, body: { label: "mixed" } }).lid, "p3");
});

test("two queues changing one annotation: the adopted change keeps its base and conflicts", async () => {
  const storage = new MemoryStorage();
  const gone = new SaveQueue({ storage, key: "q.gone", transport: offline, sleep: down });
  gone.state.versions.s40 = 3;
  gone.enqueue({ kind: "update", lid: "s40", paragraphId: 7, body: { label: "NORP" } });

  const { sent, transport } = scripted([{ status: 200, body: { annotation: { id: 40, version: 4 } } }, { status: 409, body: { current: { id: 40, version: 4 } } }]);
  const conflicts = [];
  const queue = new SaveQueue({ storage, key: "q.mine", transport, sleep: noSleep, handlers: { conflict: (op) => conflicts.push(op.lid) } });
  queue.state.versions.s40 = 3;
  queue.state.ops.push({ opId: "mine", kind: "update", lid: "s40", paragraphId: 7, body: { label: "ORG" } });
  queue.adopt(["q.gone"]);
  await queue.start();
  assert.deepEqual(sent.map((r) => r.body), [{ label: "ORG", version: 3 }, { label: "NORP", version: 3 }]);
  assert.deepEqual(conflicts, ["s40"]);
});

test("a refused change says why in a sentence, and whether the project's labels changed", () => {
  const renamed = { error: { code: "unknown_label", message: "label 'ORG' is not an entity label of the project" } };
  assert.equal(refusedText(renamed), "Not saved: label 'ORG' is not an entity label of the project.");
  assert.equal(refusedText({ error: { message: "Too long!" } }), "Not saved: Too long!");
  assert.equal(refusedText(null), "Not saved: the server refused the change.");
  assert.equal(refusedText({}, "it clashes with what is saved"), "Not saved: it clashes with what is saved.");
  assert.equal(isRelabelled(renamed), true);
  assert.equal(isRelabelled({ error: { code: "invalid" } }), false);
  assert.equal(isRelabelled(null), false);
});

test("a change whose answer was lost is not a conflict: its retry finds it stored, and the next change goes on", async () => {
  // The PATCH to ORG was committed (version 3 -> 4) but its answer never came; the retry is
  // refused as stale, with the stored annotation, which is what the retry asked for.
  const stored = { id: 5, layer: "entity", start: 0, end: 5, label: "ORG", attributes: {}, version: 4 };
  const { sent, transport } = scripted([
    "down",
    { status: 409, body: { error: { code: "conflict", field: "version" }, current: stored } },
    { status: 200, body: { annotation: { ...stored, label: "GPE", version: 5 } } },
  ]);
  const conflicts = [];
  const queue = new SaveQueue({ storage: new MemoryStorage(), key: "q", transport, sleep: noSleep, handlers: { conflict: (op) => conflicts.push(op.lid) } });
  queue.state.versions.s5 = 3;
  queue.enqueue({ kind: "update", lid: "s5", body: { label: "ORG", attributes: {} } });
  queue.enqueue({ kind: "update", lid: "s5", body: { label: "GPE", attributes: {} } });
  await queue.done;
  assert.deepEqual(conflicts, []);
  assert.deepEqual(sent.map((r) => [r.body.label, r.body.version]), [["ORG", 3], ["ORG", 3], ["GPE", 4]]);
  assert.equal(queue.state.versions.s5, 5);
});

test("a sentiment whose answer was lost is not a conflict when the stored one is the one asked for", async () => {
  const stored = { id: 9, paragraph_id: 5, layer: "sentiment", label: "mixed", attributes: {}, version: 2 };
  const { transport } = scripted([{ status: 409, body: { error: { code: "conflict" }, current: stored } }]);
  const conflicts = [];
  const queue = new SaveQueue({ storage: new MemoryStorage(), key: "q", transport, sleep: noSleep, handlers: { conflict: (op) => conflicts.push(op) } });
  queue.noteVersion("p5", 1);
  queue.enqueue(sentimentOp(5, "mixed"));
  await queue.done;
  assert.deepEqual(conflicts, []);
  assert.equal(queue.state.versions.p5, 2);
});

test("a stale change whose stored state differs is still a conflict", () => {
  const op = { kind: "update", lid: "s5" };
  const current = { label: "ORG", start: 0, end: 5, attributes: { attribution: "named" } };
  assert.ok(isApplied(op, { body: { label: "ORG", attributes: { attribution: "named" } } }, { current }));
  assert.ok(!isApplied(op, { body: { label: "GPE", attributes: { attribution: "named" } } }, { current }));
  assert.ok(!isApplied(op, { body: { label: "ORG", attributes: {} } }, { current }));
  assert.ok(!isApplied(op, { body: { label: "ORG" } }, {}));
  assert.ok(!isApplied({ kind: "delete", lid: "s5" }, { body: {} }, { current }));
});

import { test } from "node:test";
import assert from "node:assert/strict";

import { SaveQueue } from "../../static/js/savequeue.js";
import { CLOSED_GRACE_MS, STALE_MS, TabLease, adoptOrphans } from "../../static/js/tabs.js";
import { MemoryStorage } from "./memory-storage.mjs";

/** One browser: localStorage shared by its tabs, a sessionStorage per tab, one clock. */
function browser() {
  const local = new MemoryStorage();
  const clock = { now: 1_000_000 };
  let tabs = 0;
  const open = (session = new MemoryStorage()) => {
    const lease = new TabLease({ local, session, userId: 3, clock: () => clock.now, newId: () => `tab${++tabs}` });
    lease.claim();
    return { lease, session };
  };
  return { local, clock, open };
}

const offline = async () => { throw new TypeError("offline"); };
const never = () => new Promise(() => {});

function queueOf(local, lease, transport = offline) {
  return new SaveQueue({ storage: local, key: lease.queueKey, transport, sleep: never });
}

function pendingCreate(local, lease, clientId) {
  queueOf(local, lease).enqueue({ kind: "create", lid: "l1", paragraphId: 1, body: { label: "PERSON", client_id: clientId } });
}

test("two tabs of one browser get their own ids and their own queue keys", () => {
  const { open } = browser();
  const a = open().lease;
  const b = open().lease;
  assert.notEqual(a.tabId, b.tabId);
  assert.notEqual(a.queueKey, b.queueKey);
  assert.match(a.queueKey, /^annotator\.saves\.3\./);
});

test("a second tab never takes the pending saves of a tab that still beats", () => {
  const { local, clock, open } = browser();
  const a = open().lease;
  pendingCreate(local, a, "c-1");
  const b = open().lease;
  assert.deepEqual(b.orphans(), []);
  clock.now += STALE_MS - 1;
  assert.deepEqual(b.orphans(), [], "a hidden tab beating once a minute is still alive");
  a.beat();
  clock.now += STALE_MS - 1;
  assert.deepEqual(b.orphans(), []);
});

test("a tab that stopped beating is gone: its queue is adopted once, by one tab", () => {
  const { local, clock, open } = browser();
  const a = open().lease;
  pendingCreate(local, a, "c-1");
  clock.now += STALE_MS;
  const b = open().lease;
  const queue = queueOf(local, b);
  const taken = adoptOrphans(b, queue);
  assert.deepEqual(taken.map((op) => op.body.client_id), ["c-1"], "replayed with the same client id");
  assert.equal(local.getItem(a.queueKey), null);
  assert.equal(local.getItem(a.beatKey(a.tabId)), null);
  const c = open().lease;
  assert.deepEqual(adoptOrphans(c, queueOf(local, c)), [], "nothing left for a third tab: b is alive");
});

test("a reload keeps the tab's id and its queue; closing with pending saves leaves them for adoption", () => {
  const { local, clock, open } = browser();
  const { lease: a, session } = open();
  pendingCreate(local, a, "c-1");
  a.release(1); // pagehide of a reload
  const reloaded = open(session).lease;
  assert.equal(reloaded.tabId, a.tabId);
  assert.equal(queueOf(local, reloaded).pending, 1);

  reloaded.release(1); // closed for good
  const b = open().lease;
  assert.deepEqual(b.orphans(), [], "it may still be reloading");
  clock.now += CLOSED_GRACE_MS;
  assert.deepEqual(b.orphans(), [a.queueKey]);
});

test("closing with everything saved leaves nothing behind", () => {
  const { local, open } = browser();
  const { lease } = open();
  queueOf(local, lease).write();
  lease.release(0);
  assert.equal(local.length, 0);
});

test("a duplicated tab (sessionStorage copied) gets an id of its own", () => {
  const { open } = browser();
  const { lease: a, session } = open();
  const copy = new MemoryStorage();
  copy.setItem("annotator.tab", session.getItem("annotator.tab"));
  const duplicate = open(copy).lease;
  assert.notEqual(duplicate.tabId, a.tabId);
});

test("the queue all tabs shared before is adopted, and another user's queues never are", () => {
  const { local, open } = browser();
  local.setItem("annotator.saves.3", JSON.stringify({ ops: [{ opId: "x", kind: "sentiment", paragraphId: 2, body: { label: "mixed" } }], ids: {}, versions: {} }));
  local.setItem("annotator.saves.33.tabX", JSON.stringify({ ops: [{ opId: "y", kind: "delete", lid: "s1" }] }));
  local.setItem("annotator.saves.3x", "{}");
  const b = open().lease;
  const taken = adoptOrphans(b, queueOf(local, b));
  assert.deepEqual(taken.map((op) => [op.kind, op.lid]), [["sentiment", "p2"]]);
  assert.notEqual(local.getItem("annotator.saves.33.tabX"), null);
});

test("beats of gone tabs that had nothing pending are swept; unreadable beats count as gone", () => {
  const { local, clock, open } = browser();
  const a = open().lease;
  local.setItem("annotator.tabs.3.broken", "{not json");
  clock.now += STALE_MS;
  const b = open().lease;
  b.sweep();
  assert.equal(local.getItem(a.beatKey(a.tabId)), null);
  assert.equal(local.getItem("annotator.tabs.3.broken"), null);
  assert.notEqual(local.getItem(b.beatKey(b.tabId)), null);
});

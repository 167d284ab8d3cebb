import { test } from "node:test";
import assert from "node:assert/strict";

import { History, inverse } from "../../static/js/history.js";
import { Store, fromServer, toBody, versionLid } from "../../static/js/store.js";

const lidFor = (id) => `s${id}`;
const entity = { id: 7, paragraph_id: 1, layer: "entity", start: 0, end: 3, label: "PERSON", attributes: {}, version: 2 };
const claim = {
  id: 8, paragraph_id: 1, layer: "claim", start: 0, end: 9, label: "factual", version: 1,
  attributes: { attribution: "reported", claimant: { entity_id: 7, text: "Cho" }, checkworthy: "yes" },
};

test("server annotations load by lid with claimants pointing at entity lids", () => {
  const store = new Store();
  store.load([entity, claim, { id: 9, paragraph_id: 1, layer: "sentiment", start: null, end: null, label: "positive", attributes: {}, version: 1 }], lidFor);
  assert.equal(store.get("s7").label, "PERSON");
  assert.deepEqual(store.get("s8").attributes.claimant, { lid: "s7", text: "Cho" });
  assert.equal(store.sentiments.get(1), "positive");
  assert.deepEqual([...store.decidedParagraphs()], [1]);
});

test("request bodies name entities by placeholder until the queue knows their ids", () => {
  const body = toBody(fromServer(claim, lidFor));
  assert.deepEqual(body.attributes.claimant, { entity_id: { $lid: "s7" }, text: "Cho" });
  const towards = toBody({ lid: "x", paragraph_id: 1, layer: "sentiment", label: "negative", attributes: { target_lid: "l1" } });
  assert.deepEqual(towards, { label: "negative", attributes: { target_id: { $lid: "l1" } }, paragraph_id: 1, layer: "sentiment" });
});

test("reloading one paragraph keeps the others", () => {
  const store = new Store();
  store.load([entity, { ...claim, paragraph_id: 2 }], lidFor);
  store.load([], lidFor, 1);
  assert.equal(store.get("s7"), null);
  assert.ok(store.get("s8"));
});

test("undo inverts create, change and delete; redo applies again", () => {
  const history = new History();
  const a = { lid: "l1", label: "PERSON" };
  history.record({ kind: "create", after: a });
  history.record({ kind: "update", before: a, after: { ...a, label: "ORG" } });
  assert.deepEqual(history.undo(), { kind: "update", before: { ...a, label: "ORG" }, after: a });
  assert.deepEqual(history.undo(), { kind: "delete", before: a });
  assert.equal(history.undo(), null);
  assert.deepEqual(history.redo(), { kind: "create", after: a });
  history.record({ kind: "delete", before: a });
  assert.equal(history.redo(), null, "a new command clears what could be redone");
});

test("a batch undoes in reverse order", () => {
  const batch = { kind: "batch", commands: [{ kind: "delete", before: 1 }, { kind: "create", after: 2 }] };
  assert.deepEqual(inverse(batch).commands, [{ kind: "delete", before: 2 }, { kind: "create", after: 1 }]);
});

test("a paragraph's own sentiment keeps its version under the paragraph's lid", () => {
  const own = { id: 9, paragraph_id: 4, layer: "sentiment", attributes: {}, version: 3 };
  const towards = { id: 10, paragraph_id: 4, layer: "sentiment", attributes: { target_id: 7 }, version: 1 };
  assert.equal(versionLid(own, lidFor), "p4");
  assert.equal(versionLid(towards, lidFor), "s10");
  assert.equal(versionLid(entity, lidFor), "s7");
});

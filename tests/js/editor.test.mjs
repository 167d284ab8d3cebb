import { test } from "node:test";
import assert from "node:assert/strict";

import { Editor } from "../../static/js/editor.js";
import { uuid } from "../../static/js/ids.js";
import { Store } from "../../static/js/store.js";

const lidFor = (id) => `s${id}`;

function editorWith(annotations) {
  const store = new Store();
  store.load(annotations, lidFor);
  const sent = [];
  const queue = { enqueue: (op) => sent.push(op), lidForId: lidFor };
  let minted = 0;
  const newClientId = () => `c${++minted}`;
  return { editor: new Editor({ store, queue, changed: () => {}, newClientId }), store, sent };
}

const wang = { id: 1, paragraph_id: 5, layer: "entity", start: 0, end: 7, label: "PERSON", attributes: {}, version: 1 };
const towardsWang = { id: 2, paragraph_id: 5, layer: "sentiment", start: null, end: null, label: "positive", attributes: { target_id: 1 }, version: 1 };
const claimByWang = {
  id: 3, paragraph_id: 5, layer: "claim", start: 0, end: 20, label: "opinion", version: 1,
  attributes: { attribution: "reported", claimant: { entity_id: 1, text: "Wang Yi" }, checkworthy: "no" },
};

test("deleting an entity spells out its dependants, and undo brings every one back", () => {
  const { editor, store, sent } = editorWith([wang, towardsWang, claimByWang]);
  editor.run(editor.deleteCommand(store.get("s1")));

  assert.equal(store.get("s1"), null);
  assert.equal(store.get("s2"), null, "the sentiment towards the entity goes with it");
  assert.deepEqual(store.get("s3").attributes.claimant, { lid: null, text: "Wang Yi" });
  assert.deepEqual(sent.map((op) => `${op.kind} ${op.lid}`), ["delete s2", "update s3", "delete s1"]);

  sent.length = 0;
  editor.undo();
  assert.equal(store.get("s1").label, "PERSON");
  assert.equal(store.get("s2").attributes.target_lid, "s1");
  assert.deepEqual(store.get("s3").attributes.claimant, { lid: "s1", text: "Wang Yi" });
  assert.deepEqual(sent.map((op) => `${op.kind} ${op.lid}`), ["create s1", "update s3", "create s2"]);
  assert.deepEqual(sent[1].body.attributes.claimant, { entity_id: { $lid: "s1" }, text: "Wang Yi" });
});

test("deleting a claim or an entity nobody refers to is a single command", () => {
  const { editor, store } = editorWith([wang, claimByWang]);
  assert.equal(editor.deleteCommand(store.get("s3")).kind, "delete");
  const { editor: other, store: alone } = editorWith([wang]);
  assert.equal(other.deleteCommand(alone.get("s1")).kind, "delete");
});

test("each create the user makes gets its own client id, kept in the queued op", () => {
  const { editor, sent } = editorWith([]);
  const ann = { lid: "l1", paragraph_id: 5, layer: "entity", start: 0, end: 7, label: "PERSON", attributes: {}, version: 0 };
  editor.run({ kind: "create", after: ann });
  editor.undo();
  editor.redo();
  assert.deepEqual(sent.map((op) => [op.kind, op.body?.client_id]), [["create", "c1"], ["delete", undefined], ["create", "c2"]]);
});

test("a paragraph sentiment is queued under its paragraph's lid, where its version is kept", () => {
  const { editor, sent } = editorWith([]);
  editor.run({ kind: "sentiment", paragraphId: 5, before: null, after: "positive" });
  assert.deepEqual(sent.map((op) => [op.lid, op.body]), [["p5", { label: "positive" }]]);
});

test("client ids are UUIDs, also where crypto.randomUUID is missing (plain http)", () => {
  const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(uuid(), shape);
  const insecure = { getRandomValues: (bytes) => globalThis.crypto.getRandomValues(bytes) };
  const ids = new Set(Array.from({ length: 50 }, () => uuid(insecure)));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, shape);
});

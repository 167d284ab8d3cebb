import { test } from "node:test";
import assert from "node:assert/strict";

import { caption, cellState, inTheWay, keyOf, moved, paragraphTitle, rowState, sameDecision, shownParagraphs, viewRows } from "../../static/js/review-model.js";
import { REVIEW_LID, ReviewQueue } from "../../static/js/reviewqueue.js";
import { MemoryStorage } from "./memory-storage.mjs";

const entity = (id, label, start, end, extra = {}) => ({ id, paragraph_id: 7, layer: "entity", start, end, label, attributes: {}, ...extra });

test("gold is keyed like the server's rows, a target sentiment by its entity's span", () => {
  const spans = { 3: [4, 9] };
  assert.equal(keyOf(entity(1, "PERSON", 0, 5), () => null), "entity:7:0:5");
  assert.equal(keyOf({ paragraph_id: 7, layer: "sentiment", attributes: {} }, () => null), "sentiment:7");
  assert.equal(keyOf({ paragraph_id: 7, layer: "sentiment", attributes: { target_id: 3 } }, (id) => spans[id]), "target:7:4:9");
});

test("claims are the same decision when type, attribution, check-worthiness and claimant agree", () => {
  const claim = (text, checkworthy = "yes") => ({ layer: "claim", label: "factual", attributes: { attribution: "reported", claimant: { text }, checkworthy } });
  assert.ok(sameDecision(claim("Wang Yi"), claim(" wang yi")));
  assert.ok(!sameDecision(claim("Wang Yi"), claim("Wang Yi", "no")));
  assert.equal(caption(claim("Wang Yi")), "factual · reported · by Wang Yi · check-worthy: yes");
});

test("gold nobody marked gets its own row, in offset order, sentiment last", () => {
  const server = [
    { key: "sentiment:7", paragraph_id: 7, layer: "sentiment", marks: { 1: 10, 2: 11 }, agreed: true },
    { key: "entity:7:0:5", paragraph_id: 7, layer: "entity", marks: { 1: 12 }, agreed: false },
  ];
  const added = { ...entity(20, "ORG", 8, 12), key: "entity:7:8:12" };
  const rows = viewRows(server, [added]);
  assert.deepEqual(rows.map((r) => [r.key, rowState(r)]), [
    ["entity:7:0:5", "disagreed"],
    ["entity:7:8:12", "added"],
    ["sentiment:7", "agreed"],
  ]);
});

test("a cell is accepted when gold holds its decision, rejected when gold differs or the reviewer said so", () => {
  const mine = entity(1, "PERSON", 0, 5);
  const row = { key: "entity:7:0:5", marks: { 1: 1 }, gold: entity(9, "PERSON", 0, 5) };
  assert.equal(cellState(row, mine, false), "accepted");
  assert.equal(cellState({ ...row, gold: entity(9, "ORG", 0, 5) }, mine, false), "rejected");
  assert.equal(cellState({ ...row, gold: null }, mine, true), "rejected");
  assert.equal(cellState({ ...row, gold: null }, null, false), "missing");
});

test("moving stays within the rows; overlapping gold entities are in the way of an accept", () => {
  assert.equal(moved(0, -1, 3), 0);
  assert.equal(moved(2, 1, 3), 2);
  assert.equal(moved(-1, 1, 0), -1);
  const gold = [{ ...entity(1, "ORG", 0, 8), key: "entity:7:0:8" }, { ...entity(2, "GPE", 10, 14), key: "entity:7:10:14" }];
  assert.deepEqual(inTheWay(gold, 7, 4, 12, null).map((g) => g.id), [1, 2]);
  assert.deepEqual(inTheWay(gold, 7, 4, 12, "entity:7:0:8").map((g) => g.id), [2]);
});

function scripted(responses) {
  const sent = [];
  return {
    sent,
    transport: async (request) => {
      sent.push(request);
      return responses.shift();
    },
  };
}

test("the review queue accepts, then deletes the accepted row by the id and version the server gave", async () => {
  const { sent, transport } = scripted([
    { status: 201, body: { annotation: { id: 50, version: 1 } } },
    { status: 200, body: { deleted: [50], changed: [] } },
  ]);
  const queue = new ReviewQueue({ storage: new MemoryStorage(), key: "q", transport, sleep: () => Promise.resolve() });
  queue.enqueue({ kind: "accept", lid: "l1", sourceId: 7, body: { client_id: "c1" } });
  queue.enqueue({ kind: "delete", lid: "l1" });
  await queue.done;
  assert.deepEqual(sent, [
    { method: "POST", url: "/api/v1/review/annotations/7/accept", body: { client_id: "c1" } },
    { method: "DELETE", url: "/api/v1/review/gold/50", body: { version: 1 } },
  ]);
});

test("marking adjudicated sends the review version; a 409 keeps the stored one for next time", async () => {
  const { sent, transport } = scripted([
    { status: 409, body: { error: { code: "conflict" }, current: { status: "in_review", version: 4 } } },
    { status: 200, body: { review: { status: "adjudicated", version: 5 } } },
  ]);
  const conflicts = [];
  const queue = new ReviewQueue({ storage: new MemoryStorage(), key: "q", transport, handlers: { conflict: (op) => conflicts.push(op.kind) } });
  queue.noteVersion(REVIEW_LID, 2);
  queue.enqueue({ kind: "review", articleId: 3, body: { status: "adjudicated" } });
  await queue.done;
  queue.enqueue({ kind: "review", articleId: 3, body: { status: "adjudicated" } });
  await queue.done;
  assert.deepEqual(conflicts, ["review"]);
  assert.deepEqual(sent.map((r) => r.body.version), [2, 4]);
  assert.equal(queue.state.versions[REVIEW_LID], 5);
});

test("a gold sentiment is sent with the version read, null when there was none", async () => {
  const { sent, transport } = scripted([{ status: 200, body: { annotation: { id: 8, version: 1 } } }]);
  const queue = new ReviewQueue({ storage: new MemoryStorage(), key: "q", transport });
  queue.enqueue({ kind: "sentiment", lid: "p7", paragraphId: 7, body: { label: "neutral" } });
  await queue.done;
  assert.deepEqual(sent[0], { method: "PUT", url: "/api/v1/review/paragraphs/7/sentiment", body: { label: "neutral", version: null } });
  assert.equal(queue.state.versions.p7, 1);
});

test("boilerplate paragraphs holding work or gold are shown; the others are not", () => {
  const paragraphs = [
    { id: 1, position: 0, is_boilerplate: true },
    { id: 2, position: 1, is_boilerplate: false },
    { id: 3, position: 2, is_boilerplate: true },
    { id: 4, position: 3, is_boilerplate: true },
  ];
  const shown = shownParagraphs(paragraphs, [{ paragraph_id: 3 }], [{ paragraph_id: 4 }]);
  assert.deepEqual(shown.map((p) => p.id), [2, 3, 4]);
});

test("a paragraph is numbered by its position, as in the workspace and the scorecard", () => {
  assert.equal(paragraphTitle({ position: 7, is_boilerplate: false }), "Paragraph 8");
  assert.equal(paragraphTitle({ position: 2, is_boilerplate: true }), "Paragraph 3 (boilerplate)");
});

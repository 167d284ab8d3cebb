import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { describe, gaps, lacksClaimant, paragraphMissing, requirements } from "../../static/js/progress.js";
import { Store } from "../../static/js/store.js";

// The very cases tests/test_progress.py runs the server's rule on: page and API agree.
const cases = JSON.parse(readFileSync(new URL("../data/progress-cases.json", import.meta.url)));

test("the schema's layers say what every content paragraph needs, as on the server", () => {
  for (const [name, expected] of Object.entries(cases.requirements)) {
    assert.deepEqual(requirements(cases.schemas[name]), expected, name);
  }
});

test("each paragraph case lacks what the server says it lacks", () => {
  for (const c of cases.paragraphs) {
    const missing = paragraphMissing(requirements(cases.schemas[c.schema]), c.sentiment, c.claims);
    assert.deepEqual(missing, c.missing, c.why);
  }
});

test("a claimant chosen on the page (an entity lid) counts before it is saved", () => {
  assert.equal(lacksClaimant({ attribution: "reported", claimant: { lid: "l1", text: "" } }), false);
});

test("gaps skip boilerplate and number paragraphs as the page does", () => {
  const store = new Store();
  store.load([
    { id: 1, paragraph_id: 11, layer: "sentiment", start: null, end: null, label: "neutral", attributes: {}, version: 1 },
    { id: 2, paragraph_id: 13, layer: "claim", start: 0, end: 4, label: "factual", attributes: { attribution: "reported", claimant: null, checkworthy: "yes" }, version: 1 },
  ], (id) => `s${id}`);
  const paragraphs = [
    { id: 10, position: 0, is_boilerplate: true },
    { id: 11, position: 1, is_boilerplate: false },
    { id: 12, position: 2, is_boilerplate: false },
    { id: 13, position: 3, is_boilerplate: false },
  ];
  const found = gaps({ paragraphs, schema: cases.schemas.default, store });
  assert.deepEqual(found, [
    { paragraphId: 12, number: 3, missing: ["sentiment"] },
    { paragraphId: 13, number: 4, missing: ["sentiment", "claimant"] },
  ]);
  assert.equal(describe(found[1].missing), "no sentiment, a claim without claimant");
});

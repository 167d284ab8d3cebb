import { test } from "node:test";
import assert from "node:assert/strict";

import { describeSource, visibleGhosts } from "../../static/js/suggestions.js";
import { toBody } from "../../static/js/store.js";

const ghost = (id, start, end, extra = {}) => ({ id, paragraph_id: 1, layer: "entity", start, end, label: "GPE", source: "propagation", ...extra });

test("a ghost over one of the user's own entities is not drawn", () => {
  const mine = [{ lid: "s1", start: 4, end: 9 }];
  const shown = visibleGhosts([ghost(1, 0, 5), ghost(2, 9, 14), ghost(3, 20, 25, { layer: "sentiment" })], mine);
  assert.deepEqual(shown.map((g) => g.id), [2]);
});

test("the source is said in words, with model version and score", () => {
  assert.equal(describeSource(ghost(1, 0, 1)), "propagation");
  assert.equal(describeSource(ghost(1, 0, 1, { source: "model:ner", model_version: "3", score: 0.914 })), "model ner (3), score 0.91");
  assert.equal(describeSource(ghost(1, 0, 1, { source: "import:gold:v2" })), "import gold:v2");
});

test("an accepted ghost is a create naming its suggestion; an update never does", () => {
  const ann = { lid: "l1", paragraph_id: 1, layer: "entity", start: 0, end: 5, label: "GPE", attributes: {}, suggestion_id: 7 };
  assert.equal(toBody(ann).suggestion_id, 7);
  assert.equal(toBody(ann, false).suggestion_id, undefined);
});

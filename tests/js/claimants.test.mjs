import { test } from "node:test";
import assert from "node:assert/strict";

import { claimantChoices } from "../../static/js/claimants.js";

const TEXTS = { 1: "China and South Korea", 2: "South Korea and China met", 3: "China said" };
const order = new Map([[1, 1], [2, 2], [3, 3]]);
const entity = (lid, paragraph, text, label) => {
  const start = TEXTS[paragraph].indexOf(text);
  return { lid, paragraph_id: paragraph, start, end: start + text.length, label, text };
};
const ENTITIES = [
  entity("a", 1, "China", "GPE"), entity("b", 1, "South Korea", "GPE"),
  entity("c", 2, "South Korea", "GPE"), entity("d", 2, "China", "GPE"),
  entity("e", 3, "China", "GPE"), entity("f", 3, "China", "ORG"),
];
const textOf = (e) => e.text;

test("each entity is offered once, by text and label", () => {
  const choices = claimantChoices(ENTITIES, order, 2, textOf);
  assert.deepEqual(choices.map((c) => `${c.text} ${c.label}`).sort(), ["China GPE", "China ORG", "South Korea GPE"]);
});

test("the mention offered is the one in the claim's paragraph, with its paragraph number", () => {
  const choices = claimantChoices(ENTITIES, order, 2, textOf);
  const china = choices.find((c) => c.text === "China" && c.label === "GPE");
  assert.deepEqual(china, { lid: "d", text: "China", label: "GPE", paragraph: 2 });
});

test("else the nearest mention before the claim, else the nearest after it", () => {
  const before = claimantChoices(ENTITIES.filter((e) => e.paragraph_id !== 2), order, 2, textOf);
  assert.equal(before.find((c) => c.label === "GPE" && c.text === "China").lid, "a");
  const after = claimantChoices(ENTITIES.filter((e) => e.paragraph_id === 3), order, 1, textOf);
  assert.equal(after.find((c) => c.label === "GPE").lid, "e");
});

test("the nearest mentions come first", () => {
  const choices = claimantChoices(ENTITIES, order, 3, textOf);
  assert.deepEqual(choices.map((c) => c.lid), ["e", "f", "c"]);
});

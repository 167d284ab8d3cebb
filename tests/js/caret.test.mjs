import { test } from "node:test";
import assert from "node:assert/strict";

import { caretSpan, caretUnits, stepCaret } from "../../static/js/caret.js";

const TEXT = "South Korea’s Foreign Minister Cho Tae-yul and China’s Wang Yi agreed.";
const at = (needle) => ({ start: TEXT.indexOf(needle), end: TEXT.indexOf(needle) + needle.length });
const ENTITIES = [{ lid: "sk", ...at("South Korea") }];
const UNITS = caretUnits(TEXT, ENTITIES);
const shown = (caret) => TEXT.slice(caretSpan(UNITS, caret).start, caretSpan(UNITS, caret).end);

function press(steps, caret = null) {
  let current = caret;
  for (const [step, extend] of steps) current = stepCaret(UNITS, current, step, extend);
  return current;
}

test("an entity span is one step of the caret, the words outside it are the others", () => {
  const first = press([[1, false]]);
  assert.equal(shown(first), "South Korea");
  assert.equal(caretSpan(UNITS, first).lid, "sk");
  assert.equal(shown(press([[1, false], [1, false]])), "Foreign");
});

test("Shift+arrows extend from the caret, not from the paragraph's first word", () => {
  const right = (n) => Array.from({ length: n }, () => [1, false]);
  const cho = press(right(4));
  assert.equal(shown(cho), "Cho");
  const name = press([[1, true]], cho);
  assert.equal(shown(name), "Cho Tae-yul");
  assert.equal(caretSpan(UNITS, name).lid, null);
  assert.equal(shown(press([[1, true], [-1, true]], name)), "Cho Tae-yul");
  assert.equal(shown(press([[-1, true]], cho)), "Minister Cho");
});

test("a hidden caret resumes after the last labelled span", () => {
  const after = { anchor: at("Tae-yul").end, focus: at("Tae-yul").end, shown: false };
  assert.equal(shown(stepCaret(UNITS, after, 1, false)), "and");
  assert.equal(shown(stepCaret(UNITS, after, -1, false)), "Tae-yul");
});

test("the caret stops at the ends of the paragraph", () => {
  assert.equal(shown(press([[-1, false]])), "agreed");
  assert.equal(shown(press([[-1, false], [1, false]])), "agreed");
  assert.equal(stepCaret([], null, 1, false), null);
});

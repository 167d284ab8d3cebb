import { test } from "node:test";
import assert from "node:assert/strict";

import { adjustSelection, overlapping, segments, snapToWords, wordSpans } from "../../static/js/spans.js";

const TEXT = "South Korea’s Foreign Minister Cho Tae-yul and China’s Wang Yi agreed “to be held soon”.";
const at = (needle) => [TEXT.indexOf(needle), TEXT.indexOf(needle) + needle.length];
const slice = (span) => Array.from(TEXT).slice(span.start, span.end).join("");

test("a selection inside words grows to whole words", () => {
  const [start, end] = at("ho Tae-yu");
  assert.equal(slice(snapToWords(TEXT, start, end)), "Cho Tae-yul");
});

test("leading and trailing spaces, quotes and punctuation are dropped", () => {
  const [start, end] = at(" “to be held soon”.");
  assert.equal(slice(snapToWords(TEXT, start, end)), "to be held soon");
  const [s2, e2] = at(" Cho ");
  assert.equal(slice(snapToWords(TEXT, s2, e2)), "Cho");
});

test("a possessive is not swallowed when the selection stops before it", () => {
  const [start, end] = at("South Korea");
  assert.equal(slice(snapToWords(TEXT, start, end)), "South Korea");
});

test("a backwards selection is the same span", () => {
  const [start, end] = at("Wang Yi");
  assert.deepEqual(snapToWords(TEXT, end, start), { start, end });
});

test("only punctuation or spaces selects nothing", () => {
  const [start, end] = at("”.");
  assert.equal(snapToWords(TEXT, start, end), null);
});

test("snapping counts code points after an emoji", () => {
  const text = "😀 Cho Tae-yul";
  assert.deepEqual(snapToWords(text, 3, 5), { start: 2, end: 5 });
});

test("character precision keeps half words, trimming only spaces", () => {
  const [start, end] = at(" Tae-y");
  assert.equal(slice(adjustSelection(TEXT, start, end, false)), "Tae-y");
  assert.equal(slice(adjustSelection(TEXT, start, end, true)), "Tae-yul");
});

test("overlap is sharing a character; touching is not overlapping", () => {
  const spans = [{ lid: "a", start: 0, end: 5 }, { lid: "b", start: 10, end: 12 }];
  assert.deepEqual(overlapping(spans, 5, 10), []);
  assert.deepEqual(overlapping(spans, 4, 11).map((s) => s.lid), ["a", "b"]);
  assert.deepEqual(overlapping(spans, 4, 11, "a").map((s) => s.lid), ["b"]);
});

test("segments cut at every boundary so a claim can cross an entity", () => {
  const entity = { lid: "e", start: 2, end: 6 };
  const claim = { lid: "c", start: 4, end: 9 };
  const cut = segments(10, [entity, claim]).map((s) => [s.start, s.end, s.covering.map((x) => x.lid)]);
  assert.deepEqual(cut, [[0, 2, []], [2, 4, ["e"]], [4, 6, ["e", "c"]], [6, 9, ["c"]], [9, 10, []]]);
});

test("a hyphenated name snaps as one word when the selection cuts into it", () => {
  for (const needle of ["Tae-y", "ae-yul", "Tae-", "yu"]) {
    const [start, end] = at(needle);
    assert.equal(slice(snapToWords(TEXT, start, end)), "Tae-yul", needle);
  }
});

test("a selection that stops exactly at a hyphen is kept as chosen", () => {
  const text = "handling Taiwan-related issues in the US-China rivalry";
  const span = (needle) => [text.indexOf(needle), text.indexOf(needle) + needle.length];
  const cut = (s) => text.slice(s.start, s.end);
  assert.equal(cut(snapToWords(text, ...span("Taiwan"))), "Taiwan");
  assert.equal(cut(snapToWords(text, ...span("aiwa"))), "Taiwan-related");
  assert.equal(cut(snapToWords(text, ...span("U"))), "US"); // a pairing of acronyms is two words
  assert.equal(cut(snapToWords(text, ...span("hin"))), "China");
});

test("the keyboard's words: hyphenated names whole, signs kept, no possessive word", () => {
  const text = "South Korea’s Cho Tae-yul, Jean-Pierre and the US-China $81 Billion, 5%, May 26-27.";
  const words = wordSpans(text).map((s) => Array.from(text).slice(s.start, s.end).join(""));
  assert.deepEqual(words, [
    "South", "Korea", "Cho", "Tae-yul", "Jean-Pierre", "and", "the", "US", "China", "$81",
    "Billion", "5%", "May", "26-27",
  ]);
});

test("keyboard words are code-point spans after an emoji", () => {
  const text = "😀 Cho Tae-yul";
  assert.deepEqual(wordSpans(text), [{ start: 2, end: 5 }, { start: 6, end: 13 }]);
});

test("in scripts written without spaces a selection keeps its own edges", () => {
  // Widened to the run of letters, "小池百合子" was the whole clause, labelled as one name.
  const text = "東京都の小池百合子知事は北京を訪問した。 Seoul と 서울";
  const [start, end] = [text.indexOf("小池百合子"), text.indexOf("小池百合子") + 5];
  assert.deepEqual(snapToWords(text, start, end), { start, end });
  const cut = text.indexOf("eou");
  assert.deepEqual(snapToWords(text, cut, cut + 2), { start: cut - 1, end: cut + 4 }); // Latin still snaps
  const words = wordSpans(text).map((s) => Array.from(text).slice(s.start, s.end).join(""));
  assert.deepEqual(words.slice(0, 5), ["東", "京", "都", "の", "小"]); // the caret steps by character
  assert.deepEqual(words.slice(-3), ["Seoul", "と", "서울"]); // Hangul puts spaces between words
});

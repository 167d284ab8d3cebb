import { test } from "node:test";
import assert from "node:assert/strict";

import {
  codePointLength,
  codePointToUtf16,
  sliceCodePoints,
  utf16ToCodePoint,
} from "../../static/js/offsets.js";

const TEXT = "😀 𠀋 Cafe\u0301 met Cho Tae-yul in Seoul.";

test("emoji and CJK outside the BMP count one code point, two UTF-16 units", () => {
  assert.equal(TEXT.length, 37);
  assert.equal(codePointLength(TEXT), 35);
  assert.equal(utf16ToCodePoint(TEXT, TEXT.indexOf("Cho")), 14);
  assert.equal(codePointToUtf16(TEXT, 14), TEXT.indexOf("Cho"));
});

test("every boundary round-trips between UTF-16 and code points", () => {
  const points = Array.from(TEXT);
  let units = 0;
  points.forEach((char, offset) => {
    assert.equal(utf16ToCodePoint(TEXT, units), offset);
    assert.equal(codePointToUtf16(TEXT, offset), units);
    units += char.length;
  });
  assert.equal(codePointToUtf16(TEXT, 999), TEXT.length);
});

test("an index inside a surrogate pair counts the whole pair", () => {
  assert.equal(utf16ToCodePoint("😀x", 1), 1);
});

test("slicing by code points matches Python's text[start:end]", () => {
  assert.equal(sliceCodePoints(TEXT, 14, 25), "Cho Tae-yul");
  assert.equal(sliceCodePoints(TEXT, 4, 9), "Cafe\u0301");
  assert.equal(sliceCodePoints(TEXT, 0, 1), "😀");
  assert.equal(sliceCodePoints(TEXT, 2, 3), "𠀋");
});

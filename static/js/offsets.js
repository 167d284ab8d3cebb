// The ONE place where the DOM's UTF-16 positions become Unicode code points and back.
// The server stores code points (Python slicing), so 😀 or 𠀋 count as one, not two.

/** Number of code points in a string. */
export function codePointLength(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Code-point offset of a UTF-16 index; an index inside a surrogate pair counts the pair. */
export function utf16ToCodePoint(text, index) {
  let units = 0;
  let points = 0;
  for (const char of text) {
    if (units >= index) break;
    units += char.length;
    points += 1;
  }
  return points;
}

/** UTF-16 index of a code-point offset (clamped to the end of the text). */
export function codePointToUtf16(text, offset) {
  let units = 0;
  let points = 0;
  for (const char of text) {
    if (points >= offset) break;
    units += char.length;
    points += 1;
  }
  return units;
}

/** text[start:end] in code points, exactly as Python slices it. */
export function sliceCodePoints(text, start, end) {
  return Array.from(text).slice(start, end).join("");
}

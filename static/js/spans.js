// Pure span logic in code points: snapping a selection to words, overlaps, and cutting a
// paragraph into segments so that claims may cross entities and still render as flat runs.

const WORD = /[\p{L}\p{N}\p{M}]/u;
// Scripts written without spaces between words: a run of them is a clause, not a word, so a
// selection is never widened across them, and the caret steps one character at a time.
const UNSPACED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]/u;
// Trimmed from both ends of a snapped selection; currency and percent signs stay.
const EDGE_PUNCTUATION = /[\s"'“”‘’«»„‚()[\]{}<>,.;:!?…–—-]/u;
const SPACE = /\s/u;
const HYPHEN = /[-‐‑]/u;
const APOSTROPHE = /['’]/u;

/** Snap [start, end) to whole words without edge spaces or punctuation; null when empty. */
export function snapToWords(text, start, end) {
  const chars = Array.from(text);
  let [from, to] = ordered(start, end, chars.length);
  while (from < to && EDGE_PUNCTUATION.test(chars[from])) from += 1;
  while (to > from && EDGE_PUNCTUATION.test(chars[to - 1])) to -= 1;
  if (from >= to) return null;
  // An edge that cuts into a word takes in the whole (hyphenated) word it cuts.
  const cut = [];
  if (cuts(chars, from) || hyphenBefore(chars, start, end)) cut.push(wordAround(chars, from - 1));
  if (cuts(chars, to) || hyphenAfter(chars, start, end)) cut.push(wordAround(chars, to));
  for (const word of cut) [from, to] = [Math.min(from, word.start), Math.max(to, word.end)];
  return { start: from, end: to };
}

/** The boundary before chars[i] falls inside a word: a letter or digit on both sides. */
function cuts(chars, i) {
  return i > 0 && i < chars.length && inWord(chars[i - 1]) && inWord(chars[i]);
}

/** A letter, digit or mark of a script that puts spaces between its words. */
function inWord(char) {
  return WORD.test(char) && !UNSPACED.test(char);
}

// A selection that took in a joining hyphen at its edge ("Tae-") asks for the whole compound.
function hyphenAfter(chars, start, end) {
  const to = Math.max(start, end);
  return HYPHEN.test(chars[to - 1] || "") && joinedAt(chars, to - 1);
}

function hyphenBefore(chars, start, end) {
  const from = Math.min(start, end);
  return HYPHEN.test(chars[from] || "") && joinedAt(chars, from);
}

/**
 * The hyphenated word around chars[i] (one of its letters or a joining hyphen), as a span.
 * A hyphen joins "Tae-yul", "Jean-Pierre" and "26-27" but not "US-China" or "one-China",
 * so that each country of a pairing can still be tagged on its own.
 */
export function wordAround(chars, i) {
  let start = i;
  let end = i + 1;
  if (UNSPACED.test(chars[i] || "")) return { start, end };
  for (;;) {
    while (start > 0 && inWord(chars[start - 1])) start -= 1;
    if (start > 1 && HYPHEN.test(chars[start - 1]) && joinedAt(chars, start - 1)) start -= 1;
    else break;
  }
  for (;;) {
    while (end < chars.length && inWord(chars[end])) end += 1;
    if (end < chars.length - 1 && HYPHEN.test(chars[end]) && joinedAt(chars, end)) end += 1;
    else break;
  }
  return { start, end };
}

/** Whether the hyphen at chars[i] joins the words on either side into one. */
function joinedAt(chars, i) {
  const left = runAt(chars, i - 1, -1);
  const right = runAt(chars, i + 1, 1);
  if (!left || !right) return false;
  if (/^[\p{Ll}\p{N}]/u.test(right)) return true;
  return isNameWord(left) && isNameWord(right);
}

/** A capitalised word that is not an acronym: "Jean", "Pierre", but not "US". */
function isNameWord(word) {
  return /^\p{Lu}/u.test(word) && !(word.length > 1 && word === word.toUpperCase());
}

/** The run of word characters at chars[i], reading in direction step (+1 or -1). */
function runAt(chars, i, step) {
  let j = i;
  while (j >= 0 && j < chars.length && WORD.test(chars[j])) j += step;
  const [from, to] = step > 0 ? [i, j] : [j + 1, i + 1];
  return from < to ? chars.slice(from, to).join("") : "";
}

/**
 * The words of a paragraph for the keyboard caret, as code-point spans: hyphenated names are
 * one word, "$81" and "5%" keep their signs, and a possessive "’s" is not a word of its own.
 */
export function wordSpans(text) {
  const chars = Array.from(text);
  const spans = [];
  let i = 0;
  while (i < chars.length) {
    if (!WORD.test(chars[i])) { i += 1; continue; }
    const word = wordAround(chars, i);
    if (!isPossessive(chars, word)) spans.push(withSigns(chars, word));
    i = word.end;
  }
  return spans;
}

function isPossessive(chars, word) {
  const text = chars.slice(word.start, word.end).join("");
  return /^s$/iu.test(text) && APOSTROPHE.test(chars[word.start - 1] || "") && WORD.test(chars[word.start - 2] || "");
}

function withSigns(chars, { start, end }) {
  const before = /[$€£¥]/u.test(chars[start - 1] || "") ? start - 1 : start;
  const after = chars[end] === "%" ? end + 1 : end;
  return { start: before, end: after };
}

/** Character precision: keep the selection, only dropping spaces at its ends. */
export function trimSpaces(text, start, end) {
  const chars = Array.from(text);
  let [from, to] = ordered(start, end, chars.length);
  while (from < to && SPACE.test(chars[from])) from += 1;
  while (to > from && SPACE.test(chars[to - 1])) to -= 1;
  return from < to ? { start: from, end: to } : null;
}

/** The selection as the project wants it: snapped to words unless snap_to_words is off. */
export function adjustSelection(text, start, end, snapToWordsSetting) {
  return snapToWordsSetting === false ? trimSpaces(text, start, end) : snapToWords(text, start, end);
}

function ordered(start, end, length) {
  const from = Math.max(0, Math.min(start, end));
  const to = Math.min(length, Math.max(start, end));
  return [from, to];
}

/** The spans among `spans` that share at least one character with [start, end). */
export function overlapping(spans, start, end, exceptLid = null) {
  return spans.filter((s) => s.lid !== exceptLid && s.start < end && start < s.end);
}

/**
 * Cut [0, length) at every span boundary. Each segment lists the spans covering it, so
 * entities nested in or crossing claims render as flat runs of text.
 */
export function segments(length, spans) {
  const cuts = new Set([0, length]);
  for (const span of spans) {
    cuts.add(Math.max(0, Math.min(length, span.start)));
    cuts.add(Math.max(0, Math.min(length, span.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const result = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [start, end] = [points[i], points[i + 1]];
    if (start === end) continue;
    const covering = spans.filter((s) => s.start <= start && end <= s.end);
    result.push({ start, end, covering });
  }
  return result;
}

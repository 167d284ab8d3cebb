// Pure span logic in code points: snapping a selection to words, overlaps, and cutting a
// paragraph into segments so that claims may cross entities and still render as flat runs.

const WORD = /[\p{L}\p{N}\p{M}]/u;
// Trimmed from both ends of a snapped selection; currency and percent signs stay.
const EDGE_PUNCTUATION = /[\s"'“”‘’«»„‚()[\]{}<>,.;:!?…–—-]/u;
const SPACE = /\s/u;

/** Snap [start, end) to whole words without edge spaces or punctuation; null when empty. */
export function snapToWords(text, start, end) {
  const chars = Array.from(text);
  let [from, to] = ordered(start, end, chars.length);
  while (from < to && EDGE_PUNCTUATION.test(chars[from])) from += 1;
  while (to > from && EDGE_PUNCTUATION.test(chars[to - 1])) to -= 1;
  if (from >= to) return null;
  while (from > 0 && WORD.test(chars[from - 1]) && WORD.test(chars[from])) from -= 1;
  while (to < chars.length && WORD.test(chars[to]) && WORD.test(chars[to - 1])) to += 1;
  return { start: from, end: to };
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

// The keyboard caret: a word (or a whole entity span) of the focused paragraph that the arrows
// move and Shift+arrows extend. Pure functions over code-point spans; workspace.js draws it.

import { wordSpans } from "./spans.js";

/** What the caret steps over: each entity span whole, and the words outside entities. */
export function caretUnits(text, entities) {
  const units = entities.map((e) => ({ start: e.start, end: e.end, lid: e.lid }));
  for (const word of wordSpans(text)) {
    if (!entities.some((e) => e.start < word.end && word.start < e.end)) units.push(word);
  }
  return units.sort((a, b) => a.start - b.start);
}

function indexAt(units, offset) {
  const inside = units.findIndex((u) => u.start <= offset && offset < u.end);
  if (inside >= 0) return inside;
  const after = units.findIndex((u) => u.start >= offset);
  return after >= 0 ? after : units.length - 1;
}

/**
 * The caret after one arrow press. `caret` is {anchor, focus, shown} (offsets of units) or
 * null; a hidden caret (after labelling) resumes from where the last span ended.
 */
export function stepCaret(units, caret, step, extend) {
  if (!units.length) return null;
  let index;
  if (caret?.shown) index = indexAt(units, caret.focus) + step;
  else if (caret && step > 0) index = units.findIndex((u) => u.start >= caret.focus);
  else if (caret) index = units.findLastIndex((u) => u.end <= caret.focus);
  else index = step > 0 ? 0 : units.length - 1;
  if (index < 0) index = step > 0 ? units.length - 1 : 0;
  const focus = units[Math.max(0, Math.min(units.length - 1, index))].start;
  const anchor = extend && caret?.shown ? caret.anchor : focus;
  return { anchor, focus, shown: true };
}

/** The span the caret covers; `lid` when it is exactly one entity span. */
export function caretSpan(units, caret) {
  const [a, b] = [indexAt(units, caret.anchor), indexAt(units, caret.focus)];
  const [from, to] = [Math.min(a, b), Math.max(a, b)];
  return { start: units[from].start, end: units[to].end, lid: from === to ? units[from].lid ?? null : null };
}

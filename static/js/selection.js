// DOM glue between the browser's selection and code-point offsets of a paragraph.

import { codePointToUtf16, utf16ToCodePoint } from "./offsets.js";

/** The selection as {section, start, end} in code points of one paragraph, or null. */
export function currentSelection(paragraphText) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const textEl = closestText(range.startContainer);
  if (!textEl || textEl !== closestText(range.endContainer)) return null;
  const section = textEl.closest(".para");
  const text = paragraphText(section);
  const start = utf16ToCodePoint(text, unitsBefore(textEl, range.startContainer, range.startOffset));
  const end = utf16ToCodePoint(text, unitsBefore(textEl, range.endContainer, range.endOffset));
  return start === end ? null : { section, start, end, rect: range.getBoundingClientRect() };
}

function closestText(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return element?.closest(".para-text") || null;
}

function unitsBefore(textEl, container, offset) {
  const prefix = document.createRange();
  prefix.setStart(textEl, 0);
  prefix.setEnd(container, offset);
  return prefix.toString().length;
}

/** Select code points [start, end) of a paragraph's text, e.g. to show what is replaced. */
export function selectRange(textEl, text, start, end) {
  const from = locate(textEl, codePointToUtf16(text, start));
  const to = locate(textEl, codePointToUtf16(text, end));
  const range = document.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function locate(textEl, units) {
  const walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT);
  let left = units;
  let node = walker.nextNode();
  while (node) {
    if (left <= node.data.length) return { node, offset: left };
    left -= node.data.length;
    node = walker.nextNode();
  }
  return { node: textEl, offset: textEl.childNodes.length };
}

export function clearSelection() {
  window.getSelection()?.removeAllRanges();
}

/**
 * Why a selection cannot be labelled, or null: "crosses" when it leaves its paragraph,
 * "boilerplate" when it starts in a boilerplate paragraph. Selections elsewhere are not ours.
 */
export function selectionProblem() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const start = closestText(range.startContainer);
  const end = closestText(range.endContainer);
  if (!start && !end) return null;
  if (start?.closest(".para")?.classList.contains("boilerplate")) return "boilerplate";
  return start === end ? null : "crosses";
}

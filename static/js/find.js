// `/` finds text in the article: every match highlighted (the CSS Custom Highlight API, so the
// article's DOM and its offsets are never touched), Enter / Shift+Enter go to the next /
// previous match, Esc closes. A match inside folded boilerplate unfolds its block.

import { revealBlockOf } from "./boilerplate.js";

const ALL = "find";
const CURRENT = "find-current";

export class Find {
  constructor({ root, isBusy }) {
    Object.assign(this, { root, isBusy });
    this.bar = root.querySelector(".ws-find");
    this.input = this.bar.querySelector(".ws-find-input");
    this.count = this.bar.querySelector(".ws-find-count");
    this.matches = [];
    this.index = -1;
    this.returnTo = null;
  }

  wire() {
    document.addEventListener("keydown", (event) => this.onDocumentKey(event));
    this.input.addEventListener("input", () => this.search(0));
    this.input.addEventListener("keydown", (event) => this.onInputKey(event));
  }

  onDocumentKey(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || this.isBusy()) return;
    event.preventDefault();
    this.open();
  }

  onInputKey(event) {
    event.stopPropagation(); // the workspace's own keys (Enter labels, Esc clears) stay out
    if (event.key === "Enter") {
      event.preventDefault();
      this.step(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  }

  open() {
    this.returnTo = document.activeElement;
    this.bar.hidden = false;
    this.input.focus();
    this.input.select();
    if (this.input.value) this.search(Math.max(this.index, 0));
  }

  close() {
    this.bar.hidden = true;
    highlights()?.delete(ALL);
    highlights()?.delete(CURRENT);
    this.matches = [];
    this.index = -1;
    const back = this.returnTo;
    if (back && back !== document.body && document.contains(back)) back.focus({ preventScroll: true });
    else document.activeElement?.blur();
  }

  /** Find every match of the input's text; go to match `at` (0 for a new search). */
  search(at) {
    this.matches = findRanges(this.root.querySelectorAll(".ws-doc .para-text"), this.input.value);
    this.index = this.matches.length ? Math.min(at, this.matches.length - 1) : -1;
    highlights()?.set(ALL, new Highlight(...this.matches));
    this.show();
  }

  /** Next (1) or previous (-1) match, wrapping; spans re-drawn since are searched afresh. */
  step(direction) {
    this.search(Math.max(this.index, 0));
    if (!this.matches.length) return;
    if (this.input.value) this.index = (this.index + direction + this.matches.length) % this.matches.length;
    this.show();
  }

  show() {
    const total = this.matches.length;
    this.count.textContent = this.input.value ? (total ? `${this.index + 1} / ${total}` : "no match") : "";
    const current = this.matches[this.index];
    if (!current) return highlights()?.delete(CURRENT);
    highlights()?.set(CURRENT, new Highlight(current));
    const holder = current.startContainer.parentElement;
    revealBlockOf(holder);
    holder.scrollIntoView({ block: "center" });
  }
}

function highlights() {
  return globalThis.CSS?.highlights ?? null;
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** Case-insensitive matches of needle across each element's text nodes, as DOM Ranges. */
export function findRanges(elements, needle) {
  if (!needle) return [];
  const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "giu");
  const ranges = [];
  for (const element of elements) {
    const { text, at } = textNodes(element);
    for (const match of text.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(...at(match.index));
      range.setEnd(...at(match.index + match[0].length));
      ranges.push(range);
    }
  }
  return ranges;
}

/** The element's text and a map from a UTF-16 index in it to (text node, offset). */
function textNodes(element) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push({ node, base: text.length });
    text += node.data;
  }
  const at = (index) => {
    let found = nodes[0];
    for (const entry of nodes) if (entry.base <= index) found = entry;
    return [found.node, index - found.base];
  };
  return { text, at };
}

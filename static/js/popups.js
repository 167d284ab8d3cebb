// Floating panels next to a selection or span: the label picker and the span menu.
// One panel at a time; every text in them is set with textContent.

import { TARGET_SENTIMENT_KEYS } from "./keymap.js";
import { el } from "./render.js";

let open = null;

export function closePopup() {
  open?.node.remove();
  open = null;
}

export function currentPopup() {
  return open;
}

/** Make node the open panel (closing any other), so Esc and clicks elsewhere close it. */
export function registerPopup(kind, node, extra = {}) {
  if (open && open.node !== node) open.node.remove();
  open = { kind, node, ...extra };
  return open;
}

/**
 * Put a panel next to the selected line without covering it: above the selection when there is
 * room between it and the sticky toolbar, else below it. `rect` is in viewport coordinates.
 */
export function placePopup(node, rect) {
  document.body.append(node);
  const scroll = { x: window.scrollX, y: window.scrollY }; // rect is the view's at this scroll
  const place = () => {
    const height = node.getBoundingClientRect().height;
    const ceiling = document.querySelector(".ws-toolbar")?.getBoundingClientRect().bottom ?? 0;
    const above = rect ? rect.top - height - 6 : -1;
    const top = rect ? (above >= Math.max(0, ceiling) + 4 ? above : rect.bottom + 6) : 120;
    const width = node.getBoundingClientRect().width;
    const left = Math.max(8, Math.min(rect ? rect.left : 120, window.innerWidth - width - 8));
    node.style.setProperty("top", `${scroll.y + top}px`);
    node.style.setProperty("left", `${scroll.x + left}px`);
  };
  place();
  // A panel that grows (the claim form's claimant choices) is placed again: placed once,
  // it grew down over the line it was opened for.
  if (typeof ResizeObserver === "function") {
    let last = node.getBoundingClientRect().height;
    const observer = new ResizeObserver(() => {
      if (!node.isConnected) return observer.disconnect();
      const height = node.getBoundingClientRect().height;
      if (height !== last) { last = height; place(); }
    });
    observer.observe(node);
  }
}

function labelButton(label, onPick, current = null) {
  const button = el("button", "label-choice");
  button.type = "button";
  button.dataset.label = label.name;
  button.style.setProperty("--ent-colour", label.color);
  if (label.key) button.append(el("kbd", "", label.key), document.createTextNode(" "));
  button.append(el("span", "swatch"), document.createTextNode(label.name));
  if (current === label.name) button.setAttribute("aria-current", "true");
  button.addEventListener("click", () => onPick(label.name));
  return button;
}

/** Labels for a new entity span; keys pick too (the workspace routes them to `pick`). */
export function showPicker({ labels, rect, replacing, onPick }) {
  closePopup();
  const node = el("div", "popup picker");
  node.setAttribute("role", "dialog");
  node.setAttribute("aria-label", "Choose a label");
  if (replacing.length) {
    const names = replacing.map((r) => `${r.label} “${r.text}”`).join(", ");
    node.append(el("p", "replacing", `Replaces ${names}`));
  }
  const list = el("div", "choices");
  for (const label of labels) list.append(labelButton(label, onPick));
  node.append(list, el("p", "hint", "Press a key or click a label · Esc cancels"));
  placePopup(node, rect);
  open = { kind: "picker", node, pick: onPick, labels };
  return open;
}

/** What a click on an entity offers: change label, delete, sentiment towards it. */
export function showSpanMenu({ ann, text, labels, sentiments, currentSentiment, rect, actions, comments = [] }) {
  closePopup();
  const node = el("div", "popup span-menu");
  node.setAttribute("role", "dialog");
  node.setAttribute("aria-label", `${ann.label} span`);
  node.append(el("p", "span-title", `${ann.label}: “${text}”`));
  if (comments.length) {
    const list = el("ul", "span-comments");
    for (const c of comments) list.append(el("li", "span-comment", `Reviewer ${c.author}: ${c.body}`));
    node.append(list);
  }
  const list = el("div", "choices");
  for (const label of labels) list.append(labelButton(label, actions.relabel, ann.label));
  node.append(list);
  const towards = el("div", "towards");
  towards.append(el("span", "hint", "Sentiment towards it: "));
  for (const [i, value] of [...sentiments, null].entries()) {
    const button = el("button", `towards-choice sentiment-${value ?? "none"}`);
    button.type = "button";
    if (value && TARGET_SENTIMENT_KEYS[i]) button.append(el("kbd", "", `⇧${TARGET_SENTIMENT_KEYS[i]}`), document.createTextNode(" "));
    button.append(document.createTextNode(value ?? "none"));
    button.setAttribute("aria-pressed", String(currentSentiment === value));
    button.addEventListener("click", () => actions.sentiment(value));
    towards.append(button);
  }
  const remove = el("button", "danger delete-span", "Delete");
  remove.type = "button";
  remove.append(document.createTextNode(" "), el("kbd", "", "Del"));
  remove.addEventListener("click", actions.remove);
  node.append(towards, remove);
  placePopup(node, rect);
  open = { kind: "span", node, pick: actions.relabel, labels, lid: ann.lid };
  return open;
}

export function showHelp(rows) {
  closePopup();
  const node = el("div", "popup help-overlay");
  node.setAttribute("role", "dialog");
  node.setAttribute("aria-label", "Keyboard shortcuts");
  node.append(el("h2", "", "Keyboard shortcuts"));
  const table = el("table", "shortcuts");
  for (const [keys, what] of rows) {
    const row = el("tr");
    const cell = el("td");
    keys.split(" / ").forEach((key, i) => {
      if (i) cell.append(document.createTextNode(" / "));
      cell.append(el("kbd", "", key));
    });
    row.append(cell, el("td", "", what));
    table.append(row);
  }
  node.append(table, el("p", "hint", "Esc closes"));
  document.body.append(node);
  open = { kind: "help", node };
  return open;
}

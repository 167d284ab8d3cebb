// Keyboard shortcuts: one table drives both the handler and the `?` overlay.

import { currentPopup } from "./popups.js";
import { pickClaimType } from "./claimform.js";

export const SHORTCUTS = [
  ["select text", "open the label picker (mouse, or Shift+→ / Shift+← word by word)"],
  ["1 … 9 / 0", "with the picker open: the entity label with that key"],
  ["c", "switch between entity and claim mode"],
  ["j / ↓", "next paragraph"],
  ["k / ↑", "previous paragraph"],
  ["1 … 4", "sentiment of the focused paragraph (negative, neutral, positive, mixed)"],
  ["Shift+→ / Shift+←", "select the next word / one word less in the focused paragraph"],
  ["Enter", "label the keyboard selection"],
  ["Del / Backspace", "delete the selected span"],
  ["Ctrl+Z", "undo"],
  ["Ctrl+Shift+Z / Ctrl+Y", "redo"],
  ["D", "mark the article done and open the next one"],
  ["b", "propose the focused paragraph as boilerplate (on a boilerplate one: as content)"],
  ["Esc", "close a menu, clear the selection"],
  ["?", "show or hide this list"],
];

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** Route a keydown to the workspace's actions; returns true when it was handled. */
export function handleKey(event, actions) {
  const popup = currentPopup();
  const key = event.key;
  if (key === "Escape") return actions.escape();
  if (popup && handlePopupKey(event, popup, actions)) return true;
  if (typing(event.target)) return false;
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl && (key === "z" || key === "Z")) return event.shiftKey ? actions.redo() : actions.undo();
  if (ctrl && key === "y") return actions.redo();
  if (ctrl || event.altKey) return false;
  if (key === "?") return actions.help();
  if (key === "c") return actions.toggleMode();
  if (key === "j" || key === "ArrowDown") return actions.move(1);
  if (key === "k" || key === "ArrowUp") return actions.move(-1);
  if (event.shiftKey && key === "ArrowRight") return actions.extend(1);
  if (event.shiftKey && key === "ArrowLeft") return actions.extend(-1);
  if (key === "Enter") return actions.labelSelection();
  if (key === "D") return actions.done();
  if (key === "b") return actions.propose();
  if (key === "Delete" || key === "Backspace") return actions.deleteSelected();
  if (/^[0-9]$/.test(key)) return actions.sentiment(Number(key) - 1);
  return false;
}

function handlePopupKey(event, popup, actions) {
  if (popup.kind === "help") return event.key === "?" ? actions.escape() : true;
  if (popup.kind === "claim") {
    if (typing(event.target) && event.target.type === "text") return false;
    if (/^[1-9]$/.test(event.key)) {
      pickClaimType(popup.form, Number(event.key) - 1);
      return true;
    }
    return false;
  }
  const label = popup.labels.find((l) => l.key && l.key === event.key);
  if (label) {
    popup.pick(label.name);
    return true;
  }
  if (popup.kind === "span" && (event.key === "Delete" || event.key === "Backspace")) {
    return actions.deleteSelected();
  }
  return false;
}

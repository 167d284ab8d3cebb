// Keyboard shortcuts: one table drives both the handler and the `?` overlay. Every key has one
// meaning: label keys label (or arm the sticky label), q w e r t set sentiment, and so on.

import { currentPopup } from "./popups.js";
import { SENTIMENT_KEYS, TARGET_SENTIMENT_KEYS } from "./keymap.js";

const SENTIMENT_RANGE = `${SENTIMENT_KEYS[0]} … ${SENTIMENT_KEYS.at(-1)}`;
const TARGET_RANGE = `Shift+${TARGET_SENTIMENT_KEYS[0]} … Shift+${TARGET_SENTIMENT_KEYS.at(-1)}`;

export const SHORTCUTS = [
  ["select text", "label it: the sticky label at once, else the label picker"],
  ["label key (1 … 9 / 0)", "label the selection; with nothing selected, arm it as the sticky label (again: disarm)"],
  ["→ / ←", "move the word caret in the focused paragraph (an entity span is one step)"],
  ["Shift+→ / Shift+←", "extend the selection from the caret, word by word"],
  ["Enter", "label the keyboard selection (sticky label or picker); on a span: its menu"],
  [SENTIMENT_RANGE, "sentiment of the focused paragraph, in the order of its buttons (again: clear)"],
  [TARGET_RANGE, "sentiment towards the focused entity span (again: clear)"],
  ["c", "switch between entity and claim mode"],
  ["1 … 9", "in the claim form: the claim type, which saves the claim"],
  ["click a span", "in the claim form: make that entity the claimant"],
  ["type a name", "in the claim form: the article's entities that match; ↓ ↑ and Enter pick one"],
  ["j / ↓", "next paragraph"],
  ["k / ↑", "previous paragraph"],
  ["Del / Backspace", "delete the focused span"],
  ["Ctrl+Z", "undo"],
  ["Ctrl+Shift+Z / Ctrl+Y", "redo"],
  ["D", "mark the article done and open the next one"],
  ["b", "propose the focused paragraph as boilerplate (on a boilerplate one: as content)"],
  ["Esc", "close a menu, clear the selection, disarm the sticky label"],
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
  if (popup?.kind === "claim") return claimFormKey(event, popup);
  if (popup && handlePopupKey(event, popup, actions)) return true;
  if (typing(event.target)) return false;
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl && (key === "z" || key === "Z")) return event.shiftKey ? actions.redo() : actions.undo();
  if (ctrl && key === "y") return actions.redo();
  if (ctrl || event.altKey) return false;
  return commandKey(event, actions) || actions.labelKey(key);
}

function commandKey(event, actions) {
  const key = event.key;
  if (key === "?") return actions.help();
  if (key === "c") return actions.toggleMode();
  if (key === "j" || key === "ArrowDown") return actions.move(1);
  if (key === "k" || key === "ArrowUp") return actions.move(-1);
  if (key === "ArrowRight") return actions.caret(1, event.shiftKey);
  if (key === "ArrowLeft") return actions.caret(-1, event.shiftKey);
  if (key === "Enter") return actions.labelSelection();
  if (key === "D") return actions.done();
  if (key === "b") return actions.propose();
  if (key === "Delete" || key === "Backspace") return actions.deleteSelected();
  if (SENTIMENT_KEYS.includes(key)) return actions.sentiment(SENTIMENT_KEYS.indexOf(key));
  if (TARGET_SENTIMENT_KEYS.includes(key)) return actions.targetSentiment(TARGET_SENTIMENT_KEYS.indexOf(key));
  return false;
}

function handlePopupKey(event, popup, actions) {
  if (popup.kind === "help") return event.key === "?" ? actions.escape() : true;
  const label = popup.labels.find((l) => l.key && l.key === event.key);
  if (label) {
    popup.pick(label.name);
    return true;
  }
  if (popup.kind === "span" && (event.key === "Delete" || event.key === "Backspace")) {
    return actions.deleteSelected();
  }
  if (popup.kind === "span" && TARGET_SENTIMENT_KEYS.includes(event.key)) {
    return actions.targetSentiment(TARGET_SENTIMENT_KEYS.indexOf(event.key));
  }
  return false;
}

/**
 * While the claim form is open no other command runs: a digit picks the claim type and saves,
 * a letter starts typing the claimant, Enter saves, and the rest is the form's own.
 */
function claimFormKey(event, popup) {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  if (typing(event.target) && event.target.type === "text") return false;
  if (/^[1-9]$/.test(event.key)) {
    popup.pickType(Number(event.key) - 1);
    return true;
  }
  if (/^\p{L}$/u.test(event.key)) {
    popup.typeClaimant(event.key);
    return true;
  }
  if (event.key === "Enter" && event.target.tagName !== "BUTTON") {
    popup.form.requestSubmit();
    return true;
  }
  return false;
}

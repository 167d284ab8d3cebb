// The review page's forms: edit or add a gold decision (label, offsets by selection, claim
// attributes) and comment on an annotator's annotation. Every text is set with textContent.

import { closePopup, registerPopup } from "./popups.js";
import { el } from "./render.js";

function select(name, label, values, current, blank = null) {
  const wrap = el("label", `rv-field rv-${name}`);
  wrap.append(el("span", "", label));
  const input = el("select");
  input.name = name;
  if (blank !== null) input.append(new Option(blank, ""));
  for (const value of values) {
    const option = new Option(String(value).replace("_", " "), value);
    option.selected = value === current;
    input.append(option);
  }
  wrap.append(input);
  return wrap;
}

function placed(node, anchor) {
  document.body.append(node);
  const rect = anchor?.getBoundingClientRect();
  node.style.setProperty("top", `${window.scrollY + (rect ? rect.bottom + 6 : 120)}px`);
  node.style.setProperty("left", `${Math.max(8, window.scrollX + (rect ? rect.left : 120))}px`);
}

function labelsFor(schema, layer) {
  if (layer === "entity") return schema.entities.map((e) => e.name);
  if (layer === "claim") return schema.claims.types;
  return schema.sentiment;
}

/** Edit (or, with `adding`, create) a decision. `span` is {start, end, quote} for spans;
 *  `useSelection` returns the current selection's span in the same paragraph, or null. */
export function showDecisionForm({ schema, initial, span, adding, anchor, useSelection, onSave }) {
  closePopup();
  const form = el("form", "popup rv-form");
  form.setAttribute("aria-label", adding ? "Add to gold" : "Edit gold");
  form.append(el("h2", "", adding ? "Add to gold" : "Edit the gold version"));
  let layer = initial.layer;
  const fields = el("div", "rv-fields");
  const quote = el("p", "rv-quote");
  let current = span ? { ...span } : null;
  const showQuote = () => { quote.textContent = current ? `“${current.quote}”` : ""; };
  showQuote();
  const fill = () => {
    fields.replaceChildren(select("label", layer === "claim" ? "Claim type" : "Label", labelsFor(schema, layer), initial.label));
    if (layer !== "claim") return;
    const a = initial.attributes || {};
    fields.append(select("attribution", "Attribution", schema.claims.attributions, a.attribution ?? "", "none"));
    const claimant = el("label", "rv-field");
    claimant.append(el("span", "", "Claimant"));
    const typed = el("input");
    Object.assign(typed, { type: "text", name: "claimant", value: a.claimant?.text || "" });
    claimant.append(typed);
    fields.append(claimant, select("checkworthy", "Check-worthy", schema.claims.checkworthy, a.checkworthy ?? "", "not said"));
  };
  if (adding) {
    const kind = select("layer", "Layer", ["entity", "claim"], layer);
    kind.querySelector("select").addEventListener("change", (event) => { layer = event.target.value; fill(); });
    form.append(kind);
  }
  fill();
  form.append(quote, fields);
  const buttons = el("div", "rv-buttons");
  if (span && useSelection) {
    const reuse = el("button", "rv-use-selection", "Use selected text as the span");
    reuse.type = "button";
    reuse.addEventListener("click", () => {
      const picked = useSelection();
      if (picked) { current = picked; showQuote(); }
    });
    buttons.append(reuse);
  }
  const save = el("button", "primary", "Save");
  save.type = "submit";
  buttons.append(save, el("span", "hint", "Enter saves · Esc cancels"));
  form.append(buttons);
  form.addEventListener("keydown", (event) => {
    // Enter saves from any field, selects included (browsers submit only from inputs).
    if (event.key === "Enter" && event.target.tagName !== "BUTTON") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const decision = { layer, label: data.get("label"), attributes: {} };
    if (current) Object.assign(decision, { start: current.start, end: current.end });
    if (layer === "claim") {
      const text = String(data.get("claimant") || "").trim();
      decision.attributes = {
        attribution: data.get("attribution") || null,
        claimant: text ? { entity_id: null, text } : null,
        checkworthy: data.get("checkworthy") || null,
      };
    }
    closePopup();
    onSave(decision);
  });
  placed(form, anchor);
  registerPopup("form", form);
  form.querySelector("select")?.focus();
  return form;
}

/** A comment on one annotator's version, as plain text. */
export function showCommentForm({ who, anchor, onSave }) {
  closePopup();
  const form = el("form", "popup rv-form rv-comment-form");
  form.setAttribute("aria-label", "Comment");
  form.append(el("h2", "", `Comment for ${who}`));
  const text = el("textarea");
  Object.assign(text, { name: "body", rows: 3, maxLength: 2000 });
  text.setAttribute("aria-label", "Comment");
  const save = el("button", "primary", "Comment");
  save.type = "submit";
  form.append(text, save, el("span", "hint", "Ctrl+Enter sends · Esc cancels"));
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = text.value.trim();
    closePopup();
    if (body) onSave(body);
  });
  placed(form, anchor);
  registerPopup("form", form);
  text.focus();
  return form;
}

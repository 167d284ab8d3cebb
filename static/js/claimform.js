// The claim form: claim type, attribution, claimant and check-worthiness, for new claims and
// to edit or delete existing ones. The claimant is an entity of this article (click its span,
// or type a few letters and pick it from the article's distinct entities) or free text.

import { closePopup, placePopup, registerPopup } from "./popups.js";
import { el } from "./render.js";

const SHOWN_CHOICES = 8;

function choiceGroup(name, legend, values, current, withKeys = false) {
  const set = el("fieldset", `claim-${name}`);
  set.append(el("legend", "", legend));
  values.forEach((value, i) => {
    const label = el("label", "radio");
    const input = el("input");
    Object.assign(input, { type: "radio", name, value, checked: current === value });
    label.append(input);
    if (withKeys) label.append(el("kbd", "", String(i + 1)), document.createTextNode(" "));
    label.append(document.createTextNode(value.replace("_", " ")));
    set.append(label);
  });
  return set;
}

/** "Foreign Ministry · ORG · ¶8": who, what, and where in the article. */
function describe(choice) {
  return `${choice.text} · ${choice.label} · ¶${choice.paragraph}`;
}

/** Type-ahead over the article's distinct entities; `chosen` holds the pick, if any. */
class ClaimantField {
  constructor(choices, current) {
    this.choices = choices;
    this.chosen = current?.lid ? choices.find((c) => c.lid === current.lid) || { lid: current.lid, text: current.text } : null;
    this.node = el("fieldset", "claim-claimant");
    this.node.append(el("legend", "", "Claimant"));
    this.shown = el("p", "claimant-chosen");
    this.input = el("input");
    Object.assign(this.input, { type: "text", name: "claimant_text", placeholder: "click an entity, or type a name", autocomplete: "off" });
    this.input.setAttribute("aria-label", "Claimant");
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-expanded", "false");
    if (current && !current.lid) this.input.value = current.text || "";
    this.list = el("ul", "claimant-options");
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "Entities of this article");
    this.active = 0;
    this.node.append(this.shown, this.input, this.list);
    this.input.addEventListener("input", () => { this.chosen = null; this.active = 0; this.refresh(); });
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.refresh();
  }

  matches() {
    const typed = this.input.value.trim().toLocaleLowerCase();
    if (!typed || this.chosen) return [];
    const rank = (choice) => {
      const text = choice.text.toLocaleLowerCase();
      if (text === typed) return 0;
      return text.startsWith(typed) ? 1 : 2;
    };
    // The choices come nearest first; a stable sort keeps that order within a rank.
    const hits = this.choices.filter((c) => c.text.toLocaleLowerCase().includes(typed));
    return hits.sort((a, b) => rank(a) - rank(b)).slice(0, SHOWN_CHOICES);
  }

  refresh() {
    this.shown.textContent = this.chosen ? `Claimant: ${this.chosen.label ? describe(this.chosen) : this.chosen.text}` : "";
    this.shown.hidden = !this.chosen;
    const options = this.matches();
    this.list.replaceChildren(...options.map((choice, i) => this.option(choice, i === this.active)));
    this.input.setAttribute("aria-expanded", String(options.length > 0));
  }

  option(choice, active) {
    const item = el("li", "claimant-option", describe(choice));
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", String(active));
    item.addEventListener("mousedown", (event) => event.preventDefault()); // keep the input focused
    item.addEventListener("click", () => this.choose(choice));
    return item;
  }

  key(event) {
    const options = this.matches();
    if (!options.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
      this.refresh();
    } else if (event.key === "Enter") {
      this.choose(options[this.active]);
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  /** A pick, from the list or a click on an entity span; the type keys work again after it. */
  choose(choice) {
    this.chosen = choice;
    this.input.value = "";
    this.refresh();
    this.node.closest("form")?.focus({ preventScroll: true });
  }

  /** A letter typed anywhere in the form starts the type-ahead: no click into the field. */
  type(letter) {
    this.input.focus({ preventScroll: true });
    this.input.value += letter;
    this.chosen = null;
    this.active = 0;
    this.refresh();
  }

  value() {
    if (this.chosen) return { lid: this.chosen.lid, text: this.chosen.text };
    const typed = this.input.value.trim();
    return typed ? { lid: null, text: typed } : null;
  }
}

function readForm(form, claimant) {
  const value = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? null;
  return {
    label: value("claim_type"),
    attributes: { attribution: value("attribution"), claimant: claimant.value(), checkworthy: value("checkworthy") },
  };
}

/**
 * Show the form; onSave gets {label, attributes} once a claim type is chosen. `entities` are
 * the claimant choices: {lid, text, label, paragraph}, one per distinct entity.
 */
export function showClaimForm({ schema, entities, initial, quote, rect, onSave, onDelete }) {
  closePopup();
  const form = el("form", "popup claim-form");
  form.setAttribute("aria-label", "Claim");
  form.tabIndex = -1;
  const attrs = initial?.attributes || {};
  const claimant = new ClaimantField(entities, attrs.claimant);
  form.append(
    el("p", "span-title", `Claim: “${quote}”`),
    choiceGroup("attribution", "Attribution", schema.claims.attributions, attrs.attribution),
    claimant.node,
    choiceGroup("checkworthy", "Check-worthy", schema.claims.checkworthy, attrs.checkworthy),
    choiceGroup("claim_type", "Claim type (its key saves)", schema.claims.types, initial?.label, true),
  );
  const error = el("p", "error");
  const save = el("button", "primary", initial ? "Save claim" : "Add claim");
  save.type = "submit";
  form.append(error, save);
  if (onDelete) {
    const remove = el("button", "danger delete-span", "Delete claim");
    remove.type = "button";
    remove.addEventListener("click", onDelete);
    form.append(remove);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const claim = readForm(form, claimant);
    if (!claim.label) error.textContent = "Choose a claim type (its key saves the claim).";
    else onSave(claim);
  });
  placePopup(form, rect);
  registerPopup("claim", form, {
    form,
    pickType: (index) => pickClaimType(form, index),
    setClaimant: (choice) => claimant.choose(choice),
    typeClaimant: (letter) => claimant.type(letter),
  });
  form.focus({ preventScroll: true });
  return form;
}

/** A claim type key: check that type and save the claim. */
export function pickClaimType(form, index) {
  const radios = form.querySelectorAll('input[name="claim_type"]');
  if (!radios[index]) return;
  radios[index].checked = true;
  form.requestSubmit();
}

export { closePopup };

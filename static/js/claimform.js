// The claim form: claim type, attribution, claimant (an entity of this article or free
// text) and check-worthiness. Used for new claims and to edit or delete existing ones.

import { closePopup, registerPopup } from "./popups.js";
import { el } from "./render.js";

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

function claimantPicker(entities, current) {
  const set = el("fieldset", "claim-claimant");
  set.append(el("legend", "", "Claimant"));
  const select = el("select");
  select.name = "claimant_entity";
  select.setAttribute("aria-label", "Claimant entity");
  select.append(new Option("— typed below, or none —", ""));
  for (const entity of entities) {
    const option = new Option(`${entity.text} (${entity.label})`, entity.lid);
    option.selected = current?.lid === entity.lid;
    select.append(option);
  }
  const typed = el("input");
  Object.assign(typed, { type: "text", name: "claimant_text", placeholder: "or type who makes it" });
  typed.setAttribute("aria-label", "Claimant text");
  if (current && !current.lid) typed.value = current.text || "";
  set.append(select, typed);
  return set;
}

function readForm(form, entities) {
  const value = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? null;
  const lid = form.elements.claimant_entity.value || null;
  const typed = form.elements.claimant_text.value.trim();
  const entity = entities.find((e) => e.lid === lid);
  let claimant = null;
  if (entity) claimant = { lid, text: entity.text };
  else if (typed) claimant = { lid: null, text: typed };
  return {
    label: value("claim_type"),
    attributes: { attribution: value("attribution"), claimant, checkworthy: value("checkworthy") },
  };
}

/** Show the form; onSave gets {label, attributes} once a claim type is chosen. */
export function showClaimForm({ schema, entities, initial, quote, rect, onSave, onDelete }) {
  closePopup();
  const form = el("form", "popup claim-form");
  form.setAttribute("aria-label", "Claim");
  const attrs = initial?.attributes || {};
  form.append(
    el("p", "span-title", `Claim: “${quote}”`),
    choiceGroup("claim_type", "Claim type", schema.claims.types, initial?.label, true),
    choiceGroup("attribution", "Attribution", schema.claims.attributions, attrs.attribution),
    claimantPicker(entities, attrs.claimant),
    choiceGroup("checkworthy", "Check-worthy", schema.claims.checkworthy, attrs.checkworthy),
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
    const claim = readForm(form, entities);
    if (!claim.label) error.textContent = "Choose a claim type.";
    else onSave(claim);
  });
  document.body.append(form);
  const top = window.scrollY + (rect ? rect.bottom + 6 : 120);
  form.style.setProperty("top", `${top}px`);
  form.style.setProperty("left", `${Math.max(8, Math.min(rect?.left ?? 120, window.innerWidth - 380))}px`);
  registerPopup("claim", form, { form });
  form.querySelector("input")?.focus();
  return form;
}

export function pickClaimType(form, index) {
  const radios = form.querySelectorAll('input[name="claim_type"]');
  if (radios[index]) radios[index].checked = true;
}

export { closePopup };

// Builds a paragraph's annotated text from segments with DOM nodes and textContent only:
// article text, labels and claimant names are untrusted. Label names are shown through CSS
// ::after content (attr()), so they are visible yet never part of the text offsets count.

import { segments } from "./spans.js";
import { inkFor } from "./colours.js";
import { sliceCodePoints } from "./offsets.js";

export function el(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

/** Render text with its entity and claim spans into the paragraph's .para-text element. */
export function renderText(target, text, spans, ctx) {
  target.replaceChildren();
  const length = Array.from(text).length;
  for (const part of segments(length, spans)) {
    const content = document.createTextNode(sliceCodePoints(text, part.start, part.end));
    target.append(wrap(content, part, ctx));
  }
}

function wrap(content, part, ctx) {
  const entity = part.covering.find((s) => s.layer === "entity");
  const claims = part.covering.filter((s) => s.layer === "claim");
  // A suggestion (suggestions.js draws it) shows only where the user has no entity.
  const ghost = !entity && ctx.ghostSpan && part.covering.find((s) => s.layer === "ghost");
  let node = content;
  if (entity) node = entitySpan(node, entity, part, ctx);
  else if (ghost) node = ctx.ghostSpan(node, ghost, part);
  if (claims.length) node = claimSpan(node, claims, part, ctx);
  return node;
}

function entitySpan(inner, entity, part, ctx) {
  const span = el("span", "ent");
  span.dataset.lid = entity.lid;
  span.dataset.labelName = entity.label;
  span.title = `${entity.label} (click to change)`;
  const colour = ctx.colours.get(entity.label);
  if (colour) {
    span.style.setProperty("--ent-colour", colour);
    span.style.setProperty("--ent-ink", inkFor(colour)); // the label chip's text, AA on the colour
  }
  if (part.start === entity.start) span.classList.add("ent-start");
  if (part.end === entity.end) span.classList.add("ent-end");
  if (ctx.selectedLid === entity.lid) span.classList.add("selected");
  noteComments(span, [entity], ctx);
  span.append(inner);
  return span;
}

function claimSpan(inner, claims, part, ctx) {
  const span = el("span", "claim");
  span.dataset.claims = claims.map((c) => c.lid).join(" ");
  if (claims.length > 1) span.classList.add("claim-nested");
  const ending = claims.find((c) => c.end === part.end);
  if (ending) {
    span.classList.add("claim-end");
    span.dataset.claimLabel = claimCaption(ending);
  }
  if (claims.some((c) => c.lid === ctx.selectedLid)) span.classList.add("selected");
  span.title = claims.map(claimCaption).join("; ");
  noteComments(span, claims, ctx);
  span.append(inner);
  return span;
}

/** A reviewer commented on one of these annotations: mark the span, say it in its title. */
function noteComments(span, anns, ctx) {
  const notes = anns.flatMap((a) => ctx.comments?.get(a.lid) || []);
  if (!notes.length) return;
  span.classList.add("has-comment");
  span.title = [span.title, ...notes.map((c) => `Reviewer ${c.author}: ${c.body}`)].filter(Boolean).join("\n");
}

/** The paragraph sentiment buttons, with their keys, as a radio-like group; a suggested
 *  value ({label, title}) is outlined until the user picks a sentiment. */
export function renderSentiment(tools, values, current, onPick, suggested = null) {
  tools.replaceChildren();
  const group = el("div", "sentiment");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "Paragraph sentiment");
  group.append(el("span", "sentiment-title", "Sentiment:"));
  values.forEach((value, i) => {
    const button = el("button", `sentiment-choice sentiment-${value}`);
    button.type = "button";
    button.dataset.value = value;
    button.setAttribute("aria-pressed", String(current === value));
    button.append(el("kbd", "", String(i + 1)), document.createTextNode(` ${value}`));
    if (suggested?.label === value) {
      button.classList.add("suggested");
      button.title = suggested.title;
    }
    button.addEventListener("click", () => onPick(current === value ? null : value));
    group.append(button);
  });
  tools.append(group);
}

/** Entity-targeted sentiments of a paragraph, listed under it so they are visible. */
export function renderTargets(tools, items) {
  tools.querySelector(".targets")?.remove();
  if (!items.length) return;
  const list = el("ul", "targets");
  for (const { name, label } of items) list.append(el("li", `target sentiment-${label}`, `${name}: ${label}`));
  tools.append(list);
}

/** "claim: prediction · Foreign Ministry": the type, and who makes the claim when known. */
function claimCaption(claim) {
  const claimant = claim.attributes?.claimant?.text;
  return claimant ? `claim: ${claim.label} · ${claimant}` : `claim: ${claim.label}`;
}

// Suggestions as "ghost" spans: dashed, focusable, never counted as annotations until
// accepted. Accepting makes an ordinary create (with the suggestion's id) in the save queue,
// so it survives going offline and undo removes it like any other span. Rejecting tells the
// server at once; it only hides the suggestion for this user.

import { getJson, transport } from "./api.js";
import { closePopup, currentPopup, registerPopup } from "./popups.js";
import { el } from "./render.js";
import { overlapping } from "./spans.js";
import { newLid } from "./store.js";

export const SUGGESTION_SHORTCUTS = [
  ["Tab", "move to the next suggestion (dashed)"],
  ["Enter / a", "accept the focused suggestion"],
  ["x", "reject the focused suggestion"],
  ["Shift+A", "accept every suggestion of the focused paragraph"],
];

/** The suggestions to draw in a paragraph: those not overlapping the user's own entities. */
export function visibleGhosts(suggestions, entities) {
  return suggestions.filter((s) => s.layer === "entity" && !overlapping(entities, s.start, s.end).length);
}

/** Where a suggestion came from, in words: "propagation", "pattern", "model ner (v3)"… */
export function describeSource(s) {
  const [kind, name] = s.source.split(/:(.*)/s);
  const named = name ? `${kind} ${name}` : kind;
  const version = s.model_version ? ` (${s.model_version})` : "";
  const score = typeof s.score === "number" ? `, score ${s.score.toFixed(2)}` : "";
  return `${named}${version}${score}`;
}

function signatures(suggestions) {
  const ids = new Map();
  for (const s of suggestions) ids.set(s.paragraph_id, `${ids.get(s.paragraph_id) || ""} ${s.id}`);
  return ids;
}

export class Suggestions {
  constructor({ articleId, root, editor, view, message }) {
    Object.assign(this, { articleId, root, editor, view, message });
    this.byId = new Map();
    this.loading = null;
  }

  /** (Re)load the user's open suggestions; propagation is recomputed by the server. */
  async load() {
    const data = await getJson(`/api/v1/articles/${this.articleId}/suggestions`);
    const before = signatures(this.byId.values());
    this.byId = new Map(data.suggestions.map((s) => [s.id, s]));
    const after = signatures(this.byId.values());
    // Only paragraphs whose suggestions changed are drawn again: a selection elsewhere survives.
    const touched = [...new Set([...before.keys(), ...after.keys()])].filter((id) => before.get(id) !== after.get(id));
    if (touched.length) this.view.renderParagraphs(touched);
    document.body.dataset.suggestions = String(this.byId.size);
  }

  /** Reload soon, once: several saves in a row ask for one request. */
  refresh() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load().catch(() => {}), 150);
  }

  inParagraph(paragraphId) {
    return [...this.byId.values()].filter((s) => s.paragraph_id === paragraphId);
  }

  /** Ghost spans for the paragraph renderer. */
  spansFor(paragraphId) {
    const entities = this.editor.store.inParagraph(paragraphId, "entity");
    return visibleGhosts(this.inParagraph(paragraphId), entities).map((s) => ({ ...s, layer: "ghost", lid: `g${s.id}` }));
  }

  sentimentFor(paragraphId) {
    if (this.editor.store.sentiments.has(paragraphId)) return null;
    return this.inParagraph(paragraphId).find((s) => s.layer === "sentiment") || null;
  }

  /** The suggested sentiment for the paragraph's buttons: {label, title}, or null. */
  sentimentHint(paragraphId) {
    const s = this.sentimentFor(paragraphId);
    return s && { label: s.label, title: `Suggested by ${describeSource(s)}: click, or Shift+A, to accept` };
  }

  /** The element for one ghost segment: the span's first segment is the one Tab reaches. */
  ghostSpan(inner, ghost, part, colours) {
    const span = el("span", "ghost");
    span.dataset.suggestionId = String(ghost.id);
    span.dataset.labelName = ghost.label;
    span.dataset.source = ghost.source;
    span.tabIndex = part.start === ghost.start ? 0 : -1;
    span.setAttribute("role", "button");
    const what = `Suggested ${ghost.label} from ${describeSource(ghost)}`;
    span.title = `${what}: Enter or a accepts, x rejects`;
    span.setAttribute("aria-label", `${what}: ${ghost.text}`);
    const colour = colours.get(ghost.label);
    if (colour) span.style.setProperty("--ent-colour", colour);
    if (part.start === ghost.start) span.classList.add("ent-start");
    if (part.end === ghost.end) span.classList.add("ent-end");
    span.append(inner);
    return span;
  }

  // --- deciding ---------------------------------------------------------------------------

  accept(id) {
    const s = this.byId.get(id);
    if (!s) return false;
    this.byId.delete(id);
    if (s.layer === "sentiment") {
      this.editor.run({ kind: "sentiment", paragraphId: s.paragraph_id, before: null, after: s.label, suggestion: { id: s.id, label: s.label } });
    } else {
      this.editor.run({ kind: "create", after: this.annotationOf(s) });
    }
    return true;
  }

  annotationOf(s) {
    return { lid: newLid(), paragraph_id: s.paragraph_id, layer: "entity", start: s.start, end: s.end, label: s.label, attributes: {}, version: 0, suggestion_id: s.id };
  }

  async reject(id) {
    const s = this.byId.get(id);
    if (!s) return false;
    this.byId.delete(id);
    this.view.renderParagraphs([s.paragraph_id]);
    const result = await transport({ method: "POST", url: `/api/v1/suggestions/${id}/reject`, body: {} }).catch(() => null);
    if (!result || result.status >= 300) {
      this.byId.set(id, s);
      this.view.renderParagraphs([s.paragraph_id]);
      this.message("The suggestion could not be rejected (offline?): it is shown again.");
    }
    return true;
  }

  /** Accept every ghost of the paragraph (and its suggested sentiment) as one undoable step. */
  acceptParagraph(paragraphId) {
    const ghosts = this.spansFor(paragraphId);
    const feeling = this.sentimentFor(paragraphId);
    const commands = ghosts.map((g) => ({ kind: "create", after: this.annotationOf(this.byId.get(g.id)) }));
    if (feeling) commands.push({ kind: "sentiment", paragraphId, before: null, after: feeling.label, suggestion: { id: feeling.id, label: feeling.label } });
    if (!commands.length) return false;
    for (const g of ghosts) this.byId.delete(g.id);
    if (feeling) this.byId.delete(feeling.id);
    this.editor.run(commands.length === 1 ? commands[0] : { kind: "batch", commands });
    this.message(`Accepted ${commands.length} suggestion${commands.length === 1 ? "" : "s"} in this paragraph.`);
    return true;
  }

  // --- keyboard and mouse -------------------------------------------------------------------

  /** Keys on a focused ghost, or Shift+A in a paragraph; runs before the workspace's keys. */
  onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const popup = currentPopup();
    const ghost = popup?.kind === "ghost" ? popup.ghost : document.activeElement?.closest?.(".ghost");
    let handled = false;
    if (ghost && (event.key === "Enter" || event.key === "a")) handled = this.decideFocused(ghost, "accept");
    else if (ghost && event.key === "x") handled = this.decideFocused(ghost, "reject");
    else if (event.key === "A" && !popup) handled = this.acceptFocusedParagraph(ghost);
    if (handled) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }

  decideFocused(ghost, action) {
    const id = Number(ghost.dataset.suggestionId);
    const section = ghost.closest(".para");
    const next = this.nextGhost(ghost);
    closePopup();
    if (action === "accept") this.accept(id);
    else this.reject(id);
    const target = next && this.root.querySelector(`.ghost[data-suggestion-id="${next}"]`);
    (target || section)?.focus({ preventScroll: false });
    return true;
  }

  nextGhost(ghost) {
    const all = [...this.root.querySelectorAll(".ghost[tabindex='0']")];
    const after = all.slice(all.indexOf(ghost) + 1).find((g) => g.dataset.suggestionId !== ghost.dataset.suggestionId);
    return after?.dataset.suggestionId || null;
  }

  acceptFocusedParagraph(ghost) {
    const section = ghost?.closest(".para") || this.root.querySelector(".para.focused");
    if (!section) return false;
    this.acceptParagraph(Number(section.dataset.id));
    section.focus({ preventScroll: true });
    return true;
  }

  /** A click on a ghost offers accept and reject, and says where it came from. */
  onClick(event) {
    const ghost = event.target.closest?.(".ghost");
    if (!ghost) return;
    const s = this.byId.get(Number(ghost.dataset.suggestionId));
    if (!s) return;
    event.stopPropagation();
    this.showMenu(ghost, s);
  }

  showMenu(ghost, s) {
    closePopup();
    const node = el("div", "popup ghost-menu");
    node.setAttribute("role", "dialog");
    node.setAttribute("aria-label", `Suggested ${s.label}`);
    node.append(el("p", "span-title", `${s.label}: “${s.text}”`), el("p", "hint", `Suggested by ${describeSource(s)}`));
    const accept = this.menuButton("Accept", "a", "primary", () => this.decideFocused(ghost, "accept"));
    const reject = this.menuButton("Reject", "x", "", () => this.decideFocused(ghost, "reject"));
    node.append(accept, document.createTextNode(" "), reject);
    const rect = ghost.getBoundingClientRect();
    document.body.append(node);
    node.style.setProperty("top", `${window.scrollY + rect.bottom + 6}px`);
    node.style.setProperty("left", `${Math.max(8, window.scrollX + rect.left)}px`);
    ghost.classList.add("active");
    registerPopup("ghost", node, { ghost, labels: [] });
    accept.focus({ preventScroll: true });
  }

  menuButton(text, key, className, onClick) {
    const button = el("button", className, `${text} `);
    button.type = "button";
    button.append(el("kbd", "", key));
    button.addEventListener("click", onClick);
    return button;
  }

  wire() {
    document.addEventListener("keydown", (event) => this.onKey(event), true);
    this.root.querySelector(".ws-doc").addEventListener("click", (event) => this.onClick(event));
  }
}

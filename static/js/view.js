// Draws the workspace state: paragraphs with spans and sentiment, progress, save state,
// messages and the label legend. Reads the store; never changes it.

import { el, renderSentiment, renderTargets, renderText } from "./render.js";
import { labelKeyMap } from "./keymap.js";
import { sliceCodePoints } from "./offsets.js";
import { gaps } from "./progress.js";
import { offlineText } from "./savequeue.js";

export class View {
  constructor({ root, paragraphs, schema, store, onSentiment }) {
    Object.assign(this, { root, paragraphs, store, onSentiment });
    this.useSchema(schema);
    this.selectedLid = null;
    /** Reviewers' comments on the user's annotations, by lid. */
    this.comments = new Map();
    this.mode = "entity";
    this.contentIds = paragraphs.filter((p) => !p.is_boilerplate).map((p) => p.id);
  }

  /** The project's labels, and what follows from them: colours and label keys. */
  useSchema(schema) {
    this.schema = schema;
    this.colours = new Map(schema.entities.map((l) => [l.name, l.color]));
    this.labelKeys = labelKeyMap(schema.entities);
  }

  section(paragraphId) {
    return this.root.querySelector(`.para[data-id="${paragraphId}"]`);
  }

  paragraph(paragraphId) {
    return this.paragraphs.find((p) => p.id === paragraphId);
  }

  textOf(ann) {
    return sliceCodePoints(this.paragraph(ann.paragraph_id).text, ann.start, ann.end);
  }

  renderAll() {
    this.renderLegend();
    this.renderParagraphs(this.paragraphs.map((p) => p.id));
  }

  renderParagraphs(ids) {
    for (const id of new Set(ids)) this.renderParagraph(id);
    this.renderProgress();
  }

  renderParagraph(id) {
    const paragraph = this.paragraph(id);
    const section = this.section(id);
    if (!paragraph || !section) return;
    const own = this.store.inParagraph(id).filter((a) => a.layer !== "sentiment");
    const spans = this.ghosts ? [...own, ...this.ghosts.spansFor(id)] : own;
    const ctx = { colours: this.colours, selectedLid: this.selectedLid, comments: this.comments };
    if (this.ghosts) ctx.ghostSpan = (inner, ghost, part) => this.ghosts.ghostSpan(inner, ghost, part, this.colours);
    renderText(section.querySelector(".para-text"), paragraph.text, spans, ctx);
    const tools = section.querySelector(".para-tools");
    if (!tools) return;
    renderSentiment(tools, this.schema.sentiment, this.store.sentiments.get(id) || null,
      (value) => this.onSentiment(id, value), this.ghosts?.sentimentHint(id) ?? null);
    renderTargets(tools, this.targets(id));
  }

  targets(id) {
    return this.store.inParagraph(id, "sentiment").map((s) => {
      const entity = this.store.get(s.attributes.target_lid);
      return { name: entity ? this.textOf(entity) : "entity", label: s.label };
    });
  }

  /** Content paragraphs lacking what the project asks for (progress.js), unsaved edits included. */
  missing() {
    return gaps({ paragraphs: this.paragraphs, schema: this.schema, store: this.store });
  }

  renderProgress() {
    const total = this.contentIds.length;
    const done = total - this.missing().length;
    this.root.querySelector(".ws-progress progress").value = done;
    this.root.querySelector(".ws-progress-text").textContent = `${done} / ${total} paragraphs`;
  }

  renderLegend() {
    const list = this.root.querySelector(".ws-legend ul");
    list.replaceChildren();
    for (const label of this.schema.entities) {
      const item = el("li", "legend-item");
      item.style.setProperty("--ent-colour", label.color);
      item.title = label.description || label.name;
      const key = this.labelKeys.has(label.key) ? label.key : "·";
      item.append(el("kbd", "", key), el("span", "swatch"), document.createTextNode(` ${label.name}`));
      list.append(item);
    }
  }

  setMode(mode) {
    this.mode = mode;
    document.body.dataset.mode = mode;
    for (const button of this.root.querySelectorAll(".ws-mode")) {
      button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
    }
  }

  /** The sticky label in the toolbar: every selection gets it until Esc. */
  setArmed(name) {
    const node = this.root.querySelector(".ws-sticky");
    node.hidden = !name;
    node.replaceChildren();
    document.body.dataset.armed = name || "";
    if (!name) return;
    node.style.setProperty("--ent-colour", this.colours.get(name));
    node.append("Sticky label ", el("span", "swatch"), el("strong", "", name), " · ", el("kbd", "", "Esc"), " stops");
  }

  saveState(state, detail) {
    const node = this.root.querySelector(".ws-save");
    node.dataset.state = state;
    const pending = detail.pending;
    if (state === "saved") node.textContent = "All changes saved";
    else if (state === "saving") node.textContent = `Saving… (${pending})`;
    else node.textContent = offlineText(detail);
  }

  message(text) {
    const node = this.root.querySelector(".ws-message");
    node.textContent = text;
    node.hidden = !text;
  }

  get status() {
    return this.root.querySelector(".ws-status").dataset.status;
  }

  setStatus(status) {
    const node = this.root.querySelector(".ws-status");
    node.className = `ws-status status status-${status}`;
    node.dataset.status = status;
    node.textContent = status.replace("_", " ");
  }
}

// Labelling in the workspace: selections (mouse or keyboard caret) become entity spans —
// with the sticky label at once, or through the picker — or claims through the claim form;
// the focused span takes relabelling, deletion and the sentiment towards it. DOM glue over
// the editor and the view; pure logic lives in caret.js, claimants.js and spans.js.

import { caretSpan, caretUnits, stepCaret } from "./caret.js";
import { claimantChoices } from "./claimants.js";
import { showClaimForm } from "./claimform.js";
import { closePopup, currentPopup, showPicker, showSpanMenu } from "./popups.js";
import { clearSelection, currentSelection, selectRange, selectionProblem } from "./selection.js";
import { adjustSelection, overlapping } from "./spans.js";
import { newLid } from "./store.js";

const PROBLEMS = {
  crosses: "A selection must stay inside one paragraph: nothing was labelled. Select within a paragraph.",
  boilerplate: "That paragraph is boilerplate, which is not annotated: nothing was labelled.",
};

export class Labelling {
  /** focusSection and focused are the workspace's: which paragraph has the focus. */
  constructor({ view, editor, settings, focusSection, focused }) {
    Object.assign(this, { view, editor, settings, focusSection, focused });
    /** The keyboard caret: {paragraphId, anchor, focus, shown} (see caret.js), or null. */
    this.caret = null;
    /** The sticky label, armed by a label key with nothing selected; null when none. */
    this.armed = null;
    this.noticeShown = false;
  }

  /** Esc: close, clear, disarm. */
  escape() {
    this.done();
    this.arm(null);
    this.caret = null;
    return true;
  }

  /** Another paragraph takes the focus: the caret and the focused span are forgotten. */
  leaveParagraph() {
    this.caret = null;
    clearSelection();
    this.showFocusedSpan(null);
  }

  textOfSection(section) {
    return this.view.paragraph(Number(section.dataset.id)).text;
  }

  /** The selection as {paragraphId, span, rect, section}, snapped as the project wants, or null. */
  pendingSelection() {
    const picked = currentSelection((section) => this.textOfSection(section));
    if (!picked || picked.section.classList.contains("boilerplate")) return null;
    const span = adjustSelection(this.textOfSection(picked.section), picked.start, picked.end, this.settings.snap_to_words);
    return span && { paragraphId: Number(picked.section.dataset.id), span, rect: picked.rect, section: picked.section };
  }

  /** The mouse let go: a selection is labelled (sticky label), or gets the picker or claim form. */
  onSelectionDone() {
    if (currentPopup()?.kind === "claim") return;
    const problem = selectionProblem();
    if (problem) {
      clearSelection(); // nothing is left selected that a key could act on
      return this.notice(PROBLEMS[problem]);
    }
    const picked = this.pendingSelection();
    if (picked) this.act(picked);
  }

  act({ paragraphId, span, rect, section }) {
    this.notice("");
    this.focusSection(section);
    if (this.view.mode === "claim") this.openClaimForm(paragraphId, span, rect);
    else if (this.armed && !overlapping(this.entitiesOf(paragraphId), span.start, span.end).length) this.labelSpan(paragraphId, span, this.armed);
    else this.openPicker(paragraphId, span, rect);
  }

  entitiesOf(paragraphId) {
    return this.editor.store.inParagraph(paragraphId, "entity");
  }

  /** Label a span: relabel the entity it is exactly, or create one, replacing overlapping ones. */
  labelSpan(paragraphId, span, label) {
    const spans = this.entitiesOf(paragraphId);
    const same = spans.find((e) => e.start === span.start && e.end === span.end);
    if (same) {
      if (same.label !== label) this.editor.run({ kind: "update", before: same, after: { ...same, label } });
      return this.labelled(paragraphId, span, same.lid);
    }
    const created = { lid: newLid(), paragraph_id: paragraphId, layer: "entity", ...span, label, attributes: {}, version: 0 };
    const removals = overlapping(spans, span.start, span.end).map((r) => this.editor.deleteCommand(r));
    const create = { kind: "create", after: created };
    this.editor.run(removals.length ? { kind: "batch", commands: [...removals, create] } : create);
    this.labelled(paragraphId, span, created.lid);
  }

  /** After labelling, the new span is the focused span and the caret resumes after it. */
  labelled(paragraphId, span, lid) {
    this.done();
    this.caret = { paragraphId, anchor: span.end, focus: span.end, shown: false };
    this.showFocusedSpan(lid);
  }

  openPicker(paragraphId, span, rect) {
    const replacing = overlapping(this.entitiesOf(paragraphId), span.start, span.end);
    showPicker({
      labels: this.view.schema.entities,
      rect,
      replacing: replacing.map((r) => ({ label: r.label, text: this.view.textOf(r) })),
      onPick: (label) => this.labelSpan(paragraphId, span, label),
    });
  }

  claimantOptions(paragraphId) {
    const order = new Map(this.view.paragraphs.map((p, i) => [p.id, i + 1]));
    return claimantChoices(this.editor.store.entities(), order, paragraphId, (e) => this.view.textOf(e));
  }

  openClaimForm(paragraphId, span, rect, existing = null) {
    const quote = existing ? this.view.textOf(existing) : this.view.textOf({ paragraph_id: paragraphId, ...span });
    showClaimForm({
      schema: this.view.schema,
      entities: this.claimantOptions(paragraphId),
      initial: existing,
      quote,
      rect,
      onSave: ({ label, attributes }) => {
        if (existing) this.editor.run({ kind: "update", before: existing, after: { ...existing, label, attributes } });
        else this.editor.run({ kind: "create", after: { lid: newLid(), paragraph_id: paragraphId, layer: "claim", ...span, label, attributes, version: 0 } });
        this.done();
        this.caret = { paragraphId, anchor: span.end, focus: span.end, shown: false };
      },
      onDelete: existing ? () => { this.editor.run(this.editor.deleteCommand(existing)); this.done(); } : null,
    });
  }

  /** A click on an entity span while the claim form is open makes it the claimant. */
  chooseClaimant(ann) {
    const order = this.view.paragraphs.findIndex((p) => p.id === ann.paragraph_id) + 1;
    currentPopup().setClaimant({ lid: ann.lid, text: this.view.textOf(ann), label: ann.label, paragraph: order });
  }

  openSpanMenu(ann, rect) {
    this.showFocusedSpan(ann.lid);
    const towards = this.editor.store.targetSentiment(ann.lid);
    showSpanMenu({
      ann,
      text: this.view.textOf(ann),
      labels: this.view.schema.entities,
      sentiments: this.view.schema.sentiment,
      currentSentiment: towards?.label ?? null,
      comments: this.view.comments.get(ann.lid) || [],
      rect,
      actions: {
        relabel: (label) => {
          if (label !== ann.label) this.editor.run({ kind: "update", before: ann, after: { ...ann, label } });
          this.done();
        },
        remove: () => this.deleteSelected(),
        sentiment: (value) => { this.setTargetSentiment(ann, towards, value); this.done(); },
      },
    });
  }

  setTargetSentiment(entity, existing, value) {
    if (existing && !value) this.editor.run({ kind: "delete", before: existing });
    else if (existing) this.editor.run({ kind: "update", before: existing, after: { ...existing, label: value } });
    else if (value) {
      const after = { lid: newLid(), paragraph_id: entity.paragraph_id, layer: "sentiment", start: null, end: null, label: value, attributes: { target_lid: entity.lid }, version: 0 };
      this.editor.run({ kind: "create", after });
    }
  }

  /** Shift+q…: the sentiment towards the focused span (the same key again clears it). */
  targetSentimentKey(index) {
    const ann = this.view.selectedLid && this.editor.store.get(this.view.selectedLid);
    const value = this.view.schema.sentiment[index];
    if (!ann || ann.layer !== "entity") {
      this.notice("Focus an entity span first (click it, or move the caret onto it), then its sentiment key.");
      return true;
    }
    if (!value) return true;
    const towards = this.editor.store.targetSentiment(ann.lid);
    const keep = ann.lid;
    this.setTargetSentiment(ann, towards, towards?.label === value ? null : value);
    if (currentPopup()?.kind === "span") closePopup();
    this.showFocusedSpan(keep);
    return true;
  }

  deleteSelected() {
    const ann = this.view.selectedLid && this.editor.store.get(this.view.selectedLid);
    if (!ann) return false;
    this.editor.run(this.editor.deleteCommand(ann));
    this.done();
    return true;
  }

  /** After an action: close menus, forget selections, keep focus on the paragraph. */
  done() {
    closePopup();
    clearSelection();
    this.caret = this.caret && { ...this.caret, shown: false };
    this.showFocusedSpan(null);
    this.focused()?.focus({ preventScroll: true });
  }

  /** Outline one entity span (or none): the one Del and the entity sentiment keys act on. */
  showFocusedSpan(lid) {
    const before = this.view.selectedLid && this.editor.store.get(this.view.selectedLid);
    const after = lid && this.editor.store.get(lid);
    this.view.selectedLid = lid || null;
    const ids = [before?.paragraph_id, after?.paragraph_id].filter((id) => id !== undefined);
    if (ids.length) this.view.renderParagraphs(ids);
  }

  /** Our own messages (about selections) are cleared by the next good action; others stay. */
  notice(text) {
    if (!text && !this.noticeShown) return;
    this.noticeShown = Boolean(text);
    this.view.message(text);
  }

  // --- sticky label and label keys -----------------------------------------------------------

  /** A label key: label what is selected, else arm (or disarm) that label as the sticky one. */
  labelKey(key) {
    const name = this.view.labelKeys.get(key);
    if (!name) return false;
    const picked = this.pendingSelection();
    if (picked) {
      if (this.view.mode === "claim") this.view.setMode("entity");
      this.focusSection(picked.section);
      this.labelSpan(picked.paragraphId, picked.span, name);
    } else {
      this.arm(this.armed === name ? null : name);
      if (this.armed && this.view.mode === "claim") this.view.setMode("entity");
    }
    return true;
  }

  arm(name) {
    this.armed = name;
    this.view.setArmed(name);
  }

  // --- keyboard caret: word by word in the focused paragraph ---------------------------------

  caretKey(step, extend) {
    const section = this.focused();
    if (!section || section.classList.contains("boilerplate")) return false;
    const id = Number(section.dataset.id);
    const text = this.textOfSection(section);
    const units = caretUnits(text, this.entitiesOf(id));
    const next = stepCaret(units, this.caret?.paragraphId === id ? this.caret : null, step, extend);
    if (!next) return true;
    this.caret = { paragraphId: id, ...next };
    const span = caretSpan(units, this.caret);
    closePopup();
    this.showFocusedSpan(span.lid);
    selectRange(section.querySelector(".para-text"), text, span.start, span.end);
    return true;
  }

  /** Enter: the caret on a span opens its menu; a keyboard selection is labelled. */
  labelKeyboardSelection() {
    const ann = this.caret?.shown && this.view.selectedLid && this.editor.store.get(this.view.selectedLid);
    const picked = this.pendingSelection();
    if (ann && picked && picked.span.start === ann.start && picked.span.end === ann.end) {
      this.openSpanMenu(ann, picked.rect);
      return true;
    }
    if (!picked) return false;
    this.act(picked);
    return true;
  }
}

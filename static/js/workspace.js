// The annotation workspace: loads the article through the API, wires mouse and keyboard to
// the editor, and keeps every edit in the save queue until the server has it.

import { getJson, transport } from "./api.js";
import { showClaimForm } from "./claimform.js";
import { Editor } from "./editor.js";
import { codePointLength, utf16ToCodePoint } from "./offsets.js";
import { SHORTCUTS, handleKey } from "./keys.js";
import { closePopup, currentPopup, showHelp, showPicker, showSpanMenu } from "./popups.js";
import { SaveQueue } from "./savequeue.js";
import { clearSelection, currentSelection, selectRange } from "./selection.js";
import { adjustSelection, overlapping } from "./spans.js";
import { Store, newLid } from "./store.js";
import { View } from "./view.js";

const config = JSON.parse(document.getElementById("ws-config").textContent);
const root = document.querySelector("main.workspace");
let view;
let editor;
let queue;
let settings;
let keyboardSelection = null;

async function boot() {
  const data = await getJson(config.apiBase);
  settings = data.settings || {};
  const store = new Store();
  queue = new SaveQueue({
    storage: window.localStorage,
    key: `annotator.saves.${config.userId}`,
    transport,
    handlers: { ack: acknowledged, conflict, rejected, state: (s, d) => view.saveState(s, d) },
  });
  store.load(data.annotations, (id) => queue.lidForId(id));
  for (const raw of data.annotations) queue.noteVersion(queue.lidForId(raw.id), raw.version);
  view = new View({ root, paragraphs: data.paragraphs, schema: data.schema, store, onSentiment: setSentiment });
  editor = new Editor({ store, queue, changed: (ids) => view.renderParagraphs(ids) });
  editor.replay(queue.state.ops, new Set(data.paragraphs.map((p) => p.id)));
  view.renderAll();
  view.setMode("entity");
  wire();
  document.body.dataset.ready = "true";
  if (queue.pending) queue.start();
}

// --- server answers ---------------------------------------------------------------------

async function reloadParagraph(paragraphId) {
  const data = await getJson(`/api/v1/paragraphs/${paragraphId}/annotations`);
  editor.store.load(data.annotations, (id) => queue.lidForId(id), paragraphId);
  for (const raw of data.annotations) queue.noteVersion(queue.lidForId(raw.id), raw.version);
  editor.history.clear();
  view.renderParagraphs([paragraphId]);
}

function acknowledged(op, body) {
  editor.acknowledged(op, body);
  // The server marks the article in progress with the user's first saved annotation.
  if (op.kind !== "status" && view.status === "not_started") view.setStatus("in_progress");
}

function conflict(op) {
  view.message("That annotation was changed elsewhere (another tab or person): this paragraph now shows what is saved.");
  reloadParagraph(op.paragraphId);
}

function rejected(op, body) {
  view.message(`Not saved: ${body?.error?.message || "the server refused the change"}. This paragraph now shows what is saved.`);
  if (op.paragraphId) reloadParagraph(op.paragraphId);
}

// --- entity and claim spans ---------------------------------------------------------------

function textOfSection(section) {
  return view.paragraph(Number(section.dataset.id)).text;
}

function onSelectionDone() {
  if (currentPopup()?.kind === "claim") return;
  const picked = currentSelection(textOfSection);
  if (!picked || picked.section.classList.contains("boilerplate")) return;
  const paragraphId = Number(picked.section.dataset.id);
  const text = textOfSection(picked.section);
  const span = adjustSelection(text, picked.start, picked.end, settings.snap_to_words);
  if (!span) return;
  focusSection(picked.section);
  if (view.mode === "claim") openClaimForm(paragraphId, span, picked.rect);
  else openPicker(paragraphId, span, picked.rect);
}

function openPicker(paragraphId, span, rect) {
  const replacing = overlapping(editor.store.inParagraph(paragraphId, "entity"), span.start, span.end);
  showPicker({
    labels: view.schema.entities,
    rect,
    replacing: replacing.map((r) => ({ label: r.label, text: view.textOf(r) })),
    onPick: (label) => {
      const created = { lid: newLid(), paragraph_id: paragraphId, layer: "entity", ...span, label, attributes: {}, version: 0 };
      const removals = replacing.map((r) => editor.deleteCommand(r));
      const create = { kind: "create", after: created };
      editor.run(removals.length ? { kind: "batch", commands: [...removals, create] } : create);
      done();
    },
  });
}

function claimEntities() {
  return editor.store.entities().map((e) => ({ lid: e.lid, label: e.label, text: view.textOf(e) }));
}

function openClaimForm(paragraphId, span, rect, existing = null) {
  const quote = existing ? view.textOf(existing) : view.textOf({ paragraph_id: paragraphId, ...span });
  showClaimForm({
    schema: view.schema,
    entities: claimEntities(),
    initial: existing,
    quote,
    rect,
    onSave: ({ label, attributes }) => {
      if (existing) editor.run({ kind: "update", before: existing, after: { ...existing, label, attributes } });
      else editor.run({ kind: "create", after: { lid: newLid(), paragraph_id: paragraphId, layer: "claim", ...span, label, attributes, version: 0 } });
      done();
    },
    onDelete: existing ? () => { editor.run(editor.deleteCommand(existing)); done(); } : null,
  });
}

function openSpanMenu(ann, rect) {
  view.selectedLid = ann.lid;
  view.renderParagraphs([ann.paragraph_id]);
  const towards = editor.store.targetSentiment(ann.lid);
  showSpanMenu({
    ann,
    text: view.textOf(ann),
    labels: view.schema.entities,
    sentiments: view.schema.sentiment,
    currentSentiment: towards?.label ?? null,
    rect,
    actions: {
      relabel: (label) => {
        if (label !== ann.label) editor.run({ kind: "update", before: ann, after: { ...ann, label } });
        done();
      },
      remove: () => deleteSelected(),
      sentiment: (value) => { setTargetSentiment(ann, towards, value); done(); },
    },
  });
}

function setTargetSentiment(entity, existing, value) {
  if (existing && !value) editor.run({ kind: "delete", before: existing });
  else if (existing) editor.run({ kind: "update", before: existing, after: { ...existing, label: value } });
  else if (value) {
    const after = { lid: newLid(), paragraph_id: entity.paragraph_id, layer: "sentiment", start: null, end: null, label: value, attributes: { target_lid: entity.lid }, version: 0 };
    editor.run({ kind: "create", after });
  }
}

function deleteSelected() {
  const ann = view.selectedLid && editor.store.get(view.selectedLid);
  if (!ann) return false;
  editor.run(editor.deleteCommand(ann));
  done();
  return true;
}

/** After an action: close menus, forget selections, keep focus on the paragraph. */
function done() {
  closePopup();
  clearSelection();
  keyboardSelection = null;
  const previous = view.selectedLid && editor.store.get(view.selectedLid);
  view.selectedLid = null;
  if (previous) view.renderParagraphs([previous.paragraph_id]);
  focused()?.focus({ preventScroll: true });
}

// --- paragraphs, sentiment, status --------------------------------------------------------

function focused() {
  return root.querySelector(".para.focused");
}

function focusSection(section) {
  for (const other of root.querySelectorAll(".para.focused")) other.classList.remove("focused");
  section.classList.add("focused");
  if (!section.contains(document.activeElement)) section.focus({ preventScroll: true });
  section.scrollIntoView({ block: "nearest" });
}

function move(step) {
  const sections = [...root.querySelectorAll(".para:not(.boilerplate)")];
  const index = sections.indexOf(focused());
  const next = sections[Math.max(0, Math.min(sections.length - 1, index + step))];
  if (next) focusSection(next);
  keyboardSelection = null;
  return true;
}

function setSentiment(paragraphId, value) {
  const before = editor.store.sentiments.get(paragraphId) || null;
  if (before !== value) editor.run({ kind: "sentiment", paragraphId, before, after: value });
}

function sentimentKey(index) {
  const section = focused();
  const value = view.schema.sentiment[index];
  if (!section || section.classList.contains("boilerplate") || !value) return false;
  const id = Number(section.dataset.id);
  setSentiment(id, editor.store.sentiments.get(id) === value ? null : value);
  return true;
}

async function markDoneAndNext() {
  queue.enqueue({ kind: "status", articleId: config.articleId, body: { status: "done" } });
  view.setStatus("done");
  view.message(queue.pending > 1 ? "Saving, then opening the next article…" : "");
  await queue.start();
  window.location.assign(config.nextUrl);
  return true;
}

// --- keyboard selection: word by word in the focused paragraph ----------------------------

function extendSelection(step) {
  const section = focused();
  if (!section || section.classList.contains("boilerplate")) return false;
  const text = textOfSection(section);
  const words = [...text.matchAll(/[\p{L}\p{N}\p{M}$%’'-]+/gu)].map((m) => {
    const start = utf16ToCodePoint(text, m.index);
    return { start, end: start + codePointLength(m[0]) };
  });
  if (!words.length) return false;
  const current = keyboardSelection?.section === section ? keyboardSelection : null;
  let count = current ? current.count + step : 1;
  count = Math.max(1, Math.min(words.length - (current?.first ?? 0), count));
  const first = current?.first ?? 0;
  keyboardSelection = { section, first, count };
  const span = { start: words[first].start, end: words[first + count - 1].end };
  selectRange(section.querySelector(".para-text"), text, span.start, span.end);
  return true;
}

function labelKeyboardSelection() {
  if (!window.getSelection()?.isCollapsed) {
    onSelectionDone();
    return true;
  }
  return false;
}

// --- wiring ---------------------------------------------------------------------------------

const actions = {
  escape: () => { done(); return true; },
  undo: () => { closePopup(); return editor.undo() || true; },
  redo: () => { closePopup(); return editor.redo() || true; },
  help: () => { showHelp(SHORTCUTS); return true; },
  toggleMode: () => { view.setMode(view.mode === "entity" ? "claim" : "entity"); return true; },
  move,
  extend: extendSelection,
  labelSelection: labelKeyboardSelection,
  done: () => { markDoneAndNext(); return true; },
  deleteSelected,
  sentiment: sentimentKey,
};

function onClick(event) {
  const target = event.target;
  const section = target.closest?.(".para");
  if (target.closest(".para-expand")) return toggleBoilerplate(target.closest(".para-expand"));
  if (!section || !window.getSelection().isCollapsed) return;
  focusSection(section);
  const claimEl = target.closest(".claim");
  const entityEl = target.closest(".ent");
  const rect = target.getBoundingClientRect();
  if (claimEl && (view.mode === "claim" || !entityEl)) {
    const claim = editor.store.get(claimEl.dataset.claims.split(" ").at(-1));
    if (claim) openClaimForm(claim.paragraph_id, claim, rect, claim);
  } else if (entityEl) {
    const ann = editor.store.get(entityEl.dataset.lid);
    if (ann) openSpanMenu(ann, rect);
  }
}

function toggleBoilerplate(button) {
  const section = button.closest(".para");
  const collapsed = section.classList.toggle("collapsed");
  button.setAttribute("aria-expanded", String(!collapsed));
}

function wire() {
  const doc = root.querySelector(".ws-doc");
  doc.addEventListener("mouseup", () => setTimeout(onSelectionDone, 0));
  doc.addEventListener("click", onClick);
  document.addEventListener("keydown", (event) => {
    if (handleKey(event, actions)) event.preventDefault();
  });
  document.addEventListener("mousedown", (event) => {
    const popup = currentPopup();
    if (popup && !popup.node.contains(event.target)) done();
  });
  for (const button of root.querySelectorAll(".ws-mode")) {
    button.addEventListener("click", () => view.setMode(button.dataset.mode));
  }
  root.querySelector(".ws-help-button").addEventListener("click", actions.help);
  root.querySelector(".ws-done").addEventListener("click", () => markDoneAndNext());
  window.addEventListener("online", () => queue.retryNow());
}

boot().catch((error) => {
  const node = document.querySelector(".ws-message");
  node.textContent = `The workspace could not load: ${error.message}. Reload the page.`;
  node.hidden = false;
});

// The annotation workspace: loads the article through the API, wires mouse and keyboard to
// the editor, and keeps every edit in this tab's save queue until the server has it.

import { getJson, transport } from "./api.js";
import { showClaimForm } from "./claimform.js";
import { toggleBlock } from "./boilerplate.js";
import { isOpen as doneWarningOpen, showDoneWarning } from "./donewarning.js";
import { Editor } from "./editor.js";
import { Find } from "./find.js";
import { codePointLength, utf16ToCodePoint } from "./offsets.js";
import { SHORTCUTS, handleKey } from "./keys.js";
import { closePopup, currentPopup, showHelp, showPicker, showSpanMenu } from "./popups.js";
import { Proposals } from "./proposals.js";
import { SaveQueue } from "./savequeue.js";
import { SUGGESTION_SHORTCUTS, Suggestions } from "./suggestions.js";
import { clearSelection, currentSelection, selectRange } from "./selection.js";
import { adjustSelection, overlapping } from "./spans.js";
import { Store, newLid, sentimentLid, versionLid } from "./store.js";
import { BEAT_MS, TabLease, adoptOrphans } from "./tabs.js";
import { requirements } from "./progress.js";
import { View } from "./view.js";

const FIND_SHORTCUT = ["/", "find text in the article (Enter / Shift+Enter: next / previous match, Esc closes)"];
const config = JSON.parse(document.getElementById("ws-config").textContent);
const root = document.querySelector("main.workspace");
let view;
let editor;
let lease;
let queue;
let settings;
let paragraphIds;
let keyboardSelection = null;
let proposals;
let suggestions;

async function boot() {
  const data = await getJson(config.apiBase);
  settings = data.settings || {};
  paragraphIds = new Set(data.paragraphs.map((p) => p.id));
  const store = new Store();
  lease = new TabLease({ local: window.localStorage, session: window.sessionStorage, userId: config.userId });
  lease.claim();
  queue = new SaveQueue({
    storage: window.localStorage,
    key: lease.queueKey,
    transport,
    handlers: { ack: acknowledged, conflict, rejected, state: (s, d) => view.saveState(s, d) },
  });
  // Before loading: annotations saved by an adopted queue then load under its lids.
  const adopted = adoptOrphans(lease, queue);
  store.load(data.annotations, lidForId);
  noteVersions(data.paragraphs, data.annotations);
  view = new View({ root, paragraphs: data.paragraphs, schema: data.schema, store, onSentiment: setSentiment });
  editor = new Editor({ store, queue, changed: (ids) => view.renderParagraphs(ids) });
  editor.replay(queue.state.ops, paragraphIds);
  suggestions = new Suggestions({ articleId: config.articleId, root, editor, view, message: (text) => view.message(text) });
  view.ghosts = suggestions;
  view.renderAll();
  view.setMode("entity");
  wire();
  suggestions.wire();
  suggestions.load().catch(() => view.message("Suggestions could not be loaded; annotating works without them."));
  document.body.dataset.ready = "true";
  loadComments();
  proposals = new Proposals({ root, articleId: config.articleId, message: (text) => view.message(text) });
  proposals.load();
  if (adopted.length) view.message(adoptedText(adopted.length));
  if (queue.pending) queue.start();
}

/** Reviewers' comments on this user's annotations: a mark on the span, the text in its menu. */
async function loadComments() {
  try {
    const { comments } = await getJson(`/api/v1/articles/${config.articleId}/comments`);
    for (const c of comments) {
      const lid = lidForId(c.annotation_id);
      view.comments.set(lid, [...(view.comments.get(lid) || []), c]);
    }
    if (comments.length) view.renderAll();
  } catch (_) {
    // Comments are a courtesy: the workspace works without them.
  }
}

function lidForId(id) {
  return queue.lidForId(id);
}

/** What the server said is the base of the next change; a paragraph without a sentiment has none. */
function noteVersions(paragraphs, annotations) {
  for (const p of paragraphs) queue.noteVersion(sentimentLid(p.id), null);
  for (const raw of annotations) queue.noteVersion(versionLid(raw, lidForId), raw.version);
}

// --- tabs: this one's heartbeat, the saves of tabs that are gone ---------------------------

function keepLease() {
  lease.beat();
  const adopted = adoptOrphans(lease, queue);
  if (!adopted.length) return;
  view.message(adoptedText(adopted.length));
  const here = new Set(adopted.map((op) => op.paragraphId).filter((id) => paragraphIds.has(id)));
  Promise.all([...here].map(reloadParagraph)).finally(() => queue.start());
}

function adoptedText(count) {
  return `Saving ${count} change${count === 1 ? "" : "s"} left unsaved by a tab or window that was closed.`;
}

function confirmLeaving(event) {
  if (!queue.pending) return;
  event.preventDefault();
  event.returnValue = ""; // older Chromium asks only when returnValue is set
}

// --- server answers ---------------------------------------------------------------------

/** Show what the server has for the paragraph, with this tab's unsaved edits over it. */
async function reloadParagraph(paragraphId) {
  try {
    const data = await getJson(`/api/v1/paragraphs/${paragraphId}/annotations`);
    editor.store.load(data.annotations, lidForId, paragraphId);
    noteVersions([data.paragraph], data.annotations);
    editor.replay(queue.state.ops, new Set([paragraphId]));
    editor.history.clear();
    view.renderParagraphs([paragraphId]);
  } catch (_) {
    view.message("This paragraph could not be reloaded: reload the page to see what is saved.");
  }
}

function acknowledged(op, body) {
  editor.acknowledged(op, body);
  // A saved span changes what propagation suggests in this article (and the next ones).
  if (["create", "update", "delete"].includes(op.kind)) suggestions.refresh();
  // The server marks the article in progress with the user's first saved annotation.
  if (op.kind !== "status" && view.status === "not_started") view.setStatus("in_progress");
}

function conflict(op, body) {
  if (op.kind === "sentiment") return sentimentConflict(op, body);
  if (op.kind === "create") {
    view.message(`Not saved: ${sentence(body?.error?.message, "it clashes with what is saved")} This paragraph now shows what is saved, including changes made in another tab or window.`);
  } else {
    view.message("That annotation was changed elsewhere (another tab or person): this paragraph now shows what is saved.");
  }
  if (op.paragraphId) reloadParagraph(op.paragraphId);
}

/** A stale tab's sentiment was refused: show the stored one, which the 409 carries. */
function sentimentConflict(op, body) {
  view.message("This paragraph's sentiment was changed in another tab or window; it now shows the saved value.");
  if (!body || !("current" in body)) return reloadParagraph(op.paragraphId);
  editor.setSentiment(op.paragraphId, body.current?.label ?? null);
  editor.history.clear();
  view.renderParagraphs([op.paragraphId]);
}

function rejected(op, body) {
  view.message(`Not saved: ${sentence(body?.error?.message, "the server refused the change")} This paragraph now shows what is saved.`);
  if (op.paragraphId) reloadParagraph(op.paragraphId);
}

function sentence(text, fallback) {
  const said = (text || fallback).trim();
  return /[.!?]$/.test(said) ? said : `${said}.`;
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
    comments: view.comments.get(ann.lid) || [],
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
  const offered = suggestions.sentimentFor(paragraphId);
  const suggestion = offered?.label === value ? { id: offered.id, label: offered.label } : undefined;
  if (before !== value) editor.run({ kind: "sentiment", paragraphId, before, after: value, suggestion });
}

function sentimentKey(index) {
  const section = focused();
  const value = view.schema.sentiment[index];
  if (!section || section.classList.contains("boilerplate") || !value) return false;
  const id = Number(section.dataset.id);
  setSentiment(id, editor.store.sentiments.get(id) === value ? null : value);
  return true;
}

/** Done: straight on when nothing is missing, else list what is (the user may still confirm). */
function requestDone() {
  const gaps = view.missing();
  if (!gaps.length) return markDoneAndNext();
  closePopup();
  showDoneWarning({
    dialog: root.querySelector(".ws-done-warning"),
    gaps,
    required: requirements(view.schema),
    onJump: (paragraphId) => focusSection(view.section(paragraphId)),
    onConfirm: markDoneAndNext,
  });
  return true;
}

async function markDoneAndNext() {
  queue.enqueue({ kind: "status", articleId: config.articleId, body: { status: "done" } });
  view.setStatus("done");
  view.message(queue.pending > 1 ? "Saving, then opening the next article…" : "");
  await queue.start();
  document.getElementById("ws-next").submit(); // a POST: taking the next article may assign one
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
  help: () => { showHelp([...SHORTCUTS, FIND_SHORTCUT, ...SUGGESTION_SHORTCUTS]); return true; },
  toggleMode: () => { view.setMode(view.mode === "entity" ? "claim" : "entity"); return true; },
  move,
  extend: extendSelection,
  labelSelection: labelKeyboardSelection,
  done: () => { requestDone(); return true; },
  deleteSelected,
  sentiment: sentimentKey,
  propose: () => proposals.propose(focused()),
};

function onClick(event) {
  const target = event.target;
  const section = target.closest?.(".para");
  if (target.closest(".bp-toggle")) return toggleBlock(target.closest(".bp-toggle"));
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

function wire() {
  const doc = root.querySelector(".ws-doc");
  doc.addEventListener("mouseup", () => setTimeout(onSelectionDone, 0));
  doc.addEventListener("click", onClick);
  document.addEventListener("keydown", (event) => {
    if (doneWarningOpen(root.querySelector(".ws-done-warning"))) return; // the dialog's own keys
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
  root.querySelector(".ws-done").addEventListener("click", () => requestDone());
  window.addEventListener("online", () => queue.retryNow());
  window.addEventListener("beforeunload", confirmLeaving);
  // A page kept in the back-forward cache may come back: it keeps its lease until it goes stale.
  window.addEventListener("pagehide", (event) => { if (!event.persisted) lease.release(queue.pending); });
  setInterval(keepLease, BEAT_MS);
  const warning = root.querySelector(".ws-done-warning");
  new Find({ root, isBusy: () => Boolean(currentPopup()) || doneWarningOpen(warning) }).wire();
}

boot().catch((error) => {
  const node = document.querySelector(".ws-message");
  node.textContent = `The workspace could not load: ${error.message}. Reload the page.`;
  node.hidden = false;
});

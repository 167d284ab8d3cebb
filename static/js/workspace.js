// The annotation workspace: loads the article through the API, wires mouse and keyboard to
// the editor, and keeps every edit in this tab's save queue until the server has it.

import { getJson, transport } from "./api.js";
import { toggleBlock } from "./boilerplate.js";
import { isOpen as doneWarningOpen, showDoneWarning } from "./donewarning.js";
import { Editor } from "./editor.js";
import { Find } from "./find.js";
import { SHORTCUTS, handleKey } from "./keys.js";
import { Labelling } from "./labelling.js";
import { closePopup, currentPopup, showHelp } from "./popups.js";
import { Proposals } from "./proposals.js";
import { RELABELLED_TEXT, RELOAD_FOR_LABELS_TEXT, SaveQueue, isRelabelled, refusedText } from "./savequeue.js";
import { SUGGESTION_SHORTCUTS, Suggestions } from "./suggestions.js";
import { Store, sentimentLid, versionLid } from "./store.js";
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
let labelling;
let pressedAt = null;
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
  labelling = new Labelling({ view, editor, settings, focusSection, focused });
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
    view.message(`${refusedText(body, "it clashes with what is saved")} This paragraph now shows what is saved, including changes made in another tab or window.`);
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
  const said = refusedText(body);
  if (isRelabelled(body)) {
    view.message(`${said} ${RELABELLED_TEXT}`);
    return reloadArticle();
  }
  view.message(`${said} This paragraph now shows what is saved.`);
  if (op.paragraphId) reloadParagraph(op.paragraphId);
}

/** The article again, labels included: an admin renamed, merged or removed a label while
 *  this page was open (its annotations were relabelled on the server too). */
async function reloadArticle() {
  try {
    const data = await getJson(config.apiBase);
    view.useSchema(data.schema); // drawn again by renderAll below
    if (labelling.armed && !view.colours.has(labelling.armed)) labelling.arm(null);
    editor.store.load(data.annotations, lidForId);
    noteVersions(data.paragraphs, data.annotations);
    editor.replay(queue.state.ops, paragraphIds);
    editor.history.clear();
    view.renderAll();
  } catch (_) {
    view.message(RELOAD_FOR_LABELS_TEXT);
  }
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
  labelling.leaveParagraph();
  if (next) focusSection(next);
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
  if (!section || section.classList.contains("boilerplate")) {
    labelling.notice("Focus a paragraph first (j / k, or click it), then its sentiment key.");
    return true;
  }
  if (!value) return true;
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

// --- wiring ---------------------------------------------------------------------------------

const actions = {
  escape: () => labelling.escape(),
  undo: () => { closePopup(); return editor.undo() || true; },
  redo: () => { closePopup(); return editor.redo() || true; },
  help: () => { showHelp([...SHORTCUTS, FIND_SHORTCUT, ...SUGGESTION_SHORTCUTS]); return true; },
  toggleMode: () => { view.setMode(view.mode === "entity" ? "claim" : "entity"); return true; },
  move,
  caret: (step, extend) => labelling.caretKey(step, extend),
  labelSelection: () => labelling.labelKeyboardSelection(),
  labelKey: (key) => labelling.labelKey(key),
  done: () => { requestDone(); return true; },
  deleteSelected: () => labelling.deleteSelected(),
  sentiment: sentimentKey,
  targetSentiment: (index) => labelling.targetSentimentKey(index),
  propose: () => proposals.propose(focused()),
};

function onClick(event) {
  const target = event.target;
  // From the path the click took: a sentiment button re-renders (and leaves the page)
  // before the click reaches here, and clicking it still focuses its paragraph.
  const section = event.composedPath().find((node) => node.classList?.contains("para"));
  if (target.closest(".bp-toggle")) return toggleBlock(target.closest(".bp-toggle"));
  const claimEl = target.closest(".claim");
  const entityEl = target.closest(".ent");
  if (currentPopup()?.kind === "claim") {
    const ann = entityEl && editor.store.get(entityEl.dataset.lid);
    if (ann) labelling.chooseClaimant(ann);
    return;
  }
  if (!section || !window.getSelection().isCollapsed) return;
  focusSection(section);
  const rect = target.getBoundingClientRect();
  if (claimEl && (view.mode === "claim" || !entityEl)) {
    const claim = editor.store.get(claimEl.dataset.claims.split(" ").at(-1));
    if (claim) labelling.openClaimForm(claim.paragraph_id, claim, rect, claim);
  } else if (entityEl) {
    const ann = editor.store.get(entityEl.dataset.lid);
    if (ann) labelling.openSpanMenu(ann, rect);
  }
}

/**
 * A drag or a double-click made a selection: handle it at once, before the next key or drag
 * (a fast annotator, or the benchmark, is quicker than a timer). A plain click is not one:
 * it may still collapse an older selection.
 */
function onMouseUp(event) {
  const moved = pressedAt && Math.hypot(event.clientX - pressedAt[0], event.clientY - pressedAt[1]) > 2;
  if (moved || event.detail > 1) labelling.onSelectionDone();
}

function wire() {
  const doc = root.querySelector(".ws-doc");
  doc.addEventListener("mousedown", (event) => { pressedAt = [event.clientX, event.clientY]; });
  doc.addEventListener("mouseup", onMouseUp);
  doc.addEventListener("click", onClick);
  document.addEventListener("keydown", (event) => {
    if (doneWarningOpen(root.querySelector(".ws-done-warning"))) return; // the dialog's own keys
    if (handleKey(event, actions)) event.preventDefault();
  });
  document.addEventListener("mousedown", (event) => {
    const popup = currentPopup();
    const claimant = popup?.kind === "claim" && event.target.closest?.(".ent");
    if (popup && !popup.node.contains(event.target) && !claimant) labelling.done();
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

// The review page: every finished annotator's entities, claims and sentiments of a
// paragraph side by side, one row per span or sentiment, with the gold beside them.
// Keyboard first (j/k, ←/→ or 1–9, a, x, e, n, c, A, ?); every decision is saved through
// the review API by the save queue. Article text is rendered with textContent only.

import { getJson, transport } from "./api.js";
import { uuid } from "./ids.js";
import { sliceCodePoints } from "./offsets.js";
import { closePopup, currentPopup, showHelp } from "./popups.js";
import { el } from "./render.js";
import { caption, cellState, inTheWay, keyOf, moved, paragraphTitle, rowState, sameDecision, shownParagraphs, viewRows } from "./review-model.js";
import { showCommentForm, showDecisionForm } from "./reviewforms.js";
import { REVIEW_LID, ReviewQueue } from "./reviewqueue.js";
import { RELABELLED_TEXT, RELOAD_FOR_LABELS_TEXT, isRelabelled, offlineText, refusedText } from "./savequeue.js";
import { clearSelection, currentSelection } from "./selection.js";
import { newLid, sentimentLid } from "./store.js";

const SHORTCUTS = [
  ["j / ↓", "next item"],
  ["k / ↑", "previous item"],
  ["← / → / 1 … 9", "choose an annotator's version"],
  ["a", "accept the chosen version into gold"],
  ["x", "reject it (removes it from gold if it is there)"],
  ["e", "edit the gold version (label, offsets by selection, claim attributes)"],
  ["n", "add the selected text to gold (or select text with the mouse)"],
  ["c", "comment on the chosen version for its annotator"],
  ["A", "accept all agreements of the article"],
  ["?", "show the shortcuts"],
  ["Esc", "close a form"],
];

const config = JSON.parse(document.getElementById("rv-config").textContent);
const root = document.querySelector("main.review");
const rejected = new Set();
let data;
let queue;
let gold = [];
let rows = [];
let focus = 0;
let column = 0;

async function boot() {
  queue = new ReviewQueue({
    storage: window.localStorage,
    key: `annotator:review:${config.userId}:${config.articleId}:${tabId()}`,
    transport,
    handlers: { ack: acknowledged, conflict, rejected: refused, state: saveState },
  });
  await loadArticle();
  wire();
  document.body.dataset.ready = "true";
  if (queue.pending) queue.start();
}

/** This tab's id: its pending saves survive a reload of the tab, and two tabs never share
 *  (and clobber) one queue. A closed tab's unsaved review decisions are not adopted. */
function tabId() {
  const key = "annotator:review-tab";
  let id = window.sessionStorage.getItem(key);
  if (!id) {
    id = uuid();
    window.sessionStorage.setItem(key, id);
  }
  return id;
}

/** The article, its labels and what is saved; this page's unsaved gold stays over it. */
async function loadArticle() {
  data = await getJson(config.apiBase);
  queue.noteVersion(REVIEW_LID, data.review.version);
  const unsaved = gold.filter((g) => queue.hasPending(g.lid));
  const replaced = new Set(unsaved.map((g) => g.lid));
  const saved = data.gold.map((raw) => goldItem(raw, data.gold)).filter((g) => !replaced.has(g.lid));
  gold = [...saved, ...unsaved];
  for (const p of data.paragraphs) queue.noteVersion(sentimentLid(p.id), goldSentiment(p.id)?.version ?? null);
  showReview(data.review);
  refresh();
}

// --- the model ------------------------------------------------------------------------

function goldItem(raw, all) {
  const spanOf = (id) => {
    const entity = all.find((g) => g.id === id);
    return entity ? [entity.start, entity.end] : null;
  };
  const lid = isParagraphSentiment(raw) ? sentimentLid(raw.paragraph_id) : queue.lidForId(raw.id);
  if (!isParagraphSentiment(raw)) queue.noteVersion(lid, raw.version);
  return { ...raw, lid, key: keyOf(raw, spanOf), pending: false };
}

function isParagraphSentiment(ann) {
  return ann.layer === "sentiment" && !ann.attributes?.target_id;
}

function goldSentiment(paragraphId) {
  return gold.find((g) => g.paragraph_id === paragraphId && isParagraphSentiment(g));
}

function annotation(id) {
  return data.annotations.find((a) => a.id === id) || null;
}

function paragraph(id) {
  return data.paragraphs.find((p) => p.id === id);
}

function focusedRow() {
  return rows[focus] || null;
}

function focusedAnnotator() {
  return data.annotators[column] || null;
}

function focusedAnnotation() {
  const row = focusedRow();
  const who = focusedAnnotator();
  return row && who ? annotation(row.marks[String(who.id)]) : null;
}

function refresh() {
  rows = viewRows(data.rows, gold);
  focus = Math.min(Math.max(focus, 0), rows.length - 1);
  render();
}

// --- decisions ------------------------------------------------------------------------

function accept() {
  const row = focusedRow();
  const ann = focusedAnnotation();
  if (!row || !ann) return say("Choose an annotator's version first (← → or 1 … 9).");
  if (sameDecision(row.gold, ann)) return say("That version is gold already.");
  if (row.layer === "sentiment") return setSentiment(row.paragraph_id, ann.label);
  const inWay = ann.layer === "entity" ? inTheWay(gold, ann.paragraph_id, ann.start, ann.end, row.key) : [];
  for (const old of new Set([row.gold, ...inWay].filter(Boolean))) removeGold(old);
  const item = { ...copyOf(ann), lid: newLid(), key: row.key, pending: true };
  gold.push(item);
  queue.enqueue({ kind: "accept", lid: item.lid, sourceId: ann.id, paragraphId: ann.paragraph_id, body: { client_id: uuid(), version: ann.version } });
  refresh();
}

function reject() {
  const row = focusedRow();
  if (!row) return;
  const ann = focusedAnnotation();
  if (row.gold && (!ann || sameDecision(row.gold, ann))) {
    if (row.layer === "sentiment") setSentiment(row.paragraph_id, null);
    else removeGold(row.gold);
  }
  if (ann) rejected.add(`${row.key}|${ann.annotator_id}`);
  refresh();
}

function removeGold(item) {
  gold = gold.filter((g) => g !== item && !(g.attributes?.target_id && g.attributes.target_id === item.id));
  if (isParagraphSentiment(item)) return queue.enqueue(sentimentOp(item.paragraph_id, null));
  queue.enqueue({ kind: "delete", lid: item.lid, paragraphId: item.paragraph_id });
}

function setSentiment(paragraphId, label) {
  gold = gold.filter((g) => !(g.paragraph_id === paragraphId && isParagraphSentiment(g)));
  if (label) {
    const item = { lid: sentimentLid(paragraphId), paragraph_id: paragraphId, layer: "sentiment", start: null, end: null, label, attributes: {}, pending: true };
    gold.push({ ...item, key: keyOf(item, () => null) });
  }
  queue.enqueue(sentimentOp(paragraphId, label));
  refresh();
}

function sentimentOp(paragraphId, label) {
  return { kind: "sentiment", lid: sentimentLid(paragraphId), paragraphId, body: { label } };
}

function copyOf(ann) {
  const { paragraph_id, layer, start, end, label, attributes } = ann;
  return { paragraph_id, layer, start, end, label, attributes: { ...attributes } };
}

/** A gold entity at the span of an annotator's entity (by id): what claimants point at. */
function goldTwin(entityId) {
  const entity = annotation(entityId);
  return entity && gold.find((g) => g.layer === "entity" && g.paragraph_id === entity.paragraph_id && g.start === entity.start && g.end === entity.end);
}

function edit() {
  const row = focusedRow();
  if (!row) return;
  const base = row.gold || focusedAnnotation();
  if (!base) return say("Nothing to edit here: choose an annotator's version, or select text and press n.");
  const text = paragraph(row.paragraph_id).text;
  const span = base.start === null || base.start === undefined ? null : spanOf(text, base.start, base.end);
  showDecisionForm({
    schema: data.schema,
    initial: base,
    span,
    adding: false,
    anchor: root.querySelector(`tr[data-key="${CSS.escape(row.key)}"]`),
    useSelection: () => selectedSpan(row.paragraph_id),
    onSave: (decision) => saveDecision(row, base, decision),
  });
}

function saveDecision(row, base, decision) {
  if (row.layer === "sentiment") return setSentiment(row.paragraph_id, decision.label);
  const attributes = decision.layer === "sentiment" ? {} : decision.attributes;
  if (row.gold) {
    Object.assign(row.gold, { label: decision.label, start: decision.start ?? row.gold.start, end: decision.end ?? row.gold.end });
    if (decision.layer === "claim") row.gold.attributes = attributes;
    row.gold.pending = true;
    const body = { label: decision.label };
    if (decision.start !== undefined) Object.assign(body, { start: decision.start, end: decision.end });
    if (decision.layer === "claim") body.attributes = attributes;
    queue.enqueue({ kind: "update", lid: row.gold.lid, paragraphId: row.paragraph_id, body });
    row.gold.key = keyOf(row.gold, () => null);
    return refresh();
  }
  const target = base.attributes?.target_id ? goldTwin(base.attributes.target_id) : null;
  if (base.attributes?.target_id && !target) return say("Accept the entity this sentiment is towards first.");
  const extra = target ? { target_id: { $lid: target.lid } } : attributes;
  addGold({ paragraph_id: row.paragraph_id, layer: decision.layer, start: decision.start ?? null, end: decision.end ?? null, label: decision.label, attributes: extra }, row.key);
}

function addGold(fields, key = null) {
  const item = { ...fields, lid: newLid(), pending: true };
  item.key = key ?? keyOf(item, () => null);
  gold.push(item);
  const body = { ...fields, client_id: uuid() };
  if (body.start === null) delete body.start;
  if (body.end === null) delete body.end;
  queue.enqueue({ kind: "create", lid: item.lid, paragraphId: fields.paragraph_id, body });
  refresh();
  focus = rows.findIndex((r) => r.key === item.key);
  render();
}

function openAddForm(picked) {
  const paragraphId = Number(picked.section.dataset.id);
  showDecisionForm({
    schema: data.schema,
    initial: { layer: "entity", label: data.schema.entities[0].name, attributes: {} },
    span: spanOf(paragraph(paragraphId).text, picked.start, picked.end),
    adding: true,
    anchor: picked.section.querySelector(".para-text"),
    useSelection: () => selectedSpan(paragraphId),
    onSave: (decision) => {
      const inWay = decision.layer === "entity" ? inTheWay(gold, paragraphId, decision.start, decision.end, null) : [];
      inWay.forEach(removeGold);
      addGold({ paragraph_id: paragraphId, ...decision });
      clearSelection();
    },
  });
}

function addFromSelection() {
  const picked = currentSelection((section) => paragraph(Number(section.dataset.id)).text);
  if (!picked) return say("Select the text to add in a paragraph first.");
  openAddForm(picked);
}

function selectedSpan(paragraphId) {
  const picked = currentSelection((section) => paragraph(Number(section.dataset.id)).text);
  if (!picked || Number(picked.section.dataset.id) !== paragraphId) return null;
  return spanOf(paragraph(paragraphId).text, picked.start, picked.end);
}

function spanOf(text, start, end) {
  return { start, end, quote: sliceCodePoints(text, start, end) };
}

function comment() {
  const ann = focusedAnnotation();
  const who = focusedAnnotator();
  if (!ann) return say("Choose an annotator's version to comment on.");
  showCommentForm({
    who: who.username,
    anchor: root.querySelector("tr.focused"),
    onSave: (body) => {
      const pending = { id: null, annotation_id: ann.id, author: "you", body, pending: true };
      data.comments.push(pending);
      queue.enqueue({ kind: "comment", annotationId: ann.id, paragraphId: ann.paragraph_id, body: { body } });
      render();
    },
  });
}

function acceptAll() {
  queue.enqueue({ kind: "acceptAll", articleId: config.articleId });
  say("Accepting all agreements…");
}

function markAdjudicated() {
  queue.enqueue({ kind: "review", articleId: config.articleId, body: { status: "adjudicated" } });
}

// --- server answers ----------------------------------------------------------------------

function acknowledged(op, body) {
  const item = op.lid ? gold.find((g) => g.lid === op.lid) : null;
  if (item && body?.annotation) Object.assign(item, body.annotation, { pending: false, key: item.key });
  if (op.kind === "comment") {
    const pending = data.comments.find((c) => c.pending && c.annotation_id === op.annotationId);
    if (pending) Object.assign(pending, body.comment, { pending: false });
  }
  if (op.kind === "review") {
    showReview(body.review);
    say(body.review.status === "adjudicated" ? "Marked adjudicated." : "");
  }
  if (op.kind === "acceptAll") {
    const skipped = body.skipped ? ` ${body.skipped} left as the gold already decides otherwise.` : "";
    say(`Accepted ${body.created.length} agreement${body.created.length === 1 ? "" : "s"} into gold.${skipped}`);
    return loadArticle();
  }
  if (body?.review) showReview(body.review);
  render();
}

function conflict(op, body) {
  if (op.kind === "review") {
    if (body?.current) showReview(body.current);
    return say("Someone else changed this article's review; it now shows the saved status. Check, then mark it again.");
  }
  if (isReviewState(body?.current)) {
    showReview(body.current);
    say("Not saved: this article is adjudicated, so its gold is final. Set it back to in review to change it. The page shows what is saved.");
    return op.paragraphId ? reload(op.paragraphId) : loadArticle();
  }
  say(`Not saved: another reviewer changed this paragraph's gold (${body?.error?.message || "conflict"}). It now shows what is saved.`);
  reload(op.paragraphId);
}

/** A 409's `current` that is the article's review (a gold write after its adjudication),
 *  not an annotation. */
function isReviewState(current) {
  return Boolean(current && "reviewer_id" in current && "status" in current && !("layer" in current));
}

function refused(op, body) {
  const said = refusedText(body);
  if (isRelabelled(body)) {
    say(`${said} ${RELABELLED_TEXT}`);
    return relabelled();
  }
  say(`${said} The paragraph shows what is saved.`);
  reload(op.paragraphId);
}

/** An admin renamed, merged or removed a label while this page was open: the article
 *  again, with the project's labels (what the forms offer) and the relabelled annotations. */
function relabelled() {
  return loadArticle().catch(() => say(RELOAD_FOR_LABELS_TEXT));
}

function reload(paragraphId) {
  if (!paragraphId) return loadArticle();
  return reloadParagraph(paragraphId).catch(() => say("This paragraph could not be reloaded: reload the page."));
}

/** What the server holds for one paragraph, keeping this page's unsaved gold over it. */
async function reloadParagraph(paragraphId) {
  const fresh = await getJson(`/api/v1/review/paragraphs/${paragraphId}`);
  const elsewhere = (x) => x.paragraph_id !== paragraphId;
  data.annotations = [...data.annotations.filter(elsewhere), ...fresh.annotations];
  data.rows = [...data.rows.filter(elsewhere), ...fresh.rows];
  const ids = new Set(fresh.annotations.map((a) => a.id));
  data.comments = [...data.comments.filter((c) => !ids.has(c.annotation_id)), ...fresh.comments];
  const unsaved = gold.filter((g) => g.paragraph_id === paragraphId && queue.hasPending(g.lid));
  const allGold = [...gold.filter(elsewhere), ...fresh.gold];
  queue.state.versions[sentimentLid(paragraphId)] = fresh.gold.find(isParagraphSentiment)?.version ?? null;
  gold = [...gold.filter(elsewhere), ...fresh.gold.map((raw) => goldItem(raw, allGold)), ...unsaved];
  showReview(fresh.review);
  refresh();
}

// --- drawing -------------------------------------------------------------------------------

function render() {
  const container = root.querySelector(".rv-paragraphs");
  container.replaceChildren();
  shownParagraphs(data.paragraphs, data.annotations, gold).forEach((p) => container.append(paragraphSection(p)));
  const open = rows.filter((r) => rowState(r) === "disagreed").length;
  const agreed = rows.filter((r) => rowState(r) === "agreed").length;
  root.querySelector(".rv-counts").textContent = `${agreed} agreements to accept · ${open} disagreements open · ${gold.length} gold`;
  const names = data.annotators.map((a, i) => `${i + 1} ${a.username}`).join(" · ");
  root.querySelector(".rv-annotators").textContent = data.annotators.length ? `Finished by ${names}` : "No annotator has finished this article yet.";
  root.querySelector("tr.focused")?.scrollIntoView({ block: "nearest" });
}

function paragraphSection(p) {
  const section = el("section", "para rv-para");
  section.dataset.id = String(p.id);
  section.append(el("h2", "rv-para-title", paragraphTitle(p)), paragraphText(p));
  const mine = rows.filter((r) => r.paragraph_id === p.id);
  if (mine.length) section.append(rowTable(p, mine));
  return section;
}

function paragraphText(p) {
  const node = el("p", "para-text");
  const row = focusedRow();
  const focusSpan = row && row.paragraph_id === p.id ? spanOfKey(row.key) : null;
  if (!focusSpan) {
    node.textContent = p.text;
    return node;
  }
  const [start, end] = focusSpan;
  const length = Array.from(p.text).length;
  node.append(document.createTextNode(sliceCodePoints(p.text, 0, start)));
  node.append(el("mark", "rv-focus-span", sliceCodePoints(p.text, start, end)));
  node.append(document.createTextNode(sliceCodePoints(p.text, end, length)));
  return node;
}

function spanOfKey(key) {
  const [, , start, end] = key.split(":");
  if (start === undefined || start === "null" || start === "None") return null;
  return [Number(start), Number(end)];
}

function rowTable(p, mine) {
  const table = el("table", "rv-table");
  const head = el("tr");
  head.append(el("th", "", "Item"));
  for (const who of data.annotators) head.append(el("th", "", who.username));
  head.append(el("th", "rv-gold-head", "Gold"));
  table.append(el("thead"));
  table.tHead.append(head);
  const body = el("tbody");
  for (const row of mine) body.append(rowLine(p, row));
  table.append(body);
  return table;
}

function rowLine(p, row) {
  const index = rows.indexOf(row);
  const state = rowState(row);
  const line = el("tr", `rv-row rv-${state}${index === focus ? " focused" : ""}`);
  line.dataset.key = row.key;
  line.dataset.state = state;
  line.append(el("th", "rv-item", itemCaption(p, row)));
  data.annotators.forEach((who, i) => line.append(cell(row, who, i, index)));
  const goldCell = el("td", "rv-gold");
  if (row.gold) goldCell.textContent = caption(row.gold) + (row.gold.pending ? " (saving)" : "");
  else if (row.agreed) goldCell.textContent = `${caption(annotation(Object.values(row.marks)[0]))} (agreed)`;
  else goldCell.textContent = "—";
  line.append(goldCell);
  line.addEventListener("click", () => {
    focus = index;
    render();
  });
  return line;
}

function cell(row, who, i, index) {
  const ann = annotation(row.marks[String(who.id)]);
  const state = cellState(row, ann, rejected.has(`${row.key}|${who.id}`));
  const node = el("td", `rv-cell cell-${state}${index === focus && i === column ? " chosen" : ""}`, caption(ann));
  node.dataset.annotator = who.username;
  const notes = ann ? data.comments.filter((c) => c.annotation_id === ann.id) : [];
  if (notes.length) {
    node.append(el("span", "rv-comment-mark", ` 💬${notes.length}`));
    node.title = notes.map((c) => `${c.author}: ${c.body}`).join("\n");
  }
  node.addEventListener("click", () => {
    column = i;
  });
  return node;
}

function itemCaption(p, row) {
  const span = spanOfKey(row.key);
  const quote = span ? `“${sliceCodePoints(p.text, span[0], span[1])}”` : "";
  if (row.layer === "sentiment") return "paragraph sentiment";
  if (row.layer === "target") return `sentiment towards ${quote}`;
  return `${row.layer} ${quote}`;
}

function showReview(review) {
  const node = root.querySelector(".rv-status");
  node.dataset.status = review.status;
  node.className = `rv-status status review-${review.status}`;
  node.textContent = review.status.replace("_", " ");
}

function saveState(state, detail) {
  const node = root.querySelector(".ws-save");
  node.dataset.state = state;
  if (state === "saved") node.textContent = "All changes saved";
  else if (state === "saving") node.textContent = `Saving… (${detail.pending})`;
  else node.textContent = offlineText(detail);
}

function say(text) {
  const node = root.querySelector(".ws-message");
  node.textContent = text;
  node.hidden = !text;
}

// --- keys and clicks --------------------------------------------------------------------

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Escape") return closePopup();
  if (currentPopup()?.kind === "form" || event.target.closest?.("input, textarea, select")) return;
  const action = keyAction(event.key);
  if (!action) return;
  event.preventDefault();
  closePopup();
  action();
}

function keyAction(key) {
  const digit = /^[1-9]$/.test(key) ? Number(key) - 1 : null;
  if (digit !== null && digit < data.annotators.length) return () => { column = digit; render(); };
  const actions = {
    j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
    h: () => side(-1), ArrowLeft: () => side(-1), l: () => side(1), ArrowRight: () => side(1),
    a: accept, x: reject, e: edit, n: addFromSelection, c: comment, A: acceptAll,
    "?": () => showHelp(SHORTCUTS),
  };
  return actions[key] || null;
}

function move(delta) {
  focus = moved(focus, delta, rows.length);
  const row = focusedRow();
  // Land on an annotator who marked the row, keeping the column when they did.
  if (row && !row.marks[String(focusedAnnotator()?.id)]) {
    const first = data.annotators.findIndex((a) => row.marks[String(a.id)]);
    if (first >= 0) column = first;
  }
  render();
}

function side(delta) {
  column = moved(column, delta, data.annotators.length);
  render();
}

function onMouseUp(event) {
  if (event.target.closest(".popup")) return;
  const picked = currentSelection((section) => paragraph(Number(section.dataset.id)).text);
  if (picked && picked.section.closest(".rv-paragraphs")) openAddForm(picked);
}

function wire() {
  document.addEventListener("keydown", onKey);
  root.querySelector(".rv-paragraphs").addEventListener("mouseup", onMouseUp);
  root.querySelector(".rv-accept-all").addEventListener("click", acceptAll);
  root.querySelector(".rv-adjudicated").addEventListener("click", markAdjudicated);
  root.querySelector(".ws-help-button").addEventListener("click", () => showHelp(SHORTCUTS));
  window.addEventListener("beforeunload", (event) => {
    if (!queue.pending) return;
    event.preventDefault();
    event.returnValue = "";
  });
}

boot().catch(() => say("The review could not be loaded: reload the page."));

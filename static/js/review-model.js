// The review page's model, free of the DOM: rows that line up the annotators' versions of
// one span or sentiment with the gold, what each row's state is, and how gold is keyed.
// Rows come from the server (the one definition of agreement, annotator/review/align.py);
// gold the reviewer adds at a place nobody marked makes a row of its own.

/** Where an annotation sits, as the server keys rows: layer, paragraph and span. */
export function keyOf(ann, spanOf) {
  if (ann.layer === "sentiment") {
    const target = ann.attributes?.target_id;
    if (target === undefined || target === null) return `sentiment:${ann.paragraph_id}`;
    const [start, end] = spanOf(target) ?? [null, null];
    return `target:${ann.paragraph_id}:${start}:${end}`;
  }
  return `${ann.layer}:${ann.paragraph_id}:${ann.start}:${ann.end}`;
}

/** What must be equal for two versions to be the same decision (as align.value_of). */
export function valueOf(ann) {
  if (!ann) return null;
  if (ann.layer !== "claim") return JSON.stringify([ann.label]);
  const a = ann.attributes || {};
  const claimant = (a.claimant?.text || "").trim().toLowerCase();
  return JSON.stringify([ann.label, a.attribution ?? null, a.checkworthy ?? null, claimant]);
}

export function sameDecision(a, b) {
  return Boolean(a && b) && valueOf(a) === valueOf(b);
}

/** Order rows as the server does: paragraph, then offsets, paragraph sentiment last. */
export function rowOrder(key) {
  const [kind, paragraph, start, end] = key.split(":");
  const rank = { entity: 0, claim: 1, target: 2, sentiment: 3 }[kind];
  const at = (v) => (v === undefined || v === "null" || v === "None" ? -1 : Number(v));
  return [Number(paragraph), rank === 3 ? 1e9 : at(start), rank, at(end)];
}

function compare(a, b) {
  const x = rowOrder(a.key);
  const y = rowOrder(b.key);
  for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Server rows plus rows for gold nobody else marked, each with its gold (or null). */
export function viewRows(serverRows, gold) {
  const byKey = new Map(serverRows.map((row) => [row.key, { ...row, gold: null }]));
  for (const item of gold) {
    if (!byKey.has(item.key)) {
      byKey.set(item.key, { key: item.key, paragraph_id: item.paragraph_id, layer: kindOf(item), marks: {}, agreed: false, gold: null });
    }
    const row = byKey.get(item.key);
    row.gold ??= item;
  }
  return [...byKey.values()].sort(compare);
}

function kindOf(ann) {
  return ann.layer === "sentiment" && ann.attributes?.target_id ? "target" : ann.layer;
}

/** "gold" (decided), "agreed" (candidate for accept-all), "disagreed", or "added". */
export function rowState(row) {
  if (row.gold) return Object.keys(row.marks).length ? "gold" : "added";
  return row.agreed ? "agreed" : "disagreed";
}

/** One annotator's version in a row: accepted into gold, rejected, open, or missing. */
export function cellState(row, annotation, rejected) {
  if (!annotation) return "missing";
  if (row.gold) return sameDecision(row.gold, annotation) ? "accepted" : "rejected";
  return rejected ? "rejected" : "open";
}

/** The index after moving by delta, kept within the rows. */
export function moved(index, delta, count) {
  if (!count) return -1;
  return Math.max(0, Math.min(count - 1, (index < 0 ? 0 : index + delta)));
}

/** Gold entities of the paragraph that overlap [start, end): in the way of an accept. */
export function inTheWay(gold, paragraphId, start, end, exceptKey) {
  return gold.filter(
    (g) => g.layer === "entity" && g.paragraph_id === paragraphId && g.key !== exceptKey && g.start < end && start < g.end,
  );
}

/** How a decision reads in a cell: label, and for claims their attributes. */
export function caption(ann) {
  if (!ann) return "—";
  if (ann.layer !== "claim") return ann.label;
  const a = ann.attributes || {};
  const parts = [ann.label, a.attribution || "no attribution", a.claimant?.text ? `by ${a.claimant.text}` : "no claimant"];
  if (a.checkworthy) parts.push(`check-worthy: ${a.checkworthy}`);
  return parts.join(" · ");
}

/** The paragraphs the review page shows: content, and boilerplate that holds someone's work
 *  or gold (else gold there could be neither seen nor rejected). */
export function shownParagraphs(paragraphs, annotations, gold) {
  const held = new Set([...annotations, ...gold].map((a) => a.paragraph_id));
  return paragraphs.filter((p) => !p.is_boilerplate || held.has(p.id));
}

/** "Paragraph 8", numbered as the workspace and the scorecard number it (its position), not
 *  by its place among the paragraphs shown; boilerplate says so. */
export function paragraphTitle(p) {
  return `Paragraph ${p.position + 1}${p.is_boilerplate ? " (boilerplate)" : ""}`;
}

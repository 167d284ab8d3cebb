// The page's view of the user's annotations, keyed by a local id (lid) that survives
// offline creates and undo: server annotations load as "s<id>", new ones get "l<random>".
// Claimants and sentiment targets point at entities by lid; the save queue maps lids to ids.

export function newLid() {
  return `l${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** The lid under which the save queue keeps the version of a paragraph's own sentiment. */
export function sentimentLid(paragraphId) {
  return `p${paragraphId}`;
}

/** The lid whose version a server annotation sets: its own, or its paragraph's sentiment. */
export function versionLid(raw, lidForId) {
  return isParagraphSentiment(raw) ? sentimentLid(raw.paragraph_id) : lidForId(raw.id);
}

function isParagraphSentiment(raw) {
  return raw.layer === "sentiment" && !raw.attributes?.target_id;
}

export class Store {
  constructor() {
    this.byLid = new Map();
    this.sentiments = new Map(); // paragraph id -> label
  }

  /** Replace one paragraph's annotations (or all, when paragraphId is null) with server state. */
  load(annotations, lidForId, paragraphId = null) {
    for (const [lid, ann] of this.byLid) {
      if (paragraphId === null || ann.paragraph_id === paragraphId) this.byLid.delete(lid);
    }
    if (paragraphId === null) this.sentiments.clear();
    else this.sentiments.delete(paragraphId);
    for (const raw of annotations) this.loadOne(raw, lidForId);
  }

  loadOne(raw, lidForId) {
    if (isParagraphSentiment(raw)) {
      this.sentiments.set(raw.paragraph_id, raw.label);
      return;
    }
    const ann = fromServer(raw, lidForId);
    this.byLid.set(ann.lid, ann);
  }

  get(lid) {
    return this.byLid.get(lid) || null;
  }

  put(ann) {
    this.byLid.set(ann.lid, { ...ann, attributes: { ...ann.attributes } });
  }

  remove(lid) {
    this.byLid.delete(lid);
  }

  inParagraph(paragraphId, layer = null) {
    return [...this.byLid.values()]
      .filter((a) => a.paragraph_id === paragraphId && (layer === null || a.layer === layer))
      .sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  }

  entities() {
    return [...this.byLid.values()].filter((a) => a.layer === "entity");
  }

  targetSentiment(entityLid) {
    return [...this.byLid.values()].find(
      (a) => a.layer === "sentiment" && a.attributes.target_lid === entityLid,
    ) || null;
  }

  /** Paragraphs with at least one decision: a span or a sentiment. */
  decidedParagraphs() {
    const decided = new Set(this.sentiments.keys());
    for (const ann of this.byLid.values()) decided.add(ann.paragraph_id);
    return decided;
  }
}

/** Server JSON to the page's form: ids of claimants and targets become lids. */
export function fromServer(raw, lidForId) {
  const attributes = { ...raw.attributes };
  if (raw.layer === "claim" && attributes.claimant) {
    const { entity_id: entityId, text } = attributes.claimant;
    attributes.claimant = { lid: entityId ? lidForId(entityId) : null, text };
  }
  if (raw.layer === "sentiment" && attributes.target_id) {
    attributes.target_lid = lidForId(attributes.target_id);
    delete attributes.target_id;
  }
  return {
    lid: lidForId(raw.id),
    paragraph_id: raw.paragraph_id,
    layer: raw.layer,
    start: raw.start,
    end: raw.end,
    label: raw.label,
    attributes,
    version: raw.version,
  };
}

/** The page's form to a request body; entity references become {"$lid": ...} placeholders. */
export function toBody(ann, withPlacement = true) {
  const attributes = { ...ann.attributes };
  if (ann.layer === "claim" && attributes.claimant) {
    const { lid, text } = attributes.claimant;
    attributes.claimant = { entity_id: lid ? { $lid: lid } : null, text: text || "" };
  }
  if (ann.layer === "sentiment") {
    const target = attributes.target_lid;
    delete attributes.target_lid;
    if (target) attributes.target_id = { $lid: target };
  }
  const body = { label: ann.label, attributes };
  if (ann.layer !== "sentiment") Object.assign(body, { start: ann.start, end: ann.end });
  if (withPlacement) Object.assign(body, { paragraph_id: ann.paragraph_id, layer: ann.layer });
  // Accepting a suggestion: the server checks the body is the suggestion and keeps its source.
  if (withPlacement && ann.suggestion_id) body.suggestion_id = ann.suggestion_id;
  return body;
}

// What the project asks of each content paragraph, and what the page's state still lacks.
// Mirrors annotator/annotations/progress.py (tests/data/progress-cases.json holds the cases
// both are tested with), so the progress bar, the Done warning and the API agree; the page
// runs it over its own state, unsaved edits included.

export const SENTIMENT = "sentiment";
export const CLAIMANT = "claimant";
const UNATTRIBUTED = "unattributed";

/** What the schema's layers ask of every content paragraph. */
export function requirements(schema) {
  const required = [];
  if (schema?.sentiment?.length) required.push(SENTIMENT);
  const attributions = schema?.claims?.attributions || [];
  if (attributions.some((a) => a !== UNATTRIBUTED)) required.push(CLAIMANT);
  return required;
}

/** An attributed claim that names nobody; the claimant is the page's {lid, text} or the
 *  server's {entity_id, text}. */
export function lacksClaimant(attributes) {
  const attribution = attributes?.attribution;
  if (attribution === undefined || attribution === null || attribution === UNATTRIBUTED) return false;
  const claimant = attributes.claimant || {};
  return !claimant.lid && !claimant.entity_id && !(claimant.text || "").trim();
}

/** What one content paragraph lacks, given its sentiment and its claims' attributes. */
export function paragraphMissing(required, hasSentiment, claims) {
  const missing = [];
  if (required.includes(SENTIMENT) && !hasSentiment) missing.push(SENTIMENT);
  if (required.includes(CLAIMANT) && claims.some(lacksClaimant)) missing.push(CLAIMANT);
  return missing;
}

/** Content paragraphs that lack something, in reading order: {paragraphId, number, missing}. */
export function gaps({ paragraphs, schema, store }) {
  const required = requirements(schema);
  const found = [];
  for (const p of paragraphs) {
    if (p.is_boilerplate) continue;
    const claims = store.inParagraph(p.id, "claim").map((c) => c.attributes);
    const missing = paragraphMissing(required, store.sentiments.has(p.id), claims);
    if (missing.length) found.push({ paragraphId: p.id, number: p.position + 1, missing });
  }
  return found;
}

const SAID = { [SENTIMENT]: "no sentiment", [CLAIMANT]: "a claim without claimant" };

/** "no sentiment, a claim without claimant": what a gap lacks, in words. */
export function describe(missing) {
  return missing.map((m) => SAID[m] || m).join(", ");
}

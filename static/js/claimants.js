// The claimant choices of the claim form: one per distinct entity of the article (same text,
// same label), standing for the mention nearest the claim, with the paragraph it is in;
// nearest first, since who makes a claim is usually named in or just before it.

/**
 * `order` maps paragraph id -> its number in the article (1-based); `textOf` gives a span's
 * text. The chosen mention is the one in the claim's paragraph, else the nearest before it,
 * else the nearest after it: the one a reader would say the claim refers to.
 */
export function claimantChoices(entities, order, claimParagraphId, textOf) {
  const here = order.get(claimParagraphId) ?? 0;
  const best = new Map();
  for (const entity of entities) {
    const paragraph = order.get(entity.paragraph_id) ?? 0;
    const distance = paragraph <= here ? here - paragraph : 10_000 + paragraph - here;
    const choice = { lid: entity.lid, text: textOf(entity), label: entity.label, paragraph, distance, start: entity.start };
    const key = `${choice.text}\u0000${choice.label}`;
    const seen = best.get(key);
    if (!seen || distance < seen.distance || (distance === seen.distance && choice.start < seen.start)) best.set(key, choice);
  }
  return [...best.values()]
    .sort((a, b) => a.distance - b.distance || a.start - b.start)
    .map(({ lid, text, label, paragraph }) => ({ lid, text, label, paragraph }));
}

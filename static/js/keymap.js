// Which key means what, in one place. Label keys come from the schema; the workspace's own
// keys are never label keys (annotator/schema.py refuses them), so no key has two meanings.

/** Paragraph sentiment, by position in the schema's sentiment list: q = the first, w = the second… */
export const SENTIMENT_KEYS = ["q", "w", "e", "r", "t"];
/** Sentiment towards the focused entity span: the same positions with Shift. */
export const TARGET_SENTIMENT_KEYS = SENTIMENT_KEYS.map((key) => key.toUpperCase());
/** Letters the workspace uses itself (a, x, b and / belong to suggestions and proposals). */
export const COMMAND_KEYS = new Set(["a", "b", "c", "j", "k", "x", "z", ...SENTIMENT_KEYS]);

/** key -> label name for the schema's labels whose key is free to be a label key. */
export function labelKeyMap(labels) {
  const map = new Map();
  for (const label of labels) {
    if (label.key && !COMMAND_KEYS.has(label.key)) map.set(label.key, label.name);
  }
  return map;
}

// The review page's save queue: the workspace's SaveQueue (storage, retries, client ids,
// versions, 409s) with the review API's requests. Gold annotations are kept under lids as
// in the workspace; the review's own version is kept under the lid "review".

import { SaveQueue } from "./savequeue.js";

export const REVIEW_LID = "review";
const BASE = "/api/v1/review";

export class ReviewQueue extends SaveQueue {
  request(op) {
    const id = op.lid ? this.idFor(op.lid) : null;
    const version = op.lid && "base" in op ? op.base : this.state.versions[op.lid];
    switch (op.kind) {
      case "accept":
        return this.withBody("POST", `${BASE}/annotations/${op.sourceId}/accept`, op.body);
      case "create":
        return this.withBody("POST", `${BASE}/gold`, op.body);
      case "update":
        return id && this.withBody("PATCH", `${BASE}/gold/${id}`, { ...op.body, version });
      case "delete":
        return id && this.withBody("DELETE", `${BASE}/gold/${id}`, { version });
      case "sentiment":
        return this.withBody("PUT", `${BASE}/paragraphs/${op.paragraphId}/sentiment`, { ...op.body, version: version ?? null });
      case "acceptAll":
        return this.withBody("POST", `${BASE}/articles/${op.articleId}/accept-agreements`, {});
      case "review":
        return this.withBody("PUT", `${BASE}/articles/${op.articleId}/status`, { ...op.body, version: this.state.versions[REVIEW_LID] });
      case "comment":
        return this.withBody("POST", `${BASE}/annotations/${op.annotationId}/comments`, op.body);
      default:
        return null;
    }
  }

  /** Accepts store a row as creates do; any answer carrying the review notes its version. */
  acknowledge(op, body) {
    const saved = body?.annotation;
    if (op.kind === "accept" && saved) {
      this.state.ids[op.lid] = saved.id;
      this.state.versions[op.lid] = saved.version;
    }
    for (const created of body?.created || []) this.state.versions[`s${created.id}`] = created.version;
    if (body?.review) this.state.versions[REVIEW_LID] = body.review.version;
    super.acknowledge(op, body);
  }

  /** A refused status change answers with the stored review: the next one is based on it. */
  drop(op, reason, body) {
    if (op.kind === "review" && body?.current?.version) this.state.versions[REVIEW_LID] = body.current.version;
    super.drop(op, reason, body);
  }
}
